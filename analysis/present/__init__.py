"""What a reader sees: tables in words, answer sentences, charts and their offline renderer, the notebooks' parameter check.

ARCHITECTURE.md has the package's row in the layer table."""

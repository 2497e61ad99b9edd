"""``python -m analysis data``: the data step that builds, checks and swaps ``data/processed/``, and its stamp.

ARCHITECTURE.md has the package's row in the layer table."""

"""The leaves every stage stands on: the input error, the project's paths, strict YAML, all-or-nothing files, the memo, one number formatter.

ARCHITECTURE.md has the package's row in the layer table."""

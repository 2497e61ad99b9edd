"""Language knowledge as data: one vocabulary file per language (``lang/<language>.yaml``) and its reader; the languages are the files present.

ARCHITECTURE.md has the package's row in the layer table."""

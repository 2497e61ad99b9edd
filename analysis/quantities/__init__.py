"""The French and English number reader: value, unit, bound and offsets of every quantity in a sentence.

ARCHITECTURE.md has the package's row in the layer table."""

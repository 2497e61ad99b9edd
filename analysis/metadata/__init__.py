"""What the tables and figures are, declared once: table schemas, metrics, the figure registry, labels, and reading the processed tables by their schemas.

ARCHITECTURE.md has the package's row in the layer table."""

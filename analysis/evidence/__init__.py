"""The evidence tables: curated claims and the candidates proposed from the quantities, chip specifications and fact checks, compute equivalents under the US rule.

ARCHITECTURE.md has the package's row in the layer table."""

"""The figures: scenarios, the pieces of the model (market, supply behind the two gates, conditioning, allocation), one evaluation, the seeded simulation and the tables the notebooks show.

ARCHITECTURE.md has the package's row in the layer table."""

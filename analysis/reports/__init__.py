"""``python -m analysis reports``: notebooks × scenarios into offline HTML, the index and the site, ``make notebooks`` and ``make docs``.

ARCHITECTURE.md has the package's row in the layer table."""

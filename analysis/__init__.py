"""h200-china: evidence tables, figures and offline reports on China's H200 imports.

Modules, in import order (imports only point down this list; ``paths`` and
``errors`` are used by all):

- ``sources``     raw articles → cleaned story text and sentences
- ``quantities``  French/English number reader
- ``claims``      curated claims with verbatim quotes, consensus per metric
- ``specs``       chip specifications, equivalents, fact checks
- ``pipeline``    ``python -m analysis data``: raw → ``data/processed``
- ``scenarios``   named assumptions (``scenarios/*.yaml``)
- ``market``, ``supply``, ``allocation``   the pieces of the model (numpy, vectorised)
- ``model``       the inputs and one evaluation of every headline figure
- ``uncertainty`` seeded simulation of the inputs: ranges and tornados
- ``figures``     headline table, provenance and the tables the notebooks chart
- ``formatting``  one number formatter for prose, tables and chart axes
- ``charts``      altair theme, offline renderer, chart builders
- ``reports``     batch build of notebooks × scenarios into HTML
"""

from __future__ import annotations

import sys
from typing import Any

# altair imports jsonschema, whose format checkers compile rfc3987_syntax's Lark
# grammar at import (about 1 s per process: python-jsonschema/jsonschema#1428)
# for an "iri" string format this package never validates. None in sys.modules
# makes that optional import fail fast, and jsonschema skips the format. Every
# process of the package pays it otherwise: the CLI, each report build, the
# children that draw charts, the tests. A process that imported it first keeps it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

__all__ = ["headline"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `python -m analysis --help` does not pay for pandas.
    if name == "headline":
        from analysis.model.figures import headline

        return headline
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")

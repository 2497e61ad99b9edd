"""The figure registry (``figures.yaml``): every figure the model computes, its
title, unit, description, the notebook that shows it and the inputs that move it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.core.errors import InputError
from analysis.core.strict_yaml import load_yaml_strict

__all__ = ["CENTRAL_STATISTICS", "REGISTRY_PATH", "check_registry", "figure_registry", "figures_for"]

REGISTRY_PATH = Path(__file__).with_name("figures.yaml")
#: How a figure's central value is taken over the central case's surviving paths of the gates:
#: the median; the mean (an expected amount); or the median of the draws where it happens
#: (finite), such as the month of the first delivery among the draws that deliver.
CENTRAL_STATISTICS = ("median", "mean", "median_where_finite")


@cache
def _registry_document(path: Path) -> dict[str, Any]:
    document = load_yaml_strict(path)  # a duplicate figure or key fails naming the file
    if not isinstance(document, dict) or not isinstance(document.get("figures"), dict):
        raise InputError(f"{path}: expected a mapping with 'groups' and 'figures'")
    return document


def _expand(names: list[str], groups: Mapping[str, list[str]]) -> list[str]:
    """Input names with every ``@group`` replaced by its members (groups may name groups)."""
    expanded: list[str] = []
    for name in names:
        expanded.extend(_expand(groups[name[1:]], groups) if name.startswith("@") else [name])
    return expanded


def figure_registry(path: Path = REGISTRY_PATH) -> pd.DataFrame:
    """The figure registry as a table indexed by figure (title, unit,
    description, notebook, inputs as a tuple with groups expanded, and
    ``what_if``: the assumed inputs an assumption-driven figure restates,
    empty for a result), in display order."""
    document = _registry_document(path)
    groups = document.get("groups") or {}
    rows = []
    for figure, entry in document["figures"].items():
        missing = [f for f in ("title", "unit", "description", "notebook", "inputs") if not entry.get(f)]
        if missing:
            raise InputError(f"{path}: figure {figure!r}: missing {', '.join(missing)}")
        names: list[str] = []
        for name in _expand(entry["inputs"], groups):
            if name not in names:
                names.append(name)
        central = entry.get("central", "median")
        if central not in CENTRAL_STATISTICS:
            raise InputError(f"{path}: figure {figure!r}: central must be one of {', '.join(CENTRAL_STATISTICS)}, got {central!r}")
        what_if = tuple(entry.get("what_if") or ())
        if any(name not in names for name in what_if) or (what_if and not str(entry["title"]).startswith("What-if")):
            raise InputError(f"{path}: figure {figure!r}: a what-if names inputs it uses and its title starts with 'What-if'")
        rows.append(
            {
                "figure": figure,
                **{f: entry[f] for f in ("title", "unit", "description", "notebook")},
                "inputs": tuple(names),
                "central": central,
                "what_if": what_if,
            }
        )
    return pd.DataFrame(rows).set_index("figure")


def check_registry(computed: list[str], registry: pd.DataFrame, path: Path = REGISTRY_PATH) -> None:
    """Fail naming the figure when the model and the registry disagree."""
    for figure in computed:
        if figure not in registry.index:
            raise InputError(f"{path}: figure {figure!r} is computed but has no entry")
    for figure in registry.index:
        if figure not in computed:
            raise InputError(f"{path}: figure {figure!r} has an entry but is not computed")


def figures_for(page: str, view: str, path: Path = REGISTRY_PATH) -> list[str]:
    """The figures one table or chart of a page (a notebook, or the index) shows,
    in the order shown: the list ``shown`` gives it (``figures_for("02-market-size",
    "results")``). A page or view the registry lacks, or a listed figure without
    an entry, fails naming the file."""
    document = _registry_document(path)
    shown = (document.get("shown") or {}).get(page) or {}
    if view not in shown:
        raise InputError(f"{path}: shown: {page!r} lists no {view!r} (it lists {', '.join(shown) or 'nothing'})")
    unknown = [figure for figure in shown[view] if figure not in document["figures"]]
    if unknown:
        raise InputError(f"{path}: shown: {page}: {view}: {', '.join(unknown)} has no entry under figures")
    return [str(figure) for figure in shown[view]]

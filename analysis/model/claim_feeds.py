"""What an accepted claim changes: the figures it feeds (``analysis/figures.yaml``
inputs through :data:`analysis.model.engine.CLAIM_INPUTS`) and the scenario
assumptions it restates and may contradict, in words for ``claims review --accept``.

Some metrics of the articles are not read from the claims but set by a scenario
assumption (the price, the US take and cap, Huawei's output):
:data:`METRIC_ASSUMPTIONS` names that assumption, so that a claim that differs
from it is said to, instead of being accepted without a word.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.core import paths
from analysis.evidence.claim_consistency import figure_words, reading, value_words
from analysis.metadata.labels import labels

__all__ = ["METRIC_ASSUMPTIONS", "accept_lines", "assumption_conflicts", "fed_figures", "fed_inputs"]

#: metric → (the scenario key that stands for it, factor from the claim's unit to the key's).
METRIC_ASSUMPTIONS: Mapping[str, tuple[str, float]] = {
    "price_usd_per_chip": ("price_usd_per_h200", 1.0),
    "us_take_percent": ("us_take_share", 0.01),
    "us_cap_percent": ("us_cap_share", 0.01),
    "huawei_output_units": ("huawei_910c_units_2026", 1.0),
}


def fed_inputs(metric: str, entity: str) -> list[str]:
    """The model inputs a claim of this metric and entity feeds."""
    from analysis.model.engine import CLAIM_INPUTS

    return [name for name, key in CLAIM_INPUTS.items() if key == (metric, entity)]


def fed_figures(metric: str, entity: str) -> list[str]:
    """The titles of the headline figures a claim of this metric and entity feeds."""
    from analysis.metadata.registry import figure_registry

    inputs = set(fed_inputs(metric, entity))
    return [str(row.title) for row in figure_registry().itertuples() if inputs & set(row.inputs)]


def assumption_conflicts(metric: str, value: float, bound: str | None, scenario_paths: list[Path]) -> tuple[str, list[str]]:
    """The scenario key that stands for ``metric`` ('' if none) and, for each
    scenario whose central value the claim's reading does not allow, a line
    saying so."""
    from analysis.model.scenarios import load_scenario

    if metric not in METRIC_ASSUMPTIONS:
        return "", []
    key, factor = METRIC_ASSUMPTIONS[metric]
    low, high = reading(value * factor, bound)
    label = labels()["inputs"].get(key, key)
    lines = []
    for path in scenario_paths:
        scenario = load_scenario(path)
        assumption = scenario.assumption(key)
        central = float(assumption.value)
        if not low - abs(low) * 1e-9 <= central <= high + abs(high) * 1e-9:
            unit = assumption.unit or None
            spread = "" if not assumption.is_uncertain else f", range {_amount(assumption.low, unit)} to {_amount(assumption.high, unit)}"
            lines.append(f"conflicts with scenario {scenario.name!r}: {label} is {_amount(central, unit)} there{spread}")
    return label, lines


def _amount(value: Any, unit: str | None) -> str:
    return value_words(float(value), unit, None)


def accept_lines(
    rows: list[Any],
    claim_ids: list[str],
    descriptions: Mapping[str, str],
    article_names: Mapping[str, str],
    scenario_paths: list[Path] | None = None,
) -> list[str]:
    """What ``claims review --accept`` prints for each appended claim."""
    scenario_paths = scenario_paths if scenario_paths is not None else sorted(paths.SCENARIOS.glob("*.yaml"))
    lines = []
    for row, claim_id in zip(rows, claim_ids):
        bound = row.bound if isinstance(row.bound, str) else None
        outlet = article_names.get(row.article_id, row.article_id)
        lines.append(
            f"appended {claim_id}: {figure_words(row.metric, row.entity, descriptions)}, {value_words(float(row.value), row.unit, bound)} ({outlet})"
        )
        figures = fed_figures(row.metric, row.entity)
        label, conflicts = assumption_conflicts(row.metric, float(row.value), bound, scenario_paths)
        inputs = [labels()["inputs"].get(name, name) for name in fed_inputs(row.metric, row.entity)]
        if figures:
            lines.append(f"  feeds {len(figures)} figure(s): {'; '.join(figures)}")
        elif inputs:
            lines.append(f"  feeds {'; '.join(inputs)} in the model (the allocation among buyers), no headline figure")
        elif label:
            lines.append(f"  feeds no figure: the figures take {label} from the scenario, not from the claims")
        else:
            lines.append("  feeds no figure: the model reads no claim of this kind (it is shown in notebook 01 only)")
        if label and not conflicts:
            lines.append(f"  agrees with every scenario's {label}")
        lines += [f"  {line}" for line in conflicts]
    return lines

"""Uncertainty by simulation: every headline figure as a central value and a 90% range.

Each uncertain input (:func:`analysis.model.engine.model_inputs`) is drawn from its
distribution: triangular between ``low`` and ``high`` peaked at the central
value (the default), or uniform between ``low`` and ``high``. Months are drawn
the same way and rounded to whole months. A certain input (low = high) is its
central value in every draw. Every input has its own random stream, seeded from
the run's seed and the input's name, so adding or pinning one input leaves the
others' draws unchanged and the same seed gives the same numbers.

The figures are then evaluated once on all draws together
(:func:`analysis.model.engine.evaluate`, vectorised with numpy), each draw on its own
path of the two gates. Draws whose path contradicts an observation are
excluded (:mod:`analysis.model.conditioning`): the 5th and 95th percentiles of each
figure over the surviving draws are its 90% range. The central value is the
same model on every input's central value, over as many paths of the gates,
summarised by the figure's statistic (:data:`analysis.metadata.registry.CENTRAL_STATISTICS`).
"""

from __future__ import annotations

import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.metadata.registry import figure_registry
from analysis.model import engine
from analysis.model.scenarios import Scenario, load_scenario

__all__ = [
    "DRAWS",
    "PERCENTILES",
    "SEED",
    "TORNADO_PATHS",
    "band",
    "central_value",
    "draw",
    "draw_inputs",
    "percentiles",
    "quantile",
    "tornado",
]

DRAWS = 10_000
SEED = 0
PERCENTILES = (0.05, 0.95)


def _rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def draw(item: engine.Input, draws: int, seed: int) -> np.ndarray:
    """``draws`` values of one input."""
    if not item.is_uncertain:
        return np.full(draws, item.central, dtype=float)
    rng = _rng(seed, item.name)
    if item.distribution == "uniform":
        values = rng.uniform(item.low, item.high, draws)
    else:
        values = rng.triangular(item.low, item.central, item.high, draws)
    return np.rint(values) if item.is_month else values


def quantile(item: engine.Input, q: float) -> float:
    """The ``q`` quantile of an input's distribution (exact inverse CDF)."""
    low, mode, high = item.low, item.central, item.high
    if not item.is_uncertain:
        return item.central
    if item.distribution == "uniform":
        value = low + q * (high - low)
    elif q < (mode - low) / (high - low):
        value = low + np.sqrt(q * (high - low) * (mode - low))
    else:
        value = high - np.sqrt((1 - q) * (high - low) * (high - mode))
    return float(np.rint(value)) if item.is_month else float(value)


def _prepared(
    scenario: str | Path | Scenario, processed_dir: str | Path, as_of: str | None = None, seed: int = SEED
) -> tuple[list[engine.Input], engine.Context]:
    scenario = load_scenario(scenario)
    tables = engine.Tables.load(processed_dir, as_of if as_of is not None else scenario.as_of)
    return engine.prepare(scenario, tables, seed)


def draw_inputs(inputs: list[engine.Input], draws: int, seed: int) -> dict[str, np.ndarray]:
    return {item.name: draw(item, draws, seed) for item in inputs}


def central_value(values: np.ndarray, alive: np.ndarray, statistic: str) -> float:
    """A figure's central value over the surviving draws of the central case:
    ``median``, ``mean`` or ``median_where_finite`` (``inf`` when no draw has it)."""
    kept = np.asarray(values, dtype=float)[alive]
    if statistic == "median_where_finite":
        kept = kept[np.isfinite(kept)]
        if kept.size == 0:
            return float("inf")
    if kept.size == 0:
        return float("nan")
    if statistic == "mean":
        return float(np.mean(kept))
    return float(np.quantile(kept, 0.5, method="inverted_cdf"))


def band(values: np.ndarray, alive: np.ndarray, statistic: str) -> tuple[float, float]:
    """A figure's 90% range over the surviving draws (among the finite ones
    for ``median_where_finite``; ``inf`` when no draw has it)."""
    kept = np.asarray(values, dtype=float)[alive]
    if statistic == "median_where_finite":
        kept = kept[np.isfinite(kept)]
        if kept.size == 0:
            return float("inf"), float("inf")
    if kept.size == 0:
        return float("nan"), float("nan")
    return percentiles(kept)


def percentiles(values: np.ndarray) -> tuple[float, float]:
    """The 5th and 95th percentiles, each an actual draw (no interpolation,
    so a figure that is never reached in some draws, ``inf``, stays ``inf``)."""
    low, high = np.quantile(values, PERCENTILES, method="inverted_cdf")
    return float(low), float(high)


#: Paths of the gates each tornado point runs on: enough for a stable central statistic, few enough to stay fast.
TORNADO_PATHS = 400


def tornado(
    scenario: str | Path | Scenario, figure: str, processed_dir: str | Path = paths.PROCESSED, as_of: str | None = None
) -> pd.DataFrame:
    """For each uncertain input, the figure with that input at its 5th and 95th
    percentile and every other input central: ``input, low, high, swing``,
    sorted by swing (largest first). Each point runs on :data:`TORNADO_PATHS`
    paths of the gates (the same paths for every point, so the swing is the
    input's alone) and takes the figure's central statistic over the
    surviving ones. Inputs that do not move the figure are left out."""
    inputs, ctx = _prepared(scenario, processed_dir, as_of)
    uncertain = [item for item in inputs if item.is_uncertain]
    if not uncertain:
        return pd.DataFrame(columns=["input", "low", "high", "swing"])
    points = 2 * len(uncertain)
    batch = {item.name: np.full(points, item.central) for item in inputs}
    for position, item in enumerate(uncertain):
        batch[item.name][2 * position] = quantile(item, PERCENTILES[0])
        batch[item.name][2 * position + 1] = quantile(item, PERCENTILES[1])
    # Point-major: point p's paths are draws p*TORNADO_PATHS ... (p+1)*TORNADO_PATHS - 1, the same block for each p.
    repeated = {name: np.repeat(values, TORNADO_PATHS) for name, values in batch.items()}
    run = engine.evaluate(repeated, replace(ctx, repeat_paths=TORNADO_PATHS))
    statistic = str(figure_registry().at[figure, "central"])
    values = run.figures[figure].reshape(points, TORNADO_PATHS)
    alive = run.alive.reshape(points, TORNADO_PATHS)
    summary = np.array([central_value(values[point], alive[point], statistic) for point in range(points)])
    table = pd.DataFrame({"input": [item.name for item in uncertain], "low": summary[0::2], "high": summary[1::2]})
    with np.errstate(invalid="ignore"):
        swing = (table["high"] - table["low"]).abs()
    table = table.assign(swing=swing.where(table["high"] != table["low"], 0.0))
    moved = table[table["swing"] > 0].sort_values("swing", ascending=False, kind="stable")
    return moved.reset_index(drop=True)

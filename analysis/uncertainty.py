"""Uncertainty by simulation: every headline figure as a central value and a 90% range.

Each uncertain input (:func:`analysis.model.model_inputs`) is drawn from its
distribution: triangular between ``low`` and ``high`` peaked at the central
value (the default), or uniform between ``low`` and ``high``. Months are drawn
the same way and rounded to whole months. A certain input (low = high) is its
central value in every draw. Every input has its own random stream, seeded from
the run's seed and the input's name, so adding or pinning one input leaves the
others' draws unchanged and the same seed gives the same numbers.

The figures are then evaluated once on all draws together
(:func:`analysis.model.evaluate`, vectorised with numpy): the 5th and 95th
percentiles of each figure over the draws are its 90% range.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import model, paths
from analysis.scenarios import Scenario, load_scenario

DRAWS = 10_000
SEED = 0
PERCENTILES = (0.05, 0.95)


def _rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def draw(item: model.Input, draws: int, seed: int) -> np.ndarray:
    """``draws`` values of one input."""
    if not item.is_uncertain:
        return np.full(draws, item.central, dtype=float)
    rng = _rng(seed, item.name)
    if item.distribution == "uniform":
        values = rng.uniform(item.low, item.high, draws)
    else:
        values = rng.triangular(item.low, item.central, item.high, draws)
    return np.rint(values) if item.is_month else values


def quantile(item: model.Input, q: float) -> float:
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


def _prepared(scenario: str | Path | Scenario, processed_dir: str | Path) -> tuple[list[model.Input], model.Context]:
    scenario = load_scenario(scenario)
    tables = model.Tables.load(processed_dir)
    return model.prepare(scenario, tables)


def draw_inputs(inputs: list[model.Input], draws: int, seed: int) -> dict[str, np.ndarray]:
    return {item.name: draw(item, draws, seed) for item in inputs}


def simulate(
    scenario: str | Path | Scenario, draws: int = DRAWS, seed: int = SEED, processed_dir: str | Path = paths.PROCESSED
) -> pd.DataFrame:
    """One row per draw, one column per headline figure; identical for the same seed."""
    inputs, ctx = _prepared(scenario, processed_dir)
    figures = model.evaluate(draw_inputs(inputs, draws, seed), ctx)
    return pd.DataFrame({figure: figures[figure] for figure in model.figure_registry().index})


def percentiles(values: np.ndarray) -> tuple[float, float]:
    """The 5th and 95th percentiles, each an actual draw (no interpolation,
    so a figure that is never reached in some draws, ``inf``, stays ``inf``)."""
    low, high = np.quantile(values, PERCENTILES, method="inverted_cdf")
    return float(low), float(high)


def tornado(scenario: str | Path | Scenario, figure: str, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """For each uncertain input, the figure with that input at its 5th and 95th
    percentile and every other input central: ``input, low, high, swing``,
    sorted by swing (largest first). Inputs that do not move the figure are left out."""
    inputs, ctx = _prepared(scenario, processed_dir)
    uncertain = [item for item in inputs if item.is_uncertain]
    if not uncertain:
        return pd.DataFrame(columns=["input", "low", "high", "swing"])
    batch = {item.name: np.full(2 * len(uncertain), item.central) for item in inputs}
    for position, item in enumerate(uncertain):
        batch[item.name][2 * position] = quantile(item, PERCENTILES[0])
        batch[item.name][2 * position + 1] = quantile(item, PERCENTILES[1])
    values = model.evaluate(batch, ctx)[figure]
    table = pd.DataFrame({"input": [item.name for item in uncertain], "low": values[0::2], "high": values[1::2]})
    table = table.assign(swing=(table["high"] - table["low"]).abs())
    moved = table[table["swing"] > 0].sort_values("swing", ascending=False, kind="stable")
    return moved.reset_index(drop=True)

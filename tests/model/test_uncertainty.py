"""Uncertainty: the simulation is seeded, and pinned inputs give the central value on every draw."""

from __future__ import annotations

from helpers import CENTRAL, simulate

from analysis.metadata.registry import figure_registry
from analysis.model.figures import headline


def test_simulation_is_seeded_and_degenerate_inputs_give_the_central_value(tmp_path):
    first = simulate(CENTRAL, draws=500, seed=3)
    assert first.equals(simulate(CENTRAL, draws=500, seed=3))
    assert not first.equals(simulate(CENTRAL, draws=500, seed=4))
    assert list(first.columns) == [*figure_registry().index, "survives"] and len(first) == 500
    # Every input pinned (low = central = high, claims read exactly): each draw is the central case.
    text = CENTRAL.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith(("low:", "high:"))]
    flat = "\n".join(lines).replace("value: 0.1\n", "value: 0.0\n")
    path = tmp_path / "flat.yaml"
    path.write_text(flat + "\n", encoding="utf-8")
    simulated = simulate(path, draws=200, seed=0)
    table = headline(path)
    # The paths of the gates stay random (pinned chances, not pinned outcomes): only the figures that
    # read no gate are the central case on every draw.
    registry = figure_registry()
    gated = {figure for figure in registry.index if "us_licence_open_prob" in registry.at[figure, "inputs"]}
    assert {"p_delivery_by_end_2026", "first_delivery_month", "first_year_value_usd"} <= gated
    for figure in table.index.difference(sorted(gated)):
        assert (simulated[figure] == table.at[figure, "central"]).all(), figure
        assert table.at[figure, "low"] == table.at[figure, "central"] == table.at[figure, "high"]
    # The exact chance of a delivery depends on the chances alone: the same in every draw.
    assert simulated["p_delivery_by_end_2026"].nunique() == 1

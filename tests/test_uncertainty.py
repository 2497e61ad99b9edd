"""Uncertainty: the simulation is seeded, and pinned inputs give the central value on every draw."""

from __future__ import annotations

from helpers import CENTRAL

from analysis import model, uncertainty
from analysis.figures import headline


def test_simulation_is_seeded_and_degenerate_inputs_give_the_central_value(tmp_path):
    first = uncertainty.simulate(CENTRAL, draws=500, seed=3)
    assert first.equals(uncertainty.simulate(CENTRAL, draws=500, seed=3))
    assert not first.equals(uncertainty.simulate(CENTRAL, draws=500, seed=4))
    assert list(first.columns) == list(model.figure_registry().index) and len(first) == 500
    # Every input pinned (low = central = high, claims read exactly): each draw is the central case.
    text = CENTRAL.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith(("low:", "high:"))]
    flat = "\n".join(lines).replace("value: 0.1\n", "value: 0.0\n")
    path = tmp_path / "flat.yaml"
    path.write_text(flat + "\n", encoding="utf-8")
    simulated = uncertainty.simulate(path, draws=200, seed=0)
    table = headline(path)
    for figure in table.index:
        assert (simulated[figure] == table.at[figure, "central"]).all(), figure
        assert table.at[figure, "low"] == table.at[figure, "central"] == table.at[figure, "high"]

"""Model: delivery invariants on every draw of every shipped scenario, and the figure registry's inputs."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import CENTRAL, SCENARIOS

from analysis import market, model, uncertainty
from analysis.scenarios import load_scenario


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_delivery_invariants_on_every_draw_of_every_scenario(path):
    scenario = load_scenario(path)
    tables = model.Tables.load()
    inputs, ctx = model.prepare(scenario, tables)
    values = uncertainty.draw_inputs(inputs, 2_000, seed=1)
    result = model.deliveries(values, ctx, keep_paths=True).paths
    delivered = result["delivered_cumulative"]
    tolerance = 1e-6
    assert (delivered <= result["cap_cumulative"] + tolerance).all()  # the running 50% cap
    assert (delivered <= result["approved_cumulative"] + tolerance).all()  # approvals so far
    assert (delivered <= values["orders_units"] * values["firm_order_share"] + tolerance).all()  # firm orders
    assert (delivered <= result["supply_cumulative"] + tolerance).all()
    assert (np.diff(delivered, axis=0) >= -tolerance).all()
    months = np.arange(delivered.shape[0])[:, None]
    first = values["first_delivery_month"]
    assert (delivered[months < first] == 0).all()  # nothing before the first-delivery month ...
    assert first.min() >= 2  # ... which is March 2026 at the earliest (rule month Jan 2026 = 0)
    in_first_month = delivered[first.astype(int), np.arange(delivered.shape[1])]
    assert (in_first_month <= 80_000 + tolerance).all()  # the first tranche: 40,000-80,000 chips from stock
    assert ((values["first_tranche_units"] >= 40_000) & (values["first_tranche_units"] <= 80_000)).all()
    assert (market.us_take_usd(1.0, values["us_take_share"], values["tariff_base_share"]) <= 0.25 + 1e-12).all()


def test_registry_lists_every_input_a_figure_uses():
    """Independent of the registry: move each input alone; a figure that moves must list it."""
    scenario, tables = load_scenario(CENTRAL), model.Tables.load()
    inputs, ctx = model.prepare(scenario, tables)
    registry = model.figure_registry()
    base = model.evaluate(model.central_values(inputs), ctx)
    for item in inputs:
        values = model.central_values(inputs)
        values[item.name] = values[item.name] * 1.5 + 1
        moved = model.evaluate(values, ctx)
        for figure, value in moved.items():
            if not np.array_equal(value, base[figure]):
                assert item.name in registry.at[figure, "inputs"], (figure, item.name)

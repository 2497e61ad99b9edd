"""Model: delivery invariants on every draw of every shipped scenario, and the figure registry's inputs
against the model's evaluation (the registry file itself: tests/metadata/test_registry.py)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import CENTRAL, SCENARIOS, per_buyer

from analysis.core import paths
from analysis.metadata.processed import read_processed
from analysis.metadata.registry import figure_registry
from analysis.model import engine, market, supply, uncertainty
from analysis.model.engine import Provenance
from analysis.model.figures import headline
from analysis.model.scenarios import load_scenario


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_delivery_invariants_on_every_draw_of_every_scenario(path):
    scenario = load_scenario(path)
    tables = engine.Tables.load()
    inputs, ctx = engine.prepare(scenario, tables)
    values = uncertainty.draw_inputs(inputs, 2_000, seed=1)
    run = engine.deliveries(values, ctx, keep_paths=True)
    result, delivered = run.deliveries.paths, run.deliveries.delivered
    tolerance = 1e-6
    months = np.arange(delivered.shape[0])[:, None]
    ceiling_applies = months >= ctx.cap_start
    assert (delivered <= result["cap_cumulative"] + tolerance).all()  # the running 50% cap
    assert (delivered <= result["approved_cumulative"] + tolerance).all()  # approvals so far
    applies = np.broadcast_to(ceiling_applies, delivered.shape)
    assert (delivered[applies] <= result["deliverable_cumulative"][applies] + tolerance).all()  # the per-customer ceiling
    assert (delivered <= values["china_total_ceiling_units"] + tolerance).all()
    assert (delivered <= values["orders_units"] * values["firm_order_share"] + tolerance).all()  # firm orders
    assert (delivered <= result["supply_cumulative"] + tolerance).all()
    assert (np.diff(delivered, axis=0) >= -tolerance).all()
    # Nothing before both gates have been open together, and never before the earliest month (Feb 2026).
    both = run.us_open & run.cn_open
    opened = np.cumsum(both, axis=0) > 0
    assert (delivered[~opened] == 0).all()
    assert (delivered[np.broadcast_to(months < values["gates_earliest_month"], delivered.shape)] == 0).all()
    first = run.deliveries.first_month
    delivering = np.isfinite(first)
    in_first_month = delivered[first[delivering].astype(int), np.flatnonzero(delivering)]
    assert (in_first_month <= 80_000 + tolerance).all()  # the first tranche: 40,000-80,000 chips from stock
    assert (market.us_take_usd(1.0, values["us_take_share"], values["tariff_base_share"]) <= 0.25 + 1e-12).all()
    # Each buyer within the per-customer ceiling, every month it applies, in every draw.
    for month in range(int(min(ctx.cap_start, ctx.horizon)), ctx.horizon):
        first_approved = np.where(month >= values["first_approval_month"], values["approved_units"], 0.0)
        for each in per_buyer(delivered[month], first_approved, run.buyers, month):
            assert (each + values["mi325x_units_per_customer"] <= values["reported_cap_units"] + tolerance).all()


def test_registry_lists_every_input_a_figure_uses():
    """Independent of the registry: move each input alone; a figure that moves must list it."""
    scenario, tables = load_scenario(CENTRAL), engine.Tables.load()
    inputs, ctx = engine.prepare(scenario, tables)
    registry = figure_registry()
    # Many paths of the gates, the same for every run (one seed), so a figure moves only with its inputs.
    base = engine.evaluate(engine.central_batch(inputs, 200), ctx).figures
    for item in inputs:
        values = engine.central_batch(inputs, 200)
        values[item.name] = values[item.name] * 1.5 + (0.1 if item.name.endswith("_prob") else 1)
        moved = engine.evaluate(values, ctx).figures
        for figure, value in moved.items():
            if not np.array_equal(value, base[figure], equal_nan=True):
                assert item.name in registry.at[figure, "inputs"], (figure, item.name)


def test_tables_are_read_once_per_file_state_and_handed_out_as_copies(tmp_path):
    import shutil

    from analysis.core import paths

    folder = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, folder)
    first = engine.Tables.load(folder, "2026-01-31")
    first.claims.loc[:, "value"] = -1.0  # a caller that writes into its copy
    again = engine.Tables.load(folder, "2026-01-31")
    assert (again.claims["value"] != -1.0).any()  # the kept tables are not that copy
    # A claims file written again (another size) is read again: one claim row left.
    claims_csv = folder / "claims.csv"
    rows = claims_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    claims_csv.write_text("".join(rows[:2]), encoding="utf-8")
    reread = engine.Tables.load(folder, "2026-01-31")
    assert len(reread.claims) <= 1 < len(again.claims)


def test_the_rules_reading_of_the_cap_base_binds_less_than_shipments_since_the_rule():
    """Correction 1: the cap's base is every H200 shipped to US customers since launch. Under the older reading
    (base 0) the cap can only be tighter, so it binds at least as often and lets no more through by the end of 2027."""
    from analysis.model import figures

    limits = figures.binding_limits(CENTRAL)
    for column in limits.columns:
        assert limits[column].sum() == pytest.approx(1.0)  # every month (or draw) is held by exactly one limit
    assert limits.at["us_cap", "since_rule_while_open"] > limits.at["us_cap", "rule_while_open"]
    rule, older = limits.attrs["delivered_by_end_2027"]["rule"], limits.attrs["delivered_by_end_2027"]["since_rule"]
    assert older[1] <= rule[1] and older[2] <= rule[2]
    assert figures.most_binding_limit(limits) in supply.LIMITS
    # The rule's reading repeats the headline figure, computed there by engine.evaluate on the same draws.
    headline = figures.headline(CENTRAL).loc["delivered_by_end_2027_units", ["low", "central", "high"]]
    assert rule == pytest.approx(tuple(headline))


def test_provenance_merges_in_first_use_order_and_reads_as_text():
    approved = Provenance(("c01", "c02"), (), ("price_usd_per_h200",))
    take = Provenance(("c02", "c07"), ("H200 SXM.tpp",), ("us_take_share", "price_usd_per_h200"))
    merged = Provenance.merged([approved, take])
    assert merged == Provenance(("c01", "c02", "c07"), ("H200 SXM.tpp",), ("price_usd_per_h200", "us_take_share"))
    assert str(merged) == "claims: c01, c02, c07; specs: H200 SXM.tpp; scenario: price_usd_per_h200, us_take_share"
    assert str(Provenance(scenario=("pue",))) == "scenario: pue" and str(Provenance()) == ""


def test_every_headline_figure_names_what_it_was_computed_from():
    table = headline(CENTRAL, draws=200)
    assert all(isinstance(p, Provenance) and str(p) for p in table["sources"])
    value = table.at["approved_value_usd", "sources"]
    assert "price_usd_per_h200" in value.scenario and value.claims  # the price assumption and the approval claims
    assert set(value.claims) <= set(read_processed("claims", paths.PROCESSED)["claim_id"])

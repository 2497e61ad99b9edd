"""Figures checked against hand computations, the model's invariants on every shipped scenario, and scenario validation."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import numpy as np

from analysis import allocation, figures, market, model, paths, supply, uncertainty
from analysis.claims import bound_readings
from analysis.errors import InputError
from analysis.figures import delivery_by_scenario, headline, provenance
from analysis.scenarios import ASSUMPTIONS, load_scenario

SCENARIOS = sorted(paths.SCENARIOS.glob("*.yaml"))
CENTRAL = paths.SCENARIOS / "central.yaml"


def test_backlog_from_two_million_orders_and_700000_in_stock():
    assert supply.backlog_units(2_000_000, 700_000) == 1_300_000


def test_value_and_us_take_on_an_import_value_below_the_price():
    value = market.value_usd(400_000, 27_000)
    assert value == 10_800_000_000
    # Tariff base 80% of the sale price: 25% × 0.8 × 10.8 bn = 2.16 bn, not the 2.7 bn of "25% of sales".
    take = market.us_take_usd(value, 0.25, 0.8)
    assert take == pytest.approx(2_160_000_000)
    assert market.nvidia_net_usd(value, take) == pytest.approx(8_640_000_000)
    assert market.take_borne_by_buyers_usd(take, 0.5) == pytest.approx(1_080_000_000)
    # Whatever the base (≤ 1), the take never exceeds 25% of the sale value.
    bases = np.linspace(0.01, 1.0, 50)
    assert (market.us_take_usd(value, 0.25, bases) <= 0.25 * value + 1e-6).all()


def _toy(**changes):
    """A small delivery case computed by hand in the tests below."""
    args = dict(horizon=3, us_per_month=100.0, cap_share=0.5, first_batch=1_000.0, first_approval=0, later_start=99,
                later_interval=3, later_units=0.0, firm_orders=1_000.0, stock=1_000.0, output_start=99,
                output_per_month=0.0, first_delivery=0, first_tranche=1_000.0, pace=1_000.0, keep_paths=True)
    return supply.deliver(**{**args, **changes})


def test_the_cap_is_a_running_total_of_us_shipments():
    # US shipments 100 a month → cumulative 100, 200, 300; China at most half: 50, 100, 150 in all.
    result = _toy()
    assert result.paths["us_shipments_cumulative"][:, 0].tolist() == [100, 200, 300]
    assert result.paths["delivered_cumulative"][:, 0].tolist() == [50, 100, 150]
    # Starting deliveries in month 2 uses the room the running total built up: 150 at once, not 50.
    late = _toy(first_delivery=2)
    assert late.paths["delivered_cumulative"][:, 0].tolist() == [0, 0, 150]


def test_approvals_cap_deliveries_until_the_next_tranche():
    # Only 60 approved at first, 40 more from month 2: the cap (50, 100, 150) would allow more.
    result = _toy(first_batch=60.0, later_start=2, later_units=40.0)
    assert result.paths["approved_cumulative"][:, 0].tolist() == [60, 60, 100]
    assert result.paths["delivered_cumulative"][:, 0].tolist() == [50, 60, 100]
    assert result.months_to_approved[0] == 2  # the 60 approved are all delivered in the second month
    # The first tranche and the pace bind too: 20 in the first month, then 30 a month.
    paced = _toy(first_tranche=20.0, pace=30.0)
    assert paced.paths["delivered_cumulative"][:, 0].tolist() == [20, 50, 80]


def test_firm_orders_and_supply_bound_deliveries():
    result = _toy(firm_orders=120.0, horizon=4)
    assert result.paths["delivered_cumulative"][:, 0].tolist() == [50, 100, 120, 120]
    assert result.months_to_orders[0] == 3
    short = _toy(stock=70.0, output_start=2, output_per_month=10.0, horizon=4)
    assert short.paths["supply_cumulative"][:, 0].tolist() == [70, 70, 80, 90]
    assert short.paths["delivered_cumulative"][:, 0].tolist() == [50, 70, 80, 90]
    assert np.isinf(short.months_to_orders[0])  # 1,000 firm orders are not met within four months


def test_headline_central_matches_hand_computation():
    table = headline(CENTRAL)
    assert table.at["approved_units", "central"] == 400_000
    assert table.at["approved_value_usd", "central"] == 400_000 * 27_000
    # The take: 25% of an import value at 85% of the sale price.
    assert table.at["us_take_usd", "central"] == pytest.approx(400_000 * 27_000 * 0.85 * 0.25)
    assert table.at["take_borne_by_buyers_usd", "central"] == pytest.approx(400_000 * 27_000 * 0.85 * 0.25 * 0.5)
    assert table.at["backlog_units", "central"] == 2_000_000 - 700_000
    assert table.at["firm_orders_units", "central"] == pytest.approx(2_000_000 * 0.6)
    assert table.at["approved_share_of_orders", "central"] == pytest.approx(0.2)
    assert table.at["orders_value_usd", "central"] == 54e9  # facts.md: "2,000,000 x $27,000 = $54 billion"
    assert table.at["h200_h20_bf16_ratio", "central"] == pytest.approx(989.5 / 148)  # spec table, BF16 dense
    assert table.at["domestic_chips_required", "central"] == 400_000
    # 400,000 × 700 W × 1.82 (DGX: 10.2 kW / 8 GPUs / 700 W) × PUE 1.3 = 662.5 MW.
    assert table.at["facility_power_mw", "central"] == pytest.approx(400_000 * 700 * 1.82 * 1.3 / 1e6)
    # Deliveries by hand (months from Jan 2026; cap 50,000 a month cumulative): 60,000 in March, then the
    # pace (100,000) until the cap binds: Apr 160k, May 250k (cap), Jun 300k, Jul 350k, Aug 400k = 6th month.
    assert table.at["months_to_deliver_approved", "central"] == 6
    # 1.2M firm orders: the cap reaches 1.2M in the 24th month (Dec 2027), approvals (400k + 150k a quarter
    # from Jul 2026) 1.3M in Oct 2027, supply (700k + 100k a month from Aug 2026) well before: Dec 2027 = 22nd month.
    assert table.at["months_to_meet_orders", "central"] == 22
    # First year (Mar 2026 to Feb 2027): the cap at Feb 2027 is 14 × 50,000 = 700,000.
    assert table.at["first_year_delivered_units", "central"] == 700_000
    assert table.at["first_year_value_usd", "central"] == 700_000 * 27_000
    assert table.at["first_year_value_share_of_huang_estimate", "central"] == pytest.approx(700_000 * 27_000 / 50e9)
    assert table.at["first_year_value_share_of_china_revenue", "central"] == pytest.approx(700_000 * 27_000 / 17e9)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_low_central_high_are_ordered_and_finite(path):
    table = headline(path)
    assert (table["low"] <= table["central"]).all() and (table["central"] <= table["high"]).all()
    # Only a month count may be "not within the horizon" (inf), and only at the high end.
    finite = table.drop(index=["months_to_meet_orders"])
    assert finite[["low", "central", "high"]].map(math.isfinite).all().all()
    assert math.isfinite(table.at["months_to_meet_orders", "central"])
    assert list(table.index) == list(model.figure_registry().index)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_delivery_invariants_on_every_draw_of_every_scenario(path):
    scenario = load_scenario(path)
    tables = model.Tables.load()
    inputs, ctx = model.model_inputs(scenario, tables), model.context(scenario, tables)
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


def test_tornado_moves_one_input_at_a_time():
    table = figures.tornado(CENTRAL, "approved_value_usd")
    assert table["swing"].is_monotonic_decreasing
    # Value = units × price: only these two inputs move it. Price triangular(20,000, 27,000, 30,000):
    # 5th percentile 20,000 + sqrt(0.05 × 10,000 × 7,000) = 21,870.8.
    assert set(table["input"]) == {"price_usd_per_h200", "approved_units"}
    price = table.set_index("input").loc["price_usd_per_h200"]
    assert price["low"] == pytest.approx(400_000 * (20_000 + math.sqrt(0.05 * 10_000 * 7_000)))
    assert price["high"] == pytest.approx(400_000 * (30_000 - math.sqrt(0.05 * 10_000 * 3_000)))


def test_registry_lists_every_input_a_figure_uses():
    """Independent of the registry: move each input alone; a figure that moves must list it."""
    scenario, tables = load_scenario(CENTRAL), model.Tables.load()
    inputs, ctx = model.model_inputs(scenario, tables), model.context(scenario, tables)
    registry = model.figure_registry()
    base = model.evaluate(model.central_values(inputs), ctx)
    for item in inputs:
        values = model.central_values(inputs)
        values[item.name] = values[item.name] * 1.5 + 1
        moved = model.evaluate(values, ctx)
        for figure, value in moved.items():
            if not np.array_equal(value, base[figure]):
                assert item.name in registry.at[figure, "inputs"], (figure, item.name)


def test_headline_sources_name_real_claims_specs_and_keys():
    table = provenance(CENTRAL)
    claims = pd.read_csv(paths.PROCESSED / "claims.csv").set_index("claim_id")
    for row in table.itertuples():
        if row.kind == "claim":
            assert row.id in claims.index and row.detail == f"« {claims.at[row.id, 'quote']} »"
        elif row.kind == "scenario":
            assert row.id in ASSUMPTIONS and row.source
        else:
            assert row.kind == "spec" and "Epoch AI" in row.source
    assert {"c02", "c15", "c20"} <= set(table["id"])


def test_price_sensitivity_grid():
    grid = market.sensitivity_grid([100_000, 2_500_000], [20_000, 27_000], 0.25, 1.0)
    assert grid["value_usd"].tolist() == [2e9, 2.7e9, 50e9, 67.5e9]
    assert grid["us_take_usd"].tolist() == [0.5e9, 0.675e9, 12.5e9, 16.875e9]


def test_bound_readings():
    args = {"lower_bound_uplift": 0.1, "upper_bound_cut": 0.2, "approx_margin": 0.05}
    assert bound_readings(400, 400, "at_least;at_most;exact", **args) == pytest.approx({"low": 320, "central": 400, "high": 440})
    assert bound_readings(700, 700, "approx", **args) == pytest.approx({"low": 665, "central": 700, "high": 735})
    assert bound_readings(25, 25, "exact", **args) == {"low": 25, "central": 25, "high": 25}


@pytest.mark.parametrize(
    "approved, expected",
    [(300, [100, 50, 150]), (120, [40, 40, 40]), (500, [100, 50, 300]), (0, [0, 0, 0])],
)
def test_max_min_fair_water_filling(approved, expected):
    split = allocation.max_min_fair({"a": 100, "b": 50, "c": 300}, approved)
    assert [split[k] for k in "abc"] == pytest.approx(expected)


def test_proportional_and_capped_equal_splits():
    assert allocation.proportional({"a": 100, "b": 300}, 200) == {"a": 50, "b": 150}
    # Equal shares of 300 are 100 each, but "c" asked for 50: it gets 50 and 50 stays unallocated.
    split = allocation.split("equal", {"a": 100, "b": 300, "c": 50}, np.float64(300))
    assert {k: float(v) for k, v in split.items()} == {"a": 100, "b": 100, "c": 50, "unallocated": 50}
    # More approved than asked: no rule gives more than the request.
    for rule in allocation.RULES:
        given = allocation.split(rule, {"a": 100, "b": 50}, np.float64(400))
        assert float(given["a"]) == 100 and float(given["b"]) == 50 and float(given["unallocated"]) == 250


def test_max_min_fair_vectorised_over_draws():
    requests = {"a": np.array([100.0, 10.0]), "b": np.array([50.0, 10.0]), "c": np.array([300.0, 10.0])}
    split = allocation.max_min_fair(requests, np.array([300.0, 12.0]))
    assert [split[k].tolist() for k in "abc"] == [[100, 4], [50, 4], [150, 4]]


def test_allocation_table_rows_and_deepseek_outside_the_batch():
    table = figures.allocation_table(load_scenario(CENTRAL, include_deepseek=True), draws=500)
    for rule, rows in table.groupby("rule"):
        batch = rows[~rows["company"].str.startswith("DeepSeek")]
        assert batch["h200_units"].sum() == pytest.approx(400_000)  # the three groups' batch, DeepSeek not carved out
        assert (batch["h200_units"] <= batch["requested_units"].fillna(np.inf) + 1e-6).all()
        assert rows.set_index("company").at["DeepSeek (own approval)", "h200_units"] == 50_000
    row = table.set_index(["rule", "company"]).loc[("proportional", "Alibaba")]
    assert row["h200_units"] == pytest.approx(400_000 / 3)
    assert row["facility_power_mw"] == pytest.approx(400_000 / 3 * 700 * 1.82 * 1.3 / 1e6)
    assert row["h200_units_low"] <= row["h200_units"] <= row["h200_units_high"]
    assert row["h100_equiv"] == pytest.approx(400_000 / 3)  # by TPP: an H200 is exactly one H100-equivalent


def test_inference_equivalents_from_specs():
    table = figures.inference_table(CENTRAL)
    inference_units = 400_000 * (1 - 0.8)
    assert table["ascend_910c_units"].tolist() == pytest.approx([inference_units * 989.5 / 800, inference_units * 4.8 / 3.2])


def _write(tmp_path: Path, old: str, new: str) -> Path:
    text = CENTRAL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("  us_take_share:", "  us_take_shares:", "key 'us_take_shares': unknown assumption"),
        ("value: 27000", "value: cheap", "key 'price_usd_per_h200': expected a number, got 'cheap'"),
        ("value: 27000", "value: -5", "key 'price_usd_per_h200': must be more than 0"),
        ("value: 0.8\n", "value: 1.4\n", "key 'training_share': must be at most 1"),
        ('value: "2026-08"', 'value: "2026-13"', "key 'new_output_start_month': expected a month"),
        ('value: "2026-03"\n    low: "2026-03"', 'value: "2026-02"\n    low: "2026-02"', "must be 2026-03 or later"),
        ("value: 27000\n    low: 20000", "value: 27000\n    low: 28000", "expected low ≤ value ≤ high"),
        ("value: 27000\n    low: 20000", "value: 27000\n    low: .nan", "is not a finite number"),
        ("    distribution: uniform", "    distribution: normal", "distribution must be one of"),
        ("value: 0.25\n", "value: 0.25\n    low: 0.2\n", "give both 'low' and 'high'"),
        ("value: false", "value: maybe", "key 'include_deepseek': expected true or false"),
        ("    source: \"Proclamation", "    note: \"Proclamation", "key 'us_take_share': unknown field 'note'"),
    ],
)
def test_bad_scenario_names_the_file_and_key(tmp_path, old, new, message):
    path = _write(tmp_path, old, new)
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)


def test_missing_key_and_overrides(tmp_path):
    text = CENTRAL.read_text(encoding="utf-8")
    start = text.index("  horizon_months:")
    path = tmp_path / "short.yaml"
    path.write_text(text[:start], encoding="utf-8")
    with pytest.raises(InputError, match="key 'horizon_months': missing"):
        load_scenario(path)
    scenario = load_scenario(CENTRAL, price_usd_per_h200=20_000, training_share=None)
    assert scenario.value("price_usd_per_h200") == 20_000 and scenario.value("training_share") == 0.8
    table = headline(scenario)
    assert table.at["approved_value_usd", "central"] == 400_000 * 20_000
    assert scenario.overrides == (("price_usd_per_h200", 20_000),)
    # An override pins the input: the value's range now comes from the units alone.
    assert table.at["approved_value_usd", "high"] == pytest.approx(table.at["approved_units", "high"] * 20_000)
    with pytest.raises(InputError, match="key 'us_take_share': must be at most 1"):
        load_scenario(CENTRAL, us_take_share=2)


def test_delivery_by_scenario_names_each_scenario_and_its_months():
    table = delivery_by_scenario().set_index("scenario")
    assert set(table.index) == {"central", "slow-approvals", "fast-ramp"}
    assert table.at["central", "months_to_deliver_approved_month"] == "2026-08"
    assert table.at["central", "months_to_meet_orders_month"] == "2027-12"
    # Slower approvals never deliver sooner than the fast ramp, centrally.
    assert table.at["slow-approvals", "months_to_meet_orders"] >= table.at["fast-ramp", "months_to_meet_orders"]


def test_compute_balance_headline_by_hand():
    """Issue: 400,000 H200 at TPP 15,832 = 400,000 H100e; 600,000 910C at TPP 12,032 ≈ 456,000 H100e."""
    table = headline(CENTRAL)
    assert table.at["approved_h100e", "central"] == pytest.approx(400_000)
    huawei = 600_000 * 12_032 / 15_832
    assert table.at["huawei_2026_h100e", "central"] == pytest.approx(huawei)
    assert table.at["approved_vs_huawei_2026_output", "central"] == pytest.approx(400_000 / huawei)
    assert round(table.at["approved_vs_huawei_2026_output", "central"], 2) == 0.88
    assert table.at["share_of_china_compute_stock", "central"] == pytest.approx(400_000 / (0.05 * 15_000_000))
    assert table.at["domestic_quota_share_of_huawei_output", "central"] == pytest.approx(400_000 / 600_000)
    assert table.at["china_stock_with_approved_h100e", "central"] == pytest.approx(750_000 + 400_000)
    assert table.at["china_stock_with_orders_h100e", "central"] == pytest.approx(750_000 + 2_000_000)
    # The range reaches SemiAnalysis' HBM-limited 300,000 910C: the quota share then goes above 1.
    sim = uncertainty.simulate(CENTRAL, draws=2_000)
    assert (sim["domestic_quota_share_of_huawei_output"] > 1).any()


def test_compute_balance_shows_each_huawei_estimate():
    table = figures.compute_balance(CENTRAL).set_index("item")
    per_910c = 12_032 / 15_832
    huawei = table[table["group"] == "Huawei"]
    assert sorted(huawei["central"].round()) == sorted(round(v * per_910c) for v in (600_000, 300_000, 805_000, 200_000))
    assert (huawei["source"].str.len() > 0).all()

"""Figures checked against hand computations, and scenario validation."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import allocation, market, paths, supply
from analysis.claims import bound_readings
from analysis.errors import InputError
from analysis.figures import headline, orders_met_by_scenario, provenance
from analysis.scenarios import ASSUMPTIONS, load_scenario

SCENARIOS = sorted(paths.SCENARIOS.glob("*.yaml"))
CENTRAL = paths.SCENARIOS / "central.yaml"


def test_backlog_from_two_million_orders_and_700000_in_stock():
    orders = {"low": 2_000_000, "central": 2_000_000, "high": 2_000_000}
    stock = {"low": 700_000, "central": 700_000, "high": 700_000}
    assert supply.backlog_units(orders, stock)["central"] == 1_300_000


def test_value_and_us_take_of_400000_chips_at_27000():
    value = market.value_usd({"central": 400_000}, 27_000)
    assert value == {"central": 10_800_000_000}
    assert market.us_take_usd(value, 0.25) == {"central": 2_700_000_000}
    assert market.nvidia_net_usd(value, 0.25) == {"central": 8_100_000_000}


def test_headline_central_matches_hand_computation():
    table = headline(CENTRAL)
    assert table.at["approved_units", "central"] == 400_000
    assert table.at["approved_value_usd", "central"] == 400_000 * 27_000
    assert table.at["us_take_usd", "central"] == 400_000 * 27_000 * 0.25
    assert table.at["backlog_units", "central"] == 2_000_000 - 700_000
    assert table.at["approved_share_of_orders", "central"] == pytest.approx(0.2)
    assert table.at["orders_value_usd", "central"] == 54e9  # facts.md: "2,000,000 x $27,000 = $54 billion"
    # "plus de 400 000" (lower bound) and "jusqu'à 400 000" (upper bound), ±10% in the central scenario.
    assert (table.at["approved_units", "low"], table.at["approved_units", "high"]) == pytest.approx((360_000, 440_000))
    # Spec table: 989.5 / 148 BF16 dense TFLOPS.
    assert table.at["h200_h20_bf16_ratio", "central"] == pytest.approx(989.5 / 148)
    # Cap 0.5 × 200,000 = 100,000 a month; 2,000,000 orders need 20 months if supply keeps up.
    assert table.at["months_to_clear_backlog", "central"] == 20
    assert table.at["domestic_chips_required", "central"] == 400_000


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_low_central_high_are_ordered_and_finite(path):
    table = headline(path)
    assert (table["low"] <= table["central"]).all() and (table["central"] <= table["high"]).all()
    assert table[["low", "central", "high"]].map(math.isfinite).all().all()
    required = {"approved_units", "orders_units", "stock_units", "backlog_units", "approved_share_of_orders",
                "approved_value_usd", "orders_value_usd", "us_take_usd", "h200_h20_bf16_ratio",
                "months_to_clear_backlog", "domestic_chips_required"}
    assert required <= set(table.index)


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
    grid = market.sensitivity_grid([100_000, 2_500_000], [20_000, 27_000], 0.25)
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


def test_proportional_and_equal_splits():
    assert allocation.proportional({"a": 100, "b": 300}, 200) == {"a": 50, "b": 150}
    assert allocation.equal({"a": 100, "b": 300, "c": 0}, 300) == {"a": 100, "b": 100, "c": 100}


def test_allocation_per_company_from_specs():
    h200 = {"bf16_tflops": 989.5, "memory_gb": 141, "tdp_w": 700, "h100_equiv_bf16": 1.0, "h20_equiv_bf16": 989.5 / 148}
    table = allocation.allocate({"x": 100_000}, 100_000, h200, domestic_chips_per_h200=1.5, training_share=0.8)
    row = table[table["rule"] == "max_min_fair"].iloc[0]
    assert row["bf16_pflops"] == pytest.approx(98_950)  # 100,000 × 989.5 TFLOPS
    assert row["hbm_tb"] == pytest.approx(14_100)
    assert row["power_mw"] == pytest.approx(70)
    assert row["domestic_chips"] == 150_000
    assert row["inference_units"] == pytest.approx(20_000)
    ascend = allocation.inference_equivalents(20_000, {**h200, "memory_bandwidth_tbps": 4.8}, {"bf16_tflops": 800, "memory_bandwidth_tbps": 3.2})
    assert ascend["ascend_910c_units"].tolist() == pytest.approx([20_000 * 989.5 / 800, 30_000])


def test_timeline_uses_stock_first_then_new_output_under_the_cap():
    timeline = supply.delivery_timeline(
        300, 100, first_month="2026-11", output_start_month="2027-01", output_per_month=40,
        cap_share=0.5, us_shipments_per_month=120, horizon_months=12,
    )
    assert timeline["month"].tolist()[:4] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert timeline["stock_deliveries"].tolist()[:3] == [60, 40, 0]
    assert timeline["new_output_deliveries"].tolist()[:5] == [0, 0, 40, 40, 40]
    assert supply.months_to_meet(timeline) == 7  # 100 from stock, then 40 a month: 300 after seven months
    assert supply.month_orders_met(timeline) == "2027-05"


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
        ('value: "2026-07"', 'value: "2026-13"', "key 'new_output_start_month': expected a month"),
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
    assert headline(scenario).at["approved_value_usd", "central"] == 400_000 * 20_000
    with pytest.raises(InputError, match="key 'us_take_share': must be at most 1"):
        load_scenario(CENTRAL, us_take_share=2)


def test_month_orders_are_met_in_each_scenario():
    table = orders_met_by_scenario()
    central = table[(table["scenario"] == "central") & (table["reading"] == "central")].iloc[0]
    # 2,000,000 orders at the 100,000-a-month cap from February 2026: the 20th month is September 2027.
    assert (central["months"], central["month_orders_met"]) == (20, "2027-09")
    assert set(table["scenario"]) == {"low", "central", "high"} and table["months"].notna().all()

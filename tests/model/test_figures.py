"""Figures checked against hand computations: the headline table, its order on every shipped scenario,
provenance, tornado, allocation, inference and compute-balance tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import CENTRAL, SCENARIOS, simulate

from analysis.core import paths
from analysis.metadata.registry import figure_registry
from analysis.model import engine, figures, uncertainty
from analysis.model.figures import delivery_by_scenario, headline, provenance
from analysis.model.scenarios import ASSUMPTIONS, load_scenario, month_index


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


def _open_gates_scenario(tmp_path, earliest="2026-03"):
    """The central scenario with both gates open for good from ``earliest`` and no resumed output: the deterministic case."""
    document = yaml.safe_load(CENTRAL.read_text(encoding="utf-8"))
    pinned = {
        "gates_earliest_month": earliest,
        "us_licence_open_prob": 1.0,
        "beijing_import_open_prob": 1.0,
        "us_licence_close_prob": 0.0,
        "beijing_import_close_prob": 0.0,
        "china_output_resume_share": 0.0,
    }
    for key, value in pinned.items():
        entry = document["assumptions"][key]
        entry.pop("low", None), entry.pop("high", None)
        entry["value"] = value
    path = tmp_path / "open-gates.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_open_gates_reproduce_the_deterministic_deliveries_by_hand(tmp_path):
    # The January view (no per-customer ceiling reported yet), gates open from March 2026 with certainty.
    table = headline(_open_gates_scenario(tmp_path), as_of="2026-01-30")
    # Months from Jan 2026. The cap is half of the 1,000,000 H200 shipped to US customers before the rule plus
    # 25,000 a month after it: 512,500 in January, 12,500 more each month. US customers draw 25,000 a month from the
    # 700,000 in stock first. China: 60,000 in March, then the pace (100,000): Apr 160k, May 260k, Jun 360k,
    # Jul 460k (the 400k batch is delivered in full in July). In August the US has drawn 8 × 25,000 = 200,000, so
    # 500,000 are left for China: deliveries stop at 500,000 (the cap, 612,500, and approvals, 550,000+, are above).
    assert table.at["approved_delivered_month", "central"] == month_index("2026-07")
    assert table.at["first_delivery_month", "central"] == month_index("2026-03")
    assert table.at["p_delivery_by_end_2026", "central"] == 1.0
    assert table.at["delivered_by_end_2026_units", "central"] == 500_000
    # First year (Mar 2026 to Feb 2027): still the 500,000 the shared stock left.
    assert table.at["first_year_delivered_units", "central"] == 500_000
    assert table.at["first_year_value_usd", "central"] == 500_000 * 27_000
    assert table.at["first_year_value_share_of_huang_estimate", "central"] == pytest.approx(500_000 * 27_000 / 50e9)
    # Against Nvidia's latest China revenue, Q1 FY2027 (US$4.55 bn) at a yearly rate (x 4), not FY2025's US$17 bn.
    assert table.at["first_year_value_share_of_china_revenue", "central"] == pytest.approx(500_000 * 27_000 / (4 * 4.55e9))
    # 1.2M firm orders stay above the 1 million the US would license in all: never met.
    assert table.at["orders_met_month", "central"] == np.inf


def test_the_record_rules_out_a_delivery_before_its_last_zero():
    table = headline(CENTRAL)
    survival = table.attrs["survival"]
    assert not survival.empty and survival["surviving"].is_monotonic_decreasing
    assert table.attrs["surviving_share"] == survival["surviving_share"].iloc[-1]
    zeros = [o for o in engine.Tables.load().observations(month_index("2026-01")) if o.metric == "delivered_units" and o.value == 0]
    last_zero = max(o.month for o in zeros) + month_index("2026-01")
    # No surviving draw delivers in or before the month of the last observed zero.
    assert table.at["first_delivery_month", "low"] > last_zero


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_low_central_high_are_ordered_and_finite(path):
    table = headline(path)
    assert (table["low"] <= table["central"]).all() and (table["central"] <= table["high"]).all()
    # Only a calendar month may be "not within the horizon" (inf).
    months = table.index[table["unit"] == "month"]
    assert table.drop(index=months)[["low", "central", "high"]].map(math.isfinite).all().all()
    assert list(table.index) == list(figure_registry().index)
    # Chances are chances, and an expected delivery may be 0 at its low end, never below.
    for figure in ("p_delivery_by_end_2026", "p_delivery_by_end_2027"):
        assert 0 <= table.at[figure, "low"] <= table.at[figure, "high"] <= 1
    assert table.at["delivered_by_end_2026_units", "low"] >= 0


def test_tornado_moves_one_input_at_a_time():
    table = uncertainty.tornado(CENTRAL, "approved_value_usd")
    assert table["swing"].is_monotonic_decreasing
    # Value = units × price: only these two inputs move it. Price triangular(20,000, 27,000, 30,000):
    # 5th percentile 20,000 + sqrt(0.05 × 10,000 × 7,000) = 21,870.8.
    assert set(table["input"]) == {"price_usd_per_h200", "approved_units"}
    price = table.set_index("input").loc["price_usd_per_h200"]
    assert price["low"] == pytest.approx(400_000 * (20_000 + math.sqrt(0.05 * 10_000 * 7_000)))
    assert price["high"] == pytest.approx(400_000 * (30_000 - math.sqrt(0.05 * 10_000 * 3_000)))


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
    # The 910C's BF16 is its TPP / 16 = 12,032 / 16 = 752 TFLOP/s.
    assert table["ascend_910c_units"].tolist() == pytest.approx([inference_units * 989.5 / 752, inference_units * 4.8 / 3.2])


def test_delivery_by_scenario_names_each_scenario_and_its_chances():
    table = delivery_by_scenario().set_index("scenario")
    assert set(table.index) == {"central", "slow-approvals", "fast-ramp"}
    # A delivery is likelier by 2027 than by 2026, and likelier in the fast case than the slow one.
    assert (table["p_delivery_by_end_2027"] >= table["p_delivery_by_end_2026"]).all()
    assert table.at["fast-ramp", "p_delivery_by_end_2026"] > table.at["slow-approvals", "p_delivery_by_end_2026"]


def test_compute_balance_headline_by_hand():
    """Issue: 400,000 H200 at TPP 15,832 = 400,000 H100e; 600,000 910C at TPP 12,032 ≈ 456,000 H100e."""
    table = headline(CENTRAL)
    assert table.at["approved_h100e", "central"] == pytest.approx(400_000)
    huawei = 600_000 * 12_032 / 15_832
    assert table.at["huawei_2026_h100e", "central"] == pytest.approx(huawei)
    assert table.at["approved_vs_huawei_2026_output", "central"] == pytest.approx(400_000 / huawei)
    assert round(table.at["approved_vs_huawei_2026_output", "central"], 2) == 0.88
    # China's stock at the same date: the 2025 stock plus Huawei's 2026 output.
    assert table.at["share_of_china_compute_stock", "central"] == pytest.approx(400_000 / (0.05 * 15_000_000 + huawei))
    assert table.at["approved_share_of_world_compute", "central"] == pytest.approx(400_000 / 15_000_000)
    assert table.at["domestic_quota_share_of_huawei_output", "central"] == pytest.approx(400_000 / 600_000)
    assert table.at["china_stock_with_approved_h100e", "central"] == pytest.approx(750_000 + huawei + 400_000)
    assert table.at["china_stock_with_orders_h100e", "central"] == pytest.approx(750_000 + huawei + 2_000_000)
    # The range reaches SemiAnalysis' HBM-limited 300,000 910C: the quota share then goes above 1.
    sim = simulate(CENTRAL, draws=2_000)
    assert (sim["domestic_quota_share_of_huawei_output"] > 1).any()


def test_compute_balance_shows_each_huawei_estimate():
    table = figures.compute_balance(CENTRAL).set_index("item")
    per_910c = 12_032 / 15_832
    huawei = table[table["group"] == "Huawei"]
    assert sorted(huawei["central"].round()) == sorted(round(v * per_910c) for v in (600_000, 300_000, 805_000, 200_000))
    assert (huawei["source"].str.len() > 0).all()

"""H100-equivalents by TPP, the US rule's thresholds, rule facts and context figures."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from helpers import copy_raw, replace_in_file

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.evidence import compute, specs


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return specs.make_table_specs(specs.read_specs())


@pytest.fixture(scope="module")
def eligibility(table) -> pd.DataFrame:
    facts = compute.read_rule_facts()
    limits = compute.rule_thresholds(facts)
    return compute.rule_eligibility(table, *limits, foundry_rule_source=compute.foundry_source(facts)).set_index("chip")


def test_h100_equivalents_by_tpp_from_the_spec_rows(table):
    # Hand computed from the TPP column of chip_specs.csv (facts.md section 1).
    assert compute.h100_equivalents(400_000, "H200 SXM", table) == 400_000 * 15_832 / 15_832 == 400_000
    huawei = compute.h100_equivalents(600_000, "Ascend 910C", table)
    assert huawei == pytest.approx(600_000 * 12_032 / 15_832) and round(huawei) == 455_988
    assert 400_000 / huawei == pytest.approx(0.877, abs=5e-4)  # "≈ 0.88"
    assert compute.h100_equivalents(1, "Ascend 910B", table) == pytest.approx(5_120 / 15_832)
    # The per-chip column of the processed table agrees, and BF16 did not give exactly 1 for the H200.
    by_chip = table.set_index("chip")
    assert by_chip.at["H200 SXM", "h100e_tpp"] == 1.0 and by_chip.at["H200 SXM", "h100_equiv_bf16"] != 1.0
    assert by_chip.at["Ascend 910C", "h100e_tpp"] == pytest.approx(12_032 / 15_832)
    assert by_chip.at["Instinct MI325X", "memory_bandwidth_gbs"] == 6_000


def test_h100_equivalents_keep_the_shape_of_draws(table):
    draws = np.array([1.0, 2.0, 10.0])
    assert compute.h100_equivalents(draws, "B200", table) == pytest.approx(draws * 36_000 / 15_832)
    series = pd.Series([100.0, 200.0], index=["low", "high"])
    result = compute.h100_equivalents(series, "H20", table)
    assert list(result.index) == ["low", "high"] and result["high"] == pytest.approx(200 * 2_368 / 15_832)


def test_compute_balance_by_hand(table):
    # Central readings: 400,000 approved, 2 million ordered, 700,000 in stock, Bloomberg's 600,000 910C,
    # China's 2025 stock 5% of 15 million H100e, the world's 15 million, one domestic chip per H200.
    balance = compute.compute_balance(
        table,
        approved_units=400_000,
        orders_units=2_000_000,
        nvidia_stock_units=700_000,
        huawei_910c_units=600_000,
        china_compute_stock_h100e=0.05 * 15e6,
        world_compute_stock_h100e=15e6,
        domestic_chips_per_h200=1.0,
    )
    huawei = 600_000 * 12_032 / 15_832  # 455,988 H100e
    assert balance["approved_h100e"] == 400_000 and balance["orders_h100e"] == 2_000_000
    assert balance["huawei_2026_h100e"] == pytest.approx(huawei)
    # Issue 19, correction 5: China's stock at the same date, Huawei's 2026 output added to the 2025 stock:
    # 400,000 / (750,000 + 455,988) = 33.2%, not 400,000 / 750,000 = 53.3%.
    assert balance["china_stock_2026_h100e"] == pytest.approx(750_000 + huawei)
    assert balance["share_of_china_compute_stock"] == pytest.approx(400_000 / (750_000 + huawei)) == pytest.approx(0.3317, abs=1e-4)
    assert balance["approved_share_of_world_compute"] == pytest.approx(400_000 / 15e6)  # 2.7% of Epoch AI's world stock
    assert balance["approved_vs_huawei_2026_output"] == pytest.approx(400_000 / huawei) == pytest.approx(0.877, abs=5e-4)
    assert balance["domestic_quota_share_of_huawei_output"] == pytest.approx(400_000 / 600_000)
    assert balance["china_stock_with_orders_h100e"] == pytest.approx(750_000 + huawei + 2_000_000)
    assert balance["china_stock_with_approved_h100e"] == pytest.approx(750_000 + huawei + 400_000)
    # Draws keep their shape: SemiAnalysis' HBM-limited 300,000 doubles the ratio and the quota share.
    draws = compute.compute_balance(
        table,
        approved_units=np.array([400_000.0, 400_000.0]),
        orders_units=2e6,
        nvidia_stock_units=7e5,
        huawei_910c_units=np.array([600_000.0, 300_000.0]),
        china_compute_stock_h100e=750_000.0,
        world_compute_stock_h100e=np.array([15e6, 20e6]),
        domestic_chips_per_h200=1.0,
    )
    assert draws["approved_vs_huawei_2026_output"][1] == pytest.approx(2 * draws["approved_vs_huawei_2026_output"][0])
    assert draws["domestic_quota_share_of_huawei_output"].tolist() == pytest.approx([2 / 3, 4 / 3])
    assert draws["approved_share_of_world_compute"].tolist() == pytest.approx([0.4 / 15, 0.4 / 20])


def test_physical_units_by_hand(table):
    """Issue 19, new figures 1-3: FLOP/s, HBM and a training run, from the spec rows by hand."""
    # 400,000 H200 x 989.5 dense BF16 TFLOP/s = 3.958e20 FLOP/s (396 EFLOP/s).
    assert compute.bf16_flops(400_000, "H200 SXM", table) == pytest.approx(3.958e20)
    # 141 GB each: 400,000 x 141 / 1000 = 56,400 TB of HBM3e; six stacks each: 2.4 million stacks.
    assert compute.hbm_tb(400_000, "H200 SXM", table) == pytest.approx(56_400)
    assert compute.hbm_stacks(400_000, "H200 SXM", table) == 2_400_000
    # Eight stacks per Ascend 910C (SemiAnalysis: 13 million stacks for 1.6 million 910C): 300,000 910C.
    assert compute.chips_equipped_by_stacks(2_400_000, "Ascend 910C", table) == 300_000
    # 75,000 H200 x 989.5e12 x 40% x 90 days x 86,400 s = 2.308e26 FLOP.
    run = compute.training_run_flop(75_000, "H200 SXM", table, utilisation=0.4, days=90)
    assert run == pytest.approx(75_000 * 989.5e12 * 0.4 * 90 * 86_400) == pytest.approx(2.3083e26, rel=1e-4)
    with pytest.raises(InputError, match="B30A.*memory_gb"):
        compute.hbm_tb(1, "B30A", table)  # not published: refused, not read as zero


def test_unknown_chip_or_missing_reference_is_refused(table):
    with pytest.raises(KeyError, match="Ascend 950"):
        compute.h100_equivalents(1, "Ascend 950", table)
    with pytest.raises(InputError, match="H100 SXM"):
        compute.h100_equivalents(1, "H200 SXM", table[table["chip"] != "H100 SXM"])


def test_rule_eligibility_of_the_spec_table(eligibility):
    h200, b200, mi325x = (eligibility.loc[c] for c in ("H200 SXM", "B200", "Instinct MI325X"))
    assert h200["eligible"] == True and h200["us_available_2026_01_15"] == True
    assert (h200["tpp_headroom"], h200["bandwidth_headroom_gbs"]) == (21_000 - 15_832, 6_500 - 4_800)
    assert b200["eligible"] == False and "TPP 36,000 >= 21,000" in b200["reason"]
    assert b200["tpp_headroom"] == 21_000 - 36_000 and b200["bandwidth_headroom_gbs"] == 6_500 - 7_700
    # AMD's datasheet: 2,614.9 dense FP8 TFLOPS x 8 = 20,919 < 21,000, and 6,000 < 6,500 GB/s.
    assert mi325x["eligible"] == True and (mi325x["tpp_headroom"], mi325x["bandwidth_headroom_gbs"]) == (81, 500)
    for chip in ("Ascend 910B", "Ascend 910C", "MLU590"):
        assert pd.isna(eligibility.at[chip, "eligible"]) and "subject to other rules" in eligibility.at[chip, "reason"]
        assert pd.isna(eligibility.at[chip, "us_available_2026_01_15"])
    assert pd.isna(eligibility.at["MLU590", "bandwidth_headroom_gbs"])  # bandwidth not published


def test_a_china_only_part_fails_the_availability_condition_whatever_its_tpp(eligibility):
    """Issue 19, correction 2: the B30A is under the TPP ceiling (18,000, half the B300's) but was not on
    sale in the US on 15 Jan 2026, so it is not eligible; nor is the H20, Nvidia's China-market part."""
    for chip in ("B30A", "H20"):
        row = eligibility.loc[chip]
        assert row["us_available_2026_01_15"] == False and row["eligible"] == False, chip
        assert row["tpp_headroom"] > 0 and "not commercially available in the US on 15 Jan 2026" in row["reason"]
        assert "Reuters" in row["us_available_source"], chip  # each flag with the publication behind it
    assert eligibility.at["B30A", "tpp"] == 18_000 and pd.isna(eligibility.at["B30A", "memory_bandwidth_gbs"])
    assert "strtrade.com" in eligibility.at["B30A", "us_available_source"]


def test_the_foundry_condition_is_the_exporters_attestation_never_a_verdict(eligibility):
    """Issue 19, correction 2: no public data says how much foundry capacity an export's production takes
    from US customers, so every US chip carries the same recorded condition, with the rule text's source,
    and no chip passes or fails it (the old table said "fails" for the B30A and H20 and "met by units
    from existing stock" for the others, verdicts no source gives)."""
    us = eligibility[eligibility["vendor_country"] == "US"]
    expected = f"{compute.FOUNDRY_ATTESTATION} (Commerce (BIS) final rule, effective 15 Jan 2026, as summarised by Sandler, Travis & "
    expected += "Rosenberg (strtrade.com, Jan 2026) and Export Compliance Daily (14 Jan 2026))"
    assert len(us) == 7 and (us["foundry_condition"] == expected).all()
    assert compute.FOUNDRY_ATTESTATION.startswith("exporter's attestation, not computed")
    for verdict in ("fails", "met by", "meets"):
        assert not us["foundry_condition"].str.contains(verdict).any(), verdict
    assert eligibility.loc[["Ascend 910B", "Ascend 910C", "MLU590"], "foundry_condition"].isna().all()


def test_the_foundry_source_is_required(tmp_path):
    raw = copy_raw(tmp_path)
    facts = compute.read_rule_facts(raw)
    with pytest.raises(InputError, match="rule_facts.csv: fact 'foundry_capacity_condition' with a source is required"):
        compute.foundry_source(facts[facts["fact_id"] != "foundry_capacity_condition"])


def test_availability_not_sourced_leaves_a_chip_above_a_ceiling_not_eligible(eligibility):
    """The B300's availability on 15 Jan 2026 is not sourced (what was found covers GB300 systems and a
    brokerage estimate), but its TPP 36,000 >= 21,000 settles it: not eligible, and the reason says both."""
    b300 = eligibility.loc["B300"]
    assert pd.isna(b300["us_available_2026_01_15"]) and pd.isna(b300["us_available_source"])
    assert b300["eligible"] == False
    assert b300["reason"] == (
        "not eligible: US availability on 15 Jan 2026 not sourced; TPP 36,000 >= 21,000; DRAM bandwidth 8,000 >= 6,500 GB/s"
    )


def test_the_conditions_are_strict_and_missing_figures_say_so():
    chips = pd.DataFrame(
        {
            "chip": ["at TPP", "at bandwidth", "below", "no bandwidth", "China only", "unknown availability"],
            "vendor": ["X"] * 6,
            "vendor_country": ["US"] * 6,
            "tpp": [21_000.0, 100.0, 20_999.0, 100.0, 100.0, 100.0],
            "memory_bandwidth_tbps": [1.0, 6.5, 6.499, np.nan, 1.0, 1.0],
            "us_available_2026_01_15": pd.array([True, True, True, True, False, None], dtype="boolean"),
        }
    )
    result = compute.rule_eligibility(chips, 21_000, 6_500, foundry_rule_source="rule").set_index("chip")
    assert result["eligible"].tolist()[:3] == [False, False, True]
    assert (
        pd.isna(result.at["no bandwidth", "eligible"]) and "memory bandwidth not in the spec table" in result.at["no bandwidth", "reason"]
    )
    assert result.at["China only", "eligible"] == False
    assert pd.isna(result.at["unknown availability", "eligible"])
    assert result.at["unknown availability", "reason"].startswith(
        "not settled: US availability on 15 Jan 2026 not sourced; TPP 100 < 21,000"
    )
    assert result.at["below", "foundry_condition"] == f"{compute.FOUNDRY_ATTESTATION} (rule)"


def test_thresholds_come_from_the_sourced_rule_facts(tmp_path):
    assert compute.rule_thresholds(compute.read_rule_facts()) == (21_000.0, 6_500.0)
    raw = copy_raw(tmp_path)
    replace_in_file(raw / "rule_facts.csv", "it,21000,tpp,", "it,19000,tpp,")
    assert compute.rule_thresholds(compute.read_rule_facts(raw)) == (19_000.0, 6_500.0)
    replace_in_file(raw / "rule_facts.csv", "dram_bandwidth_ceiling,", "bandwidth,")
    with pytest.raises(InputError, match="dram_bandwidth_ceiling"):
        compute.rule_thresholds(compute.read_rule_facts(raw))


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31)),
        ("2026-02-24", date(2026, 2, 24), date(2026, 2, 24)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods(text, first, last):
    assert compute.parse_period(text) == (first, last)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-H3", "Q2 2026", "2026-13", "2026-02-30"])
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        compute.parse_period(text)


def test_context_figures_are_sourced_and_give_the_central_stock():
    figures = compute.make_table_context_figures(compute.read_context_figures())
    assert figures["source"].str.len().gt(0).all()
    share = compute.context_value(figures, "china_share_of_world_ai_compute")
    world = compute.context_value(figures, "world_ai_compute_h100e")
    assert share * world == pytest.approx(750_000)  # 5% of 15 million H100e
    assert compute.context_value(figures, "huawei_910c_plan_2026") == 600_000
    assert compute.context_value(figures, "huawei_ascend_output_2026_hbm_limited") == 300_000
    committed = pd.read_csv(paths.PROCESSED / "context_figures.csv")
    assert committed["figure"].tolist() == figures["figure"].tolist()


@pytest.mark.parametrize(
    "old, new, reason",
    [
        ('"Bloomberg, Sep 2025"', '" "', "row 4 (huawei_910c_plan_2026): no source"),
        (
            "huawei_910c_plan_2026,600000,",
            "huawei_910c_plan_2026,inf,",
            "row 4 (huawei_910c_plan_2026): value 'inf' is not a finite number",
        ),
        ("huawei_910c_plan_2026,600000,approx", "huawei_910c_plan_2026,600000,roughly", "bound 'roughly'"),
        ("share,2025,", "share,20.5,", "year '20.5' is not a year"),
    ],
)
def test_bad_context_figure_names_the_row(tmp_path, old, new, reason):
    raw = copy_raw(tmp_path)
    replace_in_file(raw / "context_figures.csv", old, new)
    with pytest.raises(InputError, match="context_figures.csv") as err:
        compute.read_context_figures(raw)
    assert reason in str(err.value)


def test_bad_rule_fact_names_the_row(tmp_path):
    raw = copy_raw(tmp_path)
    replace_in_file(raw / "rule_facts.csv", ",2026-Q2,", ",Q2 2026,")
    with pytest.raises(InputError, match=r"rule_facts\.csv, row 9 \(tsmc_extra_output_start\): period"):
        compute.read_rule_facts(raw)

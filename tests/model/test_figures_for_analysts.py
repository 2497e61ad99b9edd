"""Issue 19: the figures an export-control analyst reads next, each computed by hand, and the
corrections that are about the scenario files, the registry and the sentences the notebooks print."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from helpers import CENTRAL, SCENARIOS

from analysis.core import formatting, paths
from analysis.metadata.processed import read_processed
from analysis.metadata.registry import figure_registry
from analysis.model import figures
from analysis.model.scenarios import load_scenario
from analysis.present import figure_text

H200_BF16, H200_GB, H100_TPP, ASCEND_TPP = 989.5e12, 141, 15_832, 12_032


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return figures.headline(CENTRAL, draws=2_000)


def test_compute_and_hbm_in_physical_units_by_hand(table):
    central = table["central"]
    # New figure 1: 400,000 approved, 2 million ordered, 700,000 in stock, at 989.5 dense BF16 TFLOP/s each.
    assert central["approved_bf16_flops"] == pytest.approx(400_000 * H200_BF16) == pytest.approx(3.958e20)
    assert central["orders_bf16_flops"] == pytest.approx(2_000_000 * H200_BF16)
    assert central["stock_bf16_flops"] == pytest.approx(700_000 * H200_BF16)
    # New figure 2: 141 GB and six HBM3e stacks per H200; eight stacks per Ascend 910C (SemiAnalysis:
    # 13 million stacks for 1.6 million 910C): 2.4 million stacks would equip 300,000 910C, as many as
    # SemiAnalysis' HBM-limited 2026 output.
    assert central["approved_hbm_tb"] == pytest.approx(400_000 * H200_GB / 1000) == pytest.approx(56_400)
    assert central["approved_hbm_stacks"] == 400_000 * 6
    assert central["approved_hbm_as_910c_units"] == 400_000 * 6 / 8 == 300_000
    assert central["approved_hbm_vs_hbm_limited_output"] == pytest.approx(300_000 / 300_000)
    assert table.at["approved_hbm_tb", "unit"] == "TB" and table.at["approved_bf16_flops", "unit"] == "FLOP/s"


def test_what_one_customers_cap_allows_by_hand(table):
    # New figure 3: 75,000 H200 (Bloomberg, 3 Mar 2026) × 989.5e12 FLOP/s × 40% utilisation × 90 days.
    run = 75_000 * H200_BF16 * 0.4 * 90 * 86_400
    assert table.at["largest_run_per_customer_flop", "central"] == pytest.approx(run) == pytest.approx(2.308e26, rel=1e-3)
    assert table.at["largest_run_share_of_largest_published", "central"] == pytest.approx(run / 5e26)
    # The range comes from the utilisation alone (30% to 43%): its ends stay inside these bounds.
    assert 75_000 * H200_BF16 * 0.3 * 90 * 86_400 <= table.at["largest_run_per_customer_flop", "low"] < run
    assert run < table.at["largest_run_per_customer_flop", "high"] <= 75_000 * H200_BF16 * 0.43 * 90 * 86_400
    # Written as analysts write training compute.
    assert formatting.format_value(run, "FLOP") == "2.3 × 10²⁶ FLOP"


def test_cost_of_compute_to_a_buyer_against_the_domestic_chip_by_hand(table):
    # New figure 4: the H200 at US$27,000 plus half (the central pass-through) of a 25% take on 85% of
    # the price, per H100e (an H200 is one H100e by TPP); the 910C at US$28,000 for 12,032 / 15,832 H100e.
    buyer = 27_000 + 0.5 * 0.25 * 0.85 * 27_000
    domestic = 28_000 / (ASCEND_TPP / H100_TPP)
    assert table.at["buyer_cost_per_h100e_usd", "central"] == pytest.approx(buyer) == pytest.approx(29_868.75)
    assert table.at["domestic_cost_per_h100e_usd", "central"] == pytest.approx(domestic) == pytest.approx(36_843, abs=1)
    assert table.at["buyer_cost_vs_domestic", "central"] == pytest.approx(buyer / domestic)
    # Bounds: the lowest price (US$20,000) with no pass-through, the highest (US$30,000) with the whole take.
    assert 20_000 <= table.at["buyer_cost_per_h100e_usd", "low"] and table.at["buyer_cost_per_h100e_usd", "high"] <= 30_000 * 1.25


def test_smuggling_counterfactual_by_hand(table):
    # New figure 5: CNAS' median 140,000 chips smuggled in 2024, one H100e each, against 400,000 approved H100e.
    assert table.at["smuggled_2024_h100e", "central"] == 140_000
    assert table.at["smuggled_2024_share_of_approved", "central"] == pytest.approx(140_000 / 400_000)
    assert table.at["first_year_delivered_h100e", "central"] == pytest.approx(table.at["first_year_delivered_units", "central"])
    assert table.at["smuggled_2024_h100e", "low"] >= 10_000 and table.at["smuggled_2024_h100e", "high"] <= 300_000


def test_money_by_hand(table):
    # Correction 4: Nvidia receives 90% of US$10.8 bn after a 10% channel margin and pays the take out of it.
    take = 400_000 * 27_000 * 0.85 * 0.25
    assert table.at["nvidia_share_of_price_usd", "central"] == pytest.approx(10.8e9 * 0.9)
    assert table.at["nvidia_net_usd", "central"] == pytest.approx(10.8e9 * 0.9 - take) == pytest.approx(7.425e9)
    # The tariff base reaches the chips at cost (20% of the price): the take's low end is far below 25% x 85%.
    assert table.at["us_take_usd", "low"] < 400_000 * 27_000 * 0.6 * 0.25


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_per_customer_cap_has_its_own_section_in_every_scenario(path):
    text = path.read_text(encoding="utf-8")
    section = re.search(r"\n  # --- per-customer cap ---\n  per_customer_cap_units:\n((?:    .*\n)+)", text)
    assert section, path.name
    item = load_scenario(path).assumption("per_customer_cap_units")
    assert item.value == 75_000 and not item.is_uncertain
    assert "Bloomberg" in item.source and "3 Mar 2026" in item.source


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_huaweis_range_covers_every_published_estimate_with_its_basis(path):
    """Correction 6: Commerce (at most 200,000 in 2025), SemiAnalysis (300,000 if HBM-limited; 805,000 in
    2025 with die-bank dies) and Bloomberg (600,000 planned) all lie in the 2026 range, each named with its
    basis; Bloomberg's 1.6 million dies are the whole Ascend line, not 910C."""
    item = load_scenario(path).assumption("huawei_910c_units_2026")
    context = read_processed("context_figures", paths.PROCESSED).set_index("figure")
    for figure in figure_text.HUAWEI_ESTIMATES:
        assert item.low <= context.at[figure, "value"] <= item.high, (path.name, figure)
    for basis in ("Commerce", "Bloomberg", "SemiAnalysis", "HBM", "die-bank", "whole Ascend line"):
        assert basis in item.source, basis
    assert "1.6 million dies / 2" not in item.source  # the dies are not a count of 910C
    assert "whole Ascend line" in context.at["huawei_910c_plan_2026", "note"]
    sentence = figure_text.huawei_estimates_text(context.reset_index(), load_scenario(path))
    assert sentence.endswith("covers them all.") and sentence.count("Commerce") == 1


def test_assumption_driven_figures_are_what_ifs():
    """Correction 7: a figure that only restates an assumed ratio is marked a what-if, by an assumption with
    no published source; the notebooks show it apart (:func:`analysis.present.figure_text.what_if_text`)."""
    registry = figure_registry()
    marked = registry[registry["what_if"].map(len) > 0]
    assert set(marked.index) == {"take_borne_by_buyers_usd", "domestic_chips_required", "domestic_quota_share_of_huawei_output"}
    central = load_scenario(CENTRAL)
    for figure, row in marked.iterrows():
        assert row["title"].startswith("What-if") and "Assumption-driven" in row["description"], figure
        assert all(central.assumption(key).source.startswith("why:") for key in row["what_if"]), figure
    table = figures.headline(CENTRAL, draws=200)
    text = figure_text.what_if_text(table, registry)
    assert text.startswith("What-ifs, not results") and text.count("(assumed:") == 3

"""What notebooks 02–05 print besides charts (analysis.present.figure_text): the
answer sentences and the tables, in words and formatted numbers."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import CENTRAL

from analysis.core import paths
from analysis.metadata.processed import read_processed
from analysis.model import figures
from analysis.model.scenarios import load_scenario
from analysis.present import figure_text


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return figures.headline(CENTRAL, draws=2_000)


def test_identical_rules_are_said_in_words():
    rows = []
    for rule, units in (("proportional", (100.0, 300.0)), ("equal", (200.0, 200.0)), ("max_min_fair", (200.0, 200.0))):
        for company, value in zip(("A", "B"), units):
            rows.append({"rule": rule, "company": company, "h200_units": value, "h200_units_low": value, "h200_units_high": value})
    note = figure_text.identical_rules_note(pd.DataFrame(rows))
    assert note.startswith("In this scenario Equal, capped at each request and Max–min fair give the same split")
    rows[2]["h200_units"] = 150.0  # equal now differs from max-min fair: no two rules agree
    assert figure_text.identical_rules_note(pd.DataFrame(rows)) == ""


def test_identical_splits_are_said_once():
    rows = [
        {"rule": rule, "company": company, "requested_units": 200.0, "h200_units": 100.0, "h200_units_low": 90.0, "h200_units_high": 110.0}
        for rule in ("proportional", "equal", "max_min_fair")
        for company in ("A", "B")
    ]
    same = pd.DataFrame(rows)
    assert figure_text.distinct_allocation_rules(same) == ["proportional"]
    assert figure_text.allocation_shown(same)["rule"].unique().tolist() == ["proportional"] and len(figure_text.allocation_shown(same)) == 2
    note = figure_text.allocation_note(same)
    assert note.startswith("All 3 splitting rules") and "because the requests are equal (200 chips each)" in note
    assert note.endswith("so one table below stands for all of them.")
    same.loc[(same["rule"] == "max_min_fair") & (same["company"] == "A"), "h200_units"] = 150.0
    assert figure_text.distinct_allocation_rules(same) == ["proportional", "max_min_fair"]
    assert "so one table below stands for them" in figure_text.allocation_note(same)
    same.loc[(same["rule"] == "equal") & (same["company"] == "A"), "h200_units"] = 120.0
    assert figure_text.allocation_note(same) == ""


def test_sentences_state_the_corrected_readings_with_their_periods_and_sources(table):
    scenario = load_scenario(CENTRAL)
    context = read_processed("context_figures", paths.PROCESSED)
    comparator = figure_text.comparator_text(table, context, scenario)
    for said in ("Q1 FY2027 (February to April 2026)", "Q2 FY2027 (May to July 2026)", "assumes US\\$0", "US\\$18.2 bn at a yearly rate"):
        assert said in comparator, said
    money = figure_text.money_text(table, scenario)
    assert "not published" in money and "from 20% of the buyers' price (the chips declared at cost) to 100%" in money
    eligibility = figure_text.eligibility_conditions_text(figures.rule_eligibility(), read_processed("rule_facts", paths.PROCESSED))
    assert "commercially available in the US on 15 January 2026" in eligibility and "the B30A (TPP 18,000)" in eligibility
    assert "strtrade.com" in eligibility and "foundry capacity" in eligibility
    denominators = figure_text.denominator_text(table)
    assert "33%" in denominators and "Huawei's 2026 output" in denominators and "world's installed AI compute" in denominators
    analyst = figure_text.analyst_figures_text(table, scenario)
    assert "396 EFLOP/s" in analyst and "2.3 × 10²⁶ FLOP" in analyst and "75,000 chips" in analyst


def test_the_eligibility_table_tells_an_unsourced_availability_from_another_rule():
    """The B300's availability on 15 Jan 2026 is not sourced: the reader sees "not sourced", not the
    dash the Huawei and Cambricon rows carry (the US rule does not cover them), and "no" from its TPP."""
    shown = figure_text.eligibility_display(figures.rule_eligibility()).data.set_index("Chip")
    assert shown.at["B300", "On sale in the US on 15 Jan 2026"] == "not sourced" and shown.at["B300", "Allowed case by case"] == "no"
    assert (
        shown.at["Ascend 910C", "On sale in the US on 15 Jan 2026"] == "—"
        and shown.at["Ascend 910C", "Allowed case by case"] == "other rules"
    )
    assert shown.at["B30A", "On sale in the US on 15 Jan 2026"] == "no" and shown.at["H200 SXM", "Allowed case by case"] == "yes"
    eligibility = figure_text.eligibility_conditions_text(figures.rule_eligibility(), read_processed("rule_facts", paths.PROCESSED))
    assert "which the exporter attests and public data cannot check per chip" in eligibility and "stock meets" not in eligibility


# --- new tests: hand-made tables, every value worked out from the formatting rules -------------------

INF = float("inf")


def _headline(rows: dict[str, tuple[float, float, float, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"low": lo, "central": c, "high": hi, "unit": unit} for lo, c, hi, unit in rows.values()], index=list(rows))


def test_range_text_is_markdown_with_the_dollar_escaped():
    table = _headline(
        {
            "value": (9.72e9, 10.8e9, 11.88e9, "USD"),
            "units": (400_000.0, 400_000.0, 400_000.0, "chips"),
            "met": (13.0, INF, INF, "months"),
        }
    )
    assert figure_text.range_markdown(table, "value") == r"US\$10.8 bn (90% range US\$9.7–11.9 bn)"
    assert figure_text.range_markdown(table, "units") == "400k chips"  # a certain figure: its value alone
    assert figure_text.range_markdown(table, "met") == "not within the horizon (90% range from 13 months)"


def test_days_and_lists_in_words():
    assert figure_text.describe_day("2026-01-15") == "15 January 2026"
    assert figure_text.describe_day("2026-03-01") == "1 March 2026"
    assert [figure_text._and(items) for items in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == ["", "a", "a and b", "a, b and c"]


def _survival() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "observation": ["No delivery by 30 January 2026", "Licences open by 1 March 2026"],
            "date": ["2026-01-30", "2026-03-01"],
            "surviving": [6_000, 2_500],
            "surviving_share": [0.6, 0.25],
        }
    )


def test_as_of_line_says_how_the_record_conditions_the_figures():
    table = pd.DataFrame(index=["x"])
    table.attrs = {"as_of": "2026-03-01", "survival": None, "draws": 10_000}
    assert figure_text.as_of_line(table) == (
        "**As of 1 March 2026.** No delivery or gate status had been observed by then, so every simulated draw is kept."
    )
    table.attrs["survival"] = _survival()
    assert figure_text.as_of_line(table) == (
        "**As of 1 March 2026.** 2 dated observations (deliveries and the two gates' status) condition the figures: "
        "2,500 of 10,000 simulated draws (25%) agree with all of them."
    )
    table.attrs["contradicted"] = True
    assert figure_text.as_of_line(table).endswith(
        " **This scenario is contradicted by the record**: fewer than 1% of its draws agree with what was observed, "
        "so no figure is printed from it."
    )
    # Notebook 03's answer is then that line alone.
    assert figure_text.gates_answer(table) == figure_text.as_of_line(table)


def test_survival_table_in_words():
    shown = figure_text.survival_table(_survival()).data
    assert shown.to_dict("records") == [
        {
            "Observation": "No delivery by 30 January 2026",
            "Date": "30 January 2026",
            "Draws that agree with it and every earlier one": "6,000",
            "Share": "60%",
        },
        {
            "Observation": "Licences open by 1 March 2026",
            "Date": "1 March 2026",
            "Draws that agree with it and every earlier one": "2,500",
            "Share": "25%",
        },
    ]


def _limits() -> pd.DataFrame:
    limits = pd.DataFrame(
        {
            "rule_while_open": [0.6, 0.3, 0.1, 0.0],
            "rule_end_2027": [0.5, 0.4, 0.1, 0.0],
            "since_rule_while_open": [0.2, 0.5, 0.3, 0.0],
            "since_rule_end_2027": [0.25, 0.5, 0.25, 0.0],
        },
        index=["us_cap", "supply", "pace", "gates"],
    )
    limits.attrs["delivered_by_end_2027"] = {"rule": (100_000, 200_000, 300_000), "since_rule": (200_000, 400_000, 600_000)}
    return limits


def test_binding_limits_table_leaves_out_the_limits_that_never_bind():
    shown = figure_text.binding_limits_table(_limits()).data
    assert list(shown["Limit"]) == ["the US 50% cap", "the stock left after US customers", "the testing pace"]  # not the gates
    assert list(shown["Rule's reading: share of months with both gates open (to December 2027)"]) == ["60%", "30%", "10%"]
    assert list(shown["Shipments since the rule only: total at the end of 2027"]) == ["25%", "50%", "25%"]


def test_binding_text_names_the_limits_under_both_readings():
    assert figure_text.binding_text(_limits()) == (
        "- **Under the rule's reading** (the cap's base is every H200 shipped to US customers since launch, stated at "
        "application), the 50% cap holds the deliveries in 60% of the simulated months in which both gates are open. "
        "What holds them most often is the US 50% cap (60%), then the stock left after US customers (30%). "
        "Deliveries expected by the end of 2027: 200k chips (90% range 100–300k chips).\n"
        "- **Under the older reading** (only shipments to US customers since the rule count), the cap holds them in 20% "
        "of those months, and deliveries by the end of 2027 fall to 400k chips (90% range 200–600k chips).\n"
        "- Never binding in any surviving draw: the gates, not both open.\n"
    )


def test_delivery_scenarios_table_in_words():
    table = pd.DataFrame(
        {
            "scenario": ["slow-approvals"],
            "p_delivery_by_end_2026": [0.3],
            "p_delivery_by_end_2026_low": [0.1],
            "p_delivery_by_end_2026_high": [0.5],
            "delivered_by_end_2026_units": [100_000.0],
            "delivered_by_end_2026_units_low": [50_000.0],
            "delivered_by_end_2026_units_high": [200_000.0],
            "p_delivery_by_end_2027": [0.6],
            "p_delivery_by_end_2027_low": [0.4],
            "p_delivery_by_end_2027_high": [0.8],
            "delivered_by_end_2027_units": [400_000.0],
            "delivered_by_end_2027_units_low": [360_000.0],
            "delivered_by_end_2027_units_high": [440_000.0],
            "first_delivery_month": ["2026-09"],
            "first_delivery_month_low": ["2026-06"],
            "first_delivery_month_high": ["2027-03"],
            "binding_limit": ["us_cap"],
            "binding_share": [0.4],
        }
    )
    assert figure_text.delivery_scenarios_table(table).data.to_dict("records") == [
        {
            "Scenario": "Slow approvals",
            "Chance of a delivery by end 2026 (90% range)": "30% (90% range 10–50%)",
            "Delivered by end 2026 (90% range)": "100k chips (90% range 50–200k chips)",
            "Chance of a delivery by end 2027 (90% range)": "60% (90% range 40–80%)",
            "Delivered by end 2027 (90% range)": "400k chips (90% range 360–440k chips)",
            "First delivery (where there is one) (90% range)": "September 2026 (90% range June 2026 to March 2027)",
            "What holds deliveries most often while the gates are open": "the US 50% cap (40% of those months)",
        }
    ]


def test_news_changes_and_forecast_scores_tables_in_words():
    changes = pd.DataFrame(
        {
            "as_of": ["2026-02-10"],
            "articles": ["Reuters, 10 February 2026"],
            "title": ["Approved batch"],
            "before": [400_000.0],
            "after": [500_000.0],
            "unit": ["chips"],
        }
    )
    assert figure_text.news_changes_table(changes).data.to_dict("records") == [
        {
            "As of": "10 February 2026",
            "New articles": "Reuters, 10 February 2026",
            "Figure": "Approved batch",
            "Before": "400k chips",
            "After": "500k chips",
        }
    ]
    scores = pd.DataFrame(
        {
            "observation": ["No delivery by 1 June 2026"],
            "date": ["2026-06-01"],
            "observed": [0.0],
            "percentile": [0.35],
            "p_any_delivery": [0.3],
            "brier": [0.0912],
            "score": [12_345.0],
        }
    )
    assert figure_text.forecast_scores_table(scores).data.to_dict("records") == [
        {
            "Observation": "No delivery by 1 June 2026",
            "Date": "1 June 2026",
            "Observed": "0 chips",
            "Percentile in the January forecast": "35%",
            "January chance of any delivery by then": "30%",
            "Brier score (0 best, 1 worst)": "0.09",
            "CRPS of the deliveries (0 best)": "12.3k chips",
        }
    ]
    assert figure_text.forecast_summary(scores) == (
        "By 1 June 2026, 0 chips had been delivered; the January view gave a 30% chance of some delivery by then "
        "(Brier score 0.09), and the observation sits at its 35% percentile."
    )
    assert figure_text.forecast_summary(scores.iloc[:0]) == (
        "No delivery was observed after the January view, so there is nothing to score yet."
    )


def test_scenario_markdown_escapes_the_scenario_and_lists_the_overrides():
    from dataclasses import replace

    scenario = replace(load_scenario(CENTRAL, price_usd_per_h200=25_000), name="slow-approvals", description="Plain words, US$5 <b>.")
    assert figure_text.scenario_markdown(scenario) == (
        r"Scenario **Slow approvals**: Plain words, US\$5 &lt;b&gt;. **Overridden by notebook parameters:** "
        r"Price Chinese buyers pay per H200 = US\$25,000. Every figure is shown as its central value with its 90% range "
        "(5th to 95th percentile of 10,000 simulated draws)."
    )


def test_timeline_table_shows_the_first_months_only():
    months = [f"2026-{m:02d}" for m in range(1, 13)] + [f"2027-{m:02d}" for m in range(1, 9)]
    timeline = pd.DataFrame({"month": months})
    for column in ("delivered", "cap_cumulative", "supply_cumulative", "approved_cumulative", "firm_orders"):
        timeline[column] = 1_000.0
    timeline["delivered_cumulative"] = [1_000.0 * (i + 1) for i in range(len(months))]
    timeline["delivered_cumulative_low"] = timeline["delivered_cumulative"] / 2
    timeline["delivered_cumulative_high"] = timeline["delivered_cumulative"] * 2
    shown = figure_text.timeline_table(timeline).data
    assert len(timeline) == 20 and list(shown["Month"]) == months[:18]
    assert shown.iloc[1].to_dict() == {
        "Month": "2026-02",
        "Delivered in the month": "1k chips",
        "Delivered so far": "2k chips",
        "Delivered so far, 90% range": "1–4k chips",
        "US cap so far": "1k chips",
        "Stock left for China after US customers": "1k chips",
        "Approved so far": "1k chips",
        "Firm orders": "1k chips",
    }
    assert len(figure_text.timeline_table(timeline, months=3).data) == 3


def test_inference_display_in_words():
    table = pd.DataFrame({"measure": ["bf16 dense"], "h200_units": [250_000.0], "ratio": [1.5], "ascend_910c_units": [375_000.0]})
    assert figure_text.inference_display(table).data.to_dict("records") == [
        {
            "Matched by": "BF16 dense",
            "H200 for inference": "250k chips",
            "One H200 is": "1.5× an Ascend 910C",
            "Ascend 910C needed": "375k chips",
        }
    ]


def test_eligibility_display_tells_each_kind_of_gap():
    nan = float("nan")
    table = pd.DataFrame(
        {
            "chip": ["H200 SXM", "B300", "Ascend 910C"],
            "vendor": ["Nvidia", "Nvidia", "Huawei"],
            "vendor_country": ["US", "US", "CN"],
            "tpp": [15_832.3, 60_000.0, nan],
            "memory_bandwidth_gbs": [4_800.0, 8_000.0, 3_200.0],
            "us_available_2026_01_15": [True, nan, nan],
            "eligible": [True, False, nan],
            "tpp_headroom": [5_167.7, nan, nan],
            "bandwidth_headroom_gbs": [1_700.0, nan, nan],
            "reason": ["below both ceilings", "above the TPP ceiling", "not a US chip"],
        }
    )
    shown = figure_text.eligibility_display(table).data.set_index("Chip")
    assert shown.loc["H200 SXM"].to_dict() == {
        "Vendor": "Nvidia",
        "TPP": "15,832",
        "Memory bandwidth": "4,800 GB/s",
        "On sale in the US on 15 Jan 2026": "yes",
        "Allowed case by case": "yes",
        "TPP below the ceiling by": "5,168",
        "Bandwidth below the ceiling by": "1,700 GB/s",
        "Why": "below both ceilings",
    }
    assert shown.at["B300", "On sale in the US on 15 Jan 2026"] == "not sourced" and shown.at["B300", "Allowed case by case"] == "no"
    assert shown.loc["Ascend 910C", ["TPP", "On sale in the US on 15 Jan 2026", "Allowed case by case"]].tolist() == [
        "—",
        "—",
        "other rules",
    ]


def _huawei_context(commerce_value: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure": list(figure_text.HUAWEI_ESTIMATES),
            "source": ["Commerce, testimony", "SemiAnalysis, HBM note", "Bloomberg, plan", "SemiAnalysis, die bank"],
            "bound": ["at_most", "approx", "exact", "at_least"],
            "value": [commerce_value, 300_000.0, 600_000.0, 805_000.0],
            "year": [2025.0, 2026.0, 2026.0, 2025.0],
            "note": ["its estimate", "if HBM-limited", "the plan", "with die-bank dies"],
        }
    )


def test_huawei_estimates_text_says_which_estimates_the_range_leaves_out():
    from types import SimpleNamespace

    from analysis.model.scenarios import Assumption

    item = Assumption("huawei_910c_units_2026", 600_000, "chips", "why", low=200_000, high=805_000)
    scenario = SimpleNamespace(assumption=lambda key: item)
    estimates = (
        "Commerce, at most 200k chips in 2025: its estimate; SemiAnalysis, about 300k chips in 2026: if HBM-limited; "
        "Bloomberg, 600k chips in 2026: the plan; SemiAnalysis, more than 805k chips in 2025: with die-bank dies"
    )
    assert figure_text.huawei_estimates_text(_huawei_context(200_000.0), scenario) == (
        f"Published estimates of Huawei's Ascend output disagree, each on its own basis: {estimates}. "
        "The model's 2026 range, 600k chips (range 200–805k chips), covers them all."
    )
    assert figure_text.huawei_estimates_text(_huawei_context(150_000.0), scenario).endswith(
        "The model's 2026 range, 600k chips (range 200–805k chips), leaves out Commerce."
    )


def test_what_if_text_names_each_assumption():
    registry = pd.DataFrame(
        {"title": ["What-if: part of the take paid by buyers", "Approved batch"], "what_if": [("take_pass_through_share",), ()]},
        index=["borne", "approved_units"],
    )
    table = _headline({"borne": (0.0, 0.5e9, 1.2e9, "USD"), "approved_units": (400_000.0, 400_000.0, 400_000.0, "chips")})
    assert figure_text.what_if_text(table, registry) == (
        "What-ifs, not results (each restates an assumption no source gives): part of the take paid by buyers "
        r"US\$500 m (90% range US\$0–1.2 bn) (assumed: Part of the take passed on to buyers)."
    )


def test_delivered_in_full_says_why_when_the_central_case_never_gets_there():
    table = _headline(
        {
            "never": (INF, INF, INF, "month"),
            "late": ("2027-03", INF, INF, "month"),
            "met": ("2026-08", "2026-08", "2026-08", "month"),
        }
    )
    assert figure_text._delivered_in_full(table, "never") == (
        "is not delivered in full within the horizon in any surviving draw (the limits that stop it are in the chart below)"
    )
    assert figure_text._delivered_in_full(table, "late") == (
        "is not delivered in full within the horizon in the central case (in the earliest draws, by March 2027)"
    )
    assert figure_text._delivered_in_full(table, "met") == "is delivered in full by August 2026"


def test_allocation_display_in_words():
    table = pd.DataFrame(
        {
            "rule": ["equal"],
            "company": ["ByteDance"],
            "requested_units": [200_000.0],
            "h200_units": [100_000.0],
            "h200_units_low": [90_000.0],
            "h200_units_high": [110_000.0],
            "domestic_chips": [0.0],
            "facility_power_mw": [250.0],
            "h100_equiv": [100_000.0],
            "hbm_tb": [56_400.0],
        }
    )
    assert figure_text.allocation_display(table).data.to_dict("records") == [
        {
            "Rule": "Equal, capped at each request",
            "Group": "ByteDance",
            "Requested": "200k chips",
            "H200 (90% range)": "100k chips (90% range 90–110k chips)",
            "Domestic chips required": "0 chips",
            "Facility power": "250 MW",
            "H100-equivalents (by TPP)": "100k H100e",
            "HBM memory": "56.4 PB",
        }
    ]

"""What notebooks 02–05 print besides charts: the answer sentences
(:func:`range_text`, :func:`scenario_markdown`) and the tables of deliveries,
allocation, inference and the rule's thresholds, in words and formatted numbers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis import display, formatting
from analysis.display import _styled, word
from analysis.text import md_escape


def range_text(table: pd.DataFrame, figure: str) -> str:
    """A headline figure as Markdown prose: 'US\\$10.8 bn (90% range US\\$8.7–11.7 bn)'
    (the dollar sign escaped: a pair would read as LaTeX math); a figure
    without uncertainty is its value alone."""

    row = table.loc[figure]
    if row["central"] == float("inf"):
        text = f"not within the horizon (90% range from {display.value_text(row['low'], row['unit'])})"
    else:
        text = display.range_text(row["low"], row["central"], row["high"], row["unit"])
    return text.replace("$", r"\$")


def scenario_markdown(scenario: Any) -> str:
    """The line under each notebook's title: the scenario, what it assumes, and
    every override a notebook parameter applied."""
    text = f"Scenario **{md_escape(display.scenario_title(scenario.name))}**: {md_escape(scenario.description)}"
    if scenario.overrides:
        text += (
            " **Overridden by notebook parameters:** "
            + "; ".join(
                f"{md_escape(display.input_label(key))} = {md_escape(display._assumption_text(scenario.assumption(key)))}"
                for key, _ in scenario.overrides
            )
            + "."
        )
    from analysis.uncertainty import DRAWS

    text += f" Every figure is shown as its central value with its 90% range (5th to 95th percentile of {DRAWS:,} simulated draws)."
    return text.replace("$", r"\$")


def delivery_scenarios_table(table: pd.DataFrame) -> Any:
    """:func:`analysis.figures.delivery_by_scenario` for a reader."""
    frame = pd.DataFrame({"Scenario": table["scenario"].map(display.scenario_title)})
    for figure, title in (("months_to_deliver_approved", "Approved batch delivered"), ("months_to_meet_orders", "Firm orders met")):
        frame[f"{title}: months (90% range)"] = [
            display.range_text(lo, c, hi, "months") for lo, c, hi in zip(table[f"{figure}_low"], table[figure], table[f"{figure}_high"])
        ]
        frame[f"{title}: month, central"] = table[f"{figure}_month"].fillna("beyond the horizon")
    return _styled(frame, "delivery-scenarios")


def timeline_table(timeline: pd.DataFrame, months: int = 18) -> Any:
    """The first ``months`` of the delivery model, thousands of H200."""
    rows = timeline.head(months)
    k = lambda s: [formatting.format_value(v, "chips") for v in s]
    frame = pd.DataFrame(
        {
            "Month": rows["month"],
            "Delivered in the month": k(rows["delivered"]),
            "Delivered so far": k(rows["delivered_cumulative"]),
            "Delivered so far, 90% range": [
                display.range_only(lo, c, hi, "chips")
                for lo, c, hi in zip(rows["delivered_cumulative_low"], rows["delivered_cumulative"], rows["delivered_cumulative_high"])
            ],
            "US cap so far": k(rows["cap_cumulative"]),
            "Approved so far": k(rows["approved_cumulative"]),
            "Firm orders": k(rows["firm_orders"]),
        }
    )
    return _styled(frame, "timeline")


def allocation_display(table: pd.DataFrame) -> Any:
    """:func:`analysis.figures.allocation_table` for a reader."""
    frame = pd.DataFrame(
        {
            "Rule": table["rule"].map(lambda v: word("rule", v)),
            "Group": table["company"],
            "Requested": [formatting.format_value(v, "chips") for v in table["requested_units"]],
            "H200 (90% range)": [
                formatting.format_range(lo, c, hi, "chips", label="90% range")
                for lo, c, hi in zip(table["h200_units_low"], table["h200_units"], table["h200_units_high"])
            ],
            "Domestic chips required": [formatting.format_value(v, "chips") for v in table["domestic_chips"]],
            "Facility power": [formatting.format_value(v, "MW") for v in table["facility_power_mw"]],
            "H100-equivalents (by TPP)": [formatting.format_value(v, "H100e") for v in table["h100_equiv"]],
            "HBM memory": [formatting.format_value(v, "TB") for v in table["hbm_tb"]],
        }
    )
    return _styled(frame, "allocation")


def inference_display(table: pd.DataFrame) -> Any:
    """:func:`analysis.figures.inference_table` for a reader."""
    frame = pd.DataFrame(
        {
            "Matched by": table["measure"].str.replace("bf16", "BF16"),
            "H200 for inference": [formatting.format_value(v, "chips") for v in table["h200_units"]],
            "One H200 is": [formatting.format_value(v, "times") + " an Ascend 910C" for v in table["ratio"]],
            "Ascend 910C needed": [formatting.format_value(v, "chips") for v in table["ascend_910c_units"]],
        }
    )
    return _styled(frame, "inference")


def eligibility_display(table: pd.DataFrame) -> Any:
    """``rule_eligibility.csv`` for a reader: each chip, its TPP and memory
    bandwidth, whether the January 2026 rule allows it case by case, and how far
    below each ceiling it is."""

    def headroom(value: float, unit: str) -> str:
        return "—" if pd.isna(value) else formatting.format_value(value, unit)

    frame = pd.DataFrame(
        {
            "Chip": table["chip"],
            "Vendor": table["vendor"],
            "TPP": ["—" if pd.isna(v) else f"{v:,.0f}" for v in table["tpp"]],
            "Memory bandwidth": ["—" if pd.isna(v) else f"{v:,.0f} GB/s" for v in table["memory_bandwidth_gbs"]],
            "Allowed case by case": ["other rules" if pd.isna(v) else ("yes" if v else "no") for v in table["eligible"]],
            "TPP below the ceiling by": ["—" if pd.isna(v) else f"{v:,.0f}" for v in table["tpp_headroom"]],
            "Bandwidth below the ceiling by": ["—" if pd.isna(v) else f"{v:,.0f} GB/s" for v in table["bandwidth_headroom_gbs"]],
            "Why": table["reason"],
        }
    )
    return _styled(frame, "eligibility")


def identical_rules_note(table: pd.DataFrame) -> str:
    """A sentence naming the splitting rules that give the same split (central
    and range) in this scenario, so a reader knows why panels look alike; ''
    when every rule differs."""
    keys = ["h200_units", "h200_units_low", "h200_units_high"]
    groups: dict[tuple, list[str]] = {}
    for rule, rows in table.groupby("rule", sort=False):
        signature = tuple(rows.sort_values("company")[keys].round(0).to_numpy().ravel())
        groups.setdefault(signature, []).append(md_escape(word("rule", rule)))  # notebook 04 puts the sentence in Markdown
    same = [names for names in groups.values() if len(names) > 1]
    if not same:
        return ""
    sentences = []
    for names in same:
        listed = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 2 else " and ".join(names)
        sentences.append(f"{listed} give the same split")
    return "In this scenario " + "; ".join(sentences) + " (central value and 90% range), so their panels below are identical."

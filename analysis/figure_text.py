"""What notebooks 02–05 print besides charts: the answer sentences
(:func:`range_text`, :func:`scenario_markdown`) and the tables of deliveries,
allocation, inference and the rule's thresholds, in words and formatted numbers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis import display, formatting
from analysis.display import _styled, word


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
    from analysis.text import md_escape

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
    """:func:`analysis.figures.delivery_by_scenario` for a reader: each
    scenario's chance of a delivery, the deliveries expected by the end of
    2026 and 2027, and the month of the first delivery, with 90% ranges."""
    frame = pd.DataFrame({"Scenario": table["scenario"].map(display.scenario_title)})
    for figure, title, unit in (
        ("p_delivery_by_end_2026", "Chance of a delivery by end 2026", "fraction"),
        ("delivered_by_end_2026_units", "Delivered by end 2026", "chips"),
        ("p_delivery_by_end_2027", "Chance of a delivery by end 2027", "fraction"),
        ("delivered_by_end_2027_units", "Delivered by end 2027", "chips"),
        ("first_delivery_month", "First delivery (where there is one)", "month"),
    ):
        frame[f"{title} (90% range)"] = [
            display.range_text(lo, c, hi, unit) for lo, c, hi in zip(table[f"{figure}_low"], table[figure], table[f"{figure}_high"])
        ]
    return _styled(frame, "delivery-scenarios")


def as_of_line(table: pd.DataFrame) -> str:
    """The date a page's figures are taken at, and how the record conditioned them, as Markdown."""
    attrs = table.attrs
    text = f"**As of {formatting.format_value(attrs['as_of'], 'date')}.** "
    survival = attrs.get("survival")
    if survival is None or survival.empty:
        text += "No delivery or gate status had been observed by then, so every simulated draw is kept."
    else:
        last = survival.iloc[-1]
        text += (
            f"{len(survival)} dated observations (deliveries and the two gates' status) condition the figures: "
            f"{int(last['surviving']):,} of {int(attrs['draws']):,} simulated draws ({formatting.format_value(last['surviving_share'], 'fraction')}) "
            "agree with all of them."
        )
    if attrs.get("contradicted"):
        text += " **This scenario is contradicted by the record**: fewer than 1% of its draws agree with what was observed, so no figure is printed from it."
    return text


def survival_table(survival: pd.DataFrame) -> Any:
    """How many draws survive each observation in turn, for a reader."""
    frame = pd.DataFrame(
        {
            "Observation": survival["observation"],
            "Date": [formatting.format_value(d, "date") for d in survival["date"]],
            "Draws that agree with it and every earlier one": [f"{n:,}" for n in survival["surviving"]],
            "Share": [formatting.format_value(v, "fraction") for v in survival["surviving_share"]],
        }
    )
    return _styled(frame, "survival")


def gates_answer(table: pd.DataFrame) -> str:
    """Notebook 03's answer under the two gates, as Markdown bullets."""
    if table.attrs.get("contradicted"):
        return as_of_line(table)
    first = table.loc["first_delivery_month"]
    first_text = (
        "no draw delivers within the horizon"
        if first["central"] == float("inf")
        else f"the first delivery comes in **{range_text(table, 'first_delivery_month')}** among the draws that deliver"
    )
    return (
        f"- The chance that any H200 reaches mainland China by the end of 2026 is **{range_text(table, 'p_delivery_by_end_2026')}**; "
        f"by the end of 2027, **{range_text(table, 'p_delivery_by_end_2027')}**.\n"
        f"- Expected deliveries: {range_text(table, 'delivered_by_end_2026_units')} by the end of 2026 and "
        f"{range_text(table, 'delivered_by_end_2027_units')} by the end of 2027 (the range starts at 0 where most draws deliver nothing).\n"
        f"- {first_text[0].upper() + first_text[1:]}.\n"
        f"- The approved batch ({range_text(table, 'approved_units')}) is delivered in full by {range_text(table, 'approved_delivered_month')}; "
        f"the firm orders ({range_text(table, 'firm_orders_units')} of {range_text(table, 'orders_units')} reported) "
        f"by {range_text(table, 'orders_met_month')}.\n"
        f"- Reported orders exceed Nvidia's stock ({range_text(table, 'stock_units')}) by {range_text(table, 'backlog_units')}; "
        f"the approved batch is {range_text(table, 'approved_share_of_orders')} of the orders and "
        f"{range_text(table, 'approved_share_of_stock')} of the stock."
    )


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
        groups.setdefault(signature, []).append(word("rule", rule))
    same = [names for names in groups.values() if len(names) > 1]
    if not same:
        return ""
    sentences = []
    for names in same:
        listed = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 2 else " and ".join(names)
        sentences.append(f"{listed} give the same split")
    return "In this scenario " + "; ".join(sentences) + " (central value and 90% range), so their panels below are identical."


def news_changes_table(changes: pd.DataFrame) -> Any:
    """:func:`analysis.figures.what_the_news_changed` for a reader: by date of
    arrival, the articles and each figure they moved, before → after."""
    frame = pd.DataFrame(
        {
            "As of": [formatting.format_value(d, "date") for d in changes["as_of"]],
            "New articles": changes["articles"],
            "Figure": changes["title"],
            "Before": [display.value_text(v, u) for v, u in zip(changes["before"], changes["unit"])],
            "After": [display.value_text(v, u) for v, u in zip(changes["after"], changes["unit"])],
        }
    )
    return _styled(frame, "news-changes")


def forecast_scores_table(scores: pd.DataFrame) -> Any:
    """:func:`analysis.figures.forecast_scores` for a reader."""
    frame = pd.DataFrame(
        {
            "Observation": scores["observation"],
            "Date": [formatting.format_value(d, "date") for d in scores["date"]],
            "Observed": [formatting.format_value(v, "chips") for v in scores["observed"]],
            "Percentile in the January forecast": [formatting.format_value(v, "fraction") for v in scores["percentile"]],
            "January chance of any delivery by then": [formatting.format_value(v, "fraction") for v in scores["p_any_delivery"]],
            "Brier score (0 best, 1 worst)": [f"{v:.2f}" for v in scores["brier"]],
            "CRPS of the deliveries (0 best)": [formatting.format_value(v, "chips") for v in scores["score"]],
        }
    )
    return _styled(frame, "forecast-scores")


def forecast_summary(scores: pd.DataFrame) -> str:
    """One sentence on how the January view fared against the record, as Markdown."""
    if scores.empty:
        return "No delivery was observed after the January view, so there is nothing to score yet."
    last = scores.iloc[-1]
    return (
        f"By {formatting.format_value(last['date'], 'date')}, {formatting.format_value(last['observed'], 'chips')} had been delivered; "
        f"the January view gave a {formatting.format_value(last['p_any_delivery'], 'fraction')} chance of some delivery by then "
        f"(Brier score {last['brier']:.2f}), and the observation sits at its {formatting.format_value(last['percentile'], 'fraction')} percentile."
    )

"""What notebooks 02–05 print besides charts: the answer sentences
(:func:`range_markdown`, :func:`scenario_markdown`) and the tables of deliveries,
allocation, inference and the rule's thresholds, in words and formatted numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from analysis.core import formatting
from analysis.model import market
from analysis.present import display
from analysis.present.display import _styled, word
from analysis.present.text import md_escape

__all__ = [
    "HUAWEI_ESTIMATES",
    "allocation_display",
    "allocation_note",
    "allocation_shown",
    "analyst_figures_text",
    "as_of_line",
    "binding_limits_table",
    "binding_text",
    "comparator_text",
    "compute_units_text",
    "cost_of_compute_text",
    "delivery_scenarios_table",
    "denominator_text",
    "describe_day",
    "distinct_allocation_rules",
    "eligibility_conditions_text",
    "eligibility_display",
    "forecast_scores_table",
    "forecast_summary",
    "gates_answer",
    "hbm_text",
    "huawei_estimates_text",
    "identical_rules_note",
    "inference_display",
    "money_text",
    "news_changes_table",
    "per_customer_run_text",
    "range_markdown",
    "scenario_markdown",
    "smuggling_text",
    "survival_table",
    "timeline_table",
    "what_if_text",
]

#: Context figures (``context_figures.csv``) that estimate Huawei's Ascend output, lowest first.
HUAWEI_ESTIMATES = (
    "huawei_ascend_output_2025_commerce",
    "huawei_ascend_output_2026_hbm_limited",
    "huawei_910c_plan_2026",
    "huawei_ascend_output_2025_semianalysis",
)


def range_markdown(table: pd.DataFrame, figure: str) -> str:
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
    text = f"Scenario **{md_escape(display.scenario_title(scenario.name))}**: {md_escape(display.in_words(scenario.description))}"
    if scenario.overrides:
        text += (
            " **Overridden by notebook parameters:** "
            + "; ".join(
                f"{md_escape(display.input_label(key))} = {md_escape(display._assumption_text(scenario.assumption(key)))}"
                for key, _ in scenario.overrides
            )
            + "."
        )
    from analysis.model.uncertainty import DRAWS

    text += f" Every figure is shown as its central value with its 90% range (5th to 95th percentile of {DRAWS:,} simulated draws)."
    return text.replace("$", r"\$")


def delivery_scenarios_table(table: pd.DataFrame) -> Any:
    """:func:`analysis.model.figures.delivery_by_scenario` for a reader: each
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
    frame["What holds deliveries most often while the gates are open"] = [
        f"{word('limit', limit)} ({formatting.format_value(share, 'fraction')} of those months)"
        for limit, share in zip(table["binding_limit"], table["binding_share"])
    ]
    return _styled(frame, "delivery-scenarios")


#: The columns of :func:`analysis.model.figures.binding_limits` as a reader reads them.
_BINDING_COLUMNS = {
    "rule_while_open": "Rule's reading: share of months with both gates open (to December 2027)",
    "rule_end_2027": "Rule's reading: share of draws, total at the end of 2027",
    "since_rule_while_open": "Shipments since the rule only: months with both gates open",
    "since_rule_end_2027": "Shipments since the rule only: total at the end of 2027",
}


def binding_limits_table(limits: pd.DataFrame) -> Any:
    """:func:`analysis.model.figures.binding_limits` for a reader: how often each
    limit holds the deliveries, under each reading of the cap's base; limits
    that never hold them are left out (:func:`binding_text` names them)."""
    shown = limits[(limits > 0).any(axis=1)]
    frame = pd.DataFrame({"Limit": [word("limit", name) for name in shown.index]})
    for column, title in _BINDING_COLUMNS.items():
        if column in shown:
            frame[title] = [formatting.format_value(v, "fraction") for v in shown[column]]
    return _styled(frame, "binding-limits")


def binding_text(limits: pd.DataFrame) -> str:
    """Which limit binds, and how often, under the rule's reading of the cap
    and under the older one, with the deliveries each allows by the end of
    2027, as Markdown."""
    fraction: Callable[[Any], str] = lambda v: formatting.format_value(v, "fraction")
    rule, older = limits["rule_while_open"], limits["since_rule_while_open"]
    delivered = limits.attrs["delivered_by_end_2027"]
    amounts = {reading: display.range_text(low, mid, high, "chips") for reading, (low, mid, high) in delivered.items()}
    never = [word("limit", name) for name in limits.index[(limits == 0).all(axis=1)]]
    ranked = rule.sort_values(ascending=False)
    top, second = ranked.index[0], ranked.index[1]
    return (
        f"- **Under the rule's reading** (the cap's base is every H200 shipped to US customers since launch, stated at "
        f"application), the 50% cap holds the deliveries in {fraction(rule['us_cap'])} of the simulated months in which both "
        f"gates are open. What holds them most often is {word('limit', top)} ({fraction(rule[top])}), then "
        f"{word('limit', second)} ({fraction(rule[second])}). Deliveries expected by the end of 2027: "
        f"{amounts['rule']}.\n"
        f"- **Under the older reading** (only shipments to US customers since the rule count), the cap holds them in "
        f"{fraction(older['us_cap'])} of those months, and deliveries by the end of 2027 fall to {amounts['since_rule']}.\n"
        + (f"- Never binding in any surviving draw: {_and(never)}.\n" if never else "")
    ).replace("$", r"\$")


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


def _delivered_in_full(table: pd.DataFrame, figure: str) -> str:
    """'is delivered in full by August 2026 (...)', or, when the central case never gets there, why in words."""
    row = table.loc[figure]
    if row["central"] == float("inf"):
        if row["low"] == float("inf"):
            return "is not delivered in full within the horizon in any surviving draw (the limits that stop it are in the chart below)"
        return f"is not delivered in full within the horizon in the central case (in the earliest draws, by {display.value_text(row['low'], 'month')})"
    return f"is delivered in full by {range_markdown(table, figure)}"


def gates_answer(table: pd.DataFrame) -> str:
    """Notebook 03's answer under the two gates, as Markdown bullets."""
    if table.attrs.get("contradicted"):
        return as_of_line(table)
    first = table.loc["first_delivery_month"]
    first_text = (
        "no draw delivers within the horizon"
        if first["central"] == float("inf")
        else f"the first delivery comes in **{range_markdown(table, 'first_delivery_month')}** among the draws that deliver"
    )
    return (
        f"- The chance that any H200 reaches mainland China by the end of 2026 is **{range_markdown(table, 'p_delivery_by_end_2026')}**; "
        f"by the end of 2027, **{range_markdown(table, 'p_delivery_by_end_2027')}**.\n"
        f"- Expected deliveries: {range_markdown(table, 'delivered_by_end_2026_units')} by the end of 2026 and "
        f"{range_markdown(table, 'delivered_by_end_2027_units')} by the end of 2027 (the range starts at 0 where most draws deliver nothing).\n"
        f"- {first_text[0].upper() + first_text[1:]}.\n"
        f"- The approved batch, {range_markdown(table, 'approved_units')}, {_delivered_in_full(table, 'approved_delivered_month')}; "
        f"the firm orders, {range_markdown(table, 'firm_orders_units')} of {range_markdown(table, 'orders_units')} reported, "
        f"{_delivered_in_full(table, 'orders_met_month')}.\n"
        f"- Reported orders exceed Nvidia's stock, {range_markdown(table, 'stock_units')}, by {range_markdown(table, 'backlog_units')}; "
        f"the approved batch is {range_markdown(table, 'approved_share_of_orders')} of the orders and "
        f"{range_markdown(table, 'approved_share_of_stock')} of the stock."
    )


def timeline_table(timeline: pd.DataFrame, months: int = 18) -> Any:
    """The first ``months`` of the delivery model, thousands of H200."""
    rows = timeline.head(months)
    k: Callable[[pd.Series], list[str]] = lambda s: [formatting.format_value(v, "chips") for v in s]
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
            "Stock left for China after US customers": k(rows["supply_cumulative"]),
            "Approved so far": k(rows["approved_cumulative"]),
            "Firm orders": k(rows["firm_orders"]),
        }
    )
    return _styled(frame, "timeline")


def allocation_display(table: pd.DataFrame) -> Any:
    """:func:`analysis.model.figures.allocation_table` for a reader."""
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
    """:func:`analysis.model.figures.inference_table` for a reader."""
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
    bandwidth, whether it was on sale in the US on 15 January 2026, whether the
    January 2026 rule allows it case by case, and how far below each ceiling it is."""

    def headroom(value: float, unit: str) -> str:
        return "—" if pd.isna(value) else formatting.format_value(value, unit)

    frame = pd.DataFrame(
        {
            "Chip": table["chip"],
            "Vendor": table["vendor"],
            "TPP": ["—" if pd.isna(v) else f"{v:,.0f}" for v in table["tpp"]],
            "Memory bandwidth": ["—" if pd.isna(v) else f"{v:,.0f} GB/s" for v in table["memory_bandwidth_gbs"]],
            "On sale in the US on 15 Jan 2026": [
                "—" if country != "US" else ("not sourced" if pd.isna(v) else ("yes" if v else "no"))
                for v, country in zip(table["us_available_2026_01_15"], table["vendor_country"], strict=True)
            ],
            "Allowed case by case": [
                ("other rules" if country != "US" else "not settled") if pd.isna(v) else ("yes" if v else "no")
                for v, country in zip(table["eligible"], table["vendor_country"], strict=True)
            ],
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
    groups: dict[tuple[Any, ...], list[str]] = {}
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


def news_changes_table(changes: pd.DataFrame) -> Any:
    """:func:`analysis.model.figures.what_the_news_changed` for a reader: by date of
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
    """:func:`analysis.model.figures.forecast_scores` for a reader."""
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


# --- issue 19: the rule as written, and the analyst's figures, in words ------------------------


def allocation_note(table: pd.DataFrame) -> str:
    """One sentence for the splitting rules that give the same split: why they
    agree (equal requests) when they do, so a notebook shows one table for
    them (:func:`distinct_allocation_rules`) instead of several identical ones;
    '' when every rule differs."""
    if len(distinct_allocation_rules(table)) == table["rule"].nunique():
        return ""
    if len(distinct_allocation_rules(table)) > 1:
        return identical_rules_note(table).replace("so their panels below are identical", "so one table below stands for them")
    requests = table.drop_duplicates("company")["requested_units"].dropna()
    names = [word("rule", r) for r in table["rule"].unique()]
    why = (
        f"because the requests are equal ({formatting.format_value(requests.iloc[0], 'chips')} each)"
        if requests.nunique() == 1 and len(requests) == table["company"].nunique()
        else "in this scenario (central value and 90% range)"
    )
    return f"All {len(names)} splitting rules ({'; '.join(names)}) give the same split {why}, so one table below stands for all of them."


def distinct_allocation_rules(table: pd.DataFrame) -> list[str]:
    """The splitting rules to show: the first of each group of rules that give
    the same split (central value and 90% range), in table order."""
    keys = ["h200_units", "h200_units_low", "h200_units_high"]
    seen: dict[tuple[Any, ...], str] = {}
    for rule, rows in table.groupby("rule", sort=False):
        seen.setdefault(tuple(rows.sort_values("company")[keys].round(0).to_numpy().ravel()), str(rule))
    return list(seen.values())


def allocation_shown(table: pd.DataFrame) -> pd.DataFrame:
    """The allocation table with one rule for each distinct split
    (:func:`distinct_allocation_rules`): what a notebook charts and tabulates
    after :func:`allocation_note` has said which rules agree."""
    return table[table["rule"].isin(distinct_allocation_rules(table))].reset_index(drop=True)


def eligibility_conditions_text(table: pd.DataFrame, rule_facts: pd.DataFrame) -> str:
    """The January 2026 rule's case-by-case conditions in words, from the
    sourced rule facts, with the chips of ``rule_eligibility.csv`` each one settles."""
    facts = rule_facts.set_index("fact_id")
    eligible = table.loc[table["eligible"] == True, "chip"].tolist()
    china_only = table.loc[table["us_available_2026_01_15"] == False]
    below = china_only[china_only["tpp_headroom"] > 0]
    text = (
        f"The January 2026 rule ({facts.at['us_availability_date', 'source']}) allows a chip case by case only if it was "
        f"commercially available in the US on {describe_day(facts.at['us_availability_date', 'period'])}, its TPP is below "
        f"{facts.at['tpp_ceiling', 'value']:,.0f} and its total DRAM bandwidth below {facts.at['dram_bandwidth_ceiling', 'value']:,.0f} "
        "GB/s; the licence also requires that production for China not divert global foundry capacity from US customers "
        f"({facts.at['foundry_capacity_condition', 'source']}), which the exporter attests and public data cannot check per chip, "
        "so the table records it and computes no verdict on it."
    )
    if len(china_only):
        parts = _and([f"the {r.chip} (TPP {r.tpp:,.0f})" for r in china_only.itertuples()])
        text += f" Parts made for China fail the first condition whatever their TPP: {parts}"
        text += f", {'all' if len(below) == len(china_only) else 'some'} below the TPP ceiling." if len(below) else "."
    return text + f" Eligible in the spec table: {_and(eligible)}."


def describe_day(period: str) -> str:
    """'2026-01-15' → '15 January 2026'."""
    day = pd.Timestamp(period)
    return f"{day.day} {day:%B %Y}"


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 2 else " and ".join(items)


def money_text(table: pd.DataFrame, scenario: Any) -> str:
    """Nvidia's net and the tariff base in words (headline rows of :func:`analysis.model.figures.headline`)."""
    base = scenario.assumption("tariff_base_share")
    return (
        f"Nvidia receives its share of the buyers' price after the channel's (OEM or distributor) margin, "
        f"{range_markdown(table, 'nvidia_share_of_price_usd')}, and the US take, {range_markdown(table, 'us_take_usd')}, "
        f"is paid out of that share: Nvidia keeps {range_markdown(table, 'nvidia_net_usd')}. The take is "
        f"{scenario.value('us_take_share'):.0%} of the customs value the importer of record declares; the importer and that "
        f"value are not published, so the base runs from {base.low:.0%} of the buyers' price (the chips declared at cost) "
        f"to {base.high:.0%} of it."
    )


def comparator_text(table: pd.DataFrame, context: pd.DataFrame, scenario: Any) -> str:
    """The first-year value against Nvidia's own guidance and its latest
    reported China revenue, each with its period (``context``: ``context_figures.csv``)."""
    by_name = context.set_index("figure")
    guidance = [by_name.loc[f] for f in ("nvidia_guidance_china_dc_q1_fy2027", "nvidia_guidance_china_dc_q2_fy2027")]
    said = _and([f"its {g['note']} assumes {formatting.format_value(g['value'], 'USD')}" for g in guidance])
    latest = by_name.loc["nvidia_china_revenue_q1_fy2027"]
    quarter = scenario.value("nvidia_china_revenue_usd")
    return (
        (
            f"The model's first-year value, {range_markdown(table, 'first_year_value_usd')}, faces Nvidia's own guidance for China "
            f"data-centre compute revenue: {said}. Against Nvidia's latest reported {latest['note']}, "
            f"{formatting.format_value(quarter, 'USD')} ({formatting.format_value(market.yearly_rate_usd(quarter), 'USD')} at a "
            f"yearly rate), the first-year value is {range_markdown(table, 'first_year_value_share_of_china_revenue')}."
        )
        .replace("US$", r"US\$")
        .replace(r"\\$", r"\$")
    )


def denominator_text(table: pd.DataFrame) -> str:
    """The approved batch against China's compute at the same date and against the world's."""
    return (
        f"The approved batch, {range_markdown(table, 'approved_h100e')}, is {range_markdown(table, 'share_of_china_compute_stock')} "
        f"of China's AI compute at the date it would arrive, {range_markdown(table, 'china_stock_2026_h100e')} (Epoch AI's 2025 "
        f"stock plus Huawei's 2026 output, not the 2025 stock alone), and {range_markdown(table, 'approved_share_of_world_compute')} "
        "of the world's installed AI compute (Epoch AI, 2025: more than 15 million H100-equivalents, so at most that share)."
    )


def huawei_estimates_text(context: pd.DataFrame, scenario: Any) -> str:
    """Every published estimate of Huawei's Ascend output with its basis, and
    the scenario's range that covers them (``context``: ``context_figures.csv``)."""
    by_name = context.set_index("figure")
    bound = {"at_most": "at most ", "at_least": "more than ", "approx": "about ", "exact": ""}
    estimates = "; ".join(
        f"{by_name.at[f, 'source'].split(',')[0]}, {bound[by_name.at[f, 'bound']]}"
        f"{formatting.format_value(by_name.at[f, 'value'], 'chips')} in {by_name.at[f, 'year']:.0f}: {by_name.at[f, 'note']}"
        for f in HUAWEI_ESTIMATES
    )
    item = scenario.assumption("huawei_910c_units_2026")
    outside = [f for f in HUAWEI_ESTIMATES if not item.low <= by_name.at[f, "value"] <= item.high]
    covers = "covers them all" if not outside else f"leaves out {_and([by_name.at[f, 'source'].split(',')[0] for f in outside])}"
    return (
        f"Published estimates of Huawei's Ascend output disagree, each on its own basis: {estimates}. The model's 2026 range, "
        f"{formatting.format_range(item.low, item.value, item.high, 'chips', label='range')}, {covers}."
    ).replace("$", r"\$")


def what_if_text(table: pd.DataFrame, registry: pd.DataFrame) -> str:
    """The assumption-driven figures, named as what-ifs with the assumption each restates."""
    rows = registry[registry["what_if"].map(len) > 0]
    listed = "; ".join(
        f"{title.removeprefix('What-if: ')} {range_markdown(table, figure)} (assumed: {', '.join(display.input_label(k) for k in keys)})"
        for figure, title, keys in zip(rows.index, rows["title"], rows["what_if"])
    )
    return f"What-ifs, not results (each restates an assumption no source gives): {listed}."


def compute_units_text(table: pd.DataFrame) -> str:
    """New figure 1: the batch, the orders and the stock in dense BF16 FLOP/s beside H100-equivalents."""
    r: Callable[[str], str] = lambda figure: range_markdown(table, figure)
    return (
        f"In physical units the approved batch, {r('approved_h100e')}, is {r('approved_bf16_flops')} of dense BF16 compute; "
        f"the reported orders are {r('orders_bf16_flops')} and Nvidia's stock {r('stock_bf16_flops')}."
    )


def hbm_text(table: pd.DataFrame, scenario: Any) -> str:
    """New figure 2: the HBM3e the batch carries, and the Ascend 910C those stacks would equip."""
    r: Callable[[str], str] = lambda figure: range_markdown(table, figure)
    return (
        f"The approved batch carries {r('approved_hbm_tb')} of HBM3e in {r('approved_hbm_stacks')} stacks; the Ascend 910C "
        f"those stacks would equip, at the stacks each takes, number {r('approved_hbm_as_910c_units')}, "
        f"{r('approved_hbm_vs_hbm_limited_output')} Huawei's whole 2026 output if HBM is its bottleneck (SemiAnalysis: "
        f"{formatting.format_value(scenario.value('huawei_910c_units_2026_hbm_limited'), 'chips')})."
    )


def per_customer_run_text(table: pd.DataFrame, scenario: Any) -> str:
    """New figure 3: the largest training run one customer's cap allows, against the largest published run."""
    r: Callable[[str], str] = lambda figure: range_markdown(table, figure)
    utilisation = scenario.assumption("training_utilisation")
    return (
        f"One customer at the cap of {scenario.value('per_customer_cap_units'):,.0f} chips could train a model of "
        f"{r('largest_run_per_customer_flop')} in {scenario.value('training_run_days'):,.0f} days at "
        f"{formatting.format_range(utilisation.low, utilisation.value, utilisation.high, 'fraction', label='range')} "
        f"utilisation, {r('largest_run_share_of_largest_published')} of the largest published run "
        f"({formatting.format_value(scenario.value('largest_published_run_flop'), 'FLOP')}, Epoch AI)."
    )


def cost_of_compute_text(table: pd.DataFrame) -> str:
    """New figure 4: the cost of one H100-equivalent to a buyer, tariff included, against the domestic chip."""
    r: Callable[[str], str] = lambda figure: range_markdown(table, figure)
    return (
        f"One H100-equivalent of compute costs a Chinese buyer {r('buyer_cost_per_h100e_usd')} in H200, tariff included, "
        f"against {r('domestic_cost_per_h100e_usd')} in Ascend 910C: {r('buyer_cost_vs_domestic')} the domestic cost."
    )


def smuggling_text(table: pd.DataFrame) -> str:
    """New figure 5: the counterfactual, smuggled chips beside the approved batch and the deliveries."""
    r: Callable[[str], str] = lambda figure: range_markdown(table, figure)
    return (
        f"CNAS' estimate of the AI chips smuggled into China in 2024, {r('smuggled_2024_h100e')}, is "
        f"{r('smuggled_2024_share_of_approved')} of the approved batch in H100-equivalents; the first year of deliveries "
        f"would bring {r('first_year_delivered_h100e')}."
    )


def analyst_figures_text(table: pd.DataFrame, scenario: Any) -> str:
    """Issue 19's new figures in words, one sentence each (notebook 05)."""
    return " ".join(
        [
            compute_units_text(table),
            hbm_text(table, scenario),
            per_customer_run_text(table, scenario),
            cost_of_compute_text(table),
            smuggling_text(table),
        ]
    )

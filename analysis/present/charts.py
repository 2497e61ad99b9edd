"""The chart builders: one function per chart the notebooks and reports show.

Rendering (the theme, the offline Vega renderer, the report pages' chart
figures and Vega's JavaScript) lives in :mod:`analysis.present.rendering`; its names
are re-exported here because the notebooks and the report worker call them
as ``charts.<name>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd

from analysis.core import formatting, number_parts
from analysis.model.engine import Provenance
from analysis.present.rendering import (
    PALETTE,
)
from analysis.present.rendering import row_words as _words

__all__ = [
    "BEYOND_HORIZON",
    "allocation_chart",
    "compute_balance_chart",
    "delivery_timeline_chart",
    "headline_ranges",
    "open_ranges",
    "range_layers",
    "readme_chart",
    "revision_chart",
    "rule_box_chart",
    "sensitivity_heatmap",
    "tornado_chart",
]

# --- figures ------------------------------------------------------------------


def _axis(unit: str, **extra: Any) -> alt.Axis:
    """A value axis whose ticks and accessible label read like the text (Vega
    would describe it as "values from $0 to $12G")."""
    base = unit.split(" ")[0] if unit.split(" ")[0] in number_parts.UNITS else ""
    words = formatting.unit_label(base) if base else unit
    extra.setdefault("description", f"axis: {words}")
    return alt.Axis(labelOverlap="greedy", tickCount=5, labelFlush=True, **formatting.axis_options(base), **extra)


#: What a bar says where its range runs past every date the model simulates.
BEYOND_HORIZON = "beyond the horizon"


def open_ranges(data: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Rows with ``low``, ``central``, ``high`` made drawable: an infinite
    bound ("beyond the horizon") is drawn to the axis end, a little past the
    largest finite value, and the row is flagged ``open`` so that the chart
    marks it; returns the rows (``low_drawn``, ``central_drawn``,
    ``high_drawn``, ``open``) and the axis end."""
    import numpy as np

    values = data[["low", "central", "high"]].astype(float).to_numpy()
    finite = values[np.isfinite(values)]
    largest = float(finite.max()) if finite.size else 1.0
    end = largest * 1.15 if largest > 0 else 1.0
    drawn: Callable[[str], pd.Series] = lambda column: data[column].astype(float).where(np.isfinite(data[column].astype(float)), end)
    opened = ~np.isfinite(data["high"].astype(float)) | ~np.isfinite(data["central"].astype(float))
    return data.assign(low_drawn=drawn("low"), central_drawn=drawn("central"), high_drawn=drawn("high"), open=opened), end


def range_layers(
    data: pd.DataFrame, unit: str, y: alt.Y, tooltip: list[alt.Tooltip], *, axis_title: str, tick_count: int = 5
) -> alt.LayerChart:
    """The bars of a range chart: 90% range bar, central tick, and for an open
    range a bar to the axis end labelled "beyond the horizon" (never a
    dropped bar). ``data`` needs ``low``, ``central``, ``high`` and ``words``
    (each row in words, the marks' accessible label)."""
    drawn, end = open_ranges(data)
    base_unit = unit.split(" ")[0] if unit.split(" ")[0] in number_parts.UNITS else ""
    x_axis = alt.Axis(
        labelOverlap="greedy",
        tickCount=tick_count,
        labelFlush=True,
        description=f"horizontal axis: {axis_title}",
        **formatting.axis_options(base_unit),
    )
    base = alt.Chart(drawn).encode(y=y, tooltip=tooltip, description=alt.Description("words:N"))
    bars = base.mark_bar(height=14, opacity=0.45).encode(
        x=alt.X(
            "low_drawn:Q",
            title=axis_title,
            scale=alt.Scale(zero=True, domainMax=end if drawn["open"].any() else alt.Undefined),
            axis=x_axis,
        ),
        x2="high_drawn:Q",
    )
    ticks = base.mark_tick(thickness=3, size=20, color=PALETTE[1]).encode(x="central_drawn:Q")
    layers = [bars, ticks]
    if drawn["open"].any():
        layers.append(
            base.transform_filter(alt.datum.open)
            .mark_text(align="right", dx=-3, fontSize=10, fontStyle="italic", color="#333333")
            .encode(x="high_drawn:Q", text=alt.value(f"{BEYOND_HORIZON} →"))
        )
    return alt.LayerChart(layer=layers)


def headline_ranges(table: pd.DataFrame, figures: list[str], title: str) -> alt.LayerChart:
    """Low–high bars with the central value marked, for figures sharing a unit;
    a range open at the top runs to the axis end, marked "beyond the horizon";
    the tooltip gives the figures in words and their sources by outlet; the
    caption under the chart lists the sources for print."""
    from analysis.present import display

    units = set(table.loc[figures, "unit"])
    if len(units) != 1:
        raise ValueError(f"figures {figures} mix units {sorted(units)}")
    unit = units.pop()
    rows = table.loc[figures]
    data = rows.reset_index(drop=True).assign(
        central_text=[display.value_text(c, unit) for c in rows["central"]],
        range_text=[display.range_only(lo, c, hi, unit) for lo, c, hi in zip(rows["low"], rows["central"], rows["high"])],
        sources_text=[display.readable_sources(s) for s in rows["sources"]],
    )[["title", "low", "central", "high", "central_text", "range_text", "sources_text"]]
    data = data.assign(words=_words(data, [("title", "figure"), ("central_text", "central"), ("range_text", "90% range")]))
    tooltip = [
        alt.Tooltip("title:N", title="figure"),
        alt.Tooltip("central_text:N", title="central"),
        alt.Tooltip("range_text:N", title="90% range"),
        alt.Tooltip("sources_text:N", title="sources"),
    ]
    base_unit = unit.split(" ")[0]
    axis_title = formatting.unit_label(base_unit) if base_unit in number_parts.UNITS else unit
    y = alt.Y("title:N", title=None, sort=list(rows["title"]), axis=alt.Axis(labelLimit=320))
    layers = range_layers(data, unit, y, tooltip, axis_title=axis_title)
    sources = display.readable_sources(rows["sources"])
    summary = "; ".join(f"{t}: {c} (90% range {r})" for t, c, r in zip(data["title"], data["central_text"], data["range_text"]))
    return layers.properties(
        title=alt.Title(title, subtitle="bar: 90% range of the simulation; tick: central; hover for the sources"),
        height=34 * len(figures) + 10,
        description=f"{title}. {summary}.",
        usermeta={"caption": f"Sources: {sources}."},
    )


def sensitivity_heatmap(grid: pd.DataFrame, title: str = "Value of H200 sales to China, by units and price") -> alt.LayerChart:
    """Value (US$ bn) over units × price, each cell labelled, the US take in the tooltip."""
    data = grid.assign(
        value_bn=grid["value_usd"] / 1e9,
        units_label=grid["units"].map(lambda u: formatting.format_value(u, "chips")),
        price_label=grid["price_usd"].map(lambda p: formatting.format_value(p, "USD")),
        value_text=grid["value_usd"].map(lambda v: formatting.format_value(v, "USD")),
        take_text=grid["us_take_usd"].map(lambda v: formatting.format_value(v, "USD")),
    )
    data = data.assign(
        words=_words(
            data,
            [
                ("units_label", "H200 units"),
                ("price_label", "price per H200"),
                ("value_text", "value of the sales"),
                ("take_text", "US government's take"),
            ],
        )
    )
    order = [formatting.format_value(u, "chips") for u in sorted(grid["units"].unique())]
    # The tooltip and the words on the base: the number's text mark lies over the cell and takes the pointer.
    base = alt.Chart(data, title=alt.Title(title, subtitle="US$ billion; hover for the US government's take")).encode(
        tooltip=[
            alt.Tooltip("units_label:N", title="H200 units"),
            alt.Tooltip("price_label:N", title="price per H200"),
            alt.Tooltip("value_text:N", title="value of the sales"),
            alt.Tooltip("take_text:N", title="US government's take"),
        ],
        description=alt.Description("words:N"),
        x=alt.X("units_label:O", title="H200 units", sort=order, axis=alt.Axis(grid=False, labelAngle=-30)),
        y=alt.Y(
            "price_label:O", title="price per H200", sort=alt.EncodingSortField("price_usd", order="descending"), axis=alt.Axis(grid=False)
        ),
    )
    cells = base.mark_rect().encode(color=alt.Color("value_bn:Q", title="US$ bn", scale=alt.Scale(scheme="blues")))
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("value_bn:Q", format=",.1f"),
        color=alt.condition(alt.datum.value_bn > data["value_bn"].max() / 2, alt.value("white"), alt.value("black")),
    )
    caption = (
        "Sources: price range from the scenario (Reuters, Jan 2026; Financial Times, Dec 2025); the take at the "
        "scenario's tariff base; units from 100,000 to 2.5 million, a grid, not a claim."
    )
    values = data["value_usd"]
    description = (
        f"{title}: from {formatting.format_value(values.min(), 'USD')} to {formatting.format_value(values.max(), 'USD')} "
        f"over {formatting.and_list(order[:1] + order[-1:])} H200 units and prices from "
        f"{formatting.format_value(grid['price_usd'].min(), 'USD')} to {formatting.format_value(grid['price_usd'].max(), 'USD')}."
    )
    chart: alt.LayerChart = (cells + labels).properties(
        width=520, height=40 * data["price_label"].nunique(), description=description, usermeta={"caption": caption}
    )
    return chart


def delivery_timeline_chart(timeline: pd.DataFrame) -> alt.LayerChart:
    """Cumulative deliveries (central line, simulated 90% band) against the
    limits that bind them: the running US cap, approvals so far and firm orders.
    The time axis zooms and pans (drag, wheel) where the chart is interactive."""
    # Long by design: one chart of four layers (band, limits, line, zoom) whose encodings must agree; split, they would drift.
    data = timeline.assign(
        date=pd.to_datetime(timeline["month"] + "-01"),
        **{
            f"{c}_text": timeline[c].map(lambda v: formatting.format_value(v, "chips"))
            for c in ("delivered_cumulative", "delivered_cumulative_low", "delivered_cumulative_high")
        },
    )
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap="greedy", tickCount=8, description="axis: month"))
    y_axis = _axis("chips")
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.2, color=PALETTE[0])
        .encode(
            x=x,
            y=alt.Y("delivered_cumulative_low:Q", title="H200 delivered to China (cumulative)", axis=y_axis),
            y2="delivered_cumulative_high:Q",
            description=alt.value("90% range of the simulated deliveries"),
        )
    )
    limits = data.melt(
        id_vars=["date", "month"],
        value_vars=["cap_cumulative", "approved_cumulative", "deliverable_cumulative", "firm_orders", "supply_cumulative"],
        var_name="limit",
        value_name="units",
    ).replace(
        {
            "limit": {
                "cap_cumulative": "US cap (50% of the H200 shipped to US customers since launch)",
                "approved_cumulative": "approved so far",
                "deliverable_cumulative": "approved, within the per-customer ceiling",
                "firm_orders": "firm orders",
                "supply_cumulative": "stock left for China after US customers",
            }
        }
    )
    limits["units_text"] = limits["units"].map(lambda v: formatting.format_value(v, "chips"))
    limits["month_text"] = limits["month"].map(lambda m: formatting.format_value(m, "month"))
    limits["words"] = _words(limits, [("month_text", "month"), ("limit", "limit"), ("units_text", "H200")])
    data = data.assign(month_text=data["month"].map(lambda m: formatting.format_value(m, "month")))
    data = data.assign(
        words=_words(
            data,
            [
                ("month_text", "month"),
                ("delivered_cumulative_text", "expected deliveries so far"),
                ("delivered_cumulative_low_text", "90% range from"),
                ("delivered_cumulative_high_text", "to"),
            ],
        )
    )
    limit_lines = (
        alt.Chart(limits)
        .mark_line(strokeDash=[4, 3], strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("units:Q"),
            color=alt.Color("limit:N", title="limit", scale=alt.Scale(range=PALETTE[1:6]), legend=alt.Legend(labelLimit=320)),
            tooltip=[
                alt.Tooltip("month_text:N", title="month"),
                alt.Tooltip("limit:N", title="limit"),
                alt.Tooltip("units_text:N", title="H200"),
            ],
            description=alt.Description("words:N"),
        )
    )
    delivered = (
        alt.Chart(data)
        .mark_line(color=PALETTE[0], point=alt.OverlayMarkDef(size=12, opacity=0.6))
        .encode(
            x=x,
            y="delivered_cumulative:Q",
            tooltip=[
                alt.Tooltip("month_text:N", title="month"),
                alt.Tooltip("delivered_cumulative_text:N", title="expected deliveries so far, central case"),
                alt.Tooltip("delivered_cumulative_low_text:N", title="90% range from"),
                alt.Tooltip("delivered_cumulative_high_text:N", title="90% range to"),
            ],
            description=alt.Description("words:N"),
        )
    )
    title = alt.Title(
        "Deliveries to China behind the two gates, against the limits that bind them",
        subtitle="solid: expected deliveries so far (central case, paths that agree with the record); band: 90% range of "
        "the simulation; dashed: limits (central); drag or scroll to zoom the months",
    )
    zoom = alt.selection_interval(bind="scales", encodings=["x"])
    caption = (
        "Sources: approved batch, orders, the per-customer ceiling and what was observed from the articles (claims "
        "table); the gates' monthly chances, the US cap, approvals after the first batch, stock, output and pace are "
        "the scenario's assumptions (provenance table below)."
    )
    last = data.iloc[-1]
    description = (
        f"Deliveries to China behind the two gates, {formatting.format_value(data['month'].iloc[0], 'month')} to "
        f"{last['month_text']}: by then {last['delivered_cumulative_text']} expected (90% range "
        f"{last['delivered_cumulative_low_text']} to {last['delivered_cumulative_high_text']}), against the US cap, "
        "approvals so far and firm orders."
    )
    chart: alt.LayerChart = (band.add_params(zoom) + limit_lines + delivered).properties(
        title=title, width=560, height=300, description=description, usermeta={"caption": caption}
    )
    return chart


def revision_chart(history: pd.DataFrame, figure: str) -> alt.LayerChart:
    """One headline figure at each evidence date (:func:`analysis.model.figures.revision_history`):
    the central value as a step line with its 90% range, one point per date a
    new article appeared; the tooltip names the articles of that date."""
    rows = history[history["figure"] == figure]
    unit, title = str(rows["unit"].iloc[0]), str(rows["title"].iloc[0])
    data = rows.assign(
        date=pd.to_datetime(rows["as_of"]),
        date_text=rows["as_of"].map(lambda d: formatting.format_value(d, "date")),
        central_text=rows["central"].map(lambda v: formatting.format_value(v, unit)),
        range_text=[
            formatting.format_range(lo, c, hi, unit, label="90% range") for lo, c, hi in zip(rows["low"], rows["central"], rows["high"])
        ],
    )
    x = alt.X("date:T", title="as of", axis=alt.Axis(format="%d %b %Y", labelOverlap="greedy", tickCount=6, description="axis: as of"))
    data = data.assign(words=_words(data, [("date_text", "as of"), ("range_text", title), ("articles", "new articles")]))
    tooltip = [
        alt.Tooltip("date_text:N", title="as of"),
        alt.Tooltip("range_text:N", title=title),
        alt.Tooltip("articles:N", title="new articles"),
    ]
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.2, color=PALETTE[0], interpolate="step-after")
        .encode(x=x, y=alt.Y("low:Q", title=title, axis=_axis(unit)), y2="high:Q", description=alt.value(f"90% range of {title}"))
    )
    line = (
        alt.Chart(data)
        .mark_line(color=PALETTE[0], interpolate="step-after", point=alt.OverlayMarkDef(size=40))
        .encode(x=x, y="central:Q", tooltip=tooltip, description=alt.Description("words:N"))
    )
    caption = "Sources: the articles of each date (articles table) and the scenario's assumptions; each point re-runs the model on the evidence of that date."
    chart: alt.LayerChart = (band + line).properties(
        title=alt.Title(
            f"{title}: the estimate as the news came in", subtitle="line: central value; band: 90% range; one point per evidence date"
        ),
        width=560,
        height=220,
        description=f"{title} at each evidence date: "
        + "; ".join(f"{d}: {r}" for d, r in zip(data["date_text"], data["range_text"]))
        + ".",
        usermeta={"caption": caption},
    )
    return chart


def tornado_chart(table: pd.DataFrame, central: float, title: str, unit: str, top: int = 8) -> alt.LayerChart:
    """One bar per input: the figure with that input at its 5th and 95th
    percentile, everything else central; the rule marks the central value."""
    from analysis.present import display

    data = table.head(top).assign(
        label=lambda d: d["input"].map(display.input_label),
        low_text=lambda d: d["low"].map(lambda v: display.value_text(v, unit)),
        high_text=lambda d: d["high"].map(lambda v: display.value_text(v, unit)),
    )
    data = data.assign(
        words=_words(data, [("label", "input"), ("low_text", "at its 5th percentile"), ("high_text", "at its 95th percentile")])
    )
    order = list(data["label"])
    bars = (
        alt.Chart(data)
        .mark_bar(height=14, opacity=0.7)
        .encode(
            x=alt.X("low:Q", title=formatting.unit_label(unit.split(" ")[0]), scale=alt.Scale(zero=False), axis=_axis(unit)),
            x2="high:Q",
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
            tooltip=[
                alt.Tooltip("label:N", title="input"),
                alt.Tooltip("low_text:N", title="with the input at its 5th percentile"),
                alt.Tooltip("high_text:N", title="with the input at its 95th percentile"),
            ],
            description=alt.Description("words:N"),
        )
    )
    central_text = display.value_text(central, unit)
    rule = (
        alt.Chart(pd.DataFrame({"central": [central]}))
        .mark_rule(color=PALETTE[1], strokeWidth=2)
        .encode(x="central:Q", description=alt.value(f"central value: {central_text}"))
    )
    subtitle = "each input alone at its 5th and 95th percentile, the others central; red: central value"
    caption = "Sources: the inputs' ranges in the provenance table below (articles' claims and the scenario's assumptions)."
    chart: alt.LayerChart = (bars + rule).properties(
        title=alt.Title(title, subtitle=subtitle),
        width=480,
        height=24 * len(data) + 10,
        description=f"{title}, central value {central_text}: " + "; ".join(data["words"]) + ".",
        usermeta={"caption": caption},
    )
    return chart


def allocation_chart(table: pd.DataFrame) -> alt.FacetChart:
    """H200 units per company under each splitting rule (central bar, 90%
    range as a line), requests in the tooltip."""
    # Long by design: one faceted chart whose layers share data and encodings; split, they would drift.
    from analysis.present import display

    chips: Callable[[pd.Series], pd.Series] = lambda s: s.map(lambda v: formatting.format_value(v, "chips"))
    data = table.assign(
        rule_label=table["rule"].map(lambda v: display.word("rule", v)),
        request_text=chips(table["requested_units"]),
        units_text=chips(table["h200_units"]),
        range_text=[
            display.range_only(lo, c, hi, "chips")
            for lo, c, hi in zip(table["h200_units_low"], table["h200_units"], table["h200_units_high"])
        ],
        power_text=table["facility_power_mw"].map(lambda v: formatting.format_value(v, "MW")),
    )
    data = data.assign(
        words=_words(data, [("rule_label", "rule"), ("company", "group"), ("units_text", "H200, central"), ("range_text", "90% range")])
    )[
        [
            "rule_label",
            "company",
            "h200_units",
            "h200_units_low",
            "h200_units_high",
            "request_text",
            "units_text",
            "range_text",
            "power_text",
            "words",
        ]
    ]
    base = alt.Chart(data).encode(y=alt.Y("company:N", title=None), description=alt.Description("words:N"))
    bars = base.mark_bar().encode(
        x=alt.X("h200_units:Q", title="H200", axis=_axis("chips")),
        color=alt.Color("company:N", legend=None),
        tooltip=[
            alt.Tooltip("rule_label:N", title="rule"),
            alt.Tooltip("company:N", title="group"),
            alt.Tooltip("request_text:N", title="requested"),
            alt.Tooltip("units_text:N", title="H200, central"),
            alt.Tooltip("range_text:N", title="90% range"),
            alt.Tooltip("power_text:N", title="facility power"),
        ],
    )
    ranges = base.mark_rule(color="#333333").encode(x="h200_units_low:Q", x2="h200_units_high:Q")
    order = [display.word("rule", r) for r in ("proportional", "equal", "max_min_fair")]
    caption = (
        "Sources: the approved batch and Alibaba's and ByteDance's requests from the articles; Tencent's request and "
        "the power figures are scenario assumptions (provenance table below)."
    )
    return (
        alt.layer(bars, ranges, data=data)
        .properties(width=480, height=22 * data["company"].nunique())
        .facet(
            row=alt.Row(
                "rule_label:N",
                title=None,
                sort=order,
                header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="top", labelFontWeight="bold"),
            )
        )
        .properties(
            title=alt.Title(
                "How the approved batch could split",
                subtitle="H200 per group, by rule: bar central, line 90% range; hover for requests and power",
            ),
            description="How the approved batch could split: " + "; ".join(data["words"]) + ".",
            usermeta={"caption": caption},
        )
    )


def compute_balance_chart(table: pd.DataFrame) -> alt.LayerChart:
    """H100-equivalents of the H200 figures, China's installed compute and each
    published estimate of Huawei's output: bar central, line 90% range."""
    h100e: Callable[[pd.Series], pd.Series] = lambda s: s.map(lambda v: formatting.format_value(v, "H100e"))
    data = table.assign(
        central_k=table["central"] / 1e3,
        low_k=table["low"] / 1e3,
        high_k=table["high"] / 1e3,
        central_text=h100e(table["central"]),
        range_text=[
            formatting.format_range(lo, c, hi, "H100e", label="90% range")
            for lo, c, hi in zip(table["low"], table["central"], table["high"])
        ],
    )
    from analysis.present import display

    data = data.assign(
        source_text=[display.readable_sources(s) if isinstance(s, Provenance) else display.in_words(s) for s in data["source"]],
        source=data["source"].map(str),  # the chart's data is JSON: a provenance goes in as its text
    )
    data = data.assign(words=_words(data, [("item", "what"), ("range_text", "H100-equivalents"), ("source_text", "source")]))
    order = list(data["item"])
    base = alt.Chart(data).encode(
        y=alt.Y("item:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)), description=alt.Description("words:N")
    )
    bars = base.mark_bar(opacity=0.8).encode(
        x=alt.X("central_k:Q", title="thousand H100-equivalents (by TPP)", axis=alt.Axis(description="axis: thousand H100-equivalents")),
        color=alt.Color("group:N", title=None, scale=alt.Scale(range=PALETTE[:3])),
        tooltip=[
            alt.Tooltip("item:N", title="what"),
            alt.Tooltip("central_text:N", title="central"),
            alt.Tooltip("range_text:N", title="with its 90% range"),
            alt.Tooltip("source_text:N", title="source"),
        ],
    )
    ranges = base.mark_rule(color="#333333").encode(x="low_k:Q", x2="high_k:Q")
    title = alt.Title(
        "The approved H200 against China's compute and Huawei's output",
        subtitle="H100-equivalents by the US rule's TPP metric; bar: central; line: 90% range; each Huawei estimate is its source's",
    )
    # The H200 rows share their claims and specs: read them out once, then each other source once.
    model_sources = [s for s in table["source"] if isinstance(s, Provenance)]
    others = [display.in_words(s) for s in table["source"] if not isinstance(s, Provenance)]
    parts = ([display.readable_sources(model_sources)] if model_sources else []) + others
    caption = "Sources: " + "; ".join(dict.fromkeys(parts)) + "."
    description = "The approved H200 against China's compute and Huawei's output: " + "; ".join(
        f"{i}: {r}" for i, r in zip(data["item"], data["range_text"])
    )
    chart: alt.LayerChart = (bars + ranges).properties(
        title=title, width=480, height=24 * len(data) + 10, description=description + ".", usermeta={"caption": caption}
    )
    return chart


def rule_box_chart(eligibility: pd.DataFrame, tpp_limit: float, bandwidth_limit_gbs: float) -> alt.LayerChart:
    """TPP against memory bandwidth for every chip of the spec table, with the
    January 2026 rule's case-by-case box (TPP and bandwidth both below their ceilings)."""
    data = eligibility.dropna(subset=["tpp", "memory_bandwidth_gbs"]).assign(
        status=lambda d: d["eligible"].map({True: "US chip, eligible", False: "US chip, not eligible"}).fillna("other vendor, other rules")
    )
    data = data.assign(
        tpp_text=data["tpp"].map(lambda v: formatting.format_value(v, None)),
        bandwidth_text=data["memory_bandwidth_gbs"].map(lambda v: formatting.format_value(v, None) + " GB/s"),
    )
    data = data.assign(words=_words(data, [("chip", "chip"), ("status", "status"), ("tpp_text", "TPP"), ("bandwidth_text", "bandwidth")]))
    box = (
        alt.Chart(pd.DataFrame({"x": [0], "x2": [tpp_limit], "y": [0], "y2": [bandwidth_limit_gbs]}))
        .mark_rect(opacity=0.08, color=PALETTE[2], stroke=PALETTE[2], strokeWidth=1.5)
        .encode(
            x="x:Q",
            x2="x2:Q",
            y="y:Q",
            y2="y2:Q",
            description=alt.value(
                f"case-by-case box: TPP below {formatting.format_value(tpp_limit, None)}, "
                f"bandwidth below {formatting.format_value(bandwidth_limit_gbs, None)} GB/s"
            ),
        )
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X("tpp:Q", title="TPP (total processing performance)", axis=alt.Axis(description="axis: TPP")),
            y=alt.Y("memory_bandwidth_gbs:Q", title="memory bandwidth (GB/s)", axis=alt.Axis(description="axis: memory bandwidth")),
            color=alt.Color("status:N", title=None, scale=alt.Scale(range=[PALETTE[2], PALETTE[1], PALETTE[6]])),
            tooltip=[
                alt.Tooltip("chip:N", title="chip"),
                alt.Tooltip("tpp_text:N", title="TPP"),
                alt.Tooltip("bandwidth_text:N", title="bandwidth"),
                alt.Tooltip("reason:N", title="why"),
            ],
            description=alt.Description("words:N"),
        )
    )
    labels = points.mark_text(align="left", dx=7, dy=-6, fontSize=10).encode(text="chip:N", color=alt.value("#333333"))
    title = alt.Title(
        "Which chips the US rule allows case by case",
        subtitle="green box: both below the January 2026 ceilings; a chip inside it still fails if not on sale in the US on 15 Jan 2026",
    )
    caption = (
        "Sources: chip specifications from Epoch AI's Machine Learning Hardware dataset and the vendors' datasheets "
        "; ceilings from the Commerce (BIS) rule of January 2026."
    )
    description = "Which chips the US rule allows case by case: " + "; ".join(f"{c}: {st}" for c, st in zip(data["chip"], data["status"]))
    chart: alt.LayerChart = (box + points + labels).properties(
        title=title, width=520, height=320, description=description + ".", usermeta={"caption": caption}
    )
    return chart


def readme_chart() -> alt.LayerChart:
    """The chart shown in the README: the central scenario's price sensitivity."""
    from analysis.core import paths
    from analysis.model import figures

    return sensitivity_heatmap(figures.sensitivity(paths.SCENARIOS / "central.yaml"))

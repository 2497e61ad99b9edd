"""One altair theme, one offline renderer, and the chart builders.

Rendering choice (README, "Interactive charts, offline"): a chart is handed
over as a **Vega spec** (``application/vnd.vega.v5+json``, compiled from
altair's Vega-Lite by ``vl-convert``, a wheel that bundles Vega), which
JupyterLab 4 draws with its built-in Vega 5 renderer (hover tooltips, zoom and
pan, even in an untrusted notebook: the renderer is marked safe), together
with a **PNG** for static or untrusted viewers (GitHub, nbconvert, VS Code).
The report pages draw the same Vega spec with Vega's JavaScript, taken from
``vl-convert`` and embedded once per page (never a CDN), and print a caption
with each chart's sources under it. Both outputs are byte-stable from run to
run (strict nbval ignores PNGs and compares the spec).
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from analysis import formatting

RENDERER_NAME = "h200-vega"
THEME_NAME = "h200"
VEGA_MIMETYPE = "application/vnd.vega.v5+json"

# Vega writes a mark's tooltip into aria-label ("field: value; field: value").
_ARIA_MARK = re.compile(r'<(path|rect|circle|line|text|symbol)([^>]*?)aria-label="([^"]*)"([^>]*?)/>')

PALETTE = ["#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f"]


def _svg_with_titles(svg: str) -> str:
    """Give every mark that has an aria-label a ``<title>`` child (hover tooltip)."""

    def add_title(match: re.Match[str]) -> str:
        tag, before, label, after = match.groups()
        return f'<{tag}{before}aria-label="{label}"{after}><title>{label}</title></{tag}>'

    return _ARIA_MARK.sub(add_title, svg)


def chart_to_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """Render a chart (or a Vega-Lite spec) to static SVG with hover titles,
    offline (the index page's overview chart, which needs no JavaScript)."""
    import vl_convert

    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return _svg_with_titles(vl_convert.vegalite_to_svg(spec))


def vega_spec(vegalite: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite spec compiled to Vega, labelled Vega 5 so that JupyterLab's
    Vega 5 renderer takes it (the compiled spec uses nothing newer)."""
    import vl_convert

    spec = vl_convert.vegalite_to_vega(vegalite)
    spec["$schema"] = "https://vega.github.io/schema/vega/v5.json"
    return spec


def caption(spec: dict[str, Any]) -> str:
    """The caption a chart carries (``usermeta.caption``), or ''."""
    return str((spec.get("usermeta") or {}).get("caption") or "")


def _label(spec: dict[str, Any]) -> str:
    title = spec.get("title") or next((part.get("title") for part in spec.get("layer", []) if part.get("title")), None)
    if isinstance(title, dict):
        title = title.get("text")
    return html.unescape(str(title)) if title else "chart"


#: Set by the report builder: kernels then hand the Vega-Lite spec over under
#: DEFERRED_MIMETYPE and the builder's long-lived worker compiles it, so each
#: kernel does not pay Vega's start-up (about 0.3 s) for the same picture.
DEFER_ENV = "H200_DEFER_CHART_SVG"
DEFERRED_MIMETYPE = "application/vnd.h200.vegalite-spec+json"


def _renderer(spec: dict[str, Any], **_metadata: Any) -> dict[str, Any]:
    text = f"Chart: {_label(spec)}" + (f". {caption(spec)}" if caption(spec) else "")
    if os.environ.get(DEFER_ENV) == "1":
        return {DEFERRED_MIMETYPE: spec, "text/plain": text}
    import base64

    import vl_convert

    png = base64.b64encode(vl_convert.vegalite_to_png(spec, scale=1)).decode("ascii")
    return {VEGA_MIMETYPE: vega_spec(spec), "image/png": png, "text/plain": text}


def draw_deferred_charts(notebook: Any) -> list[dict[str, Any]]:
    """Replace every deferred chart output of an executed notebook with its
    Vega spec (JupyterLab draws it); return the Vega-Lite specs, in order."""
    specs = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if DEFERRED_MIMETYPE in data:
                spec = dict(data.pop(DEFERRED_MIMETYPE))
                data[VEGA_MIMETYPE] = vega_spec(spec)
                specs.append(spec)
    return specs


def figure_html(vega: dict[str, Any], caption_text: str, label: str) -> str:
    """A chart in a report page: a container Vega draws into (the page's one
    script, see the report template), the spec as JSON, and a printed caption."""
    vega = {**vega, "$schema": "https://vega.github.io/schema/vega/v6.json"}  # the page's Vega is 6
    payload = json.dumps(vega, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    figcaption = f"<figcaption>{html.escape(caption_text)}</figcaption>" if caption_text else ""
    return (
        f'<figure class="h200-chart"><div class="h200-vega" role="img" aria-label="{html.escape(label)}"></div>'
        f'<script type="application/json" class="h200-vega-spec">{payload}</script>{figcaption}</figure>'
    )


def html_charts(notebook: Any) -> Any:
    """A copy of an executed notebook for the HTML page: every Vega output
    becomes :func:`figure_html` (the .ipynb keeps the Vega spec)."""
    import copy

    page = copy.deepcopy(notebook)
    for cell in page.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VEGA_MIMETYPE in data:
                vega = data[VEGA_MIMETYPE]
                text = str(data.get("text/plain", ""))
                label = _label(vega)
                output["data"] = {"text/html": figure_html(vega, text.split(". ", 1)[1] if ". " in text else "", label)}
                output.setdefault("metadata", {})[CHART_FIGURE_KEY] = True
    return page


#: Output metadata that marks a chart figure written by :func:`html_charts`.
CHART_FIGURE_KEY = "h200_chart_figure"


def is_chart_figure(output: Any) -> bool:
    """Whether an output of :func:`html_charts`'s page is one of its chart figures."""
    return bool(output.get("metadata", {}).get(CHART_FIGURE_KEY)) and "text/html" in output.get("data", {})


_VEGA_JS: dict[Path, str] = {}


def vega_javascript_path() -> Path:
    """Where the bundled Vega runtime is cached, per vl-convert version."""
    from importlib.metadata import version

    from analysis import paths

    return paths.PROJECT_ROOT / "build" / f"vega-embed-vl-convert-{version('vl-convert-python')}.js"


def vega_javascript() -> str:
    """Vega-Embed with Vega and its tooltip plugin (about 0.9 MB; the bundler
    cannot leave Vega-Lite's compiler out), bundled by
    ``vl-convert`` from the copy in its wheel and cached on disk (bundling
    takes about 3 s). Not to be called in a process that forks workers
    afterwards: vl-convert's runtime does not survive a fork."""
    cache = vega_javascript_path()
    if cache not in _VEGA_JS:
        try:
            _VEGA_JS[cache] = cache.read_text(encoding="utf-8")
        except OSError:
            import vl_convert

            code = vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
            tmp.write_text(code, encoding="utf-8")
            os.replace(tmp, cache)
            _VEGA_JS[cache] = code
    return _VEGA_JS[cache]


def _theme() -> dict[str, Any]:
    return {
        "config": {
            "font": "DejaVu Sans, Arial, sans-serif",
            "view": {"continuousWidth": 520, "continuousHeight": 300, "stroke": None},
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridColor": "#eeeeee"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
            "title": {"fontSize": 14, "anchor": "start", "subtitleFontSize": 11, "subtitleColor": "#555555"},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
        }
    }


def use_offline_rendering() -> None:
    """Register and enable the project theme and the offline SVG renderer.

    Called at the top of every notebook (through ``setup_notebook``); safe to
    call twice."""
    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, _renderer)
    alt.renderers.enable(RENDERER_NAME)
    alt.theme.register(THEME_NAME, enable=True)(_theme)  # type: ignore[arg-type]  # a plain dict is a valid ThemeConfig


# --- sources and claims -----------------------------------------------------


def _with_article_labels(data: pd.DataFrame, articles: pd.DataFrame | None) -> pd.DataFrame:
    """Name each article by outlet and date (:func:`analysis.display.article_label`), not by file id."""
    from analysis import display
    from analysis._io import read_processed

    if articles is None:
        from analysis import paths

        articles = read_processed("articles", paths.PROCESSED)
    return data.assign(article=data["article_id"].map(display.article_labels(articles)).fillna("unknown article"))


def _bars_per_article(
    data: pd.DataFrame, count: str, count_title: str, colour: str, colour_title: str, title: alt.Title, tooltip: list, caption_text: str
) -> alt.Chart:
    """A horizontal stacked bar per article (the shape of the sources charts)."""
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("article:N", title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X(f"{count}:Q", title=count_title, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(f"{colour}:N", title=colour_title),
            order=alt.Order(f"{colour}:N"),
            tooltip=tooltip,
        )
        .properties(height=30 * max(1, data["article"].nunique()) + 20, usermeta={"caption": caption_text})
    )


def quantities_by_article(quantities: pd.DataFrame, articles: pd.DataFrame | None = None) -> alt.Chart:
    """How many quantities the parser found in each story, by unit."""
    data = (
        quantities.assign(unit=quantities["unit"].fillna("bare count"))
        .groupby(["article_id", "unit"], as_index=False)
        .agg(quantities=("text", "size"), examples=("text", lambda t: " | ".join(t.head(4))))
    )
    data = _with_article_labels(data, articles)
    return _bars_per_article(
        data,
        "quantities",
        "quantities found",
        "unit",
        "unit",
        alt.Title("Quantities found in each story", subtitle="from the cleaned story text only"),
        [
            alt.Tooltip("article:N", title="article"),
            alt.Tooltip("unit:N", title="unit"),
            alt.Tooltip("quantities:Q", title="quantities found"),
            alt.Tooltip("examples:N", title="examples as written"),
        ],
        "Source: the five articles' cleaned text read by the project's number parser.",
    )


def claims_for_metric(claims: pd.DataFrame, metric: str, title: str, articles: pd.DataFrame | None = None) -> alt.Chart:
    """How each article states one metric: claims per article, coloured by bound
    ("plus de", "jusqu'à", exact); the tooltip carries the values and verbatim quotes."""
    from analysis import display

    data = (
        claims[claims["metric"] == metric]
        .assign(bound_label=lambda d: d["bound"].map(lambda b: display.word("bound", b)))
        .groupby(["article_id", "bound_label"], as_index=False)
        .agg(
            claims=("claim_id", "size"),
            values=("value", lambda v: ", ".join(formatting.format_value(x, "chips") for x in v)),
            quotes=("quote", lambda q: " | ".join(f"« {x} »" for x in q)),
        )
    )
    data = _with_article_labels(data, articles)
    outlets = "; ".join(sorted(data["article"].unique()))
    return _bars_per_article(
        data,
        "claims",
        "claims",
        "bound_label",
        "wording",
        alt.Title(title, subtitle="claims per article, by wording; hover for the values and verbatim quotes"),
        [
            alt.Tooltip("article:N", title="article"),
            alt.Tooltip("bound_label:N", title="wording"),
            alt.Tooltip("values:N", title="figures"),
            alt.Tooltip("quotes:N", title="verbatim quotes"),
        ],
        f"Sources: {outlets} (quotes in the claims table below).",
    )


def cleaning_by_reason(cleaning_log: pd.DataFrame, articles: pd.DataFrame | None = None) -> alt.Chart:
    """Lines removed from each article, by the rule that removed them."""
    data = cleaning_log.groupby(["article_id", "reason"], as_index=False).agg(
        lines=("text", "size"), example=("text", lambda t: t.iloc[0][:120])
    )
    data = _with_article_labels(data.assign(reason=data["reason"].str.replace("_", " ")), articles)
    return _bars_per_article(
        data,
        "lines",
        "lines removed",
        "reason",
        "rule",
        alt.Title("What cleaning removed", subtitle="lines removed per article, by rule"),
        [
            alt.Tooltip("article:N", title="article"),
            alt.Tooltip("reason:N", title="rule"),
            alt.Tooltip("lines:Q", title="lines removed"),
            alt.Tooltip("example:N", title="example line"),
        ],
        "Source: the five articles' raw text and the cleaning rules.",
    )


def setup_notebook() -> None:
    """What every notebook runs first: the offline renderer and theme, and
    pandas display options pinned so that outputs are the same on every run."""
    use_offline_rendering()
    pd.set_option("display.max_colwidth", 200)
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.width", 120)
    pd.set_option("display.float_format", format_number)


def format_number(value: float) -> str:
    """400000 → '400,000'; 6.6858 → '6.686'; 0.2 → '0.2' (tables in notebooks)."""
    if math.isnan(value):
        return ""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


# --- figures ------------------------------------------------------------------


def range_text(table: pd.DataFrame, figure: str) -> str:
    """A headline figure as Markdown prose: 'US\\$10.8 bn (90% range US\\$8.7–11.7 bn)'
    (the dollar sign escaped: a pair would read as LaTeX math); a figure
    without uncertainty is its value alone."""
    from analysis import display

    row = table.loc[figure]
    if row["central"] == float("inf"):
        text = f"not within the horizon (90% range from {display.value_text(row['low'], row['unit'])})"
    else:
        text = display.range_text(row["low"], row["central"], row["high"], row["unit"])
    return text.replace("$", r"\$")


def scenario_markdown(scenario: Any) -> str:
    """The line under each notebook's title: the scenario, what it assumes, and
    every override a notebook parameter applied."""
    from analysis import display
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


def _axis(unit: str, **extra: Any) -> alt.Axis:
    base = unit.split(" ")[0] if unit.split(" ")[0] in formatting.UNITS else ""
    return alt.Axis(labelOverlap="greedy", tickCount=5, labelFlush=True, **formatting.axis_options(base), **extra)


def headline_ranges(table: pd.DataFrame, figures: list[str], title: str) -> alt.LayerChart:
    """Low–high bars with the central value marked, for figures sharing a unit;
    the tooltip gives the figures in words and their sources by outlet; the
    caption under the chart lists the sources for print."""
    from analysis import display

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
    base = alt.Chart(
        data, title=alt.Title(title, subtitle="bar: 90% range of the simulation; tick: central; hover for the sources")
    ).encode(
        y=alt.Y("title:N", title=None, sort=list(rows["title"]), axis=alt.Axis(labelLimit=320)),
        tooltip=[
            alt.Tooltip("title:N", title="figure"),
            alt.Tooltip("central_text:N", title="central"),
            alt.Tooltip("range_text:N", title="90% range"),
            alt.Tooltip("sources_text:N", title="sources"),
        ],
    )
    bars = base.mark_bar(height=14, opacity=0.45).encode(
        x=alt.X(
            "low:Q",
            title=formatting.unit_label(unit.split(" ")[0]) if unit.split(" ")[0] in formatting.UNITS else unit,
            scale=alt.Scale(zero=True),
            axis=_axis(unit),
        ),
        x2="high:Q",
    )
    ticks = base.mark_tick(thickness=3, size=22, color=PALETTE[1]).encode(x="central:Q")
    sources = display.readable_sources("; ".join(rows["sources"]))
    return (bars + ticks).properties(height=34 * len(figures) + 10, usermeta={"caption": f"Sources: {sources}."})


def sensitivity_heatmap(grid: pd.DataFrame, title: str = "Value of H200 sales to China, by units and price") -> alt.LayerChart:
    """Value (US$ bn) over units × price, each cell labelled, the US take in the tooltip."""
    data = grid.assign(
        value_bn=grid["value_usd"] / 1e9,
        units_label=grid["units"].map(lambda u: formatting.format_value(u, "chips")),
        price_label=grid["price_usd"].map(lambda p: formatting.format_value(p, "USD")),
        value_text=grid["value_usd"].map(lambda v: formatting.format_value(v, "USD")),
        take_text=grid["us_take_usd"].map(lambda v: formatting.format_value(v, "USD")),
    )
    order = [formatting.format_value(u, "chips") for u in sorted(grid["units"].unique())]
    base = alt.Chart(data, title=alt.Title(title, subtitle="US$ billion; hover for the US government's take")).encode(
        x=alt.X("units_label:O", title="H200 units", sort=order, axis=alt.Axis(grid=False, labelAngle=-30)),
        y=alt.Y(
            "price_label:O", title="price per H200", sort=alt.EncodingSortField("price_usd", order="descending"), axis=alt.Axis(grid=False)
        ),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("value_bn:Q", title="US$ bn", scale=alt.Scale(scheme="blues")),
        tooltip=[
            alt.Tooltip("units_label:N", title="H200 units"),
            alt.Tooltip("price_label:N", title="price per H200"),
            alt.Tooltip("value_text:N", title="value of the sales"),
            alt.Tooltip("take_text:N", title="US government's take"),
        ],
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("value_bn:Q", format=",.1f"),
        color=alt.condition(alt.datum.value_bn > data["value_bn"].max() / 2, alt.value("white"), alt.value("black")),
    )
    caption = (
        "Sources: price range from the scenario (Reuters, Jan 2026; Financial Times, Dec 2025); the take at the "
        "scenario's tariff base; units from 100,000 to 2.5 million, a grid, not a claim."
    )
    return (cells + labels).properties(width=520, height=40 * data["price_label"].nunique(), usermeta={"caption": caption})


def delivery_timeline_chart(timeline: pd.DataFrame) -> alt.LayerChart:
    """Cumulative deliveries (central line, simulated 90% band) against the
    limits that bind them: the running US cap, approvals so far and firm orders.
    The time axis zooms and pans (drag, wheel) where the chart is interactive."""
    data = timeline.assign(
        date=pd.to_datetime(timeline["month"] + "-01"),
        **{
            f"{c}_text": timeline[c].map(lambda v: formatting.format_value(v, "chips"))
            for c in ("delivered_cumulative", "delivered_cumulative_low", "delivered_cumulative_high")
        },
    )
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap="greedy", tickCount=8))
    y_axis = _axis("chips")
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.2, color=PALETTE[0])
        .encode(
            x=x,
            y=alt.Y("delivered_cumulative_low:Q", title="H200 delivered to China (cumulative)", axis=y_axis),
            y2="delivered_cumulative_high:Q",
        )
    )
    limits = data.melt(
        id_vars=["date", "month"], value_vars=["cap_cumulative", "approved_cumulative", "firm_orders"], var_name="limit", value_name="units"
    ).replace(
        {
            "limit": {
                "cap_cumulative": "US cap (50% of US shipments so far)",
                "approved_cumulative": "approved so far",
                "firm_orders": "firm orders",
            }
        }
    )
    limits["units_text"] = limits["units"].map(lambda v: formatting.format_value(v, "chips"))
    limit_lines = (
        alt.Chart(limits)
        .mark_line(strokeDash=[4, 3], strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("units:Q"),
            color=alt.Color("limit:N", title="limit", scale=alt.Scale(range=PALETTE[1:4]), legend=alt.Legend(labelLimit=320)),
            tooltip=[
                alt.Tooltip("month:N", title="month"),
                alt.Tooltip("limit:N", title="limit"),
                alt.Tooltip("units_text:N", title="H200"),
            ],
        )
    )
    delivered = (
        alt.Chart(data)
        .mark_line(color=PALETTE[0], point=alt.OverlayMarkDef(size=12, opacity=0.6))
        .encode(
            x=x,
            y="delivered_cumulative:Q",
            tooltip=[
                alt.Tooltip("month:N", title="month"),
                alt.Tooltip("delivered_cumulative_text:N", title="delivered so far, central"),
                alt.Tooltip("delivered_cumulative_low_text:N", title="90% range from"),
                alt.Tooltip("delivered_cumulative_high_text:N", title="90% range to"),
            ],
        )
    )
    title = alt.Title(
        "Deliveries to China against the limits that bind them",
        subtitle="solid: deliveries so far, central; band: 90% range of the simulation; dashed: limits (central); "
        "drag or scroll to zoom the months",
    )
    zoom = alt.selection_interval(bind="scales", encodings=["x"])
    caption = (
        "Sources: approved batch and orders from the articles (claims table); the US cap, approvals after the "
        "first batch, stock, output and pace are the scenario's assumptions (provenance table below)."
    )
    return (band.add_params(zoom) + limit_lines + delivered).properties(title=title, width=560, height=300, usermeta={"caption": caption})


def tornado_chart(table: pd.DataFrame, central: float, title: str, unit: str, top: int = 8) -> alt.LayerChart:
    """One bar per input: the figure with that input at its 5th and 95th
    percentile, everything else central; the rule marks the central value."""
    from analysis import display

    data = table.head(top).assign(
        label=lambda d: d["input"].map(display.input_label),
        low_text=lambda d: d["low"].map(lambda v: display.value_text(v, unit)),
        high_text=lambda d: d["high"].map(lambda v: display.value_text(v, unit)),
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
        )
    )
    rule = alt.Chart(pd.DataFrame({"central": [central]})).mark_rule(color=PALETTE[1], strokeWidth=2).encode(x="central:Q")
    subtitle = "each input alone at its 5th and 95th percentile, the others central; red: central value"
    caption = "Sources: the inputs' ranges in the provenance table below (articles' claims and the scenario's assumptions)."
    return (bars + rule).properties(
        title=alt.Title(title, subtitle=subtitle), width=480, height=24 * len(data) + 10, usermeta={"caption": caption}
    )


def allocation_chart(table: pd.DataFrame) -> alt.FacetChart:
    """H200 units per company under each splitting rule (central bar, 90%
    range as a line), requests in the tooltip."""
    from analysis import display

    chips = lambda s: s.map(lambda v: formatting.format_value(v, "chips"))
    data = table.assign(
        rule_label=table["rule"].map(lambda v: display.word("rule", v)),
        request_text=chips(table["requested_units"]),
        units_text=chips(table["h200_units"]),
        range_text=[
            display.range_only(lo, c, hi, "chips")
            for lo, c, hi in zip(table["h200_units_low"], table["h200_units"], table["h200_units_high"])
        ],
        power_text=table["facility_power_mw"].map(lambda v: formatting.format_value(v, "MW")),
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
        ]
    ]
    base = alt.Chart(data).encode(y=alt.Y("company:N", title=None))
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
            usermeta={"caption": caption},
        )
    )


def compute_balance_chart(table: pd.DataFrame) -> alt.LayerChart:
    """H100-equivalents of the H200 figures, China's installed compute and each
    published estimate of Huawei's output: bar central, line 90% range."""
    data = table.assign(central_k=table["central"] / 1e3, low_k=table["low"] / 1e3, high_k=table["high"] / 1e3)
    order = list(data["item"])
    base = alt.Chart(data).encode(y=alt.Y("item:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)))
    bars = base.mark_bar(opacity=0.8).encode(
        x=alt.X("central_k:Q", title="thousand H100-equivalents (by TPP)"),
        color=alt.Color("group:N", title=None, scale=alt.Scale(range=PALETTE[:3])),
        tooltip=[
            alt.Tooltip("item:N", title="what"),
            alt.Tooltip("central_k:Q", title="central (thousand H100e)", format=",.0f"),
            alt.Tooltip("low_k:Q", title="90% range from", format=",.0f"),
            alt.Tooltip("high_k:Q", title="90% range to", format=",.0f"),
            alt.Tooltip("source:N", title="source"),
        ],
    )
    ranges = base.mark_rule(color="#333333").encode(x="low_k:Q", x2="high_k:Q")
    title = alt.Title(
        "The approved H200 against China's compute and Huawei's output",
        subtitle="H100-equivalents by the US rule's TPP metric; bar: central; line: 90% range; each Huawei estimate is its source's",
    )
    from analysis import display

    caption = (
        "Sources: "
        + "; ".join(
            dict.fromkeys(display.readable_sources(s) if s.startswith(("claims:", "specs:", "scenario:")) else s for s in table["source"])
        )
        + "."
    )
    return (bars + ranges).properties(title=title, width=480, height=24 * len(data) + 10, usermeta={"caption": caption})


def rule_box_chart(eligibility: pd.DataFrame, tpp_limit: float, bandwidth_limit_gbs: float) -> alt.LayerChart:
    """TPP against memory bandwidth for every chip of the spec table, with the
    January 2026 rule's case-by-case box (TPP and bandwidth both below their ceilings)."""
    data = eligibility.dropna(subset=["tpp", "memory_bandwidth_gbs"]).assign(
        status=lambda d: d["eligible"].map({True: "US chip, eligible", False: "US chip, not eligible"}).fillna("other vendor, other rules")
    )
    box = (
        alt.Chart(pd.DataFrame({"x": [0], "x2": [tpp_limit], "y": [0], "y2": [bandwidth_limit_gbs]}))
        .mark_rect(opacity=0.08, color=PALETTE[2], stroke=PALETTE[2], strokeWidth=1.5)
        .encode(x="x:Q", x2="x2:Q", y="y:Q", y2="y2:Q")
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X("tpp:Q", title="TPP (total processing performance)"),
            y=alt.Y("memory_bandwidth_gbs:Q", title="memory bandwidth (GB/s)"),
            color=alt.Color("status:N", title=None, scale=alt.Scale(range=[PALETTE[2], PALETTE[1], PALETTE[6]])),
            tooltip=[
                alt.Tooltip("chip:N", title="chip"),
                alt.Tooltip("tpp:Q", title="TPP", format=",.0f"),
                alt.Tooltip("memory_bandwidth_gbs:Q", title="bandwidth (GB/s)", format=",.0f"),
                alt.Tooltip("reason:N", title="why"),
            ],
        )
    )
    labels = points.mark_text(align="left", dx=7, dy=-6, fontSize=10).encode(text="chip:N", color=alt.value("#333333"))
    title = alt.Title(
        "Which chips the US rule allows case by case", subtitle="green box: TPP and memory bandwidth both below the January 2026 ceilings"
    )
    caption = (
        "Sources: chip specifications from Epoch AI's Machine Learning Hardware dataset and the vendors' datasheets "
        "; ceilings from the Commerce (BIS) rule of January 2026."
    )
    return (box + points + labels).properties(title=title, width=520, height=320, usermeta={"caption": caption})


def readme_chart() -> alt.LayerChart:
    """The chart shown in the README: the central scenario's price sensitivity."""
    from analysis import figures, paths

    return sensitivity_heatmap(figures.sensitivity(paths.SCENARIOS / "central.yaml"))

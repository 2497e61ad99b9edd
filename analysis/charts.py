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
    title = spec.get("title")
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
    return (f'<figure class="h200-chart"><div class="h200-vega" role="img" aria-label="{html.escape(label)}"></div>'
            f'<script type="application/json" class="h200-vega-spec">{payload}</script>{figcaption}</figure>')


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
    return page


_VEGA_JS: dict[str, str] = {}


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
    alt.theme.register(THEME_NAME, enable=True)(_theme)


# --- sources and claims -----------------------------------------------------

BOUND_LABELS = {"exact": "exact", "at_least": "at least (plus de)", "at_most": "at most (jusqu'à)", "approx": "about (environ)"}


def _bars_per_article(data: pd.DataFrame, count: str, count_title: str, colour: str, colour_title: str,
                      title: alt.Title, tooltip: list) -> alt.Chart:
    """A horizontal stacked bar per article (the shape of the sources charts)."""
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("article_id:N", title="article"),
            x=alt.X(f"{count}:Q", title=count_title, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(f"{colour}:N", title=colour_title),
            order=alt.Order(f"{colour}:N"),
            tooltip=tooltip,
        )
        .properties(height=30 * max(1, data["article_id"].nunique()) + 20)
    )


def quantities_by_article(quantities: pd.DataFrame) -> alt.Chart:
    """How many quantities the parser found in each story, by unit."""
    data = (
        quantities.assign(unit=quantities["unit"].fillna("bare count"))
        .groupby(["article_id", "unit"], as_index=False)
        .agg(quantities=("text", "size"), examples=("text", lambda t: " | ".join(t.head(4))))
    )
    return _bars_per_article(
        data, "quantities", "quantities found", "unit", "unit",
        alt.Title("Quantities found in each story", subtitle="from the cleaned story text only"),
        ["article_id:N", "unit:N", "quantities:Q", alt.Tooltip("examples:N", title="examples")],
    )


def claims_for_metric(claims: pd.DataFrame, metric: str, title: str) -> alt.Chart:
    """How each article states one metric: claims per article, coloured by bound
    ("plus de", "jusqu'à", exact); the tooltip carries the values and verbatim quotes."""
    data = (
        claims[claims["metric"] == metric]
        .assign(bound_label=lambda d: d["bound"].map(BOUND_LABELS))
        .groupby(["article_id", "bound_label"], as_index=False)
        .agg(
            claims=("claim_id", "size"),
            claim_ids=("claim_id", ", ".join),
            values=("value", lambda v: ", ".join(f"{x:,.0f}" for x in v)),
            quotes=("quote", lambda q: " | ".join(f"« {x} »" for x in q)),
        )
    )
    return _bars_per_article(
        data, "claims", "claims", "bound_label", "bound",
        alt.Title(title, subtitle="claims per article, by bound; hover for the values and verbatim quotes"),
        ["article_id:N", "bound_label:N", "claim_ids:N", "values:N", "quotes:N"],
    )


def cleaning_by_reason(cleaning_log: pd.DataFrame) -> alt.Chart:
    """Lines removed from each article, by the rule that removed them."""
    data = cleaning_log.groupby(["article_id", "reason"], as_index=False).agg(
        lines=("text", "size"), example=("text", lambda t: t.iloc[0][:120])
    )
    return _bars_per_article(
        data, "lines", "lines removed", "reason", "rule",
        alt.Title("What cleaning removed", subtitle="lines removed per article, by rule"),
        ["article_id:N", "reason:N", "lines:Q", "example:N"],
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
    if value != value:  # NaN
        return ""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


# --- figures ------------------------------------------------------------------

# "USD bn", not "US$ bn": in Markdown output a pair of "$" would read as LaTeX math.
_UNIT_SCALE = {"USD": (1e9, "USD bn"), "USD a year": (1e9, "USD bn a year"), "chips": (1e3, "thousand chips"),
               "fraction": (0.01, "%"), "months": (1, "months"), "times": (1, "×"), "MW": (1, "MW")}


def _range_number(x: float) -> str:
    if x == float("inf"):
        return "beyond the horizon"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def scenario_markdown(scenario: Any) -> str:
    """The line under each notebook's title: the scenario, what it assumes, and
    every override a notebook parameter applied."""
    text = f"Scenario **{scenario.name}**: {scenario.description}"
    if scenario.overrides:
        text += " Overridden by notebook parameters: " + ", ".join(f"{key} = {value}" for key, value in scenario.overrides) + "."
    from analysis.uncertainty import DRAWS

    return text + f" Every figure is shown as its central value with its 90% range (5th to 95th percentile of {DRAWS:,} simulated draws)."


def range_text(table: pd.DataFrame, figure: str) -> str:
    """A headline figure as prose: '10.8 USD bn (90% range 8.68–11.7)'; a
    figure without uncertainty is its value alone."""
    row = table.loc[figure]
    scale, label = _UNIT_SCALE.get(row["unit"], (1, row["unit"]))
    low, central, high = (row[r] / scale for r in ("low", "central", "high"))
    if central == float("inf"):
        return f"not within the horizon (90% range from {_range_number(low)} {label})"
    text = f"{_range_number(central)} {label}"
    return text if low == high else f"{text} (90% range {_range_number(low)}–{_range_number(high)})"


def headline_ranges(table: pd.DataFrame, figures: list[str], title: str) -> alt.LayerChart:
    """Low–high bars with the central value marked, for figures sharing a unit;
    the tooltip names the inputs (claim ids, spec rows, scenario keys)."""
    units = set(table.loc[figures, "unit"])
    if len(units) != 1:
        raise ValueError(f"figures {figures} mix units {sorted(units)}")
    scale, label = _UNIT_SCALE.get(units.pop(), (1, ""))
    data = table.loc[figures].reset_index().assign(
        low_scaled=lambda d: d["low"] / scale, central_scaled=lambda d: d["central"] / scale, high_scaled=lambda d: d["high"] / scale
    )
    base = alt.Chart(data, title=alt.Title(title, subtitle="bar: 90% range of the simulation; tick: central; hover for the sources")).encode(
        y=alt.Y("figure:N", title=None, sort=figures),
        tooltip=[
            "figure:N",
            alt.Tooltip("low_scaled:Q", title=f"low ({label})", format=",.3~f"),
            alt.Tooltip("central_scaled:Q", title=f"central ({label})", format=",.3~f"),
            alt.Tooltip("high_scaled:Q", title=f"high ({label})", format=",.3~f"),
            "sources:N",
        ],
    )
    bars = base.mark_bar(height=14, opacity=0.45).encode(
        x=alt.X("low_scaled:Q", title=label, scale=alt.Scale(zero=True)), x2="high_scaled:Q"
    )
    ticks = base.mark_tick(thickness=3, size=22, color=PALETTE[1]).encode(x="central_scaled:Q")
    return (bars + ticks).properties(height=34 * len(figures) + 10)


def sensitivity_heatmap(grid: pd.DataFrame, title: str = "Value of H200 sales to China, by units and price") -> alt.LayerChart:
    """Value (US$ bn) over units × price, each cell labelled, the US take in the tooltip."""
    data = grid.assign(
        value_bn=grid["value_usd"] / 1e9, take_bn=grid["us_take_usd"] / 1e9,
        units_label=(grid["units"] / 1e3).map(lambda u: f"{u:,.0f}k"), price_label=grid["price_usd"].map(lambda p: f"${p:,.0f}"),
    )
    order = [f"{u / 1e3:,.0f}k" for u in sorted(grid["units"].unique())]
    base = alt.Chart(data, title=alt.Title(title, subtitle="US$ billion; hover for the US government's take")).encode(
        x=alt.X("units_label:O", title="H200 units", sort=order, axis=alt.Axis(grid=False, labelAngle=0)),
        y=alt.Y("price_label:O", title="price per H200", sort="descending", axis=alt.Axis(grid=False)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("value_bn:Q", title="US$ bn", scale=alt.Scale(scheme="blues")),
        tooltip=[
            alt.Tooltip("units:Q", format=",.0f"), alt.Tooltip("price_usd:Q", format="$,.0f"),
            alt.Tooltip("value_bn:Q", title="value (US$ bn)", format=",.2f"), alt.Tooltip("take_bn:Q", title="US take (US$ bn)", format=",.2f"),
        ],
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("value_bn:Q", format=",.1f"),
        color=alt.condition(alt.datum.value_bn > data["value_bn"].max() / 2, alt.value("white"), alt.value("black")),
    )
    return (cells + labels).properties(width=520, height=40 * data["price_label"].nunique())


def delivery_timeline_chart(timeline: pd.DataFrame) -> alt.LayerChart:
    """Cumulative deliveries (central line, simulated 90% band) against the
    limits that bind them: the running US cap, approvals so far and firm orders."""
    data = timeline.assign(**{c: timeline[c] / 1e3 for c in (
        "delivered_cumulative", "delivered_cumulative_low", "delivered_cumulative_high",
        "cap_cumulative", "approved_cumulative", "firm_orders")})
    x = alt.X("month:O", title="month", axis=alt.Axis(labelAngle=-60, labelOverlap=True))
    band = alt.Chart(data).mark_area(opacity=0.2, color=PALETTE[0]).encode(
        x=x, y=alt.Y("delivered_cumulative_low:Q", title="thousand H200 (cumulative)"), y2="delivered_cumulative_high:Q")
    limits = data.melt(id_vars=["month"], value_vars=["cap_cumulative", "approved_cumulative", "firm_orders"],
                       var_name="limit", value_name="units_k").replace({"limit": {
                           "cap_cumulative": "US cap (50% of US shipments)", "approved_cumulative": "approved so far",
                           "firm_orders": "firm orders"}})
    limit_lines = alt.Chart(limits).mark_line(strokeDash=[4, 3], strokeWidth=1.5).encode(
        x=x, y="units_k:Q", color=alt.Color("limit:N", title="limit", scale=alt.Scale(range=PALETTE[1:4])),
        tooltip=["month:O", "limit:N", alt.Tooltip("units_k:Q", title="thousand", format=",.0f")])
    delivered = alt.Chart(data).mark_line(color=PALETTE[0]).encode(
        x=x, y="delivered_cumulative:Q",
        tooltip=["month:O", alt.Tooltip("delivered_cumulative:Q", title="delivered, central (k)", format=",.0f"),
                 alt.Tooltip("delivered_cumulative_low:Q", title="90% range from (k)", format=",.0f"),
                 alt.Tooltip("delivered_cumulative_high:Q", title="90% range to (k)", format=",.0f")])
    title = alt.Title("Deliveries to China against the limits that bind them",
                      subtitle="solid: cumulative deliveries, central; band: 90% range of the simulation; dashed: limits (central)")
    return (band + limit_lines + delivered).properties(title=title, width=560, height=300)


def tornado_chart(table: pd.DataFrame, central: float, title: str, unit: str, top: int = 8) -> alt.LayerChart:
    """One bar per input: the figure with that input at its 5th and 95th
    percentile, everything else central; the rule marks the central value."""
    scale, label = _UNIT_SCALE.get(unit, (1, unit))
    data = table.head(top).assign(low_scaled=lambda d: d["low"] / scale, high_scaled=lambda d: d["high"] / scale)
    order = list(data["input"])
    bars = alt.Chart(data).mark_bar(height=14, opacity=0.7).encode(
        x=alt.X("low_scaled:Q", title=label, scale=alt.Scale(zero=False)), x2="high_scaled:Q",
        y=alt.Y("input:N", title=None, sort=order),
        tooltip=["input:N", alt.Tooltip("low_scaled:Q", title=f"at its 5th percentile ({label})", format=",.3~f"),
                 alt.Tooltip("high_scaled:Q", title=f"at its 95th percentile ({label})", format=",.3~f")])
    rule = alt.Chart(pd.DataFrame({"central": [central / scale]})).mark_rule(color=PALETTE[1], strokeWidth=2).encode(x="central:Q")
    subtitle = "each input alone at its 5th and 95th percentile, the others central; red: central value"
    return (bars + rule).properties(title=alt.Title(title, subtitle=subtitle), width=480, height=24 * len(data) + 10)


def allocation_chart(table: pd.DataFrame) -> alt.LayerChart:
    """H200 units per company under each splitting rule (central bar, 90%
    range as a line), requests in the tooltip."""
    data = table.assign(units_k=table["h200_units"] / 1e3, low_k=table["h200_units_low"] / 1e3,
                        high_k=table["h200_units_high"] / 1e3, request_k=table["requested_units"] / 1e3)
    base = alt.Chart(data).encode(y=alt.Y("company:N", title=None))
    bars = base.mark_bar().encode(
        x=alt.X("units_k:Q", title="thousand H200"), color=alt.Color("company:N", legend=None),
        tooltip=["rule:N", "company:N", alt.Tooltip("request_k:Q", title="requested (k)", format=",.0f"),
                 alt.Tooltip("units_k:Q", title="H200, central (k)", format=",.1f"),
                 alt.Tooltip("low_k:Q", title="90% range from (k)", format=",.1f"),
                 alt.Tooltip("high_k:Q", title="90% range to (k)", format=",.1f"),
                 alt.Tooltip("facility_power_mw:Q", title="facility power (MW)", format=",.0f")])
    ranges = base.mark_rule(color="#333333").encode(x="low_k:Q", x2="high_k:Q")
    return (
        alt.layer(bars, ranges, data=data)
        .properties(width=480, height=22 * data["company"].nunique())
        .facet(row=alt.Row("rule:N", title=None, sort=["proportional", "equal", "max_min_fair"]))
        .properties(title=alt.Title("How the approved batch could split",
                                    subtitle="thousand H200 per group, by rule: bar central, line 90% range; hover for requests and power"))
    )


def readme_chart() -> alt.LayerChart:
    """The chart shown in the README: the central scenario's price sensitivity."""
    from analysis import figures, paths

    return sensitivity_heatmap(figures.sensitivity(paths.SCENARIOS / "central.yaml"))

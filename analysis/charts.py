"""One altair theme, one offline renderer, and the chart builders.

Rendering choice: every chart is drawn to static SVG by ``vl-convert`` (a
Python wheel that bundles Vega, so no network and no JavaScript are needed)
and each mark's tooltip text is copied into an SVG ``<title>``, which browsers
and JupyterLab show on hover. The SVG is byte-stable from run to run, so the
notebooks' committed outputs pass strict nbval, and a report is a few tens of
kilobytes instead of ~900 KB of Vega JavaScript per page.
"""

from __future__ import annotations

import html
import re
from typing import Any

import altair as alt
import pandas as pd

RENDERER_NAME = "h200-svg"
THEME_NAME = "h200"

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
    """Render a chart (or a Vega-Lite spec) to SVG with hover titles, offline."""
    import vl_convert

    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return _svg_with_titles(vl_convert.vegalite_to_svg(spec))


def _svg_renderer(spec: dict[str, Any], **_metadata: Any) -> dict[str, str]:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    label = html.unescape(str(title)) if title else "chart"
    return {"image/svg+xml": chart_to_svg(spec), "text/plain": f"<chart: {label}>"}


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
        alt.renderers.register(RENDERER_NAME, _svg_renderer)
    alt.renderers.enable(RENDERER_NAME)
    alt.theme.register(THEME_NAME, enable=True)(_theme)


# --- sources and claims -----------------------------------------------------

BOUND_LABELS = {"exact": "exact", "at_least": "at least (plus de)", "at_most": "at most (jusqu'à)", "approx": "about (environ)"}


def quantities_by_article(quantities: pd.DataFrame) -> alt.Chart:
    """How many quantities the parser found in each story, by unit."""
    data = (
        quantities.assign(unit=quantities["unit"].fillna("bare count"))
        .groupby(["article_id", "unit"], as_index=False)
        .agg(quantities=("text", "size"), examples=("text", lambda t: " | ".join(t.head(4))))
    )
    return (
        alt.Chart(data, title=alt.Title("Quantities found in each story", subtitle="from the cleaned story text only"))
        .mark_bar()
        .encode(
            y=alt.Y("article_id:N", title="article"),
            x=alt.X("quantities:Q", title="quantities found"),
            color=alt.Color("unit:N", title="unit"),
            order=alt.Order("unit:N"),
            tooltip=["article_id:N", "unit:N", "quantities:Q", alt.Tooltip("examples:N", title="examples")],
        )
        .properties(height=28 * data["article_id"].nunique() + 20)
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
    return (
        alt.Chart(data, title=alt.Title(title, subtitle="claims per article, by bound; hover for the values and verbatim quotes"))
        .mark_bar()
        .encode(
            y=alt.Y("article_id:N", title="article"),
            x=alt.X("claims:Q", title="claims", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("bound_label:N", title="bound"),
            order=alt.Order("bound_label:N"),
            tooltip=["article_id:N", "bound_label:N", "claim_ids:N", "values:N", "quotes:N"],
        )
        .properties(height=32 * max(1, data["article_id"].nunique()) + 20)
    )


def cleaning_by_reason(cleaning_log: pd.DataFrame) -> alt.Chart:
    """Lines removed from each article, by the rule that removed them."""
    data = cleaning_log.groupby(["article_id", "reason"], as_index=False).agg(
        lines=("text", "size"), example=("text", lambda t: t.iloc[0][:120])
    )
    return (
        alt.Chart(data, title=alt.Title("What cleaning removed", subtitle="lines removed per article, by rule"))
        .mark_bar()
        .encode(
            y=alt.Y("article_id:N", title="article"),
            x=alt.X("lines:Q", title="lines removed"),
            color=alt.Color("reason:N", title="rule"),
            order=alt.Order("reason:N"),
            tooltip=["article_id:N", "reason:N", "lines:Q", "example:N"],
        )
        .properties(height=28 * data["article_id"].nunique() + 20)
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

"""How charts are rendered: one altair theme, one offline renderer, the report pages' chart figures.

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

__all__ = [
    "CHART_CAPTION_KEY",
    "CHART_FIGURE_KEY",
    "DEFERRED_MIMETYPE",
    "DEFER_ENV",
    "PALETTE",
    "RENDERER_NAME",
    "THEME_NAME",
    "VEGA_MIMETYPE",
    "caption",
    "chart_to_svg",
    "draw_deferred_charts",
    "figure_html",
    "format_number",
    "html_charts",
    "is_chart_caption",
    "is_chart_figure",
    "row_words",
    "setup_notebook",
    "theme",
    "use_offline_rendering",
    "vega_javascript",
    "vega_javascript_path",
    "vega_spec",
]

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


def row_words(data: pd.DataFrame, fields: list[tuple[str, str]]) -> pd.Series:
    """Each row in words, 'title: text; title: text', from text columns: the
    marks' accessible label (aria-label, and the static SVG's ``<title>``),
    which Vega would otherwise write from the raw encoded numbers."""
    return pd.Series(
        ["; ".join(f"{title}: {row[column]}" for column, title in fields) for _, row in data.iterrows()], index=data.index, dtype="object"
    )


def chart_to_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """Render a chart (or a Vega-Lite spec) to static SVG with hover titles,
    offline (the index page's overview chart, which needs no JavaScript)."""
    import vl_convert

    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return _svg_with_titles(vl_convert.vega_to_svg(vega_spec(spec)))


def _axis_descriptions(node: Any) -> None:
    """Make each axis's ``description`` its accessible label: Vega ignores the
    axis property and writes its own ("values from $0 to $12G"), but honours
    the same text given as the axis group's encoding."""
    if isinstance(node, list):
        for item in node:
            _axis_descriptions(item)
    elif isinstance(node, dict):
        for axis in node.get("axes", []):
            if isinstance(axis, dict) and "description" in axis:
                update = axis.setdefault("encode", {}).setdefault("axis", {}).setdefault("update", {})
                update.setdefault("description", {"value": axis["description"]})
        for key in ("marks", "layer"):
            _axis_descriptions(node.get(key, []))


def vega_spec(vegalite: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite spec compiled to Vega, labelled Vega 5 so that JupyterLab's
    Vega 5 renderer takes it (the compiled spec uses nothing newer), each
    axis's description made its accessible label."""
    import vl_convert

    spec = vl_convert.vegalite_to_vega(vegalite)
    spec["$schema"] = "https://vega.github.io/schema/vega/v5.json"
    _axis_descriptions(spec)
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


#: Output metadata of the Markdown caption shown under a chart in JupyterLab
#: (Lab hides the ``text/plain`` that carries the sources behind the chart).
CHART_CAPTION_KEY = "h200_chart_caption"


def _notebook_renderer(spec: dict[str, Any], **metadata: Any) -> Any:
    """The renderer notebooks use: in a kernel, the chart is displayed, then its
    caption (the sources) as a Markdown output under it, which Lab shows; the
    report pages drop that output (their figure prints the caption). Outside
    a kernel, or for a chart without a caption, just the chart."""
    bundle = _renderer(spec, **metadata)
    text = caption(spec)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover  # IPython comes with altair's notebook support
        return bundle
    shell = get_ipython()
    if not text or shell is None or not hasattr(shell, "kernel"):
        return bundle
    from IPython.display import display

    from analysis.present.text import md_escape

    display(bundle, raw=True)  # type: ignore[no-untyped-call]  # IPython leaves display() unannotated
    return {"text/markdown": f"*{md_escape(text)}*", "text/plain": text}, {CHART_CAPTION_KEY: True}


def is_chart_caption(output: Any) -> bool:
    """Whether a notebook output is the Markdown caption under a chart."""
    return bool(output.get("metadata", {}).get(CHART_CAPTION_KEY))


def draw_deferred_charts(notebook: Any) -> list[dict[str, Any]]:
    """Replace every deferred chart output of an executed notebook with its
    Vega spec (JupyterLab draws it) and a PNG beside it (GitHub and any viewer
    without Vega show that); return the Vega-Lite specs, in order."""
    specs = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if DEFERRED_MIMETYPE in data:
                spec = dict(data.pop(DEFERRED_MIMETYPE))
                vega, png = _drawn(spec)
                data[VEGA_MIMETYPE] = vega
                data["image/png"] = png
                specs.append(spec)
    return specs


#: Charts already drawn in this process: Vega-Lite spec (canonical JSON) → (Vega spec as JSON, PNG in base64).
_DRAWN: dict[str, tuple[str, str]] = {}


def _drawn(spec: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A Vega-Lite spec's Vega spec and PNG (base64), each drawn once per
    process: the same chart under another scenario (the sources page's, which
    no scenario changes) is not drawn again. Drawing is deterministic, so a
    chart drawn again would give the same bytes."""
    import base64

    import vl_convert

    from analysis.core.memo import remembered, shared_within_build

    def draw() -> tuple[str, str]:
        vega = vega_spec(spec)
        return json.dumps(vega), base64.b64encode(vl_convert.vega_to_png(vega, scale=1)).decode("ascii")

    key = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    vega_json, png = remembered(
        _DRAWN, key, lambda: shared_within_build("chart", key, draw), size=256
    )  # the other worker may have drawn it
    return json.loads(vega_json), png


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
        if "outputs" in cell:  # the figure prints the caption: the Markdown one under the chart would repeat it
            cell["outputs"] = [output for output in cell["outputs"] if not is_chart_caption(output)]
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

    from analysis.core import paths

    return paths.BUILD_CACHE / f"vega-embed-vl-convert-{version('vl-convert-python')}.js"


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


def theme() -> dict[str, Any]:
    """The project's altair theme: fonts, sizes, the palette (registered as :data:`THEME_NAME`)."""
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
        alt.renderers.register(RENDERER_NAME, _notebook_renderer)
    alt.renderers.enable(RENDERER_NAME)
    alt.theme.register(THEME_NAME, enable=True)(theme)  # type: ignore[arg-type]  # a plain dict is a valid ThemeConfig


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

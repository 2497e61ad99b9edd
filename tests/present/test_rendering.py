"""How charts are rendered (analysis.present.rendering): the project theme, the static
SVG with hover titles, the Vega spec JupyterLab takes, the report page's chart figures,
the offline renderer and the cached Vega runtime."""

from __future__ import annotations

import math
import re

import altair as alt
import nbformat
import pandas as pd
import pytest

from analysis.present import rendering


def _bars() -> alt.Chart:
    data = pd.DataFrame({"a": ["x", "y"], "b": [1, 2], "words": ["x is 1", "y is 2"]})
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(x=alt.X("b:Q", axis=alt.Axis(description="axis: count")), y="a:N", description="words:N")
        .properties(title="Two bars")
    )


def test_theme_sets_fonts_sizes_and_the_palette():
    config = rendering.theme()["config"]
    assert config["font"] == "DejaVu Sans, Arial, sans-serif"
    assert config["view"] == {"continuousWidth": 520, "continuousHeight": 300, "stroke": None}
    assert config["range"]["category"] == rendering.PALETTE and len(rendering.PALETTE) == 7
    assert config["bar"]["color"] == config["line"]["color"] == "#1f4e79"
    assert config["legend"]["orient"] == "bottom" and config["title"]["anchor"] == "start"


def test_use_offline_rendering_enables_the_renderer_and_the_theme():
    renderer, chosen_theme = alt.renderers.active, alt.theme.active
    try:
        rendering.use_offline_rendering()
        rendering.use_offline_rendering()  # safe to call twice
        assert alt.renderers.active == "h200-vega" and alt.theme.active == "h200"
        # The theme reaches every chart's spec: altair merges it into the config.
        assert _bars().to_dict()["config"]["font"] == "DejaVu Sans, Arial, sans-serif"
    finally:
        alt.renderers.enable(renderer)
        alt.theme.enable(chosen_theme)


FORMATTED = [(400_000, "400,000"), (6.6858, "6.686"), (0.2, "0.2"), (1000.0, "1,000"), (-1234.4, "-1,234"), (12.0, "12"), (math.nan, "")]


@pytest.mark.parametrize(("value", "text"), FORMATTED, ids=[text or "nan" for _, text in FORMATTED])
def test_format_number_for_notebook_tables(value, text):
    assert rendering.format_number(value) == text


def test_row_words_name_each_field_by_its_title():
    data = pd.DataFrame({"article": ["Reuters", "AFP"], "count": ["3", "1"]}, index=[5, 7])
    words = rendering.row_words(data, [("article", "article"), ("count", "claims")])
    assert words.to_dict() == {5: "article: Reuters; claims: 3", 7: "article: AFP; claims: 1"}


def test_every_labelled_mark_gets_a_title_child():
    svg = '<g aria-label="group"><path d="M0,0" aria-label="a: 1; b: 2"/><rect x="1"/></g>'
    assert rendering._svg_with_titles(svg) == (
        '<g aria-label="group"><path d="M0,0" aria-label="a: 1; b: 2"><title>a: 1; b: 2</title></path><rect x="1"/></g>'
    )


def test_chart_to_svg_draws_each_bar_with_its_words_as_hover_title():
    svg = rendering.chart_to_svg(_bars())
    bars = re.findall(r'<path aria-label="([^"]*)"[^>]*aria-roledescription="bar" d="M0,[\d.]+h([\d.]+)[^>]*><title>([^<]*)</title>', svg)
    assert [(label, title) for label, _, title in bars] == [("x is 1", "x is 1"), ("y is 2", "y is 2")]
    widths = [float(width) for _, width, _ in bars]
    assert widths[1] == pytest.approx(2 * widths[0])  # b = 2 against b = 1, on an axis from 0
    assert rendering.chart_to_svg(_bars().to_dict()) == svg  # a Vega-Lite spec draws the same


def test_vega_spec_is_labelled_vega_5_and_makes_the_axis_description_its_label():
    vega = rendering.vega_spec(_bars().to_dict())
    assert vega["$schema"] == "https://vega.github.io/schema/vega/v5.json"
    described = [axis for axis in vega["axes"] if "description" in axis]
    assert [axis["encode"]["axis"]["update"]["description"] for axis in described] == [{"value": "axis: count"}]


def test_caption_and_label_of_a_spec():
    assert rendering.caption({"usermeta": {"caption": "Sources: Reuters."}}) == "Sources: Reuters."
    assert rendering.caption({}) == rendering.caption({"usermeta": None}) == ""
    assert rendering._label({"title": "Value &amp; orders"}) == "Value & orders"
    assert rendering._label({"title": {"text": "Titled", "subtitle": "s"}}) == "Titled"
    assert rendering._label({"layer": [{"mark": "bar"}, {"title": "From a layer"}]}) == "From a layer"
    assert rendering._label({"mark": "bar"}) == "chart"


def test_deferred_renderer_hands_over_the_spec_and_its_caption(monkeypatch):
    monkeypatch.setenv(rendering.DEFER_ENV, "1")
    spec = {"title": "T", "usermeta": {"caption": "Sources: AFP."}}
    assert rendering._renderer(spec) == {rendering.DEFERRED_MIMETYPE: spec, "text/plain": "Chart: T. Sources: AFP."}
    assert rendering._renderer({"title": "T"})["text/plain"] == "Chart: T"  # no caption: the label alone


def test_figure_html_is_vega_6_with_sorted_json_an_escaped_label_and_no_empty_caption():
    page = rendering.figure_html({"b": 1, "a": "x", "$schema": "v5"}, "", 'A "quoted" <label>')
    assert page == (
        '<figure class="h200-chart"><div class="h200-vega" role="img" aria-label="A &quot;quoted&quot; &lt;label&gt;"></div>'
        '<script type="application/json" class="h200-vega-spec">'
        '{"$schema":"https://vega.github.io/schema/vega/v6.json","a":"x","b":1}</script></figure>'
    )


def test_html_charts_turns_vega_outputs_into_figures_and_leaves_the_notebook_alone():
    vega = {"title": "Split", "marks": []}
    chart = nbformat.v4.new_output("display_data", data={rendering.VEGA_MIMETYPE: vega, "text/plain": "Chart: Split. Sources: A. B."})
    bare = nbformat.v4.new_output("display_data", data={rendering.VEGA_MIMETYPE: {"title": "Bare"}, "text/plain": "Chart: Bare"})
    printed = nbformat.v4.new_output("stream", name="stdout", text="hello\n")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[chart, bare, printed])])
    page = rendering.html_charts(notebook)
    first, second, third = page.cells[0].outputs
    assert first["data"] == {"text/html": rendering.figure_html(vega, "Sources: A. B.", "Split")}  # split at the first ". " only
    assert "<figcaption>" not in second["data"]["text/html"]
    assert [rendering.is_chart_figure(o) for o in (first, second, third)] == [True, True, False]
    assert third == printed
    assert rendering.VEGA_MIMETYPE in notebook.cells[0].outputs[0]["data"]  # the .ipynb keeps the Vega spec


def test_chart_outputs_are_told_by_their_metadata():
    assert rendering.is_chart_caption({"metadata": {rendering.CHART_CAPTION_KEY: True}})
    assert not rendering.is_chart_caption({"output_type": "stream"})
    # A figure needs both the mark and its HTML.
    assert not rendering.is_chart_figure({"metadata": {rendering.CHART_FIGURE_KEY: True}, "data": {"text/plain": "x"}})
    assert not rendering.is_chart_figure({"metadata": {}, "data": {"text/html": "<p>x</p>"}})


def test_vega_javascript_is_read_once_from_its_cache_file(tmp_path, monkeypatch):
    cache = tmp_path / "vega.js"
    cache.write_text("window.vegaEmbed = function () {};", encoding="utf-8")
    monkeypatch.setattr(rendering, "vega_javascript_path", lambda: cache)
    monkeypatch.setattr(rendering, "_VEGA_JS", {})
    assert rendering.vega_javascript() == "window.vegaEmbed = function () {};"
    cache.unlink()
    assert rendering.vega_javascript() == "window.vegaEmbed = function () {};"  # kept in memory: not bundled again


def test_vega_javascript_path_is_per_vl_convert_version():
    from importlib.metadata import version

    from analysis.core import paths

    path = rendering.vega_javascript_path()
    assert path.parent == paths.BUILD_CACHE and path.suffix == ".js"
    assert version("vl-convert-python") in path.name

"""What a reader sees: words, formatted numbers, outlets, stable tables."""

from __future__ import annotations

import html
import math
import re

import pytest

from analysis.core import paths
from analysis.metadata.processed import read_processed
from analysis.model import figures
from analysis.model.engine import Provenance
from analysis.model.scenarios import load_scenario
from analysis.present import charts, display, figure_text, rendering, text

CENTRAL = paths.SCENARIOS / "central.yaml"
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ARTICLE_ID = re.compile(r"\b\d{3}_[0-9a-f]{16}\b")


def _visible(styler) -> str:
    """The text of a Styler's HTML, without tags, CSS or attributes."""
    body = styler.to_html()
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", body)


def test_article_label_names_outlet_and_date_never_the_file_id():
    assert (
        display.article_label({"article_id": "003_5f22817db57bbc42", "outlet": "Reuters", "published": "2026-01-28"})
        == "Reuters, 28 January 2026"
    )
    assert display.article_label({"article_id": "000_986cc8c17a2d2c6e", "outlet": float("nan"), "published": None}) == (
        "Article 1 (outlet not named), undated"
    )


def test_figures_in_words_and_formatted():
    assert display.range_only(9.72e9, 10.8e9, 11.88e9, "USD") == "US$9.7–11.9 bn"
    assert display.range_text(9.72e9, 10.8e9, 11.88e9, "USD") == "US$10.8 bn (90% range US$9.7–11.9 bn)"
    assert display.value_text(18.9e9, "USD a year") == "US$18.9 bn a year"
    assert display.value_text(math.inf, "months") == "beyond the horizon"
    assert display.range_only(13, 24, math.inf, "months") == "from 13 months to beyond the horizon"
    assert display.range_only(6.7, 6.7, 6.7, "times") == "—"  # a certain figure has no range
    assert display.word("bound", "at_least") == 'at least ("plus de")'
    assert display.scenario_title("slow-approvals") == "Slow approvals"


def test_readable_sources_name_outlets_specs_and_assumptions():
    claims = read_processed("claims", paths.PROCESSED).set_index("claim_id")
    articles = read_processed("articles", paths.PROCESSED).set_index("article_id")
    reuters_claim = claims.index[claims["article_id"] == articles.index[articles["outlet"] == "Reuters"][0]][0]
    provenance = Provenance((reuters_claim,), ("H200 SXM.bf16_tflops",), ("pue",))
    assert str(provenance) == f"claims: {reuters_claim}; specs: H200 SXM.bf16_tflops; scenario: pue"  # as text, for an analyst
    text = display.readable_sources(provenance)
    assert text == (
        "articles: Reuters, 28 January 2026; specifications: H200 SXM dense BF16 compute (TFLOP/s); "
        "assumptions: Data-centre power usage effectiveness (PUE)"
    )


def test_provenance_table_quotes_with_outlet_and_link_and_no_identifiers():
    styler = display.provenance_table(CENTRAL, ["approved_value_usd"])
    data = styler.data
    reuters = data[data["Source"].str.startswith("Reuters, 28 January 2026")]
    assert len(reuters) == 1 and reuters["Quote, specification or reason"].iloc[0].startswith("« ")
    assert 'href="https://www.reuters.com/' in reuters["Source"].iloc[0]
    price = data[data["Input"] == "Price Chinese buyers pay per H200"]
    assert price["Value"].iloc[0] == "US$27,000 (range US$20,000–30,000)"
    text = _visible(styler)
    assert not ARTICLE_ID.search(text) and not SNAKE.search(text), SNAKE.findall(text)[:5]
    assert styler.to_html() == display.provenance_table(CENTRAL, ["approved_value_usd"]).to_html()  # stable ids


@pytest.mark.parametrize("scenario", sorted(paths.SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_notebook_tables_read_in_words(scenario):
    table = figures.headline(scenario)
    allocation = figures.allocation_table(scenario)
    for styler in (
        display.headline_table(table),
        figure_text.allocation_display(allocation),
        figure_text.inference_display(figures.inference_table(scenario)),
        figure_text.timeline_table(figures.delivery_timeline(scenario)),
    ):
        text = _visible(styler)
        assert not SNAKE.search(text), (scenario.stem, SNAKE.findall(text)[:5])
        assert not re.search(r"\d{1,3}(?:,\d{3}){3,}|0\.\d{4,}", text)
    row = table.loc["approved_value_usd"]
    shown = display.headline_table(table).data.set_index("Figure").loc["Value of the approved batch"]
    assert shown["Central"] == display.value_text(row["central"], "USD")


def test_chart_html_keeps_spec_inside_its_script_and_prints_the_caption():
    spec = {"title": "x", "data": [{"name": "t", "values": [{"q": "« </script><b>x</b> »"}]}]}
    page = rendering.figure_html(spec, "Sources: Reuters & AFP", "x")
    assert page.count("</script>") == 1 and "<\\/script><b>" in page
    assert "<figcaption>Sources: Reuters &amp; AFP</figcaption>" in page


def test_chart_outputs_vega_for_jupyterlab_and_png_for_static_viewers(monkeypatch):
    import base64

    spec = charts.allocation_chart(figures.allocation_table(CENTRAL)).to_dict()
    monkeypatch.delenv(rendering.DEFER_ENV, raising=False)
    bundle = rendering._renderer(spec)
    assert set(bundle) == {rendering.VEGA_MIMETYPE, "image/png", "text/plain"}
    assert bundle[rendering.VEGA_MIMETYPE]["$schema"].endswith("/vega/v5.json")  # JupyterLab 4's renderer takes v5
    assert base64.b64decode(bundle["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert bundle["text/plain"].startswith("Chart: How the approved batch could split. Sources: ")
    assert bundle == rendering._renderer(spec)  # byte-stable: strict nbval compares the spec
    monkeypatch.setenv(rendering.DEFER_ENV, "1")
    assert set(rendering._renderer(spec)) == {rendering.DEFERRED_MIMETYPE, "text/plain"}
    # A report's executed notebook: the worker draws the deferred chart, the Vega spec and a PNG beside it.
    import nbformat

    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data=rendering._renderer(spec))])]
    )
    assert rendering.draw_deferred_charts(notebook) == [spec]
    drawn = notebook.cells[0].outputs[0]["data"]
    assert set(drawn) == {rendering.VEGA_MIMETYPE, "image/png", "text/plain"}
    assert base64.b64decode(drawn["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"


def test_lab_shows_a_chart_then_its_sources_and_the_page_prints_them_once(monkeypatch):
    """In a kernel the chart is displayed and its caption follows as Markdown
    (Lab hides text/plain behind the chart); the report page keeps one figcaption."""
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    spec = charts.allocation_chart(figures.allocation_table(CENTRAL)).to_dict()
    monkeypatch.setenv(rendering.DEFER_ENV, "1")
    assert rendering._notebook_renderer(spec) == rendering._renderer(spec)  # no kernel: only the chart

    shown = []

    class Kernel(InteractiveShell):
        kernel = object()

    Kernel.instance()  # get_ipython() now answers this shell, which has a kernel
    monkeypatch.setattr("IPython.display.display", lambda bundle, raw: shown.append(bundle))
    try:
        data, metadata = rendering._notebook_renderer(spec)
    finally:
        Kernel.clear_instance()
    assert shown == [rendering._renderer(spec)]
    sources = rendering.caption(spec)
    assert sources.startswith("Sources: ")
    assert data == {"text/markdown": f"*{text.md_escape(sources)}*", "text/plain": sources}
    assert metadata == {rendering.CHART_CAPTION_KEY: True}

    chart = nbformat.v4.new_output("display_data", data={rendering.VEGA_MIMETYPE: {"title": "t"}, "text/plain": f"Chart: t. {sources}"})
    under = nbformat.v4.new_output("execute_result", data=data, metadata=metadata, execution_count=1)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("chart", outputs=[chart, under])])
    page = rendering.html_charts(notebook)
    assert len(page.cells[0].outputs) == 1
    assert f"<figcaption>{html.escape(sources)}</figcaption>" in page.cells[0].outputs[0]["data"]["text/html"]
    assert len(notebook.cells[0].outputs) == 2  # the notebook itself keeps both


#: Each family of project identifiers a scenario's reason or a curator's note
#: uses, as written, and what the reader reads (shipped data: article 002 is
#: undated by outlet, dated 30 January 2026; article 003 is Reuters, 28 January 2026).
IN_WORDS = [
    ("seed", "approved (seed 003) outside", "approved (Reuters, 28 January 2026) outside"),
    ("seeds listed", "limits purchases, seeds 002 and 003)", "limits purchases, an article of 30 January 2026; Reuters, 28 January 2026)"),
    ("article file id", "rests on article 002_365c5dd10a5ec3f5 alone", "rests on an article of 30 January 2026 alone"),
    ("undated article", "as cited by article 000.", "as cited by an undated article."),
    (
        "reference section",
        "a tariff on the chips (facts.md §3)",
        "a tariff on the chips (the Commerce Department's rule and the proclamation of January 2026, as Reuters reported them)",
    ),
    ("unknown claim kept", "no firm orders yet (claims c999).", "no firm orders yet (claims c999)."),
    (
        "model input",
        "comes only if production resumes, from new_output_start_month.",
        "comes only if production resumes, from month new TSMC output starts.",
    ),
    ("unknown name kept", "a made_up_name here", "a made_up_name here"),
    ("plain numbers untouched", "10,200 / (8 × 700) = 1.82", "10,200 / (8 × 700) = 1.82"),
]


@pytest.mark.parametrize(("family", "written", "read"), IN_WORDS, ids=[row[0] for row in IN_WORDS])
def test_identifiers_in_project_text_become_words(family, written, read):
    assert display.in_words(written) == read


def test_claims_are_named_by_their_article_and_what_they_say():
    claims = read_processed("claims", paths.PROCESSED).set_index("claim_id")
    some = list(claims.index[:2])
    text = display.in_words(f"as reported (claims {some[0]}, {some[1]}).")
    assert not re.search(r"\bc\d+\b", text)
    assert text.startswith("as reported (") and ", on " in text
    assert display.in_words(f"alone ({some[0]})") != f"alone ({some[0]})"


def test_shipped_scenarios_reasons_read_without_identifiers():
    identifier = re.compile(r"facts\.md|§|\bseeds?\s+\d{3}|\bclaims?\s+c\d+|\barticle\s+\d{3}|\(c\d+\)")
    for path in sorted(paths.SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        assert scenario.assumptions
        for key in scenario.assumptions:
            source = display.in_words(str(scenario.assumption(key).source))
            assert not identifier.search(source), (path.name, key, source)


def test_an_assumption_of_a_unit_formatting_does_not_know_reads_formatted_with_its_range():
    from analysis.model.scenarios import Assumption

    # Epoch AI's world stock: 15,000,000 H100-equivalents (15 to 20 million) was printed raw and without its range.
    world = Assumption("world_compute_stock_h100e", 15_000_000, "H100-equivalents", "Epoch AI", low=15_000_000, high=20_000_000)
    assert display._assumption_text(world) == "15M (range 15–20M) H100-equivalents"
    chance = Assumption("us_licence_open_prob", 0.3, "chance a month", "why", low=0.1, high=0.6)
    assert display._assumption_text(chance) == "0.3 (range 0.1–0.6) chance a month"

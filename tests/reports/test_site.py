"""The reports as a site: titles from the notebooks, previous/next, the scenario switch, the search index."""

from __future__ import annotations

import json

from analysis.core import paths
from analysis.reports import site

NOTEBOOK = paths.NOTEBOOKS / "03-demand-vs-stock.ipynb"


def test_page_title_is_the_notebooks_own_title_and_the_scenario():
    assert site.page_title(NOTEBOOK, "central") == "Can Nvidia meet China's orders, and when? — Central"


def test_banner_links_previous_next_and_the_same_report_under_each_other_scenario():
    bar = site.banner(NOTEBOOK, paths.SCENARIOS / "central.yaml", "built")
    assert '<a href="02-market-size.html" rel="prev">What is the H200 approval worth?</a>' in bar
    assert 'href="04-allocation.html" rel="next"' in bar
    others = sorted(p.stem for p in paths.SCENARIOS.glob("*.yaml") if p.stem != "central")
    assert others
    for other in others:
        assert f'href="../{other}/03-demand-vs-stock.html"' in bar
    assert 'href="../central/' not in bar  # no link to the page itself
    first = site.banner(paths.NOTEBOOKS / "01-sources-and-claims.ipynb", paths.SCENARIOS / "central.yaml", "built")
    assert 'rel="prev"' not in first and 'rel="next"' in first


def test_search_index_lists_each_page_by_title_headings_and_figures(tmp_path):
    (tmp_path / "central").mkdir()
    (tmp_path / "central" / "03-demand-vs-stock.html").write_text(
        "<html><head><title>Can Nvidia meet China's orders, and when? — Central</title></head><body>"
        '<h2 id="x">The answer<a class="anchor-link" href="#x">¶</a></h2><script>var s = "<h1>${code}</h1>";</script>'
        '<div class="h200-vega" role="img" aria-label="Deliveries to China behind the two gates"></div></body></html>',
        encoding="utf-8",
    )
    site.write_search_index(tmp_path)
    script = (tmp_path / site.SEARCH_INDEX).read_text(encoding="utf-8")
    assert script.startswith("window.H200_SEARCH = ") and script.endswith(";\n")
    (entry,) = json.loads(script.removeprefix("window.H200_SEARCH = ").removesuffix(";\n"))
    assert entry["url"] == "central/03-demand-vs-stock.html"
    assert entry["title"] == "Can Nvidia meet China's orders, and when? — Central"
    words = entry["text"].split(" · ")
    assert words[:2] == ["The answer", "Deliveries to China behind the two gates"]  # the script's "<h1>" is not a heading
    assert "Firm orders" in words  # a registry figure notebook 03 explains


def _page(folder, stem, scenario_stems):
    """A report page as a run writes it: its bar for the scenarios it knew of then."""
    folder.mkdir(parents=True, exist_ok=True)
    bar = site.bar(paths.NOTEBOOKS / f"{stem}.ipynb", folder.name, "built", ["02-market-size", "03-demand-vs-stock"], scenario_stems)
    path = folder / f"{stem}.html"
    path.write_text(f"<html><body><div class='h200-banner'>{bar}</div><p>body</p></body></html>", encoding="utf-8")
    return path


def test_the_site_step_links_every_page_to_the_reports_on_disk(tmp_path):
    # central was built when it was the only scenario; fast-ramp came later, with notebook 03 only.
    old = _page(tmp_path / "central", "03-demand-vs-stock", ["central"])
    kept = _page(tmp_path / "central", "02-market-size", ["central"])
    new = _page(tmp_path / "fast-ramp", "03-demand-vs-stock", ["central", "fast-ramp"])
    assert 'href="../fast-ramp/03-demand-vs-stock.html"' not in old.read_text(encoding="utf-8")
    rewritten = site.refresh_bars(tmp_path, paths.NOTEBOOKS)
    text = old.read_text(encoding="utf-8")
    assert 'href="../fast-ramp/03-demand-vs-stock.html"' in text and text.endswith("<p>body</p></body></html>")
    # fast-ramp has no notebook 02: its page 03 has no "previous", and central's page 02 gains no switch.
    assert 'rel="prev"' not in new.read_text(encoding="utf-8")
    assert sorted(rewritten) == sorted([old, new])
    assert "fast-ramp" not in kept.read_text(encoding="utf-8")
    # Run again: nothing changes, nothing is written.
    assert site.refresh_bars(tmp_path, paths.NOTEBOOKS) == []
    # The status a run wrote (a failure) is kept.
    failed = tmp_path / "central" / "04-allocation.html"
    failed.write_text(
        site.bar(paths.NOTEBOOKS / "04-allocation.ipynb", "central", "FAILED", ["04-allocation"], ["central"]), encoding="utf-8"
    )
    site.refresh_bars(tmp_path, paths.NOTEBOOKS)
    assert "<!--h200-bar FAILED-->" in failed.read_text(encoding="utf-8")
    assert "</b> · FAILED · " in failed.read_text(encoding="utf-8")

"""The reports as a site: page titles from the notebooks' own titles, the bar
at the top of each report (all reports, previous and next, the same report
under another scenario, search) and the search index written at build time.

Everything works offline from ``file://``: the search index is a script
(``search-index.js``, ``window.H200_SEARCH = [...]``) a page loads beside
itself, since a browser will not ``fetch`` a local JSON file; the search and
the contents list are plain JavaScript in the report template, no CDN.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from urllib.parse import quote

__all__ = [
    "CONTENTS_JS",
    "SEARCH_BOX",
    "SEARCH_INDEX",
    "SEARCH_JS",
    "banner",
    "bar",
    "index_scripts",
    "notebook_title",
    "page_title",
    "refresh_bars",
    "report_scripts",
    "search_entries",
    "write_search_index",
]

SEARCH_INDEX = "search-index.js"

#: The search box every page shows: the page's script (the report and index
#: templates) fills the list under it from ``window.H200_SEARCH``.
SEARCH_BOX = (
    '<span class="h200-search"><label>Search the reports <input type="search" class="h200-search-input" '
    'placeholder="a figure, a company, a question" autocomplete="off"></label>'
    '<ul class="h200-search-results" aria-live="polite"></ul></span>'
)


@cache
def _first_heading(notebook: Path) -> str:
    import nbformat

    try:
        cells = nbformat.read(notebook, as_version=4).cells  # type: ignore[no-untyped-call]  # nbformat leaves read() unannotated
    except (OSError, ValueError):
        return ""
    for cell in cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    return ""


def notebook_title(notebook: Path) -> str:
    """A report's title as its notebook states it ("Can Nvidia meet China's
    orders, and when?"), or the file name in words when it states none."""
    return _first_heading(Path(notebook)) or Path(notebook).stem.split("-", 1)[-1].replace("-", " ").capitalize()


def page_title(notebook: Path, scenario: str) -> str:
    """A report page's ``<title>``: "Can Nvidia meet China's orders, and when? — Central"."""
    from analysis.present.display import scenario_title

    return f"{notebook_title(notebook)} — {scenario_title(scenario)}"


def _link(href: str, text: str, rel: str = "") -> str:
    rel_attr = f' rel="{rel}"' if rel else ""
    return f'<a href="{html.escape(quote(href))}"{rel_attr}>{html.escape(text)}</a>'


#: The bar sits between these markers on every report page, its status kept in the first, so the
#: site step (:func:`refresh_bars`) can rewrite it once every run of a build has finished.
_BAR = re.compile(r"<!--h200-bar (?P<status>[^<>]*?)-->.*?<!--/h200-bar-->", flags=re.DOTALL)


def bar(notebook: Path, scenario: str, status: str, notebooks: list[str], scenarios: list[str]) -> str:
    """The bar at the top of a report: all reports, this report and its status,
    previous and next report (among ``notebooks``, stems in order), the same
    report under each other scenario of ``scenarios``, and the search box;
    wrapped in the markers :func:`refresh_bars` finds. Titles come from the
    notebooks beside ``notebook``."""
    from analysis.present.display import scenario_title

    notebook = Path(notebook)
    stems = notebooks if notebook.stem in notebooks else sorted([*notebooks, notebook.stem])
    at = stems.index(notebook.stem)
    title: Callable[[str], str] = lambda stem: notebook_title(notebook.with_name(f"{stem}.ipynb"))
    parts = [_link("../index.html", "All reports"), f"<b>{html.escape(notebook_title(notebook))}</b>", html.escape(status)]
    if at > 0:
        parts.append("← " + _link(f"{stems[at - 1]}.html", title(stems[at - 1]), "prev"))
    if at + 1 < len(stems):
        parts.append(_link(f"{stems[at + 1]}.html", title(stems[at + 1]), "next") + " →")
    switch = [f"<b>{html.escape(scenario_title(scenario))}</b>"] + [
        _link(f"../{other}/{notebook.stem}.html", scenario_title(other)) for other in sorted(scenarios) if other != scenario
    ]
    parts.append('<span class="h200-switch">scenario: ' + " · ".join(switch) + "</span>")
    nav = '<nav class="h200-nav" aria-label="Reports">' + " · ".join(parts) + "</nav>" + SEARCH_BOX
    return f"<!--h200-bar {html.escape(status)}-->{nav}<!--/h200-bar-->"


def banner(notebook: Path, scenario: Path, status: str) -> str:
    """The bar a run renders: the notebooks beside ``notebook`` and the
    scenarios beside ``scenario``. The site step replaces it with the reports
    actually on disk (:func:`refresh_bars`)."""
    notebook, scenario = Path(notebook), Path(scenario)
    notebooks = [p.stem for p in sorted(notebook.parent.glob("[0-9][0-9]-*.ipynb"))]
    return bar(notebook, scenario.stem, status, notebooks, [p.stem for p in scenario.parent.glob("*.yaml")])


def refresh_bars(output_dir: Path, notebooks_dir: Path) -> list[Path]:
    """The site step, once every run of a build has finished: rewrite each
    report page's bar for the reports on disk (previous and next among its
    scenario's pages, the switch to the scenarios that have the same report),
    so a page built before a scenario was added links to it, exactly as a
    forced rebuild would. Only pages whose bar changes are written (atomically).
    Returns them."""
    from analysis.core.files import atomic_write_text

    output_dir = Path(output_dir)
    pages = sorted(output_dir.glob("*/[0-9][0-9]-*.html"))
    stems = {folder: sorted(p.stem for p in pages if p.parent == folder) for folder in {p.parent for p in pages}}
    rewritten = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = _BAR.search(text)
        if not found:
            continue
        scenarios = [folder.name for folder in stems if page.stem in stems[folder]]
        status = html.unescape(found["status"])
        fresh = bar(Path(notebooks_dir) / f"{page.stem}.ipynb", page.parent.name, status, stems[page.parent], scenarios)
        if fresh != found.group(0):
            atomic_write_text(page, text[: found.start()] + fresh + text[found.end() :])
            rewritten.append(page)
    return rewritten


def _texts(page: str, pattern: str) -> list[str]:
    found = (re.sub(r"<[^>]+>", "", m) for m in re.findall(pattern, page, flags=re.DOTALL))
    return [html.unescape(t).replace("¶", "").strip() for t in found if t.strip()]


def search_entries(output_dir: Path, explains: Mapping[str, list[str]] | None = None) -> list[dict[str, str]]:
    """One entry per report page on disk: its address (from the reports
    folder), title, and the words it is found by (headings, chart titles,
    the figures it explains: ``explains``, notebook → figure titles, else
    read from the figure registry)."""
    if explains is None:
        from analysis.metadata.registry import figure_registry  # pandas: only when the index did not hand the titles over

        registry = figure_registry()
        explains = {str(n): list(registry.loc[registry["notebook"] == n, "title"]) for n in dict.fromkeys(registry["notebook"])}
    entries = []
    for page in sorted(Path(output_dir).glob("*/*.html")):
        # The page's scripts and styles (the Vega runtime, chart specs) hold no words for a reader.
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        title = next(iter(_texts(text, r"<title>(.*?)</title>")), page.stem)
        headings = _texts(text, r"<h[1-3][^>]*>(.*?)</h[1-3]>")
        charts = _texts(text, r'class="h200-vega" role="img" aria-label="([^"]*)"')
        figures = list(explains.get(page.stem, []))
        words = " · ".join(dict.fromkeys([*headings, *charts, *figures]))
        entries.append({"url": f"{page.parent.name}/{page.name}", "title": title, "text": words})
    return entries


def write_search_index(output_dir: Path, explains: Mapping[str, list[str]] | None = None) -> None:
    """Write ``search-index.js`` beside the index (atomically; ``explains`` as in :func:`search_entries`)."""
    from analysis.core.files import atomic_write_text

    payload = json.dumps(search_entries(output_dir, explains), ensure_ascii=False, sort_keys=True, indent=0).replace("</", "<\\/")
    atomic_write_text(Path(output_dir) / SEARCH_INDEX, f"window.H200_SEARCH = {payload};\n")


#: The search, for any page: ``base`` is the way from the page to the reports folder ("" or "../").
SEARCH_JS = """
(function (base) {
  var entries = window.H200_SEARCH || [];
  document.querySelectorAll(".h200-search").forEach(function (box) {
    var input = box.querySelector("input"), list = box.querySelector("ul");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
      list.innerHTML = "";
      if (!words.length) { return; }
      entries.filter(function (e) {
        var hay = (e.title + " " + e.text).toLowerCase();
        return words.every(function (w) { return hay.indexOf(w) >= 0; });
      }).slice(0, 12).forEach(function (e) {
        var item = document.createElement("li"), link = document.createElement("a");
        link.href = base + e.url; link.textContent = e.title; item.appendChild(link); list.appendChild(item);
      });
      if (!list.children.length) { var none = document.createElement("li"); none.textContent = "no report matches"; list.appendChild(none); }
    });
    // A search can be linked to: page.html?q=firm+orders opens with its results.
    var asked = new URLSearchParams(window.location.search).get("q");
    if (asked) { input.value = asked; input.dispatchEvent(new Event("input")); }
  });
})
"""

#: The contents list of a long report: its section headings, when it has three or more.
CONTENTS_JS = """
(function () {
  var headings = Array.prototype.filter.call(document.querySelectorAll("main h2[id], body h2[id]"), function (h) { return h.textContent.trim(); });
  if (headings.length < 3) { return; }
  var nav = document.createElement("nav"), list = document.createElement("ol");
  nav.className = "h200-contents"; nav.setAttribute("aria-label", "Contents");
  var title = document.createElement("b"); title.textContent = "Contents"; nav.appendChild(title);
  headings.forEach(function (h) {
    var item = document.createElement("li"), link = document.createElement("a");
    link.href = "#" + h.id; link.textContent = h.textContent.replace("\\u00b6", "").trim(); item.appendChild(link); list.appendChild(item);
  });
  nav.appendChild(list);
  var first = document.querySelector("h1");
  (first && first.closest(".jp-Cell") || document.body.firstElementChild).insertAdjacentElement("afterend", nav);
})();
"""


def report_scripts() -> str:
    """The report page's site scripts (marked ``data-h200``: the page's own)."""
    return (
        f'<script data-h200="search-index" src="../{SEARCH_INDEX}"></script>'
        f'<script data-h200="site">{SEARCH_JS}("../");{CONTENTS_JS}</script>'
    )


def index_scripts() -> str:
    """The index page's search scripts."""
    return f'<script data-h200="search-index" src="{SEARCH_INDEX}"></script><script data-h200="site">{SEARCH_JS}("");</script>'

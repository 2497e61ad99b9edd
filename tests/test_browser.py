"""Open the index and every report in headless Chromium with the network cut
off and a fresh profile; check from the rendered DOM that every chart drew its
marks, that the page logged no errors, that its visible text carries no code
identifier, article id or unformatted number, and take a screenshot of one report."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import reader_problems

from analysis.reports.screenshots import NO_NETWORK_FLAGS

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Chromium not found (Debian package 'chromium'; .ci/run installs it)", allow_module_level=True)

# Offline (analysis.reports.screenshots.NO_NETWORK_FLAGS), with Chromium's log on stderr for console errors.
OFFLINE_FLAGS = [
    *NO_NETWORK_FLAGS,
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=3000",
]
CONSOLE_PROBLEM = re.compile(r"CONSOLE.*(?:error|Uncaught|Failed to load)|Failed to load resource|net::ERR_", re.IGNORECASE)


def chromium(args: list[str], profile: Path, url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *OFFLINE_FLAGS, f"--user-data-dir={profile}", *args, url], capture_output=True, text=True, timeout=120, check=False
    )


class VisibleText(HTMLParser):
    """The text a reader sees in a rendered page: no scripts, styles or attributes."""

    HIDDEN = frozenset({"script", "style", "head", "title", "noscript"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


class AccessibleText(VisibleText):
    """What a reader meets, seen or heard: the visible text, and what a screen
    reader or a hover reads (a chart mark's ``<title>``, ``aria-label``, ``alt``)."""

    SPOKEN = ("aria-label", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.in_svg_title = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self.svg_depth:
            self.in_svg_title += 1  # a hover text inside a chart, not the page's <title> in <head>
        else:
            super().handle_starttag(tag, attrs)
        if tag == "svg":
            self.svg_depth += 1
        self.parts.extend(value.strip() for name, value in attrs if name in self.SPOKEN and value and value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_svg_title:
            self.in_svg_title -= 1
            return
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1
        super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.in_svg_title and data.strip():
            self.parts.append(data.strip())
        else:
            super().handle_data(data)

    svg_depth = 0


def page_title(dom: str) -> str:
    found = re.search(r"<title>([^<]*)</title>", dom)
    return found.group(1) if found else ""


def page_problems(dom: str) -> list[str]:
    """What a reader would meet on a rendered page that is not for readers:
    in its title, its visible text, its charts' hover titles and its
    aria-label and alt attributes."""
    text = AccessibleText()
    text.feed(dom)
    # An address a link shows is the publisher's (it may carry a long number): not the page's own words.
    return reader_problems(re.sub(r"https?://\S+", "", "\n".join([page_title(dom), *text.parts])))


def test_reader_checks_would_catch_each_problem():
    assert reader_problems("approved_value_usd 000_986cc8c17a2d2c6e 9,720,000,000 USD 0.5718 fraction") == [
        "code identifier: 'approved_value_usd'",
        "article id: '000_986cc8c17a2d2c6e'",
        "billions in full: '9,720,000,000'",
        "four-decimal fraction: '0.5718'",
    ]
    assert reader_problems("US$10.8 bn (90% range US$9.7–11.9 bn), 57%, 400k chips, « plus de 400 000 puces »") == []
    heard = (
        "<html><head><title>03-demand-vs-stock — central</title></head><body><p>approved (seed 002, facts.md §3)</p>"
        '<svg class="marks"><path aria-label="central: 10800000000; high: 11736163232.7"><title>values to $12G</title></path></svg>'
        '<img alt="in 2026-08" src="x.png"></body></html>'
    )
    assert sorted({p.split(":")[0] for p in page_problems(heard)}) == [
        "ISO month",
        "SI money",
        "file-stem title",
        "long number",
        "project reference",
        "raw decimal",
    ]


class ChartCounter(HTMLParser):
    """Counts inline SVG charts and the marks Vega drew in each."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[int] = []
        self.depth = 0
        self.in_mark = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "svg" and "marks" in classes.split():
            self.charts.append(0)
        if self.charts and tag == "g" and "role-mark" in classes.split() and "role-axis" not in classes:
            self.in_mark += 1
        elif self.charts and self.in_mark and tag in ("path", "rect", "circle", "line", "text", "symbol"):
            self.charts[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "g" and self.in_mark:
            self.in_mark -= 1


def _dom(page: Path, tmp_path: Path) -> tuple[str, str]:
    result = chromium(["--dump-dom"], tmp_path / f"profile-{page.parent.name}-{page.stem}", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, result.stderr


def test_console_errors_would_be_seen(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>console.error('boom')</script><img src='https://example.org/x.png'></body></html>")
    _, log = _dom(page, tmp_path)
    assert CONSOLE_PROBLEM.search(log), log[-2000:]


def test_every_page_renders_offline_with_all_marks(report_pages, tmp_path):
    charts_seen = 0
    for page in report_pages:
        dom, log = _dom(page, tmp_path)
        problems = [line for line in log.splitlines() if CONSOLE_PROBLEM.search(line)]
        assert not problems, (page, problems)
        problems = page_problems(dom)
        assert not problems, (page, problems[:10])
        if page.name == "index.html":
            assert "<table" in dom and "FAILED" not in dom
            continue
        counter = ChartCounter()
        counter.feed(dom)
        assert counter.charts, f"{page}: no chart in the rendered page"
        assert all(marks > 0 for marks in counter.charts), (page, counter.charts)
        charts_seen += len(counter.charts)
    assert charts_seen >= 3 * 8  # 8 charts across the four notebooks, in each scenario


def test_screenshot_of_one_report(built_reports, tmp_path):
    page = built_reports["output"] / "central" / "02-market-size.html"
    shot = tmp_path / "02-market-size.png"
    result = chromium([f"--screenshot={shot}", "--window-size=1200,1600", "--hide-scrollbars"], tmp_path / "profile-shot", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a real page, not a blank one


def test_search_finds_a_figure_and_the_switch_keeps_the_report(report_pages, tmp_path):
    """The index's search, opened with a query, lists the report that explains
    the figure; each report's scenario switch leads to the same report under
    the other scenario, and a long report has its contents list."""
    index = next(page for page in report_pages if page.name == "index.html")
    dom, _ = _dom_at(index.as_uri() + "?q=firm+orders", tmp_path / "profile-search")
    results = re.search(r'<ul[^>]*class="h200-search-results"[^>]*>(.*?)</ul>', dom, re.DOTALL)
    assert results and "03-demand-vs-stock.html" in results.group(1), dom[-2000:]
    report = next(page for page in report_pages if page.name == "03-demand-vs-stock.html")
    dom, _ = _dom(report, tmp_path)
    assert "<title>Can Nvidia meet China's orders, and when? — " in dom
    switch = re.search(r'<span class="h200-switch">(.*?)</span>', dom, re.DOTALL)
    assert switch
    targets = re.findall(r'href="\.\./([^/"]+)/([^"]+)"', switch.group(1))
    assert targets and all(name == report.name for _, name in targets)
    for scenario, name in targets:
        assert (report.parent.parent / scenario / name).is_file(), (scenario, name)
    assert re.search(r'<nav class="h200-contents"[^>]*>.*?<li><a href="#', dom, re.DOTALL)


def _dom_at(url: str, profile: Path) -> tuple[str, str]:
    result = chromium(["--dump-dom"], profile, url)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, result.stderr


class DevToolsPage:
    """One page in headless Chromium, driven over the DevTools protocol
    (offline flags; the protocol's own endpoint is on 127.0.0.1, read without the proxy)."""

    def __init__(self, url: str, profile: Path) -> None:
        import json
        import time
        import urllib.request

        import websocket

        self.json, self.time = json, time
        self.process = subprocess.Popen(
            [
                CHROMIUM,
                *NO_NETWORK_FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "--window-size=1200,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        for _ in range(200):
            if port_file.is_file() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        targets = json.loads(opener.open(f"http://127.0.0.1:{port}/json", timeout=10).read())
        address = next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
        self.socket = websocket.create_connection(address, timeout=30, suppress_origin=True)
        self.calls = 0
        self.call("Page.enable")
        self.call("Page.navigate", url=url)
        for _ in range(100):  # until every chart has drawn
            if self.evaluate(
                "document.readyState === 'complete' && document.querySelectorAll('.h200-vega').length === document.querySelectorAll('.h200-vega svg').length"
            ):
                break
            time.sleep(0.1)

    def call(self, method: str, **params) -> dict:
        self.calls += 1
        self.socket.send(self.json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:
            message = self.json.loads(self.socket.recv())
            if message.get("id") == self.calls:
                return message.get("result", {})

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True).get("result", {}).get("value")

    def hover(self, selector: str) -> str:
        """Move the pointer over the element, return the tooltip's text."""
        # The middle of what is drawn of the mark: a point on the baseline is half clipped by the plot's frame
        # (its background path), and a reader points at the half they see.
        point = self.evaluate(
            f"(function () {{ var m = document.querySelector({selector!r}); if (!m) {{ return null; }} m.scrollIntoView({{block: 'center'}});"
            " var r = m.getBoundingClientRect(), top = r.top, bottom = r.bottom, left = r.left, right = r.right;"
            " var svg = m.closest('svg'), frame = null;"
            " (svg ? svg.querySelectorAll('path.background') : []).forEach(function (b) { var f = b.getBoundingClientRect();"
            "   if (!frame || f.width * f.height > frame.width * frame.height) { frame = f; } });"
            " if (frame && frame.width * frame.height > 0) { top = Math.max(top, frame.top); bottom = Math.min(bottom, frame.bottom);"
            "   left = Math.max(left, frame.left); right = Math.min(right, frame.right); }"
            " if (bottom <= top || right <= left) { top = r.top; bottom = r.bottom; left = r.left; right = r.right; }"
            " return [(left + right) / 2, (top + bottom) / 2]; })()"
        )
        if point is None:
            return ""
        # Away first (a pointer already over the mark sends no new event), then onto the mark; the tooltip
        # shows after Vega's handler runs, later on a loaded machine: wait for it, up to 5 s.
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=0, y=0)
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=point[0], y=point[1])
        for _ in range(50):
            self.time.sleep(0.1)
            shown = self.evaluate(
                "(function () { var t = document.getElementById('vg-tooltip-element');"
                " return t && t.classList.contains('visible') ? t.innerText : ''; })()"
            )
            if shown:
                return shown
        return ""

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(10)


#: The marks a reader points at, by chart kind: a number drawn over a cell (text) first, the bar, point or cell otherwise.
HOVERED = ("text mark", "bar", "rect", "symbol", "point", "circle", "tick")


def test_hover_shows_formatted_text_on_each_chart_kind(report_pages, tmp_path):
    kinds_seen = set()
    # Every chart of every report under one scenario: the others draw the same charts from other numbers
    # (their words are checked by test_every_page_renders_offline_with_all_marks), and a browser a page costs seconds.
    for page in report_pages:
        if page.name == "index.html" or page.parent.name != "central":
            continue
        browser = DevToolsPage(page.as_uri(), tmp_path / f"devtools-{page.parent.name}-{page.stem}")
        try:
            charts = browser.evaluate("document.querySelectorAll('.h200-vega svg').length") or 0
            for chart in range(charts):
                for kind in HOVERED:
                    found = browser.evaluate(
                        f"document.querySelectorAll('.h200-vega svg')[{chart}].querySelector(\"[role=graphics-symbol][aria-roledescription='{kind}']\") !== null"
                    )
                    if not found:
                        continue
                    browser.evaluate(
                        f"document.querySelectorAll('.h200-vega svg')[{chart}].querySelector(\"[role=graphics-symbol][aria-roledescription='{kind}']\").setAttribute('data-hover', '1')"
                    )
                    tip = browser.hover("[data-hover='1']")
                    browser.evaluate("document.querySelector(\"[data-hover='1']\").removeAttribute('data-hover')")
                    assert tip.strip(), (page, chart, kind, "no tooltip where the reader points")
                    assert reader_problems(tip) == [], (page, chart, kind, tip)
                    kinds_seen.add(kind)
                    break
        finally:
            browser.close()
    assert {"text mark", "bar"} <= kinds_seen


def test_the_timeline_zooms_and_pans(report_pages, tmp_path):
    """The delivery timeline: the wheel zooms its months, a drag pans them (its x axis shows other months each time)."""
    import time

    page = next(p for p in report_pages if p.name == "03-demand-vs-stock.html")
    browser = DevToolsPage(page.as_uri(), tmp_path / "devtools-zoom")
    timeline = (
        "Array.from(document.querySelectorAll('.h200-vega'))"
        ".find(function (d) { return d.getAttribute('aria-label').indexOf('behind the two gates') >= 0; })"
    )
    ticks = f"Array.from({timeline}.querySelectorAll('.role-axis-label text')).map(function (t) {{ return t.textContent; }}).join('|')"
    try:
        x, y = browser.evaluate(
            f"(function () {{ var f = {timeline}; f.scrollIntoView({{block: 'center'}}); var r = f.querySelector('svg').getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        before = browser.evaluate(ticks)
        browser.call("Input.dispatchMouseEvent", type="mouseWheel", x=x, y=y, deltaX=0, deltaY=-400)
        time.sleep(0.6)
        zoomed = browser.evaluate(ticks)
        browser.call("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=x + 120, y=y, button="left", buttons=1)
        browser.call("Input.dispatchMouseEvent", type="mouseReleased", x=x + 120, y=y, button="left", clickCount=1)
        time.sleep(0.6)
        panned = browser.evaluate(ticks)
    finally:
        browser.close()
    assert "Jan 2026" in before
    assert zoomed != before and panned != zoomed, (before, zoomed, panned)

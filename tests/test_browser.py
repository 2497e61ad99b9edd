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

from analysis.screenshots import NO_NETWORK_FLAGS

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Chromium not found (Debian package 'chromium'; .ci/run installs it)", allow_module_level=True)

# Offline (analysis.screenshots.NO_NETWORK_FLAGS), with Chromium's log on stderr for console errors.
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


def test_reader_checks_would_catch_each_problem():
    assert reader_problems("approved_value_usd 000_986cc8c17a2d2c6e 9,720,000,000 USD 0.5718 fraction") == [
        "code identifier: 'approved_value_usd'",
        "article id: '000_986cc8c17a2d2c6e'",
        "billions in full: '9,720,000,000'",
        "four-decimal fraction: '0.5718'",
    ]
    assert reader_problems("US$10.8 bn (90% range US$9.7–11.9 bn), 57%, 400k chips, « plus de 400 000 puces »") == []


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
        text = VisibleText()
        text.feed(dom)
        problems = reader_problems("\n".join(text.parts))
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

"""Open the index and every report in headless Chromium with the network cut
off and a fresh profile; check from the rendered DOM that every chart drew its
marks, that the page logged no errors, and take a screenshot of one report."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Chromium not found (Debian package 'chromium'; .ci/run installs it)", allow_module_level=True)

# Offline: every host resolves to nothing and every proxied request goes to a closed port.
OFFLINE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
]
CONSOLE_PROBLEM = re.compile(r"CONSOLE.*(?:error|Uncaught|Failed to load)|Failed to load resource|net::ERR_", re.IGNORECASE)


def chromium(args: list[str], profile: Path, url: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *OFFLINE_FLAGS, f"--user-data-dir={profile}", *args, url],
                          capture_output=True, text=True, timeout=120)


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

"""Issue 9, report side: script injection, stale reports, failures after
execution, interruptions, permissions and byte-identical rebuilds (causes 3,
4, 6, 9, 10, 11 and 12). Each test failed before its fix."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from html.parser import HTMLParser
from pathlib import Path

import helpers
import pytest

from analysis.core import paths
from analysis.present import rendering
from analysis.reports.build import build_reports, remove_stale_temporaries
from analysis.reports.plan import is_current, plan

FIXTURES = helpers.FIXTURES / "reports"
CENTRAL = paths.SCENARIOS / "central.yaml"
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>[click](javascript:alert(2))"


class _LiveScript(HTMLParser):
    """Collects what would run in a browser: script elements, on* handlers,
    javascript: links. The page's own two scripts (the Vega runtime and the loop
    that draws the charts, marked ``data-h200`` by the report template) and JSON
    data blocks (``type="application/json"``, never executed) are not counted:
    the sanitiser escapes any ``<script>`` that comes from the data, marked or not."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "script" and "data-h200" not in named and named.get("type") != "application/json":
            self.found.append("<script>")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if (
                name.lower() in ("href", "src", "action", "formaction", "xlink:href")
                and value
                and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:text/html"))
            ):
                self.found.append(f"<{tag} {name}={value}>")


def live_scripts(page: Path) -> list[str]:
    parser = _LiveScript()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


class _Text(HTMLParser):
    """The text a reader sees on a page: character references decoded, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style") and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def page_text(page: Path) -> str:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return "".join(parser.parts)


def _notebooks(tmp_path: Path, *sources: Path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    for source in sources:
        shutil.copy(source, folder / source.name)
    return folder


def _page_bytes(folder: Path) -> dict[str, bytes]:
    """Every output file but build.json (timings), the index without its build date."""
    pages = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "build.json":
            data = path.read_bytes()
            if path.name == "index.html":
                data = re.sub(rb"<li>built: [^<]*</li>", b"", data)
            pages[str(path.relative_to(folder))] = data
    return pages


# --- cause 3: script injection ------------------------------------------------------------


def test_shipped_reports_have_no_live_script(report_pages):
    for page in report_pages:
        assert live_scripts(page) == [], page


@pytest.mark.slow
def test_hostile_scenario_and_claim_render_inert(tmp_path):
    # A scenario whose file name, name and description carry markup, rendered by notebook 02.
    stem = "evil\"'><svg onload=alert(3)>"
    hostile = tmp_path / f"{stem}.yaml"
    text = CENTRAL.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name: .*$", lambda _: f"name: {json.dumps(HOSTILE)}", text, count=1)
    text = re.sub(
        r"(?ms)^description: .*?(?=^assumptions:)",
        lambda _: f"description: {json.dumps(HOSTILE + ' **and** <b onmouseover=alert(4)>x</b>')}\n",
        text,
        count=1,
    )
    hostile.write_text(text, encoding="utf-8")
    # Claims and consensus whose entity carries markup, rendered by notebook 01.
    processed = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, processed)
    for name in ("claims.csv", "consensus.csv"):
        table = (processed / name).read_text(encoding="utf-8")
        assert ",total," in table
        (processed / name).write_text(table.replace(",total,", ',"' + HOSTILE.replace('"', '""') + '",'), encoding="utf-8")
    output = tmp_path / "reports"
    notebooks = _notebooks(tmp_path, paths.NOTEBOOKS / "01-sources-and-claims.ipynb")
    assert build_reports([CENTRAL], jobs=1, notebooks_dir=notebooks, output_dir=output, processed_dir=processed) == 0
    page = output / "central" / "01-sources-and-claims.html"
    assert "alert('x')" in page_text(page)  # shown as text (whichever entity escapes the quote) ...
    assert live_scripts(page) == []  # ... and never run
    notebooks = _notebooks(tmp_path / "second", paths.NOTEBOOKS / "02-market-size.ipynb")
    assert build_reports([hostile], jobs=1, notebooks_dir=notebooks, output_dir=output) == 0
    pages = sorted(output.rglob("*.html"))
    assert len(pages) == 3 and output / stem / "02-market-size.html" in pages
    assert "evil" in (output / stem / "02-market-size.html").read_text(encoding="utf-8").lower()  # shown, as a title: "Evil…"
    for page in pages:
        assert live_scripts(page) == [], page
    # The index links to the hostile folder by an escaped, percent-encoded address.
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "evil%22%27%3E%3Csvg%20onload%3Dalert%283%29%3E/02-market-size.html" in index


# --- cause 4: stale reports marked current -----------------------------------------------


def test_fingerprint_covers_every_scenario_file_read(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("central.yaml", "fast-ramp.yaml", "slow-approvals.yaml"):
        shutil.copy(paths.SCENARIOS / name, folder / name)
    notebooks = [paths.NOTEBOOKS / "03-demand-vs-stock.ipynb"]

    def fingerprint() -> str:
        (run,) = plan(notebooks, [folder / "central.yaml"], tmp_path / "out", paths.PROCESSED, False, folder)
        return run.fingerprint

    before = fingerprint()
    high = folder / "fast-ramp.yaml"
    high.write_text(high.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert fingerprint() != before  # central/03 reads high.yaml: no longer up to date
    (folder / "extra.yaml").write_text("name: extra\n", encoding="utf-8")
    assert len({fingerprint(), before}) == 2


def test_duplicate_scenario_stems_and_names_are_refused(tmp_path, capsys):
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(CENTRAL, other / "central.yaml")
    output = tmp_path / "reports"
    assert build_reports([CENTRAL, other / "central.yaml"], output_dir=output) == 2
    assert "same file name as" in capsys.readouterr().err
    renamed = other / "copy.yaml"
    shutil.copy(CENTRAL, renamed)
    assert build_reports([CENTRAL, renamed], output_dir=output) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "key 'name'" in err and "is also the name of" in err
    assert not output.exists()


# --- cause 6: failures after execution -----------------------------------------------------


@pytest.mark.slow
def test_failure_while_drawing_gives_the_failure_page(tmp_path, capsys):
    # A chart spec that Vega cannot draw: the kernel runs fine, the worker fails while drawing it.
    notebooks = _notebooks(tmp_path, FIXTURES / "01-works.ipynb")
    nb = json.loads((notebooks / "01-works.ipynb").read_text())
    bogus = {rendering.DEFERRED_MIMETYPE: {"mark": "bogus", "data": {"values": [{"a": 1}]}}, "text/plain": "<chart>"}
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "cell-bogus",
            "metadata": {},
            "outputs": [],
            "source": ["from IPython.display import display\n", f"display({bogus!r}, raw=True)"],
        }
    )
    (notebooks / "01-works.ipynb").write_text(json.dumps(nb))
    output = tmp_path / "reports"
    stale = output / "central" / "01-works.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<html>an old report marked built</html>", encoding="utf-8")
    assert build_reports([CENTRAL], jobs=1, notebooks_dir=notebooks, output_dir=output) == 1
    page = stale.read_text(encoding="utf-8")
    assert "failed to build" in page and "an old report" not in page and "while drawing or exporting" in page
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "cell None" not in index and "jsdelivr" not in index  # no JavaScript stack
    err = capsys.readouterr().err
    assert "FAILED 01-works × central: while drawing or exporting: ValueError: Vega-Lite to Vega conversion failed:" in err
    assert "cell None" not in err and "jsdelivr" not in err


# --- causes 9, 10, 11, 12: stamps, interruptions, permissions, same bytes ----------------------


@pytest.mark.slow
def test_same_inputs_same_bytes_and_incremental_equals_force(tmp_path, capfd):
    notebooks = _notebooks(tmp_path, FIXTURES / "01-works.ipynb")
    low = tmp_path / "slow-approvals.yaml"
    shutil.copy(paths.SCENARIOS / "slow-approvals.yaml", low)
    first, second = tmp_path / "first", tmp_path / "second"
    assert build_reports([CENTRAL, low], jobs=2, force=True, notebooks_dir=notebooks, output_dir=first) == 0
    # After an input change, an incremental build gives the bytes of a separate forced build:
    # the unchanged run (built in the first build) and the rebuilt one alike.
    low.write_text(low.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert build_reports([CENTRAL, low], jobs=2, notebooks_dir=notebooks, output_dir=first) == 0
    statuses = {r["scenario"]: r["status"] for r in json.loads((first / "build.json").read_text())}
    assert statuses == {"central": "cached", "slow-approvals": "built"}
    assert build_reports([CENTRAL, low], jobs=2, force=True, notebooks_dir=notebooks, output_dir=second) == 0
    assert _page_bytes(first) == _page_bytes(second)
    assert len(_page_bytes(first)) == 8  # index, its search index, and an .html, an .ipynb and a stamp per run
    # Cause 11: executed notebooks are readable like the HTML; kernel noise stays out of the log.
    for path in first.glob("*/*.*"):
        assert path.stat().st_mode & 0o777 == 0o644, path
    assert "KeyboardInterrupt caught in kernel" not in "".join(capfd.readouterr())
    # Cause 11 and 9: a deleted notebook, or a stamp of the wrong shape, makes the run stale (no traceback).
    (run,) = plan([notebooks / "01-works.ipynb"], [CENTRAL], first, paths.PROCESSED, False)
    assert is_current(run)
    run.ipynb_path.rename(tmp_path / "aside.ipynb")
    assert not is_current(run)
    (tmp_path / "aside.ipynb").rename(run.ipynb_path)
    for wrong in ("[1, 2]", '"built"', "null", "{not json"):
        run.stamp_path.write_text(wrong, encoding="utf-8")
        assert not is_current(run)


def test_unwritable_report_folder_gives_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert build_reports([CENTRAL], output_dir=blocker / "reports") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {blocker / 'reports'}: cannot write reports there")


def test_stale_temporaries_of_a_killed_build_are_removed(tmp_path):
    output = tmp_path / "reports"
    (output / "central").mkdir(parents=True)
    leftovers = [output / "central" / ".02-market-size.abc123.running.ipynb", output / "central" / ".02-market-size.html.x.tmp"]
    for leftover in leftovers:
        leftover.write_text("{}", encoding="utf-8")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    ipython = Path(tempfile.gettempdir()) / f"h200-ipython-{dead.pid}-test"
    ipython.mkdir(exist_ok=True)
    mine = Path(tempfile.gettempdir()) / f"h200-ipython-{os.getpid()}-test"
    mine.mkdir(exist_ok=True)
    try:
        removed = remove_stale_temporaries(output)
        assert not any(p.exists() for p in leftovers) and not ipython.exists()
        assert mine.exists() and mine not in removed  # a live build's folder stays
    finally:
        shutil.rmtree(mine, ignore_errors=True)
        shutil.rmtree(ipython, ignore_errors=True)


_DRIVER = textwrap.dedent("""
    import signal
    import sys
    from pathlib import Path
    from analysis import __main__
    from analysis.reports import build as report_build
    # The build as a terminal's foreground job gets Ctrl-C. A test process may pass on SIGINT ignored
    # (a shell's background job) or blocked (inherited from the thread that started this one), and
    # the build would then never see the test's Ctrl-C: undo both, as a terminal's job has them.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    build = report_build.build_reports
    report_build.build_reports = lambda **kw: build(**kw, notebooks_dir=Path(sys.argv[1]), output_dir=Path(sys.argv[2]))
    sys.exit(__main__.main(["reports", "--scenario", sys.argv[3], "--jobs", "2", "--force"]))
""")


def _children(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) == pid:
            child = int(status.parent.name)
            found |= {child} | _children(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm", "kill"])
def test_interrupted_build_stops_cleanly(tmp_path, how):
    """Ctrl-C prints one line and leaves no temporary notebook; killing only the
    main process takes its workers (and their kernels) with it."""
    slow = _notebooks(tmp_path, FIXTURES / "01-works.ipynb")
    nb = json.loads((slow / "01-works.ipynb").read_text())
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "cell-slow",
            "metadata": {},
            "outputs": [],
            "source": ["import time\n", "time.sleep(60)"],
        }
    )
    (slow / "01-works.ipynb").write_text(json.dumps(nb))
    shutil.copy(slow / "01-works.ipynb", slow / "02-also.ipynb")
    output = tmp_path / "reports"
    proc = subprocess.Popen(
        [sys.executable, "-c", _DRIVER, str(slow), str(output), str(CENTRAL)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(output.glob("central/.*.running.ipynb"))) < 2:
        time.sleep(0.2)
    time.sleep(2)  # the kernels are running the slow cell
    workers = _children(proc.pid)
    assert len(workers) >= 2
    if how in ("ctrl-c", "sigterm"):
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends to the whole foreground group
        else:
            proc.terminate()  # `kill PID`: the main process only
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("interrupted: reports stopped"), err
        assert list(output.glob("central/.*.running.ipynb")) == []
    else:
        proc.kill()
        proc.communicate(timeout=30)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


def test_scenario_stem_cannot_leave_the_reports_folder(tmp_path, capsys):
    dots = tmp_path / "...yaml"  # its stem is ".."
    shutil.copy(CENTRAL, dots)
    output = tmp_path / "out" / "reports"
    assert build_reports([dots], output_dir=output) == 2
    assert "must not start with a dot" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()

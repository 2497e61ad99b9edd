"""Issue 18, report side: no live markup in any notebook output (class 2),
paths relative to the project (class 4), an index that tells the truth
(class 5), and limits, timeouts and retries instead of tracebacks and hangs
(class 7). Each fast table was run against the code before its fix; the
slow tests (whole builds) were run once, after it."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import mistune
import nbformat
import pandas as pd
import pytest
from helpers import CENTRAL
from test_safety_reports import FIXTURES, _LiveScript, _notebooks

from analysis.__main__ import main
from analysis.core import paths
from analysis.core.errors import InputError
from analysis.metadata.processed import read_processed
from analysis.model.scenarios import load_scenario
from analysis.present import display, figure_text
from analysis.reports import build, index_page, plan, worker

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "[click](javascript:alert(4))",
    "<a href='javascript:alert(5)'>x</a>",
    "`<b onmouseover=alert(6)>`",
]
HOSTILE_URLS = [
    "javascript:alert(7)",
    " JaVaScRiPt:alert(8)",
    "data:text/html,<script>alert(9)</script>",
    'https://x.org/"onmouseover="alert(10)',
]


def _live(html_text: str) -> list[str]:
    parser = _LiveScript()
    parser.feed(html_text)
    return parser.found


def _markdown_html(text: str) -> str:
    """Markdown as a notebook renderer shows it (raw HTML passed through, as Jupyter's renderers do)."""
    return str(mistune.create_markdown(escape=False)(text))


# --- class 2: live markup in notebook outputs -------------------------------------------------


def _processed(name: str) -> pd.DataFrame:
    return read_processed(name, paths.PROCESSED)


def _articles(text: str, url: str) -> pd.DataFrame:
    return _processed("articles").assign(outlet=text, note=text, url=url)


TABLES = {
    "articles": lambda text, url: display.articles_table(_articles(text, url)),
    "claims": lambda text, url: display.claims_table(_processed("claims").assign(quote=text, entity=text), _articles(text, url)),
    "consensus": lambda text, url: display.consensus_table(_processed("consensus").assign(entity=text, metric=text)),
    "fact checks": lambda text, url: display.fact_checks_table(
        _processed("fact_checks").assign(quote=text, evidence=text, source=text, verdict=text), _articles(text, url)
    ),
    "quantities": lambda text, url: display.quantities_table(_processed("quantities"), _articles(text, url)),
    "cleaning": lambda text, url: display.cleaning_table(_processed("cleaning_log").assign(reason=text), _articles(text, url)),
    "headline": lambda text, url: display.headline_table(
        pd.DataFrame({"title": [text], "central": [1.0], "low": [0.5], "high": [2.0], "unit": ["chips"]})
    ),
    "allocation": lambda text, url: figure_text.allocation_display(
        pd.DataFrame(
            {
                "rule": [text],
                "company": [text],
                **{c: [1.0] for c in ("requested_units", "h200_units", "h200_units_low", "h200_units_high", "domestic_chips")},
                **{c: [1.0] for c in ("facility_power_mw", "h100_equiv", "hbm_tb")},
            }
        )
    ),
    "eligibility": lambda text, url: figure_text.eligibility_display(
        _processed("rule_eligibility").assign(chip=text, vendor=text, reason=text)
    ),
}


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("hostile", range(len(HOSTILE)))
def test_tables_from_data_hold_no_live_markup(table, hostile):
    styler = TABLES[table](HOSTILE[hostile], HOSTILE_URLS[hostile % len(HOSTILE_URLS)])
    page = styler.to_html()
    assert _live(page) == [], page
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<svg" not in page.lower()


@pytest.mark.parametrize("url", HOSTILE_URLS + ["ftp://files.example.org/a", "//evil.example.org/x"])
def test_links_accept_only_http(url):
    html_text = display._link(url)
    assert "href" not in html_text or html_text.startswith('<a href="https://x.org/'), html_text
    assert _live(html_text) == []


@pytest.mark.parametrize("url", ["https://www.reuters.com/world/china/x", "http://example.org/a?b=1&c=2"])
def test_http_links_stay_links(url):
    html_text = display._link(url)
    assert html_text.startswith('<a href="http') and _live(html_text) == []


@pytest.mark.parametrize("hostile", HOSTILE)
def test_markdown_from_data_holds_no_live_markup(hostile):
    consensus = _processed("consensus").assign(entity=hostile)
    text = display.consensus_markdown(consensus)
    assert _live(_markdown_html(text)) == [], text
    scenario = load_scenario(CENTRAL)
    from dataclasses import replace

    text = figure_text.scenario_markdown(replace(scenario, name=hostile, description=hostile))
    assert _live(_markdown_html(text)) == [], text


# --- class 4: paths relative to the project ----------------------------------------------------


def _checkout(root: Path) -> Path:
    """A copy of the scenario folder in a folder that looks like another checkout."""
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copytree(paths.SCENARIOS, root / "scenarios")
    return root


def test_fingerprints_do_not_depend_on_where_the_checkout_is(tmp_path):
    notebooks = [paths.NOTEBOOKS / "02-market-size.ipynb"]
    prints = []
    for where in ("one", "elsewhere/two"):
        root = _checkout(tmp_path / where)
        (run,) = plan.plan(notebooks, [root / "scenarios" / "central.yaml"], tmp_path / "out", paths.PROCESSED, False, root / "scenarios")
        prints.append(run.fingerprint)
    assert prints[0] == prints[1]


PARAMETERS = {
    # (scenario, processed folder) → what the executed notebook records
    "inside the project": (paths.SCENARIOS / "central.yaml", paths.PROCESSED, ("scenarios/central.yaml", "data/processed")),
    "a relative folder": (Path("scenarios/fast-ramp.yaml"), Path("data/processed"), ("scenarios/fast-ramp.yaml", "data/processed")),
}


@pytest.mark.parametrize("case", list(PARAMETERS))
def test_notebook_parameters_are_relative_to_the_project(case, monkeypatch):
    scenario, processed, expected = PARAMETERS[case]
    monkeypatch.chdir(paths.PROJECT_ROOT)
    run = plan.Run(paths.NOTEBOOKS / "02-market-size.ipynb", scenario, paths.REPORTS, processed, False, "x")
    recorded = worker.notebook_parameters(run)
    assert (recorded["scenario"], recorded["processed_dir"]) == expected
    # ... and a notebook run from notebooks/ finds them.
    monkeypatch.chdir(paths.NOTEBOOKS)
    assert paths.resolve_scenario(recorded["scenario"]) == (paths.PROJECT_ROOT / expected[0]).resolve()
    assert paths.resolve_folder(recorded["processed_dir"]) == paths.PROCESSED.resolve()


def test_outside_the_project_stays_absolute(tmp_path):
    scenario = tmp_path / "mine.yaml"
    run = plan.Run(paths.NOTEBOOKS / "02-market-size.ipynb", scenario, tmp_path, tmp_path / "processed", False, "x")
    assert worker.notebook_parameters(run) == {"scenario": str(scenario), "processed_dir": str(tmp_path / "processed")}


def _report_folder(output: Path, name: str, recorded: str) -> None:
    folder = output / name
    folder.mkdir(parents=True)
    (folder / "02-market-size.html").write_text("<html></html>", encoding="utf-8")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["papermill"] = {"parameters": {"scenario": recorded}}
    nbformat.write(notebook, folder / "02-market-size.ipynb")


def test_index_never_opens_another_checkouts_scenarios(tmp_path):
    other = _checkout(tmp_path / "other-checkout")
    mine = tmp_path / "mine.yaml"
    shutil.copy(CENTRAL, mine)
    output = tmp_path / "reports"
    cases = {
        # folder: (recorded scenario, the file the index must read)
        "central": (str(other / "scenarios" / "central.yaml"), paths.SCENARIOS / "central.yaml"),
        "fast-ramp": ("scenarios/fast-ramp.yaml", paths.SCENARIOS / "fast-ramp.yaml"),
        "mine": (str(mine), mine),
    }
    for name, (recorded, _) in cases.items():
        _report_folder(output, name, recorded)
    found = index_page.scenarios_on_disk(output)
    assert {name: Path(path).resolve() for name, path in found.items() if path} == {n: e.resolve() for n, (_, e) in cases.items()}


# --- class 5: the index tells the truth ---------------------------------------------------------


def _stamped(output: Path, scenario: str, notebook: str, fingerprint: str, *, page: bool = True) -> None:
    folder = output / scenario
    folder.mkdir(parents=True, exist_ok=True)
    if page:
        (folder / f"{notebook}.html").write_text("<html>report</html>", encoding="utf-8")
        nbformat.write(nbformat.v4.new_notebook(), folder / f"{notebook}.ipynb")
    (folder / f".{notebook}.stamp.json").write_text(json.dumps({"fingerprint": fingerprint, "status": "built"}), encoding="utf-8")


def _current(notebook: Path, scenario: Path, output: Path) -> str:
    (run,) = plan.plan([notebook], [scenario], output, paths.PROCESSED, False)
    return run.fingerprint


INDEX_CASES = {
    # (scenario, page on disk, stamp current) → status the index gives (None: not listed)
    "current page": ("central", True, True, "cached"),
    "page deleted by hand": ("fast-ramp", False, True, None),
    "built from older data": ("slow-approvals", True, False, "stale"),
}


def test_index_lists_what_is_on_disk_and_marks_stale_pages(tmp_path):
    notebook = paths.NOTEBOOKS / "02-market-size.ipynb"
    output = tmp_path / "reports"
    previous = []
    for scenario, page, current, _ in INDEX_CASES.values():
        fingerprint = _current(notebook, paths.SCENARIOS / f"{scenario}.yaml", output) if current else "built-from-old-data"
        _stamped(output, scenario, notebook.stem, fingerprint, page=page)
        previous.append({"notebook": notebook.stem, "scenario": scenario, "status": "built", "seconds": 1.0, "cell": None, "error": None})
    previous.append({"notebook": notebook.stem, "scenario": "removed-with-its-folder", "status": "built", "seconds": 1.0})
    (output / "build.json").write_text(json.dumps(previous), encoding="utf-8")
    truth = build.index_results(output, [notebook], [], paths.PROCESSED, False, paths.SCENARIOS)
    statuses = {r["scenario"]: r["status"] for r in truth}
    assert statuses == {s: status for s, _, _, status in INDEX_CASES.values() if status}


# --- class 7, report side: one line, limits, timeouts, retries -----------------------------------

OVERRIDES = {
    "price_usd_per_h200": [1e308, 1e300, 1e16, 10**400],
    "nvidia_china_revenue_usd": [1e308],
    "china_compute_stock_h100e": [1e200],
    "us_shipments_units_per_month": [1e308],
    "delivery_pace_units_per_month": [1.7e308],
}


@pytest.mark.parametrize("key,value", [(k, v) for k, values in OVERRIDES.items() for v in values])
def test_huge_override_is_refused_with_the_limit(key, value):
    from analysis.model import scenarios

    with pytest.raises(InputError) as caught:
        load_scenario(CENTRAL, **{key: value})
    message = str(caught.value)
    assert f"key {key!r}" in message and f"at most {scenarios.MAX_MAGNITUDE:g}" in message, message


def test_largest_allowed_value_is_accepted():
    from analysis.model import scenarios

    assert load_scenario(CENTRAL, nvidia_china_revenue_usd=scenarios.MAX_MAGNITUDE).value("nvidia_china_revenue_usd") == 1e15


@pytest.mark.parametrize("jobs", ["-3", "0", "-1", "1000000", "two", "1.5"])
def test_bad_jobs_is_one_line(capsys, monkeypatch, jobs):
    called = []
    monkeypatch.setattr(build, "build_reports", lambda **kw: called.append(kw) or 0)
    try:
        status = main(["reports", "--jobs", jobs])
    except SystemExit as stop:
        status = stop.code
    err = capsys.readouterr().err
    assert status == 2 and not called
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "--jobs" in lines[0], err


def test_build_reports_refuses_bad_jobs(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(build, "_build_locked", lambda *a, **k: pytest.fail("ran"))
    assert build.build_reports([CENTRAL], jobs=-3, output_dir=tmp_path / "reports") == 2
    assert capsys.readouterr().err.startswith("error: --jobs -3: ")


class _KernelDied(RuntimeError):
    pass


START = RuntimeError("Kernel died before replying to kernel_info")


def _cell_error():
    from papermill.exceptions import PapermillExecutionError

    return PapermillExecutionError(1, 2, "ValueError: x", "ValueError", "x", [])


RETRIES = {
    # what each papermill call does → (calls made, raises)
    "starts": (["ok"], 1, False),
    "dies at start once": ([START, "ok"], 2, False),
    "dies at start twice": ([START, START], 2, True),
    "a cell raises": ([_cell_error, "ok"], 1, True),
    "a cell times out": ([TimeoutError("Cell execution timed out"), "ok"], 1, True),
}


@pytest.mark.parametrize("case", list(RETRIES))
def test_kernel_that_dies_at_start_is_retried_once(tmp_path, monkeypatch, case):
    import papermill

    outcomes, calls, raises = RETRIES[case]
    seen = []

    def execute(input_path, output_path, **kwargs):
        seen.append(kwargs)
        outcome = outcomes[len(seen) - 1]
        outcome = outcome() if callable(outcome) else outcome
        if outcome != "ok":
            raise outcome

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    run = plan.Run(paths.NOTEBOOKS / "02-market-size.ipynb", CENTRAL, tmp_path, paths.PROCESSED, False, "x")
    tmp = tmp_path / "run.ipynb"
    if raises:
        with pytest.raises(Exception):  # noqa: B017  # whichever the last attempt raised
            worker.run_papermill(run, str(tmp))
    else:
        worker.run_papermill(run, str(tmp))
    assert len(seen) == calls
    assert all(kw["execution_timeout"] == worker.CELL_TIMEOUT_SECONDS for kw in seen)


NOISE = {
    "a Styler": "<pandas.io.formats.style.Styler at 0x7f3972cda690>",
    "an object": "<object object at 0x7fd70a3bc390>",
    "a function": "<function f at 0x10a2b3c4d>",
    "in a stream": "[<Foo object at 0x55d5c0a1b2c3>, <Foo object at 0x55d5c0a1b2c4>]",
}


@pytest.mark.parametrize("case", list(NOISE))
def test_memory_addresses_leave_executed_notebooks(case):
    text = NOISE[case]
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1),
        nbformat.v4.new_output("stream", name="stdout", text=text + "\n"),
    ]
    notebook.cells.append(cell)
    worker.normalise_notebook(notebook)
    written = nbformat.writes(notebook)
    # The address goes (a fixed placeholder stands in its place, as the committed notebooks hold), the object's name stays.
    assert not re.search(r"0x(?!ADDRESS)[0-9a-fA-F]", written)
    assert "object" in written or "Styler" in written or "function" in written


# --- slow: whole runs ------------------------------------------------------------------------------


@pytest.mark.slow
def test_executed_notebooks_are_relative_safe_and_identical(tmp_path):
    """Two forced builds give the same .ipynb bytes, with no memory address,
    no absolute path and no live markup from a hostile claim."""
    notebooks = _notebooks(tmp_path, FIXTURES / "01-works.ipynb")
    nb = json.loads((notebooks / "01-works.ipynb").read_text())
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "cell-hostile",
            "metadata": {},
            "outputs": [],
            "source": [
                "from analysis.present import display\n",
                "from analysis.metadata.processed import read_processed\n",
                "articles = read_processed('articles', processed_dir).assign(url='javascript:alert(1)', outlet='<img src=x onerror=alert(2)>')\n",
                "display.articles_table(articles)",
            ],
        }
    )
    (notebooks / "01-works.ipynb").write_text(json.dumps(nb))
    first, second = tmp_path / "first", tmp_path / "second"
    for output in (first, second):
        assert build.build_reports([CENTRAL], jobs=1, force=True, notebooks_dir=notebooks, output_dir=output, quiet=True) == 0
    one, two = (output / "central" / "01-works.ipynb" for output in (first, second))
    assert one.read_bytes() == two.read_bytes()
    text = one.read_text(encoding="utf-8")
    assert not re.search(r" at 0x(?!ADDRESS)[0-9a-fA-F]+>", text)
    assert str(paths.PROJECT_ROOT) not in text and str(tmp_path) not in text
    executed = nbformat.read(one, as_version=4)
    assert executed.metadata.papermill.parameters == {"scenario": "scenarios/central.yaml", "processed_dir": "data/processed"}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            for mime in ("text/html", "text/markdown"):
                if mime in output.get("data", {}):
                    assert _live(output["data"][mime]) == [], output["data"][mime][:500]


@pytest.mark.slow
def test_a_notebook_that_never_ends_times_out(tmp_path, monkeypatch):
    notebooks = _notebooks(tmp_path, FIXTURES / "01-works.ipynb")
    nb = json.loads((notebooks / "01-works.ipynb").read_text())
    nb["cells"].append(
        {"cell_type": "code", "execution_count": None, "id": "cell-forever", "metadata": {}, "outputs": [], "source": ["while True: pass"]}
    )
    (notebooks / "01-works.ipynb").write_text(json.dumps(nb))
    monkeypatch.setenv(worker.CELL_TIMEOUT_ENV, "5")
    started = time.monotonic()
    output = tmp_path / "reports"
    assert build.build_reports([CENTRAL], jobs=1, notebooks_dir=notebooks, output_dir=output, quiet=True) == 1
    assert time.monotonic() - started < 120
    page = (output / "central" / "01-works.html").read_text(encoding="utf-8")
    assert "failed to build" in page and "5 s" in page


_DYING_KERNEL = """\
import os, sys
marker = os.environ["H200_TEST_MARKER"]
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.exit(1)  # the first start dies
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""


@pytest.mark.slow
def test_a_kernel_that_dies_at_start_is_started_again(tmp_path, monkeypatch):
    kernels = tmp_path / "jupyter" / "kernels" / paths.KERNEL_NAME
    kernels.mkdir(parents=True)
    (tmp_path / "kernel.py").write_text(_DYING_KERNEL, encoding="utf-8")
    spec = {
        "argv": [sys.executable, str(tmp_path / "kernel.py"), "-f", "{connection_file}"],
        "display_name": "dies once",
        "language": "python",
    }
    (kernels / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter") + os.pathsep + os.environ.get("JUPYTER_PATH", ""))
    monkeypatch.setenv("H200_TEST_MARKER", str(tmp_path / "started-once"))
    notebooks = _notebooks(tmp_path, FIXTURES / "01-works.ipynb")
    output = tmp_path / "reports"
    assert build.build_reports([CENTRAL], jobs=1, notebooks_dir=notebooks, output_dir=output, quiet=True) == 0
    assert (tmp_path / "started-once").exists()
    assert "failed" not in (output / "central" / "01-works.html").read_text(encoding="utf-8")[:2000].lower()


@pytest.mark.slow
def test_index_after_a_data_change_and_a_page_deleted(tmp_path):
    """A `--scenario` build after a data change marks the other scenario's page
    stale; a page deleted by hand leaves the index at the next build."""
    notebooks = _notebooks(tmp_path, FIXTURES / "01-works.ipynb")
    processed = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED, processed)
    output = tmp_path / "reports"
    slow = paths.SCENARIOS / "slow-approvals.yaml"
    assert (
        build.build_reports([CENTRAL, slow], jobs=2, notebooks_dir=notebooks, output_dir=output, processed_dir=processed, quiet=True) == 0
    )
    figures = processed / "context_figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert "SemiAnalysis" in text  # a word of a note: changing it changes the data, not what it says
    figures.write_text(text.replace("SemiAnalysis", "SemiAnalysis Inc", 1), encoding="utf-8")
    assert build.build_reports([CENTRAL], jobs=1, notebooks_dir=notebooks, output_dir=output, processed_dir=processed, quiet=True) == 0
    statuses = {r["scenario"]: r["status"] for r in json.loads((output / "build.json").read_text(encoding="utf-8"))}
    assert statuses == {"central": "built", "slow-approvals": "stale"}
    assert "stale: built from older inputs" in (output / "index.html").read_text(encoding="utf-8")
    (output / "slow-approvals" / "01-works.html").unlink()
    assert build.build_reports([CENTRAL], jobs=1, notebooks_dir=notebooks, output_dir=output, processed_dir=processed, quiet=True) == 0
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "slow-approvals/01-works.html" not in index and "Slow approvals" not in index
    assert [r["scenario"] for r in json.loads((output / "build.json").read_text(encoding="utf-8"))] == ["central"]

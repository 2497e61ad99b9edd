"""Inside a report worker (analysis.reports.worker): error lines, the failure page and
what a failed run leaves, the executed notebook made a function of its inputs, the
page sanitiser, the cell time limit and the papermill parameters. No notebook runs here."""

from __future__ import annotations

import json
import os
import stat

import nbformat
import pytest

from analysis.core import paths
from analysis.reports import site, worker
from analysis.reports.plan import STARTUP_CODE, Result, Run

ONE_LINE = [
    ("the last non-empty line", "Traceback\n  File x\n\nValueError: bad  \n\n", {}, "ValueError: bad"),
    ("the first line with first", "Error: no such mark\n    at compile (x.js:1)\n", {"first": True}, "Error: no such mark"),
    ("nothing to say", "  \n\n", {}, "unknown error"),
    ("cut to the limit", "x" * 10, {"limit": 5}, "xxxx…"),
    ("exactly the limit", "x" * 5, {"limit": 5}, "xxxxx"),
    ("not text", ValueError("boom"), {}, "boom"),
]


@pytest.mark.parametrize(("case", "text", "options", "line"), ONE_LINE, ids=[row[0] for row in ONE_LINE])
def test_one_line_of_an_error(case, text, options, line):
    assert worker.one_line(text, **options) == line


def test_memory_addresses_in_reprs_are_replaced():
    assert worker.without_addresses("<pandas.io.formats.style.Styler at 0x7f00bb26a990>") == (
        "<pandas.io.formats.style.Styler at 0xADDRESS>"
    )
    assert worker.without_addresses(["<A at 0xDEADBEEF>", "plain"]) == ["<A at 0xADDRESS>", "plain"]
    assert worker.without_addresses("<A at 0x12>") == "<A at 0x12>"  # too short for an address
    assert worker.without_addresses("0x7f00bb26a990 alone") == "0x7f00bb26a990 alone"  # not a repr's " at 0x…>"
    assert worker.without_addresses(42) == 42


def test_normalise_notebook_keeps_only_what_the_inputs_decide():
    code = nbformat.v4.new_code_cell(
        "x",
        outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="<B at 0xabcdef12>\n"),
            nbformat.v4.new_output(
                "display_data",
                data={"text/plain": ["<S at 0x7f00bb26a990>"], "text/html": "<S at 0x7f00bb26a990>", "image/png": " at 0xabcdef12>"},
            ),
        ],
    )
    code.metadata["execution"] = {"iopub.execute_input": "2026-12-01T10:00:00Z"}
    code.metadata["papermill"] = {"start_time": "t", "end_time": "t", "duration": 1.0, "exception": False, "status": "completed"}
    code.metadata["tags"] = ["parameters"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"), code])
    notebook.metadata["papermill"] = {"start_time": "t", "input_path": "/a", "output_path": "/b", "parameters": {"scenario": "s"}}
    worker.normalise_notebook(notebook)
    assert [cell["id"] for cell in notebook.cells] == ["cell-00", "cell-01"]
    assert notebook.cells[1].metadata == {"papermill": {}, "tags": ["parameters"]}
    assert notebook.metadata["papermill"] == {"parameters": {"scenario": "s"}}
    stream, shown = notebook.cells[1].outputs
    assert stream["text"] == "<B at 0xADDRESS>\n"
    assert shown["data"] == {"text/plain": ["<S at 0xADDRESS>"], "text/html": "<S at 0xADDRESS>", "image/png": " at 0xabcdef12>"}


CLEANED = [
    ("an event handler dropped", '<p onclick="steal()">hi</p>', "<p>hi</p>"),
    ("a script escaped", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("a javascript link unlinked", '<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ("a web link kept", '<a href="https://e.com/" title="t">x</a>', '<a href="https://e.com/" title="t">x</a>'),
    ("an iframe escaped", '<iframe src="https://e.com"></iframe>', '&lt;iframe src="https://e.com"&gt;&lt;/iframe&gt;'),
    (
        "table parts kept",
        '<table class="c"><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
        '<table class="c"><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
    ),
]


@pytest.mark.parametrize(("case", "given", "cleaned"), CLEANED, ids=[row[0] for row in CLEANED])
def test_clean_html_lets_only_page_structure_through(case, given, cleaned, monkeypatch):
    monkeypatch.setattr(worker, "_CLEANED", {})
    assert worker.clean_html(given) == cleaned
    assert worker.clean_html(given.encode()) == cleaned  # nbconvert may hand bytes over


def test_clean_html_passes_the_chart_figures_of_the_page_as_they_are(monkeypatch):
    figure = '<figure class="h200-chart"><script type="application/json" class="h200-vega-spec">{}</script></figure>'
    monkeypatch.setattr(worker, "_CLEANED", {})
    monkeypatch.setattr(worker, "_TRUSTED_HTML", {figure})
    assert worker.clean_html(figure) == figure
    assert worker.clean_html(figure + " ") != figure + " "  # anything else is cleaned


@pytest.fixture
def run(tmp_path) -> Run:
    """A run of a notebook with no heading, whose name needs escaping, under a scenario 'central'."""
    notebooks, scenarios = tmp_path / "notebooks", tmp_path / "scenarios"
    notebooks.mkdir()
    scenarios.mkdir()
    (notebooks / "02-a&b.ipynb").write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    (scenarios / "central.yaml").write_text("name: central\n", encoding="utf-8")
    return Run(notebooks / "02-a&b.ipynb", scenarios / "central.yaml", tmp_path / "reports", tmp_path, False, "fp")


def test_failure_page_names_the_run_and_escapes_what_it_quotes(run):
    page = worker.failure_page(run, "cell 3: ValueError: <bad> & co", True)
    assert "<title>FAILED: A&amp;b — Central</title>" in page  # the title from the file name: "a&b"
    assert f"<p>{site.banner(run.notebook, run.scenario, 'FAILED')}</p><h1>This report failed to build</h1>" in page
    assert (
        "<p>Notebook <code>02-a&amp;b.ipynb</code>, scenario <code>central.yaml</code>: cell 3: ValueError: &lt;bad&gt; &amp; co</p>"
        in page
    )
    assert "is <a href='02-a%26b.ipynb'>02-a&amp;b.ipynb</a>." in page
    assert "No executed notebook was written." in worker.failure_page(run, "x", False)


def test_record_failure_keeps_the_executed_notebook_and_stamps_the_run_failed(run, tmp_path):
    run.html_path.parent.mkdir(parents=True)  # execute_run makes it, and its temporary notebook there
    executed = run.html_path.parent / ".02-a&b.x.running.ipynb"
    executed.write_text('{"cells": []}', encoding="utf-8")
    executed.chmod(0o600)
    result = worker.record_failure(run, 3, "Traceback\nValueError: deliberate", str(executed), 1.5)
    assert result == Result("02-a&b", "central", "failed", 1.5, 3, "ValueError: deliberate")
    assert not executed.exists() and run.ipynb_path.read_text(encoding="utf-8") == '{"cells": []}'
    assert stat.S_IMODE(os.stat(run.ipynb_path).st_mode) == 0o644  # for every reader
    assert json.loads(run.stamp_path.read_text(encoding="utf-8")) == {"fingerprint": "fp", "status": "failed"}
    page = run.html_path.read_text(encoding="utf-8")
    assert "cell 3: ValueError: deliberate</p>" in page and "02-a&amp;b.ipynb</a>" in page


def test_record_failure_without_a_notebook_removes_an_older_one(run, tmp_path):
    run.ipynb_path.parent.mkdir(parents=True)
    run.ipynb_path.write_text("an older run's notebook", encoding="utf-8")
    empty = tmp_path / "empty.running.ipynb"
    empty.write_text("", encoding="utf-8")
    result = worker.record_failure(run, None, "while drawing or exporting: ValueError: x", str(empty), 0.2)
    assert (result.cell, result.error) == (None, "while drawing or exporting: ValueError: x")
    assert not run.ipynb_path.exists()  # an empty file is no executed notebook either
    page = run.html_path.read_text(encoding="utf-8")
    assert "central.yaml</code>: while drawing or exporting: ValueError: x</p>" in page  # no cell: the error alone
    assert "No executed notebook was written." in page


class _CellError(Exception):
    def __init__(self, cell_index, ename, evalue):
        super().__init__("papermill says so")
        self.cell_index, self.ename, self.evalue = cell_index, ename, evalue


def test_the_failing_cell_is_counted_as_the_notebook_is_written(tmp_path):
    injected = nbformat.v4.new_code_cell("scenario = 'x'")
    injected.metadata["tags"] = ["injected-parameters"]
    cells = [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("p"), injected, nbformat.v4.new_code_cell("1/0")]
    executed = tmp_path / "executed.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), executed)
    # Papermill's index 3 is the 4th cell; the injected one before it is not the author's: cell 3.
    assert worker._failure(_CellError(3, "ZeroDivisionError", "division by zero"), str(executed)) == (
        3,
        "ZeroDivisionError: division by zero",
    )
    assert worker._failure(_CellError(3, "ValueError", "first\nlast"), str(tmp_path / "missing.ipynb")) == (4, "last")
    assert worker._failure(RuntimeError("kernel died\n\nKernel restarting"), str(executed)) == (None, "Kernel restarting")
    assert worker._failure(KeyError(), str(executed)) == (None, "KeyError")


def test_only_a_kernel_that_failed_to_start_is_tried_again(tmp_path):
    missing = str(tmp_path / "not-written.ipynb")
    assert worker._started_no_cell(RuntimeError("Kernel died before replying"), missing)
    assert worker._started_no_cell(OSError("address in use"), missing)
    assert not worker._started_no_cell(TimeoutError("cell timed out"), missing)
    assert not worker._started_no_cell(ValueError("a cell's error"), missing)
    papermill_error = type("PapermillExecutionError", (RuntimeError,), {})
    assert not worker._started_no_cell(papermill_error("cell failed"), missing)
    ran = nbformat.v4.new_code_cell("x")
    ran.execution_count = 1
    started = tmp_path / "started.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[ran]), started)
    assert not worker._started_no_cell(RuntimeError("kernel died"), str(started))  # a cell ran: not a start-up failure


@pytest.mark.parametrize(("given", "limit"), [(None, 300), ("5", 5), (" 12 ", 12), ("0", 300), ("-3", 300), ("1.5", 300), ("soon", 300)])
def test_cell_timeout_takes_a_positive_whole_number_of_seconds(given, limit, monkeypatch):
    if given is None:
        monkeypatch.delenv(worker.CELL_TIMEOUT_ENV, raising=False)
    else:
        monkeypatch.setenv(worker.CELL_TIMEOUT_ENV, given)
    assert worker.cell_timeout() == limit


def test_paths_are_recorded_relative_to_the_project_when_inside_it(tmp_path):
    assert worker.project_relative(paths.SCENARIOS / "central.yaml") == "scenarios/central.yaml"
    assert worker.project_relative(tmp_path / "mine.yaml") == str(tmp_path / "mine.yaml")
    run = Run(paths.NOTEBOOKS / "02-market-size.ipynb", paths.SCENARIOS / "central.yaml", tmp_path, paths.PROCESSED, False, "x")
    assert worker.notebook_parameters(run) == {"scenario": "scenarios/central.yaml", "processed_dir": "data/processed"}
    dated = Run(run.notebook, run.scenario, tmp_path, tmp_path / "processed", False, "x", as_of="2026-03-01")
    assert worker.notebook_parameters(dated) == {
        "scenario": "scenarios/central.yaml",
        "processed_dir": str(tmp_path / "processed"),
        "as_of": "2026-03-01",
    }


def test_the_ipython_startup_file_warms_the_kernels(tmp_path):
    assert worker.write_ipython_startup(tmp_path) == tmp_path
    assert (tmp_path / "profile_default" / "startup" / "00-h200-warm.py").read_text(encoding="utf-8") == STARTUP_CODE
    (tmp_path / "profile_default" / "startup" / "00-h200-warm.py").write_text("# stale", encoding="utf-8")
    worker.write_ipython_startup(tmp_path)  # again: the folder exists, the file is rewritten
    assert (tmp_path / "profile_default" / "startup" / "00-h200-warm.py").read_text(encoding="utf-8") == STARTUP_CODE

"""The batch report build: every run, offline pages, incremental, failures contained."""

from __future__ import annotations

import json
import re
import shutil
import time

import helpers
import nbformat
import pytest
from helpers import SCENARIO_NAMES

from analysis.core import paths
from analysis.reports.build import build_reports

FIXTURES = helpers.FIXTURES / "reports"
NOTEBOOKS = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//|@import\s+url\(\s*["']?https?:|url\(\s*["']?https?://""",
    re.IGNORECASE,
)


def test_every_notebook_under_every_scenario_built(built_reports):
    assert built_reports["status"] == 0
    results = {(r["notebook"], r["scenario"]): r["status"] for r in built_reports["results"]}
    assert results == {(n, s): "built" for n in NOTEBOOKS for s in SCENARIO_NAMES}
    for scenario in SCENARIO_NAMES:
        for notebook in NOTEBOOKS:
            assert (built_reports["output"] / scenario / f"{notebook}.html").stat().st_size > 10_000
            executed = nbformat.read(built_reports["output"] / scenario / f"{notebook}.ipynb", as_version=4)
            assert executed.metadata.papermill.parameters["scenario"].endswith(f"{scenario}.yaml")


def test_pages_reference_nothing_online_and_hide_code(report_pages):
    for page in report_pages:
        text = page.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), page
        if page.name != "index.html":
            # Charts are Vega specs drawn by Vega-Embed, embedded once per page, with a printed caption.
            assert text.count("window.vegaEmbed=") == 1, page
            assert text.count('class="h200-vega-spec"') == text.count("<figcaption>") >= 1, page
            assert "charts.setup_notebook()" not in text, page  # code hidden without --show-code
            assert len(text.encode()) < 1_500_000, page  # about 0.9 MB of Vega plus the notebook
        else:
            assert "<svg" in text and "<title>" in text  # the overview chart: static SVG with hover titles
            assert len(text.encode()) < 200_000


@pytest.mark.slow
def test_reports_quiet_prints_only_failures_and_counts_read_right(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for fixture in FIXTURES.glob("*.ipynb"):
        shutil.copy(fixture, notebooks / fixture.name)
    output = tmp_path / "reports"
    central = [paths.SCENARIOS / "central.yaml"]
    assert build_reports(central, jobs=1, notebooks_dir=notebooks, output_dir=output, quiet=True) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("FAILED 02-raises × central: cell 3:")
    # Without --quiet: one line per state change, with singular counts where they are one.
    (notebooks / "02-raises.ipynb").unlink()
    assert build_reports(central, jobs=1, notebooks_dir=notebooks, output_dir=output) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "reports: 1 run (1 notebook × 1 scenario), 0 to build, 1 up to date; 1 job"


@pytest.mark.slow
def test_failure_is_contained_and_named(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for fixture in FIXTURES.glob("*.ipynb"):
        shutil.copy(fixture, notebooks / fixture.name)
    output = tmp_path / "reports"
    stale = output / "central" / "02-raises.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<html>an old report that looks current</html>", encoding="utf-8")
    status = build_reports([paths.SCENARIOS / "central.yaml"], jobs=2, notebooks_dir=notebooks, output_dir=output)
    assert status == 1
    err = capsys.readouterr().err
    assert "FAILED 02-raises × central: cell 3: ValueError: deliberate failure for the test" in err
    assert "an old report" not in stale.read_text(encoding="utf-8")
    assert "failed to build" in stale.read_text(encoding="utf-8")
    assert (output / "central" / "01-works.html").exists()
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "FAILED" in index and "cell 3: ValueError: deliberate failure for the test" in index
    # A rebuild retries the failed run only.
    status = build_reports([paths.SCENARIOS / "central.yaml"], jobs=1, notebooks_dir=notebooks, output_dir=output)
    results = {r["notebook"]: r["status"] for r in json.loads((output / "build.json").read_text())}
    assert status == 1 and results == {"01-works": "cached", "02-raises": "failed"}


def test_bad_scenario_fails_before_any_run(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text((paths.SCENARIOS / "central.yaml").read_text().replace("  training_share:", "  training_shares:"), encoding="utf-8")
    output = tmp_path / "reports"
    assert build_reports([paths.SCENARIOS / "central.yaml", bad], output_dir=output) == 2
    assert "key 'training_shares': unknown assumption" in capsys.readouterr().err
    assert not output.exists()


@pytest.mark.slow
def test_incremental_rebuild(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "01-works.ipynb", notebooks)
    output = tmp_path / "reports"
    scenarios = [paths.SCENARIOS / "central.yaml", paths.SCENARIOS / "slow-approvals.yaml"]
    assert build_reports(scenarios, jobs=2, notebooks_dir=notebooks, output_dir=output) == 0
    started = time.perf_counter()
    assert build_reports(scenarios, jobs=2, notebooks_dir=notebooks, output_dir=output) == 0
    assert time.perf_counter() - started < 2.0
    assert "reports: 0 built, 2 up to date, 0 failed" in capsys.readouterr().out
    # Changing one scenario rebuilds only its runs.
    changed = tmp_path / "slow-approvals.yaml"
    text = (paths.SCENARIOS / "slow-approvals.yaml").read_text()
    assert "value: 27000" in text
    changed.write_text(text.replace("value: 27000", "value: 26000"), encoding="utf-8")
    scenarios[1] = changed
    assert build_reports(scenarios, jobs=2, notebooks_dir=notebooks, output_dir=output) == 0
    statuses = {r["scenario"]: r["status"] for r in json.loads((output / "build.json").read_text())}
    assert statuses == {"central": "cached", "slow-approvals": "built"}


def test_the_build_s_main_process_imports_neither_pandas_nor_altair():
    """A no-op `make reports` answers in a fraction of a second because the build's own process
    imports only what planning needs: pandas and altair are for the workers and the index (each
    a third of a second to import). An import moved to module level would slow every no-op build."""
    import subprocess
    import sys

    code = (
        "import sys; import analysis.__main__, analysis.reports.build, analysis.reports.index_page, analysis.reports.site; "
        "print(sorted(m for m in ('pandas', 'altair', 'numpy', 'nbconvert') if m in sys.modules))"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "[]"

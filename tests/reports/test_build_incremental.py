"""Precise incremental builds: what each notebook reads, fingerprints that
cover exactly that, ``data`` skipped when nothing it reads changed, and an
incremental build equal to ``--force`` byte for byte after a new scenario."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import copy_raw

from analysis.__main__ import main
from analysis.core import paths
from analysis.present.parameters import reads_every_scenario
from analysis.reports.plan import discover_notebooks, plan
from analysis.tables import data_stamp

NOTEBOOKS = discover_notebooks(paths.NOTEBOOKS)
SCENARIOS = sorted(paths.SCENARIOS.glob("*.yaml"))


def test_each_notebook_declares_what_it_reads():
    declared = {nb.stem: reads_every_scenario(nb) for nb in NOTEBOOKS}
    # 03 compares the cases (figures.delivery_by_scenario reads every file of scenarios/); the others read their own.
    assert declared == {nb.stem: nb.stem == "03-demand-vs-stock" for nb in NOTEBOOKS}


def test_a_notebook_that_does_not_say_is_taken_to_read_every_scenario(tmp_path):
    notebook = tmp_path / "09-silent.ipynb"
    notebook.write_text(
        '{"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "scenario: str = \\"central\\""}]}'
    )
    assert reads_every_scenario(notebook)


def test_a_new_scenario_changes_its_own_runs_and_the_comparing_notebooks_only(tmp_path):
    extra_dir = tmp_path / "scenarios"
    extra_dir.mkdir()
    before = {
        (r.notebook.stem, r.scenario.stem): r.fingerprint for r in plan(NOTEBOOKS, SCENARIOS, tmp_path, paths.PROCESSED, False, extra_dir)
    }
    extra = extra_dir / "extra.yaml"
    extra.write_text((paths.SCENARIOS / "central.yaml").read_text(encoding="utf-8").replace("name: central", "name: extra", 1))
    after = {
        (r.notebook.stem, r.scenario.stem): r.fingerprint
        for r in plan(NOTEBOOKS, [*SCENARIOS, extra], tmp_path, paths.PROCESSED, False, extra_dir)
    }
    changed = sorted(key for key in before if before[key] != after[key])
    assert changed == sorted((nb.stem, s.stem) for nb in NOTEBOOKS for s in SCENARIOS if nb.stem == "03-demand-vs-stock")
    assert len(set(after.values())) == len(after)  # every run its own fingerprint


# --- make data skips when nothing it reads changed ------------------------------------------------


def test_reading_modules_are_the_pipelines_imports():
    names = {p.relative_to(data_stamp.PACKAGE).with_suffix("").as_posix() for p in data_stamp.reading_modules()}
    assert {
        "__init__",
        "tables/__init__",
        "tables/pipeline",
        "sources/extract",
        "sources/html_pages",
        "quantities/__init__",
        "quantities/reader",
        "quantities/matchers",
        "evidence/claims",
        "evidence/candidates",
        "lang/vocabulary",
        "core/files",
        "metadata/schemas",
    } <= names
    assert not {name.split("/")[0] for name in names} & {"model", "present", "reports", "__main__"}


def test_data_skips_when_nothing_changed_and_rebuilds_when_something_did(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    out = tmp_path / "processed"
    stamp = data_stamp.stamp_path(out)
    stamp.unlink(missing_ok=True)
    try:
        make_data = ["data", "--raw", str(raw), "--out", str(out), "--if-changed"]  # as `make data` runs it
        assert main(make_data) == 0
        assert "data: wrote " in capsys.readouterr().err
        written = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
        assert main(make_data) == 0
        assert capsys.readouterr().err.startswith(f"data: {out} is up to date")
        assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == written  # nothing rewritten
        assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0  # without --if-changed: always a build
        assert "data: wrote " in capsys.readouterr().err
        for change in (
            lambda: (raw / "articles.csv").write_bytes((raw / "articles.csv").read_bytes() + b"\n"),  # a raw file
            lambda: (out / "claims.csv").write_text("edited by hand\n"),  # a processed table
        ):
            change()
            assert main(make_data) == 0
            assert "data: wrote " in capsys.readouterr().err
        assert (out / "claims.csv").read_bytes() == (paths.PROCESSED / "claims.csv").read_bytes()
    finally:
        stamp.unlink(missing_ok=True)


def test_a_change_of_the_reading_code_rebuilds(tmp_path, monkeypatch):
    raw = copy_raw(tmp_path)
    package = tmp_path / "package"
    shutil.copytree(Path(data_stamp.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(data_stamp, "PACKAGE", package)
    monkeypatch.setattr(data_stamp, "reading_modules", lambda: [package / "tables" / "pipeline.py", package / "quantities" / "reader.py"])
    first = data_stamp.inputs_fingerprint(raw)
    (package / "present" / "charts.py").write_text("# not read by the pipeline\n")
    assert data_stamp.inputs_fingerprint(raw) == first
    (package / "quantities" / "reader.py").write_text((package / "quantities" / "reader.py").read_text() + "\n# changed\n")
    second = data_stamp.inputs_fingerprint(raw)
    assert second != first
    (package / "lang" / "en.yaml").write_text((package / "lang" / "en.yaml").read_text() + "\n")  # the vocabulary
    assert data_stamp.inputs_fingerprint(raw) != second


# --- incremental == --force, after a new scenario (slow: builds reports twice) ---------------------


def _project_copy(target: Path) -> Path:
    root = paths.PROJECT_ROOT
    files = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (root / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, target / name)
    for name in ("analysis/parameters.py", "analysis/data_stamp.py", "analysis/notebook_refresh.py"):  # this branch's, tracked or not
        shutil.copy2(root / name, target / name)
    for notebook in (target / "notebooks").glob("*.ipynb"):  # two notebooks: one that compares the scenarios, one that does not
        if notebook.stem not in ("03-demand-vs-stock", "04-allocation"):
            notebook.unlink()
    return target


def _build(project: Path, output: Path, *extra: str) -> str:
    code = (
        "import sys; from pathlib import Path; from analysis.reports.build import build_reports; "
        f"sys.exit(build_reports(jobs=2, output_dir=Path({str(output)!r}){', force=True' if 'force' in extra else ''}))"
    )
    env = {**os.environ, "PYTHONPATH": str(project), paths.ROOT_ENV: str(project)}
    done = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _pages(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.glob("*/*")) if p.suffix in (".html", ".ipynb")}


@pytest.mark.slow
def test_incremental_equals_force_after_a_new_scenario(tmp_path):
    project = _project_copy(tmp_path / "project")
    held_back = tmp_path / "fast-ramp.yaml"
    shutil.move(project / "scenarios" / "fast-ramp.yaml", held_back)
    incremental = tmp_path / "incremental"
    _build(project, incremental)
    shutil.move(held_back, project / "scenarios" / "fast-ramp.yaml")
    log = _build(project, incremental)
    built = sorted(line.split("built ")[1].split(" (")[0].strip() for line in log.splitlines() if "] built " in line)
    assert built == sorted(
        [
            "03-demand-vs-stock × central",
            "03-demand-vs-stock × slow-approvals",
            "03-demand-vs-stock × fast-ramp",
            "04-allocation × fast-ramp",
        ]
    )
    forced = tmp_path / "forced"
    _build(project, forced, "force")
    assert _pages(incremental) == _pages(forced)
    assert len(_pages(forced)) == 2 * 2 * 3  # html and ipynb, 2 notebooks × 3 scenarios


def test_runs_go_longest_first_by_the_times_the_last_build_recorded(tmp_path):
    from analysis.reports.plan import Result, Run, longest_first, read_run_seconds, record_run_seconds

    seconds = tmp_path / "build" / "run-seconds.json"
    notebooks = [tmp_path / f"{n}.ipynb" for n in ("01-quick", "02-slow", "03-new")]
    runs = [Run(nb, tmp_path / f"{s}.yaml", tmp_path, tmp_path, False, "f") for s in ("a", "b") for nb in notebooks]
    assert longest_first(runs, seconds) == runs  # nothing recorded yet: the plan's order
    results = [
        Result("01-quick", "a", "built", 0.5),
        Result("01-quick", "b", "built", 0.7),
        Result("02-slow", "a", "built", 4.0),
        Result("02-slow", "b", "built", 2.0),
        Result("03-new", "a", "failed", 9.0),  # a failed run's time says nothing of the notebook's
    ]
    record_run_seconds(results, runs, seconds)
    assert read_run_seconds(seconds) == {str(notebooks[0].resolve()): 0.6, str(notebooks[1].resolve()): 3.0}  # medians
    ordered = [(run.notebook.stem, run.scenario.stem) for run in longest_first(runs, seconds)]
    # Never timed first (it may be the longest), then the slowest; equal times keep the plan's order.
    assert ordered == [("03-new", "a"), ("03-new", "b"), ("02-slow", "a"), ("02-slow", "b"), ("01-quick", "a"), ("01-quick", "b")]
    seconds.write_text("not json", encoding="utf-8")
    assert read_run_seconds(seconds) == {} and longest_first(runs, seconds) == runs  # a broken cache is only a cache

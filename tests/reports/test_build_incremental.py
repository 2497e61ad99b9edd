"""Precise incremental builds: what each notebook reads, and an incremental
build equal to ``--force`` byte for byte after a new scenario (fingerprints
that cover exactly what each notebook reads: tests/reports/test_plan.py;
``data`` skipped when nothing it reads changed: tests/tables/test_data_stamp.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.core import paths
from analysis.present.parameters import reads_every_scenario
from analysis.reports.plan import discover_notebooks

NOTEBOOKS = discover_notebooks(paths.NOTEBOOKS)


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


# --- incremental == --force, after a new scenario (slow: builds reports twice) ---------------------


def _project_copy(target: Path) -> Path:
    root = paths.PROJECT_ROOT
    files = subprocess.run(["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (root / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
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

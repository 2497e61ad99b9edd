"""Command-line output: --quiet, and counts in the right number."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.formatting import plural
from analysis.reports import build_reports

FIXTURES = Path(__file__).parent / "fixtures" / "reports"


def test_plural():
    assert [plural(n, "scenario") for n in (0, 1, 2, 1200)] == ["0 scenarios", "1 scenario", "2 scenarios", "1,200 scenarios"]
    assert plural(1, "copy", "copies") == "1 copy" and plural(3, "copy", "copies") == "3 copies"


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


def test_data_quiet_prints_nothing(tmp_path):
    command = [sys.executable, "-m", "analysis", "data", "--out", str(tmp_path / "processed")]
    loud = subprocess.run(command, capture_output=True, text=True, check=True)
    counts = {name: len(pd.read_csv(paths.PROCESSED / f"{name}.csv")) for name in ("articles", "claims", "chip_specs")}
    assert min(counts.values()) > 1  # plural forms below
    assert f"data: read {counts['articles']} articles, {counts['claims']} claims, {counts['chip_specs']} chips, " in loud.stderr
    assert f"data: wrote {len(list(paths.PROCESSED.glob('*.csv')))} tables to" in loud.stderr
    quiet = subprocess.run([*command, "--quiet"], capture_output=True, text=True, check=True)
    assert quiet.stdout == "" and quiet.stderr == ""
    assert (tmp_path / "processed" / "claims.csv").read_bytes() == (paths.PROCESSED / "claims.csv").read_bytes()

"""Command-line output (`python -m analysis`): --quiet, and counts in the right number.
The reports command's output is tested in test_reports.py."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from analysis import paths


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

"""Shared fixtures: the reports are built once per test session (they run every
notebook under every scenario), then reused by the report, scenario and browser tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import paths
from analysis.reports import build_reports


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory) -> dict:
    """Every notebook × every shipped scenario, built into a temporary folder."""
    output = tmp_path_factory.mktemp("reports")
    status = build_reports(jobs=2, force=True, output_dir=output)
    results = json.loads((output / "build.json").read_text(encoding="utf-8"))
    return {"status": status, "output": output, "results": results}


@pytest.fixture(scope="session")
def report_pages(built_reports) -> list[Path]:
    output: Path = built_reports["output"]
    return [output / "index.html", *sorted(output.glob("*/*.html"))]


SCENARIO_NAMES = [p.stem for p in sorted(paths.SCENARIOS.glob("*.yaml"))]

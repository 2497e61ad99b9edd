"""Shared fixtures, and the `slow` marker.

The reports are built once per test session (they run every notebook under
every scenario), then reused by the report, safety and browser tests. Plain
helpers (a private copy of data/raw, the shipped scenarios) are in helpers.py.

`slow` marks every test that runs notebooks (papermill, nbval) or a browser:
`pytest -m "not slow"` is the quick loop, `pytest -m slow` the rest. Tests
that call the report builder or papermill themselves carry the marker; the
hook below adds it to every test that uses the built reports, every browser
test and every notebook nbval collects, so none of those can forget it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.reports import build_reports


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        runs_notebooks = "built_reports" in getattr(item, "fixturenames", ()) or item.path.suffix == ".ipynb"
        if runs_notebooks or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


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

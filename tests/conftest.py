"""Shared fixtures, and the `slow` marker.

The reports are built once per test session (they run every notebook under
every scenario), then reused by the report, safety and browser tests. Plain
helpers (a private copy of data/raw, the shipped scenarios) are in helpers.py.

`slow` marks every test that runs notebooks (papermill, nbval), a browser or a wheel build:
`pytest -m "not slow"` is the quick loop, `pytest -m slow` the rest. Tests
that call the report builder or papermill themselves carry the marker; the
hook below adds it to every test that uses the built reports, every browser
test and every notebook nbval collects, so none of those can forget it."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import pytest

from analysis.reports.build import build_reports


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        runs_notebooks = "built_reports" in getattr(item, "fixturenames", ()) or item.path.suffix == ".ipynb"
        if runs_notebooks or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory, worker_id) -> dict:
    """Every notebook × every shipped scenario, built into a temporary folder,
    once per test session: under pytest-xdist (``make test`` runs two workers,
    each taking whole files) the first worker to ask builds while holding a
    lock, and the other reads the same folder. The tests only read it."""
    if worker_id == "master":  # not under xdist
        return _build_every_report(tmp_path_factory.mktemp("reports"))
    shared = tmp_path_factory.getbasetemp().parent  # the folder every worker's basetemp sits in
    with open(shared / "reports.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "reports.json"
        if done.exists():
            return json.loads(done.read_text(encoding="utf-8")) | {"output": shared / "reports"}
        built = _build_every_report(shared / "reports")
        done.write_text(json.dumps({key: value for key, value in built.items() if key != "output"}), encoding="utf-8")
        return built


def _build_every_report(output: Path) -> dict:
    status = build_reports(jobs=2, force=True, output_dir=output)
    results = json.loads((output / "build.json").read_text(encoding="utf-8"))
    return {"status": status, "output": output, "results": results}


@pytest.fixture(scope="session")
def report_pages(built_reports) -> list[Path]:
    output: Path = built_reports["output"]
    return [output / "index.html", *sorted(output.glob("*/*.html"))]

"""Planning the report build (analysis.reports.plan): the runs and what their
fingerprints cover, the stamps that make a run current, the notebooks found, the
order the workers take the runs in, and the checks of scenario names."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.reports import plan as plan_module
from analysis.reports.plan import (
    Result,
    Run,
    check_scenario_names,
    data_hash,
    discover_notebooks,
    is_current,
    longest_first,
    plan,
    read_run_seconds,
    record_run_seconds,
    scenario_folders_read,
    shared_fingerprint,
)

NOTEBOOKS = discover_notebooks(paths.NOTEBOOKS)
SCENARIOS = sorted(paths.SCENARIOS.glob("*.yaml"))


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


# --- new tests: hand-made notebooks, scenarios and stamps ------------------------------------------


def _notebook(path: Path, reads: str) -> Path:
    source = f'# Reads: {reads}\\nscenario: str = \\"central\\"'
    path.write_text(f'{{"cells": [{{"cell_type": "code", "metadata": {{"tags": ["parameters"]}}, "source": "{source}"}}]}}')
    return path


@pytest.fixture
def project(tmp_path) -> SimpleNamespace:
    """Two notebooks (one compares the scenarios), two scenarios in their own folder, a data folder."""
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    for name in ("a", "b"):
        (scenarios / f"{name}.yaml").write_text(f"name: {name}\n", encoding="utf-8")
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "claims.csv").write_text("claim_id\nc1\n", encoding="utf-8")
    own = _notebook(tmp_path / "01-own.ipynb", "its own scenario only")
    every = _notebook(tmp_path / "02-every.ipynb", "every scenario of scenarios/")
    return SimpleNamespace(
        scenarios=scenarios,
        files=sorted(scenarios.glob("*.yaml")),
        processed=processed,
        notebooks=[own, every],
        output=tmp_path / "reports",
    )


def _fingerprints(project, **changes) -> dict[tuple[str, str], str]:
    given = {"show_code": False, "as_of": None} | changes
    runs = plan(project.notebooks, project.files, project.output, project.processed, given["show_code"], project.scenarios, given["as_of"])
    return {(run.notebook.stem, run.scenario.stem): run.fingerprint for run in runs}


def test_a_run_is_named_and_placed_by_its_notebook_and_scenario(tmp_path):
    run = Run(tmp_path / "02-market-size.ipynb", tmp_path / "slow-approvals.yaml", tmp_path / "out", tmp_path, False, "f")
    assert run.label == "02-market-size × slow-approvals"
    assert run.html_path == tmp_path / "out" / "slow-approvals" / "02-market-size.html"
    assert run.ipynb_path == tmp_path / "out" / "slow-approvals" / "02-market-size.ipynb"
    assert run.stamp_path == tmp_path / "out" / "slow-approvals" / ".02-market-size.stamp.json"


def test_plan_gives_every_notebook_under_every_scenario_scenario_by_scenario(project):
    runs = plan(project.notebooks, project.files, project.output, project.processed, True, project.scenarios, "2026-03-01")
    assert [run.label for run in runs] == ["01-own × a", "02-every × a", "01-own × b", "02-every × b"]
    assert {(run.output_dir, run.processed_dir, run.show_code, run.as_of) for run in runs} == {
        (project.output, project.processed, True, "2026-03-01")
    }
    assert len({run.fingerprint for run in runs}) == 4


def test_a_fingerprint_changes_with_what_its_run_reads_only(project):
    before = _fingerprints(project)
    assert _fingerprints(project) == before  # nothing changed: the same fingerprints
    (project.scenarios / "a.yaml").write_text("name: a\n# edited\n", encoding="utf-8")
    after = _fingerprints(project)
    # Scenario a's runs, and the comparing notebook's runs under b (it reads a too); not 01-own × b.
    assert sorted(key for key in before if before[key] != after[key]) == [("01-own", "a"), ("02-every", "a"), ("02-every", "b")]
    project.notebooks[0].write_text(project.notebooks[0].read_text() + " ")
    edited = _fingerprints(project)
    assert sorted(key for key in after if after[key] != edited[key]) == [("01-own", "a"), ("01-own", "b")]


def test_the_shared_inputs_change_every_fingerprint(project):
    before = _fingerprints(project)
    for changed in (_fingerprints(project, show_code=True), _fingerprints(project, as_of="2026-03-01")):
        assert all(changed[key] != before[key] for key in before)
    (project.processed / "claims.csv").write_text("claim_id\nc1\nc2\n", encoding="utf-8")
    assert all(_fingerprints(project)[key] != before[key] for key in before)


def test_shared_fingerprint_covers_the_data_the_code_switch_and_the_date(project):
    first = shared_fingerprint(project.processed, False)
    assert shared_fingerprint(project.processed, False) == first and len(first) == 64
    assert len({first, shared_fingerprint(project.processed, True), shared_fingerprint(project.processed, False, "2026-03-01")}) == 3
    (project.processed / "notes.txt").write_text("not a table", encoding="utf-8")
    assert shared_fingerprint(project.processed, False) == first  # only the CSV tables count


def test_data_hash_is_the_tables_names_and_bytes(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"x,y\n1,2\n")
    (tmp_path / "README.txt").write_text("ignored", encoding="utf-8")
    expected = hashlib.sha256(b"a.csv" + b"x,y\n1,2\n").hexdigest()[:12]
    assert data_hash(tmp_path) == expected


def test_scenario_folders_read_are_the_given_folder_and_the_shipped_one(tmp_path):
    (tmp_path / "extra.yaml").write_text("name: extra\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    read = scenario_folders_read(tmp_path)
    assert read == sorted([tmp_path / "extra.yaml", *(p.resolve() for p in SCENARIOS)])
    assert scenario_folders_read(paths.SCENARIOS) == sorted(p.resolve() for p in SCENARIOS)


def test_discover_notebooks_finds_the_numbered_ones_in_order(tmp_path):
    for name in ("02-b.ipynb", "01-a.ipynb", "notes.ipynb", "1-short.ipynb", "ab-c.ipynb", "03-c.txt", "10-later.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in discover_notebooks(tmp_path)] == ["01-a.ipynb", "02-b.ipynb", "10-later.ipynb"]


def test_a_run_is_current_only_after_a_successful_build_of_the_same_inputs(tmp_path):
    run = Run(tmp_path / "01-a.ipynb", tmp_path / "central.yaml", tmp_path / "out", tmp_path, False, "abc")
    assert not is_current(run)  # no stamp
    run.html_path.parent.mkdir(parents=True)
    run.html_path.write_text("<html></html>", encoding="utf-8")
    run.ipynb_path.write_text("{}", encoding="utf-8")
    run.stamp_path.write_text(json.dumps({"fingerprint": "abc", "status": "built"}), encoding="utf-8")
    assert is_current(run)
    for stamp in ({"fingerprint": "old", "status": "built"}, {"fingerprint": "abc", "status": "failed"}, ["abc", "built"]):
        run.stamp_path.write_text(json.dumps(stamp), encoding="utf-8")
        assert not is_current(run), stamp
    run.stamp_path.write_text("{broken", encoding="utf-8")
    assert not is_current(run)
    run.stamp_path.write_text(json.dumps({"fingerprint": "abc", "status": "built"}), encoding="utf-8")
    run.ipynb_path.unlink()  # the executed notebook gone: rebuild
    assert not is_current(run)


def test_scenario_names_must_tell_the_reports_apart(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    (one / "sub").mkdir(parents=True)
    two.mkdir()
    for path in (one / "central.yaml", two / "central.yaml", one / "other.yaml"):
        path.write_text("", encoding="utf-8")
    central = SimpleNamespace(name="central")
    check_scenario_names({one / "central.yaml": central, one / "sub" / ".." / "central.yaml": central})  # one file, two spellings
    check_scenario_names({one / "central.yaml": central, one / "other.yaml": SimpleNamespace(name="other")})
    with pytest.raises(InputError, match=r"two/central\.yaml: same file name as .*one/central\.yaml; reports/central/ would hold both"):
        check_scenario_names({one / "central.yaml": central, two / "central.yaml": SimpleNamespace(name="copy")})
    with pytest.raises(InputError, match=r"other\.yaml: key 'name': 'central' is also the name of .*one/central\.yaml"):
        check_scenario_names({one / "central.yaml": central, one / "other.yaml": central})
    with pytest.raises(InputError, match="must not start with a dot"):
        check_scenario_names({tmp_path / ".hidden.yaml": SimpleNamespace(name="hidden")})


def test_run_seconds_keep_the_latest_notebooks_and_move_a_retimed_one_last(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_module, "RUN_SECONDS_KEPT", 3)
    seconds = tmp_path / "run-seconds.json"
    notebooks = [tmp_path / f"0{i}-n.ipynb" for i in range(1, 5)]
    runs = [Run(nb, tmp_path / "a.yaml", tmp_path, tmp_path, False, "f") for nb in notebooks]
    for i, notebook in enumerate(notebooks[:3], start=1):
        record_run_seconds([Result(notebook.stem, "a", "built", float(i))], runs, seconds)
    record_run_seconds([Result("01-n", "a", "built", 9.0)], runs, seconds)  # timed again: now the latest
    record_run_seconds([Result("04-n", "a", "built", 4.0)], runs, seconds)  # a fourth: the oldest (02) is forgotten
    assert list(read_run_seconds(seconds).items()) == [
        (str(notebooks[2].resolve()), 3.0),
        (str(notebooks[0].resolve()), 9.0),
        (str(notebooks[3].resolve()), 4.0),
    ]
    record_run_seconds([Result("09-unplanned", "a", "built", 1.0), Result("02-n", "a", "cached", 0.1)], runs, seconds)
    assert len(read_run_seconds(seconds)) == 3  # neither a run outside the plan nor a cached one is timed


def test_run_seconds_that_cannot_be_written_or_read_are_only_a_cache(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    run = Run(tmp_path / "01-n.ipynb", tmp_path / "a.yaml", tmp_path, tmp_path, False, "f")
    record_run_seconds([Result("01-n", "a", "built", 1.0)], [run], blocker / "run-seconds.json")  # its folder is a file: no error
    assert read_run_seconds(blocker / "run-seconds.json") == {}
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"a": 1.5, "b": -1, "c": True, "d": "2", "e": 3}), encoding="utf-8")
    assert read_run_seconds(odd) == {"a": 1.5, "e": 3.0}
    odd.write_text("[1, 2]", encoding="utf-8")
    assert read_run_seconds(odd) == {} and longest_first([run], odd) == [run]

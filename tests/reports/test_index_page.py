"""``reports/index.html`` (analysis.reports.index_page): the overview chart, the record
before any model, which scenarios and runs the index lists and in what order, the
reports grid, and the figures a build hands over."""

from __future__ import annotations

import json
import re
import shutil

import helpers
import pandas as pd
import pytest
from helpers import SCENARIO_NAMES, labels_of, marks, raw_in

from analysis.core import paths
from analysis.metadata.registry import figures_for
from analysis.model.figures import headline
from analysis.present import display, rendering
from analysis.reports import index_page, plan
from analysis.reports.build import build_reports
from analysis.reports.plan import Result

FIXTURES = helpers.FIXTURES / "reports"
INF = float("inf")


def test_overview_chart_draws_every_scenario_with_words():
    def table(scale: float, high_value: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "title": [
                    "Chance of any delivery by the end of 2026",
                    "Expected deliveries by the end of 2026",
                    "Value of the approved batch",
                ],
                "low": [0.281, 0.0, 8.66e9 * scale],
                "central": [0.590323613213, 164814.298979, 10.8e9 * scale],
                "high": [0.796172621541, high_value, 11675638536.4 * scale],
                "unit": ["fraction", "chips", "USD"],
            },
            index=figures_for("index", "overview"),
        )

    spec = index_page.overview_chart({"central": table(1.0, 451119.246373), "slow-approvals": table(0.5, INF)})
    assert spec["description"].startswith("The scenarios compared.")
    svg = rendering.chart_to_svg(spec)
    assert len(marks(svg, "bar")) == 3 * 2 and len(marks(svg, "tick")) == 3 * 2  # 3 figures × 2 scenarios
    assert len(marks(svg, "text mark")) == 1 and "beyond the horizon" in svg
    texts = labels_of(svg)
    assert "Value of the approved batch, Central: US$10.8 bn (90% range US$8.7–11.7 bn)" in texts
    assert raw_in(texts) == []


def test_the_index_states_the_record_before_any_model():
    from analysis.core import paths

    # facts.md §5: the latest report in the shipped articles (1 June 2026) still has no H200 delivered.
    assert index_page._record_sentence("2026-06-01", paths.PROCESSED) == (
        "What the record shows: no H200 had been delivered to mainland China as of 1 June 2026, the latest report of deliveries."
    )
    # The January articles report no delivery count at all: nothing to state.
    assert index_page._record_sentence("2026-01-30", paths.PROCESSED) is None


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_headline_low_central_high_in_each_scenario(built_reports, scenario):
    table = headline(paths.SCENARIOS / f"{scenario}.yaml")
    assert ((table["low"] <= table["central"]) & (table["central"] <= table["high"])).all()
    index = (built_reports["output"] / "index.html").read_text(encoding="utf-8")
    title = display.scenario_title(scenario)
    assert f"<b>{title}</b>:" in index and f"{scenario}/02-market-size.html" in index
    # Side by side: the approved batch's value under this scenario, as the formatter writes it.
    row = table.loc["approved_value_usd"]
    assert display.value_text(row["central"], "USD") in index
    assert display.range_only(row["low"], row["central"], row["high"], "USD") in index


def test_index_has_build_information(built_reports):
    index = (built_reports["output"] / "index.html").read_text(encoding="utf-8")
    for needle in ("git commit:", "data/processed hash:", "pandas 3.1.1", "altair 6.3.0", "papermill 2.7.0"):
        assert needle in index


@pytest.mark.slow
def test_one_scenario_alone_keeps_every_scenario_in_the_index(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "01-works.ipynb", notebooks)
    output = tmp_path / "reports"
    assert build_reports(jobs=2, notebooks_dir=notebooks, output_dir=output) == 0
    assert build_reports([paths.SCENARIOS / "central.yaml"], jobs=1, force=True, notebooks_dir=notebooks, output_dir=output) == 0
    index = (output / "index.html").read_text(encoding="utf-8")
    for scenario in SCENARIO_NAMES:
        assert f"{scenario}/01-works.html" in index
        assert f"<b>{display.scenario_title(scenario)}</b>:" in index
    results = {r["scenario"]: r["status"] for r in json.loads((output / "build.json").read_text())}
    assert results == {"central": "built", "fast-ramp": "cached", "slow-approvals": "cached"}


def _without_build_time(page: str) -> str:
    return re.sub(r"<li>built: [^<]*</li>", "", page)


def test_the_index_figures_a_worker_computed_are_those_the_index_computes_itself(built_reports, tmp_path):
    """The build computes the index's figures in a report worker while the reports run; the index
    written again in this process (the path of a build with nothing to run) reads the same."""
    from analysis.reports import build
    from analysis.reports.plan import Result

    output = tmp_path / "reports"
    shutil.copytree(built_reports["output"], output)
    runs = plan.plan(plan.discover_notebooks(paths.NOTEBOOKS), sorted(paths.SCENARIOS.glob("*.yaml")), output, paths.PROCESSED, False)
    cached = [Result(run.notebook.stem, run.scenario.stem, "cached") for run in runs]
    build.write_index(output, runs, cached, {}, paths.PROCESSED)
    built = (built_reports["output"] / "index.html").read_text(encoding="utf-8")
    assert _without_build_time((output / "index.html").read_text(encoding="utf-8")) == _without_build_time(built)


def test_index_figures_computed_for_other_scenarios_are_not_used(built_reports, tmp_path):
    from dataclasses import replace

    from analysis.reports import build, index_page
    from analysis.reports.plan import Result

    output = tmp_path / "reports"
    shutil.copytree(built_reports["output"], output)
    files = index_page.index_scenarios(output, [], paths.SCENARIOS)
    marked = index_page.IndexFigures(files, [], [], [], [], "", "", None, [], None, "MARKED DRAWS")
    runs = plan.plan(plan.discover_notebooks(paths.NOTEBOOKS), sorted(paths.SCENARIOS.glob("*.yaml")), output, paths.PROCESSED, False)
    cached = [Result(run.notebook.stem, run.scenario.stem, "cached") for run in runs]
    build.write_index(output, runs, cached, {}, paths.PROCESSED, index_figures=marked)
    assert "MARKED DRAWS" in (output / "index.html").read_text(encoding="utf-8")  # computed for these scenarios: used
    elsewhere = replace(marked, scenario_files={name: files[name] for name in list(files)[:1]})
    build.write_index(output, runs, cached, {}, paths.PROCESSED, index_figures=elsewhere)
    page = (output / "index.html").read_text(encoding="utf-8")
    assert "MARKED DRAWS" not in page and "10,000" in page  # for one scenario only: the index computed its own


# --- new tests: the index's pure parts, on hand-made folders and results ---------------------------


def test_notebook_titles_in_words():
    assert index_page._notebook_title("03-demand-vs-stock") == "Demand vs stock"
    assert index_page._notebook_title("01-sources-and-claims") == "Sources and claims"
    assert index_page._notebook_title("07") == "07"  # no theme after the number: the stem as it is


def test_central_comes_first_then_the_others_alphabetically(tmp_path):
    files = {"slow-approvals": tmp_path / "s.yaml", "Zeta": None, "central": tmp_path / "c.yaml", "fast-ramp": None}
    ordered = index_page.in_index_order(files)
    assert list(ordered) == ["central", "Zeta", "fast-ramp", "slow-approvals"]  # code-point order: capitals first
    assert ordered == files  # the same files, only reordered


def test_shipped_scenario_is_the_file_of_that_name_if_it_exists(tmp_path):
    (tmp_path / "mine.yaml").write_text("name: mine\n", encoding="utf-8")
    assert index_page.shipped_scenario("mine", tmp_path) == tmp_path / "mine.yaml"
    assert index_page.shipped_scenario("absent", tmp_path) is None
    assert index_page.shipped_scenario("central") == paths.SCENARIOS / "central.yaml"


def test_a_recorded_scenario_is_read_only_from_this_checkout_or_outside_any(tmp_path):
    assert index_page.recorded_scenario("scenarios/central.yaml") == paths.PROJECT_ROOT / "scenarios" / "central.yaml"
    assert index_page.recorded_scenario("scenarios/no-such-scenario.yaml") is None
    loose = tmp_path / "loose.yaml"
    loose.write_text("name: loose\n", encoding="utf-8")
    assert index_page.recorded_scenario(str(loose)) == loose  # a file outside any checkout
    other = tmp_path / "other-checkout"  # scenarios/ and data/raw/: another project root
    (other / "data" / "raw").mkdir(parents=True)
    (other / "scenarios").mkdir()
    (other / "scenarios" / "central.yaml").write_text("name: central\n", encoding="utf-8")
    assert index_page.recorded_scenario(str(other / "scenarios" / "central.yaml")) is None
    assert index_page.recorded_scenario(str(tmp_path / "gone.yaml")) is None


def _executed(path, scenario) -> None:
    path.write_text(json.dumps({"metadata": {"papermill": {"parameters": {"scenario": scenario}}}, "cells": []}), encoding="utf-8")


def test_scenarios_on_disk_are_the_folders_holding_a_report(tmp_path):
    output, scenarios = tmp_path / "reports", tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "shipped.yaml").write_text("name: shipped\n", encoding="utf-8")
    for folder in ("recorded", "shipped", "unknown", "no-report"):
        (output / folder).mkdir(parents=True)
    for folder in ("recorded", "shipped", "unknown"):
        (output / folder / "02-market-size.html").write_text("<html></html>", encoding="utf-8")
    (output / "recorded" / "01-broken.ipynb").write_text("{not json", encoding="utf-8")  # skipped: the next one is read
    _executed(output / "recorded" / "02-market-size.ipynb", "scenarios/central.yaml")
    _executed(output / "shipped" / "02-market-size.ipynb", str(tmp_path / "deleted.yaml"))  # gone: the shipped file
    (output / "no-report" / "notes.html").write_text("not a report", encoding="utf-8")
    (output / "index.html").write_text("", encoding="utf-8")
    assert index_page.scenarios_on_disk(output, scenarios) == {
        "recorded": paths.PROJECT_ROOT / "scenarios" / "central.yaml",
        "shipped": scenarios / "shipped.yaml",
        "unknown": None,
    }
    # The index also lists the scenarios of this build's results, central first.
    merged = [{"notebook": "02-market-size", "scenario": "central"}]
    assert list(index_page.index_scenarios(output, merged, scenarios)) == ["central", "recorded", "shipped", "unknown"]


def test_merged_results_keep_the_previous_build_for_runs_not_touched(tmp_path):
    previous = [
        {"notebook": "01-a", "scenario": "central", "status": "built", "seconds": 2.0},
        {"notebook": "02-b", "scenario": "central", "status": "failed", "cell": 3, "error": "boom"},
        {"notebook": "01-a", "scenario": "fast-ramp", "status": "built", "seconds": 1.0},
        "not a run",
    ]
    (tmp_path / "build.json").write_text(json.dumps(previous), encoding="utf-8")
    merged = index_page.merged_results(tmp_path, [Result("01-a", "central", "failed", 4.0, 5, "ValueError: x")])
    assert merged == [
        {"notebook": "01-a", "scenario": "central", "status": "failed", "seconds": 4.0, "cell": 5, "error": "ValueError: x"},
        {"notebook": "02-b", "scenario": "central", "status": "failed", "cell": 3, "error": "boom"},
        {"notebook": "01-a", "scenario": "fast-ramp", "status": "cached", "seconds": 1.0},  # built then, up to date now
    ]
    (tmp_path / "build.json").write_text("{broken", encoding="utf-8")
    assert index_page.merged_results(tmp_path, []) == []


def test_results_on_disk_drop_missing_pages_and_mark_stale_ones(tmp_path):
    for scenario, notebook in (("central", "01-a"), ("central", "02-b"), ("central", "03-c"), ("central", "04-d")):
        (tmp_path / scenario).mkdir(exist_ok=True)
        (tmp_path / scenario / f"{notebook}.html").write_text("", encoding="utf-8")
    merged = [
        {"notebook": "01-a", "scenario": "central", "status": "built"},
        {"notebook": "02-b", "scenario": "central", "status": "stale"},  # an earlier index's mark, checked again
        {"notebook": "03-c", "scenario": "central", "status": "failed"},
        {"notebook": "04-d", "scenario": "central", "status": "cached"},
        {"notebook": "05-gone", "scenario": "central", "status": "built"},  # its page deleted
    ]
    kept = index_page.results_on_disk(tmp_path, merged, stale={("04-d", "central")})
    assert [(r["notebook"], r["status"]) for r in kept] == [("01-a", "built"), ("02-b", "cached"), ("03-c", "failed"), ("04-d", "stale")]


def test_the_reports_grid_says_each_runs_state(tmp_path):
    for notebook in ("01-a", "02-b", "03-c", "04-d"):
        (tmp_path / "central").mkdir(exist_ok=True)
        (tmp_path / "central" / f"{notebook}.html").write_text("", encoding="utf-8")
    merged = [
        {"notebook": "01-a", "scenario": "central", "status": "built"},
        {"notebook": "02-b", "scenario": "central", "status": "failed", "cell": 3, "error": "ValueError: x"},
        {"notebook": "03-c", "scenario": "central", "status": "stale"},
        {"notebook": "05-e", "scenario": "central", "status": "failed", "cell": None, "error": "no page"},
    ]
    failures: list[str] = []
    rows = index_page._notebook_rows(["01-a", "02-b", "03-c", "04-d", "05-e"], ["central"], merged, tmp_path, failures)
    assert [row["title"] for row in rows] == ["A", "B", "C", "D", "E"]
    assert [row["cells"][0] for row in rows] == [
        {"link": "central/01-a.html", "failed": False, "detail": "ok"},
        {"link": "central/02-b.html", "failed": True, "detail": "cell 3: ValueError: x"},
        {"link": "central/03-c.html", "failed": False, "detail": "stale: built from older inputs (run the reports again)"},
        {"link": "central/04-d.html", "failed": False, "detail": "built earlier"},
        {"link": "", "failed": True, "detail": "not built"},  # no page: nothing to open
    ]
    assert failures == ["B under Central: cell 3: ValueError: x"]


def test_figures_link_to_the_report_that_explains_them_where_it_is_on_disk(tmp_path):
    (tmp_path / "central").mkdir()
    (tmp_path / "central" / "02-market-size.html").write_text("", encoding="utf-8")
    rows = [{"title": "Value", "notebook": "02-market-size"}, {"title": "Stock", "notebook": "03-demand-vs-stock"}]
    assert [row["link"] for row in index_page._linked(rows, "central", tmp_path)] == ["central/02-market-size.html", ""]
    assert [row["link"] for row in index_page._linked(rows, None, tmp_path)] == ["", ""]
    assert index_page._linked(rows, "central", tmp_path)[0]["title"] == "Value"  # the row itself kept

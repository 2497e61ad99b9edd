"""``reports/index.html``: the answer first, then the reports, then sources and build.

:func:`write_index` lists **every scenario whose reports exist on disk**,
whatever ``--scenario`` built last: it merges this run's results with the
previous ``build.json`` and finds each scenario's file from the papermill
parameters of its executed notebooks. The page is rendered from
``templates/index/index.html.j2`` by Jinja2 with autoescaping, so text from
scenario files and articles cannot inject markup.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from analysis.core import number_parts, paths
from analysis.core.files import atomic_write_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TEMPLATE_DIR",
    "IndexFigures",
    "in_index_order",
    "index_figures",
    "index_figures_in_worker",
    "index_scenarios",
    "merged_results",
    "overview_chart",
    "recorded_scenario",
    "results_on_disk",
    "scenarios_on_disk",
    "shipped_scenario",
    "write_index",
]

TEMPLATE_DIR = Path(__file__).parent / "templates" / "index"


def _notebook_title(stem: str) -> str:
    """'03-demand-vs-stock' → 'Demand vs stock' (the notebook's theme in words)."""
    words = stem.split("-", 1)[-1].replace("-", " ")
    return words[:1].upper() + words[1:]


def scenarios_on_disk(output_dir: Path, scenarios_dir: Path = paths.SCENARIOS) -> dict[str, Path | None]:
    """Scenario name → its file, for every folder of ``output_dir`` holding a
    report; the file comes from the executed notebooks' papermill parameters,
    else ``scenarios_dir/<name>.yaml``; None when neither exists."""
    found: dict[str, Path | None] = {}
    for folder in sorted(p for p in Path(output_dir).iterdir() if p.is_dir()):
        reports = sorted(folder.glob("[0-9][0-9]-*.html"))
        if not reports:
            continue
        path: Path | None = None
        for executed in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
            try:  # the notebook's JSON as such: nbformat's reading and validation cost a no-op build a third of its time
                recorded = json.loads(executed.read_text(encoding="utf-8"))["metadata"]["papermill"]["parameters"]["scenario"]
            except Exception:  # noqa: BLE001, S112  # a partial or foreign notebook: try the next
                continue
            if not isinstance(recorded, str):
                continue
            recorded_path = recorded_scenario(recorded)
            if recorded_path is not None:
                path = recorded_path
                break
        found[folder.name] = path if path is not None else shipped_scenario(folder.name, scenarios_dir)
    return found


def recorded_scenario(recorded: str) -> Path | None:
    """The scenario file an executed notebook names, if this checkout may read
    it: a relative path is the project's own (``scenarios/central.yaml``); an
    absolute one inside another checkout (notebooks copied from it) is not
    read, so the index never shows another checkout's assumptions."""
    given = Path(recorded)
    if not given.is_absolute():
        given = paths.PROJECT_ROOT / given
        return given if given.is_file() else None
    root = paths.PROJECT_ROOT.resolve()
    resolved = given.resolve()
    other = next((folder for folder in resolved.parents if paths.is_project_root(folder)), None)
    if other is not None and other != root:
        return None
    return given if given.is_file() else None


def merged_results(output_dir: Path, results: list[Any]) -> list[dict[str, Any]]:
    """This run's results, plus the previous build's for runs it did not touch."""
    current = [asdict(r) for r in results]
    seen = {(r["notebook"], r["scenario"]) for r in current}
    try:
        previous = json.loads((Path(output_dir) / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = []
    kept = []
    for r in previous:
        if isinstance(r, dict) and (r.get("notebook"), r.get("scenario")) not in seen:
            kept.append({**r, "status": "cached" if r.get("status") == "built" else r.get("status")})
    return current + kept


def results_on_disk(output_dir: Path, merged: list[dict[str, Any]], stale: Collection[tuple[str, str]] = ()) -> list[dict[str, Any]]:
    """The runs the index lists, as the disk has them: a run whose page is gone
    (deleted by hand, or its scenario folder removed) is dropped; a page built
    from inputs that have changed since (``stale``: (notebook, scenario)
    pairs) is marked "stale" rather than "ok"."""
    kept = []
    for result in merged:
        notebook, scenario = str(result.get("notebook")), str(result.get("scenario"))
        if not (Path(output_dir) / scenario / f"{notebook}.html").is_file():
            continue
        if result.get("status") in ("built", "cached", "stale"):  # "stale" in an earlier index is checked again
            fresh = result["status"] if result["status"] != "stale" else "cached"
            result = {**result, "status": "stale" if (notebook, scenario) in stale else fresh}
        kept.append(result)
    return kept


def _svg_in_child(spec: dict[str, Any]) -> str:
    """Draw a chart to SVG in a child process: vl-convert's runtime, once
    started in this process, would not survive the report workers' fork."""
    code = "import sys, json; from analysis.present.rendering import chart_to_svg; sys.stdout.write(chart_to_svg(json.load(sys.stdin)))"
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(spec), capture_output=True, text=True, timeout=120, check=False)
    return done.stdout if done.returncode == 0 else ""


def overview_chart(tables: dict[str, Any]) -> dict[str, Any]:
    """One small range chart per overview figure, a row per scenario: central
    tick and 90% range bar (an open range runs to the axis end, marked
    "beyond the horizon"); the tooltip and each mark's accessible label give
    both in words."""
    import altair as alt
    import pandas as pd

    from analysis.core import formatting
    from analysis.metadata.registry import figures_for
    from analysis.present import charts, display, rendering

    panels, summary = [], []
    for figure in figures_for("index", "overview"):
        rows = []
        for name, table in tables.items():
            row = table.loc[figure]
            rows.append(
                {
                    "scenario": display.scenario_title(name),
                    "low": row["low"],
                    "central": row["central"],
                    "high": row["high"],
                    "text": display.range_text(row["low"], row["central"], row["high"], row["unit"]),
                }
            )
        data = pd.DataFrame(rows)
        unit = tables[next(iter(tables))].at[figure, "unit"]
        title = tables[next(iter(tables))].at[figure, "title"]
        data = data.assign(words=[f"{title}, {s}: {t}" for s, t in zip(data["scenario"], data["text"])])
        summary.extend(data["words"])
        layers = charts.range_layers(
            data,
            unit,
            alt.Y("scenario:N", title=None, sort=list(data["scenario"])),
            [alt.Tooltip("scenario:N", title="scenario"), alt.Tooltip("text:N", title="central (90% range)")],
            axis_title=formatting.unit_label(unit.split(" ")[0]),
            tick_count=3,
        )
        panels.append(layers.properties(title=title, width=420, height=22 * len(data)))
    spec = (
        alt.vconcat(*panels)
        .properties(
            title=alt.Title("The scenarios compared", subtitle="bar: 90% range; tick: central; hover for the figures"),
            description="The scenarios compared. " + "; ".join(summary) + ".",
        )
        .to_dict()
    )
    # The project theme applied to this spec only (enabling it would change altair's defaults for the whole process).
    spec["config"] = {**rendering.theme()["config"], **spec.get("config", {})}
    return spec


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=paths.PROJECT_ROOT, capture_output=True, text=True, timeout=5, check=False
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=paths.PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "") or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


@dataclass(frozen=True)
class IndexFigures:
    """What the index shows that no report run changes: each scenario's entry
    and headline figures, the figures side by side (each row naming the
    notebook that explains it; :func:`write_index` adds the link once the
    pages are on disk), the overview chart, the answer first, the forecast's
    scores and the articles. Computed for ``scenario_files`` (name → file,
    in the index's order); the build computes it in a report worker while the
    reports run (:func:`index_figures`), so the index's figures cost no time
    of their own."""

    scenario_files: dict[str, Path | None]
    scenarios: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    failures: list[str]
    scores: list[dict[str, str]]
    overview_svg: str
    overview_caption: str
    lead: dict[str, Any] | None
    articles: list[dict[str, str]]
    first: str | None
    draws: str


def index_scenarios(output_dir: Path, merged: list[dict[str, Any]], scenarios_dir: Path = paths.SCENARIOS) -> dict[str, Path | None]:
    """The scenarios the index lists, central first: those with reports on
    disk (:func:`scenarios_on_disk`) and those of ``merged``, each with its file."""
    on_disk = scenarios_on_disk(output_dir, scenarios_dir)
    for r in merged:
        on_disk.setdefault(r["scenario"], shipped_scenario(r["scenario"], scenarios_dir))
    return in_index_order(on_disk)


def shipped_scenario(name: str, scenarios_dir: Path = paths.SCENARIOS) -> Path | None:
    """``scenarios_dir/<name>.yaml`` if that file exists, else None."""
    candidate = Path(scenarios_dir) / f"{name}.yaml"
    return candidate if candidate.is_file() else None


def in_index_order(files: dict[str, Path | None]) -> dict[str, Path | None]:
    """Scenario files in the order the index lists them: central first, the others alphabetically."""
    return {name: files[name] for name in sorted(files, key=lambda n: (n != "central", n))}


def index_figures(
    scenario_files: dict[str, Path | None],
    processed_dir: Path,
    as_of: str | None = None,
    draw_svg: Callable[[dict[str, Any]], str] | None = None,
) -> IndexFigures:
    """The index's figures for ``scenario_files`` (:class:`IndexFigures`).
    ``draw_svg`` draws the overview chart (default: in a child process, since
    vl-convert's runtime must not start in the process that forks the report
    workers; a report worker passes :func:`analysis.present.rendering.chart_to_svg`)."""
    from analysis.metadata.registry import figures_for
    from analysis.model import uncertainty
    from analysis.present import display

    names = list(scenario_files)
    scenarios, tables, failures = _scenario_entries(names, scenario_files, processed_dir, as_of)
    try:
        scores = _score_rows(scenario_files.get("central") if "central" in tables else None, processed_dir)
    except Exception as err:  # noqa: BLE001  # like the headline figures: the index still lists the reports
        scores = []
        failures.append(f"The January forecast's scores unavailable: {type(err).__name__}: {err}")
    first = next((n for n in names if n in tables), None)
    overview_svg = (draw_svg or _svg_in_child)(overview_chart(tables)) if tables else ""
    sources = display.readable_sources(tables[first].loc[figures_for("index", "overview"), "sources"]) if first else ""
    return IndexFigures(
        scenario_files=dict(scenario_files),
        scenarios=scenarios,
        figures=_figure_rows(names, tables),
        failures=failures,
        scores=scores,
        overview_svg=overview_svg,
        overview_caption=f"Sources: {sources}." if sources else "",
        lead=_lead(tables.get("central") if "central" in tables else (tables[first] if first else None), processed_dir),
        articles=_article_rows(processed_dir),
        first=first,
        draws=f"{uncertainty.DRAWS:,}",
    )


def index_figures_in_worker(scenario_files: dict[str, Path | None], processed_dir: Path, as_of: str | None = None) -> IndexFigures:
    """:func:`index_figures` in a report worker, which draws with vl-convert itself."""
    from analysis.present.rendering import chart_to_svg

    return index_figures(scenario_files, processed_dir, as_of, draw_svg=chart_to_svg)


def write_index(
    output_dir: Path,
    notebooks: list[str],
    results: list[Any],
    processed_dir: Path,
    scenarios_dir: Path = paths.SCENARIOS,
    data_hash: str = "",
    stale: Collection[tuple[str, str]] = (),
    as_of: str | None = None,
    figures: IndexFigures | None = None,
) -> None:
    """Write ``index.html`` and ``build.json`` (see the module docstring).

    Stages: the scenarios with reports on disk or in this build
    (:func:`index_scenarios`); their figures (:func:`index_figures`, or
    ``figures`` when they were computed for the same scenario files); the
    reports grid (:func:`_notebook_rows`); the page, rendered from an
    autoescaping Jinja template."""
    import jinja2

    from analysis.reports import site

    output_dir = Path(output_dir)
    merged = results_on_disk(output_dir, merged_results(output_dir, results), stale)
    scenario_files = index_scenarios(output_dir, merged, scenarios_dir)
    names = list(scenario_files)
    notebooks = list(dict.fromkeys([*notebooks, *(r["notebook"] for r in merged)]))
    if figures is None or figures.scenario_files != scenario_files:
        figures = index_figures(scenario_files, processed_dir, as_of)
    failures = list(figures.failures)
    notebook_rows = _notebook_rows(notebooks, names, merged, output_dir, failures)
    explains: dict[str, list[str]] = {}
    for row in figures.figures:  # the registry's order, as the figures table shows them
        explains.setdefault(row["notebook"], []).append(row["title"])
    site.write_search_index(output_dir, explains)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=jinja2.StrictUndefined)
    page = environment.get_template("index.html.j2").render(
        draws=figures.draws,
        scenarios=figures.scenarios,
        figures=_linked(figures.figures, figures.first, output_dir),
        overview_svg=figures.overview_svg,
        search_box=site.SEARCH_BOX,
        search_scripts=site.index_scripts(),
        overview_caption=figures.overview_caption,
        notebooks=notebook_rows,
        lead=figures.lead,
        scores=figures.scores,
        articles=figures.articles,
        failures=failures,
        build={
            "commit": _git_commit(),
            "data_hash": data_hash,
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "versions": ", ".join(f"{name} {version(name)}" for name in ("pandas", "altair", "papermill")),
        },
    )
    atomic_write_text(output_dir / "index.html", page)
    atomic_write_text(output_dir / "build.json", json.dumps(merged, indent=1, sort_keys=True))


def _lead(table: Any, processed_dir: Path) -> dict[str, Any] | None:
    """The index's first lines: the date its figures are taken at, the latest
    evidence (outlet and date), and the answer in a sentence per question."""
    if table is None:
        return None
    from analysis.core import formatting
    from analysis.evidence.claims import evidence_date
    from analysis.metadata.processed import read_processed
    from analysis.present import display, figure_text

    articles = read_processed("articles", Path(processed_dir))
    arrived = articles["article_id"].map(evidence_date(articles, read_processed("claims", Path(processed_dir))))
    arrived_by_then = arrived[arrived.notna() & (arrived.fillna("") <= table.attrs["as_of"])]
    latest = articles[(arrived == arrived_by_then.max()).to_numpy()] if not arrived_by_then.empty else articles.iloc[:0]
    latest_text = "; ".join(display.article_label(row) for _, row in latest.iterrows()) or formatting.format_value(
        table.attrs["as_of"], "date"
    )

    def plain(figure: str) -> str:
        return figure_text.range_markdown(table, figure).replace(r"\$", "$")

    answers = [
        (
            f"Chance that any H200 reaches mainland China by the end of 2026: {plain('p_delivery_by_end_2026')}; "
            f"by the end of 2027: {plain('p_delivery_by_end_2027')} (central scenario)."
        ),
        f"Expected deliveries by the end of 2026: {plain('delivered_by_end_2026_units')}; the approved batch is {plain('approved_units')}.",
        f"Value of the approved batch at the buyers' price: {plain('approved_value_usd')}.",
    ]
    if table.attrs.get("contradicted"):
        answers = ["The central scenario is contradicted by the record: fewer than 1% of its draws agree with what was observed."]
    record = _record_sentence(table.attrs["as_of"], processed_dir)
    answers = [record, *answers] if record else answers
    return {"as_of": formatting.format_value(table.attrs["as_of"], "date"), "latest": latest_text, "answers": answers}


def _record_sentence(as_of: str, processed_dir: Path) -> str | None:
    """What the record says before any model: the latest reported deliveries
    to mainland China by ``as_of`` ("No H200 had been delivered to mainland
    China as of 1 June 2026, the latest report of deliveries."), or None
    when no article reports deliveries."""
    from analysis.core import formatting
    from analysis.model import engine

    reported = [o for o in engine.Tables.load(processed_dir, as_of).observations(0) if o.metric == "delivered_units"]
    if not reported:
        return None
    latest = max(reported, key=lambda o: o.date)
    date = formatting.format_value(latest.date, "date")
    if latest.value == 0 and latest.bound in ("exact", "at_most"):
        return f"What the record shows: no H200 had been delivered to mainland China as of {date}, the latest report of deliveries."
    amount = formatting.format_value(latest.value, "chips")
    qualifier = {"at_least": "at least ", "at_most": "at most ", "approx": "about "}.get(latest.bound, "")
    return f"What the record shows: {qualifier}{amount} delivered to mainland China as of {date}, the latest report of deliveries."


def _score_rows(scenario_path: Path | None, processed_dir: Path) -> list[dict[str, str]]:
    """The January forecast's scores against the record (central scenario), for the index."""
    if scenario_path is None:
        return []
    from analysis.core import formatting
    from analysis.model import figures

    scores = figures.forecast_scores(scenario_path, processed_dir=processed_dir)
    return [
        {
            "observation": str(row.observation),
            "observed": formatting.format_value(row.observed, "chips"),
            "percentile": formatting.format_value(row.percentile, "fraction"),
            "p_any": formatting.format_value(row.p_any_delivery, "fraction"),
            "brier": f"{row.brier:.2f}",
            "crps": formatting.format_value(row.score, "chips"),
        }
        for row in scores.itertuples(index=False)
    ]


def _scenario_entries(
    names: list[str], on_disk: dict[str, Path | None], processed_dir: Path, as_of: str | None = None
) -> tuple[list[dict[str, str]], dict[str, pd.DataFrame], list[str]]:
    """Each scenario's title and description, its headline table, and a
    failure line where its figures cannot be computed (the index still lists it)."""
    from analysis.model import figures
    from analysis.model.scenarios import load_scenario
    from analysis.present import display

    scenarios, tables, failures = [], {}, []
    for name in names:
        entry = {"name": name, "title": display.scenario_title(name), "description": "", "missing": ""}
        path = on_disk[name]
        try:
            if path is None:
                raise FileNotFoundError(f"{name}.yaml")
            scenario = load_scenario(path)
            entry["description"] = display.in_words(scenario.description, processed_dir)
            tables[name] = figures.headline(scenario, processed_dir, as_of=as_of)
        except Exception as err:  # noqa: BLE001  # the index still lists the reports when figures cannot be computed
            entry["missing"] = f"{type(err).__name__}: {err}"
            failures.append(f"Headline figures of {entry['title']} unavailable: {type(err).__name__}: {err}")
        scenarios.append(entry)
    return scenarios, tables, failures


def _figure_rows(names: list[str], tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """One row per registry figure: its title, description, each scenario's
    central value and 90% range, and the notebook that explains it."""
    from analysis.metadata.registry import figure_registry
    from analysis.present import display

    registry = figure_registry()
    rows = []
    for figure in registry.index:
        cells = []
        for name in names:
            table = tables.get(name)
            if table is None:
                cells.append({"central": number_parts.MISSING, "range": ""})
                continue
            row = table.loc[figure]
            span = display.range_only(row["low"], row["central"], row["high"], row["unit"])
            cells.append(
                {"central": display.value_text(row["central"], row["unit"]), "range": "" if span == number_parts.MISSING else span}
            )
        shown = {(cell["central"], cell["range"]) for cell in cells}
        rows.append(
            {
                "title": registry.at[figure, "title"],
                "description": registry.at[figure, "description"],
                "cells": cells,
                "notebook": str(registry.at[figure, "notebook"]),
                "differs": len(shown) > 1,
            }
        )
    return rows


def _linked(rows: list[dict[str, Any]], first: str | None, output_dir: Path) -> list[dict[str, Any]]:
    """:func:`_figure_rows` with a link to the report that explains each figure, where that page is on disk."""
    return [
        {
            **row,
            "link": quote(f"{first}/{row['notebook']}.html") if first and (output_dir / first / f"{row['notebook']}.html").exists() else "",
        }
        for row in rows
    ]


def _notebook_rows(
    notebooks: list[str], names: list[str], merged: list[dict[str, Any]], output_dir: Path, failures: list[str]
) -> list[dict[str, Any]]:
    """The reports grid: a link and a status per notebook × scenario; failed runs also go to ``failures``."""
    from analysis.present import display

    status = {(r["notebook"], r["scenario"]): r for r in merged}
    rows = []
    for notebook in notebooks:
        cells = []
        for name in names:
            result: dict[str, Any] | None = status.get((notebook, name))
            exists = (output_dir / name / f"{notebook}.html").exists()
            failed = result is not None and result["status"] == "failed"
            if not exists:  # no page: nothing to open, whatever an earlier build said
                detail = "not built"
            elif result is not None and failed:
                detail = f"cell {result['cell']}: {result['error']}" if result.get("cell") else str(result.get("error") or "")
                failures.append(f"{_notebook_title(notebook)} under {display.scenario_title(name)}: {detail}")
            elif result is None:
                detail = "built earlier"
            elif result["status"] == "stale":
                detail = "stale: built from older inputs (run the reports again)"
            else:  # built now or up to date: the same page either way, so the same index (incremental = --force)
                detail = "ok" if result["status"] in ("built", "cached") else result["status"]
            cells.append({"link": quote(f"{name}/{notebook}.html") if exists else "", "failed": failed, "detail": detail})
        rows.append({"title": _notebook_title(notebook), "cells": cells})
    return rows


def _article_rows(processed_dir: Path) -> list[dict[str, str]]:
    """The articles: outlet and date, language, an http(s) link where known, how many claims each gives."""
    from analysis.metadata.processed import read_processed
    from analysis.present import display
    from analysis.present.text import http_url

    articles = read_processed("articles", Path(processed_dir))
    claims = read_processed("claims", Path(processed_dir))
    return [
        {
            "label": display.article_label(row),
            "language": display.word("language", row["language"]),
            "url": http_url(row["url"]) or "",
            "claims": str(int((claims["article_id"] == row["article_id"]).sum())),
        }
        for _, row in articles.iterrows()
    ]

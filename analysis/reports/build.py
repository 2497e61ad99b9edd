"""``python -m analysis reports``: every notebook × scenario → offline HTML, in parallel.

Stages of :func:`build_reports`:

1. **Check** every scenario file (:func:`analysis.model.scenarios.load_scenario`)
   before any notebook runs: a bad one, or two with the same name or file
   stem, stops the build. The output folder is then locked (one build at a
   time) and what a killed build left there is removed.
2. **Plan**: a run's inputs — the notebook, ``analysis/`` (code and
   templates), ``data/processed/``, its scenario file and every file of
   ``scenarios/`` (notebooks 02 and 03 compare them all), the versions of the
   packages that shape the output, and ``--show-code`` — are hashed; a run whose
   hash matches the stamp of its last successful build is skipped.
3. **Run** the stale ones in ``--jobs`` worker processes. Each worker imports
   papermill and nbconvert once and runs its notebooks on the ``h200-china``
   kernel, then exports them with the ``h200_report`` template (no CDN scripts;
   charts are inline SVG). Kernels hand each chart's Vega-Lite spec to the
   worker, which draws the SVG with Vega already started (once per worker
   instead of once per kernel). Kernels start with an IPython startup file that
   imports pandas, altair and ``analysis`` with ``rfc3987_syntax`` blocked:
   jsonschema would otherwise compile that package's Lark grammar (~0.7 s per
   kernel) to check an "iri" string format that altair never uses.
4. **Write** each report through a temporary file, with cell ids and metadata
   made deterministic (same inputs, same bytes). A run that fails at any
   stage (executing, drawing, exporting, or its worker dying) replaces the old
   HTML with a page that says so (no stale report looks current). Markdown and
   HTML outputs are sanitised (no script from the data reaches a page).
5. **Index**: ``reports/index.html`` with scenarios × notebooks, each
   scenario's headline ranges, the failures, and build information. It lists
   the pages on disk only and marks "stale" those whose inputs changed since
   they were built (:func:`stale_pages`), and is rewritten whenever that differs
   from what it says.

Progress is one line per state change (no carriage returns), so logs in CI
stay readable; failures are printed last and make the exit status 1.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.files import locked
from analysis.core.memo import BUILD_SHARE_ENV
from analysis.present.parameters import REPORT_PARAMETERS, check_notebooks_take, check_value
from analysis.reports import site
from analysis.reports.plan import (
    Result,
    Run,
    check_scenario_names,
    data_hash,
    discover_notebooks,
    is_current,
    longest_first,
    plan,
    record_run_seconds,
)
from analysis.reports.worker import (
    IPYTHON_PREFIX,
    TEMP_NOTEBOOK_SUFFIX,
    _init_worker,
    execute_run,
    one_line,
    record_failure,
    write_ipython_startup,
)

if TYPE_CHECKING:  # the index page module is imported where the index is written
    from analysis.model.scenarios import Scenario
    from analysis.reports.index_page import IndexFigures

__all__ = [
    "MAX_JOBS",
    "build_reports",
    "check_jobs",
    "expected_index_scenarios",
    "index_results",
    "remove_stale_temporaries",
    "stale_pages",
    "write_docs_chart",
    "write_index",
]

# --- the command ------------------------------------------------------------------

#: The most worker processes a build starts (each runs a kernel of a few hundred MB).
MAX_JOBS = 256


def check_jobs(value: object) -> int | None:
    """``--jobs`` as a number of workers, 1 to :data:`MAX_JOBS` (None: one per
    core), or an InputError naming the option and the value."""
    if value is None:
        return None
    try:
        jobs = int(str(value).strip()) if not isinstance(value, bool) else -1
    except ValueError:
        jobs = -1
    if not 1 <= jobs <= MAX_JOBS or str(value).strip() not in (str(jobs), f"+{jobs}"):
        raise InputError(f"--jobs {value}: must be a whole number from 1 to {MAX_JOBS}")
    return jobs


def _say(message: str) -> None:
    print(message, flush=True)


def build_reports(
    scenarios: list[Path] | None = None,
    jobs: int | None = None,
    force: bool = False,
    show_code: bool = False,
    *,
    notebooks_dir: Path = paths.NOTEBOOKS,
    output_dir: Path = paths.REPORTS,
    processed_dir: Path = paths.PROCESSED,
    scenarios_dir: Path = paths.SCENARIOS,
    quiet: bool = False,
    as_of: str | None = None,
) -> int:
    """Build every report (see the module docstring); return the exit status:
    0 when all built, 1 when a run failed, 2 when a scenario is bad.
    ``quiet`` prints nothing but the failures and errors; ``as_of`` (a date,
    YYYY-MM-DD) takes every page's figures at that date instead of the latest
    evidence."""
    from analysis.model.scenarios import load_scenario

    say = (lambda _message: None) if quiet else _say
    try:
        jobs = check_jobs(jobs)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    # The central case comes first in the index; the other cases follow alphabetically.
    scenario_paths = (
        [Path(s) for s in scenarios]
        if scenarios
        else sorted(Path(scenarios_dir).glob("*.yaml"), key=lambda p: (p.stem != "central", p.stem))
    )
    if not scenario_paths:
        print(f"error: no scenario files in {scenarios_dir}", file=sys.stderr)
        return 2
    notebooks = discover_notebooks(notebooks_dir)
    try:
        loaded = {path: load_scenario(path) for path in scenario_paths}
        check_scenario_names(loaded)
        if as_of is not None:
            check_value("as_of", as_of)
        check_notebooks_take(notebooks, (*REPORT_PARAMETERS, "as_of") if as_of else REPORT_PARAMETERS)  # what every run passes
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=output_dir, prefix=".write-probe-"):
            pass
    except OSError as err:
        print(f"error: {output_dir}: cannot write reports there ({err.strerror or err})", file=sys.stderr)
        return 2
    with locked(output_dir):  # one build at a time per output folder; it clears what a killed one left
        remove_stale_temporaries(output_dir)
        return _build_locked(
            started,
            scenario_paths,
            loaded,
            notebooks,
            jobs,
            force,
            show_code,
            output_dir,
            Path(processed_dir),
            Path(scenarios_dir),
            say,
            as_of,
        )


def remove_stale_temporaries(output_dir: Path) -> list[Path]:
    """Remove what a killed build left: temporary notebooks and half-written
    files in ``output_dir/<scenario>/``, and IPython folders in the temporary
    directory whose build process is gone. Call while holding the output lock."""
    removed = []
    for pattern in (f"*/.*{TEMP_NOTEBOOK_SUFFIX}", "*/.*.tmp", ".*.tmp"):
        for leftover in output_dir.glob(pattern):
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink(missing_ok=True)
                removed.append(leftover)
    for folder in Path(tempfile.gettempdir()).glob(f"{IPYTHON_PREFIX}*"):
        try:
            pid = int(folder.name[len(IPYTHON_PREFIX) :].split("-")[0])
        except ValueError:
            continue
        if folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.getuid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _build_locked(
    started: float,
    scenario_paths: list[Path],
    loaded: dict[Path, Scenario],
    notebooks: list[Path],
    jobs: int | None,
    force: bool,
    show_code: bool,
    output_dir: Path,
    processed_dir: Path,
    scenarios_dir: Path,
    say: Callable[[str], None] = _say,
    as_of: str | None = None,
) -> int:
    from analysis.core.formatting import plural

    runs = plan(notebooks, scenario_paths, output_dir, processed_dir, show_code, scenarios_dir, as_of)
    stale = [run for run in runs if force or not is_current(run)]
    results: list[Result] = [Result(r.notebook.stem, r.scenario.stem, "cached") for r in runs if r not in stale]
    jobs = max(1, jobs or os.cpu_count() or 1)
    say(
        f"reports: {plural(len(runs), 'run')} ({plural(len(notebooks), 'notebook')} × {plural(len(scenario_paths), 'scenario')}), "
        f"{len(stale)} to build, {len(runs) - len(stale)} up to date; {plural(min(jobs, max(len(stale), 1)), 'job')}"
    )
    index_figures = None
    if stale:
        _bundle_vega_javascript()
        finished, index_figures = _run_all(
            longest_first(stale), jobs, say, expected_index_scenarios(output_dir, runs, scenarios_dir), processed_dir, as_of
        )
        record_run_seconds(finished, stale)
        results += finished
    notebook_paths = [run.notebook for run in runs]
    truth = index_results(Path(output_dir), notebook_paths, results, Path(processed_dir), show_code, scenarios_dir, as_of)
    told = _told(Path(output_dir))
    if stale or force or not (Path(output_dir) / "index.html").exists() or told != _statuses(truth):  # the index tells what is on disk
        # The site step: every page's bar for the reports now on disk, then the index and its search index.
        site.refresh_bars(Path(output_dir), notebooks[0].parent if notebooks else paths.NOTEBOOKS)
        write_index(Path(output_dir), runs, results, loaded, Path(processed_dir), scenarios_dir, show_code, as_of, index_figures)
    failures = [r for r in results if r.status == "failed"]
    built = sum(r.status == "built" for r in results)
    say(
        f"reports: {built} built, {len(runs) - len(stale)} up to date, {len(failures)} failed "
        f"in {time.perf_counter() - started:.1f} s → {Path(output_dir) / 'index.html'}"
    )
    for failure in sorted(failures, key=lambda r: (r.scenario, r.notebook)):
        where = f"cell {failure.cell}: " if failure.cell else ""
        print(f"FAILED {failure.notebook} × {failure.scenario}: {where}{failure.error}", file=sys.stderr)
    return 1 if failures else 0


def _bundle_vega_javascript() -> None:
    """Bundle Vega's JavaScript once (cached on disk) before the workers read it,
    in a child process: vl-convert's runtime would not survive the workers' fork."""
    import subprocess

    from analysis.present.rendering import vega_javascript_path

    if not vega_javascript_path().exists():
        subprocess.run([sys.executable, "-c", "from analysis.present.rendering import vega_javascript; vega_javascript()"], check=True)


def expected_index_scenarios(output_dir: Path, runs: list[Run], scenarios_dir: Path = paths.SCENARIOS) -> dict[str, Path | None]:
    """The scenarios the index will list once ``runs`` are on disk, each with
    the file it will be read from (as :func:`analysis.reports.index_page.index_scenarios`
    finds them then: the scenario file each run's executed notebook records)."""
    from analysis.reports import index_page
    from analysis.reports.worker import project_relative

    files = index_page.scenarios_on_disk(output_dir, scenarios_dir) if Path(output_dir).is_dir() else {}
    for run in runs:
        recorded = index_page.recorded_scenario(project_relative(run.scenario))
        files[run.scenario.stem] = recorded if recorded is not None else index_page.shipped_scenario(run.scenario.stem, scenarios_dir)
    return index_page.in_index_order(files)


def _run_all(
    stale: list[Run],
    jobs: int,
    say: Callable[[str], None] = _say,
    index_scenarios: dict[str, Path | None] | None = None,
    processed_dir: Path = paths.PROCESSED,
    as_of: str | None = None,
) -> tuple[list[Result], IndexFigures | None]:
    """Run ``stale`` in the report workers; return their results and, when
    ``index_scenarios`` is given, the index's figures for them, computed by
    the first free worker while the others run reports
    (:func:`analysis.reports.index_page.index_figures_in_worker`; None if that failed:
    the index then computes them itself)."""
    from analysis.reports import index_page

    results: list[Result] = []
    index_figures = None
    with tempfile.TemporaryDirectory(prefix=f"{IPYTHON_PREFIX}{os.getpid()}-") as ipython_dir:
        write_ipython_startup(Path(ipython_dir))
        # The build's private share (analysis.core.memo.shared_within_build), removed with the IPython folder.
        share = Path(ipython_dir) / "share"
        share.mkdir(mode=0o700)
        environment = {**os.environ, BUILD_SHARE_ENV: str(share)}
        # fork starts workers fastest, but a forked copy of a runtime the caller already started (Vega in
        # vl_convert, a kernel's zmq threads) deadlocks in the worker: then start from a clean forkserver.
        method = "fork" if threading.active_count() == 1 and "vl_convert" not in sys.modules else "forkserver"
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(stale)),
            initializer=_init_worker,
            initargs=(ipython_dir, environment),
            mp_context=multiprocessing.get_context(method),
        )
        try:
            index_future = (
                pool.submit(index_page.index_figures_in_worker, index_scenarios, processed_dir, as_of)
                if index_scenarios is not None
                else None
            )
            futures = {}
            for run in stale:
                futures[pool.submit(execute_run, run)] = run
                say(f"  queued   {run.label}")
            for done, future in enumerate(as_completed(futures), start=1):
                run = futures[future]
                try:
                    result = future.result()
                except Exception as err:  # noqa: BLE001  # the worker itself broke (not the notebook): still the failure page
                    try:
                        result = record_failure(run, None, f"the worker failed: {type(err).__name__}: {err}", None, 0.0)
                    except OSError:
                        result = Result(run.notebook.stem, run.scenario.stem, "failed", 0.0, None, one_line(f"{type(err).__name__}: {err}"))
                results.append(result)
                state = "built " if result.status == "built" else "FAILED"
                say(f"  [{done:>2}/{len(stale)}] {state} {run.label} ({result.seconds:.1f} s)")
            if index_future is not None:
                try:
                    index_figures = index_future.result()
                except Exception:  # noqa: BLE001, S110  # the index computes its figures itself, and says what failed
                    pass
        except BaseException:  # Ctrl-C or an error here: stop the workers now instead of waiting for their runs
            _stop_workers(pool, stale)
            raise
        pool.shutdown(wait=True)
    return results, index_figures


def _stop_workers(pool: ProcessPoolExecutor, stale: list[Run]) -> None:
    """End the workers at once (SIGTERM, then SIGKILL for one still there after
    5 s: nbclient turns SIGTERM into its own cleanup while a run executes) and
    remove their temporary notebooks."""
    workers = list((pool._processes or {}).values())  # shutdown() forgets them
    for process in workers:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join(5)
    for run in stale:
        for leftover in run.html_path.parent.glob(f".{run.notebook.stem}.*{TEMP_NOTEBOOK_SUFFIX}"):
            leftover.unlink(missing_ok=True)


# --- index page ------------------------------------------------------------------


def write_index(
    output_dir: Path,
    runs: list[Run],
    results: list[Result],
    loaded: dict[Path, Scenario],
    processed_dir: Path,
    scenarios_dir: Path = paths.SCENARIOS,
    show_code: bool = False,
    as_of: str | None = None,
    index_figures: IndexFigures | None = None,
) -> None:
    """``index.html`` and ``build.json``: :func:`analysis.reports.index_page.write_index`
    (every scenario with reports on disk, the answer first; pages built from
    older inputs marked stale: :func:`stale_pages`)."""
    from analysis.reports import index_page

    notebooks = [run.notebook for run in runs]
    merged = index_page.merged_results(output_dir, results)
    stale = stale_pages(output_dir, notebooks, merged, processed_dir, show_code, scenarios_dir, as_of)
    index_page.write_index(
        output_dir,
        [n.stem for n in notebooks],
        results,
        processed_dir,
        scenarios_dir,
        data_hash=data_hash(processed_dir),
        stale=stale,
        as_of=as_of,
        figures=index_figures,
    )


def stale_pages(
    output_dir: Path,
    notebooks: list[Path],
    merged: list[dict[str, Any]],
    processed_dir: Path,
    show_code: bool,
    scenarios_dir: Path = paths.SCENARIOS,
    as_of: str | None = None,
) -> set[tuple[str, str]]:
    """The (notebook, scenario) pages on disk that their inputs no longer
    match: a page of another scenario, built before the data or the code
    changed, is not "ok" because this build did not touch it. A page whose
    notebook or scenario file is gone counts as stale too."""
    from analysis.reports import index_page

    files = index_page.scenarios_on_disk(output_dir, scenarios_dir)
    by_stem = {notebook.stem: notebook for notebook in notebooks}
    wanted = {(str(r.get("notebook")), str(r.get("scenario"))) for r in merged if r.get("status") in ("built", "cached", "stale")}
    scenario_of = {s: f for s, f in files.items() if f is not None and f.stem == s}
    readable = {(n, s) for n, s in wanted if n in by_stem and s in scenario_of}
    scenario_files = sorted({scenario_of[s] for _, s in readable})
    notebook_files = sorted({by_stem[n] for n, _ in readable})
    runs = (
        plan(notebook_files, scenario_files, output_dir, processed_dir, show_code, scenarios_dir, as_of) if readable else []
    )  # one fingerprint pass
    current = {(run.notebook.stem, run.scenario.stem) for run in runs if is_current(run)}
    return wanted - (readable & current)


def index_results(
    output_dir: Path,
    notebooks: list[Path],
    results: list[Result],
    processed_dir: Path,
    show_code: bool,
    scenarios_dir: Path = paths.SCENARIOS,
    as_of: str | None = None,
) -> list[dict[str, Any]]:
    """What the index lists after this build: this build's results and the
    earlier ones, without the pages that are gone and with stale pages marked
    (:func:`analysis.reports.index_page.results_on_disk`)."""
    from analysis.reports import index_page

    merged = index_page.merged_results(output_dir, results)
    return index_page.results_on_disk(
        output_dir, merged, stale_pages(output_dir, notebooks, merged, processed_dir, show_code, scenarios_dir, as_of)
    )


def _statuses(results: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {
        (str(r.get("notebook")), str(r.get("scenario")), "ok" if r.get("status") in ("built", "cached") else str(r.get("status")))
        for r in results
    }


def _told(output_dir: Path) -> set[tuple[str, str, str]] | None:
    """What the current index says, from its ``build.json``; None when unreadable."""
    import json

    try:
        told = json.loads((output_dir / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return _statuses([r for r in told if isinstance(r, dict)]) if isinstance(told, list) else None


def write_docs_chart(path: Path) -> None:
    """Render the README's example chart (``charts.readme_chart``) to PNG."""
    import vl_convert

    from analysis.present import charts, rendering

    rendering.use_offline_rendering()  # the project theme, as in the notebooks
    png = vl_convert.vegalite_to_png(charts.readme_chart().to_dict(), scale=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(png)
    os.replace(tmp, path)
    print(f"wrote {path}")

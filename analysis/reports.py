"""``python -m analysis reports``: every notebook × scenario → offline HTML, in parallel.

Stages of :func:`build_reports`:

1. **Check** every scenario file (:func:`analysis.scenarios.load_scenario`)
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
   scenario's headline ranges, the failures, and build information.

Progress is one line per state change (no carriage returns), so logs in CI
stay readable; failures are printed last and make the exit status 1.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote

from analysis import paths
from analysis._io import atomic_write_text, locked
from analysis.errors import InputError

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "h200_report"
VERSIONED_PACKAGES = ("pandas", "altair", "papermill", "nbconvert", "vl-convert-python", "numpy")
STARTUP_CODE = """\
# Written by analysis.reports: warms the report kernels (see its docstring).
import sys
sys.modules.setdefault("rfc3987_syntax", None)
import pandas, altair, analysis.charts, analysis.figures, analysis.display  # noqa: E401,F401
"""


@dataclass(frozen=True)
class Run:
    """One notebook under one scenario, and where its outputs go."""

    notebook: Path
    scenario: Path
    output_dir: Path
    processed_dir: Path
    show_code: bool
    fingerprint: str

    @property
    def label(self) -> str:
        return f"{self.notebook.stem} × {self.scenario.stem}"

    @property
    def html_path(self) -> Path:
        return self.output_dir / self.scenario.stem / f"{self.notebook.stem}.html"

    @property
    def ipynb_path(self) -> Path:
        return self.output_dir / self.scenario.stem / f"{self.notebook.stem}.ipynb"

    @property
    def stamp_path(self) -> Path:
        return self.output_dir / self.scenario.stem / f".{self.notebook.stem}.stamp.json"


@dataclass(frozen=True)
class Result:
    """What became of a run."""

    notebook: str
    scenario: str
    status: str  # "built", "cached" or "failed"
    seconds: float = 0.0
    cell: int | None = None
    error: str | None = None


# --- planning -----------------------------------------------------------------


def _hash_files(files: list[Path], digest: hashlib._Hash, root: Path) -> None:
    for path in sorted(files):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode())
        digest.update(path.read_bytes())


def shared_fingerprint(processed_dir: Path, show_code: bool) -> str:
    """Hash of what every run depends on: the library, the data, the versions."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    _hash_files([p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts], digest, package)
    _hash_files(list(Path(processed_dir).glob("*.csv")), digest, Path(processed_dir))
    digest.update(json.dumps({name: version(name) for name in VERSIONED_PACKAGES}, sort_keys=True).encode())
    digest.update(b"show_code" if show_code else b"no_code")
    return digest.hexdigest()


def data_hash(processed_dir: Path) -> str:
    """Short hash of ``data/processed`` for the index's build information."""
    digest = hashlib.sha256()
    _hash_files(list(Path(processed_dir).glob("*.csv")), digest, Path(processed_dir))
    return digest.hexdigest()[:12]


def scenario_folders_read(scenarios_dir: Path = paths.SCENARIOS) -> list[Path]:
    """The scenario files every run reads besides its own: notebooks 02 and 03
    compare all of ``scenarios/`` (``figures.sensitivity`` and
    ``figures.orders_met_by_scenario`` glob ``paths.SCENARIOS``), so every run
    depends on every file of that folder (and of ``scenarios_dir`` if another).
    If the figures come to read another folder, it belongs here too."""
    folders = {Path(scenarios_dir).resolve(), paths.SCENARIOS.resolve()}
    return sorted({p for folder in folders if folder.is_dir() for p in folder.glob("*.yaml")})


def check_scenario_names(loaded: dict) -> None:
    """Refuse two scenario files with the same file stem (their reports would
    overwrite each other's) or the same ``name`` (the index could not tell them apart)."""
    stems: dict[str, Path] = {}
    names: dict[str, Path] = {}
    for path, scenario in loaded.items():
        path = Path(path)
        if not path.stem or path.stem.startswith("."):  # "...yaml" would write its reports into reports/..
            raise InputError(f"{path}: a scenario file name must not start with a dot (its reports go to reports/<name>/)")
        if path.stem in stems and stems[path.stem].resolve() != path.resolve():
            raise InputError(f"{path}: same file name as {stems[path.stem]}; reports/{path.stem}/ would hold both")
        stems[path.stem] = path
        if scenario.name in names and names[scenario.name].resolve() != path.resolve():
            raise InputError(f"{path}: key 'name': {scenario.name!r} is also the name of {names[scenario.name]}")
        names[scenario.name] = path


def plan(
    notebooks: list[Path],
    scenarios: list[Path],
    output_dir: Path,
    processed_dir: Path,
    show_code: bool,
    scenarios_dir: Path = paths.SCENARIOS,
) -> list[Run]:
    """Every notebook × scenario run with its input fingerprint: the shared
    inputs, the notebook, the run's scenario and every scenario file the
    notebooks read (:func:`scenario_folders_read`)."""
    shared = hashlib.sha256(shared_fingerprint(processed_dir, show_code).encode())
    for path in scenario_folders_read(scenarios_dir):
        shared.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    shared_hex = shared.hexdigest()
    runs = []
    for scenario in scenarios:
        for notebook in notebooks:
            digest = hashlib.sha256(shared_hex.encode())
            digest.update(notebook.read_bytes())
            digest.update(scenario.read_bytes())
            runs.append(Run(notebook, scenario, output_dir, processed_dir, show_code, digest.hexdigest()))
    return runs


def is_current(run: Run) -> bool:
    """Whether the last successful build of this run had the same inputs."""
    try:
        stamp = json.loads(run.stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(stamp, dict):  # valid JSON of the wrong shape: rebuild
        return False
    return (
        stamp.get("fingerprint") == run.fingerprint
        and stamp.get("status") == "built"
        and run.html_path.is_file()
        and run.ipynb_path.is_file()
    )


# --- running (inside worker processes) -----------------------------------------

_worker_exporter = None


def _init_worker(ipython_dir: str) -> None:
    """Import papermill and nbconvert once per worker and point kernels at the
    warming startup file."""
    global _worker_exporter
    _die_with_parent()
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None blocks the import (see the module docstring)
    import papermill  # noqa: F401
    from nbconvert import HTMLExporter

    from analysis.charts import DEFER_ENV  # Vega starts once per worker, at its first chart

    os.environ["IPYTHONDIR"] = ipython_dir
    os.environ[DEFER_ENV] = "1"  # kernels hand charts over; this worker draws them (charts.draw_deferred_charts)

    # sanitize_html: Markdown and HTML outputs go through nbconvert's bleach
    # sanitiser, so text from inputs that reaches a notebook's Markdown cannot
    # put a live script or event handler in the page.
    _worker_exporter = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES)], sanitize_html=True)
    _worker_exporter.register_filter("clean_html", clean_html)


#: The chart figures of the page being exported: HTML this code wrote from a
#: Vega spec (its data JSON-escaped), the one output the sanitiser lets through as it is.
_TRUSTED_HTML: set[str] = set()
#: What a report page may hold besides that: nbconvert's own list plus the
#: structure of Markdown and pandas tables (headings, paragraphs, table parts,
#: the <style> of a styled table). No script, no event handler, no iframe.
_PAGE_TAGS = [
    "a",
    "abbr",
    "acronym",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
]


def clean_html(element: Any) -> str:
    """The report template's sanitiser (nbconvert's ``clean_html`` filter):
    chart figures written by :func:`analysis.charts.html_charts` pass as they
    are; everything else is cleaned with bleach, disallowed tags escaped."""
    import bleach

    text = element.decode() if isinstance(element, bytes) else str(element)
    if text in _TRUSTED_HTML:
        return text
    return bleach.clean(
        text,
        tags=_PAGE_TAGS,
        attributes={"*": ["class", "id", "title", "colspan", "rowspan", "role", "aria-label"], "a": ["href", "title"]},
        protocols=["http", "https", "mailto"],
    )


def _die_with_parent() -> None:
    """Make this worker exit when the main process dies (even by SIGKILL), and
    leave Ctrl-C to the main process, which stops the workers itself."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the main process turns SIGTERM into Ctrl-C; a worker just ends
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        if libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0) == 0 and os.getppid() == parent:
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:  # where prctl is missing: poll the parent's id
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="h200-parent-watch").start()


TEMP_NOTEBOOK_SUFFIX = ".running.ipynb"
IPYTHON_PREFIX = "h200-ipython-"


def _failure(err: BaseException, executed_path: str) -> tuple[int | None, str]:
    """The failing cell's number in the notebook as written (from 1, not
    counting the parameters cell papermill injects) and the error's last line."""
    cell = None
    cell_index = getattr(err, "cell_index", None)
    if cell_index is not None:
        injected = 0
        try:
            import nbformat

            cells = nbformat.read(executed_path, as_version=4).cells[:cell_index]
            injected = sum("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in cells)
        except Exception:  # noqa: BLE001, S110  # an unreadable partial notebook: keep papermill's index
            pass
        cell = int(cell_index) - injected + 1
    ename, evalue = getattr(err, "ename", None), getattr(err, "evalue", None)
    text = f"{ename}: {evalue}" if ename else str(err)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return cell, lines[-1].strip() if lines else type(err).__name__


def _banner(run: Run, status: str) -> str:
    from analysis.display import scenario_title
    from analysis.index_page import _notebook_title

    return (
        f'<a href="../index.html">All reports</a> · <b>{html.escape(_notebook_title(run.notebook.stem))}</b> · '
        f"scenario <b>{html.escape(scenario_title(run.scenario.stem))}</b> · {html.escape(status)}"
    )


def failure_page(run: Run, message: str, notebook_written: bool) -> str:
    """The page that replaces a report whose run failed: no stale report looks current."""
    link = (
        f"The executed notebook, with the traceback, is <a href='{html.escape(quote(run.ipynb_path.name))}'>"
        f"{html.escape(run.ipynb_path.name)}</a>."
        if notebook_written
        else "No executed notebook was written."
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>FAILED {html.escape(run.label)}</title></head>"
        f"<body><p>{_banner(run, 'FAILED')}</p><h1>This report failed to build</h1>"
        f"<p>Notebook <code>{html.escape(run.notebook.name)}</code>, scenario <code>{html.escape(run.scenario.name)}</code>: "
        f"{html.escape(message)}</p><p>{link}</p></body></html>"
    )


def one_line(text: str, limit: int = 300, *, first: bool = False) -> str:
    """One line of an error message (the last non-empty one, or the first with
    ``first``: a JavaScript error from vl-convert puts its stack after the
    message), cut to ``limit`` characters."""
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    line = (lines[0] if first else lines[-1]) if lines else "unknown error"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def record_failure(run: Run, cell: int | None, error: str, tmp_ipynb: str | None, seconds: float) -> Result:
    """Write the failure page, the executed notebook if there is one, and a
    "failed" stamp; return the failed Result."""
    error = one_line(error)
    message = f"cell {cell}: {error}" if cell else error
    written = False
    if tmp_ipynb and Path(tmp_ipynb).exists() and Path(tmp_ipynb).stat().st_size:
        os.chmod(tmp_ipynb, 0o644)
        os.replace(tmp_ipynb, run.ipynb_path)
        written = True
    else:
        run.ipynb_path.unlink(missing_ok=True)  # an older notebook would not be this run's
    atomic_write_text(run.html_path, failure_page(run, message, written))
    atomic_write_text(run.stamp_path, json.dumps({"fingerprint": run.fingerprint, "status": "failed"}))
    return Result(run.notebook.stem, run.scenario.stem, "failed", seconds, cell, error)


def normalise_notebook(notebook) -> None:  # type: ignore[no-untyped-def]
    """Make an executed notebook a function of its inputs: cell ids from the
    cell's position (papermill gives its injected cell a random id) and no
    timings or dates in the metadata."""
    for position, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{position:02d}"
        cell.metadata.pop("execution", None)
        papermill_meta = cell.metadata.get("papermill")
        if isinstance(papermill_meta, dict):
            for key in ("start_time", "end_time", "duration", "exception", "status"):
                papermill_meta.pop(key, None)
    papermill_meta = notebook.metadata.get("papermill")
    if isinstance(papermill_meta, dict):
        for key in ("start_time", "end_time", "duration", "exception", "input_path", "output_path"):
            papermill_meta.pop(key, None)


def execute_run(run: Run) -> Result:
    """Run one notebook under one scenario and export it (in a worker). Any
    failure, while executing, drawing or exporting, gives the failure page."""
    import nbformat
    import papermill

    started = time.perf_counter()
    target_dir = run.html_path.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    handle, tmp_ipynb = tempfile.mkstemp(dir=target_dir, prefix=f".{run.notebook.stem}.", suffix=TEMP_NOTEBOOK_SUFFIX)
    os.close(handle)
    try:
        try:
            papermill.execute_notebook(
                str(run.notebook),
                tmp_ipynb,
                parameters={"scenario": str(run.scenario.resolve()), "processed_dir": str(Path(run.processed_dir).resolve())},
                kernel_name=paths.KERNEL_NAME,
                cwd=str(run.notebook.parent),
                progress_bar=False,
                log_output=False,
                # The kernel's start-up warnings (TCP without encryption) and the
                # "KeyboardInterrupt caught in kernel" logged when jupyter_client
                # interrupts it before shutdown would flood the build log.
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
        except Exception as err:  # noqa: BLE001  # the notebook raised: record it, keep the other runs going
            cell, last_line = _failure(err, tmp_ipynb)
            return record_failure(run, cell, last_line, tmp_ipynb, time.perf_counter() - started)
        try:
            executed = nbformat.read(tmp_ipynb, as_version=4)
            from analysis import charts

            charts.draw_deferred_charts(executed)
            normalise_notebook(executed)
            nbformat.write(executed, tmp_ipynb)
            assert _worker_exporter is not None, "execute_run runs in a worker set up by _init_worker"
            _worker_exporter.exclude_input = not run.show_code
            _worker_exporter.exclude_input_prompt = not run.show_code
            _worker_exporter.exclude_output_prompt = True
            page = charts.html_charts(executed)
            _TRUSTED_HTML.clear()
            _TRUSTED_HTML.update(
                output["data"]["text/html"] for cell in page.cells for output in cell.get("outputs", []) if charts.is_chart_figure(output)
            )
            body, _ = _worker_exporter.from_notebook_node(
                page,
                resources={
                    "metadata": {"name": f"{run.notebook.stem} — {run.scenario.stem}"},
                    "h200_banner": _banner(run, "built"),
                    "h200_vega_js": charts.vega_javascript(),
                },
            )
        except Exception as err:  # noqa: BLE001  # drawing or exporting failed (e.g. a chart of an infinite value)
            return record_failure(
                run,
                None,
                f"while drawing or exporting: {type(err).__name__}: {one_line(str(err), first=True)}",
                tmp_ipynb,
                time.perf_counter() - started,
            )
        atomic_write_text(run.html_path, body)
        os.chmod(tmp_ipynb, 0o644)  # mkstemp makes 0600 files; reports are for every reader
        os.replace(tmp_ipynb, run.ipynb_path)
        atomic_write_text(run.stamp_path, json.dumps({"fingerprint": run.fingerprint, "status": "built"}))
        return Result(run.notebook.stem, run.scenario.stem, "built", time.perf_counter() - started)
    finally:
        Path(tmp_ipynb).unlink(missing_ok=True)


def write_ipython_startup(folder: Path) -> Path:
    """An IPython profile whose startup file warms report kernels."""
    startup = folder / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-h200-warm.py").write_text(STARTUP_CODE, encoding="utf-8")
    return folder


# --- the command ------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, flush=True)


def discover_notebooks(notebooks_dir: Path) -> list[Path]:
    """The report notebooks: ``NN-name.ipynb``, in order."""
    return sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]-*.ipynb"))


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
) -> int:
    """Build every report (see the module docstring); return the exit status:
    0 when all built, 1 when a run failed, 2 when a scenario is bad.
    ``quiet`` prints nothing but the failures and errors."""
    from analysis.scenarios import load_scenario

    say = (lambda _message: None) if quiet else _say

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
    try:
        loaded = {path: load_scenario(path) for path in scenario_paths}
        check_scenario_names(loaded)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    notebooks = discover_notebooks(notebooks_dir)
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
            started, scenario_paths, loaded, notebooks, jobs, force, show_code, output_dir, Path(processed_dir), Path(scenarios_dir), say
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
    loaded: dict,
    notebooks: list[Path],
    jobs: int | None,
    force: bool,
    show_code: bool,
    output_dir: Path,
    processed_dir: Path,
    scenarios_dir: Path,
    say: Callable[[str], None] = _say,
) -> int:
    from analysis.formatting import plural

    runs = plan(notebooks, scenario_paths, output_dir, processed_dir, show_code, scenarios_dir)
    stale = [run for run in runs if force or not is_current(run)]
    results: list[Result] = [Result(r.notebook.stem, r.scenario.stem, "cached") for r in runs if r not in stale]
    jobs = max(1, jobs or os.cpu_count() or 1)
    say(
        f"reports: {plural(len(runs), 'run')} ({plural(len(notebooks), 'notebook')} × {plural(len(scenario_paths), 'scenario')}), "
        f"{len(stale)} to build, {len(runs) - len(stale)} up to date; {plural(min(jobs, max(len(stale), 1)), 'job')}"
    )
    if stale:
        _bundle_vega_javascript()
        results += _run_all(stale, jobs, say)
    if stale or force or not (Path(output_dir) / "index.html").exists():
        write_index(Path(output_dir), runs, results, loaded, Path(processed_dir))
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

    from analysis.charts import vega_javascript_path

    if not vega_javascript_path().exists():
        subprocess.run([sys.executable, "-c", "from analysis.charts import vega_javascript; vega_javascript()"], check=True)


def _run_all(stale: list[Run], jobs: int, say: Callable[[str], None] = _say) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix=f"{IPYTHON_PREFIX}{os.getpid()}-") as ipython_dir:
        write_ipython_startup(Path(ipython_dir))
        # fork starts workers fastest, but a forked copy of a runtime the caller already started (Vega in
        # vl_convert, a kernel's zmq threads) deadlocks in the worker: then start from a clean forkserver.
        method = "fork" if threading.active_count() == 1 and "vl_convert" not in sys.modules else "forkserver"
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(stale)),
            initializer=_init_worker,
            initargs=(ipython_dir,),
            mp_context=multiprocessing.get_context(method),
        )
        try:
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
        except BaseException:  # Ctrl-C or an error here: stop the workers now instead of waiting for their runs
            workers = list((pool._processes or {}).values())  # shutdown() forgets them
            for process in workers:
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            for process in workers:
                process.join(5)
            for run in stale:  # the killed workers' temporary notebooks
                for leftover in run.html_path.parent.glob(f".{run.notebook.stem}.*{TEMP_NOTEBOOK_SUFFIX}"):
                    leftover.unlink(missing_ok=True)
            raise
        pool.shutdown(wait=True)
    return results


# --- index page ------------------------------------------------------------------


def write_index(output_dir: Path, runs: list[Run], results: list[Result], loaded: dict, processed_dir: Path) -> None:
    """``index.html`` and ``build.json``: :func:`analysis.index_page.write_index`
    (every scenario with reports on disk, the answer first)."""
    from analysis import index_page

    index_page.write_index(output_dir, [run.notebook.stem for run in runs], results, processed_dir, data_hash=data_hash(processed_dir))


def write_docs_chart(path: Path) -> None:
    """Render the README's example chart (``charts.readme_chart``) to PNG."""
    import vl_convert

    from analysis import charts

    charts.use_offline_rendering()  # the project theme, as in the notebooks
    png = vl_convert.vegalite_to_png(charts.readme_chart().to_dict(), scale=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(png)
    os.replace(tmp, path)
    print(f"wrote {path}")

"""Inside a report worker process: execute one run with papermill, draw its
charts, sanitise and export it to HTML, or write the failure page
(:mod:`analysis.reports.build` stages 3 and 4)."""

from __future__ import annotations

import gc
import html
import json
import os
import re
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from analysis.core import paths
from analysis.core.files import atomic_write_text
from analysis.core.memo import remembered
from analysis.reports.plan import STARTUP_CODE, TEMPLATE_NAME, TEMPLATES, Result, Run

__all__ = [
    "CELL_TIMEOUT_ENV",
    "CELL_TIMEOUT_SECONDS",
    "IPYTHON_PREFIX",
    "REPR_ADDRESS",
    "TEMP_NOTEBOOK_SUFFIX",
    "cell_timeout",
    "clean_html",
    "execute_run",
    "failure_page",
    "normalise_notebook",
    "notebook_parameters",
    "one_line",
    "project_relative",
    "record_failure",
    "run_papermill",
    "without_addresses",
    "write_ipython_startup",
]

# --- running (inside worker processes) -----------------------------------------

_worker_exporter = None


def _init_worker(ipython_dir: str, environment: dict[str, str] | None = None) -> None:
    """Import papermill and nbconvert once per worker and point kernels at the
    warming startup file. ``environment`` is the build's own: a worker started
    from a forkserver would otherwise inherit the environment of the moment the
    forkserver started (an earlier build's), not this build's (its cell timeout)."""
    global _worker_exporter
    if environment is not None:
        os.environ.clear()
        os.environ.update(environment)
    _die_with_parent()
    import papermill  # noqa: F401
    from nbconvert import HTMLExporter

    from analysis.present.rendering import DEFER_ENV

    os.environ["IPYTHONDIR"] = ipython_dir
    os.environ[DEFER_ENV] = "1"  # kernels hand charts over; this worker draws them (rendering.draw_deferred_charts)

    # sanitize_html: Markdown and HTML outputs go through nbconvert's bleach
    # sanitiser, so text from inputs that reaches a notebook's Markdown cannot
    # put a live script or event handler in the page.
    _worker_exporter = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES)], sanitize_html=True)  # type: ignore[no-untyped-call]  # nbconvert leaves the exporter unannotated
    _worker_exporter.register_filter("clean_html", clean_html)  # type: ignore[no-untyped-call]  # nbconvert leaves register_filter() unannotated
    gc.freeze()  # the modules just imported are never garbage: each collection then walks only a run's objects


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
    chart figures written by :func:`analysis.present.rendering.html_charts` pass as they
    are; everything else is cleaned with bleach, disallowed tags escaped."""
    import bleach

    text = element.decode() if isinstance(element, bytes) else str(element)
    if text in _TRUSTED_HTML:
        return text
    # bleach is a fifth of a worker's time; the sources page's tables repeat under every scenario
    return remembered(
        _CLEANED,
        text,
        lambda: bleach.clean(
            text,
            tags=_PAGE_TAGS,
            attributes={"*": ["class", "id", "title", "colspan", "rowspan", "role", "aria-label"], "a": ["href", "title"]},
            protocols=["http", "https", "mailto"],
        ),
        size=256,
    )


#: HTML outputs already cleaned in this worker (bleach is deterministic): output → cleaned.
_CLEANED: dict[str, str] = {}


def _die_with_parent() -> None:
    """Make this worker exit when the main process dies (even by SIGKILL), and
    leave Ctrl-C to the main process, which stops the workers itself."""
    import signal

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

            cells = nbformat.read(executed_path, as_version=4).cells[:cell_index]  # type: ignore[no-untyped-call]  # nbformat leaves read() unannotated
            injected = sum("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in cells)
        except Exception:  # noqa: BLE001, S110  # an unreadable partial notebook: keep papermill's index
            pass
        cell = int(cell_index) - injected + 1
    ename, evalue = getattr(err, "ename", None), getattr(err, "evalue", None)
    text = f"{ename}: {evalue}" if ename else str(err)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return cell, lines[-1].strip() if lines else type(err).__name__


def _site_title(run: Run) -> str:
    from analysis.reports import site

    return site.page_title(run.notebook, run.scenario.stem)


def _banner(run: Run, status: str) -> str:
    from analysis.reports import site

    return site.banner(run.notebook, run.scenario, status)


def failure_page(run: Run, message: str, notebook_written: bool) -> str:
    """The page that replaces a report whose run failed: no stale report looks current."""
    link = (
        f"The executed notebook, with the traceback, is <a href='{html.escape(quote(run.ipynb_path.name))}'>"
        f"{html.escape(run.ipynb_path.name)}</a>."
        if notebook_written
        else "No executed notebook was written."
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>FAILED: {html.escape(_site_title(run))}</title></head>"
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


#: ``<pandas.io.formats.style.Styler at 0x7f00bb26a990>``: the address changes every run.
_REPR_ADDRESS = re.compile(r"(?<= at )0x[0-9a-fA-F]{4,16}(?=>)")
REPR_ADDRESS = "0xADDRESS"
#: The outputs' text parts whose reprs may hold an address (never images).
_TEXT_MIMETYPES = ("text/plain", "text/html", "text/markdown")


def without_addresses(text: Any) -> Any:
    """Text (or a list of lines) with the memory addresses of reprs replaced."""
    if isinstance(text, list):
        return [without_addresses(part) for part in text]
    return _REPR_ADDRESS.sub(REPR_ADDRESS, text) if isinstance(text, str) else text


def _sanitise_outputs(outputs: list[Any]) -> None:
    for output in outputs:
        if "text" in output:
            output["text"] = without_addresses(output["text"])
        data = output.get("data", {})
        for mimetype in _TEXT_MIMETYPES:
            if mimetype in data:
                data[mimetype] = without_addresses(data[mimetype])


def normalise_notebook(notebook) -> None:  # type: ignore[no-untyped-def]
    """Make an executed notebook a function of its inputs: cell ids from the
    cell's position (papermill gives its injected cell a random id), no
    timings or dates in the metadata and no memory addresses in reprs (so an
    incremental build equals ``--force`` byte for byte)."""
    for position, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{position:02d}"
        _sanitise_outputs(cell.get("outputs", []))
        cell.metadata.pop("execution", None)
        papermill_meta = cell.metadata.get("papermill")
        if isinstance(papermill_meta, dict):
            for key in ("start_time", "end_time", "duration", "exception", "status"):
                papermill_meta.pop(key, None)
    papermill_meta = notebook.metadata.get("papermill")
    if isinstance(papermill_meta, dict):
        for key in ("start_time", "end_time", "duration", "exception", "input_path", "output_path"):
            papermill_meta.pop(key, None)


#: The longest one cell of a report may run, in seconds: the slowest cell of the shipped notebooks (the
#: simulation) takes a few seconds, so a cell still running after five minutes will not end.
CELL_TIMEOUT_SECONDS = 300
#: An environment variable that sets another limit (whole seconds), for a slower machine.
CELL_TIMEOUT_ENV = "H200_CELL_TIMEOUT"


def cell_timeout() -> int:
    """The per-cell time limit: :data:`CELL_TIMEOUT_ENV` if it holds a positive whole number, else :data:`CELL_TIMEOUT_SECONDS`."""
    text = os.environ.get(CELL_TIMEOUT_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else CELL_TIMEOUT_SECONDS


def project_relative(path: Path) -> str:
    """``path`` as an executed notebook records it: relative to the project
    root when inside it (a copied or moved checkout reads its own files), else absolute."""
    absolute = Path(os.path.abspath(path))
    root = paths.PROJECT_ROOT.resolve()
    resolved = absolute.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(absolute)


def notebook_parameters(run: Run) -> dict[str, str]:
    """The papermill parameters of a run: its scenario file and data folder
    (:func:`project_relative`), and its as-of date when the build sets one."""
    given = {"scenario": project_relative(run.scenario), "processed_dir": project_relative(Path(run.processed_dir))}
    return given | ({"as_of": run.as_of} if run.as_of else {})


def _started_no_cell(err: BaseException, executed_path: str) -> bool:
    """Whether a failure came from starting the kernel (it died, or never
    answered) before any cell ran: worth one more try, unlike a cell's error or timeout."""
    if isinstance(err, TimeoutError) or type(err).__name__ == "PapermillExecutionError" or not isinstance(err, (RuntimeError, OSError)):
        return False
    try:
        import nbformat

        cells = nbformat.read(executed_path, as_version=4).cells  # type: ignore[no-untyped-call]  # nbformat leaves read() unannotated
    except Exception:  # noqa: BLE001  # nothing written yet: no cell ran
        return True
    return all(cell.get("execution_count") is None for cell in cells if cell.cell_type == "code")


def run_papermill(run: Run, tmp_ipynb: str) -> Any:
    """Execute a run's notebook with papermill (which also writes it to
    ``tmp_ipynb``, with the error where a run fails), each cell limited to
    :func:`cell_timeout` seconds, on the worker's warm kernel
    (:mod:`analysis.reports.warm_kernels`); return the executed notebook. A kernel
    that dies (or never answers) at start is started once more before the
    run fails."""
    import papermill

    from analysis.reports.warm_kernels import register_engine

    engine = register_engine()
    for attempt in (1, 2):
        try:
            return papermill.execute_notebook(
                str(run.notebook),
                tmp_ipynb,
                engine_name=engine,
                parameters=notebook_parameters(run),
                kernel_name=paths.KERNEL_NAME,
                cwd=str(run.notebook.parent),
                progress_bar=False,
                log_output=False,
                execution_timeout=cell_timeout(),
                # The kernel's start-up warnings (TCP without encryption) and the
                # "KeyboardInterrupt caught in kernel" logged when jupyter_client
                # interrupts it before shutdown would flood the build log.
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
        except Exception as err:
            if attempt == 2 or not _started_no_cell(err, tmp_ipynb):
                raise
    raise AssertionError("unreachable: the second attempt returns or raises")


def execute_run(run: Run) -> Result:
    """Run one notebook under one scenario and export it (in a worker). Any
    failure, while executing, drawing or exporting, gives the failure page."""
    # Long by design: execute, draw, export and write are one run's stages, each with its own failure page; read top to bottom.
    import nbformat

    started = time.perf_counter()
    target_dir = run.html_path.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    handle, tmp_ipynb = tempfile.mkstemp(dir=target_dir, prefix=f".{run.notebook.stem}.", suffix=TEMP_NOTEBOOK_SUFFIX)
    os.close(handle)
    try:
        try:
            executed = run_papermill(run, tmp_ipynb)
        except Exception as err:  # noqa: BLE001  # the notebook raised: record it, keep the other runs going
            cell, last_line = _failure(err, tmp_ipynb)
            if isinstance(err, TimeoutError):
                last_line = f"a cell ran longer than {cell_timeout()} s, the limit for one cell ({CELL_TIMEOUT_ENV} sets it)"
            return record_failure(run, cell, last_line, tmp_ipynb, time.perf_counter() - started)
        try:
            from analysis.present import rendering  # altair and Vega: imported by the worker, never by the build's main process
            from analysis.reports import site

            rendering.draw_deferred_charts(executed)
            normalise_notebook(executed)
            nbformat.write(executed, tmp_ipynb)  # type: ignore[no-untyped-call]  # nbformat leaves write() unannotated
            assert _worker_exporter is not None, "execute_run runs in a worker set up by _init_worker"
            _worker_exporter.exclude_input = not run.show_code
            _worker_exporter.exclude_input_prompt = not run.show_code
            _worker_exporter.exclude_output_prompt = True
            page = rendering.html_charts(executed)
            _TRUSTED_HTML.clear()
            _TRUSTED_HTML.update(
                output["data"]["text/html"]
                for cell in page.cells
                for output in cell.get("outputs", [])
                if rendering.is_chart_figure(output)
            )
            body, _ = _worker_exporter.from_notebook_node(
                page,
                resources={
                    "metadata": {"name": site.page_title(run.notebook, run.scenario.stem)},
                    "h200_banner": _banner(run, "built"),
                    "h200_vega_js": rendering.vega_javascript(),
                    "h200_site_js": site.report_scripts(),
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

"""``python -m analysis notebooks`` (``make notebooks``): re-execute the
committed notebooks on the current data and write them in their committed form;
and the git clean filter that gives what JupyterLab saves the same form.

The committed form (:func:`normalise_for_commit`) is the report builder's
normalisation (:func:`analysis.reports.worker.normalise_notebook`: cell ids
from positions, no timings) and, on top, what a notebook editor adds that
says nothing about the outputs: execution and papermill metadata, empty tag
lists, the Python patch version, execution counts that depend on how often a
cell was run, memory addresses in ``<... at 0x...>`` reprs, and a missing final
newline. It keeps every output strict nbval compares, so ``make test`` stays
green after ``make notebooks``, and a notebook saved from Lab after "Run All"
is the committed bytes again (``git status`` stays clean).

Notebooks run as papermill runs them for the reports, with no parameters
injected: each runs its parameters cell's defaults (the central scenario, the
project's ``data/processed``) from ``notebooks/``, on the project kernel.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from analysis.core import paths
from analysis.core.files import atomic_write_text
from analysis.reports.plan import discover_notebooks
from analysis.reports.worker import (
    IPYTHON_PREFIX,
    TEMP_NOTEBOOK_SUFFIX,
    _failure,
    normalise_notebook,
    one_line,
    write_ipython_startup,
)

__all__ = [
    "SESSION_CELL_METADATA",
    "SESSION_NOTEBOOK_METADATA",
    "clean_filter",
    "committed_text",
    "normalise_for_commit",
    "refresh_notebook",
    "refresh_notebooks",
]

#: Cell metadata an editor writes about a session, not about the notebook.
SESSION_CELL_METADATA = ("execution", "papermill", "ExecuteTime", "scrolled", "collapsed", "trusted")
#: Notebook metadata of the same kind (``widgets`` is ipywidgets' saved state).
SESSION_NOTEBOOK_METADATA = ("papermill", "widgets")


def _normalise_outputs(outputs: list[Any], execution_count: int | None) -> None:
    for output in outputs:
        if output.get("output_type") == "execute_result":
            output["execution_count"] = execution_count


def normalise_for_commit(notebook: Any) -> Any:
    """Put an nbformat notebook in its committed form (see the module
    docstring), in place; return it. Idempotent."""
    normalise_notebook(notebook)  # ids, timings, addresses: the report builder's normalisation
    code_cells = 0
    for cell in notebook.cells:
        for key in SESSION_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]
        if cell.cell_type != "code":
            continue
        code_cells += 1
        # A cell run twice in Lab has a higher count than after "Run All"; the count says nothing about the output.
        count = code_cells if cell.get("execution_count") is not None or cell.outputs else None
        cell["execution_count"] = count
        _normalise_outputs(cell.outputs, count)
    for key in SESSION_NOTEBOOK_METADATA:
        notebook.metadata.pop(key, None)
    notebook.metadata.get("language_info", {}).pop("version", None)  # 3.11.7 vs 3.11.9: not the notebook's
    return notebook


def committed_text(text: str) -> str:
    """The committed form of a notebook's JSON text (the git clean filter)."""
    import nbformat

    notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]  # nbformat leaves reads() unannotated
    written: str = nbformat.writes(normalise_for_commit(notebook), version=4)  # type: ignore[no-untyped-call]  # nbformat leaves writes() unannotated
    return written if written.endswith("\n") else written + "\n"


def clean_filter(source: Any = None, sink: Any = None) -> int:
    """Read a notebook on stdin, write its committed form on stdout. What is
    not a notebook (a file with merge conflict markers) passes unchanged:
    a clean filter must never lose what the user saved."""
    source = source or sys.stdin
    sink = sink or sys.stdout
    text = source.read()
    try:
        out = committed_text(text)
    except Exception:  # noqa: BLE001  # not JSON, not a notebook: git keeps it as it is
        out = text
    sink.write(out)
    sink.flush()
    return 0


# --- re-executing the committed notebooks --------------------------------------


@contextmanager
def _kernel_environment() -> Iterator[None]:
    """Kernels start warm (the reports' IPython startup file) and draw their
    own charts (Vega spec and PNG, as Lab and nbval see them)."""
    from analysis.present.rendering import DEFER_ENV

    saved = {name: os.environ.get(name) for name in ("IPYTHONDIR", DEFER_ENV)}
    with tempfile.TemporaryDirectory(prefix=f"{IPYTHON_PREFIX}{os.getpid()}-") as ipython_dir:
        write_ipython_startup(Path(ipython_dir))
        os.environ["IPYTHONDIR"] = ipython_dir
        os.environ.pop(DEFER_ENV, None)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def refresh_notebook(notebook: Path) -> tuple[bool, str]:
    """Execute one notebook in place; return (changed, error). On an error the
    committed notebook is left as it was."""
    import papermill

    handle, executed = tempfile.mkstemp(dir=notebook.parent, prefix=f".{notebook.stem}.", suffix=TEMP_NOTEBOOK_SUFFIX)
    os.close(handle)
    try:
        try:
            papermill.execute_notebook(
                str(notebook),
                executed,
                kernel_name=paths.KERNEL_NAME,
                cwd=str(notebook.parent),
                progress_bar=False,
                log_output=False,
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
        except Exception as err:  # noqa: BLE001  # the notebook raised: name the cell, keep going with the others
            cell, last_line = _failure(err, executed)
            return False, (f"cell {cell}: " if cell else "") + one_line(last_line)
        text = committed_text(Path(executed).read_text(encoding="utf-8"))
    finally:
        Path(executed).unlink(missing_ok=True)
    changed = notebook.read_text(encoding="utf-8") != text
    if changed:
        atomic_write_text(notebook, text)
    return changed, ""


def refresh_notebooks(
    notebooks_dir: Path = paths.NOTEBOOKS,
    names: list[str] | None = None,
    say: Callable[[str], None] | None = None,
    jobs: int | None = None,
) -> int:
    """Re-execute every ``NN-*.ipynb`` (or those whose stem or file name is in
    ``names``), ``jobs`` at a time (default: one per core), and write the
    changed ones; one progress line per notebook as it finishes. Return 0, or
    1 when a notebook failed (its committed file untouched)."""
    say = say or (lambda message: print(message, flush=True))
    notebooks = _selected(discover_notebooks(notebooks_dir), names, notebooks_dir)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(notebooks) or 1))
    started = time.perf_counter()
    failed = 0
    with _kernel_environment():
        for position, (notebook, changed, error, seconds) in enumerate(_executed(notebooks, jobs), start=1):
            state = "FAILED   " if error else "refreshed" if changed else "unchanged"
            say(f"  [{position}/{len(notebooks)}] {state} {notebook.name} ({seconds:.1f} s){': ' + error if error else ''}")
            failed += bool(error)
    say(f"notebooks: {len(notebooks) - failed} of {len(notebooks)} executed in {time.perf_counter() - started:.1f} s; next: make test")
    return 1 if failed else 0


def _selected(notebooks: list[Path], names: list[str] | None, notebooks_dir: Path) -> list[Path]:
    if not names:
        return notebooks
    wanted = {Path(name).stem for name in names}
    unknown = sorted(wanted - {nb.stem for nb in notebooks})
    if unknown:
        from analysis.core.errors import InputError

        raise InputError(f"{notebooks_dir}: no notebook {unknown[0]!r} (the notebooks: {', '.join(nb.stem for nb in notebooks)})")
    return [nb for nb in notebooks if nb.stem in wanted]


def _timed_refresh(notebook: Path, environment: dict[str, str] | None = None) -> tuple[Path, bool, str, float]:
    """In a worker: the kernel environment of the caller (a forkserver child may predate it)."""
    from analysis.present.rendering import DEFER_ENV

    if environment is not None:
        os.environ.update(environment)
        os.environ.pop(DEFER_ENV, None)
    began = time.perf_counter()
    changed, error = refresh_notebook(notebook)
    return notebook, changed, error, time.perf_counter() - began


def _executed(notebooks: list[Path], jobs: int) -> Iterator[tuple[Path, bool, str, float]]:
    """Each notebook's (path, changed, error, seconds), as they finish."""
    if jobs == 1:
        yield from map(_timed_refresh, notebooks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # forkserver: a fork of a process that already runs threads (a caller's kernel, Vega) could deadlock.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        environment = {"IPYTHONDIR": os.environ["IPYTHONDIR"]}
        futures = [pool.submit(_timed_refresh, notebook, environment) for notebook in notebooks]
        for future in as_completed(futures):
            yield future.result()


if __name__ == "__main__":  # the git clean filter: `python -m analysis.reports.notebook_refresh --clean`
    if sys.argv[1:] != ["--clean"]:
        print("usage: python -m analysis.reports.notebook_refresh --clean < notebook.ipynb > normalised.ipynb", file=sys.stderr)
        sys.exit(2)
    sys.exit(clean_filter())

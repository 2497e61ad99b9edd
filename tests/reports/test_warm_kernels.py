"""Warm kernels (analysis.reports.warm_kernels): a run on a kept kernel gives the bytes
of a run on a new kernel, even after a notebook that leaves state behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from analysis.core import paths
from analysis.reports.build import build_reports
from analysis.reports.warm_kernels import COLD_ENV

CENTRAL = paths.SCENARIOS / "central.yaml"
PARAMETERS = 'scenario = "scenarios/central.yaml"\nprocessed_dir = "data/processed"'


def _notebook(path: Path, *sources: str) -> None:
    cells = [nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]})]
    cells += [nbformat.v4.new_code_cell(source) for source in sources]
    notebook = nbformat.v4.new_notebook(
        cells=cells, metadata={"kernelspec": {"name": paths.KERNEL_NAME, "display_name": "h200", "language": "python"}}
    )
    nbformat.write(notebook, path)


def _notebooks(folder: Path) -> Path:
    """01 leaves every kind of state a reset must undo; 02 shows that state;
    03 is a shipped notebook, run after them in the same kernel. Each writes
    its kernel's process id beside it (the runs start in the notebooks' folder)."""
    folder.mkdir(parents=True)
    _notebook(
        folder / "01-dirty.ipynb",
        "import os, sys, warnings\nopen('pid-01', 'w').write(str(os.getpid()))",
        "leftover = 1\nos.environ['H200_LEFTOVER'] = '1'\nsys.path.insert(0, '/nowhere')\nos.chdir('/')",
        "warnings.simplefilter('ignore')\n'dirty'",
    )
    _notebook(
        folder / "02-reads.ipynb",
        "import os, sys, warnings\nopen('pid-02', 'w').write(str(os.getpid()))",
        "print('leftover' in dir(), os.environ.get('H200_LEFTOVER'), sys.path[0] == '/nowhere', os.path.basename(os.getcwd()), len(In))",
        # recorded rather than printed: a printed warning names the kernel's temporary file, different in every kernel
        "with warnings.catch_warnings(record=True) as caught:\n    warnings.warn('not ignored', UserWarning)\nprint([str(w.message) for w in caught])",
        "'last'",
    )
    shutil.copy(paths.NOTEBOOKS / "04-allocation.ipynb", folder / "03-allocation.ipynb")
    return folder


def _pages(output: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((output / "central").iterdir()) if p.suffix in (".html", ".ipynb")}


@pytest.mark.slow
def test_a_kept_kernel_gives_the_bytes_of_a_new_one(tmp_path, monkeypatch):
    pages = {}
    for mode in ("warm", "cold"):
        notebooks = _notebooks(tmp_path / mode / "notebooks")  # the same names in both builds: the pages hold them
        if mode == "cold":
            monkeypatch.setenv(COLD_ENV, "1")
        # One job: the three runs go one after another to the same worker, so the warm build reuses its kernel.
        assert build_reports([CENTRAL], jobs=1, force=True, notebooks_dir=notebooks, output_dir=tmp_path / mode / "reports") == 0
        same_kernel = (notebooks / "pid-01").read_text() == (notebooks / "pid-02").read_text()
        assert same_kernel == (mode == "warm")
        pages[mode] = _pages(tmp_path / mode / "reports")
    assert len(pages["warm"]) == 6
    assert pages["warm"] == pages["cold"]
    reads = nbformat.reads(pages["warm"]["02-reads.ipynb"].decode(), as_version=4)
    code = [cell for cell in reads.cells if cell.cell_type == "code"]  # parameters, papermill's injected cell, then 02's four
    state, warning = code[3].outputs, code[4].outputs
    # Fresh names, environment, path and folder; In holds "" and the four cells run so far, as in a new kernel.
    assert state[0]["text"] == "False None False notebooks 5\n"
    assert warning[0]["text"] == "['not ignored']\n"  # 01's "ignore" filter was undone
    assert [cell.execution_count for cell in code] == [1, 2, 3, 4, 5, 6]


class _FakeChannels:
    """A kernel client's stand-in: answers the reset, records when its channels stop."""

    def __init__(self, status: str = "ok") -> None:
        self.status, self.stopped = status, False

    async def execute_interactive(self, code, **_options):
        return {"content": {"status": self.status}}

    def stop_channels(self) -> None:
        self.stopped = True


class _FakeRun:
    def __init__(self, kc) -> None:
        self.kc = kc


def test_a_kept_kernel_keeps_its_open_client_until_it_ends(monkeypatch):
    from analysis.reports.warm_kernels import _KeptKernel

    monkeypatch.delenv(COLD_ENV, raising=False)
    kept = _KeptKernel()
    client = _FakeChannels()
    kept.after_success(_FakeRun(client))
    assert kept.client is client and not client.stopped  # the next run takes it, channels open
    broken = _FakeChannels(status="error")
    kept.after_success(_FakeRun(broken))
    assert kept.client is None and broken.stopped  # a reset that fails ends the kernel and its client
    monkeypatch.setenv(COLD_ENV, "1")
    cold = _FakeChannels()
    kept.after_success(_FakeRun(cold))
    assert kept.client is None and cold.stopped  # a new kernel per run: nothing kept

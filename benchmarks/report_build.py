"""Report build timings: full build on warm and on new kernels, floor, naive loop, no-op rebuild.

- full build: every notebook under every shipped scenario, ``--force``, each
  worker keeping its kernel between runs (``analysis.reports.warm_kernels``);
- full build, new kernels: the same with ``H200_COLD_KERNELS=1`` (a kernel per run);
- floor: the same number of runs, same ``--jobs``, on new kernels, of a
  notebook whose only cell imports what the report notebooks import (pandas,
  altair, analysis): a kernel start and the imports per run, what a builder
  without warm kernels cannot avoid;
- naive loop: papermill CLI then nbconvert CLI, one report after another;
- no-op rebuild: the build again with nothing changed;
- no-op ``make reports``: ``python -m analysis data --if-changed`` then ``python -m analysis
  reports``, as two processes the way make runs them, with nothing changed
  (target <= 0.5 s);
- a new scenario: one more scenario file; only its own runs and those of the
  notebooks that compare every scenario (``# Reads: every scenario``) rebuild.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from analysis.core import paths
from analysis.present.parameters import reads_every_scenario
from analysis.reports.build import build_reports
from analysis.reports.plan import discover_notebooks
from analysis.reports.warm_kernels import COLD_ENV

JOBS = os.cpu_count() or 1


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _floor_notebooks(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for index in range(1, count + 1):
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {"name": paths.KERNEL_NAME, "display_name": "Python (h200-china)", "language": "python"}
        params = nbformat.v4.new_code_cell('scenario: str = "../scenarios/central.yaml"\nprocessed_dir: str = "../data/processed"')
        params.metadata["tags"] = ["parameters"]
        notebook.cells = [params, nbformat.v4.new_code_cell("import pandas, altair, analysis.present.charts, analysis.model.figures")]
        nbformat.write(notebook, folder / f"{index:02d}-floor.ipynb")
    return folder


def _naive(notebooks: list[Path], scenarios: list[Path], out: Path) -> None:
    bin_dir = Path(sys.executable).parent
    for scenario in scenarios:
        for notebook in notebooks:
            executed = out / f"{scenario.stem}-{notebook.name}"
            subprocess.run(
                [
                    bin_dir / "papermill",
                    notebook,
                    executed,
                    "-k",
                    paths.KERNEL_NAME,
                    "--cwd",
                    notebook.parent,
                    "-p",
                    "scenario",
                    scenario.resolve(),
                    "--no-progress-bar",
                ],
                check=True,
                capture_output=True,
            )
            subprocess.run([bin_dir / "jupyter", "nbconvert", "--to", "html", "--no-input", executed], check=True, capture_output=True)


def _noop_make_reports(output_dir: Path) -> float:
    """``make reports`` with nothing to do: the data step, then the report step,
    each its own process as make runs them (the reports into ``output_dir``)."""
    python = sys.executable
    build = (
        f"import sys; from analysis.reports.build import build_reports; sys.exit(build_reports(output_dir={str(output_dir)!r}, quiet=True))"
    )
    started = time.perf_counter()
    subprocess.run([python, "-m", "analysis", "data", "-q", "--if-changed"], check=True)
    subprocess.run([python, "-c", build], check=True)
    return time.perf_counter() - started


def _new_scenario(tmp_path: Path, output_dir: Path, notebooks: list[Path]) -> tuple[int, int, int]:
    """Add one scenario (a copy of central under another name) to a build that
    is up to date; return (runs, rebuilt, expected)."""
    extra_dir = tmp_path / "extra-scenarios"
    extra_dir.mkdir()
    text = (paths.SCENARIOS / "central.yaml").read_text(encoding="utf-8").replace("name: central", "name: bench-extra", 1)
    (extra_dir / "bench-extra.yaml").write_text(text, encoding="utf-8")
    scenarios = [*sorted(paths.SCENARIOS.glob("*.yaml")), extra_dir / "bench-extra.yaml"]
    before = {p: p.stat().st_mtime_ns for p in output_dir.glob("*/.*.stamp.json")}
    build_reports(scenarios=scenarios, jobs=JOBS, output_dir=output_dir, scenarios_dir=extra_dir, quiet=True)
    after = {p: p.stat().st_mtime_ns for p in output_dir.glob("*/.*.stamp.json")}
    rebuilt = sum(before.get(p) != mtime for p, mtime in after.items())
    comparing = sum(reads_every_scenario(nb) for nb in notebooks)
    expected = len(notebooks) + comparing * (len(scenarios) - 1)
    return len(notebooks) * len(scenarios), rebuilt, expected


def main() -> None:
    notebooks = discover_notebooks(paths.NOTEBOOKS)
    scenarios = sorted(paths.SCENARIOS.glob("*.yaml"))
    runs = len(notebooks) * len(scenarios)
    with tempfile.TemporaryDirectory(prefix="h200-bench-") as tmp:
        tmp_path = Path(tmp)
        quiet = open(os.devnull, "w")  # noqa: SIM115  # closed in the finally below, with stdout restored
        stdout, sys.stdout = sys.stdout, quiet
        try:
            full = _timed(lambda: build_reports(jobs=JOBS, force=True, output_dir=tmp_path / "full"))
            noop = _timed(lambda: build_reports(jobs=JOBS, output_dir=tmp_path / "full"))
            size = sum(p.stat().st_size for p in (tmp_path / "full").rglob("*.html"))  # before the added scenario's pages
            _noop_make_reports(tmp_path / "full")  # the first may rebuild data/processed once (no stamp yet)
            noop_make = min(_noop_make_reports(tmp_path / "full") for _ in range(3))
            added = _new_scenario(tmp_path, tmp_path / "full", notebooks)
            floor_dir = _floor_notebooks(tmp_path / "floor-notebooks", len(notebooks))
            os.environ[COLD_ENV] = "1"
            cold = _timed(lambda: build_reports(jobs=JOBS, force=True, output_dir=tmp_path / "cold"))
            floor = _timed(lambda: build_reports(jobs=JOBS, force=True, notebooks_dir=floor_dir, output_dir=tmp_path / "floor"))
        finally:
            os.environ.pop(COLD_ENV, None)
            sys.stdout = stdout
        (tmp_path / "naive").mkdir()
        naive = _timed(lambda: _naive(notebooks, scenarios, tmp_path / "naive"))
    print(f"reports: {runs} runs ({len(notebooks)} notebooks × {len(scenarios)} scenarios), --jobs {JOBS}")
    print(f"full build: {full:.2f} s ({full / runs:.2f} s a report)")
    print(f"full build on new kernels (H200_COLD_KERNELS=1): {cold:.2f} s; warm kernels are {cold / full:.1f}x faster")
    print(f"floor (import-only notebook, same runs, new kernels): {floor:.2f} s")
    print(f"naive loop (papermill CLI, then nbconvert CLI, one at a time): {naive:.2f} s")
    print(f"HTML size: {size / 1e6:.2f} MB in all")
    print(f"build/floor ratio: {full / floor:.2f} (target <= 1.5; below 1: warm kernels beat a kernel per run)")
    print(f"speed-up over naive loop: {naive / full:.1f} (target >= 10)")
    print(f"no-op rebuild: {noop:.2f} s (target <= 2)")
    print(f"no-op `make reports` (data, then reports; best of 3): {noop_make:.2f} s (target <= 0.5)")
    runs_now, rebuilt, expected = added
    print(f"one scenario added: {rebuilt} of {runs_now} runs rebuilt (target: {expected}, its own and the comparing notebooks')")


if __name__ == "__main__":
    main()

"""Report build timings: full build, floor, naive loop, no-op rebuild.

- full build: every notebook under every shipped scenario, ``--force``;
- floor: the same number of runs, same ``--jobs``, same execution path, of a
  notebook whose only cell imports what the report notebooks import (pandas,
  altair, analysis): kernel start and imports, the cost no builder avoids;
- naive loop: papermill CLI then nbconvert CLI, one report after another;
- no-op rebuild: the build again with nothing changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from analysis import paths
from analysis.reports import build_reports, discover_notebooks

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
        params = nbformat.v4.new_code_cell('scenario = "../scenarios/central.yaml"\nprocessed_dir = "../data/processed"')
        params.metadata["tags"] = ["parameters"]
        notebook.cells = [params, nbformat.v4.new_code_cell("import pandas, altair, analysis.charts, analysis.figures")]
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
            floor_dir = _floor_notebooks(tmp_path / "floor-notebooks", len(notebooks))
            floor = _timed(lambda: build_reports(jobs=JOBS, force=True, notebooks_dir=floor_dir, output_dir=tmp_path / "floor"))
        finally:
            sys.stdout = stdout
        (tmp_path / "naive").mkdir()
        naive = _timed(lambda: _naive(notebooks, scenarios, tmp_path / "naive"))
        size = sum(p.stat().st_size for p in (tmp_path / "full").rglob("*.html"))
    print(f"reports: {runs} runs ({len(notebooks)} notebooks × {len(scenarios)} scenarios), --jobs {JOBS}")
    print(f"full build: {full:.2f} s ({full / runs:.2f} s a report)")
    print(f"floor (import-only notebook, same runs and path): {floor:.2f} s")
    print(f"naive loop (papermill CLI, then nbconvert CLI, one at a time): {naive:.2f} s")
    print(f"HTML size: {size / 1e6:.2f} MB in all")
    print(f"build/floor ratio: {full / floor:.2f} (target <= 1.5)")
    print(f"speed-up over naive loop: {naive / full:.1f} (target >= 5)")
    print(f"no-op rebuild: {noop:.2f} s (target <= 2)")


if __name__ == "__main__":
    main()

"""Planning the report build: the runs (notebook × scenario), their
fingerprints and stamps, and the checks made before any run
(:mod:`analysis.reports.build` stage 2)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.core import paths
from analysis.core.errors import InputError

if TYPE_CHECKING:
    from analysis.model.scenarios import Scenario

__all__ = [
    "RUN_SECONDS",
    "RUN_SECONDS_KEPT",
    "STARTUP_CODE",
    "TEMPLATES",
    "TEMPLATE_NAME",
    "VERSIONED_PACKAGES",
    "Result",
    "Run",
    "check_scenario_names",
    "data_hash",
    "discover_notebooks",
    "is_current",
    "longest_first",
    "plan",
    "read_run_seconds",
    "record_run_seconds",
    "scenario_folders_read",
    "shared_fingerprint",
]

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "h200_report"
VERSIONED_PACKAGES = ("pandas", "altair", "papermill", "nbconvert", "vl-convert-python", "numpy")
STARTUP_CODE = """\
# Written by analysis.reports.build: warms the report kernels (see its docstring).
import sys
sys.modules.setdefault("rfc3987_syntax", None)
import pandas, altair, analysis.present.charts, analysis.model.figures, analysis.present.display  # noqa: E401,F401
# What analysis.reports.warm_kernels restores before a kept kernel takes its next run.
import os as _h200_os, warnings as _h200_warnings
sys.__dict__.setdefault("_h200_fresh", (dict(_h200_os.environ), list(sys.path), _h200_os.getcwd(), list(_h200_warnings.filters)))
del _h200_os, _h200_warnings
# What is alive now (the modules above; after a kept kernel's reset, what the earlier runs left in
# them) is never garbage: out of the collector's sight, each collection walks only a run's own objects
# (the reset's collection took 0.1 s, walking pandas' and altair's objects).
import gc as _h200_gc; _h200_gc.freeze(); del _h200_gc  # noqa: E702
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
    as_of: str | None = None  # `reports --as-of`: the date every figure is taken at (None: the latest evidence)

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


def shared_fingerprint(processed_dir: Path, show_code: bool, as_of: str | None = None) -> str:
    """Hash of what every run depends on: the library, the data, the versions."""
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]
    _hash_files([p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts], digest, package)
    _hash_files(list(Path(processed_dir).glob("*.csv")), digest, Path(processed_dir))
    digest.update(json.dumps({name: version(name) for name in VERSIONED_PACKAGES}, sort_keys=True).encode())
    digest.update(b"show_code" if show_code else b"no_code")
    digest.update(f"as_of={as_of}".encode() if as_of else b"latest evidence")
    return digest.hexdigest()


def data_hash(processed_dir: Path) -> str:
    """Short hash of ``data/processed`` for the index's build information."""
    digest = hashlib.sha256()
    _hash_files(list(Path(processed_dir).glob("*.csv")), digest, Path(processed_dir))
    return digest.hexdigest()[:12]


def scenario_folders_read(scenarios_dir: Path = paths.SCENARIOS) -> list[Path]:
    """The scenario files a comparing notebook reads besides its own: notebook
    03 compares all of ``scenarios/`` (``figures.delivery_by_scenario`` globs
    ``paths.SCENARIOS``), so its runs depend on every file of that folder (and
    of ``scenarios_dir`` if another). If the figures come to read another
    folder, it belongs here too."""
    folders = {Path(scenarios_dir).resolve(), paths.SCENARIOS.resolve()}
    return sorted({p for folder in folders if folder.is_dir() for p in folder.glob("*.yaml")})


def check_scenario_names(loaded: Mapping[Path, Scenario]) -> None:
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


def _portable_name(path: Path) -> str:
    """A file's name in a fingerprint: relative to the project root (else its
    name alone), so that a copied or moved checkout keeps its fingerprints."""
    root = paths.PROJECT_ROOT.resolve()
    resolved = Path(path).resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.name


def plan(
    notebooks: list[Path],
    scenarios: list[Path],
    output_dir: Path,
    processed_dir: Path,
    show_code: bool,
    scenarios_dir: Path = paths.SCENARIOS,
    as_of: str | None = None,
) -> list[Run]:
    """Every notebook × scenario run with its input fingerprint: the shared
    inputs, the notebook, the run's scenario and, for a notebook that compares
    the scenarios (its parameters cell says ``# Reads: every scenario``), every
    scenario file (:func:`scenario_folders_read`). A new scenario so rebuilds
    its own runs and the comparing notebooks', no other."""
    from analysis.present.parameters import reads_every_scenario

    shared_hex = shared_fingerprint(processed_dir, show_code, as_of)
    every = hashlib.sha256()
    for name, data in sorted((_portable_name(path), path.read_bytes()) for path in scenario_folders_read(scenarios_dir)):
        every.update(name.encode() + b"\0" + data + b"\0")
    comparing = {notebook: reads_every_scenario(notebook) for notebook in notebooks}
    runs = []
    for scenario in scenarios:
        for notebook in notebooks:
            digest = hashlib.sha256(shared_hex.encode())
            digest.update(notebook.read_bytes())
            digest.update(scenario.read_bytes())
            if comparing[notebook]:
                digest.update(every.digest())
            runs.append(Run(notebook, scenario, output_dir, processed_dir, show_code, digest.hexdigest(), as_of))
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


def discover_notebooks(notebooks_dir: Path) -> list[Path]:
    """The report notebooks: ``NN-name.ipynb``, in order."""
    return sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]-*.ipynb"))


#: How long each notebook's runs took in the last build that ran it (seconds, the median over its
#: scenarios; by notebook path), for the order of the next build (:func:`longest_first`).
RUN_SECONDS = paths.BUILD_CACHE / "run-seconds.json"
#: The notebooks :data:`RUN_SECONDS` remembers (the oldest forgotten first: tests build many notebooks of their own).
RUN_SECONDS_KEPT = 100


def longest_first(runs: list[Run], seconds_path: Path = RUN_SECONDS) -> list[Run]:
    """``runs`` in the order the workers should take them: the longest first,
    by the time each notebook's runs took in the last build that ran it (the
    longest-processing-time rule, as ninja orders by its log), so the last
    runs of a build are short ones and no worker waits long for the other at
    the end. A notebook never timed comes first (it may be the longest);
    equal times keep the plan's order. The order changes no page: each run is
    independent, and a kept kernel is reset between runs."""
    known = read_run_seconds(seconds_path)
    return sorted(runs, key=lambda run: -known.get(_seconds_key(run.notebook), float("inf")))


def record_run_seconds(results: list[Result], runs: list[Run], seconds_path: Path = RUN_SECONDS) -> None:
    """Remember how long this build's runs took (:func:`longest_first`); a
    cache, so a file that cannot be written is left as it was."""
    import statistics

    from analysis.core.files import atomic_write_text

    by_run = {(run.notebook.stem, run.scenario.stem): run.notebook for run in runs}
    taken: dict[str, list[float]] = {}
    for result in results:
        notebook = by_run.get((result.notebook, result.scenario))
        if notebook is not None and result.status == "built":
            taken.setdefault(_seconds_key(notebook), []).append(result.seconds)
    if not taken:
        return
    known = read_run_seconds(seconds_path)
    for key, seconds in taken.items():
        known.pop(key, None)
        known[key] = round(statistics.median(seconds), 3)
    kept = dict(list(known.items())[-RUN_SECONDS_KEPT:])
    try:
        seconds_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(seconds_path, json.dumps(kept, indent=1) + "\n")
    except OSError:
        pass


def read_run_seconds(seconds_path: Path = RUN_SECONDS) -> dict[str, float]:
    """:data:`RUN_SECONDS` as written, or nothing when it is missing or not such a file."""
    try:
        known = json.loads(seconds_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(known, dict):
        return {}
    return {str(k): float(v) for k, v in known.items() if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0}


def _seconds_key(notebook: Path) -> str:
    return str(Path(notebook).resolve())

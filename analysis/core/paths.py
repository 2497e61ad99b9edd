"""Where the project's files live. Functions take these as defaults, so tests
can point them at a temporary copy instead.

h200-china is a repository tool: its inputs (``data/raw``), scenarios and
notebooks live in a checkout of the repository, not in the installed package.
:func:`find_project_root` finds that checkout: ``$H200_CHINA_ROOT`` if set,
else the folder above the package when it holds the repository (an editable
install, the usual case), else the nearest folder at or above the working
folder that does (so an installed wheel works when run inside a checkout),
else the working folder itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.core.errors import InputError

__all__ = [
    "BUILD_CACHE",
    "DATA",
    "KERNEL_NAME",
    "NOTEBOOKS",
    "PROCESSED",
    "PROJECT_ROOT",
    "RAW",
    "RAW_ARTICLES",
    "REPORTS",
    "ROOT_ENV",
    "SCENARIOS",
    "find_project_root",
    "is_project_root",
    "parse_flag",
    "resolve_folder",
    "resolve_scenario",
]

ROOT_ENV = "H200_CHINA_ROOT"


def is_project_root(folder: Path) -> bool:
    """Whether ``folder`` holds the repository: ``scenarios/`` and ``data/raw/``."""
    return (folder / "scenarios").is_dir() and (folder / "data" / "raw").is_dir()


def find_project_root(start: Path | None = None) -> Path:
    """The repository checkout this package works on (see the module docstring)."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).expanduser().resolve()
    beside_package = Path(__file__).resolve().parents[2]
    if is_project_root(beside_package):
        return beside_package
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project_root(folder):
            return folder
    return here


PROJECT_ROOT = find_project_root()
DATA = PROJECT_ROOT / "data"
RAW = DATA / "raw"
RAW_ARTICLES = RAW / "articles"
PROCESSED = DATA / "processed"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
SCENARIOS = PROJECT_ROOT / "scenarios"
REPORTS = PROJECT_ROOT / "reports"
#: Caches of the build, never committed: the bundled Vega runtime, how long the last runs took.
BUILD_CACHE = PROJECT_ROOT / "build"
KERNEL_NAME = "h200-china"

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def resolve_scenario(
    value: str | os.PathLike[str],
    *,
    root: Path | None = None,
    scenarios_dir: Path | None = None,
    notebooks_dir: Path | None = None,
    cwd: Path | None = None,
) -> Path:
    """The scenario file meant by ``value``, as papermill users type it.

    Accepts a name (``high``), a file name (``high.yaml``), a path relative
    to the working folder, to the project root (``scenarios/high.yaml``) or to
    ``notebooks/`` (``../scenarios/high.yaml``, as the notebooks' defaults
    are written), or an absolute path; ``.yaml`` may be left out. Candidates
    are tried in that order — the working folder, the project root,
    ``notebooks/``, ``scenarios/`` — and the first existing file wins,
    returned absolute. Raises :class:`InputError` listing every path tried.
    """
    root = Path(root) if root is not None else PROJECT_ROOT
    scenarios_dir = Path(scenarios_dir) if scenarios_dir is not None else root / "scenarios"
    notebooks_dir = Path(notebooks_dir) if notebooks_dir is not None else root / "notebooks"
    cwd = Path(cwd) if cwd is not None else Path.cwd()
    text = os.fspath(value).strip()
    if not text:
        raise InputError("scenario: empty name; give a name such as 'central' or a path to a .yaml file")
    given = Path(text).expanduser()
    variants = [given] if given.suffix in (".yaml", ".yml") else [given, given.with_name(given.name + ".yaml")]
    bases = [None] if given.is_absolute() else [cwd, root, notebooks_dir, scenarios_dir]
    tried: list[Path] = []
    for base in bases:
        for variant in variants:
            candidate = variant if base is None else base / variant
            if candidate in tried:
                continue
            tried.append(candidate)
            if candidate.is_file():
                return candidate.resolve()
    names = sorted(p.stem for p in scenarios_dir.glob("*.yaml")) if scenarios_dir.is_dir() else []
    raise InputError(
        f"scenario {text!r}: no such file; tried {', '.join(str(p) for p in tried)}"
        + (f"; shipped scenarios: {', '.join(names)}" if names else "")
    )


def parse_flag(value: bool | str | int | None) -> bool | None:
    """A yes/no parameter as papermill passes it: ``True``/``False``, the
    strings ``true``/``false``, ``yes``/``no``, ``on``/``off``, ``1``/``0``
    (any case), or the integers 1/0. ``None`` stays ``None`` (the notebooks'
    "keep the scenario's value"). Raises ``ValueError`` for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") == "b":  # numpy.bool_
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueError(f"not a yes/no value: {value!r} (use true or false)")


def resolve_folder(value: str | os.PathLike[str], *, root: Path | None = None, cwd: Path | None = None) -> Path:
    """A data folder as a notebook parameter names it (``../data/processed``
    is written relative to ``notebooks/``): the path itself if it exists from
    the working folder, else relative to ``notebooks/``, else to the project
    root; unchanged if none exists (the reader then names it as missing)."""
    root = Path(root) if root is not None else PROJECT_ROOT
    given = Path(value).expanduser()
    if given.is_absolute():
        return given
    for base in (Path(cwd) if cwd is not None else Path.cwd(), root / "notebooks", root):
        if (base / given).is_dir():
            return (base / given).resolve()
    return given

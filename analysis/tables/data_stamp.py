"""Whether ``python -m analysis data`` has anything to do: a stamp of its inputs
and outputs, so that ``make data`` (and so every ``make reports``) skips the
rebuild when nothing under ``data/raw/`` nor the code that reads it changed.

The fingerprint covers every file under the raw folder, the source of every
module :mod:`analysis.tables.pipeline` imports (directly or not, found by reading the
import lines, without importing anything), the package's data files (the
vocabulary), the Python version, and the bytes of the processed tables the
last build wrote (a table edited or deleted by hand is rebuilt). It is kept
outside the committed tables, in ``build/`` (``make clean`` removes it).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from analysis.core import paths

__all__ = ["PACKAGE", "STAMP_DIR", "inputs_fingerprint", "is_current", "outputs_fingerprint", "reading_modules", "record", "stamp_path"]

PACKAGE = Path(__file__).parents[1]
STAMP_DIR = paths.PROJECT_ROOT / "build"
#: ``from analysis.pkg import a, b``, ``from analysis.pkg.mod import x``, ``import analysis.pkg.mod``
#: (a parenthesised list may span lines). Read as text, not imported: the no-op check stays fast.
_IMPORT = re.compile(r"^[ \t]*(?:from analysis((?:\.\w+)*) import (\([^)]*\)|[^\n]*)|import analysis((?:\.\w+)+))", re.MULTILINE)


def _module_file(dotted: str, package: Path) -> Path | None:
    """The source of ``analysis.<dotted>``: a module, or a package's ``__init__.py``; None if neither."""
    base = package.joinpath(*dotted.split(".")) if dotted else package
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def reading_modules(start: str = "tables.pipeline", package: Path = PACKAGE) -> list[Path]:
    """The source files of ``start`` and of every package module it imports, transitively."""
    seen: dict[str, Path] = {}
    todo = [start]
    while todo:
        dotted = todo.pop()
        path = _module_file(dotted, package)
        if dotted in seen or path is None:
            continue
        seen[dotted] = path
        parts = dotted.split(".")
        todo += [".".join(parts[:depth]) for depth in range(len(parts))]  # the packages it sits in run first
        if not dotted:
            continue  # analysis/__init__.py imports only inside its lazy ``headline``, which the data step never asks for
        for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
            source, listed, plain = match.groups()
            if plain:
                todo.append(plain.lstrip("."))
                continue
            source = (source or "").lstrip(".")
            todo.append(source)  # the module itself, or a package whose __init__ runs first
            names = re.findall(r"\w+", re.sub(r"#[^\n]*", "", listed).replace(" as ", " , "))
            todo += [f"{source}.{name}".lstrip(".") for name in names]  # those that are modules
    return sorted(set(seen.values()))


def _package_data(package: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".csv") and "__pycache__" not in p.parts)


def _files_digest(files: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def inputs_fingerprint(raw_dir: Path) -> str:
    """Hash of what the data build reads: the raw files and the reading code."""
    raw_dir = Path(raw_dir)
    raw = sorted(p for p in raw_dir.rglob("*") if p.is_file()) if raw_dir.is_dir() else []
    digest = hashlib.sha256(sys.version.encode())
    digest.update(_files_digest(raw, raw_dir).encode())
    digest.update(_files_digest(reading_modules() + _package_data(PACKAGE), PACKAGE).encode())
    return digest.hexdigest()


def outputs_fingerprint(processed_dir: Path) -> str:
    """Hash of the processed tables as they are on disk now."""
    processed_dir = Path(processed_dir)
    files = sorted(p for p in processed_dir.iterdir() if p.is_file()) if processed_dir.is_dir() else []
    return _files_digest(files, processed_dir)


def stamp_path(processed_dir: Path, stamp_dir: Path = STAMP_DIR) -> Path:
    """One stamp per processed folder (tests build into their own)."""
    key = hashlib.sha256(str(Path(processed_dir).resolve()).encode()).hexdigest()[:16]
    return stamp_dir / f"data-stamp-{key}.json"


def is_current(raw_dir: Path, processed_dir: Path, stamp_dir: Path = STAMP_DIR) -> bool:
    """Whether the last build of ``processed_dir`` had these inputs and its tables are untouched."""
    try:
        stamp = json.loads(stamp_path(processed_dir, stamp_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(stamp, dict):
        return False
    return stamp.get("inputs") == inputs_fingerprint(raw_dir) and stamp.get("outputs") == outputs_fingerprint(processed_dir)


def record(raw_dir: Path, processed_dir: Path, inputs: str | None = None, stamp_dir: Path = STAMP_DIR) -> None:
    """Write the stamp after a successful build, with ``inputs`` as fingerprinted
    before it (silently not, where ``build/`` cannot be written)."""
    from analysis.core.files import atomic_write_text

    stamp = {"inputs": inputs or inputs_fingerprint(raw_dir), "outputs": outputs_fingerprint(processed_dir)}
    try:
        atomic_write_text(stamp_path(processed_dir, stamp_dir), json.dumps(stamp, sort_keys=True) + "\n")
    except OSError:
        pass  # no stamp: the next `make data` rebuilds, as it always did

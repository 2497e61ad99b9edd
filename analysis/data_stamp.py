"""Whether ``python -m analysis data`` has anything to do: a stamp of its inputs
and outputs, so that ``make data`` (and so every ``make reports``) skips the
rebuild when nothing under ``data/raw/`` nor the code that reads it changed.

The fingerprint covers every file under the raw folder, the source of every
module :mod:`analysis.pipeline` imports (directly or not, found by reading the
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

from analysis import paths

PACKAGE = Path(__file__).parent
STAMP_DIR = paths.PROJECT_ROOT / "build"
#: ``from analysis import a, b``, ``from analysis.a import x``, ``import analysis.a``.
_IMPORT = re.compile(r"^\s*(?:from analysis\.(\w+) import|from analysis import ([\w ,()]+)|import analysis\.(\w+))", re.MULTILINE)


def reading_modules(start: str = "pipeline", package: Path = PACKAGE) -> list[Path]:
    """The source files of ``start`` and of every package module it imports, transitively."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        path = package / f"{name}.py"
        if name in seen or not path.is_file():
            continue
        seen.add(name)
        for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
            dotted, listed, plain = match.groups()
            names = [dotted or plain] if (dotted or plain) else re.findall(r"\w+", listed or "")
            todo += [n for n in names if n != "as" and n not in seen]
    return sorted(package / f"{name}.py" for name in seen)


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
    if not isinstance(stamp, dict) or not outputs_fingerprint(processed_dir):
        return False
    return stamp.get("inputs") == inputs_fingerprint(raw_dir) and stamp.get("outputs") == outputs_fingerprint(processed_dir)


def record(raw_dir: Path, processed_dir: Path, inputs: str | None = None, stamp_dir: Path = STAMP_DIR) -> None:
    """Write the stamp after a successful build, with ``inputs`` as fingerprinted
    before it (silently not, where ``build/`` cannot be written)."""
    from analysis._io import atomic_write_text

    stamp = {"inputs": inputs or inputs_fingerprint(raw_dir), "outputs": outputs_fingerprint(processed_dir)}
    try:
        atomic_write_text(stamp_path(processed_dir, stamp_dir), json.dumps(stamp, sort_keys=True) + "\n")
    except OSError:
        pass  # no stamp: the next `make data` rebuilds, as it always did

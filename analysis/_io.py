"""Deterministic, all-or-nothing file writes shared by the data and report steps."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd


def csv_text(frame: pd.DataFrame) -> str:
    """CSV text with fixed conventions (``\\n`` line ends, no index, UTF-8), so a
    rebuild from the same inputs gives the same bytes."""
    return frame.to_csv(index=False, lineterminator="\n")


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder,
    then rename: a reader never sees half a file, and a failure leaves the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files; outputs are for every reader
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_directory(staging: Path, target: Path) -> None:
    """Swap a fully written ``staging`` folder into place of ``target``.

    The old folder is renamed aside first and removed only once the new one is
    in place, so an interruption leaves either the old or the new tables."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(staging, 0o755)  # mkdtemp makes 0700 folders
    backup = target.with_name(f".{target.name}.old")
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.replace(target, backup)
    os.replace(staging, target)
    if backup.exists():
        shutil.rmtree(backup)


#: dtypes of the processed tables' columns that pandas would otherwise guess.
_PROCESSED_DTYPES = {
    "sentence_id": "int64",
    "line": "int64",
    "n_articles": "int64",
    "n_claims": "int64",
    "n_independent_sources": "int64",
    "year": "Int64",
    "eligible": "boolean",
}


def read_raw_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read a curated raw table as text (empty cells stay ""), or fail naming
    the file: missing, or without one of ``columns``."""
    from analysis.errors import InputError

    if not path.exists():
        raise InputError(f"{path}: file not found")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    return table


def read_processed(name: str, processed_dir: Path) -> pd.DataFrame:
    """Read one table of ``data/processed`` (``name`` without ``.csv``): text
    columns as strings with empty cells as missing, counts as int64."""
    path = Path(processed_dir) / f"{name}.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found; run `make data` first")
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {c: t for c, t in _PROCESSED_DTYPES.items() if c in header}
    if name == "quantities":  # character offsets; rule_facts.csv has dates under the same names
        dtypes |= {"start": "int64", "end": "int64"}
    return pd.read_csv(path, dtype=dtypes)

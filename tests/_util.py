"""Helpers shared by the data tests (not fixtures: tests/conftest.py belongs to the report tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

from analysis import paths


def copy_raw(tmp_path: Path) -> Path:
    """A private copy of data/raw/ that a test may break."""
    target = tmp_path / "raw"
    shutil.copytree(paths.RAW, target)
    for path in target.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return target


def replace_in_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

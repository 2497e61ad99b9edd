"""Plain helpers and constants shared by the tests. Fixtures live in conftest.py;
these stay functions because module-scoped fixtures, parametrize lists and
lambdas use them too, where a function-scoped fixture cannot reach."""

from __future__ import annotations

import shutil
from pathlib import Path

from analysis import paths

SCENARIOS = sorted(paths.SCENARIOS.glob("*.yaml"))
"""Every shipped scenario file."""
SCENARIO_NAMES = [p.stem for p in SCENARIOS]
CENTRAL = paths.SCENARIOS / "central.yaml"


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

"""The article files the tables are built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.core import paths


def test_seeds_are_byte_identical_copies():
    seeds = Path(paths.PROJECT_ROOT).parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} not present")
    for seed in sorted(seeds.glob("*.txt")):
        assert (paths.RAW_ARTICLES / seed.name).read_bytes() == seed.read_bytes()

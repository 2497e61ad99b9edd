"""Where the project's files live. Functions take these as defaults, so tests
can point them at a temporary copy instead."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA = PROJECT_ROOT / "data"
RAW = DATA / "raw"
RAW_ARTICLES = RAW / "articles"
PROCESSED = DATA / "processed"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
SCENARIOS = PROJECT_ROOT / "scenarios"
REPORTS = PROJECT_ROOT / "reports"
KERNEL_NAME = "h200-china"

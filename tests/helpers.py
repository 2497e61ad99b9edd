"""Plain helpers and constants shared by the tests. Fixtures live in conftest.py;
these stay functions because module-scoped fixtures, parametrize lists and
lambdas use them too, where a function-scoped fixture cannot reach."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.metadata.registry import figure_registry
from analysis.model import engine, uncertainty
from analysis.model.supply import Buyers

SCENARIOS = sorted(paths.SCENARIOS.glob("*.yaml"))
"""Every shipped scenario file."""
SCENARIO_NAMES = [p.stem for p in SCENARIOS]
CENTRAL = paths.SCENARIOS / "central.yaml"
#: Test inputs: pages, report notebooks that fail on purpose, later news.
FIXTURES = Path(__file__).parent / "fixtures"


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


#: What a reader should never see: code identifiers (snake_case names such as
#: approved_value_usd or at_least), article file ids (000_986cc8c17a2d2c6e),
#: billions written out in full, fractions with four decimals or more.
NOT_FOR_READERS = {
    "code identifier": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "article id": re.compile(r"\b\d{3}_[0-9a-f]{16}\b"),
    "billions in full": re.compile(r"\b\d{1,3}(?:[,\u202f ]\d{3}){3,}\b"),
    "four-decimal fraction": re.compile(r"(?<![\d.,])0\.\d{4,}\b"),
    "long number": re.compile(r"(?<![\w.,])\d{7,}\b"),
    "raw decimal": re.compile(r"(?<![\d.,])\d{4,}\.\d+\b"),
    "SI money": re.compile(r"\$\d+(?:\.\d+)?[GMk]\b"),
    "project reference": re.compile(r"facts\.md|§\s?\d|\bseeds? \d{3}\b|\bclaims? c\d+|\barticle \d{3}\b"),
    "ISO month": re.compile(r"\b(?:in|month|by|from|to) 20\d\d-\d\d\b"),
    "file-stem title": re.compile(r"\b\d\d-[a-z]+(?:-[a-z]+)+ [—×]"),
}


def reader_problems(text: str) -> list[str]:
    return [f"{name}: {match.group(0)!r}" for name, pattern in NOT_FOR_READERS.items() for match in pattern.finditer(text)]


# --- test oracles: the model computed another way, or its degenerate cases ----------------------


def open_from(first_month: object, horizon: int, draws: int = 1) -> np.ndarray:
    """Both gates open from ``first_month`` on, for good (months × draws): the
    deterministic case, the gates' degenerate limit, for a toy delivery run."""
    months = np.arange(int(horizon))[:, None]
    return np.broadcast_to(months >= np.asarray(first_month, dtype=float).reshape(1, -1), (int(horizon), draws)).copy()


def per_buyer(delivered: np.ndarray, first_approved: np.ndarray, buyers: Buyers, month: int) -> tuple[np.ndarray, np.ndarray]:
    """What one first-batch buyer and one other cleared buyer hold of
    ``delivered`` (equal shares): the first batch's part (``Buyers.first_part``),
    the rest to the other buyers. Each share must be within the per-customer
    ceiling whenever ``delivered`` is within ``Buyers.deliverable``."""
    first_buyers = np.asarray(buyers.first_batch_buyers, dtype=float)
    first_part = buyers.first_part(month, delivered, first_approved)
    others = np.maximum(0.0, np.asarray(buyers.cleared_buyers, dtype=float) - first_buyers)
    with np.errstate(invalid="ignore", divide="ignore"):
        each_first = np.where(first_buyers > 0, first_part / first_buyers, 0.0)
        each_other = np.where(others > 0, (delivered - first_part) / others, 0.0)
    return each_first, each_other


def simulate(
    scenario: Path, draws: int = uncertainty.DRAWS, seed: int = uncertainty.SEED, processed_dir: Path = paths.PROCESSED
) -> pd.DataFrame:
    """One row per draw, one column per headline figure, and ``survives`` (whether
    the draw agrees with every observation): the draws behind the headline ranges."""
    inputs, ctx = uncertainty._prepared(scenario, processed_dir, None, seed)
    run = engine.evaluate(uncertainty.draw_inputs(inputs, draws, seed), ctx)
    return pd.DataFrame({figure: run.figures[figure] for figure in figure_registry().index}).assign(survives=run.alive)


# --- reading a chart's SVG as a screen reader does --------------------------------------------

#: What a chart's accessible label must never carry: numbers as Vega writes them
#: raw (10800000000, 0.590323613213, 11736163232.7), d3's SI money ($12G),
#: or a code identifier.
RAW = {
    "long number": re.compile(r"(?<![\w.,])\d{5,}(?:\.\d+)?\b"),
    "long decimals": re.compile(r"\d\.\d{4,}"),
    "SI money": re.compile(r"\$\d+(?:\.\d+)?[GMk]\b"),
    "code identifier": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
}


def labels_of(svg: str) -> list[str]:
    return re.findall(r'aria-label="([^"]*)"', svg) + re.findall(r"<title>([^<]*)</title>", svg)


def raw_in(texts: list[str]) -> list[str]:
    return [f"{name}: {m.group(0)!r} in {text!r}" for text in texts for name, pattern in RAW.items() for m in pattern.finditer(text)]


def marks(svg: str, kind: str) -> list[str]:
    """The marks of one kind ("bar", "tick", "text mark", "rect") drawn, as their SVG tags."""
    return re.findall(rf'<(?:path|text|line)[^>]*aria-roledescription="{kind}"[^>]*>', svg)

"""``python -m analysis claims review``: list the claim candidates that are
not curated claims, and append the accepted ones to ``claims.csv``."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.errors import InputError


def candidate_id(row: Any) -> str:
    """A short stable name for a candidate (a row, as a Series or a named tuple):
    ``<article number>.<sentence>.<metric>.<entity>.<value>``."""
    article = str(row.article_id).split("_")[0]
    entity = re.sub(r"[^\w/]+", "_", str(row.entity))
    return f"{article}.{int(row.sentence_id)}.{row.metric}.{entity}.{float(row.value):g}"


def review_lines(candidates: pd.DataFrame) -> list[str]:
    """One line per candidate that is not yet a curated claim."""
    lines = []
    for row in candidates[candidates["status"] != "curated"].itertuples(index=False):
        flag = "  CONTRADICTS the curated claims" if row.status == "contradicts" else ""
        lines.append(
            f"{candidate_id(row)}  {row.metric} ({row.entity}) = {row.value:,.0f} {row.unit} [{row.bound}]{flag}\n"
            f"    {row.article_id}, sentence {row.sentence_id}: {row.quote!r}"
        )
    return lines


def accept(ids: list[str], candidates: pd.DataFrame, raw_dir: Path = paths.RAW) -> list[str]:
    """Append the candidates named by ``ids`` to ``claims.csv`` as new claims
    (``cNN``, verbatim quote) and return their claim ids. The file's existing
    bytes are never rewritten: the new lines are appended. Nothing is written
    unless every id is known and not yet curated."""
    from analysis._io import read_csv_text
    from analysis.claims import read_claims

    by_id = {candidate_id(row): row for row in candidates.itertuples(index=False)}
    chosen = []
    for wanted in ids:
        row = by_id.get(wanted)
        if row is None:
            raise InputError(f"claims review: no candidate {wanted!r} (run `python -m analysis claims review` to list them)")
        if row.status == "curated":
            raise InputError(f"claims review: candidate {wanted!r} is already claim {row.matches_claim}")
        chosen.append(row)
    path = raw_dir / "claims.csv"
    existing = read_claims(raw_dir)
    header = list(read_csv_text(path).columns)
    known = set(zip(existing["article_id"], existing["metric"], existing["entity"], existing["quote"]))
    numbers = [int(m.group(1)) for c in existing["claim_id"] if (m := re.fullmatch(r"c(\d+)", c))]
    next_number = max(numbers, default=0) + 1
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    added = []
    for row in chosen:
        if (row.article_id, row.metric, row.entity, row.quote) in known:
            raise InputError(f"{path}: {candidate_id(row)} is already there with the same quote")
        claim_id = f"c{next_number:02d}"
        next_number += 1
        cells = {"claim_id": claim_id, "article_id": row.article_id, "metric": row.metric, "entity": row.entity, "quote": row.quote}
        writer.writerow([cells.get(column, "") for column in header])  # optional columns (cites) left to their default
        added.append(claim_id)
    data = path.read_bytes()
    with open(path, "ab") as handle:
        if data and not data.endswith(b"\n"):
            handle.write(b"\n")
        handle.write(buffer.getvalue().encode("utf-8"))
    return added

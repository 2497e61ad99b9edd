"""``python -m analysis claims review``: list the claim candidates that are
not curated claims, and append the accepted ones to ``claims.csv``."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.metadata.metrics import metrics_table
from analysis.sources.manifest import read_manifest

__all__ = ["CANDIDATE_COLUMNS", "accept", "candidate_id", "read_candidates"]


def candidate_id(row: Any) -> str:
    """A short stable name for a candidate (a row, as a Series or a named tuple):
    ``<article number>.<sentence>.<metric>.<entity>.<value>``."""
    article = str(row.article_id).split("_")[0]
    entity = re.sub(r"[^\w/]+", "_", str(row.entity))
    return f"{article}.{int(row.sentence_id)}.{row.metric}.{entity}.{float(row.value):g}"


CANDIDATE_COLUMNS = ["article_id", "sentence_id", "metric", "entity", "value", "unit", "bound", "quote", "matches_claim", "status"]


def read_candidates(processed_dir: Path = paths.PROCESSED) -> pd.DataFrame:
    """``claim_candidates.csv`` as ``claims review`` uses it, strictly: a
    damaged, truncated or foreign file fails with the file, the row and the
    reason (rebuild it with ``make data``), never a traceback. Cells the
    build neutralised against spreadsheet formulas are read back as written."""
    from analysis.core.files import read_csv_text, restore_formula_cell
    from analysis.core.paths import resolve_folder

    path = resolve_folder(processed_dir) / "claim_candidates.csv"
    if not path.exists():
        raise InputError(f"{path}: not found; run `make data` first")
    table = read_csv_text(path)
    missing = [column for column in CANDIDATE_COLUMNS if column not in table.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}; rebuild it with `make data`")
    table = table[[*CANDIDATE_COLUMNS, *(c for c in table.columns if c not in CANDIDATE_COLUMNS)]].map(restore_formula_cell)
    for position, row in enumerate(table.itertuples(index=False), start=2):
        for column, kind in (("sentence_id", int), ("value", float)):
            try:
                kind(getattr(row, column))
            except ValueError:
                raise InputError(
                    f"{path}, row {position}: {column} {getattr(row, column)!r} is not a number; rebuild it with `make data`"
                ) from None
    return table.assign(
        sentence_id=table["sentence_id"].astype("int64"),
        value=table["value"].astype(float),
        matches_claim=table["matches_claim"].where(table["matches_claim"] != "", None),
    )


def accept(ids: list[str], candidates: pd.DataFrame, raw_dir: Path = paths.RAW) -> list[str]:
    """Append the candidates named by ``ids`` to ``claims.csv`` as new claims
    (``cNN``, verbatim quote) and return their claim ids. An id named twice is
    one claim. Under the lock ``add-article`` takes, the candidates are checked
    against the current manifest (a candidates table older than the manifest
    may name an article that is gone) and the file as it will be is read back
    by the next build's own claim checks before it replaces the old one: the
    existing bytes stay as they are, and nothing is written unless every new
    claim is one the next ``data`` run accepts."""
    from analysis.core.files import locked

    by_id = {candidate_id(row): row for row in candidates.itertuples(index=False)}
    chosen = []
    for wanted in dict.fromkeys(ids):
        row = by_id.get(wanted)
        if row is None:
            raise InputError(f"claims review: no candidate {wanted!r} (run `python -m analysis claims review` to list them)")
        if row.status == "curated":
            raise InputError(f"claims review: candidate {wanted!r} is already claim {row.matches_claim}")
        chosen.append(row)
    with locked(raw_dir):  # concurrent accepts (and add-article runs) take turns: claim ids stay distinct
        return _append_locked(chosen, raw_dir)


def _append_locked(chosen: list[Any], raw_dir: Path) -> list[str]:
    from analysis.core.files import atomic_write_checked, read_csv_text
    from analysis.evidence.claims import read_claims

    path = raw_dir / "claims.csv"
    existing = read_claims(raw_dir)
    manifest = read_manifest(raw_dir)
    header = list(read_csv_text(path).columns)
    known = set(zip(existing["article_id"], existing["metric"], existing["entity"], existing["quote"]))
    numbers = [int(m.group(1)) for c in existing["claim_id"] if (m := re.fullmatch(r"c(\d+)", c))]
    next_number = max(numbers, default=0) + 1
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    added = []
    undated = _undated_as_of(manifest, existing)
    for row in chosen:
        if row.article_id not in set(manifest["article_id"]):
            raise InputError(
                f"{path}: {candidate_id(row)} is from article {row.article_id!r}, which {raw_dir / 'articles.csv'} no longer lists "
                "(the candidates table is older than the manifest: run `make data`)"
            )
        if (row.article_id, row.metric, row.entity, row.quote) in known:
            raise InputError(f"{path}: {candidate_id(row)} is already there with the same quote")
        claim_id = f"c{next_number:02d}"
        next_number += 1
        cells = {"claim_id": claim_id, "article_id": row.article_id, "metric": row.metric, "entity": row.entity, "quote": row.quote}
        if isinstance(getattr(row, "as_of", None), str) and row.as_of:  # the date the text gives the fact, when it gives one
            cells["as_of"] = row.as_of
        elif row.article_id in undated:  # an undated article: the date its curated claims already hold at
            cells["as_of"] = undated[row.article_id]
        writer.writerow([cells.get(column, "") for column in header])  # optional columns (cites) left to their default
        added.append(claim_id)
    data = path.read_bytes().decode("utf-8")
    text = data + ("\n" if data and not data.endswith("\n") else "") + buffer.getvalue()
    atomic_write_checked(path, text, lambda written: _check_claims(written, raw_dir, manifest))
    return added


def _undated_as_of(manifest: pd.DataFrame, existing: pd.DataFrame) -> dict[str, str]:
    """For each article without a publication date, the earliest ``as_of`` its
    curated claims give (the date :func:`analysis.evidence.claims.evidence_date` takes
    as its arrival); an accepted claim from it holds at that date."""
    dated = existing[existing["as_of"].astype(str) != ""]
    earliest = dated.groupby("article_id")["as_of"].min() if not dated.empty else pd.Series(dtype=str)
    undated = manifest.loc[manifest["published"].fillna("").astype(str) == "", "article_id"]
    return {article: str(earliest[article]) for article in undated if article in earliest.index}


def _check_claims(written: Path, raw_dir: Path, manifest: pd.DataFrame) -> None:
    """The checks the next ``data`` run makes of ``claims.csv``, on the file about to replace it."""
    from analysis.evidence import claims
    from analysis.sources import extract

    texts = extract.load_articles(manifest, raw_dir)
    sentences = extract.make_table_sentences(extract.clean_articles(manifest, texts))
    claims.make_table_claims(
        claims.read_claims(raw_dir, written),
        sentences,
        metrics_table(),
        raw_dir / "claims.csv",
        outlets={row.article_id: row.outlet for row in manifest.itertuples(index=False) if row.outlet},
        published=dict(zip(manifest["article_id"], manifest["published"])),
    )

"""``python -m analysis data``: rebuild ``data/processed/`` from ``data/raw/``.

Read top to bottom: load inputs, process, save outputs. Every table is checked
against its schema (declared once, with its columns' descriptions, in
:mod:`analysis.metadata.schemas`) before anything is written; the tables, and a
``tables.yaml`` describing them, are written to a staging folder that replaces
``data/processed/`` only once all of them are complete, so a failure leaves the
previous tables untouched. The same inputs give the same bytes.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.files import csv_text, locked, remove_stale_staging, replace_directory
from analysis.core.formatting import plural
from analysis.core.strict_yaml import load_yaml_strict, parse_yaml_strict
from analysis.evidence import candidates, compute, specs
from analysis.evidence import claims as claims_module
from analysis.metadata import schemas
from analysis.metadata.metrics import metrics_table
from analysis.quantities.reader import Quantity, find_quantities
from analysis.sources import extract
from analysis.sources.manifest import read_manifest

__all__ = ["QUANTITIES_SCHEMA", "check_metadata", "check_replaceable", "make_table_quantities", "run", "save_tables"]

QUANTITIES_SCHEMA = schemas.QUANTITIES


def run(raw_dir: Path = paths.RAW, processed_dir: Path = paths.PROCESSED, *, quiet: bool = False) -> dict[str, pd.DataFrame]:
    """Rebuild every processed table; return them by name."""
    say: Callable[[str], None] = (lambda *_: None) if quiet else (lambda message: print(f"data: {message}", file=sys.stderr))

    # Load inputs.
    manifest = read_manifest(raw_dir)
    if manifest.empty:
        raise InputError(f"{raw_dir / 'articles.csv'}: no article rows (only a header)")
    texts = extract.load_articles(manifest, raw_dir)
    metrics = metrics_table()
    curated_claims = claims_module.read_claims(raw_dir)
    raw_specs = specs.read_specs(raw_dir)
    curated_checks = specs.read_fact_checks(raw_dir)
    rule_facts = compute.read_rule_facts(raw_dir)
    context_figures = compute.read_context_figures(raw_dir)
    say(
        f"read {plural(len(manifest), 'article')}, {plural(len(curated_claims), 'claim')}, {plural(len(raw_specs), 'chip')}, "
        f"{plural(len(rule_facts), 'rule fact')}, {plural(len(context_figures), 'context figure')} from {raw_dir}"
    )

    # Process.
    cleaned = extract.clean_articles(manifest, texts)
    sentences = extract.make_table_sentences(cleaned)
    tables = {
        "articles": extract.make_table_articles(manifest, texts, cleaned, sentences),
        "sentences": sentences,
        "cleaning_log": extract.make_table_cleaning_log(cleaned),
        "quantities": make_table_quantities(sentences),
        "claims": claims_module.make_table_claims(
            curated_claims,
            sentences,
            metrics,
            raw_dir / "claims.csv",
            outlets={row.article_id: row.outlet for row in manifest.itertuples(index=False) if row.outlet},
            published=dict(zip(manifest["article_id"], manifest["published"])),
        ),
    }
    tables["consensus"] = claims_module.make_table_consensus(tables["claims"])
    tables["claim_candidates"] = candidates.make_table_candidates(
        sentences,
        metrics,
        tables["claims"],
        tables["consensus"],
        dict(zip(manifest["article_id"], manifest["language"])),
        dict(zip(manifest["article_id"], manifest["published"])),
    )
    tables["chip_specs"] = specs.make_table_specs(raw_specs)
    tables["rule_facts"] = rule_facts
    tables["fact_checks"] = specs.make_table_fact_checks(
        curated_checks, tables["chip_specs"], sentences, raw_dir / "fact_checks.csv", rule_facts
    )
    tables["rule_eligibility"] = compute.rule_eligibility(
        tables["chip_specs"], *compute.rule_thresholds(rule_facts), foundry_rule_source=compute.foundry_source(rule_facts)
    )
    tables["context_figures"] = compute.make_table_context_figures(context_figures)
    say(", ".join(f"{name} {len(table)}" for name, table in tables.items()))

    save_tables(tables, Path(processed_dir))
    say(f"wrote {plural(len(tables), 'table')} to {processed_dir}")
    return tables


def save_tables(tables: dict[str, pd.DataFrame], processed_dir: Path) -> None:
    """Write every table, and the ``tables.yaml`` describing them, into a
    staging folder, then swap it in place of ``processed_dir``. Only one build
    writes beside ``processed_dir`` at a time; it first clears what an
    interrupted one left."""
    metadata_text = schemas.tables_yaml()
    # Read back as every reader of tables.yaml reads it: strictly (a duplicate key is refused, never silently merged).
    check_metadata(parse_yaml_strict(metadata_text, "tables.yaml"), tables, Path("analysis/metadata/schemas.py"))

    processed_dir.parent.mkdir(parents=True, exist_ok=True)
    with locked(processed_dir.parent):
        remove_stale_staging(processed_dir)
        check_replaceable(processed_dir, {f"{name}.csv" for name in tables} | {"tables.yaml"})
        staging = Path(tempfile.mkdtemp(dir=processed_dir.parent, prefix=f".{processed_dir.name}.staging-"))
        try:
            for name, table in tables.items():
                (staging / f"{name}.csv").write_text(csv_text(table), encoding="utf-8", newline="")
            (staging / "tables.yaml").write_text(metadata_text, encoding="utf-8", newline="")
            replace_directory(staging, processed_dir)
        except BaseException:
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
            raise


def check_metadata(metadata: object, tables: dict[str, pd.DataFrame], path: Path) -> None:
    """Every table and column is described in ``tables.yaml``, and nothing else is."""
    if not isinstance(metadata, dict):
        raise InputError(f"{path}: expected a mapping of table names to their descriptions")
    for name, table in tables.items():
        entry = metadata.get(name) or {}
        columns = entry.get("columns") if isinstance(entry, dict) else None
        if not isinstance(columns, dict):
            raise InputError(f"{path}: table {name!r}: expected a 'columns' mapping of column names to descriptions")
        described = list(columns)
        if described != list(table.columns):
            missing = [c for c in table.columns if c not in described] or ["(order)"]
            raise InputError(
                f"{path}: table {name!r}: columns {described} do not match the table's {list(table.columns)}; "
                f"first difference: {missing[0]}"
            )
    extra = sorted(set(metadata) - set(tables))
    if extra:
        raise InputError(f"{path}: table {extra[0]!r} is described but not built")


def _quantities_of(sentence: Any) -> list[Quantity]:
    """The quantities of one sentence; a parser failure is reported as bad
    input naming the article and the sentence, never as a traceback."""
    try:
        return find_quantities(sentence.text)
    except Exception as err:  # noqa: BLE001 - the parser must not stop the build on one sentence
        raise InputError(
            f"article {sentence.article_id}, sentence {sentence.sentence_id}: the number reader failed "
            f"({type(err).__name__}: {err}) on {sentence.text[:80]!r}"
        ) from None


def make_table_quantities(sentences: pd.DataFrame) -> pd.DataFrame:
    """Every quantity the parser finds in the story sentences, with its offsets
    inside the sentence text (``text[start:end]`` is the quantity's text)."""
    rows = [
        {
            "article_id": sentence.article_id,
            "sentence_id": sentence.sentence_id,
            "start": quantity.start,
            "end": quantity.end,
            "text": quantity.text,
            "value": quantity.value,
            "unit": quantity.unit,
            "bound": quantity.bound,
            "vague": quantity.vague,
        }
        for sentence in sentences.itertuples(index=False)
        for quantity in _quantities_of(sentence)
    ]
    return schemas.build(QUANTITIES_SCHEMA, rows)


def check_replaceable(target: Path, expected: set[str]) -> None:
    """Refuse to replace ``target`` unless it is missing, empty, or holds only
    regular files named in ``expected`` (what the build itself writes): a
    mistyped ``--out`` must never delete someone's folder."""
    if target.is_symlink():
        raise InputError(f"{target}: is a symbolic link; refusing to replace it")
    if not target.exists():
        return
    if not target.is_dir():
        raise InputError(f"{target}: exists and is not a folder; refusing to replace it")
    expected = set(expected) | _tables_described_in(target / "tables.yaml")  # tables an older build wrote
    for entry in sorted(target.iterdir()):
        if entry.name not in expected or entry.is_symlink() or not entry.is_file():
            raise InputError(
                f"{target}: holds {entry.name!r}, which this build does not write; refusing to replace a folder "
                "it did not make (choose an empty or new --out folder)"
            )


def _tables_described_in(metadata: Path) -> set[str]:
    """``NAME.csv`` for each table an earlier build described in its ``tables.yaml``."""
    if not metadata.is_file() or metadata.is_symlink():
        return set()
    try:
        described = load_yaml_strict(metadata)
    except InputError:
        return set()
    return {f"{name}.csv" for name in described if isinstance(name, str) and "/" not in name} if isinstance(described, dict) else set()

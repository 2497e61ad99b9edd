"""The processed tables, each declared once: column order, dtype, checks and
description. Everything else is derived from these declarations: the pandera
validation, the dtype casts of the builders (:func:`cast`), the dtypes
:func:`analysis.metadata.processed.read_processed` reads with (:func:`read_dtypes`), and the
``tables.yaml`` written beside the tables (:func:`tables_yaml`).

A new column is added here, in its table, with its description; the builder
only has to fill it.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.core.errors import InputError
from analysis.core.strict_yaml import parse_yaml_strict
from analysis.lang.vocabulary import LANGUAGES

__all__ = [
    "ARTICLES",
    "BOUNDS",
    "CHIP_SPECS",
    "CLAIMS",
    "CLAIM_CANDIDATES",
    "CLEANING_LOG",
    "CONSENSUS",
    "CONTEXT_FIGURES",
    "FACT_CHECKS",
    "GATE_STATUSES",
    "QUANTITIES",
    "RULE_ELIGIBILITY",
    "RULE_FACTS",
    "SENTENCES",
    "STATUSES",
    "TABLES",
    "UNITS",
    "VERDICTS",
    "build",
    "cast",
    "read_dtypes",
    "tables_yaml",
]

#: The units and bounds a quantity can have (the number reader produces them, the tables check them).
UNITS: tuple[str, ...] = ("chips", "modules", "USD", "CNY", "EUR", "percent", "times", "nm", "companies")
BOUNDS: tuple[str, ...] = ("exact", "at_least", "at_most", "approx")

#: Statuses of a claim candidate.
STATUSES: tuple[str, ...] = ("curated", "new", "contradicts")
#: The gate metrics and the statuses a claim of each can state, from shut to open: a claim of one
#: of these metrics carries one of its statuses (and no number); no other metric takes a status.
GATE_STATUSES: dict[str, tuple[str, ...]] = {
    "us_licence_status": ("none", "limited", "issued"),
    "beijing_import_status": ("blocked", "paused", "allowed"),
}
#: Verdicts of a fact check.
VERDICTS: tuple[str, ...] = ("false", "partly true", "true")

_DATE = r"^\d{4}-\d{2}-\d{2}$"
_TEXT = pa.Column(str).dtype  # how pandera names the text dtype


def _col(dtype: object, description: str, *checks: pa.Check, nullable: bool = False, unique: bool = False) -> pa.Column:
    """One column: its dtype, the checks on its values and what it holds."""
    return pa.Column(dtype, list(checks) or None, nullable=nullable, unique=unique, description=description)


def _table(
    description: str, columns: dict[str, pa.Column], checks: list[pa.Check] | None = None, *, unique: list[str] | None = None
) -> pa.DataFrameSchema:
    """One table: its columns in order (no other column allowed), the checks
    across them and the columns that identify a row."""
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=True, unique=unique, description=description)


ARTICLES = _table(
    "One row per article in the manifest, with what the text itself says and sizes.",
    {
        "article_id": _col(str, "Seed file stem, or NNN_<sha256 prefix> for an added article.", unique=True),
        "file": _col(str, "File name inside data/raw/articles/."),
        "outlet": _col(str, "Publication, from the text; empty when the text does not say.", nullable=True),
        "url": _col(str, "Address of the article or of the dispatch it reproduces; empty when unknown.", nullable=True),
        "published": _col(
            str,
            "Publication date (YYYY-MM-DD) from the manifest; empty when the text gives none.",
            pa.Check.str_matches(_DATE),
            nullable=True,
        ),
        "header_date": _col(
            str, "Date from a 'date YYYY-MM-DD' header line in the raw text, if any.", pa.Check.str_matches(_DATE), nullable=True
        ),
        "language": _col(str, f"{' or '.join(LANGUAGES)}.", pa.Check.isin(list(LANGUAGES))),
        "raw_chars": _col("int64", "Characters in the raw file.", pa.Check.gt(0)),
        "story_chars": _col("int64", "Characters kept as the story after cleaning.", pa.Check.ge(0)),
        "removed_lines": _col("int64", "Lines removed by cleaning (see cleaning_log).", pa.Check.ge(0)),
        "sentences": _col("int64", "Sentences in the story.", pa.Check.ge(0)),
        "sha256": _col(str, "SHA-256 of the raw text.", pa.Check.str_length(64, 64)),
        "note": _col(str, "Curator's note from the manifest.", nullable=True),
    },
)

SENTENCES = _table(
    "The cleaned story of each article, one sentence a row.",
    {
        "article_id": _col(str, "Article."),
        "sentence_id": _col("int64", "Position of the sentence in its article, from 1.", pa.Check.ge(1)),
        "text": _col(str, "Sentence text, normalised (one kind of space, straight apostrophes).", pa.Check.str_length(min_value=1)),
    },
    unique=["article_id", "sentence_id"],
)

CLEANING_LOG = _table(
    "Every line cleaning removed, and the rule that removed it.",
    {
        "article_id": _col(str, "Article."),
        "line": _col("int64", "Line number in the raw text, from 1.", pa.Check.ge(1)),
        "reason": _col(
            str,
            "Rule (navigation, dateline, byline, counter, widget, share, wire_note, promo, label, caption, comment_prompt, link, "
            "masthead, repeated, related, cookie, sources_list, comment_form); the patterns are in analysis/lang/*.yaml.",
        ),
        "text": _col(str, "The removed line."),
    },
    unique=["article_id", "line"],
)

QUANTITIES = _table(
    "Every quantity the parser finds in the story sentences (not in removed text).",
    {
        "article_id": _col(str, "Article."),
        "sentence_id": _col("int64", "Sentence.", pa.Check.ge(1)),
        "start": _col("int64", "Offset of the quantity in the sentence text.", pa.Check.ge(0)),
        "end": _col("int64", "End offset (exclusive).", pa.Check.ge(1)),
        "text": _col(str, "The quantity as written, bound and unit words included.", pa.Check.str_length(min_value=1)),
        "value": _col(float, "Value, scale applied (2 millions = 2000000)."),
        "unit": _col(
            str,
            "chips, modules (8-GPU modules or servers, not chips), USD, CNY, EUR, percent, times, nm; empty for a bare count.",
            pa.Check.isin(list(UNITS)),
            nullable=True,
        ),
        "bound": _col(str, "exact, at_least, at_most or approx.", pa.Check.isin(list(BOUNDS))),
        "vague": _col(
            bool,
            'True for an amount that is not a precise count ("several hundred thousand", "des milliards de"); value is the least it '
            "can mean, and it never feeds a figure or a claim candidate.",
        ),
    },
    [pa.Check(lambda df: df["start"] < df["end"], error="start must be before end")],
)

CLAIMS = _table(
    "Curated claims, each a verbatim quote located in the story, with the value parsed from it.",
    {
        "claim_id": _col(str, "Claim.", unique=True),
        "article_id": _col(str, "Article the quote comes from."),
        "metric": _col(str, "Metric (analysis/metadata/metrics.yaml)."),
        "entity": _col(str, "What the metric is about (total, Nvidia, Alibaba, ...)."),
        "quote": _col(str, "The verbatim quote.", pa.Check.str_length(min_value=1)),
        "sentence_id": _col("int64", "Sentence holding the quote.", pa.Check.ge(1)),
        "value": _col(float, "Value parsed from the quote; empty for metrics without a number.", pa.Check.ge(0), nullable=True),
        "unit": _col(str, "Unit parsed from the quote, or the metric's for a bare count.", pa.Check.isin(list(UNITS)), nullable=True),
        "bound": _col(str, "Bound parsed from the quote.", pa.Check.isin(list(BOUNDS)), nullable=True),
        "cites": _col(
            str,
            "Primary source the claim relies on (curated in claims.csv: 'Reuters' for an article restating the Reuters dispatch); "
            "when the article cites nobody, its own outlet, or its article id if the outlet is unknown.",
            pa.Check.str_length(min_value=1),
        ),
        "as_of": _col(
            str,
            "Date the claim holds at (YYYY-MM-DD): curated in claims.csv when the article says 'as of' an earlier date or is "
            "undated, else the article's publication date; never after it.",
            pa.Check.str_matches(_DATE),
        ),
        "status": _col(
            str,
            "Status a gate metric's claim states (us_licence_status: none, limited, issued; beijing_import_status: blocked, "
            "paused, allowed); empty for every other metric.",
            pa.Check.isin(sorted({status for statuses in GATE_STATUSES.values() for status in statuses})),
            nullable=True,
        ),
    },
)

CONSENSUS = _table(
    "One row per metric, entity and date (as_of) - how many articles state it at that date, the range, the bounds and "
    "whether they disagree; claims of different dates are never pooled.",
    {
        "metric": _col(str, "Metric."),
        "entity": _col(str, "Entity."),
        "as_of": _col(
            str,
            "Date the claims hold at (YYYY-MM-DD); empty only for a table built from undated claims outside the pipeline.",
            pa.Check.str_matches(_DATE),
            nullable=True,
        ),
        "unit": _col(str, "Unit of the values.", nullable=True),
        "n_articles": _col("int64", "Articles stating it.", pa.Check.ge(1)),
        "n_claims": _col("int64", "Claims stating it.", pa.Check.ge(1)),
        "n_independent_sources": _col(
            "int64", "Distinct primary sources behind those claims (claims' cites); articles restating one wire count once.", pa.Check.ge(1)
        ),
        "min": _col(float, "Smallest value stated; empty without a number.", nullable=True),
        "max": _col(float, "Largest value stated.", nullable=True),
        "bounds": _col(str, "Bounds seen, ';'-joined.", nullable=True),
        "statuses": _col(str, "Statuses seen (gate metrics), ';'-joined.", nullable=True),
        "disagree": _col(bool, "True when values or statuses differ, or a lower bound meets an upper bound."),
        "disagreement": _col(
            str,
            "How they disagree, with claim ids; says when one side rests on a single source in one article against sources several "
            "articles carry.",
            nullable=True,
        ),
        "claim_ids": _col(str, "Claims behind the row, ';'-joined."),
    },
    [
        pa.Check(lambda df: (df["min"] <= df["max"]) | df["min"].isna(), error="min > max"),
        pa.Check(lambda df: df["n_independent_sources"] <= df["n_claims"], error="more sources than claims"),
    ],
    unique=["metric", "entity", "as_of"],
)

CLAIM_CANDIDATES = _table(
    "Claims proposed from every story sentence whose clause names a metric by the cue words of analysis/lang/*.yaml "
    "(python -m analysis claims review lists them; --accept ID appends one to data/raw/claims.csv).",
    {
        "article_id": _col(str, "Article."),
        "sentence_id": _col("int64", "Sentence holding the quote.", pa.Check.ge(1)),
        "metric": _col(str, "Metric (analysis/metadata/metrics.yaml) named by the clause's cue words."),
        "entity": _col(
            str,
            "What the metric is about - the company named for requested units, else the metric's usual entity "
            "(total, Nvidia, US government, ...).",
        ),
        "value": _col(
            float,
            "Value of the quantity (chips for a module count only where the text says how many chips a module holds).",
            pa.Check.ge(0),
        ),
        "unit": _col(str, "Unit of the value, one of the metric's units.", pa.Check.isin(list(UNITS))),
        "bound": _col(str, "Bound of the quantity (exact, at_least, at_most, approx).", pa.Check.isin(list(BOUNDS))),
        "quote": _col(
            str, "Verbatim clause holding the quantity; read back alone it gives the same value.", pa.Check.str_length(min_value=1)
        ),
        "matches_claim": _col(
            str, "The curated claim that states the same metric, entity and value in the same sentence; empty if none.", nullable=True
        ),
        "status": _col(
            str,
            "curated (restates a curated claim), contradicts (outside the range the curated claims give), or new.",
            pa.Check.isin(list(STATUSES)),
        ),
        "as_of": _col(
            str,
            "Date the text gives the fact (ISO): the date after 'as of' / 'au', or the publication date after 'so far' / "
            "'à ce jour'; empty if the text dates nothing.",
            pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"),
            nullable=True,
        ),
    },
)

CHIP_SPECS = _table(
    "Chip specifications (dense figures) with their sources, and compute equivalents.",
    {
        "chip": _col(str, "Chip.", unique=True),
        "vendor": _col(str, "Maker."),
        "vendor_country": _col(
            str, "Maker's country (two-letter code); the US rule's thresholds cover US chips.", pa.Check.str_matches(r"^[A-Z]{2}$")
        ),
        "bf16_tflops": _col(float, "Dense BF16 TFLOPS (FP16 for the MI325X).", pa.Check.gt(0), nullable=True),
        "fp8_tflops": _col(float, "Dense FP8 TFLOPS.", pa.Check.gt(0), nullable=True),
        "memory_gb": _col(float, "Memory, GB.", pa.Check.gt(0), nullable=True),
        "memory_bandwidth_tbps": _col(float, "Memory bandwidth, TB/s.", pa.Check.gt(0), nullable=True),
        "memory_bandwidth_gbs": _col(
            float, "Memory (DRAM) bandwidth in GB/s, the US rule's unit (TB/s x 1000).", pa.Check.gt(0), nullable=True
        ),
        "memory_type": _col(str, "HBM generation.", nullable=True),
        "hbm_stacks": _col(float, "HBM stacks on the package.", pa.Check.gt(0), nullable=True),
        "tdp_w": _col(float, "Thermal design power, W.", pa.Check.gt(0), nullable=True),
        "process": _col(str, "Manufacturing process.", nullable=True),
        "tpp": _col(float, "Total processing performance (US export rule ECCN 3A090).", pa.Check.gt(0), nullable=True),
        "us_available_2026_01_15": _col(
            "boolean",
            "Commercially available in the US on 15 Jan 2026, a condition of the January 2026 rule; empty for chips it does not cover.",
            nullable=True,
        ),
        "us_available_source": _col(
            str, "The publication saying whether the chip was on sale in the US on 15 Jan 2026; empty when the flag is.", nullable=True
        ),
        "h100e_tpp": _col(
            float, "H100-equivalents of one chip by TPP (TPP over the H100 SXM's), the rule's own metric.", pa.Check.gt(0), nullable=True
        ),
        "h100_equiv_bf16": _col(float, "BF16 TFLOPS over the H100's.", nullable=True),
        "h20_equiv_bf16": _col(float, "BF16 TFLOPS over the H20's.", nullable=True),
        "note": _col(str, "Curator's note.", nullable=True),
        "source": _col(str, "Where the figures come from.", pa.Check.str_length(min_value=1)),
    },
)

FACT_CHECKS = _table(
    "Statements in the articles checked against sourced rows (spec table, rule facts), with the verdict and evidence computed by "
    "the check's rule.",
    {
        "check_id": _col(str, "Check.", unique=True),
        "article_id": _col(str, "Article."),
        "sentence_id": _col("int64", "Sentence holding the quote.", pa.Check.ge(1)),
        "topic": _col(
            str,
            "What is checked (h20_vendor, h200_china_only, six_times_compute, second_most_powerful, tsmc_ramp, immediate_access).",
        ),
        "rule": _col(
            str,
            "Kind of check computing the verdict: made_by, cut_down, ratio, rank, starts_by, happened_by (see analysis/evidence/specs.py).",
        ),
        "quote": _col(str, "The verbatim statement."),
        "verdict": _col(str, "false, partly true or true.", pa.Check.isin(list(VERDICTS))),
        "evidence": _col(str, "What the sourced rows show."),
        "spec_rows": _col(str, "Chips used, ';'-joined; empty when none.", nullable=True),
        "fact_rows": _col(str, "Rule facts used (rule_facts fact_id), ';'-joined; empty when none.", nullable=True),
        "source": _col(str, "Sources of those rows, ' | '-joined.", pa.Check.str_length(min_value=1)),
    },
)

RULE_FACTS = _table(
    "Dated facts about the US and Chinese rules and the delivery timeline (facts.md section 3), each with its source.",
    {
        "fact_id": _col(str, "Fact.", unique=True),
        "description": _col(str, "What the fact says.", pa.Check.str_length(min_value=1)),
        "value": _col(float, "Its number, if it has one (a ceiling, a count); empty otherwise.", nullable=True),
        "unit": _col(str, "Unit of the value.", nullable=True),
        "period": _col(str, "When, as written in rule_facts.csv (YYYY, YYYY-H1, YYYY-Q2, YYYY-MM or YYYY-MM-DD)."),
        "start": _col(str, "First day of the period.", pa.Check.str_matches(_DATE)),
        "end": _col(str, "Last day of the period.", pa.Check.str_matches(_DATE)),
        "source": _col(str, "Where the fact comes from.", pa.Check.str_length(min_value=1)),
    },
)

RULE_ELIGIBILITY = _table(
    "Every chip of the spec table against the January 2026 US rule: commercially available in the US on 15 Jan 2026, the "
    "case-by-case ceilings (TPP below 21,000 and DRAM bandwidth below 6,500 GB/s, from rule_facts) and the foundry-capacity condition.",
    {
        "chip": _col(str, "Chip.", unique=True),
        "vendor": _col(str, "Maker."),
        "vendor_country": _col(str, "Maker's country."),
        "tpp": _col(float, "Total processing performance.", nullable=True),
        "memory_bandwidth_gbs": _col(float, "DRAM bandwidth, GB/s.", nullable=True),
        "us_available_2026_01_15": _col(
            "boolean",
            "Commercially available in the US on 15 Jan 2026 (the rule's first condition); empty for non-US chips.",
            nullable=True,
        ),
        "us_available_source": _col(
            str,
            "The publication saying whether the chip was on sale in the US on 15 Jan 2026; empty for non-US chips and unsourced ones.",
            nullable=True,
        ),
        "eligible": _col(
            "boolean",
            "True when the chip was commercially available in the US on 15 Jan 2026 and both figures are below the ceilings; False "
            "when any of them fails; empty for non-US chips (subject to other rules) and for chips whose availability or a figure is "
            "missing and could still pass.",
            nullable=True,
        ),
        "reason": _col(str, "Why, with the conditions and the figures against the ceilings.", pa.Check.str_length(min_value=1)),
        "foundry_condition": _col(
            str,
            "The rule's condition that production for China not divert foundry capacity from US customers: the exporter's "
            "attestation, recorded with the rule text's source, not computed; empty for non-US chips.",
            nullable=True,
        ),
        "tpp_headroom": _col(float, "TPP ceiling minus the chip's TPP (negative when above).", nullable=True),
        "bandwidth_headroom_gbs": _col(float, "Bandwidth ceiling minus the chip's bandwidth, GB/s (negative when above).", nullable=True),
    },
)

CONTEXT_FIGURES = _table(
    "Context figures for the compute balance (facts.md section 4), each with its source.",
    {
        "figure": _col(str, "Figure.", unique=True),
        "value": _col(float, "Value (shares as fractions, money in USD).", pa.Check(np.isfinite, element_wise=True)),
        "bound": _col(str, "exact, at_least, at_most or approx, as the source states it.", pa.Check.isin(list(BOUNDS))),
        "unit": _col(str, "Unit.", pa.Check.str_length(min_value=1)),
        "year": _col("Int64", "Year the figure is about; empty when not dated.", pa.Check.in_range(1990, 2100), nullable=True),
        "source": _col(str, "Where the figure comes from.", pa.Check.str_length(min_value=1)),
        "note": _col(str, "What the figure is.", nullable=True),
    },
)

#: Every processed table by name, in the order ``tables.yaml`` describes them.
TABLES: dict[str, pa.DataFrameSchema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "cleaning_log": CLEANING_LOG,
    "quantities": QUANTITIES,
    "claims": CLAIMS,
    "consensus": CONSENSUS,
    "claim_candidates": CLAIM_CANDIDATES,
    "chip_specs": CHIP_SPECS,
    "fact_checks": FACT_CHECKS,
    "rule_facts": RULE_FACTS,
    "rule_eligibility": RULE_ELIGIBILITY,
    "context_figures": CONTEXT_FIGURES,
}


def _storage_dtype(column: pa.Column) -> str:
    """The pandas dtype a column is held in: text as ``object`` (missing cells
    stay None), the declared dtype otherwise."""
    return "object" if column.dtype == _TEXT else str(column.dtype)


def cast(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s columns in the schema's order, each cast to its declared dtype."""
    columns = list(schema.columns)
    return frame[columns].astype({name: _storage_dtype(column) for name, column in schema.columns.items()})


def build(schema: pa.DataFrameSchema, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A validated table from row dicts (possibly none), cast to the schema's dtypes."""
    frame = cast(schema, pd.DataFrame(rows, columns=list(schema.columns)))
    if frame.empty:  # pandera takes an empty object column for untyped, not text: check it as text, hold it as object
        schema.validate(frame.astype({name: "str" for name, column in schema.columns.items() if _storage_dtype(column) == "object"}))
        return frame
    return schema.validate(frame)


def read_dtypes(name: str) -> dict[str, str]:
    """The dtypes to read table ``name``'s CSV with: every non-text column
    (pandas guesses text columns, and leaves an all-empty one as missing)."""
    return {column: dtype for column, dtype in ((c, _storage_dtype(spec)) for c, spec in TABLES[name].columns.items()) if dtype != "object"}


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain where the strict loader (every reader of
    ``tables.yaml``) reads it back unchanged, else double-quoted."""
    try:
        if parse_yaml_strict(f"key: {text}", "a description") == {"key": text}:
            return text
    except InputError:
        pass
    return json.dumps(text, ensure_ascii=False)


def tables_yaml() -> str:
    """The ``tables.yaml`` written beside the tables: each table's description
    and its columns' descriptions, in order."""
    lines = [
        "# What each table in data/processed/ holds, column by column. Written by",
        "# `make data` from the table declarations in analysis/metadata/schemas.py.",
    ]
    for name, schema in TABLES.items():
        lines += [f"{name}:", f"  description: {_scalar(schema.description)}", "  columns:"]
        lines += [f"    {column}: {_scalar(spec.description)}" for column, spec in schema.columns.items()]
    return "\n".join(lines) + "\n"

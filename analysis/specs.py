"""Chip specifications with sources, compute equivalents, and fact checks.

``data/raw/chip_specs.csv`` is copied from ``shared/reference/facts.md``
(Epoch AI's Machine Learning Hardware dataset and the vendors' datasheets,
dense figures): one row per chip, one column per metric with its unit in the
name, and a ``source`` on every row.

``data/raw/fact_checks.csv`` lists statements in the articles (verbatim
quotes) on a topic that the spec table can settle; :data:`FACT_CHECK_RULES`
computes, for each topic, the verdict and the evidence from the spec rows,
so the evidence changes if the specs do.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import paths
from analysis._io import read_raw_csv
from analysis.errors import InputError, where
from analysis.sources import locate_quote

NUMERIC_COLUMNS = ["bf16_tflops", "fp8_tflops", "memory_gb", "memory_bandwidth_tbps", "tdp_w", "tpp"]
TEXT_COLUMNS = ["chip", "vendor", "memory_type", "process", "note", "source"]
SPEC_COLUMNS = ["chip", "vendor", *NUMERIC_COLUMNS[:4], "memory_type", "tdp_w", "process", "tpp", "note", "source"]
REFERENCE_CHIPS = {"h100": "H100 SXM", "h20": "H20", "h200": "H200 SXM"}

SPECS_SCHEMA = pa.DataFrameSchema(
    {
        "chip": pa.Column(str, unique=True),
        "vendor": pa.Column(str),
        "bf16_tflops": pa.Column(float, pa.Check.gt(0), nullable=True),
        "fp8_tflops": pa.Column(float, pa.Check.gt(0), nullable=True),
        "memory_gb": pa.Column(float, pa.Check.gt(0), nullable=True),
        "memory_bandwidth_tbps": pa.Column(float, pa.Check.gt(0), nullable=True),
        "memory_type": pa.Column(str, nullable=True),
        "tdp_w": pa.Column(float, pa.Check.gt(0), nullable=True),
        "process": pa.Column(str, nullable=True),
        "tpp": pa.Column(float, pa.Check.gt(0), nullable=True),
        "h100_equiv_bf16": pa.Column(float, nullable=True),
        "h20_equiv_bf16": pa.Column(float, nullable=True),
        "note": pa.Column(str, nullable=True),
        "source": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    ordered=True,
)

FACT_CHECKS_SCHEMA = pa.DataFrameSchema(
    {
        "check_id": pa.Column(str, unique=True),
        "article_id": pa.Column(str),
        "sentence_id": pa.Column("int64", pa.Check.ge(1)),
        "topic": pa.Column(str),
        "quote": pa.Column(str),
        "verdict": pa.Column(str, pa.Check.isin(["false", "partly true", "true"])),
        "evidence": pa.Column(str),
        "spec_rows": pa.Column(str),
        "source": pa.Column(str),
    },
    strict=True,
    ordered=True,
)


def read_specs(raw_dir: Path = paths.RAW) -> pd.DataFrame:
    """Read ``chip_specs.csv``; every row needs a chip, a vendor and a source,
    and the metric columns must be numbers (empty where not published)."""
    path = raw_dir / "chip_specs.csv"
    raw = read_raw_csv(path, SPEC_COLUMNS)
    seen: set[str] = set()
    for position, row in enumerate(raw.itertuples(index=False), start=2):
        at = where(path, position, row.chip or None)
        if not row.chip or not row.vendor:
            raise InputError(f"{at}: chip and vendor are required")
        if row.chip in seen:
            raise InputError(f"{at}: duplicate chip {row.chip!r}")
        seen.add(row.chip)
        if not row.source.strip():
            raise InputError(f"{at}: no source for chip {row.chip!r}")
        for column in NUMERIC_COLUMNS:
            text = getattr(row, column)
            try:
                if text and not (math.isfinite(float(text)) and float(text) > 0):
                    raise ValueError
            except ValueError:
                raise InputError(f"{at}: {column} {text!r} is not a positive number (finite, more than 0)") from None
    numbers = {c: pd.to_numeric(raw[c].replace("", None), errors="raise").astype("float64") for c in NUMERIC_COLUMNS}
    texts = {c: raw[c].replace("", None).astype("object") for c in TEXT_COLUMNS if c not in ("chip", "vendor", "source")}
    return raw.assign(**numbers, **texts)[SPEC_COLUMNS]


def make_table_specs(specs: pd.DataFrame) -> pd.DataFrame:
    """Add H100- and H20-equivalents (BF16 dense TFLOPS over the reference
    chip's), so that a fleet can be stated in the units analysts compare."""
    by_chip = specs.set_index("chip")
    for chip in (REFERENCE_CHIPS["h100"], REFERENCE_CHIPS["h20"]):
        if chip not in by_chip.index:
            raise InputError(f"chip_specs.csv: reference chip {chip!r} is missing")
    table = specs.assign(
        h100_equiv_bf16=specs["bf16_tflops"] / by_chip.at[REFERENCE_CHIPS["h100"], "bf16_tflops"],
        h20_equiv_bf16=specs["bf16_tflops"] / by_chip.at[REFERENCE_CHIPS["h20"], "bf16_tflops"],
    )[list(SPECS_SCHEMA.columns)]
    return SPECS_SCHEMA.validate(table)


def ratio(specs: pd.DataFrame, numerator: str, denominator: str, column: str) -> float:
    """``column`` of one chip over another's, e.g. H200 over H20 in BF16."""
    by_chip = specs.set_index("chip")
    return float(by_chip.at[numerator, column] / by_chip.at[denominator, column])


# --- fact checks ------------------------------------------------------------

Verdict = tuple[str, str, list[str]]  # (verdict, evidence, spec rows used)


def _check_h20_vendor(specs: pd.DataFrame) -> Verdict:
    row = specs.set_index("chip").loc[REFERENCE_CHIPS["h20"]]
    return (
        "false" if row["vendor"] != "Huawei" else "true",
        f"The H20 is made by {row['vendor']} ({row['note'] or 'vendor column'}), not by Huawei nor any Chinese firm; "
        f"Huawei's parts are the Ascend 910B/910C.",
        [REFERENCE_CHIPS["h20"]],
    )


def _check_h200_china_only(specs: pd.DataFrame) -> Verdict:
    by_chip = specs.set_index("chip")
    h200, h100, h20 = (by_chip.loc[REFERENCE_CHIPS[k]] for k in ("h200", "h100", "h20"))
    same_as_h100 = h200["tpp"] == h100["tpp"]
    return (
        "false" if same_as_h100 else "partly true",
        f"The H200 has the H100's compute (TPP {h200['tpp']:,.0f} vs {h100['tpp']:,.0f}; BF16 {h200['bf16_tflops']:g} vs "
        f"{h100['bf16_tflops']:g} TFLOPS) and more memory ({h200['memory_gb']:g} vs {h100['memory_gb']:g} GB): a standard "
        f"Hopper product, not a part cut down for China. The H20 is (TPP {h20['tpp']:,.0f}).",
        [REFERENCE_CHIPS["h200"], REFERENCE_CHIPS["h100"], REFERENCE_CHIPS["h20"]],
    )


def _check_six_times(specs: pd.DataFrame) -> Verdict:
    h200, h20 = REFERENCE_CHIPS["h200"], REFERENCE_CHIPS["h20"]
    compute = ratio(specs, h200, h20, "bf16_tflops")
    tpp = ratio(specs, h200, h20, "tpp")
    bandwidth = ratio(specs, h200, h20, "memory_bandwidth_tbps")
    memory = ratio(specs, h200, h20, "memory_gb")
    return (
        "partly true",
        f"H200/H20 is {compute:.1f}x in BF16 and {tpp:.1f}x in TPP, so 'about six times' holds for compute; but only "
        f"{bandwidth:.1f}x in memory bandwidth and {memory:.2f}x in memory, which bound inference.",
        [h200, h20],
    )


#: topic → rule computing (verdict, evidence, spec rows) from the spec table.
FACT_CHECK_RULES: dict[str, Callable[[pd.DataFrame], Verdict]] = {
    "h20_vendor": _check_h20_vendor,
    "h200_china_only": _check_h200_china_only,
    "six_times_compute": _check_six_times,
}


def make_table_fact_checks(
    checks: pd.DataFrame,
    specs: pd.DataFrame,
    sentences: pd.DataFrame,
    checks_path: Path = paths.RAW / "fact_checks.csv",
) -> pd.DataFrame:
    """Statements in the articles that the sourced specs contradict, each with
    its quote (checked verbatim in the cleaned text), the verdict, the evidence
    computed from the spec rows, and those rows' sources."""
    by_chip = specs.set_index("chip")
    rows = []
    for position, check in enumerate(checks.itertuples(index=False), start=2):
        at = where(checks_path, position, check.check_id)
        if check.topic not in FACT_CHECK_RULES:
            raise InputError(f"{at}: unknown topic {check.topic!r} (one of {', '.join(FACT_CHECK_RULES)})")
        article = sentences[sentences["article_id"] == check.article_id].sort_values("sentence_id")
        found = locate_quote(check.quote, article["text"].tolist())
        if found is None:
            raise InputError(f"{at}: quote not found verbatim in the cleaned text of {check.article_id!r}: {check.quote!r}")
        verdict, evidence, spec_rows = FACT_CHECK_RULES[check.topic](specs)
        rows.append({
            "check_id": check.check_id,
            "article_id": check.article_id,
            "sentence_id": int(article["sentence_id"].iloc[found]),
            "topic": check.topic,
            "quote": check.quote,
            "verdict": verdict,
            "evidence": evidence,
            "spec_rows": ";".join(spec_rows),
            "source": " | ".join(dict.fromkeys(by_chip.at[chip, "source"] for chip in spec_rows)),
        })
    table = pd.DataFrame(rows, columns=list(FACT_CHECKS_SCHEMA.columns)).astype({"sentence_id": "int64"})
    return FACT_CHECKS_SCHEMA.validate(table)


def read_fact_checks(raw_dir: Path = paths.RAW) -> pd.DataFrame:
    """The curated statements to check: ``check_id, article_id, topic, quote``."""
    return read_raw_csv(raw_dir / "fact_checks.csv", ["check_id", "article_id", "topic", "quote"])

"""Chip specifications with sources, compute equivalents, and fact checks.

``data/raw/chip_specs.csv`` is copied from ``shared/reference/facts.md``
(Epoch AI's Machine Learning Hardware dataset and the vendors' datasheets,
dense figures): one row per chip, one column per metric with its unit in the
name, and a ``source`` on every row.

``data/raw/fact_checks.csv`` lists statements in the articles (verbatim
quotes) that sourced rows can settle, each with a ``rule`` (a kind of check),
a ``subject`` and a ``reference``; :data:`FACT_CHECK_RULES` computes, for each
rule kind, the verdict and the evidence from the spec rows and the dated
facts of ``data/raw/rule_facts.csv``, so the evidence changes if they do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.core.errors import InputError, where
from analysis.core.files import read_raw_csv
from analysis.evidence import compute
from analysis.metadata import chips, schemas
from analysis.quantities.reader import parse_quantity
from analysis.sources.sentences import sentence_of_quote

__all__ = [
    "APPROX_TOLERANCE",
    "COMPUTE_METRICS",
    "FACT_CHECKS_SCHEMA",
    "FACT_CHECK_COLUMNS",
    "FACT_CHECK_RULES",
    "MEMORY_METRICS",
    "NUMERIC_COLUMNS",
    "SPECS_SCHEMA",
    "SPEC_COLUMNS",
    "TEXT_COLUMNS",
    "TPP_TOLERANCE",
    "US_AVAILABLE",
    "US_AVAILABLE_SOURCE",
    "Check",
    "Evidence",
    "Verdict",
    "make_table_fact_checks",
    "make_table_specs",
    "ratio",
    "read_fact_checks",
    "read_specs",
]

NUMERIC_COLUMNS = ["bf16_tflops", "fp8_tflops", "memory_gb", "memory_bandwidth_tbps", "tdp_w", "tpp", "hbm_stacks"]
#: Whether the chip was on sale in the US on the day the January 2026 rule took
#: effect (``yes``/``no``; empty when the rule does not cover the chip or no
#: source settles it), and the publication that says so, per chip.
US_AVAILABLE = "us_available_2026_01_15"
US_AVAILABLE_SOURCE = "us_available_source"
TEXT_COLUMNS = ["chip", "vendor", "vendor_country", "memory_type", "process", US_AVAILABLE_SOURCE, "note", "source"]
#: How far a row's TPP may sit from its dense rates: the Huawei and Cambricon
#: rows derive BF16 as TPP/16 rounded to a whole TFLOPS (MLU590: 4,493 / 16 =
#: 280.8, written 280, 0.3% off); a wrong figure is further off (910C: 800 x 16
#: is 6% above its sourced 12,032).
TPP_TOLERANCE = 0.005
SPEC_COLUMNS = [
    "chip",
    "vendor",
    "vendor_country",
    *NUMERIC_COLUMNS[:4],
    "memory_type",
    "hbm_stacks",
    "tdp_w",
    "process",
    "tpp",
    US_AVAILABLE,
    US_AVAILABLE_SOURCE,
    "note",
    "source",
]
_FLAGS = {"yes": True, "no": False, "": None}

SPECS_SCHEMA = schemas.CHIP_SPECS

FACT_CHECKS_SCHEMA = schemas.FACT_CHECKS


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
        if not re.fullmatch(r"[A-Z]{2}", row.vendor_country):
            raise InputError(f"{at}: vendor_country {row.vendor_country!r} is not a two-letter country code")
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
        _check_availability(at, getattr(row, US_AVAILABLE), getattr(row, US_AVAILABLE_SOURCE))
        _check_tpp(at, row.tpp, row.bf16_tflops, row.fp8_tflops)
    chips.check_in_specs(seen, str(path))
    numbers = {c: pd.to_numeric(raw[c].replace("", None), errors="raise").astype("float64") for c in NUMERIC_COLUMNS}
    texts = {c: raw[c].replace("", None).astype("object") for c in TEXT_COLUMNS if c not in ("chip", "vendor", "vendor_country", "source")}
    available = raw[US_AVAILABLE].map(_FLAGS).astype("boolean")
    return raw.assign(**numbers, **texts, **{US_AVAILABLE: available})[SPEC_COLUMNS]


def _check_availability(at: str, flag: str, source: str) -> None:
    """A ``yes``/``no`` needs the publication that settles it; a source without
    a flag says something the table does not record."""
    if flag not in _FLAGS:
        raise InputError(f"{at}: {US_AVAILABLE} {flag!r} is not yes, no or empty")
    if flag and not source.strip():
        raise InputError(f"{at}: {US_AVAILABLE} {flag!r} has no {US_AVAILABLE_SOURCE} (the publication that says so)")
    if source.strip() and not flag:
        raise InputError(f"{at}: {US_AVAILABLE_SOURCE} given but {US_AVAILABLE} is empty (write yes or no)")


def _check_tpp(at: str, tpp: str, bf16: str, fp8: str) -> None:
    """TPP = 2 x dense MacTOPS x bit length (ECCN 3A090), the highest over the
    formats, so dense TFLOPS x 16 (BF16) or x 8 (FP8) must give the row's TPP
    within :data:`TPP_TOLERANCE`: a row whose rates and TPP disagree carries a
    wrong figure, and which one only its sources can say."""
    rates = [(float(v), bits, name) for v, bits, name in ((bf16, 16, "BF16"), (fp8, 8, "FP8")) if v]
    if not tpp or not rates:
        return
    value, bits, name = max(rates, key=lambda r: r[0] * r[1])
    implied = value * bits
    if abs(implied - float(tpp)) > TPP_TOLERANCE * float(tpp):
        raise InputError(
            f"{at}: TPP {float(tpp):,.0f} disagrees with the dense rates: {name} {value:g} TFLOPS x {bits} = {implied:,.0f} "
            f"(TPP = 2 x MacTOPS x bit length, ECCN 3A090); correct the figure its source does not support"
        )


def make_table_specs(specs: pd.DataFrame) -> pd.DataFrame:
    """Add the memory bandwidth in GB/s (the unit of the US rule), the
    H100-equivalents by TPP (the rule's metric, see :mod:`analysis.evidence.compute`),
    and the older H100- and H20-equivalents by BF16 dense TFLOPS, so that a
    fleet can be stated in the units analysts compare."""
    by_chip = specs.set_index("chip")
    for chip in (chips.REFERENCE, chips.PREVIOUS):
        if chip not in by_chip.index:
            raise InputError(f"chip_specs.csv: reference chip {chip!r} is missing")
    table = specs.assign(
        memory_bandwidth_gbs=(specs["memory_bandwidth_tbps"] * 1000).round(6),
        h100e_tpp=compute.tpp_per_h100(specs),
        h100_equiv_bf16=specs["bf16_tflops"] / by_chip.at[chips.REFERENCE, "bf16_tflops"],
        h20_equiv_bf16=specs["bf16_tflops"] / by_chip.at[chips.PREVIOUS, "bf16_tflops"],
    )
    return SPECS_SCHEMA.validate(schemas.cast(SPECS_SCHEMA, table))


def ratio(specs: pd.DataFrame, numerator: str, denominator: str, column: str) -> float:
    """``column`` of one chip over another's, e.g. H200 over H20 in BF16."""
    by_chip = specs.set_index("chip")
    return float(by_chip.at[numerator, column] / by_chip.at[denominator, column])


# --- fact checks ------------------------------------------------------------

FACT_CHECK_COLUMNS = ["check_id", "article_id", "topic", "quote", "rule", "subject", "reference"]

#: An "about N" figure holds when the measured value is within this fraction of N.
APPROX_TOLERANCE = 0.15
#: Spec columns a "N times the compute" ratio is measured in, and the memory
#: columns reported beside it (they bound inference).
COMPUTE_METRICS = {"bf16_tflops": "BF16", "tpp": "TPP"}
MEMORY_METRICS = {"memory_bandwidth_tbps": "memory bandwidth", "memory_gb": "memory"}
#: Decimals shown for each ratio in the evidence.
_DECIMALS = {"memory": 2}


@dataclass(frozen=True)
class Check:
    """One curated statement given to its rule: the quote, what it is about
    (``subject``: a chip or a rule fact) and what it is compared with
    (``reference``: a chip, a vendor or country, a rank, a period or a fact)."""

    quote: str
    subject: str
    reference: str


@dataclass(frozen=True)
class Evidence:
    """The sourced rows a rule may use: the spec table and the rule facts."""

    specs: pd.DataFrame
    facts: pd.DataFrame

    def chip(self, name: str) -> pd.Series:
        by_chip = self.specs.set_index("chip")
        if name not in by_chip.index:
            raise KeyError(f"chip {name!r} is not in chip_specs.csv")
        return by_chip.loc[name]

    def fact(self, fact_id: str) -> pd.Series:
        by_id = self.facts.set_index("fact_id")
        if fact_id not in by_id.index:
            raise KeyError(f"fact {fact_id!r} is not in rule_facts.csv")
        return by_id.loc[fact_id]


@dataclass(frozen=True)
class Verdict:
    """What a rule finds: the verdict, the evidence in words, and the spec
    rows (chips) and rule facts (fact ids) it used, whose sources are cited."""

    verdict: str
    evidence: str
    spec_rows: list[str]
    fact_rows: list[str]


def _made_by(check: Check, ev: Evidence) -> Verdict:
    """``subject`` chip is said to be made by ``reference`` (a vendor, or a
    two-letter country for "a Chinese chip"): true when the spec row's vendor
    or vendor country is that."""
    row = ev.chip(check.subject)
    claimed = check.reference
    is_country = bool(re.fullmatch(r"[A-Z]{2}", claimed))
    holds = claimed == (row["vendor_country"] if is_country else row["vendor"])
    others = ev.specs.loc[ev.specs["vendor_country" if is_country else "vendor"] == claimed, "chip"].tolist()
    whose = f"chips of {claimed} vendors" if is_country else f"{claimed}'s chips"
    theirs = f"{whose} in the spec table: {', '.join(others) or 'none'}"
    note = f" ({row['note']})" if isinstance(row["note"], str) else ""
    if holds:
        return Verdict("true", f"The {check.subject} is made by {row['vendor']} ({row['vendor_country']}){note}.", [check.subject], [])
    return Verdict(
        "false",
        f"The {check.subject} is made by {row['vendor']}, a {row['vendor_country']} firm{note}, not by "
        f"{'a ' + claimed + ' firm' if is_country else claimed}; {theirs}.",
        [check.subject, *others],
        [],
    )


def _cut_down(check: Check, ev: Evidence) -> Verdict:
    """``subject`` chip is said to be a cut-down part: compared with its full
    counterpart ``reference`` by TPP (the rule's metric) and memory. False when
    it has at least the counterpart's TPP; the vendor's chips below that TPP
    are named as the real cut-down parts."""
    chip, full = ev.chip(check.subject), ev.chip(check.reference)
    below = ev.specs[(ev.specs["vendor"] == chip["vendor"]) & (ev.specs["tpp"] < full["tpp"])]
    cut = "; ".join(f"{r.chip} (TPP {r.tpp:,.0f})" for r in below.itertuples()) or "none"
    same_or_more = chip["tpp"] >= full["tpp"]
    return Verdict(
        "false" if same_or_more else "true",
        f"The {check.subject} has {'the' if chip['tpp'] == full['tpp'] else 'not the'} {check.reference}'s compute "
        f"(TPP {chip['tpp']:,.0f} vs {full['tpp']:,.0f}; BF16 {chip['bf16_tflops']:g} vs {full['bf16_tflops']:g} TFLOPS) and "
        f"{'more' if chip['memory_gb'] > full['memory_gb'] else 'no more'} memory ({chip['memory_gb']:g} vs {full['memory_gb']:g} GB)"
        + (": a standard product, not a part cut down for China." if same_or_more else ".")
        + f" {chip['vendor']}'s parts below the {check.reference}'s TPP in the spec table: {cut}.",
        [check.subject, check.reference, *below["chip"]],
        [],
    )


def _ratio(check: Check, ev: Evidence) -> Verdict:
    """ "N times" ``subject`` over ``reference``: N and its bound are parsed
    from the quote. Measured in BF16 and TPP. An upper bound ("jusqu'à six")
    is false when exceeded, a lower bound ("plus de") when not reached, an
    "about" figure holds within :data:`APPROX_TOLERANCE` (an exact one within
    half of it); a figure that holds for compute but not for memory bandwidth
    and memory, which bound inference, is only partly true."""
    quantity = parse_quantity(check.quote)
    if quantity is None or quantity.unit != "times":
        raise ValueError(f"no 'N times' figure in the quote {check.quote!r}")
    claimed, bound = quantity.value, quantity.bound
    measured = {label: ratio(ev.specs, check.subject, check.reference, col) for col, label in COMPUTE_METRICS.items()}
    memory = {label: ratio(ev.specs, check.subject, check.reference, col) for col, label in MEMORY_METRICS.items()}
    tolerance = APPROX_TOLERANCE if bound == "approx" else APPROX_TOLERANCE / 2

    def holds(value: float) -> bool:
        if bound == "at_most":
            return value <= claimed
        if bound == "at_least":
            return value >= claimed
        return abs(value / claimed - 1) <= tolerance

    said = f"{check.subject.split()[0]}/{check.reference} is " + " and ".join(f"{v:.1f}x in {k}" for k, v in measured.items())
    memory_said = " and ".join(f"{v:.{_DECIMALS.get(k, 1)}f}x in {k}" for k, v in memory.items())
    sources = [check.subject, check.reference]
    if not all(holds(v) for v in measured.values()):
        kind = {"at_most": "an upper bound", "at_least": "a lower bound"}.get(bound, "the figure")
        fails = {"at_most": "is exceeded", "at_least": "is not reached"}.get(bound, f"is off by more than {tolerance:.0%}")
        return Verdict("false", f"{said}: '{quantity.text}' ({kind}, {claimed:g}x) {fails}. Memory: {memory_said}.", sources, [])
    if bound in ("approx", "exact") and not all(holds(v) for v in memory.values()):
        return Verdict(
            "partly true",
            f"{said}, so '{quantity.text}' holds for compute; but only {memory_said}, which bound inference.",
            sources,
            [],
        )
    return Verdict("true", f"{said}: '{quantity.text}' holds. Memory: {memory_said}.", sources, [])


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _rank(check: Check, ev: Evidence) -> Verdict:
    """``subject`` is said to be its vendor's N-th most powerful chip
    (``reference`` = N): by TPP, the chips of the same vendor in the spec table
    strictly above it are counted; true when there are exactly N - 1. A part
    not on sale in the US on 15 Jan 2026 (a China-only part such as a B30A,
    in development) is not in the vendor's line-up the claim ranks."""
    claimed = int(check.reference)
    chip = ev.chip(check.subject)
    on_sale = ev.specs[US_AVAILABLE].fillna(True).astype(bool) if US_AVAILABLE in ev.specs else True
    same = ev.specs[(ev.specs["vendor"] == chip["vendor"]) & on_sale]
    above = same[same["tpp"] > chip["tpp"]].sort_values(["tpp", "chip"], ascending=[False, True])
    tied = same[(same["tpp"] == chip["tpp"]) & (same["chip"] != check.subject)]
    best = len(above) + 1
    listed = ", ".join(f"{r.chip} {r.tpp:,.0f}" for r in above.itertuples()) or "none"
    tie = f" (tied with {', '.join(tied['chip'])})" if len(tied) else ""
    return Verdict(
        "true" if best == claimed else "false",
        f"By TPP (the US rule's metric), {len(above)} {chip['vendor']} chip{'s' if len(above) != 1 else ''} in the spec table "
        f"{'are' if len(above) != 1 else 'is'} above the {check.subject} (TPP {chip['tpp']:,.0f}): {listed}. "
        f"It ranks {_ordinal(best)}{tie} among {chip['vendor']}'s chips here, "
        + ("as said." if best == claimed else f"not {_ordinal(claimed)}."),
        [check.subject, *above["chip"], *tied["chip"]],
        [],
    )


def _starts_by(check: Check, ev: Evidence) -> Verdict:
    """The event of fact ``subject`` (a dated start) is said to happen in the
    period ``reference``: true when the sourced start falls in it; partly true
    when it starts earlier (what started may still grow in the period said);
    false when it starts only after."""
    fact = ev.fact(check.subject)
    start, _ = compute.parse_period(fact["period"])
    first, last = compute.parse_period(check.reference)
    sourced, said = compute.describe_period(fact["period"]), compute.describe_period(check.reference)
    base = f"{fact['description']}: {sourced} ({fact['source']}); the article says {said}."
    if first <= start <= last:
        return Verdict("true", base, [], [check.subject])
    if start < first:
        return Verdict(
            "partly true", base + f" It starts earlier than the article dates it; the output can still rise in {said}.", [], [check.subject]
        )
    return Verdict("false", base + f" It starts only after {said}.", [], [check.subject])


def _happened_by(check: Check, ev: Evidence) -> Verdict:
    """The article says the event counted by fact ``subject`` happens at once
    after ``reference`` (a fact id, or a period): false when the sourced count
    is still zero at a later date; true when it is positive by the end of the
    reference period; partly true when positive only later."""
    fact = ev.fact(check.subject)
    if check.reference in set(ev.facts["fact_id"]):
        ref = ev.fact(check.reference)
        ref_period, ref_label, fact_rows = ref["period"], ref["description"], [check.subject, check.reference]
    else:
        ref_period, ref_label, fact_rows = check.reference, check.reference, [check.subject]
    ref_first, ref_last = compute.parse_period(ref_period)
    as_of, _ = compute.parse_period(fact["period"])
    days = (as_of - ref_first).days
    base = (
        f"{fact['description']}: {fact['value']:,.0f} as of {compute.describe_period(fact['period'])} ({fact['source']}), "
        f"{days} days after {ref_label} ({compute.describe_period(ref_period)})."
    )
    if fact["value"] == 0 and as_of >= ref_first:
        return Verdict("false", base + " Not immediate.", [], fact_rows)
    if fact["value"] > 0 and as_of <= ref_last:
        return Verdict("true", base, [], fact_rows)
    return Verdict("partly true", base + " It happened, but later than said.", [], fact_rows)


#: rule kind → function computing the verdict and evidence from sourced rows.
FACT_CHECK_RULES: dict[str, Callable[[Check, Evidence], Verdict]] = {
    "made_by": _made_by,
    "cut_down": _cut_down,
    "ratio": _ratio,
    "rank": _rank,
    "starts_by": _starts_by,
    "happened_by": _happened_by,
}


def make_table_fact_checks(
    checks: pd.DataFrame,
    specs: pd.DataFrame,
    sentences: pd.DataFrame,
    checks_path: Path = paths.RAW / "fact_checks.csv",
    rule_facts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Statements in the articles checked against sourced rows, each with its
    quote (checked verbatim in the cleaned text), the verdict and evidence that
    its rule computes from the spec rows and rule facts, the rows used and
    their sources."""
    facts = rule_facts if rule_facts is not None else pd.DataFrame(columns=["fact_id", "description", "period", "source"])
    evidence = Evidence(specs, facts)
    by_chip = specs.set_index("chip")
    by_fact = facts.set_index("fact_id")
    rows = []
    for position, check in enumerate(checks.itertuples(index=False), start=2):
        at = where(checks_path, position, check.check_id)
        if check.rule not in FACT_CHECK_RULES:
            raise InputError(f"{at}: unknown rule {check.rule!r} (one of {', '.join(FACT_CHECK_RULES)})")
        article = sentences[sentences["article_id"] == check.article_id].sort_values("sentence_id")
        sentence_id = sentence_of_quote(check.quote, article, check.article_id, at)
        try:
            result = FACT_CHECK_RULES[check.rule](Check(check.quote, check.subject, check.reference), evidence)
        except (KeyError, ValueError) as err:
            raise InputError(f"{at}: rule {check.rule!r} cannot be applied: {str(err).strip(chr(34))}") from None
        spec_rows = list(dict.fromkeys(result.spec_rows))
        sources = [by_chip.at[chip, "source"] for chip in spec_rows] + [by_fact.at[f, "source"] for f in result.fact_rows]
        rows.append(
            {
                "check_id": check.check_id,
                "article_id": check.article_id,
                "sentence_id": sentence_id,
                "topic": check.topic,
                "rule": check.rule,
                "quote": check.quote,
                "verdict": result.verdict,
                "evidence": result.evidence,
                "spec_rows": ";".join(spec_rows) or None,
                "fact_rows": ";".join(result.fact_rows) or None,
                "source": " | ".join(dict.fromkeys(sources)),
            }
        )
    return schemas.build(FACT_CHECKS_SCHEMA, rows)


def read_fact_checks(raw_dir: Path = paths.RAW) -> pd.DataFrame:
    """The curated statements to check: ``check_id, article_id, topic, quote,
    rule, subject, reference``."""
    return read_raw_csv(raw_dir / "fact_checks.csv", FACT_CHECK_COLUMNS)

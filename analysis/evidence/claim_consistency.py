"""Claim candidates against the curated claims, read with their bounds, and
in words for ``claims review``.

**Readings.** A figure reads as the values its wording allows: "more than
200,000" (``at_least``) is 200,000 and anything above, "up to 400,000"
(``at_most``) 400,000 and anything below, an exact or "about" figure its value.
The curated claims of a metric and entity allow the span from the lowest to the
highest of their readings; a candidate **agrees** when its own reading meets
that span ("has sought 250,000" agrees with "more than 200,000") and
**contradicts** it otherwise.

**One candidate per figure per article.** A headline and the body sentence
that repeats it give the same figure (article, metric, entity, value) twice;
accepting both would count it twice. A figure already curated in the article
is not proposed again; otherwise the fullest sentence (the longest quote,
the earlier sentence on a tie) stands for it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.metadata.labels import labels

__all__ = [
    "TOLERANCE",
    "agrees",
    "consistency_words",
    "curated_spans",
    "figure_words",
    "one_per_figure",
    "pending",
    "reading",
    "resolve_ids",
    "review_entries",
    "span_words",
    "status",
    "value_words",
]

#: Relative slack when comparing a reading with the span (values parsed from text, as floats).
TOLERANCE = 1e-9


def reading(value: float, bound: str | None) -> tuple[float, float]:
    """The values a figure's wording allows, as (low, high)."""
    if bound == "at_least":
        return value, math.inf
    if bound == "at_most":
        return -math.inf, value
    return value, value


def curated_spans(claims: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    """For each (metric, entity), the span of what its curated claims allow."""
    spans: dict[tuple[str, str], tuple[float, float]] = {}
    for claim in claims.itertuples(index=False):
        if pd.isna(claim.value):
            continue
        bound = claim.bound if isinstance(claim.bound, str) else None
        low, high = reading(float(claim.value), bound)
        key = (claim.metric, claim.entity)
        known_low, known_high = spans.get(key, (low, high))
        spans[key] = (min(low, known_low), max(high, known_high))
    return spans


def agrees(value: float, bound: str | None, span: tuple[float, float]) -> bool:
    """Whether a figure's reading meets the curated span."""
    low, high = reading(value, bound)
    span_low, span_high = span
    return low <= span_high + abs(span_high) * TOLERANCE and high >= span_low - abs(span_low) * TOLERANCE


def status(row: Any, claim_id: str | None, spans: Mapping[tuple[str, str], tuple[float, float]]) -> str:
    """``curated`` (it restates ``claim_id``), ``contradicts`` or ``new``."""
    if claim_id:
        return "curated"
    span = spans.get((row.metric, row.entity))
    bound = row.bound if isinstance(row.bound, str) else None
    return "contradicts" if span is not None and not agrees(float(row.value), bound, span) else "new"


def one_per_figure(table: pd.DataFrame) -> pd.DataFrame:
    """Keep one candidate per figure per article (see the module docstring):
    the curated rows of a figure if it has any, else its fullest sentence."""
    if table.empty:
        return table
    figure = ["article_id", "metric", "entity", "value"]
    ranked = table.assign(_curated=(table["status"] == "curated"), _length=table["quote"].str.len(), _order=range(len(table))).sort_values(
        ["_curated", "_length", "sentence_id"], ascending=[False, False, True], kind="stable"
    )
    keep = []
    for _, group in ranked.groupby(figure, sort=False, dropna=False):
        curated = group[group["_curated"]]
        keep.append(curated if len(curated) else group.head(1))
    kept = pd.concat(keep).sort_values("_order", kind="stable")
    return kept.drop(columns=["_curated", "_length", "_order"])


# --- in words ------------------------------------------------------------------


def value_words(value: float, unit: str | None, bound: str | None) -> str:
    """'more than 2.5 million chips', 'US$25,000', 'about 700,000 chips'."""
    from analysis.core.formatting import format_value

    try:
        amount = format_value(value, unit if isinstance(unit, str) and unit else None, style="short")
    except ValueError:  # a unit the formatter does not know ("companies"): the count and the unit
        amount = f"{value:,.0f} {unit}"
    words = labels()["words"]["bound"]
    if bound in (None, "exact") or bound not in words:
        return amount
    return f"{words[bound].split(' (')[0]} {amount}"  # 'at least ("plus de")': the English words only


def span_words(span: tuple[float, float], unit: str | None) -> str:
    """The curated span in words: '700,000 chips', 'at least 200,000 chips', '1 to 2 million chips'."""
    low, high = span
    if low == high:
        return value_words(low, unit, None)
    if math.isinf(high) and math.isinf(low):
        return "any value (their bounds point both ways)"
    if math.isinf(high):
        return value_words(low, unit, "at_least")
    if math.isinf(low):
        return value_words(high, unit, "at_most")
    return f"{value_words(low, unit, None)} to {value_words(high, unit, None)}"


def figure_words(metric: str, entity: str, descriptions: Mapping[str, str]) -> str:
    """A metric and entity as a reader names them ('H200 units in Nvidia's stock')."""
    described = descriptions.get(metric, metric.replace("_", " "))
    entity_word = labels()["words"].get("entity", {}).get(entity, entity)
    return described if entity_word.lower() in described.lower() else f"{described} ({entity_word})"


def consistency_words(
    row: Any, spans: Mapping[tuple[str, str], tuple[float, float]], curated_outlets: Mapping[tuple[str, str], str]
) -> str:
    """Why a candidate agrees or contradicts, in words and outlets."""
    span = spans.get((row.metric, row.entity))
    if span is None:
        return "no curated claim gives this figure yet"
    said = span_words(span, row.unit)
    outlets = curated_outlets.get((row.metric, row.entity), "")
    by = f" ({outlets})" if outlets else ""
    if row.status == "contradicts":
        return f"CONTRADICTS the curated claims, which allow {said}{by}"
    return f"agrees with the curated claims, which allow {said}{by}"


def pending(candidates: pd.DataFrame) -> pd.DataFrame:
    """The candidates ``claims review`` lists, in order: those not yet curated."""
    return candidates[candidates["status"] != "curated"]


def resolve_ids(wanted: list[str], candidates: pd.DataFrame) -> list[str]:
    """``--accept`` takes the numbers ``claims review`` prints (1, 2, …) or a
    candidate's full id; numbers become full ids (an unknown one stays as it
    is, for :func:`analysis.evidence.claims_review.accept` to refuse by name)."""
    from analysis.evidence.claims_review import candidate_id

    listed = [candidate_id(row) for row in pending(candidates).itertuples(index=False)]
    return [listed[int(item) - 1] if item.isdigit() and 1 <= int(item) <= len(listed) else item for item in wanted]


def review_entries(
    candidates: pd.DataFrame, claims: pd.DataFrame, article_names: Mapping[str, str], descriptions: Mapping[str, str]
) -> list[str]:
    """``claims review``'s listing: per pending candidate, its number, the
    figure and its value in words, the article (outlet and date) and quote,
    and whether it agrees with the curated claims (named by the outlets they cite)."""
    spans = curated_spans(claims)
    cites = claims["cites"] if "cites" in claims else pd.Series("", index=claims.index)
    said_by = [c if isinstance(c, str) and c else article_names.get(a, a).split(", ")[0] for a, c in zip(claims["article_id"], cites)]
    curated_outlets = {
        key: ", ".join(sorted(set(group["said_by"])))
        for key, group in claims.assign(said_by=said_by)[claims["value"].notna()].groupby(["metric", "entity"])
    }
    entries = []
    for number, row in enumerate(pending(candidates).itertuples(index=False), start=1):
        bound = row.bound if isinstance(row.bound, str) else None
        entries.append(
            f"{number:>2}. {figure_words(row.metric, row.entity, descriptions)}: {value_words(float(row.value), row.unit, bound)}\n"
            f"    {article_names.get(row.article_id, row.article_id)}, sentence {int(row.sentence_id)}: “{row.quote}”\n"
            f"    {consistency_words(row, spans, curated_outlets)}"
        )
    return entries

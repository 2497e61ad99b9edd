"""Curated claims: verbatim quotes → checked, parsed values → consensus per metric.

``data/raw/claims.csv`` is curated by hand: ``claim_id, article_id, metric,
entity, quote``. No value is typed in: it is parsed from the quote by
:func:`analysis.quantities.reader.parse_quantity`, and the quote must stand verbatim in
the article's cleaned story (so a claim can never come from a cookie banner or
a "related articles" block). ``analysis/metadata/metrics.yaml`` says which metrics need
a number and in which unit.

An optional sixth column, ``cites``, names the primary source the claim relies
on ("Reuters" for an article that restates the Reuters dispatch): one wire
carried by three articles is one source. Empty, or absent for rows appended
without it, means the article's own reporting: its outlet, or its article id
when the outlet is unknown. The consensus counts independent sources with it.

**Dates.** A claim holds at a date, ``as_of`` (``YYYY-MM-DD``): by default
the article's publication date; an article may say "as of" an earlier date
("last week, Nvidia said..."), and a claim of an undated article must give
one. It is never after the article's publication. The consensus is taken per
metric, entity *and* date, never across dates (a figure of February does not
dilute one of June); :func:`consensus_at` gives, among the claims given, the
latest date's. An article *arrives* as evidence on its publication date, or,
when undated, on the earliest ``as_of`` of its claims (:func:`evidence_date`);
:func:`claims_as_of` is what was known at a date: claims holding by then, from
articles that had arrived by then.

**Statuses.** The gate metrics (:data:`analysis.metadata.schemas.GATE_STATUSES`: US
licences, Beijing's imports) carry no number but a ``status`` from a fixed
vocabulary, still with its verbatim quote; no other metric takes a status.
An optional ``note`` column says why a date or status was chosen; it is
documentation and not carried into the processed table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.core import paths
from analysis.core.errors import InputError, where
from analysis.core.files import read_raw_csv
from analysis.metadata import schemas
from analysis.metadata.schemas import GATE_STATUSES
from analysis.quantities.reader import parse_quantity
from analysis.sources.manifest import date_problem
from analysis.sources.sentences import sentence_of_quote

__all__ = [
    "CLAIMS_SCHEMA",
    "CLAIM_COLUMNS",
    "CONSENSUS_SCHEMA",
    "OBSERVATION_COLUMNS",
    "OPTIONAL_CLAIM_COLUMNS",
    "bound_readings",
    "claims_as_of",
    "consensus_at",
    "evidence_date",
    "evidence_dates",
    "make_table_claims",
    "make_table_consensus",
    "observations",
    "read_claims",
]

CLAIM_COLUMNS = ["claim_id", "article_id", "metric", "entity", "quote"]
#: Optional curated columns and their value when absent or empty: ``cites`` "" = the article's own
#: reporting, ``as_of`` "" = the article's publication date, ``status`` only for the gate metrics,
#: ``note`` the curator's why (not carried into the processed table).
OPTIONAL_CLAIM_COLUMNS = {"cites": "", "as_of": "", "status": "", "note": ""}

CLAIMS_SCHEMA = schemas.CLAIMS

CONSENSUS_SCHEMA = schemas.CONSENSUS


def read_claims(raw_dir: Path = paths.RAW, path: Path | None = None) -> pd.DataFrame:
    """The curated claims (``claims.csv``, or ``path``: a file about to replace
    it), as text columns, with their columns checked; the
    optional columns (:data:`OPTIONAL_CLAIM_COLUMNS`) take their default when
    the file lacks them or a row stops short of them."""
    claims = read_raw_csv(path or raw_dir / "claims.csv", CLAIM_COLUMNS)
    for column, default in OPTIONAL_CLAIM_COLUMNS.items():
        claims[column] = claims[column].fillna(default) if column in claims.columns else default
    return claims[[*CLAIM_COLUMNS, *OPTIONAL_CLAIM_COLUMNS]]


def _check_claim(claim: Any, at: str, seen: set[str], by_article: Mapping[str, pd.DataFrame], registry: pd.DataFrame) -> None:
    """Stage 1 of :func:`make_table_claims`: a unique claim id, a known
    article and metric, an entity."""
    if not claim.claim_id:
        raise InputError(f"{at}: empty claim_id")
    if claim.claim_id in seen:
        raise InputError(f"{at}: duplicate claim_id {claim.claim_id!r}")
    if claim.article_id not in by_article:
        raise InputError(f"{at}: unknown article_id {claim.article_id!r} (not in the manifest, or no story text)")
    if claim.metric not in registry.index:
        raise InputError(f"{at}: unknown metric {claim.metric!r} (add it to analysis/metadata/metrics.yaml)")
    if not claim.entity:
        raise InputError(f"{at}: empty entity")


def _claim_value(claim: Any, at: str, registry: pd.DataFrame) -> tuple[float | None, str | None, str | None]:
    """Stage 3 of :func:`make_table_claims`: the value, unit and bound parsed
    from the quote (all None for a metric without a number)."""
    if not registry.at[claim.metric, "needs_value"]:
        return None, None, None
    metric_units = (registry.at[claim.metric, "unit"] or "").split("|")
    quantity = parse_quantity(claim.quote)
    if quantity is None:
        raise InputError(f"{at}: metric {claim.metric!r} needs a number, but the quote has none that parses: {claim.quote!r}")
    if quantity.vague:
        raise InputError(f"{at}: metric {claim.metric!r} needs a precise number, but the quote's is vague ({quantity.text!r})")
    unit = quantity.unit or metric_units[0] or None
    if unit not in metric_units:
        raise InputError(
            f"{at}: the quote's first number is in {quantity.unit!r} ({quantity.text!r}) "
            f"but metric {claim.metric!r} is in {'|'.join(metric_units)!r}"
        )
    return quantity.value, unit, quantity.bound


def _claim_as_of(claim: Any, at: str, published: Mapping[str, str]) -> str:
    """Stage 4 of :func:`make_table_claims`: the date the claim holds at, its
    own ``as_of`` or the article's publication date; a real date, never after
    the publication."""
    article_date = published.get(claim.article_id) or ""
    as_of = (getattr(claim, "as_of", "") or "").strip() or article_date
    if not as_of:
        raise InputError(f"{at}: no as_of, and article {claim.article_id} has no publication date: give the claim an as_of")
    problem = date_problem(as_of)
    if problem:
        raise InputError(f"{at}: as_of {as_of!r} {problem}")
    if article_date and as_of > article_date:
        raise InputError(f"{at}: as_of {as_of} is after the article's publication date {article_date}")
    return as_of


def _claim_status(claim: Any, at: str) -> str | None:
    """Stage 5 of :func:`make_table_claims`: a gate metric's status, one of
    its vocabulary (:data:`analysis.metadata.schemas.GATE_STATUSES`); no other metric
    takes one."""
    status = (getattr(claim, "status", "") or "").strip()
    allowed = GATE_STATUSES.get(claim.metric)
    if allowed is None:
        if status:
            raise InputError(f"{at}: status {status!r} given, but only {', '.join(GATE_STATUSES)} take a status")
        return None
    if status not in allowed:
        raise InputError(f"{at}: metric {claim.metric!r} needs a status, one of {', '.join(allowed)}; got {status!r}")
    return status


def make_table_claims(
    claims: pd.DataFrame,
    sentences: pd.DataFrame,
    metrics: pd.DataFrame,
    claims_path: Path = paths.RAW / "claims.csv",
    outlets: Mapping[str, str] | None = None,
    published: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Check every curated claim and parse its value.

    ``cites`` is the curated primary source, or, when empty, the article's
    own reporting: its outlet from ``outlets`` (article id → outlet), or the
    article id when the outlet is unknown. ``published`` (article id →
    ``YYYY-MM-DD``, empty when undated) gives the default ``as_of``.

    Stages: (1) the claim id is unique, the article is known, the metric is in
    the registry; (2) the quote is found verbatim in one of the article's
    cleaned sentences, which gives ``sentence_id``; (3) the quote is parsed —
    a metric that needs a number fails without one, and a parsed unit must
    match the metric's (a bare count takes the metric's unit, as in "2 millions"
    after "puces" was said earlier in the sentence); (4) the date it holds at
    (:func:`_claim_as_of`); (5) a gate metric's status (:func:`_claim_status`).
    Each failure names the file, the row and the reason."""
    registry = metrics.set_index("metric")
    by_article = {article_id: group.sort_values("sentence_id") for article_id, group in sentences.groupby("article_id", sort=False)}
    rows = []
    seen: set[str] = set()
    for position, claim in enumerate(claims.itertuples(index=False), start=2):
        at = where(claims_path, position, claim.claim_id or None)
        _check_claim(claim, at, seen, by_article, registry)
        seen.add(claim.claim_id)
        sentence_id = sentence_of_quote(claim.quote, by_article[claim.article_id], claim.article_id, at)
        value, unit, bound = _claim_value(claim, at, registry)
        rows.append(
            {
                "claim_id": claim.claim_id,
                "article_id": claim.article_id,
                "metric": claim.metric,
                "entity": claim.entity,
                "quote": claim.quote,
                "sentence_id": sentence_id,
                "value": value,
                "unit": unit,
                "bound": bound,
                "cites": (getattr(claim, "cites", "") or "").strip() or (outlets or {}).get(claim.article_id) or claim.article_id,
                "as_of": _claim_as_of(claim, at, published or {}),
                "status": _claim_status(claim, at),
            }
        )
    return schemas.build(CLAIMS_SCHEMA, rows)


def _sources(group: pd.DataFrame) -> pd.Series:
    """The primary source of each claim (``cites``; the article for a table without it)."""
    return group["cites"] if "cites" in group.columns else group["article_id"]


def _single_source_side(sides: dict[str, pd.DataFrame]) -> str | None:
    """For two sides of a disagreement, say when one rests on a single source
    in a single article while the other's sources are carried by more
    articles (a minor outlet against the wire), or None."""
    if len(sides) != 2:
        return None
    (name_a, a), (name_b, b) = sides.items()
    for (weak_name, weak), (_, strong) in (((name_a, a), (name_b, b)), ((name_b, b), (name_a, a))):
        weak_sources, strong_sources = set(_sources(weak)), set(_sources(strong))
        if (
            len(weak_sources) == 1
            and weak["article_id"].nunique() == 1
            and strong["article_id"].nunique() > 1
            and not weak_sources & strong_sources
        ):
            source, article = next(iter(weak_sources)), weak["article_id"].iloc[0]
            alone = (
                f"article {article} alone, which names no source"
                if source == article
                else f"a single source ({source}, in article {article})"
            )
            return (
                f"{weak_name} rests on {alone}, against {', '.join(sorted(strong_sources))}, "
                f"carried by {strong['article_id'].nunique()} articles"
            )
    return None


def _statuses(group: pd.DataFrame) -> pd.Series:
    """The status of each claim (all missing for a table without the column)."""
    return group["status"] if "status" in group.columns else pd.Series(None, index=group.index, dtype="object")


def _disagreement(group: pd.DataFrame) -> str | None:
    """Say how a metric's claims disagree, or None: different values or
    statuses, or a lower bound ("plus de") in one article against an upper
    bound ("jusqu'à") in another; and when one side rests on a single source
    in one article against sources several articles carry."""
    notes: list[str | None] = []
    values = group["value"].dropna()
    if len(values) and values.max() > values.min() * (1 + 1e-9):
        notes.append(
            "values differ: "
            + ", ".join(f"{v:g} ({', '.join(group.loc[group['value'] == v, 'claim_id'])})" for v in sorted(values.unique()))
        )
        sides = {f"{v:g}": group[group["value"] == v] for v in sorted(values.unique())}
        notes.append(_single_source_side(sides))
    statuses = sorted(set(_statuses(group).dropna()))
    if len(statuses) > 1:
        notes.append("statuses differ: " + ", ".join(f"{s} ({', '.join(group.loc[_statuses(group) == s, 'claim_id'])})" for s in statuses))
    bounds = set(group["bound"].dropna())
    if {"at_least", "at_most"} <= bounds:
        notes.append(
            "bounds conflict: "
            + " vs ".join(f"{b} ({', '.join(group.loc[group['bound'] == b, 'claim_id'])})" for b in ("at_least", "at_most"))
        )
        notes.append(_single_source_side({b: group[group["bound"] == b] for b in ("at_least", "at_most")}))
    return "; ".join(n for n in notes if n) or None


def make_table_consensus(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per (metric, entity, as_of): how many articles and claims state
    it at that date, how many independent primary sources they rely on
    (``cites``: two articles restating one wire count once), the smallest and
    largest value, the bounds and statuses seen, and whether the articles
    disagree (see :func:`_disagreement`). Claims of different dates never meet
    in one row. Metrics without a number (Huang's "no firm orders yet") are
    counted too, with empty min and max. A table without ``as_of`` (built by
    hand, outside the pipeline) is one undated group per metric and entity."""
    dated = claims if "as_of" in claims.columns else claims.assign(as_of=None)
    rows = []
    for (metric, entity, as_of), group in dated.groupby(["metric", "entity", "as_of"], sort=True, dropna=False):
        reason = _disagreement(group)
        units = sorted(set(group["unit"].dropna()))
        rows.append(
            {
                "metric": metric,
                "entity": entity,
                "as_of": None if pd.isna(as_of) else as_of,
                "unit": units[0] if units else None,
                "n_articles": group["article_id"].nunique(),
                "n_claims": len(group),
                "n_independent_sources": _sources(group).nunique(),
                "min": group["value"].min(),
                "max": group["value"].max(),
                "bounds": ";".join(sorted(set(group["bound"].dropna()))) or None,
                "statuses": ";".join(sorted(set(_statuses(group).dropna()))) or None,
                "disagree": reason is not None,
                "disagreement": reason,
                "claim_ids": ";".join(sorted(group["claim_id"])),
            }
        )
    if not rows:  # nothing known yet (a date before the first evidence): the columns, no row to check
        return schemas.cast(CONSENSUS_SCHEMA, pd.DataFrame(columns=list(CONSENSUS_SCHEMA.columns)))
    return schemas.build(CONSENSUS_SCHEMA, rows)


# --- the claims at a date ------------------------------------------------------


def _iso_date(value: str | date, what: str) -> str:
    """``value`` as ``YYYY-MM-DD``, or fail saying what it is."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    problem = date_problem(text)
    if problem:
        raise InputError(f"{what} {text!r} {problem}")
    return text


def evidence_date(articles: pd.DataFrame, claims: pd.DataFrame | None = None) -> pd.Series:
    """Each article's date of arrival as evidence (``YYYY-MM-DD``), indexed by
    ``article_id``: its publication date (``published``) or, for an undated
    article, the earliest ``as_of`` of its claims (the first date the record
    shows it could be read: seed 000, undated, restates the Reuters report of
    28 January). An undated article without claims, or without ``claims``
    given, has no arrival date (missing): it never counts as evidence."""
    published = articles.set_index("article_id")["published"].astype("object")
    arrived = published.where(published.fillna("").astype(str).str.strip() != "", None)
    if claims is not None and len(claims):
        earliest = claims.groupby("article_id")["as_of"].min()
        undated = arrived.isna()
        arrived[undated] = earliest.reindex(arrived.index[undated]).to_numpy()
    return arrived.where(arrived.notna(), None).rename("arrived")


def claims_as_of(claims: pd.DataFrame, articles: pd.DataFrame, as_of: str | date) -> pd.DataFrame:
    """What was known at ``as_of``: the claims whose ``as_of`` is on or before
    it, from articles that had arrived by then (:func:`evidence_date`). An
    article published after ``as_of`` changes nothing, even about an earlier
    date. Rows keep their order and columns."""
    day = _iso_date(as_of, "as_of")
    arrived = claims["article_id"].map(evidence_date(articles, claims))
    known = (claims["as_of"] <= day) & arrived.notna() & (arrived.fillna("9999-12-31") <= day)
    return claims[known.to_numpy()].reset_index(drop=True)


def consensus_at(claims: pd.DataFrame, consensus: pd.DataFrame | None = None) -> pd.DataFrame:
    """The consensus table's columns, one row per (metric, entity): the
    consensus of the claims of the latest ``as_of`` of that metric and entity
    among ``claims`` (pass :func:`claims_as_of`'s for the view at a date). A
    later date supersedes an earlier one; claims of one date are weighed as in
    :func:`make_table_consensus`. ``consensus``, when given, is
    :func:`make_table_consensus` of the same claims: its rows of the latest
    dates are the answer (it weighs each date's claims on their own), so
    nothing is weighed twice."""
    if consensus is not None:
        latest = consensus.groupby(["metric", "entity"])["as_of"].transform("max")
        return consensus[(consensus["as_of"] == latest).to_numpy()].reset_index(drop=True)
    latest = claims.groupby(["metric", "entity"])["as_of"].transform("max")
    return make_table_consensus(claims[(claims["as_of"] == latest).to_numpy()])


def evidence_dates(articles: pd.DataFrame, claims: pd.DataFrame) -> list[str]:
    """The distinct dates on which evidence arrived (:func:`evidence_date`), sorted."""
    return sorted(set(evidence_date(articles, claims).dropna()))


OBSERVATION_COLUMNS = ["metric", "entity", "as_of", "value", "bound", "status", "claim_ids", "article_ids"]


def observations(claims: pd.DataFrame, consensus: pd.DataFrame | None = None) -> pd.DataFrame:
    """The dated observations, tidy, one row per (metric, entity, as_of) that
    has a number or a status: ``value`` is the stated figure (the midpoint of
    the smallest and largest when claims of that date differ, as
    :func:`bound_readings`' central reading), ``bound`` the bounds seen and
    ``status`` the statuses seen (each ';'-joined when several; the consensus
    says whether they disagree), ``claim_ids`` and ``article_ids`` the claims
    and articles behind it. "So far, none" is an observation of 0.
    ``consensus``, when given, is :func:`make_table_consensus` of the same claims."""
    consensus = make_table_consensus(claims) if consensus is None else consensus
    consensus = consensus[consensus["min"].notna() | consensus["statuses"].notna()]
    articles_of = claims.groupby(["metric", "entity", "as_of"])["article_id"].agg(lambda ids: ";".join(sorted(set(ids))))
    table = consensus.assign(
        value=(consensus["min"] + consensus["max"]) / 2,
        bound=consensus["bounds"],
        status=consensus["statuses"],
        article_ids=[articles_of.get((row.metric, row.entity, row.as_of)) for row in consensus.itertuples(index=False)],
    )
    return table[OBSERVATION_COLUMNS].reset_index(drop=True)


def bound_readings(
    low_value: float, high_value: float, bounds: str | None, *, lower_bound_uplift: float, upper_bound_cut: float, approx_margin: float
) -> dict[str, float]:
    """Low / central / high readings of what the articles say about one figure.

    The central reading is the stated figure (the midpoint when articles give
    different values). A lower bound ("plus de X") lets the high reading go
    ``lower_bound_uplift`` above X; an upper bound ("jusqu'à X") lets the low
    reading go ``upper_bound_cut`` below; "environ"/"quelque" widen both sides
    by ``approx_margin``. The three fractions are scenario assumptions."""
    seen = set((bounds or "").split(";"))
    low = low_value * (1 - upper_bound_cut) if "at_most" in seen else low_value * (1 - approx_margin) if "approx" in seen else low_value
    high = (
        high_value * (1 + lower_bound_uplift)
        if "at_least" in seen
        else high_value * (1 + approx_margin)
        if "approx" in seen
        else high_value
    )
    return {"low": low, "central": (low_value + high_value) / 2, "high": high}

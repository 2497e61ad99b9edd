"""Claim candidates: what every article says about the metrics, proposed from
its quantities, for an analyst to accept into ``data/raw/claims.csv``.

A quantity becomes a candidate when the clause around it names a metric by the
cue words of the vocabulary files (``claim_cues`` in ``analysis/lang/*.yaml``:
every ``all`` group has a word in the clause, no ``none`` word does; cues are
whole words, a trailing ``*`` marks a stem), and its
unit is the metric's (``analysis/metadata/metrics.yaml``). The clause runs from the last
punctuation mark or coordinating conjunction before the quantity to the next
one after it (and never across another quantity). When the clause says
nothing, the words back to the previous quantity (or the sentence start) are
read too (for a restatement such as ", or 40,000 chips", on to the next
quantity as well); and when a sentence holds one figure only, the whole
sentence.

Precision comes first: a vague amount ("several hundred thousand"), a bare
count under 1,000, a ratio that is not H200 to H20, a module count where the
text does not say how many chips a module holds, and a requested count with no
company named are never proposed. Zero is a value where the metric's range
starts at 0 (deliveries, China revenue: "so far, none", "no revenue from
China"), and a bare count followed by a company noun counts companies
("about ten Chinese firms").

``as_of`` is the date at which the sentence says its fact holds: the date
after "as of" / "au" (the year from the publication date when the text gives
none), or the publication date after "so far" / "à ce jour" (:func:`as_of`).

Each candidate is matched to the curated claim it restates (same article,
sentence, metric, entity and value: ``matches_claim``), and its ``status`` is
``curated`` (it restates one), ``contradicts`` (its reading, bounds included,
lies outside what the curated claims of the metric and entity allow: see
:mod:`analysis.evidence.claim_consistency`) or ``new``; a figure counts once per
article (a headline and its body sentence). ``python -m analysis claims review`` lists them
and ``--accept ID`` appends one to ``data/raw/claims.csv`` with its verbatim
quote (:func:`accept`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache, partial
from typing import Any

import pandas as pd

from analysis.core.errors import InputError
from analysis.evidence import claim_consistency
from analysis.evidence.metric_cues import metrics_named
from analysis.lang import vocabulary as vocab
from analysis.metadata import schemas
from analysis.metadata.metrics import METRICS_PATH, metrics
from analysis.quantities.reader import Quantity, find_quantities, parse_quantity

__all__ = [
    "CANDIDATES_SCHEMA",
    "CANDIDATE_COLUMNS",
    "MIN_BARE_COUNT",
    "as_of",
    "make_table_candidates",
    "sentence_candidates",
]

CANDIDATES_SCHEMA = schemas.CLAIM_CANDIDATES
CANDIDATE_COLUMNS = list(CANDIDATES_SCHEMA.columns)

#: A bare count (no unit) smaller than this is not a chip count of this story.
MIN_BARE_COUNT = 1000
_PUNCTUATION = re.compile(r"[,;:()\[\]«»\"!?]|\s[-–—]\s|\.\s")
_MODEL = re.compile(r"\bH20(0)?\b", re.IGNORECASE)


@cache
def _clause_breaks() -> re.Pattern[str]:
    words = vocab.words("claim_clause_breaks")
    return re.compile(r"(?<![\w])(?:" + vocab.alternation(words) + r")(?![\w])", re.IGNORECASE)


_RANGE_WORDS = set(vocab.words("range_words"))


@cache
def _restates() -> re.Pattern[str]:
    words = vocab.words("claim_restates")
    return re.compile(r"(?:" + vocab.alternation(words) + r")(?![\w])", re.IGNORECASE)


@cache
def _companies() -> list[str]:
    return vocab.words("claim_entities")


def _unit_fits(unit: str | None, metric_units: list[str]) -> bool:
    """Whether a quantity in ``unit`` can state a metric in ``metric_units``
    (a bare count or a module count may state a chip count; a bare count, a
    number of companies)."""
    return unit in metric_units or (unit in (None, "modules") and "chips" in metric_units) or (unit is None and "companies" in metric_units)


def _clause(sentence: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """The clause around ``sentence[start:end]``, within ``[low, high)``."""
    left = low
    for pattern in (_PUNCTUATION, _clause_breaks()):
        for match in pattern.finditer(sentence, low, start):
            left = max(left, match.end())
    right = high
    for pattern in (_PUNCTUATION, _clause_breaks()):
        found = pattern.search(sentence, end, high)
        if found:
            right = min(right, found.start())
    return left, right


def _plausible(metric: str) -> tuple[float, float]:
    """The values a value metric can take in this story (``metrics.yaml``)."""
    plausible = metrics()[metric].plausible
    if plausible is None:
        raise InputError(f"{METRICS_PATH}: metric {metric!r} is stated without a value; no number can be a candidate for it")
    return plausible


def _entities(metric: str, sentence: str, clause: str) -> list[str]:
    named = [c for c in _companies() if c != "Nvidia" and re.search(rf"(?<![\w]){re.escape(c)}(?![\w])", sentence)]
    rule = metrics()[metric].entity_named
    if rule == "company":
        each = any(re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", sentence, re.IGNORECASE) for w in vocab.words("claim_each"))
        if each:
            return named
        in_clause = [c for c in named if c in clause]
        return in_clause[:1] if len(in_clause) == 1 else (named if len(named) == 1 else [])
    if rule == "company_or_total" and len(named) == 1:
        return named
    return [str(metrics()[metric].entity)]


@cache
def _per_module() -> re.Pattern[str]:
    """ "eight-GPU modules", "8-chip servers", "modules de huit puces", "servers with 8 GPUs", from the vocabulary."""

    alternation = vocab.alternation

    number = r"(?P<{}>\d{{1,2}}|" + alternation([w for lang in vocab.LANGUAGES for w in vocab.load(lang)["number_words"]]) + ")"
    chips = alternation(vocab.words("chip_nouns"))
    modules = alternation(vocab.words("module_nouns"))
    return re.compile(
        r"(?<![\w])" + number.format("n") + r"[\s-](?:" + chips + r")(?:\s+[A-Z]\w*)*\s+(?:" + modules + r")(?![\w])"
        r"|(?<![\w])(?:"
        + modules
        + r")\s+(?:"
        + alternation(vocab.words("composition_words"))
        + r")\s+"
        + number.format("m")
        + r"\s+(?:"
        + chips
        + r")(?![\w])",
        re.IGNORECASE,
    )


def _chips_per_module(sentence: str) -> int | None:
    """How many chips a module holds, where the sentence says so, else None."""
    match = _per_module().search(sentence.replace("\u2011", "-"))
    if not match:
        return None
    token = (match.group("n") or match.group("m")).lower()
    if token.isdigit():
        return int(token)
    for language in vocab.LANGUAGES:
        value = vocab.load(language)["number_words"].get(token)
        if value:
            return int(value)
    return None


@cache
def _company_nouns() -> re.Pattern[str]:
    nouns = sorted(vocab.words("claim_company_nouns"), key=len, reverse=True)
    return re.compile(
        r"(?:\s+[\w'-]+){0,2}?(?:\s*d['\u2019]|\s+(?:de|of)\s+(?:the\s+)?|\s+)(?:" + "|".join(map(re.escape, nouns)) + r")(?![\w])",
        re.IGNORECASE,
    )


def _counts_companies(sentence: str, quantity: Quantity) -> bool:
    """Whether a bare count counts companies: a company noun within two words
    after it ("about ten Chinese firms", "une dizaine d'entreprises")."""
    return bool(_company_nouns().match(sentence, quantity.end))


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


@cache
def _month_numbers() -> dict[str, int]:
    """Every month name and abbreviation of the vocabulary (accents or not), and its number."""
    numbers: dict[str, int] = {}
    for language in vocab.LANGUAGES:
        names = list(dict.fromkeys(_unaccented(m) for m in vocab.load(language)["months"]))  # février, fevrier: one month
        for number, name in enumerate(names, start=1):
            numbers[name] = number
        for abbreviation in vocab.load(language)["month_abbreviations"]:
            month = next((n for n, name in enumerate(names, start=1) if name.startswith(_unaccented(abbreviation))), None)
            if month is not None:
                numbers.setdefault(_unaccented(abbreviation), month)
    return numbers


@cache
def _as_of_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a date after 'as of' / 'au': day and month either way round, year or
    not; a phrase that dates a fact at publication: 'so far', 'à ce jour')."""

    alternation = partial(vocab.alternation, space=r"\s+")

    months = alternation([m for lang in vocab.LANGUAGES for m in vocab.load(lang)["months"] + vocab.load(lang)["month_abbreviations"]])
    dated = re.compile(
        r"(?<![\w])(?:" + alternation(vocab.words("as_of", "before_date")) + r")\s+"
        r"(?:(?P<day>\d{1,2})(?:er|st|nd|rd|th)?\s+(?P<month>" + months + r")\.?"
        r"|(?P<month2>" + months + r")\.?\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?)(?![\w])(?:,?\s+(?P<year>\d{4}))?",
        re.IGNORECASE,
    )
    now = re.compile(r"(?<![\w])(?:" + alternation(vocab.words("as_of", "now")) + r")(?![\w])", re.IGNORECASE)
    return dated, now


def as_of(sentence: str, published: str | None) -> str | None:
    """The date (ISO) at which ``sentence`` says its facts hold: the date after
    'as of' / 'au' (its year, or the latest one not after the publication
    date), else the publication date after 'so far' / 'à ce jour'; None when
    the text dates nothing or the date cannot be known."""
    dated, now = _as_of_patterns()
    published_date = _iso_date(published)
    found = dated.search(sentence.replace("\u2019", "'"))
    if found:
        month = _month_numbers().get(_unaccented(found.group("month") or found.group("month2")))
        day = int(found.group("day") or found.group("day2"))
        year = int(found.group("year")) if found.group("year") else None
        if year is None and published_date is not None:
            year = published_date.year - (1 if (month or 0, day) > (published_date.month, published_date.day) else 0)
        try:
            return dt.date(year, month, day).isoformat() if year and month else None
        except ValueError:
            return None
    if published_date is not None and now.search(sentence.replace("\u2019", "'")):
        return published_date.isoformat()
    return None


def _iso_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def _ratio_is_h200_to_h20(sentence: str, start: int, end: int) -> bool:
    """Whether a ratio compares the H200 to the H20: the H200 named before it
    and the H20 after ("the H200 offers six times the H20's compute"), or
    both before it, the H200 first ("la H200 surpasse la H20 d'un facteur six")."""
    before = [m.group(0).upper() for m in _MODEL.finditer(sentence, 0, start)]
    after = [m.group(0).upper() for m in _MODEL.finditer(sentence, end)]
    if before and before[-1] == "H200" and "H20" in after:
        return True
    return not after and before[:1] == ["H200"] and "H20" in before


def _named_metrics(
    quantity: Quantity,
    scopes: list[tuple[int, str]],
    units: dict[str, list[str]],
    language: str | None,
    previous: str | None,
) -> tuple[list[str], int | None]:
    """The metrics, in the quantity's unit, named by the first of ``scopes``
    (start, text) naming any, and that scope's start; else the one metric of
    a ``previous`` sentence that holds no quantity (start None)."""
    for start, scope in scopes:
        named = [m for m in metrics_named(scope, language) if _unit_fits(quantity.unit, units.get(m, []))]
        if named:
            return named, start
    if previous and not find_quantities(previous):
        before = metrics_named(previous, language)
        if len(before) == 1 and _unit_fits(quantity.unit, units.get(before[0], [])):
            return before, None
    return [], None


def _metrics_of(
    sentence: str,
    quantities: list[Quantity],
    index: int,
    units: dict[str, list[str]],
    language: str | None,
    previous: str | None,
    last_named: list[str],
    only_figure: bool,
) -> tuple[list[str], int, str, int]:
    """The metrics quantity ``index`` states, where its quote starts, its
    clause and where that clause ends. The clause first; else back to the
    previous quantity ("China allowed ByteDance, Alibaba and Tencent to buy
    400,000 chips"); else, for a restatement, on to the next one; else, for a
    sentence's only figure, the sentence, then the previous sentence. Only
    metrics in the quantity's unit count."""
    quantity = quantities[index]
    low = quantities[index - 1].end if index else 0
    high = quantities[index + 1].start if index + 1 < len(quantities) else len(sentence)
    left, right = _clause(sentence, quantity.start, quantity.end, low, high)
    clause = sentence[left:right]
    restates = index > 0 and bool(_restates().match(clause.lstrip(" ")) or sentence[low : quantity.start].strip() in _RANGE_WORDS)
    if restates and last_named:
        return last_named, left, clause, right  # "…, or 40,000 chips", the top of a range: the metrics before it
    scopes = [(left, clause), (low, sentence[low:right])]
    if restates:  # "5,000 modules, or 40,000 chips, in its first deliveries": on to the next quantity
        scopes.append((left, sentence[left:high]))
    if only_figure:
        scopes.append((0, sentence))
    named, start = _named_metrics(quantity, scopes, units, language, previous if only_figure else None)
    return named, left if start is None else start, clause, right


def _quote(sentence: str, quantities: list[Quantity], index: int, quote_from: int, right: int) -> str:
    """The quote of quantity ``index``: from ``quote_from`` to the end of its
    clause, or, at the bottom of a range, to the end of the range's top."""
    quantity, quote_to = quantities[index], right
    if index + 1 < len(quantities) and sentence[quantity.end : quantities[index + 1].start].strip() in _RANGE_WORDS:
        top = quantities[index + 1]
        after_top = quantities[index + 2].start if index + 2 < len(quantities) else len(sentence)
        quote_to = _clause(sentence, top.start, top.end, quantity.end, after_top)[1]
    return sentence[quote_from:quote_to].strip(" -–—,;").rstrip(" .")


def _read_back_quote(sentence: str, quantities: list[Quantity], index: int, quote_from: int, right: int) -> str | None:
    """The quote of quantity ``index`` if, read back alone, it gives the
    quantity's value; else the quote from the previous quantity (or the
    sentence start), which holds what the value needs ("So far, none": the
    anchor makes the zero); None when neither does."""
    low = quantities[index - 1].end if index else 0
    for start in dict.fromkeys((quote_from, low)):
        quote = _quote(sentence, quantities, index, start, right)
        parsed = parse_quantity(quote)
        if parsed is not None and parsed.value == quantities[index].value:
            return quote
    return None


def _value_for(
    metric: str, quantity: Quantity, metric_units: list[str], sentence: str, quantities: list[Quantity]
) -> tuple[str, float] | None:
    """The unit and value ``quantity`` gives ``metric``, or None when it does
    not fit: modules are not chips unless the text says how many a module
    holds; a bare count is chips only from MIN_BARE_COUNT; the value must be
    plausible; the ratio must be H200 to H20."""
    unit, value = quantity.unit, quantity.value
    if unit == "modules" and "chips" in metric_units:
        per_module = _chips_per_module(sentence)
        if per_module is None or any(q.unit == "chips" for q in quantities):
            return None
        unit, value = "chips", value * per_module
    if unit is None and "chips" in metric_units and (value >= MIN_BARE_COUNT or (value == 0 and _plausible(metric)[0] == 0)):
        unit = "chips"  # a bare count of the story's size, or a running count of none ("so far, none")
    if unit is None and "companies" in metric_units and _counts_companies(sentence, quantity):
        unit = "companies"
    if unit is None or unit not in metric_units:
        return None
    low_value, high_value = _plausible(metric)
    if not low_value <= value <= high_value:
        return None
    if metric == "h200_h20_ratio" and not _ratio_is_h200_to_h20(sentence, quantity.start, quantity.end):
        return None
    return unit, value


def sentence_candidates(
    article_id: str,
    sentence_id: int,
    sentence: str,
    units: dict[str, list[str]],
    language: str | None = None,
    previous: str | None = None,
    published: str | None = None,
) -> list[dict[str, Any]]:
    """The candidates of one sentence: ``units`` gives each metric's units
    (from ``metrics.yaml``); cue words are looked for in the article's
    ``language`` (either when None). A sentence whose only quantity names no
    metric takes the one metric of the ``previous`` sentence when that
    sentence names exactly one and holds no quantity ("China approved the
    imports. More than 400,000 chips will reach…"). ``published`` (ISO) dates
    the candidates the text dates by 'so far' (their ``as_of``)."""
    quantities = find_quantities(sentence)
    # Figures of the story's size: with a unit, or a bare count of at least MIN_BARE_COUNT ("three groups" is not one).
    # A zero is a figure too ("So far, none."): a running count that the sentence before may name.
    # A count of companies is one too where the sentence names a metric counted in companies ("About ten firms have been licensed").
    companies = any("companies" in units.get(m, []) for m in metrics_named(sentence, language)) if quantities else False
    figures = [
        q
        for q in quantities
        if not q.vague
        and (q.unit is not None or q.value >= MIN_BARE_COUNT or q.value == 0 or (companies and _counts_companies(sentence, q)))
    ]
    rows: list[dict[str, Any]] = []
    last_named: list[str] = []
    for index, quantity in enumerate(quantities):
        if quantity.vague:
            continue
        named, quote_from, clause, right = _metrics_of(
            sentence, quantities, index, units, language, previous, last_named, figures == [quantity]
        )
        last_named = named or last_named
        quote = _read_back_quote(sentence, quantities, index, quote_from, right)
        if quote is None:
            continue  # the quote must give the value by itself when it is read back
        for metric in named:
            found = _value_for(metric, quantity, units.get(metric, []), sentence, quantities)
            if found is None:
                continue
            rows += [
                {
                    "article_id": article_id,
                    "sentence_id": int(sentence_id),
                    "metric": metric,
                    "entity": entity,
                    "value": float(found[1]),
                    "unit": found[0],
                    "bound": quantity.bound,
                    "quote": quote,
                    "as_of": as_of(sentence, published),
                }
                for entity in _entities(metric, sentence, clause)
            ]
    return rows


def make_table_candidates(
    sentences: pd.DataFrame,
    metrics: pd.DataFrame,
    claims: pd.DataFrame,
    consensus: pd.DataFrame,
    languages: dict[str, str] | None = None,
    published: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Every claim candidate of every story sentence, matched to the curated
    claims and checked against what they allow (``consensus`` is kept for the
    callers: the claims' bounds say more than its min and max); ``languages``
    and ``published`` give each article's language and publication date (from
    the manifest)."""
    units = {row.metric: (row.unit or "").split("|") for row in metrics.itertuples(index=False) if row.needs_value}
    languages = languages or {}
    published = published or {}
    rows = []
    previous: dict[str, str] = {}
    for sentence in sentences.itertuples(index=False):
        rows += sentence_candidates(
            sentence.article_id,
            sentence.sentence_id,
            sentence.text,
            units,
            languages.get(sentence.article_id),
            previous.get(sentence.article_id),
            published.get(sentence.article_id) or None,
        )
        previous[sentence.article_id] = sentence.text
    table = pd.DataFrame(rows, columns=[c for c in CANDIDATE_COLUMNS if c not in ("matches_claim", "status")])
    curated = {
        (c.article_id, int(c.sentence_id), c.metric, c.entity, float(c.value)): c.claim_id
        for c in claims.itertuples(index=False)
        if pd.notna(c.value)
    }
    spans = claim_consistency.curated_spans(claims)  # read with their bounds: "more than 200,000" allows 250,000
    matches = [
        curated.get((row.article_id, int(row.sentence_id), row.metric, row.entity, float(row.value)))
        for row in table.itertuples(index=False)
    ]
    statuses = [claim_consistency.status(row, claim_id, spans) for row, claim_id in zip(table.itertuples(index=False), matches)]
    table = table.assign(matches_claim=pd.Series(matches, dtype="object"), status=statuses)[CANDIDATE_COLUMNS]
    table = table.drop_duplicates(subset=["article_id", "sentence_id", "metric", "entity", "value", "quote"])
    table = claim_consistency.one_per_figure(table)  # a headline and its body sentence: one figure, one candidate
    return CANDIDATES_SCHEMA.validate(schemas.cast(CANDIDATES_SCHEMA, table).reset_index(drop=True))

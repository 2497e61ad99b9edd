"""What a reader sees: tables in words and formatted numbers, sources by outlet.

The notebooks and the index page show every table through these functions,
never a raw DataFrame: headers and coded values come from the figure
registry (``figures.yaml``), ``labels.yaml`` beside this file and the
metric descriptions (``analysis/metadata/metrics.yaml``); numbers go through
:mod:`analysis.core.formatting`; articles are named by outlet and date, never by
file id; tables carry no index numbers and text is left-aligned.

Every function returns a pandas ``Styler`` with a stable id, so a notebook's
output is the same on every run (strict nbval), or plain text.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.core import formatting, number_parts, paths
from analysis.core.memo import file_key, remembered
from analysis.metadata.labels import labels
from analysis.metadata.metrics import metrics
from analysis.metadata.processed import read_processed
from analysis.model.engine import Provenance
from analysis.model.scenarios import Scenario, load_scenario
from analysis.present.text import http_url, md_escape

__all__ = [
    "article_label",
    "article_labels",
    "articles_table",
    "claims_table",
    "cleaning_table",
    "consensus_markdown",
    "consensus_table",
    "fact_checks_table",
    "headline_table",
    "in_words",
    "input_label",
    "metric_descriptions",
    "provenance_table",
    "quantities_table",
    "range_only",
    "range_text",
    "readable_sources",
    "scenario_title",
    "value_text",
    "word",
]


def input_label(name: str) -> str:
    """A model input or scenario key in words (``price_usd_per_h200`` →
    "Price Chinese buyers pay per H200")."""
    label: str = labels()["inputs"].get(name, name.replace("_", " "))
    return label


def word(kind: str, value: Any) -> str:
    """A coded value in words (``word("bound", "at_least")`` → 'at least ("plus de")')."""
    if number_parts.is_missing(value):
        return number_parts.MISSING
    words: str = labels()["words"].get(kind, {}).get(str(value), str(value).replace("_", " "))
    return words


def scenario_title(name: str) -> str:
    """'slow-approvals' → 'Slow approvals'."""
    text = name.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def metric_descriptions() -> dict[str, str]:
    """Each metric's description (``metrics.yaml``), as readers see it."""
    return {name: metric.description for name, metric in metrics().items()}


def _stable(styler: Any, name: str) -> Any:
    """Give a Styler an id derived from its content (the default is random)."""
    digest = hashlib.sha256((name + styler.data.to_csv()).encode()).hexdigest()[:10]
    return styler.set_uuid(f"{name}-{digest}")


def _styled(frame: pd.DataFrame, name: str, caption: str | None = None, html_columns: tuple[str, ...] = ()) -> Any:
    """A table of already formatted text: no index, left-aligned, wrapping.

    Every cell, header and the caption is HTML-escaped here, at the source, so
    text from articles, claims and scenarios is shown and never run in any
    renderer of the notebook (not only the sanitised report page). Only the
    ``html_columns`` hold markup, which their builders escape themselves
    (links: :func:`_link`)."""
    text_columns = [column for column in frame.columns if column not in html_columns]
    styler = frame.style.hide(axis="index").set_properties(**{"text-align": "left", "white-space": "normal", "vertical-align": "top"})
    styler = styler.format(escape="html", subset=text_columns).format_index(escape="html", axis=1)
    styler = styler.set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return _stable(styler, name)


# --- articles -------------------------------------------------------------------


def article_label(row: pd.Series | dict[str, Any]) -> str:
    """An article as a reader names it: outlet and date ('Reuters, 28 January 2026');
    an article whose text names no outlet is 'Article N (outlet not named)'."""
    number = int(str(row["article_id"]).split("_")[0]) + 1
    outlet = row.get("outlet")
    name = outlet if isinstance(outlet, str) and outlet else f"Article {number} (outlet not named)"
    published = row.get("published")
    return f"{name}, {formatting.format_value(published, 'date')}" if isinstance(published, str) and published else f"{name}, undated"


#: The project's own references as an author writes them in a scenario's
#: ``why``/``source`` or a curator's note: the reference notes' sections
#: ("facts.md §3"), articles by seed or file number ("seeds 000 and 003",
#: "article 002_365c5dd10a5ec3f5") and claims by id ("claims c17, c22", "(c15)").
_SECTION = re.compile(r"facts\.md\s*§\s*(\d+)")
_ARTICLES = re.compile(r"\b(?:seeds?|articles?)\s+(\d{3}(?:_[0-9a-f]{16})?(?:(?:,\s*|,?\s+and\s+)\d{3}(?:_[0-9a-f]{16})?)*)")
_CLAIMS = re.compile(r"\b(?:claims?\s+)(c\d+(?:(?:,\s*|,?\s+and\s+)c\d+)*)|(?<=\()(c\d+(?:,\s*c\d+)*)(?=\))")


_INPUT = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _lower_first(text: str) -> str:
    """A label inside a sentence: 'Month new TSMC output starts' → 'month new TSMC output starts' (acronyms kept)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _article_in_text(row: pd.Series) -> str:
    """An article named inside a sentence: 'Reuters, 28 January 2026', or 'an unnamed outlet, 30 January 2026'."""
    label = article_label(row)
    if not re.match(r"Article \d+ \(outlet not named\)", label):
        return label
    published = label.rsplit(", ", 1)[1]
    return "an undated article" if published == "undated" else f"an article of {published}"


def _about(metric: str) -> str:
    """What a claim is about, inside a sentence: its metric's description without a closing aside, first letter lower."""
    return _lower_first(re.sub(r"\s*\([^)]*\)$", "", metric_descriptions().get(metric, "this figure")))


def in_words(text: str, processed_dir: str | Path = paths.PROCESSED) -> str:
    """A text written for the project (a scenario's reason or source, a
    curator's note) as a reader reads it: each model input by its label, each section of the reference notes
    named by its sources (``labels.yaml``, ``reference_sections``), each
    article by outlet and date, each claim by its article and what it is
    about; an identifier not found is left as written."""
    if not isinstance(text, str) or not re.search(r"facts\.md|\d{3}|\bc\d|_", text):
        return text
    sections = {str(k): v for k, v in labels().get("reference_sections", {}).items()}
    by_number, claims = _references(Path(processed_dir))

    def article_words(match: re.Match[str]) -> str:
        numbers = re.findall(r"\d{3}", re.sub(r"_[0-9a-f]{16}", "", match.group(1)))
        return "; ".join(dict.fromkeys(by_number.get(n, match.group(0)) for n in numbers))

    def claim_words(match: re.Match[str]) -> str:
        known = [i for i in re.findall(r"c\d+", match.group(0)) if i in claims]
        if not known:
            return match.group(0)
        about: dict[str, list[str]] = {}
        for i in known:
            metric, article = claims[i]
            about.setdefault(_about(metric), []).append(by_number.get(article.split("_")[0], "an article"))
        return "; ".join(f"{'; '.join(dict.fromkeys(who))}, on {what}" for what, who in about.items())

    inputs = labels()["inputs"]
    text = _INPUT.sub(lambda m: _lower_first(inputs[m.group(0)]) if m.group(0) in inputs else m.group(0), text)
    text = _SECTION.sub(lambda m: sections.get(m.group(1), m.group(0)), text)
    text = _ARTICLES.sub(article_words, text)
    return _CLAIMS.sub(claim_words, text)


#: :func:`_references` already built, by the state of the two files they come from.
_REFERENCES: dict[tuple[object, ...], tuple[dict[str, str], dict[str, tuple[str, str]]]] = {}


def _references(processed_dir: Path) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """What :func:`in_words` names: each article by its three-digit number (as
    :func:`_article_in_text` words it) and each claim's (metric, article id),
    built once per state of ``articles.csv`` and ``claims.csv`` (a report words
    some thirty texts)."""
    folder = paths.resolve_folder(processed_dir)

    def build() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
        articles = read_processed("articles", folder)  # a missing file fails here, naming it: nothing is kept
        claims = read_processed("claims", folder)
        return (
            {str(a).split("_")[0]: _article_in_text(row) for a, (_, row) in zip(articles["article_id"], articles.iterrows())},
            {str(c): (str(m), str(a)) for c, m, a in zip(claims["claim_id"], claims["metric"], claims["article_id"])},
        )

    return remembered(_REFERENCES, (file_key(folder / "articles.csv"), file_key(folder / "claims.csv")), build, size=16)


def article_labels(articles: pd.DataFrame) -> dict[str, str]:
    return {row["article_id"]: article_label(row) for _, row in articles.iterrows()}


def _link(url: Any) -> str:
    """A link to an article's address, as HTML: only an ``http(s)://`` address
    becomes a link (a ``javascript:`` or ``data:`` one would run or open
    something from the data); any other is shown as escaped text."""
    if not isinstance(url, str) or not url.strip():
        return ""
    if http_url(url) is None:
        return html.escape(url.strip())
    url = url.strip()
    host = url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
    return f'<a href="{html.escape(url)}">{html.escape(host)}</a>'


def articles_table(articles: pd.DataFrame) -> Any:
    """The articles: outlet and date, language, link, what cleaning kept."""
    frame = pd.DataFrame(
        {
            "Article": [article_label(r) for _, r in articles.iterrows()],
            "Language": articles["language"].map(lambda v: word("language", v)),
            "Link": articles["url"].map(_link),
            "Characters kept (of raw)": [
                f"{formatting.format_value(k, None)} of {formatting.format_value(r, None)}"
                for k, r in zip(articles["story_chars"], articles["raw_chars"])
            ],
            "Sentences": articles["sentences"].map(lambda v: formatting.format_value(v, None)),
            "Curator's note": articles["note"].fillna("").map(in_words),
        }
    )
    return _styled(frame, "articles", html_columns=("Link",))


def _value_text(value: Any, unit: Any, bound: Any = None) -> str:
    if number_parts.is_missing(value):
        return number_parts.MISSING
    unit = unit if isinstance(unit, str) and unit in number_parts.UNITS else None
    text = formatting.format_value(value, unit)
    return text if number_parts.is_missing(bound) or bound == "exact" else f"{word('bound', bound)} {text}"


def claims_table(claims: pd.DataFrame, articles: pd.DataFrame) -> Any:
    """Every claim: the article (outlet, date, link), what it is about, its
    value as parsed with its wording, and the verbatim quote."""
    by_id = articles.set_index("article_id")
    frame = pd.DataFrame(
        {
            "Article": [article_label({"article_id": a, **by_id.loc[a].to_dict()}) for a in claims["article_id"]],
            "Link": [_link(by_id.at[a, "url"]) for a in claims["article_id"]],
            "About": [f"{metric_descriptions().get(m, m)} ({word('entity', e)})" for m, e in zip(claims["metric"], claims["entity"])],
            "Value as worded": [
                _value_text(v, u, b) if pd.notna(v) or not isinstance(st, str) or not st else word("status", st)
                for v, u, b, st in zip(claims["value"], claims["unit"], claims["bound"], claims["status"])
            ],
            "Holds as of": [formatting.format_value(d, "date") for d in claims["as_of"]],
            "Quote": claims["quote"].map(lambda q: f"« {q} »"),
        }
    )
    return _styled(frame, "claims", html_columns=("Link",))


def consensus_table(consensus: pd.DataFrame) -> Any:
    """Per metric and entity: how many articles and claims, the range, the wordings, whether they disagree."""
    rows = []
    for row in consensus.itertuples(index=False):
        unit = row.unit if isinstance(row.unit, str) else None
        span = (
            number_parts.MISSING
            if pd.isna(row.min)
            else (
                formatting.format_value(row.min, unit)
                if row.min == row.max
                else f"{formatting.format_value(row.min, unit)} to {formatting.format_value(row.max, unit)}"
            )
        )
        wordings = ", ".join(word("bound", b) for b in str(row.bounds).split(";")) if isinstance(row.bounds, str) else number_parts.MISSING
        rows.append(
            {
                "About": metric_descriptions().get(row.metric, row.metric),
                "Entity": word("entity", row.entity),
                "Articles": str(row.n_articles),
                "Claims": str(row.n_claims),
                "Figure": span
                if not (pd.isna(row.min) and isinstance(row.statuses, str))
                else ", ".join(word("status", x) for x in row.statuses.split(";")),
                "Wording": wordings,
                "As of": formatting.format_value(row.as_of, "date"),
                "Articles disagree": "yes" if row.disagree else "no",
            }
        )
    return _styled(pd.DataFrame(rows), "consensus")


def consensus_markdown(consensus: pd.DataFrame) -> str:
    """One Markdown line per numeric metric: the figure, how many articles say
    it, their wordings, and whether they disagree."""
    lines = []
    for row in consensus[consensus["min"].notna()].itertuples(index=False):
        unit = row.unit if isinstance(row.unit, str) else None
        span = (
            formatting.format_value(row.min, unit)
            if row.min == row.max
            else (f"{formatting.format_value(row.min, unit)} to {formatting.format_value(row.max, unit)}")
        )
        said = f"{row.n_articles} article{'s' if row.n_articles > 1 else ''}, {row.n_claims} claim{'s' if row.n_claims > 1 else ''}"
        wordings = ", ".join(word("bound", b) for b in str(row.bounds).split(";"))
        verdict = " — **the articles disagree on the wording**" if row.disagree else ""
        lines.append(
            f"- {md_escape(metric_descriptions().get(row.metric, row.metric))} ({md_escape(word('entity', row.entity))}): "
            f"**{span}** ({said}; {md_escape(wordings)}){verdict}"
        )
    return "\n".join(lines).replace("$", r"\$")


def fact_checks_table(fact_checks: pd.DataFrame, articles: pd.DataFrame) -> Any:
    """Statements the sourced specifications contradict: article, verdict, quote, evidence, source."""
    labels_by_id = article_labels(articles)
    frame = pd.DataFrame(
        {
            "Article": fact_checks["article_id"].map(labels_by_id),
            "Verdict": fact_checks["verdict"].map(lambda v: word("verdict", v)),
            "Quote": fact_checks["quote"].map(lambda q: f"« {q} »"),
            "Evidence": fact_checks["evidence"],
            "Source": fact_checks["source"],
        }
    )
    return _styled(frame, "fact-checks")


def quantities_table(quantities: pd.DataFrame, articles: pd.DataFrame) -> Any:
    """Quantities the parser found in each article."""
    counts = quantities.groupby("article_id").size()
    frame = pd.DataFrame(
        {
            "Article": [article_labels(articles).get(a, a) for a in counts.index],
            "Quantities found": [formatting.format_value(v, None) for v in counts],
        }
    )
    return _styled(frame, "quantities")


def cleaning_table(cleaning_log: pd.DataFrame, articles: pd.DataFrame) -> Any:
    """Lines cleaning removed, per article (rows) and rule (columns)."""
    table = cleaning_log.pivot_table(index="article_id", columns="reason", values="line", aggfunc="count", fill_value=0)
    frame = pd.DataFrame({"Article": [article_labels(articles).get(a, a) for a in table.index]})
    for reason in table.columns:
        frame[word("reason", reason)] = [str(int(v)) for v in table[reason]]
    frame["All rules"] = [str(int(v)) for v in table.sum(axis=1)]
    return _styled(frame, "cleaning")


# --- figures ------------------------------------------------------------------------


def _split_unit(unit: str) -> tuple[str, str]:
    """'USD a year' → ('USD', ' a year'): the formatter's unit and the words after it."""
    base, _, rest = str(unit).partition(" ")
    return (base, f" {rest}" if rest else "") if base in number_parts.UNITS else (str(unit), "")


def value_text(value: float, unit: str) -> str:
    """One figure: 'US$10.8 bn a year'; a month count never reached is 'beyond the horizon'."""
    if unit == "months" and value == float("inf"):
        return "beyond the horizon"
    base, rest = _split_unit(unit)
    return formatting.format_value(value, base) + rest


def range_only(low: float, central: float, high: float, unit: str) -> str:
    """The 90% range alone ('US$9.7–11.9 bn'), or '—' for a certain figure."""
    base, rest = _split_unit(unit)
    if high == float("inf"):
        return f"from {formatting.format_value(low, base)}{rest} to beyond the horizon"
    text = formatting.format_range(low, central, high, base, label="@@")
    return text.split("(@@ ", 1)[1][:-1] + rest if "(@@ " in text else number_parts.MISSING


def range_text(low: float, central: float, high: float, unit: str) -> str:
    """'US$10.8 bn (90% range US$9.7–11.9 bn)'; a certain figure is its value alone."""
    span = range_only(low, central, high, unit)
    central_text = value_text(central, unit)
    return central_text if span == number_parts.MISSING else f"{central_text} (90% range {span})"


def headline_table(table: pd.DataFrame, figures: list[str] | None = None) -> Any:
    """Headline figures: title, central value and 90% range, formatted."""
    rows = table.loc[figures] if figures else table
    frame = pd.DataFrame(
        {
            "Figure": rows["title"],
            "Central": [value_text(c, u) for c, u in zip(rows["central"], rows["unit"])],
            "90% range": [range_only(lo, c, hi, u) for lo, c, hi, u in zip(rows["low"], rows["central"], rows["high"], rows["unit"])],
        }
    )
    return _styled(frame.reset_index(drop=True), "headline")


def readable_sources(sources: Provenance | Iterable[Provenance], processed_dir: str | Path = paths.PROCESSED) -> str:
    """What one figure, or several together, was computed from, in words: the
    articles by outlet and date, the spec values, and the scenario assumptions by label."""
    used = sources if isinstance(sources, Provenance) else Provenance.merged(sources)
    claims = read_processed("claims", Path(processed_dir)).set_index("claim_id")
    by_article = article_labels(read_processed("articles", Path(processed_dir)))
    outlets = list(dict.fromkeys(by_article.get(claims.at[c, "article_id"], "") for c in used.claims if c in claims.index))
    text = []
    if outlets:
        text.append("articles: " + "; ".join(outlets))
    if used.specs:
        text.append(
            "specifications: "
            + ", ".join(f"{chip} {labels()['spec_columns'].get(col, col)}" for chip, _, col in (s.partition(".") for s in used.specs))
        )
    if used.scenario:
        text.append("assumptions: " + "; ".join(input_label(k) for k in used.scenario))
    return "; ".join(text)


def _plain_range(assumption: Any) -> str:
    """A number of a unit :mod:`analysis.core.formatting` does not know: large ones
    scaled as counts are ("15M (range 15–20M)"), small ones as written ("0.3 (range 0.1–0.5)")."""
    values = [assumption.value, *((assumption.low, assumption.high) if assumption.is_uncertain else ())]
    if max(abs(float(v)) for v in values) >= 1_000:
        if assumption.is_uncertain:
            return formatting.format_range(assumption.low, assumption.value, assumption.high, None)
        return formatting.format_value(assumption.value, None)
    text = f"{float(assumption.value):g}"
    return f"{text} (range {float(assumption.low):g}–{float(assumption.high):g})" if assumption.is_uncertain else text


def _assumption_text(assumption: Any) -> str:
    """An assumption's value (and range) as a reader reads it: a known unit
    formatted by :mod:`analysis.core.formatting`; another unit ("H100-equivalents",
    "chance a month") after the number formatted plainly (15M, 0.3), never raw."""
    unit, _, rest = str(assumption.unit).partition(" ")
    if isinstance(assumption.value, bool):
        return formatting.format_value(assumption.value, "flag")
    if isinstance(assumption.value, str) and unit not in number_parts.UNITS:
        return f"{assumption.value} {assumption.unit}".strip()
    if unit not in number_parts.UNITS:
        return f"{_plain_range(assumption)} {assumption.unit}".strip()
    if assumption.is_uncertain:
        text = formatting.format_range(assumption.low, assumption.value, assumption.high, unit)
    else:
        text = formatting.format_value(assumption.value, unit)
    return f"{text} {rest}".strip()


def provenance_table(
    scenario: str | Path | Scenario,
    figures: list[str] | None = None,
    processed_dir: str | Path = paths.PROCESSED,
    as_of: str | None = None,
) -> Any:
    """Every input behind the chosen headline figures, for a reader: each claim
    with its article (outlet, date, link) and verbatim quote, each spec value
    with its source, each assumption with its range and its source or reason."""
    from analysis.model import figures as figures_module

    scenario = load_scenario(scenario)
    table = figures_module.headline(scenario, processed_dir, as_of=as_of)
    chosen = table.loc[figures] if figures else table
    used = Provenance.merged(chosen["sources"])
    parts = {"claims": used.claims, "specs": used.specs, "scenario": used.scenario}
    claims = read_processed("claims", Path(processed_dir)).set_index("claim_id")
    articles = read_processed("articles", Path(processed_dir)).set_index("article_id")
    specs = read_processed("chip_specs", Path(processed_dir)).set_index("chip")
    rows = []
    for claim_id in parts["claims"]:
        claim = claims.loc[claim_id]
        article = {"article_id": claim["article_id"], **articles.loc[claim["article_id"]].to_dict()}
        rows.append(
            {
                "Input": metric_descriptions().get(claim["metric"], claim["metric"]),
                "Value": _value_text(claim["value"], claim["unit"], claim["bound"]),
                "Quote, specification or reason": f"« {claim['quote']} »",
                "Source": html.escape(article_label(article)) + (f" ({_link(article.get('url'))})" if _link(article.get("url")) else ""),
            }
        )
    for spec in parts["specs"]:
        chip, _, column = spec.partition(".")
        rows.append(
            {
                "Input": f"{chip}: {labels()['spec_columns'].get(column, column)}",
                "Value": formatting.format_value(specs.at[chip, column], None),
                "Quote, specification or reason": "chip specification",
                "Source": html.escape(str(specs.at[chip, "source"])),
            }
        )
    for key in parts["scenario"]:
        assumption = scenario.assumption(key)
        source = str(assumption.source)
        rows.append(
            {
                "Input": input_label(key),
                "Value": _assumption_text(assumption),
                "Quote, specification or reason": in_words(source.removeprefix("why: "), processed_dir),
                "Source": html.escape(
                    f"{scenario_title(scenario.name)} scenario" + (" (our reasoning)" if source.startswith("why") else "")
                ),
            }
        )
    columns = ["Input", "Value", "Quote, specification or reason", "Source"]
    return _styled(pd.DataFrame(rows, columns=columns), "provenance", html_columns=("Source",))  # Source: escaped above, with links

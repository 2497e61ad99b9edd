"""The charts of notebook 01 (analysis.present.source_charts): what each bar counts,
how each article is named, and the words a reader (or a screen reader) gets."""

from __future__ import annotations

import pandas as pd

from analysis.present import source_charts

REUTERS, UNNAMED, MISSING = "000_aaaaaaaaaaaaaaaa", "001_bbbbbbbbbbbbbbbb", "009_cccccccccccccccc"
ARTICLES = pd.DataFrame({"article_id": [REUTERS, UNNAMED], "outlet": ["Reuters", float("nan")], "published": ["2026-01-28", "2026-01-30"]})
REUTERS_LABEL, UNNAMED_LABEL = "Reuters, 28 January 2026", "Article 2 (outlet not named), 30 January 2026"


def _data(chart) -> list[dict]:
    return chart.data.drop(columns=["words"]).to_dict("records")


def test_quantities_are_counted_per_article_and_unit():
    quantities = pd.DataFrame(
        {
            "article_id": [REUTERS] * 6 + [UNNAMED],
            "unit": ["chips"] * 5 + [None, "USD"],
            "text": ["400,000", "2 million", "700,000", "75,000", "one more", "five", "$27,000"],
        }
    )
    chart = source_charts.quantities_by_article(quantities, ARTICLES)
    assert _data(chart) == [
        {
            "article_id": REUTERS,
            "unit": "bare count",
            "quantities": 1,
            "examples": "five",
            "article": REUTERS_LABEL,
            "quantities_text": "1",
        },
        {
            "article_id": REUTERS,
            "unit": "chips",
            "quantities": 5,
            "examples": "400,000 | 2 million | 700,000 | 75,000",  # four examples at most
            "article": REUTERS_LABEL,
            "quantities_text": "5",
        },
        {"article_id": UNNAMED, "unit": "USD", "quantities": 1, "examples": "$27,000", "article": UNNAMED_LABEL, "quantities_text": "1"},
    ]
    spec = chart.to_dict()
    assert spec["description"] == (
        f"Quantities found in each story: article: {REUTERS_LABEL}; unit: bare count; quantities found: 1; "
        f"article: {REUTERS_LABEL}; unit: chips; quantities found: 5; "
        f"article: {UNNAMED_LABEL}; unit: USD; quantities found: 1."
    )
    assert spec["height"] == 30 * 2 + 20  # two articles
    assert spec["usermeta"] == {"caption": "Source: the five articles' cleaned text read by the project's number parser."}
    assert spec["encoding"]["x"]["field"] == "quantities" and spec["encoding"]["y"]["field"] == "article"


def test_claims_of_one_metric_by_article_and_wording():
    claims = pd.DataFrame(
        {
            "claim_id": ["c1", "c2", "c3", "c4"],
            "article_id": [REUTERS, REUTERS, UNNAMED, UNNAMED],
            "metric": ["stock_units", "stock_units", "stock_units", "orders_units"],
            "bound": ["at_least", "at_least", "exact", "exact"],
            "value": [200_000.0, 250_000.0, 700_000.0, 2_000_000.0],
            "quote": ["plus de 200 000", "plus de 250 000", "700,000 in stock", "two million ordered"],
        }
    )
    chart = source_charts.claims_for_metric(claims, "stock_units", "Nvidia's stock", ARTICLES)
    assert _data(chart) == [
        {
            "article_id": REUTERS,
            "bound_label": 'at least ("plus de")',
            "claims": 2,
            "values": "200k chips, 250k chips",
            "quotes": "« plus de 200 000 » | « plus de 250 000 »",
            "article": REUTERS_LABEL,
            "claims_text": "2",
        },
        {
            "article_id": UNNAMED,
            "bound_label": "exact",
            "claims": 1,
            "values": "700k chips",
            "quotes": "« 700,000 in stock »",
            "article": UNNAMED_LABEL,
            "claims_text": "1",
        },
    ]
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Nvidia's stock"
    # The outlets in alphabetical order: "Article 2 …" before "Reuters …".
    assert spec["usermeta"]["caption"] == f"Sources: {UNNAMED_LABEL}; {REUTERS_LABEL} (quotes in the claims table below)."
    assert [t["title"] for t in spec["encoding"]["tooltip"]] == ["article", "wording", "figures", "verbatim quotes"]


def test_cleaning_counts_lines_by_rule_in_words():
    long_line = "x" * 130
    log = pd.DataFrame(
        {
            "article_id": [REUTERS, REUTERS, REUTERS, MISSING],
            "reason": ["boilerplate_line", "boilerplate_line", "share_button", "share_button"],
            "text": [long_line, "second", "Share this", "Tweet"],
        }
    )
    chart = source_charts.cleaning_by_reason(log, ARTICLES)
    assert _data(chart) == [
        {
            "article_id": REUTERS,
            "reason": "boilerplate line",
            "lines": 2,
            "example": "x" * 120,
            "article": REUTERS_LABEL,
            "lines_text": "2",
        },
        {"article_id": REUTERS, "reason": "share button", "lines": 1, "example": "Share this", "article": REUTERS_LABEL, "lines_text": "1"},
        # An article missing from the articles table is named, never shown by its file id.
        {"article_id": MISSING, "reason": "share button", "lines": 1, "example": "Tweet", "article": "unknown article", "lines_text": "1"},
    ]
    assert list(chart.data["words"]) == [
        f"article: {REUTERS_LABEL}; rule: boilerplate line; lines removed: 2",
        f"article: {REUTERS_LABEL}; rule: share button; lines removed: 1",
        "article: unknown article; rule: share button; lines removed: 1",
    ]
    assert chart.to_dict()["usermeta"] == {"caption": "Source: the five articles' raw text and the cleaning rules."}


def test_articles_default_to_the_processed_table():
    # The shipped data: article 003 is Reuters' of 28 January 2026.
    log = pd.DataFrame({"article_id": ["003_5f22817db57bbc42"], "reason": ["nav"], "text": ["Home"]})
    assert list(source_charts.cleaning_by_reason(log).data["article"]) == ["Reuters, 28 January 2026"]

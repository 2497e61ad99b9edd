"""``claims review`` an analyst can trust: readings with bounds, one candidate
per figure per article, the listing in words, and what an accepted claim feeds."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.core import paths
from analysis.evidence import candidates, claim_consistency, claims_review
from analysis.evidence.claims import make_table_consensus
from analysis.metadata.metrics import metrics_table
from analysis.model import claim_feeds

CLAIM_COLUMNS = ["claim_id", "article_id", "metric", "entity", "quote", "sentence_id", "value", "unit", "bound"]

# (candidate value, its bound, curated claims as (value, bound), agrees?)
READINGS = [
    ("above a lower bound", 250_000, "exact", [(200_000, "at_least")], True),
    ("below a lower bound", 150_000, "exact", [(200_000, "at_least")], False),
    ("a lower bound above an exact figure", 2_500_000, "at_least", [(2_000_000, "exact")], False),
    ("a lower bound below an exact figure", 1_500_000, "at_least", [(2_000_000, "exact")], True),
    ("an upper bound above the figure", 500_000, "at_most", [(400_000, "exact")], True),
    ("an upper bound below the figure", 300_000, "at_most", [(400_000, "exact")], False),
    ("between two exact figures", 450_000, "exact", [(400_000, "exact"), (500_000, "exact")], True),
    ("outside two exact figures", 550_000, "approx", [(400_000, "exact"), (500_000, "exact")], False),
    ("the same figure", 700_000, "approx", [(700_000, "exact")], True),
    ("more and up to: anything", 10, "exact", [(400_000, "at_least"), (400_000, "at_most")], True),
]


@pytest.mark.parametrize(("value", "bound", "curated", "expected"), [r[1:] for r in READINGS], ids=[r[0] for r in READINGS])
def test_a_candidate_agrees_when_its_reading_meets_what_the_claims_allow(value, bound, curated, expected):
    claims = pd.DataFrame(
        [(f"c{i}", "900_a", "stock_units", "Nvidia", "q", 1, float(v), "chips", b) for i, (v, b) in enumerate(curated)],
        columns=CLAIM_COLUMNS,
    )
    span = claim_consistency.curated_spans(claims)[("stock_units", "Nvidia")]
    assert claim_consistency.agrees(float(value), bound, span) is expected


def test_readings():
    assert claim_consistency.reading(5.0, "at_least") == (5.0, math.inf)
    assert claim_consistency.reading(5.0, "at_most") == (-math.inf, 5.0)
    assert claim_consistency.reading(5.0, "approx") == (5.0, 5.0) == claim_consistency.reading(5.0, None)


def _candidates(sentences_rows, claims_rows=()):
    sentences = pd.DataFrame(sentences_rows, columns=["article_id", "sentence_id", "text"])
    claims = pd.DataFrame(list(claims_rows), columns=CLAIM_COLUMNS).astype({"value": "float64"})
    consensus = make_table_consensus(claims) if len(claims) else pd.DataFrame(columns=["metric", "entity", "min", "max"])
    return candidates.make_table_candidates(sentences, metrics_table(), claims, consensus)


def test_has_sought_250000_agrees_with_more_than_200000():
    rows = [("901_b", 1, "ByteDance has sought 250,000 H200 chips, two people said.")]
    claim = ("c13", "900_a", "requested_units", "ByteDance", "sought more than 200,000 H200 chips", 1, 200_000.0, "chips", "at_least")
    table = _candidates(rows, [claim])
    assert table[["metric", "entity", "value", "status"]].values.tolist() == [["requested_units", "ByteDance", 250_000.0, "new"]]


HEADLINE = "Nvidia holds 700,000 H200 chips in stock"
BODY = "Nvidia currently holds about 700,000 H200 chips in its stock, one of the people familiar with the matter said."


def test_a_headline_and_its_body_sentence_give_one_candidate():
    table = _candidates([("901_b", 1, HEADLINE), ("901_b", 5, BODY), ("902_c", 1, HEADLINE)])
    mine = table[table["metric"] == "stock_units"]
    assert mine[["article_id", "sentence_id", "status"]].values.tolist() == [["901_b", 5, "new"], ["902_c", 1, "new"]]
    assert mine["quote"].iloc[0] in BODY  # the fuller sentence stands for the figure


def test_a_figure_already_curated_in_the_article_is_not_proposed_again():
    claim = ("c07", "901_b", "stock_units", "Nvidia", "Nvidia holds 700,000 H200 chips", 1, 700_000.0, "chips", "exact")
    table = _candidates([("901_b", 1, HEADLINE), ("901_b", 5, BODY)], [claim])
    mine = table[table["metric"] == "stock_units"]
    assert mine[["sentence_id", "status", "matches_claim"]].values.tolist() == [[1, "curated", "c07"]]


def test_the_listing_is_in_words_and_outlets_not_identifiers():
    claim = ("c13", "900_a", "requested_units", "ByteDance", "sought more than 200,000 H200 chips", 1, 200_000.0, "chips", "at_least")
    table = _candidates(
        [
            ("901_b", 1, "ByteDance has sought 250,000 H200 chips, two people said."),
            ("901_b", 2, "Nvidia has 680,000 H200 chips in stock."),
        ],
        [claim, ("c07", "900_a", "stock_units", "Nvidia", "700,000 H200 chips in stock", 2, 700_000.0, "chips", "exact")],
    )
    claims = pd.DataFrame([claim, ("c07", "900_a", "stock_units", "Nvidia", "q", 2, 700_000.0, "chips", "exact")], columns=CLAIM_COLUMNS)
    claims["cites"] = ["", "Reuters"]
    names = {"900_a": "Le Monde, 2026-01-29", "901_b": "Test Wire, 2026-02-10"}
    descriptions = dict(zip(*metrics_table()[["metric", "description"]].T.values))
    text = "\n".join(claim_consistency.review_entries(table, claims, names, descriptions))
    assert text.splitlines() == [
        " 1. H200 units a named company sought (ByteDance): 250k chips",
        "    Test Wire, 2026-02-10, sentence 1: “ByteDance has sought 250,000 H200 chips”",
        "    agrees with the curated claims, which allow at least 200k chips (Le Monde)",
        " 2. H200 units in Nvidia's stock: 680k chips",
        "    Test Wire, 2026-02-10, sentence 2: “Nvidia has 680,000 H200 chips in stock”",
        "    CONTRADICTS the curated claims, which allow 700k chips (Reuters)",
    ]
    assert not re.search(r"\d{3}_[a-z0-9]+|_units|\[at_least\]|\.total\.", text)
    assert claim_consistency.resolve_ids(["2", "1", "9", "x"], table) == [
        claims_review.candidate_id(table.iloc[1]),
        claims_review.candidate_id(table.iloc[0]),
        "9",
        "x",
    ]


def _row(metric, entity, value, unit, bound="exact"):
    return SimpleNamespace(article_id="901_b", metric=metric, entity=entity, value=value, unit=unit, bound=bound)


def test_an_accepted_price_below_the_scenarios_says_it_conflicts():
    central = paths.SCENARIOS / "central.yaml"
    descriptions = dict(zip(*metrics_table()[["metric", "description"]].T.values))
    price = _row("price_usd_per_chip", "H200", 25_000.0, "USD")
    lines = claim_feeds.accept_lines([price], ["c26"], descriptions, {"901_b": "Test Wire, 2026-02-10"}, [central])
    assert lines == [
        "appended c26: Price of one H200 chip for Chinese buyers, US$25,000 (Test Wire, 2026-02-10)",
        "  feeds no figure: the figures take Price Chinese buyers pay per H200 from the scenario, not from the claims",
        "  conflicts with scenario 'central': Price Chinese buyers pay per H200 is US$27,000 there, range US$20,000 to US$30,000",
    ]
    agreeing = claim_feeds.accept_lines([_row("price_usd_per_chip", "H200", 20_000.0, "USD", "at_least")], ["c27"], {}, {}, [central])
    assert agreeing[-1] == "  agrees with every scenario's Price Chinese buyers pay per H200"


def test_an_accepted_stock_says_which_figures_it_feeds():
    lines = claim_feeds.accept_lines(
        [_row("stock_units", "Nvidia", 700_000.0, "chips", "approx")], ["c27"], {"stock_units": "H200 units in Nvidia's stock"}, {}, []
    )
    assert lines[0] == "appended c27: H200 units in Nvidia's stock, about 700k chips (901_b)"
    feeds = lines[1]
    assert feeds.startswith("  feeds ") and "Nvidia's H200 stock" in feeds and "Orders beyond the stock" in feeds
    from analysis.metadata.registry import figure_registry

    expected = [t for t, inputs in zip(figure_registry()["title"], figure_registry()["inputs"]) if "stock_units" in inputs]
    assert feeds == f"  feeds {len(expected)} figure(s): {'; '.join(expected)}"
    assert claim_feeds.accept_lines([_row("approved_buyer", "DeepSeek", 0.0, None)], ["c28"], {}, {}, [])[1].startswith(
        "  feeds no figure: "
    )

"""Claims: quote check, parsed values, bound readings, consensus."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import copy_raw

from analysis import claims
from analysis.errors import InputError

METRICS = pd.DataFrame(
    {
        "metric": ["approved_units", "firm_orders", "us_take_percent"],
        "unit": ["chips", "", "percent"],
        "needs_value": [True, False, True],
        "description": ["", "", ""],
    }
)
SENTENCES = pd.DataFrame(
    {
        "article_id": ["a", "a", "b", "c"],
        "sentence_id": [1, 2, 1, 1],
        "text": [
            "Pékin autorise plus de 400 000 puces H200.",
            "Huang n'a pas encore de commandes fermes.",
            "Au total, jusqu'à 400 000 GPU pourraient être concernés.",
            "Beijing approved 400,000 chips and a 25% fee.",
        ],
    }
)


def _claims(*rows: tuple[str, str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=claims.CLAIM_COLUMNS)


def test_values_are_parsed_from_quotes_and_located():
    table = claims.make_table_claims(
        _claims(
            ("c1", "a", "approved_units", "total", "plus de 400\u00a0000 puces H200"),
            ("c2", "a", "firm_orders", "Nvidia", "pas encore de commandes fermes"),
            ("c3", "b", "approved_units", "total", "jusqu\u2019à 400 000 GPU"),
            ("c4", "c", "us_take_percent", "US government", "a 25% fee"),
        ),
        SENTENCES,
        METRICS,
    )
    assert table["sentence_id"].tolist() == [1, 2, 1, 1]
    assert table["value"].tolist()[::2] == [400000.0, 400000.0] and table["value"].iloc[3] == 25.0
    assert table["unit"].fillna("-").tolist() == ["chips", "-", "chips", "percent"]
    assert table["bound"].fillna("-").tolist() == ["at_least", "-", "at_most", "exact"]
    assert pd.isna(table.loc[1, "value"])


@pytest.mark.parametrize(
    "row, reason",
    [
        (("c1", "a", "approved_units", "total", "plus de 500 000 puces"), "quote not found"),
        (("c1", "z", "approved_units", "total", "plus de 400 000 puces"), "unknown article_id 'z'"),
        (("c1", "a", "nonsense", "total", "plus de 400 000 puces"), "unknown metric 'nonsense'"),
        (("c1", "a", "approved_units", "total", "Huang n'a pas encore"), "needs a number"),
        (("c1", "c", "approved_units", "total", "a 25% fee"), "is in 'chips'"),
    ],
)
def test_bad_claims_name_the_row_and_reason(row, reason):
    with pytest.raises(InputError, match=r"claims\.csv, row 2 \(c1\)") as err:
        claims.make_table_claims(_claims(row), SENTENCES, METRICS)
    assert reason in str(err.value)


def test_duplicate_claim_id_is_refused():
    row = ("c1", "a", "approved_units", "total", "plus de 400 000 puces")
    with pytest.raises(InputError, match=r"row 3 \(c1\): duplicate claim_id"):
        claims.make_table_claims(_claims(row, row), SENTENCES, METRICS)


def test_consensus_flags_a_lower_bound_against_an_upper_bound():
    table = claims.make_table_claims(
        _claims(
            ("c1", "a", "approved_units", "total", "plus de 400 000 puces"),
            ("c3", "b", "approved_units", "total", "jusqu'à 400 000 GPU"),
            ("c5", "c", "approved_units", "total", "400,000 chips"),
            ("c2", "a", "firm_orders", "Nvidia", "pas encore de commandes fermes"),
        ),
        SENTENCES,
        METRICS,
    )
    consensus = claims.make_table_consensus(table).set_index(["metric", "entity"])
    approved = consensus.loc[("approved_units", "total")]
    assert (approved["n_articles"], approved["n_claims"], approved["min"], approved["max"]) == (3, 3, 400000.0, 400000.0)
    assert approved["bounds"] == "at_least;at_most;exact"
    assert approved["disagree"]
    assert approved["disagreement"] == "bounds conflict: at_least (c1) vs at_most (c3)"
    firm = consensus.loc[("firm_orders", "Nvidia")]
    assert firm["n_articles"] == 1 and pd.isna(firm["min"]) and not firm["disagree"]


def test_consensus_flags_different_values():
    claims_table = pd.DataFrame(
        {
            "claim_id": ["x1", "x2"],
            "article_id": ["a", "b"],
            "metric": ["m", "m"],
            "entity": ["e", "e"],
            "quote": ["q", "q"],
            "sentence_id": [1, 1],
            "value": [6.0, 6.7],
            "unit": ["times", "times"],
            "bound": ["approx", "exact"],
        }
    )
    row = claims.make_table_consensus(claims_table).iloc[0]
    assert row["disagree"] and row["disagreement"] == "values differ: 6 (x1), 6.7 (x2)"


def test_two_articles_quoting_the_same_wire_count_once():
    claims_table = claims.make_table_claims(
        pd.DataFrame(
            [
                ("c1", "a", "approved_units", "total", "plus de 400 000 puces H200", "Reuters"),
                ("c3", "b", "approved_units", "total", "jusqu'à 400 000 GPU", ""),
                ("c5", "d", "approved_units", "total", "more than 400,000 chips", "Reuters"),
            ],
            columns=[*claims.CLAIM_COLUMNS, "cites"],
        ),
        pd.concat([SENTENCES, pd.DataFrame({"article_id": ["d"], "sentence_id": [1], "text": ["It approved more than 400,000 chips."]})]),
        METRICS,
        outlets={"b": "Minor Outlet"},
    )
    assert claims_table["cites"].tolist() == ["Reuters", "Minor Outlet", "Reuters"]
    row = claims.make_table_consensus(claims_table).iloc[0]
    assert (row["n_articles"], row["n_claims"], row["n_independent_sources"]) == (3, 3, 2)
    assert row["disagreement"] == (
        "bounds conflict: at_least (c1, c5) vs at_most (c3); "
        "at_most rests on a single source (Minor Outlet, in article b), against Reuters, carried by 2 articles"
    )
    # Without the wire's name each article is its own source: three.
    plain = claims_table.assign(cites=claims_table["article_id"])
    row = claims.make_table_consensus(plain).iloc[0]
    assert row["n_independent_sources"] == 3 and row["disagreement"].endswith(
        "rests on article b alone, which names no source, against a, d, carried by 2 articles"
    )


def test_cites_is_optional_for_appended_rows(tmp_path):
    raw = copy_raw(tmp_path)
    with (raw / "claims.csv").open("a", encoding="utf-8") as out:  # a row appended with the cites cell left empty
        out.write("c26,001_e6fce53cebec8c0e,requested_units,Alibaba,qui auraient privé plus de 200 000 unités H200 chacune,\n")
    curated = claims.read_claims(raw)
    assert curated.loc[curated["claim_id"] == "c26", "cites"].item() == ""
    assert curated.loc[curated["claim_id"] == "c01", "cites"].item() == "Reuters"
    # A file without the column at all reads the same way.
    (raw / "claims.csv").write_text(
        "claim_id,article_id,metric,entity,quote\nc01,000_986cc8c17a2d2c6e,stock_units,Nvidia,un stock de 700 000 unités\n",
        encoding="utf-8",
    )
    assert claims.read_claims(raw)["cites"].tolist() == [""]


def test_committed_consensus_matches_the_articles():
    from analysis import paths

    consensus = pd.read_csv(paths.PROCESSED / "consensus.csv").set_index(["metric", "entity"])
    approved = consensus.loc[("approved_units", "total")]
    # Seeds 000, 002, 003, 004 state the approved batch; 002 says "jusqu'à", the others "plus de".
    assert (approved["n_articles"], approved["min"], approved["max"]) == (4, 400000.0, 400000.0)
    assert approved["disagree"] and "at_most (c15)" in approved["disagreement"]
    # Seeds 000, 003 and 004 all rely on the Reuters dispatch; 002 cites nobody.
    assert approved["n_independent_sources"] == 2
    assert "at_most rests on article 002_365c5dd10a5ec3f5 alone, which names no source" in approved["disagreement"]
    assert ", against Reuters, carried by 3 articles" in approved["disagreement"]
    assert consensus.loc[("orders_units", "total"), "n_independent_sources"] == 1  # 000 and 003: Reuters
    assert consensus.loc[("firm_orders", "Nvidia"), "n_independent_sources"] == 2  # Huang (002), Reuters (003)
    assert consensus.loc[("orders_units", "total"), "min"] == 2_000_000
    assert consensus.loc[("stock_units", "Nvidia"), "min"] == 700_000
    assert consensus.loc[("us_take_percent", "US government"), "max"] == 25
    assert consensus.loc[("h200_h20_ratio", "H200/H20"), "bounds"] == "approx;at_most"


def test_bound_readings():
    args = {"lower_bound_uplift": 0.1, "upper_bound_cut": 0.2, "approx_margin": 0.05}
    assert claims.bound_readings(400, 400, "at_least;at_most;exact", **args) == pytest.approx({"low": 320, "central": 400, "high": 440})
    assert claims.bound_readings(700, 700, "approx", **args) == pytest.approx({"low": 665, "central": 700, "high": 735})
    assert claims.bound_readings(25, 25, "exact", **args) == {"low": 25, "central": 25, "high": 25}


def test_a_vague_amount_never_feeds_a_claim():
    from analysis.claims import make_table_claims, read_metrics

    sentences = pd.DataFrame([{"article_id": "900_x", "sentence_id": 1, "text": "Beijing approved several hundred thousand H200 chips."}])
    claims = pd.DataFrame(
        [
            {
                "claim_id": "c01",
                "article_id": "900_x",
                "metric": "approved_units",
                "entity": "total",
                "quote": "approved several hundred thousand H200 chips",
            }
        ]
    )
    with pytest.raises(InputError, match="needs a precise number, but the quote's is vague"):
        make_table_claims(claims, sentences, read_metrics())

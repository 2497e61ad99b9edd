"""Claims: quote check, parsed values, dates and statuses, bound readings, consensus per date, the claims known at a date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from helpers import copy_raw

from analysis.core.errors import InputError
from analysis.evidence import claims

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


#: Every test article's publication date (article "u" is undated).
PUBLISHED = {"a": "2026-01-28", "b": "2026-01-30", "c": "2026-02-24", "d": "2026-01-28"}


def _claims(*rows: tuple[str, ...]) -> pd.DataFrame:
    """Claims rows: the five curated columns, then optionally as_of and status."""
    columns = [*claims.CLAIM_COLUMNS, "as_of", "status"]
    return pd.DataFrame([(*row, *[""] * (len(columns) - len(row))) for row in rows], columns=columns)


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
        published=PUBLISHED,
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
        claims.make_table_claims(_claims(row), SENTENCES, METRICS, published=PUBLISHED)
    assert reason in str(err.value)


def test_duplicate_claim_id_is_refused():
    row = ("c1", "a", "approved_units", "total", "plus de 400 000 puces")
    with pytest.raises(InputError, match=r"row 3 \(c1\): duplicate claim_id"):
        claims.make_table_claims(_claims(row, row), SENTENCES, METRICS, published=PUBLISHED)


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
        published={"a": "2026-01-28", "b": "2026-01-30", "c": "2026-01-30"},
    )
    # c1 holds at article a's date, c3 and c5 at b's and c's: one date is not weighed against another.
    assert claims.make_table_consensus(table)["as_of"].tolist() == ["2026-01-28", "2026-01-30", "2026-01-28"]
    table = table.assign(as_of="2026-01-30")  # at one date, the three meet
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
        published={"a": "2026-01-28", "b": "2026-01-28", "d": "2026-01-28"},
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
    with (raw / "claims.csv").open("a", encoding="utf-8") as out:  # a row appended with the optional cells left empty
        out.write("c99,001_e6fce53cebec8c0e,requested_units,Alibaba,qui auraient privé plus de 200 000 unités H200 chacune,,,,\n")
    curated = claims.read_claims(raw)
    assert curated.loc[curated["claim_id"] == "c99", ["cites", "as_of", "status", "note"]].values.tolist() == [["", "", "", ""]]
    assert curated.loc[curated["claim_id"] == "c01", "cites"].item() == "Reuters"
    # A file without the column at all reads the same way.
    (raw / "claims.csv").write_text(
        "claim_id,article_id,metric,entity,quote\nc01,000_986cc8c17a2d2c6e,stock_units,Nvidia,un stock de 700 000 unités\n",
        encoding="utf-8",
    )
    assert claims.read_claims(raw)[["cites", "as_of", "status"]].values.tolist() == [["", "", ""]]


def test_committed_consensus_matches_the_articles():
    from analysis.core import paths

    consensus = pd.read_csv(paths.PROCESSED / "consensus.csv").set_index(["metric", "entity", "as_of"])
    january = "2026-01-28"  # the seeds all state the news Reuters reported that day
    approved = consensus.loc[("approved_units", "total", january)]
    # Seeds 000, 002, 003, 004 state the approved batch; 002 says "jusqu'à", the others "plus de".
    assert (approved["n_articles"], approved["min"], approved["max"]) == (4, 400000.0, 400000.0)
    assert approved["disagree"] and "at_most (c15)" in approved["disagreement"]
    # Seeds 000, 003 and 004 all rely on the Reuters dispatch; 002 cites nobody.
    assert approved["n_independent_sources"] == 2
    assert "at_most rests on article 002_365c5dd10a5ec3f5 alone, which names no source" in approved["disagreement"]
    assert ", against Reuters, carried by 3 articles" in approved["disagreement"]
    assert consensus.loc[("orders_units", "total", january), "n_independent_sources"] == 1  # 000 and 003: Reuters
    assert consensus.loc[("firm_orders", "Nvidia", january), "n_independent_sources"] == 2  # Huang (002), Reuters (003)
    assert consensus.loc[("orders_units", "total", january), "min"] == 2_000_000
    assert consensus.loc[("stock_units", "Nvidia", january), "min"] == 700_000
    assert consensus.loc[("us_take_percent", "US government", january), "max"] == 25
    assert consensus.loc[("h200_h20_ratio", "H200/H20", january), "bounds"] == "approx;at_most"
    # The later news: three articles, one wire, say none had been delivered at the hearing of 24 February.
    hearing = consensus.loc[("delivered_units", "total", "2026-02-24")]
    assert (hearing["min"], hearing["max"], hearing["n_articles"], hearing["claim_ids"]) == (0, 0, 2, "c28;c29;c35")
    assert consensus.loc[("us_licence_status", "US government", "2026-02-26"), "statuses"] == "limited"
    assert consensus.loc[("beijing_import_status", "Beijing", "2026-06-01"), "statuses"] == "paused"


def test_bound_readings():
    args = {"lower_bound_uplift": 0.1, "upper_bound_cut": 0.2, "approx_margin": 0.05}
    assert claims.bound_readings(400, 400, "at_least;at_most;exact", **args) == pytest.approx({"low": 320, "central": 400, "high": 440})
    assert claims.bound_readings(700, 700, "approx", **args) == pytest.approx({"low": 665, "central": 700, "high": 735})
    assert claims.bound_readings(25, 25, "exact", **args) == {"low": 25, "central": 25, "high": 25}


def test_a_vague_amount_never_feeds_a_claim():
    from analysis.evidence.claims import make_table_claims
    from analysis.metadata.metrics import metrics_table

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
        make_table_claims(claims, sentences, metrics_table())


# --- dates and statuses ----------------------------------------------------------------------

GATE_METRICS = pd.concat(
    [METRICS, pd.DataFrame({"metric": ["us_licence_status"], "unit": [""], "needs_value": [False], "description": [""]})],
    ignore_index=True,
)
GATE_SENTENCES = pd.concat(
    [
        SENTENCES,
        pd.DataFrame(
            {"article_id": ["u"], "sentence_id": [1], "text": ["Washington has so far authorised only a small number of H200 exports."]}
        ),
    ],
    ignore_index=True,
)
LICENCE = ("c1", "u", "us_licence_status", "US government", "only a small number of H200 exports")


def test_as_of_defaults_to_the_publication_date_and_may_be_earlier():
    table = claims.make_table_claims(
        _claims(
            ("c1", "a", "approved_units", "total", "plus de 400 000 puces H200"),  # article a: 2026-01-28
            ("c2", "c", "us_take_percent", "US government", "a 25% fee", "2026-02-20"),  # "as of" before its 2026-02-24
            ("c3", *LICENCE[1:], "2026-03-03", "limited"),  # undated article: its own date
        ),
        GATE_SENTENCES,
        GATE_METRICS,
        published={**PUBLISHED, "u": ""},
    )
    assert table["as_of"].tolist() == ["2026-01-28", "2026-02-20", "2026-03-03"]
    assert table["status"].fillna("-").tolist() == ["-", "-", "limited"]
    assert pd.isna(table.loc[2, "value"])


@pytest.mark.parametrize(
    "row, reason",
    [
        ((*LICENCE, "", "limited"), "no as_of, and article u has no publication date: give the claim an as_of"),
        (
            ("c1", "a", "approved_units", "total", "plus de 400 000 puces", "2026-02-01"),
            "as_of 2026-02-01 is after the article's publication date 2026-01-28",
        ),
        (("c1", "a", "approved_units", "total", "plus de 400 000 puces", "2026-02-30"), "as_of '2026-02-30' is not a YYYY-MM-DD date"),
        (
            ("c1", "a", "approved_units", "total", "plus de 400 000 puces", "", "limited"),
            "only us_licence_status, beijing_import_status take a status",
        ),
        ((*LICENCE, "2026-03-03", ""), "metric 'us_licence_status' needs a status, one of none, limited, issued; got ''"),
        ((*LICENCE, "2026-03-03", "open"), "needs a status, one of none, limited, issued; got 'open'"),
    ],
)
def test_bad_dates_and_statuses_name_the_row_and_reason(row, reason):
    with pytest.raises(InputError, match=r"claims\.csv, row 2 \(c1\)") as err:
        claims.make_table_claims(_claims(row), GATE_SENTENCES, GATE_METRICS, published={**PUBLISHED, "u": ""})
    assert reason in str(err.value)


def test_a_bad_status_in_claims_csv_stops_the_build_naming_the_row(tmp_path, capsys):
    from helpers import copy_raw, replace_in_file

    from analysis.__main__ import main

    raw = copy_raw(tmp_path)
    replace_in_file(
        raw / "claims.csv", "Beijing told companies to pause purchases,,,paused,", "Beijing told companies to pause purchases,,,stopped,"
    )
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    error = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(error) == 1 and "claims.csv, row 49 (c48)" in error[0]
    assert "needs a status, one of blocked, paused, allowed; got 'stopped'" in err
    assert not (tmp_path / "out").exists()


# A toy record, computed by hand. Article "a" is of 28 January; "u" is undated, its claims hold at
# 20 January and 1 February, so it arrives on 20 January; "late", of 1 March, says 5,000 had been
# delivered as of 25 January. Columns as in the processed claims table.
TOY_ARTICLES = pd.DataFrame({"article_id": ["a", "u", "late"], "published": ["2026-01-28", None, "2026-03-01"]})
TOY = pd.DataFrame(
    [
        ("k1", "a", "delivered_units", "total", 0.0, "exact", "2026-01-28", None),
        ("k2", "u", "delivered_units", "total", 0.0, "exact", "2026-01-20", None),
        ("k3", "late", "delivered_units", "total", 5000.0, "exact", "2026-01-25", None),
        ("k4", "late", "us_licence_status", "US government", None, None, "2026-03-01", "limited"),
        ("k5", "a", "us_licence_status", "US government", None, None, "2026-01-28", "none"),
        ("k6", "u", "us_licence_status", "US government", None, None, "2026-02-01", "none"),
    ],
    columns=["claim_id", "article_id", "metric", "entity", "value", "bound", "as_of", "status"],
).assign(
    quote="q", sentence_id=1, unit=lambda t: t["value"].map(lambda v: None if pd.isna(v) else "chips"), cites=lambda t: t["article_id"]
)


def test_evidence_arrives_on_publication_or_the_earliest_date_its_claims_hold():
    assert claims.evidence_date(TOY_ARTICLES, TOY).to_dict() == {"a": "2026-01-28", "u": "2026-01-20", "late": "2026-03-01"}
    assert claims.evidence_dates(TOY_ARTICLES, TOY) == ["2026-01-20", "2026-01-28", "2026-03-01"]
    # Without the claims, an undated article has no arrival date and never counts.
    assert claims.evidence_date(TOY_ARTICLES).to_dict() == {"a": "2026-01-28", "u": None, "late": "2026-03-01"}


def test_an_article_published_after_as_of_changes_nothing():
    known = claims.claims_as_of(TOY, TOY_ARTICLES, "2026-02-15")
    assert known["claim_id"].tolist() == ["k1", "k2", "k5", "k6"]
    pd.testing.assert_frame_equal(
        claims.claims_as_of(TOY, TOY_ARTICLES, date(2026, 2, 15)), known
    )  # a date works as well  # k3 holds at 25 Jan, but its article arrives on 1 Mar
    without_late = claims.claims_as_of(TOY[TOY["article_id"] != "late"], TOY_ARTICLES, "2026-02-15")
    pd.testing.assert_frame_equal(known, without_late)
    pd.testing.assert_frame_equal(claims.consensus_at(known), claims.consensus_at(without_late))
    before_any = claims.claims_as_of(TOY, TOY_ARTICLES, "2026-01-19")
    assert before_any.empty and claims.consensus_at(before_any).empty and claims.observations(before_any).empty
    assert list(claims.consensus_at(before_any).columns) == list(claims.CONSENSUS_SCHEMA.columns)
    with pytest.raises(InputError, match="as_of '15/02/2026' is not a YYYY-MM-DD date"):
        claims.claims_as_of(TOY, TOY_ARTICLES, "15/02/2026")


def test_consensus_at_takes_each_metric_at_its_latest_date():
    february = claims.consensus_at(claims.claims_as_of(TOY, TOY_ARTICLES, "2026-02-15"))
    # By then one numeric metric is known: delivered_units, 0 chips from one exact claim of one article.
    assert february.loc[february["min"].notna(), "metric"].tolist() == ["delivered_units"]
    february = february.set_index("metric")
    said = ["entity", "unit", "n_articles", "n_claims", "n_independent_sources", "bounds"]
    assert february.loc["delivered_units", said].tolist() == ["total", "chips", 1, 1, 1, "exact"]
    assert february.loc["delivered_units", ["as_of", "min", "max", "claim_ids"]].tolist() == ["2026-01-28", 0.0, 0.0, "k1"]
    assert february.loc["us_licence_status", ["as_of", "statuses", "claim_ids"]].tolist() == ["2026-02-01", "none", "k6"]
    march = claims.consensus_at(claims.claims_as_of(TOY, TOY_ARTICLES, "2026-03-01")).set_index("metric")
    # k3 (5,000 as of 25 Jan) is known by then, but the 28 Jan figure is later: still none delivered.
    assert march.loc["delivered_units", ["as_of", "min", "claim_ids"]].tolist() == ["2026-01-28", 0.0, "k1"]
    assert march.loc["us_licence_status", ["as_of", "statuses", "claim_ids"]].tolist() == ["2026-03-01", "limited", "k4"]
    assert list(march.reset_index().columns) == list(claims.CONSENSUS_SCHEMA.columns)


def test_statuses_that_differ_at_one_date_disagree():
    two = TOY[TOY["claim_id"].isin(["k4", "k6"])].assign(as_of="2026-03-01")
    row = claims.make_table_consensus(two).iloc[0]
    assert (row["statuses"], row["disagree"], row["disagreement"]) == ("limited;none", True, "statuses differ: limited (k4), none (k6)")


def test_observations_are_one_row_per_metric_entity_and_date():
    table = claims.observations(TOY)
    assert list(table.columns) == ["metric", "entity", "as_of", "value", "bound", "status", "claim_ids", "article_ids"]
    rows = [tuple(None if pd.isna(v) else v for v in row) for row in table.itertuples(index=False)]
    assert rows == [
        ("delivered_units", "total", "2026-01-20", 0.0, "exact", None, "k2", "u"),
        ("delivered_units", "total", "2026-01-25", 5000.0, "exact", None, "k3", "late"),
        ("delivered_units", "total", "2026-01-28", 0.0, "exact", None, "k1", "a"),
        ("us_licence_status", "US government", "2026-01-28", None, None, "none", "k5", "a"),
        ("us_licence_status", "US government", "2026-02-01", None, None, "none", "k6", "u"),
        ("us_licence_status", "US government", "2026-03-01", None, None, "limited", "k4", "late"),
    ]
    # Two claims of one date that differ: the midpoint, both bounds.
    pair = TOY[TOY["claim_id"].isin(["k1", "k3"])].assign(as_of="2026-01-28", bound=["exact", "at_least"])
    assert claims.observations(pair)[["value", "bound", "claim_ids", "article_ids"]].values.tolist() == [
        [2500.0, "at_least;exact", "k1;k3", "a;late"]
    ]


def test_the_committed_record_by_date():
    from analysis.core import paths
    from analysis.metadata.processed import read_processed

    committed = read_processed("claims", paths.PROCESSED)
    articles = read_processed("articles", paths.PROCESSED)
    assert committed["as_of"].notna().all()
    gates = committed["metric"].isin(["us_licence_status", "beijing_import_status"])
    assert committed.loc[gates, "status"].notna().all() and committed.loc[~gates, "status"].isna().all()
    # The January view is the five seeds' claims, all of 28 January; their consensus is the committed one of that date.
    january = claims.claims_as_of(committed, articles, "2026-01-30")
    assert january["claim_id"].tolist() == [f"c{n:02d}" for n in range(1, 26)]
    assert set(january["as_of"]) == {"2026-01-28"}
    consensus = read_processed("consensus", paths.PROCESSED)
    expected = consensus[consensus["as_of"] == "2026-01-28"].reset_index(drop=True)

    def cells(frame: pd.DataFrame) -> list[list[str]]:
        return frame.astype(object).where(frame.notna(), None).astype(str).values.tolist()

    assert cells(claims.consensus_at(january)) == cells(expected) and len(expected) == 11
    # One evidence date per day an article appeared, from the seeds' 28 January to 1 June.
    assert claims.evidence_dates(articles, committed) == [
        "2026-01-28", "2026-01-30", "2026-02-05", "2026-02-24", "2026-02-25", "2026-02-26", "2026-03-03",
        "2026-03-05", "2026-03-07", "2026-03-10", "2026-05-15", "2026-05-20", "2026-06-01",
    ]  # fmt: skip
    # In June: none delivered (1 June), licences issued, Beijing's pause, ten buyers cleared at up to 75,000 each.
    june = claims.consensus_at(claims.claims_as_of(committed, articles, "2026-06-30")).set_index(["metric", "entity"])
    assert june.loc[("delivered_units", "total"), ["as_of", "max"]].tolist() == ["2026-06-01", 0.0]
    assert june.loc[("us_licence_status", "US government"), "statuses"] == "issued"
    assert june.loc[("beijing_import_status", "Beijing"), "statuses"] == "paused"
    assert june.loc[("us_cleared_buyers", "US government"), ["min", "bounds"]].tolist() == [10.0, "approx"]
    assert june.loc[("per_customer_cap_units", "US rule"), ["min", "bounds"]].tolist() == [75_000.0, "at_most"]


@pytest.mark.parametrize("table", ["toy", "committed"])
def test_the_consensus_at_a_date_read_from_every_dates_weighing_is_the_one_weighed_on_its_own(table):
    """Tables.load weighs a date's claims once and takes the consensus and the observations from it:
    the same frames as weighing the latest dates' claims again, at every evidence date."""
    from analysis.core import paths
    from analysis.metadata.processed import read_processed

    if table == "toy":
        held_claims, articles = TOY, TOY_ARTICLES
    else:
        held_claims, articles = read_processed("claims", paths.PROCESSED), read_processed("articles", paths.PROCESSED)
    dates = ["2025-12-31", *claims.evidence_dates(articles, held_claims)]
    for day in dates:
        held = claims.claims_as_of(held_claims, articles, day)
        weighed = claims.make_table_consensus(held)
        pd.testing.assert_frame_equal(claims.consensus_at(held, weighed), claims.consensus_at(held))
        pd.testing.assert_frame_equal(claims.observations(held, weighed), claims.observations(held))

"""Claims (quote check, parsed values, consensus) and specs (equivalents, fact checks)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import claims, specs
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
            "claim_id": ["x1", "x2"], "article_id": ["a", "b"], "metric": ["m", "m"], "entity": ["e", "e"],
            "quote": ["q", "q"], "sentence_id": [1, 1], "value": [6.0, 6.7], "unit": ["times", "times"],
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
    assert row["n_independent_sources"] == 3 and row["disagreement"].endswith("rests on article b alone, which names no source, against a, d, carried by 2 articles")


def test_cites_is_optional_for_appended_rows(tmp_path):
    from _util import copy_raw

    raw = copy_raw(tmp_path)
    with (raw / "claims.csv").open("a", encoding="utf-8") as out:  # a row appended with the cites cell left empty
        out.write("c26,001_e6fce53cebec8c0e,requested_units,Alibaba,qui auraient privé plus de 200 000 unités H200 chacune,\n")
    curated = claims.read_claims(raw)
    assert curated.loc[curated["claim_id"] == "c26", "cites"].item() == ""
    assert curated.loc[curated["claim_id"] == "c01", "cites"].item() == "Reuters"
    # A file without the column at all reads the same way.
    (raw / "claims.csv").write_text(
        "claim_id,article_id,metric,entity,quote\nc01,000_986cc8c17a2d2c6e,stock_units,Nvidia,un stock de 700 000 unités\n", encoding="utf-8"
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


def test_spec_equivalents_from_the_table():
    table = specs.make_table_specs(specs.read_specs()).set_index("chip")
    # Hand computed from facts.md: 989.5 / 989.4 and 989.5 / 148.
    assert table.at["H200 SXM", "h100_equiv_bf16"] == pytest.approx(1.000101, rel=1e-6)
    assert table.at["H200 SXM", "h20_equiv_bf16"] == pytest.approx(6.685811, rel=1e-6)
    assert table.at["Ascend 910C", "h100_equiv_bf16"] == pytest.approx(800 / 989.4)
    assert specs.ratio(table.reset_index(), "H200 SXM", "H20", "memory_bandwidth_tbps") == pytest.approx(1.2)


def test_fact_checks_cite_the_specs():
    from analysis import paths

    checks = pd.read_csv(paths.PROCESSED / "fact_checks.csv").set_index("check_id")
    assert checks.at["fc01", "verdict"] == "false" and "made by Nvidia" in checks.at["fc01", "evidence"]
    assert checks.at["fc03", "verdict"] == "false" and "TPP 15,832 vs 15,832" in checks.at["fc03", "evidence"]
    assert checks.at["fc04", "verdict"] == "partly true"
    assert "6.7x in BF16" in checks.at["fc04", "evidence"] and "1.2x in memory bandwidth" in checks.at["fc04", "evidence"]
    # "jusqu'à six fois" is an upper bound: 6.7x exceeds it.
    assert checks.at["fc05", "verdict"] == "false" and "is exceeded" in checks.at["fc05", "evidence"]
    # "second most powerful": B200 and B300 are above the H200 by TPP (seeds 002 and 003).
    for check_id in ("fc06", "fc07"):
        assert checks.at[check_id, "verdict"] == "false" and "ranks 3rd" in checks.at[check_id, "evidence"]
    assert checks.at["fc06", "article_id"].startswith("002") and checks.at["fc07", "article_id"].startswith("003")
    # TSMC: the sourced start (Q2 2026) is before the article's H2 2026.
    assert checks.at["fc08", "verdict"] == "partly true" and "Q2 2026" in checks.at["fc08", "evidence"]
    # "immediate": none delivered 27 days after the approval (28 Jan to 24 Feb 2026).
    assert checks.at["fc09", "verdict"] == "false" and "0 as of 24 Feb 2026" in checks.at["fc09", "evidence"]
    assert "27 days after" in checks.at["fc09", "evidence"]
    spec_based = checks["spec_rows"].notna()
    assert checks.loc[spec_based, "source"].str.contains("Epoch AI").all()
    assert checks.loc[~spec_based, "source"].str.contains("Reuters").all() and checks.loc[~spec_based, "fact_rows"].notna().all()


SPECS = pd.DataFrame({
    "chip": ["Big", "Mid", "Old", "Small", "Rival"], "vendor": ["V", "V", "V", "V", "W"], "vendor_country": ["US"] * 4 + ["CN"],
    "bf16_tflops": [2000.0, 1000.0, 1000.0, 100.0, 900.0], "tpp": [32000.0, 16000.0, 16000.0, 1600.0, 14400.0],
    "memory_bandwidth_tbps": [8.0, 4.0, 3.0, 3.8, 3.0], "memory_gb": [192.0, 141.0, 80.0, 96.0, 128.0],
    "note": [None] * 5, "source": ["s"] * 5,
})
FACTS = pd.DataFrame({
    "fact_id": ["ramp", "approval", "delivered"], "description": ["Ramp start", "Approval", "Delivered"],
    "value": [None, None, 0.0], "unit": [None, None, "chips"], "period": ["2026-Q2", "2026-01-28", "2026-02-24"],
    "source": ["src"] * 3,
})


def _verdict(rule: str, subject: str, reference: str, quote: str = "", specs_table: pd.DataFrame = SPECS) -> str:
    check = specs.Check(quote, subject, reference)
    return specs.FACT_CHECK_RULES[rule](check, specs.Evidence(specs_table, FACTS)).verdict


@pytest.mark.parametrize(
    "rule, subject, reference, quote, verdict",
    [
        ("rank", "Mid", "2", "", "true"),
        ("rank", "Mid", "1", "", "false"),
        ("rank", "Small", "2", "", "false"),  # three above it
        ("rank", "Rival", "1", "", "true"),  # ranked among its own vendor's chips
        ("ratio", "Mid", "Small", "jusqu'à dix fois plus puissante", "true"),  # 10x in BF16 and TPP: an upper bound of ten holds
        ("ratio", "Mid", "Small", "jusqu'à six fois plus puissante", "false"),
        ("ratio", "Mid", "Small", "plus de douze fois plus puissante", "false"),
        ("ratio", "Mid", "Small", "environ neuf fois plus puissante", "partly true"),  # compute within 15%, memory not
        ("ratio", "Mid", "Small", "environ six fois plus puissante", "false"),  # off by 40%
        ("made_by", "Small", "V", "", "true"),
        ("made_by", "Small", "CN", "", "false"),
        ("made_by", "Rival", "CN", "", "true"),
        ("cut_down", "Mid", "Old", "", "false"),  # same TPP: not cut down
        ("cut_down", "Small", "Mid", "", "true"),
        ("starts_by", "ramp", "2026-H2", "", "partly true"),  # starts before the period said
        ("starts_by", "ramp", "2026-Q2", "", "true"),
        ("starts_by", "ramp", "2026-Q1", "", "false"),  # said to happen before it starts
        ("happened_by", "delivered", "approval", "", "false"),
    ],
)
def test_fact_check_rules_compute_verdicts_from_the_rows(rule, subject, reference, quote, verdict):
    assert _verdict(rule, subject, reference, quote) == verdict


def test_rank_follows_the_spec_table():
    # Without the B300 row, the H200 is second by TPP behind the B200 only: the same check turns true.
    table = specs.make_table_specs(specs.read_specs())
    check = specs.Check("", "H200 SXM", "2")
    evidence = specs.Evidence(table[table["chip"] != "B300"], FACTS)
    assert specs.FACT_CHECK_RULES["rank"](check, evidence).verdict == "true"
    assert specs.FACT_CHECK_RULES["rank"](check, specs.Evidence(table, FACTS)).verdict == "false"


def test_fact_check_with_unknown_rule_or_subject_names_the_row(tmp_path, capsys):
    from _util import copy_raw, replace_in_file

    from analysis.__main__ import main

    raw = copy_raw(tmp_path)
    replace_in_file(raw / "fact_checks.csv", ",rank,H200 SXM,2", ",rank,H300,2")
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    assert "fact_checks.csv, row 7 (fc06): rule 'rank' cannot be applied: chip 'H300' is not in chip_specs.csv" in capsys.readouterr().err
    replace_in_file(raw / "fact_checks.csv", ",rank,H300,2", ",rnak,H200 SXM,2")
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    assert "fact_checks.csv, row 7 (fc06): unknown rule 'rnak'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_spec_without_source_or_with_bad_number_is_refused(tmp_path):
    from _util import copy_raw, replace_in_file

    raw = copy_raw(tmp_path)
    replace_in_file(raw / "chip_specs.csv", "H20,Nvidia,US,148,", "H20,Nvidia,US,fast,")
    with pytest.raises(InputError, match=r"chip_specs\.csv, row 4 \(H20\): bf16_tflops 'fast' is not a positive number"):
        specs.read_specs(raw)
    replace_in_file(raw / "chip_specs.csv", "H20,Nvidia,US,fast,", "H20,Nvidia,USA,148,")
    with pytest.raises(InputError, match=r"row 4 \(H20\): vendor_country 'USA' is not a two-letter country code"):
        specs.read_specs(raw)

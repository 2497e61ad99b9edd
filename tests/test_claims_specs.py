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


def test_committed_consensus_matches_the_articles():
    from analysis import paths

    consensus = pd.read_csv(paths.PROCESSED / "consensus.csv").set_index(["metric", "entity"])
    approved = consensus.loc[("approved_units", "total")]
    # Seeds 000, 002, 003, 004 state the approved batch; 002 says "jusqu'à", the others "plus de".
    assert (approved["n_articles"], approved["min"], approved["max"]) == (4, 400000.0, 400000.0)
    assert approved["disagree"] and "at_most (c15)" in approved["disagreement"]
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
    assert checks["source"].str.contains("Epoch AI").all()


def test_spec_without_source_or_with_bad_number_is_refused(tmp_path):
    from _util import copy_raw, replace_in_file

    raw = copy_raw(tmp_path)
    replace_in_file(raw / "chip_specs.csv", "H20,Nvidia,148,", "H20,Nvidia,fast,")
    with pytest.raises(InputError, match=r"chip_specs\.csv, row 4 \(H20\): bf16_tflops 'fast' is not a positive number"):
        specs.read_specs(raw)

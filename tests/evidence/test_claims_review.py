"""``python -m analysis claims review``: the candidates' names, the listing of those not yet
curated, reading the candidates table back, and appending the accepted ones to ``claims.csv``."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from helpers import copy_raw

from analysis.__main__ import main
from analysis.core.errors import InputError
from analysis.evidence.claims_review import CANDIDATE_COLUMNS, accept, candidate_id, read_candidates


def test_claims_review_lists_and_appends_without_rewriting(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    # The next article number and claim number after those committed (the ids are "NNN_hash" and "cNN").
    number = f"{len(pd.read_csv(raw / 'articles.csv')):03d}"
    claim = f"c{len(pd.read_csv(raw / 'claims.csv')) + 1:02d}"
    article = tmp_path / "new.txt"
    article.write_text(
        "China has cleared ByteDance to buy 120,000 H200 chips, two people said.\nNvidia has about 680,000 units in stock.\n",
        encoding="utf-8",
    )
    assert (
        main(["add-article", str(article), "--outlet", "Test Wire", "--published", "2026-02-02", "--language", "en", "--raw", str(raw)])
        == 0
    )
    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["claims", "review", "--raw", str(raw), "--processed", str(out)]) == 0
    listed = capsys.readouterr().out
    # Numbered for --accept among every new candidate (the later news has some of its own).
    approved = re.search(
        r" (\d+)\. H200 units China approved for import in the first batch \(ByteDance\): 120k chips\n    Test Wire, 2 February 2026, sentence 1: ",
        listed,
    )
    assert approved, listed
    number_listed = approved.group(1)
    assert re.search(rf" {int(number_listed) + 1}\. H200 units in Nvidia's stock: about 680k chips\n", listed)
    assert "CONTRADICTS the curated claims, which allow 700k chips" in listed  # 680,000 is outside the curated stock (700,000)
    before = (raw / "claims.csv").read_bytes()
    assert main(["claims", "review", "--accept", number_listed, "--raw", str(raw), "--processed", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(
        f"appended {claim}: H200 units China approved for import in the first batch (ByteDance), 120k chips (Test Wire, 2 February 2026)\n"
    )
    after = (raw / "claims.csv").read_bytes()
    assert after.startswith(before)
    new_line = after[len(before) :].decode("utf-8")
    # The quote, verbatim and CSV-quoted, then empty `cites`, `as_of`, `status` and `note` cells for the analyst to fill.
    assert new_line.startswith(f"{claim},{number}_") and new_line.endswith(
        ',approved_units,ByteDance,"China has cleared ByteDance to buy 120,000 H200 chips",,,,\n'
    )
    # The accepted claim builds, and its candidate is now curated.
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    table = pd.read_csv(out / "claim_candidates.csv")
    mine = table[table["article_id"].str.startswith(f"{number}_")]
    assert mine["metric"].tolist() == ["approved_units", "stock_units"]
    assert mine["status"].tolist() == ["curated", "contradicts"] and mine["matches_claim"].iloc[0] == claim
    # Unknown or already curated ids are refused, nothing written.
    assert main(["claims", "review", "--accept", "nope", "--raw", str(raw), "--processed", str(out)]) == 2
    assert (raw / "claims.csv").read_bytes() == after


# --- the pieces of `claims review`, on a small raw folder of made-up articles ---------------

ENGLISH = "China has cleared ByteDance to buy 120,000 H200 chips, two people said.\nNvidia has about 680,000 units in stock.\n"
FRENCH = "Pékin a autorisé l'achat de plus de 400 000 puces H200.\nNvidia détient quelque 700 000 unités en stock.\n"
CLAIMS_HEADER = "claim_id,article_id,metric,entity,quote,cites,as_of,status,note\n"
CURATED = "c03,009_fr,approved_units,total,autorisé l'achat de plus de 400 000 puces H200,,2026-01-28,,\n"


def _raw(tmp_path: Path) -> Path:
    """Two articles, the English one dated, the French one undated with one curated claim holding at 2026-01-28."""
    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    (raw / "articles" / "004_en.txt").write_text(ENGLISH, encoding="utf-8")
    (raw / "articles" / "009_fr.txt").write_text(FRENCH, encoding="utf-8")
    (raw / "articles.csv").write_text(
        "article_id,file,outlet,url,published,language,note\n"
        "004_en,004_en.txt,Test Wire,,2026-02-02,en,\n009_fr,009_fr.txt,Le Quotidien Tech,,,fr,\n",
        encoding="utf-8",
    )
    (raw / "claims.csv").write_text(CLAIMS_HEADER + CURATED, encoding="utf-8")
    return raw


def _candidate(article_id, sentence_id, metric, entity, value, bound, quote, matches_claim=None, status="new"):
    return {
        "article_id": article_id,
        "sentence_id": sentence_id,
        "metric": metric,
        "entity": entity,
        "value": value,
        "unit": "chips",
        "bound": bound,
        "quote": quote,
        "matches_claim": matches_claim,
        "status": status,
    }


CANDIDATES = pd.DataFrame(
    [
        _candidate("004_en", 1, "approved_units", "ByteDance", 120_000.0, "exact", "China has cleared ByteDance to buy 120,000 H200 chips"),
        _candidate("009_fr", 2, "stock_units", "Nvidia", 700_000.0, "approx", "Nvidia détient quelque 700 000 unités en stock"),
        _candidate(
            "009_fr",
            1,
            "approved_units",
            "total",
            400_000.0,
            "at_least",
            "autorisé l'achat de plus de 400 000 puces H200",
            "c03",
            "curated",
        ),
    ],
    columns=CANDIDATE_COLUMNS,
)
BYTEDANCE, NVIDIA, CURATED_ID = (
    "004.1.approved_units.ByteDance.120000",
    "009.2.stock_units.Nvidia.700000",
    "009.1.approved_units.total.400000",
)


def test_candidate_id_is_article_number_sentence_metric_entity_value():
    assert [candidate_id(row) for row in CANDIDATES.itertuples(index=False)] == [BYTEDANCE, NVIDIA, CURATED_ID]
    assert candidate_id(CANDIDATES.iloc[0]) == BYTEDANCE  # a Series names it the same as a named tuple

    def named(entity, value, sentence_id=7):
        return candidate_id(SimpleNamespace(article_id="123_abcdef", sentence_id=sentence_id, metric="m", entity=entity, value=value))

    assert named("US government", 25) == "123.7.m.US_government.25"
    assert named("H200/H20", 6.5, sentence_id=7.0) == "123.7.m.H200/H20.6.5"  # the slash stays; a float sentence number is whole
    assert named("Nvidia's (China) unit", 2.2e6) == "123.7.m.Nvidia_s_China_unit.2.2e+06"


def test_accept_appends_new_claims_after_the_highest_id_and_names_a_repeat_once(tmp_path):
    raw = _raw(tmp_path)
    assert accept([BYTEDANCE, NVIDIA, BYTEDANCE], CANDIDATES, raw) == ["c04", "c05"]
    assert (raw / "claims.csv").read_text(encoding="utf-8") == (
        CLAIMS_HEADER
        + CURATED
        + 'c04,004_en,approved_units,ByteDance,"China has cleared ByteDance to buy 120,000 H200 chips",,,,\n'
        # From the undated article: it holds at the date its curated claim already holds at.
        + "c05,009_fr,stock_units,Nvidia,Nvidia détient quelque 700 000 unités en stock,,2026-01-28,,\n"
    )
    with pytest.raises(InputError, match=f"{BYTEDANCE} is already there with the same quote"):
        accept([BYTEDANCE], CANDIDATES, raw)


def test_accept_takes_the_date_the_text_gives_the_fact(tmp_path):
    raw = _raw(tmp_path)
    dated = CANDIDATES.iloc[[1]].assign(as_of="2026-01-20")
    assert accept([NVIDIA], dated, raw) == ["c04"]
    assert (
        (raw / "claims.csv")
        .read_text(encoding="utf-8")
        .endswith("c04,009_fr,stock_units,Nvidia,Nvidia détient quelque 700 000 unités en stock,,2026-01-20,,\n")
    )


@pytest.mark.parametrize(
    "wanted, message",
    [
        ("9.9.x", "claims review: no candidate '9.9.x' (run `python -m analysis claims review` to list them)"),
        (CURATED_ID, f"claims review: candidate '{CURATED_ID}' is already claim c03"),
    ],
)
def test_accept_refuses_an_unknown_or_curated_candidate_and_writes_nothing(tmp_path, wanted, message):
    raw = _raw(tmp_path)
    with pytest.raises(InputError) as error:
        accept([BYTEDANCE, wanted], CANDIDATES, raw)
    assert str(error.value) == message
    assert (raw / "claims.csv").read_text(encoding="utf-8") == CLAIMS_HEADER + CURATED


def test_accept_refuses_an_article_gone_from_the_manifest(tmp_path):
    raw = _raw(tmp_path)
    gone = pd.DataFrame(
        [_candidate("011_gone", 1, "approved_units", "total", 5e4, "exact", "approved 50,000 chips")], columns=CANDIDATE_COLUMNS
    )
    with pytest.raises(InputError, match="is from article '011_gone', which .* no longer lists"):
        accept(["011.1.approved_units.total.50000"], gone, raw)
    assert (raw / "claims.csv").read_text(encoding="utf-8") == CLAIMS_HEADER + CURATED


def test_accept_writes_nothing_when_the_next_build_would_refuse_the_claim(tmp_path):
    raw = _raw(tmp_path)
    not_in_text = CANDIDATES.iloc[[0]].assign(quote="China has cleared ByteDance to buy 130,000 H200 chips")
    with pytest.raises(InputError, match="quote not found verbatim in the cleaned text of 004_en"):
        accept([BYTEDANCE], not_in_text, raw)
    assert (raw / "claims.csv").read_text(encoding="utf-8") == CLAIMS_HEADER + CURATED


def test_read_candidates_types_the_numbers_and_restores_neutralised_cells(tmp_path):
    (tmp_path / "claim_candidates.csv").write_text(
        ",".join([*CANDIDATE_COLUMNS, "as_of"]) + "\n"
        '004_en,1,approved_units,ByteDance,120000.0,chips,exact,"\'=cleared 120,000 chips",,new,\n'
        "009_fr,3,stock_units,Nvidia,7e5,chips,approx,un stock de 700 000 unités,c08,curated,2026-01-28\n",
        encoding="utf-8",
    )
    table = read_candidates(tmp_path)
    assert list(table.columns) == [*CANDIDATE_COLUMNS, "as_of"]
    assert table["sentence_id"].tolist() == [1, 3] and table["sentence_id"].dtype == "int64"
    assert table["value"].tolist() == [120_000.0, 700_000.0]
    assert table["quote"].tolist() == ["=cleared 120,000 chips", "un stock de 700 000 unités"]
    assert pd.isna(table["matches_claim"].iloc[0]) and table["matches_claim"].iloc[1] == "c08"


def test_read_candidates_names_a_missing_file_column_or_number(tmp_path):
    path = tmp_path / "claim_candidates.csv"
    with pytest.raises(InputError) as error:
        read_candidates(tmp_path)
    assert str(error.value) == f"{path}: not found; run `make data` first"
    path.write_text("article_id,sentence_id,metric\n004_en,1,approved_units\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing column\(s\) entity, value, unit, bound, quote, matches_claim, status; rebuild"):
        read_candidates(tmp_path)
    path.write_text(",".join(CANDIDATE_COLUMNS) + "\n004_en,un,approved_units,ByteDance,120000,chips,exact,q,,new\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_candidates(tmp_path)
    assert str(error.value) == f"{path}, row 2: sentence_id 'un' is not a number; rebuild it with `make data`"

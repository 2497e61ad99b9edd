"""`python -m analysis data`: rebuild, byte-identical output, bad input, add-article, a failing article named."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers import copy_raw, replace_in_file

from analysis.__main__ import main
from analysis.core import paths
from analysis.core.errors import InputError
from analysis.metadata import schemas
from analysis.metadata.processed import read_processed
from analysis.sources import cleaning, extract
from analysis.tables import pipeline
from analysis.tables.pipeline import check_metadata

TABLES = [
    "articles",
    "sentences",
    "cleaning_log",
    "quantities",
    "claims",
    "consensus",
    "claim_candidates",
    "chip_specs",
    "fact_checks",
    "rule_facts",
    "rule_eligibility",
    "context_figures",
]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """A raw copy and a processed folder built from it by the CLI."""
    tmp = tmp_path_factory.mktemp("pipeline")
    raw = copy_raw(tmp)
    out = tmp / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    return raw, out


def test_builds_every_table(built):
    _, out = built
    assert sorted(p.stem for p in out.glob("*.csv")) == sorted(TABLES)
    assert (out / "tables.yaml").read_bytes() == (paths.PROCESSED / "tables.yaml").read_bytes()
    metadata = yaml.safe_load((out / "tables.yaml").read_text(encoding="utf-8"))
    assert list(metadata) == TABLES
    for name in TABLES:  # every column of every table written is described, in the table's order
        assert list(metadata[name]["columns"]) == list(pd.read_csv(out / f"{name}.csv", nrows=0).columns)
        assert all(isinstance(text, str) and text.strip() for text in [metadata[name]["description"], *metadata[name]["columns"].values()])


def test_a_table_column_without_a_description_is_refused():
    """The tables.yaml written beside the tables describes every column of every table built."""
    metadata = yaml.safe_load(schemas.tables_yaml())
    del metadata["articles"]["columns"]["header_date"]
    tables = {name: pd.DataFrame(columns=list(schema.columns)) for name, schema in schemas.TABLES.items()}
    with pytest.raises(InputError, match="table 'articles'.*header_date"):
        check_metadata(metadata, tables, Path("tables.yaml"))


def test_committed_tables_are_what_the_raw_data_gives(built):
    """data/processed/ in the repo is up to date: a rebuild gives the same bytes."""
    _, out = built
    assert _digests(out) == _digests(paths.PROCESSED)


def test_rebuild_is_byte_identical(built, tmp_path):
    raw, out = built
    again = tmp_path / "again"
    assert main(["data", "--raw", str(raw), "--out", str(again)]) == 0
    assert _digests(again) == _digests(out)


def test_quantities_come_from_story_text_only(built):
    _, out = built
    # read_processed undoes the spreadsheet-formula quoting of cells such as "- any H200s ..." (README, Guarantees).
    quantities = read_processed("quantities", out)
    story = read_processed("sentences", out).set_index(["article_id", "sentence_id"])
    # Offsets point into the sentence text.
    for row in quantities.itertuples():
        assert story.loc[(row.article_id, row.sentence_id), "text"][row.start : row.end] == row.text
    # Seed 004's related block holds 4 trillion yuan and US$574 billion: not in the table.
    seed_004 = quantities[quantities["article_id"] == "004_6d94fdeb78bf93c2"]
    assert not seed_004["unit"].isin(["CNY", "USD"]).any()
    assert (seed_004["value"] == 400000).sum() == 2


BAD_INPUTS = {
    "manifest names a missing file": (
        "articles.csv",
        "002_365c5dd10a5ec3f5,002_365c5dd10a5ec3f5.txt",
        "002_365c5dd10a5ec3f5,missing.txt",
        ["articles.csv", "row 4", "missing.txt", "not found"],
    ),
    "duplicate id": (
        "articles.csv",
        "001_e6fce53cebec8c0e,001_e6fce53cebec8c0e.txt",
        "000_986cc8c17a2d2c6e,001_e6fce53cebec8c0e.txt",
        ["articles.csv", "row 3", "duplicate article_id"],
    ),
    "bad date": (
        "articles.csv",
        ",2026-01-30,fr,",
        ",2026-02-30,fr,",
        ["articles.csv", "row 4", "2026-02-30", "not a real date"],
    ),
    "bad language": (
        "articles.csv",
        ",2026-01-28,fr,",
        ",2026-01-28,de,",
        ["articles.csv", "row 5", "language 'de'"],
    ),
    "quote not in its article": (
        "claims.csv",
        "importer plus de 400 000 puces H200 au total",
        "importer plus de 500 000 puces H200 au total",
        ["claims.csv", "row 3", "c02", "quote not found"],
    ),
    "quote without a number for a metric that needs one": (
        "claims.csv",
        "chinois à 50 milliards de dollars annuels",
        "chinois",
        ["claims.csv", "row 11", "c10", "needs a number"],
    ),
    "spec row without a source": (
        "chip_specs.csv",
        '"TPP: Bernstein via Reuters; BF16 derived as TPP/16"',
        '" "',
        ["chip_specs.csv", "row 9", "MLU590", "no source"],
    ),
    "context figure without a source": (
        "context_figures.csv",
        '"Epoch AI, 2025",China\'s share',
        '"",China\'s share',
        ["context_figures.csv", "row 8", "china_share_of_world_ai_compute", "no source"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_stops_with_one_line_and_keeps_previous_tables(case, built, tmp_path, capsys):
    file, old, new, expected = BAD_INPUTS[case]
    _, good_out = built
    raw = copy_raw(tmp_path)
    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    before = _digests(out)
    replace_in_file(raw / file, old, new)
    capsys.readouterr()
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("data: ")]
    assert len(errors) == 1 and errors[0].startswith("error: "), errors  # progress lines aside, one line
    message = errors[0]
    for part in expected:
        assert part in message, (part, message)
    assert _digests(out) == before == _digests(good_out)
    assert not list(tmp_path.glob(".processed*")), "staging folder left behind"


def test_article_that_is_not_utf8_is_named(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    (raw / "articles" / "003_5f22817db57bbc42.txt").write_bytes("Pékin".encode("latin-1"))
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err
    assert "003_5f22817db57bbc42.txt" in message and "not UTF-8" in message
    assert not (tmp_path / "out").exists()


ENGLISH_ARTICLE = """Skip to main content
China clears first batch of Nvidia H200 imports
By Jane Doe
Updated 3 hours ago
BEIJING, Jan 28 (Reuters) - China has given ByteDance, Alibaba and Tencent approval to buy more than 400,000 H200 chips in total, four people said on Wednesday.
Chinese firms have ordered more than 2 million H200 chips, far above Nvidia's stock of about 700,000.
Reporting by Jane Doe; Editing by John Smith
Related Articles
US approves exports of 5 million chips to Mars
"""


def test_add_article_then_rebuild(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    manifest_before = (raw / "articles.csv").read_bytes()
    new = tmp_path / "reuters-en.txt"
    new.write_text(ENGLISH_ARTICLE, encoding="utf-8")
    args = ["add-article", str(new), "--outlet", "Reuters", "--published", "2026-01-28", "--language", "en", "--raw", str(raw)]
    assert main(args) == 0
    digest = hashlib.sha256(new.read_bytes()).hexdigest()[:16]
    number = len(pd.read_csv(raw / "articles.csv")) - 1  # the next number after the committed articles (read after adding)
    article_id = f"{number:03d}_{digest}"
    assert (raw / "articles" / f"{article_id}.txt").read_bytes() == new.read_bytes()
    manifest_after = (raw / "articles.csv").read_bytes()
    assert manifest_after.startswith(manifest_before)
    assert manifest_after[len(manifest_before) :] == f"{article_id},{article_id}.txt,Reuters,,2026-01-28,en,\n".encode()
    # The same text again is refused, and nothing changes.
    assert main(args) == 2
    assert "already in the manifest" in capsys.readouterr().err
    assert (raw / "articles.csv").read_bytes() == manifest_after
    # make data then includes it, from the story only.
    out = tmp_path / "out"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    quantities = pd.read_csv(out / "quantities.csv")
    mine = quantities[quantities["article_id"] == article_id]
    found = {(row.value, row.bound) for row in mine.itertuples()}
    assert {(400000.0, "at_least"), (2000000.0, "at_least"), (700000.0, "approx")} <= found
    assert set(mine.loc[mine["value"].isin([400000.0, 2000000.0]), "unit"]) == {"chips"}
    assert not mine["value"].isin([28.0, 2026.0, 5000000.0]).any()  # a date, and the related story
    story = pd.read_csv(out / "sentences.csv")
    assert not story["text"].str.contains("Mars|Jane Doe|Skip to").any()


@pytest.mark.parametrize(
    "flag, value, reason",
    [
        ("--published", "28/01/2026", "not a YYYY-MM-DD date"),
        ("--published", "2026-13-01", "not a YYYY-MM-DD date"),
        ("--language", "de", "invalid choice"),
    ],
)
def test_add_article_refuses_bad_metadata(tmp_path, capsys, flag, value, reason):
    raw = copy_raw(tmp_path)
    before = sorted((raw / "articles").iterdir())
    new = tmp_path / "a.txt"
    new.write_text("Texte.", encoding="utf-8")
    args = ["add-article", str(new), "--outlet", "X", "--published", "2026-01-28", "--language", "fr", "--raw", str(raw)]
    args[args.index(flag) + 1] = value
    try:
        assert main(args) == 2
    except SystemExit as exit_:  # argparse refuses a language outside its choices
        assert exit_.code == 2
    assert reason in capsys.readouterr().err
    assert sorted((raw / "articles").iterdir()) == before


# --- one bad article never stops the build with a traceback: it is named ----------------------


def test_a_cleaner_failure_names_the_article_file(tmp_path, capsys, monkeypatch):
    raw = copy_raw(tmp_path)
    real = cleaning.clean_article

    def flaky(raw_text, outlet=None):
        if "Ekhbary" in raw_text:
            raise ValueError("boom")
        return real(raw_text, outlet)

    monkeypatch.setattr(extract, "clean_article", flaky)
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert len(err) == 1 and err[0].startswith("error: articles/001_e6fce53cebec8c0e.txt (001_e6fce53cebec8c0e): cannot be cleaned")
    assert not (tmp_path / "out").exists()


def test_a_reader_failure_names_the_article_and_sentence(tmp_path, capsys, monkeypatch):
    raw = copy_raw(tmp_path)

    def failing(text):
        if "Tencent 0700.HK" in text:
            raise ValueError("bad digits")
        return []

    monkeypatch.setattr(pipeline, "find_quantities", failing)
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert len(err) == 1 and err[0].startswith(
        "error: article 003_5f22817db57bbc42, sentence 3: the number reader failed (ValueError: bad digits)"
    )

"""analysis.metadata.processed.read_processed: a processed table with its schema's
dtypes and the spreadsheet-formula quoting undone, parsed once per file state,
each caller getting its own copy."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.files import atomic_write_text
from analysis.metadata import processed as processed_tables
from analysis.metadata.processed import read_processed


@pytest.fixture
def processed(tmp_path):
    folder = tmp_path / "processed"
    folder.mkdir()
    shutil.copy(paths.PROCESSED / "articles.csv", folder / "articles.csv")
    return folder


def test_a_processed_table_is_parsed_once_and_handed_out_as_copies(processed, monkeypatch):
    parsed = []
    real = processed_tables._parse_processed
    monkeypatch.setattr(processed_tables, "_parse_processed", lambda name, path: parsed.append(name) or real(name, path))
    first = read_processed("articles", processed)
    first.loc[:, "outlet"] = "written by a caller"
    second = read_processed("articles", processed)
    assert parsed == ["articles"]  # the second read came from the kept table
    assert (second["outlet"] != "written by a caller").any()  # ... not from the caller's copy
    assert second.equals(real("articles", processed / "articles.csv"))


def test_a_processed_table_written_again_is_read_again(processed):
    before = read_processed("articles", processed)
    text = (processed / "articles.csv").read_text(encoding="utf-8")
    header, first_row = text.splitlines(keepends=True)[:2]
    atomic_write_text(processed / "articles.csv", header + first_row)  # the way the data step writes: a new file
    assert len(read_processed("articles", processed)) == 1 < len(before)


def test_a_missing_processed_table_names_the_command_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"articles\.csv: not found; run `make data` first"):
        read_processed("articles", tmp_path)


def test_a_table_is_read_in_the_dtypes_its_schema_declares(tmp_path):
    (tmp_path / "quantities.csv").write_text(
        "article_id,sentence_id,start,end,text,value,unit,bound,vague\n"
        "a1,3,0,9,2 million,2000000.0,,approx,False\n"
        "a1,4,5,12,7 puces,7.0,chips,exact,True\n",
        encoding="utf-8",
    )
    table = read_processed("quantities", tmp_path)
    assert {column: str(table[column].dtype) for column in ("sentence_id", "start", "end", "value", "vague")} == {
        "sentence_id": "int64",
        "start": "int64",
        "end": "int64",
        "value": "float64",
        "vague": "bool",
    }
    assert all(pd.api.types.is_string_dtype(table[column]) for column in ("article_id", "text", "unit", "bound"))
    assert pd.isna(table.at[0, "unit"]) and table.at[1, "unit"] == "chips"  # an empty text cell is missing
    assert table["vague"].tolist() == [False, True] and table["value"].tolist() == [2_000_000.0, 7.0]


def test_an_empty_year_stays_missing_in_a_nullable_integer_column(tmp_path):
    (tmp_path / "context_figures.csv").write_text(
        "figure,value,bound,unit,year,source,note\nshare,0.15,exact,fraction,,Epoch AI,\nstock,2.0,approx,H100e,2025,SemiAnalysis,n\n",
        encoding="utf-8",
    )
    table = read_processed("context_figures", tmp_path)
    assert str(table["year"].dtype) == "Int64"
    assert pd.isna(table.at[0, "year"]) and table.at[1, "year"] == 2025


def test_spreadsheet_formula_quoting_is_undone(tmp_path):
    (tmp_path / "quantities.csv").write_text(
        "article_id,sentence_id,start,end,text,value,unit,bound,vague\n"
        "a1,3,0,9,'-2 million,-2000000.0,,approx,False\n"
        "a1,4,0,7,'=SUM(1),7.0,,exact,False\n"
        "a1,5,0,4,''=x,1.0,,exact,False\n"
        "a1,6,0,4,it's 5,5.0,,exact,False\n",
        encoding="utf-8",
    )
    # One leading quote before = + - @ is removed, so a cell that was itself quoted keeps its own; others are as written.
    assert read_processed("quantities", tmp_path)["text"].tolist() == ["-2 million", "=SUM(1)", "'=x", "it's 5"]


def test_a_folder_named_as_from_the_notebooks_is_found_from_any_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from_notebooks = read_processed("rule_facts", "../data/processed")  # as a notebook parameter names it
    assert from_notebooks.equals(pd.read_csv(paths.PROCESSED / "rule_facts.csv", dtype={"value": "float64"}))

"""analysis.metadata.schemas: the table declarations and what is derived from
them: the casts (cast), validated tables (build), the dtypes a table is read
with (read_dtypes) and the tables.yaml written beside the tables (tables_yaml)."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from pandera.errors import SchemaError

from analysis.metadata import schemas


@pytest.mark.parametrize(
    ("name", "dtypes"),
    [
        ("sentences", {"sentence_id": "int64"}),
        ("quantities", {"sentence_id": "int64", "start": "int64", "end": "int64", "value": "float64", "vague": "bool"}),
        ("context_figures", {"value": "float64", "year": "Int64"}),
        (
            "rule_eligibility",
            {
                "tpp": "float64",
                "memory_bandwidth_gbs": "float64",
                "us_available_2026_01_15": "boolean",
                "eligible": "boolean",
                "tpp_headroom": "float64",
                "bandwidth_headroom_gbs": "float64",
            },
        ),
    ],
)
def test_a_table_is_read_with_the_dtype_of_every_column_that_is_not_text(name, dtypes):
    assert schemas.read_dtypes(name) == dtypes


def test_cast_puts_the_columns_in_the_schemas_order_in_their_dtypes():
    frame = pd.DataFrame({"text": ["x", "y"], "sentence_id": [2.0, 1.0], "article_id": ["a", "b"], "extra": [1, 2]})
    table = schemas.cast(schemas.SENTENCES, frame)
    assert list(table.columns) == ["article_id", "sentence_id", "text"]  # in order, and nothing else
    assert {column: str(dtype) for column, dtype in table.dtypes.items()} == {
        "article_id": "object",
        "sentence_id": "int64",
        "text": "object",
    }
    assert table["sentence_id"].tolist() == [2, 1]


def test_build_gives_a_validated_table_from_rows():
    table = schemas.build(schemas.SENTENCES, [{"text": "Une phrase.", "sentence_id": 1, "article_id": "a"}])
    assert table.to_dict("records") == [{"article_id": "a", "sentence_id": 1, "text": "Une phrase."}]
    assert str(table["sentence_id"].dtype) == "int64"


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ([{"article_id": "a", "sentence_id": 0, "text": "x"}], "greater_than_or_equal_to"),  # sentences count from 1
        ([{"article_id": "a", "sentence_id": 1, "text": ""}], "str_length"),
        ([{"article_id": "a", "sentence_id": 1, "text": "x"}, {"article_id": "a", "sentence_id": 1, "text": "y"}], "not unique"),
    ],
)
def test_build_refuses_rows_the_schema_does_not_allow(rows, reason):
    with pytest.raises(SchemaError, match=reason):
        schemas.build(schemas.SENTENCES, rows)


def test_build_with_no_rows_gives_an_empty_table_of_the_schemas_columns():
    table = schemas.build(schemas.SENTENCES, [])
    assert list(table.columns) == ["article_id", "sentence_id", "text"] and len(table) == 0
    assert [str(t) for t in table.dtypes] == ["object", "int64", "object"]  # as a table with rows is held


def test_tables_yaml_reads_back_as_every_declared_description_in_order():
    text = schemas.tables_yaml()
    assert text.splitlines()[:2] == [
        "# What each table in data/processed/ holds, column by column. Written by",
        "# `make data` from the table declarations in analysis/metadata/schemas.py.",
    ]
    document = yaml.safe_load(text)
    assert list(document) == list(schemas.TABLES)
    for name, schema in schemas.TABLES.items():
        assert document[name]["description"] == schema.description
        assert document[name]["columns"] == {column: spec.description for column, spec in schema.columns.items()}
        assert list(document[name]["columns"]) == list(schema.columns)


@pytest.mark.parametrize(
    ("description", "written"),
    [
        ("Sentence.", "Sentence."),
        ("fr or en.", "fr or en."),
        ("Rule: made_by", '"Rule: made_by"'),  # a colon and a space would start a mapping
        ("yes", '"yes"'),  # YAML 1.1 would read a boolean
        ("10", '"10"'),  # ... or a number
        ("a #b", '"a #b"'),  # ... or a comment
        ("Année : €", '"Année : €"'),  # quoted, and left as written (not \\u escapes)
    ],
)
def test_a_description_is_quoted_only_where_yaml_would_read_it_otherwise(description, written):
    assert schemas._scalar(description) == written

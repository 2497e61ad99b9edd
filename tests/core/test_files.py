"""Reading once per file state (analysis.metadata.processed.read_processed, analysis.core.strict_yaml.load_yaml_strict):
each caller gets its own copy, and a file written again is read again."""

from __future__ import annotations

import os
import shutil

import pytest

from analysis.core import paths, strict_yaml
from analysis.core.errors import InputError
from analysis.core.files import atomic_write_text
from analysis.core.memo import file_key
from analysis.core.strict_yaml import load_yaml_strict
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


def test_a_file_rewritten_in_place_with_the_same_size_changes_its_key(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    before = file_key(path)
    path.write_text("a\n2\n", encoding="utf-8")  # same inode, same size: only the time differs
    os.utime(path, ns=(before[3] + 1_000, before[3] + 1_000))
    assert file_key(path) != before
    assert file_key(tmp_path / "missing.csv") is None


def test_a_missing_processed_table_names_the_command_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"articles\.csv: not found; run `make data` first"):
        read_processed("articles", tmp_path)


def test_a_yaml_file_is_parsed_once_and_each_caller_gets_its_own_copy(tmp_path, monkeypatch):
    path = tmp_path / "s.yaml"
    path.write_text("name: one\nassumptions:\n  pace: {value: 3, low: 1, high: 5}\n", encoding="utf-8")
    parsed = []
    real = strict_yaml._parse_strict
    monkeypatch.setattr(strict_yaml, "_parse_strict", lambda p: parsed.append(p) or real(p))
    first = load_yaml_strict(path)
    first["assumptions"]["pace"]["value"] = 99  # a caller that edits what it got
    assert load_yaml_strict(path) == {"name": "one", "assumptions": {"pace": {"value": 3, "low": 1, "high": 5}}}
    assert parsed == [path]
    atomic_write_text(path, "name: two\n")
    assert load_yaml_strict(path) == {"name": "two"}
    assert len(parsed) == 2


def test_a_refused_yaml_file_is_refused_every_time(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):  # nothing kept from a failed parse
        with pytest.raises(InputError, match="duplicate key"):
            load_yaml_strict(path)


def test_the_fast_strict_loader_reads_every_project_yaml_file_as_the_pure_python_one():
    """libyaml's parser (the fast path) against PyYAML's own, on the package's and the project's files."""
    import yaml

    files = [*sorted((paths.PROJECT_ROOT / "analysis").rglob("*.yaml")), *sorted(paths.SCENARIOS.glob("*.yaml"))]
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=strict_yaml._LOADER) == yaml.load(text, Loader=strict_yaml.StrictLoader), path


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: &x 1\nb: *x\n", "anchors and aliases"),
        ("b: {c: 2, c: 3}\n", "duplicate key"),
        ("a: {<<: {b: 1}}\n", "merge keys"),
        ("a: " + "[" * 65 + "]" * 65 + "\n", "nested more than 64 deep"),
        ("a: " + "[" * 200_000 + "\n", "nested more than 64 deep|maximum nesting depth"),  # refused before anything is composed
    ],
)
def test_yaml_traps_are_refused_naming_the_file_and_line(tmp_path, text, reason):
    path = tmp_path / "trap.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=reason) as refused:
        load_yaml_strict(path)
    assert str(refused.value).startswith(f"{path}: ") and "line 1" in str(refused.value)


def test_yaml_nested_to_the_limit_is_read(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 63 + "1" + "]" * 63 + "\n", encoding="utf-8")
    value = load_yaml_strict(path)["a"]
    for _ in range(63):
        value = value[0]
    assert value == 1


def test_a_result_is_computed_once_per_build_across_its_processes(tmp_path, monkeypatch):
    from analysis.core.memo import BUILD_SHARE_ENV, shared_within_build

    calls = []

    def compute():
        calls.append(1)
        return {"central": 1.5, "rows": [1, 2]}

    monkeypatch.delenv(BUILD_SHARE_ENV, raising=False)
    assert shared_within_build("t", ("a", 1), compute) == shared_within_build("t", ("a", 1), compute)
    assert len(calls) == 2  # outside a build: nothing shared
    share = tmp_path / "share"
    share.mkdir()
    monkeypatch.setenv(BUILD_SHARE_ENV, str(share))
    first = shared_within_build("t", ("a", 1), compute)
    again = shared_within_build("t", ("a", 1), compute)  # what another process of the build reads
    assert first == again == {"central": 1.5, "rows": [1, 2]} and len(calls) == 3
    assert shared_within_build("t", ("a", 2), compute) == first and len(calls) == 4  # another key: computed
    for path in share.iterdir():
        path.write_bytes(b"\x80")  # a damaged share is computed again, not read
    assert shared_within_build("t", ("a", 1), compute) == first
    assert len(calls) == 5

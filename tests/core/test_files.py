"""analysis.core.files: all-or-nothing writes, locks, the folder swap, strict CSV and text reading,
spreadsheet formulas neutralised. Reading once per file state is tested beside its modules:
tests/core/test_memo.py (file_key, remembered), tests/core/test_strict_yaml.py (load_yaml_strict) and
tests/metadata/test_processed.py (read_processed)."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from analysis.core import files
from analysis.core.errors import InputError


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=HYPERLINK(x)", "'=HYPERLINK(x)"),
        ("+cmd", "'+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2 million", "'-2 million"),
        ("\tindent", "'\tindent"),
        ("'=already quoted", "''=already quoted"),  # one more quote, so it reads back exactly
        ("-5", "-5"),  # a plain number stays a number
        ("+0.3", "+0.3"),
        ("-1.5e3", "-1.5e3"),
        ("Reuters", "Reuters"),
        ("", ""),
    ],
)
def test_a_formula_cell_is_neutralised_and_read_back_as_it_was(cell, written):
    assert files.neutralise_formula_cell(cell) == written
    assert files.restore_formula_cell(written) == cell


def test_csv_text_has_fixed_conventions_and_neutralises_text_only():
    frame = pd.DataFrame({"quote": ["=1+1", "plain"], "value": [-5.0, 2.5]})
    assert files.csv_text(frame) == "quote,value\n'=1+1,-5.0\nplain,2.5\n"


def test_an_atomic_write_replaces_whole_and_readable_by_all(tmp_path):
    path = tmp_path / "out" / "table.csv"
    files.atomic_write_text(path, "first\n")
    files.atomic_write_text(path, "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in path.parent.iterdir()] == ["table.csv"]  # no temporary file left


def test_a_write_refused_by_its_check_leaves_the_old_file(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("old\n", encoding="utf-8")

    def refuse(written):
        assert written.read_text(encoding="utf-8") == "new\n"  # the check reads the new text
        raise InputError("refused")

    with pytest.raises(InputError, match="refused"):
        files.atomic_write_checked(path, "new\n", refuse)
    assert path.read_text(encoding="utf-8") == "old\n" and [p.name for p in tmp_path.iterdir()] == ["claims.csv"]
    files.atomic_write_checked(path, "new\n", lambda written: None)
    assert path.read_text(encoding="utf-8") == "new\n"


def test_a_locked_folder_makes_a_second_writer_wait(tmp_path):
    order = []

    def second():
        with files.locked(tmp_path):
            order.append("second")

    with files.locked(tmp_path):
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.2)
        order.append("first")
    other.join(5)
    assert order == ["first", "second"]
    assert list(tmp_path.iterdir()) == []  # no lock file


def test_replace_directory_swaps_the_new_folder_in_and_drops_the_old(tmp_path):
    target, staging = tmp_path / "processed", tmp_path / ".processed.staging-1"
    target.mkdir()
    (target / "old.csv").write_text("old", encoding="utf-8")
    staging.mkdir()
    (staging / "new.csv").write_text("new", encoding="utf-8")
    files.replace_directory(staging, target)
    assert sorted(p.name for p in target.iterdir()) == ["new.csv"] and not staging.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed"]
    assert oct(target.stat().st_mode & 0o777) == "0o755"


def test_what_an_interrupted_swap_left_is_removed(tmp_path):
    target = tmp_path / "processed"
    for name in (".processed.staging-a", ".processed.staging-b", ".processed.old"):
        (tmp_path / name).mkdir()
    (tmp_path / ".other.staging-c").mkdir()
    removed = files.remove_stale_staging(target)
    assert sorted(p.name for p in removed) == [".processed.old", ".processed.staging-a", ".processed.staging-b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.staging-c"]


def test_a_csv_is_read_as_text_with_its_blank_lines_left_out(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes('\ufeffa,b\n1,\n\n"x, y",2\n'.encode())  # a BOM, an empty cell, a blank line, a quoted comma
    table = files.read_csv_text(path)
    assert list(table.columns) == ["a", "b"] and table.values.tolist() == [["1", ""], ["x, y", "2"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2,3\n", "row 2: 3 fields where the header has 2"),
        ('a,b\n"open,2\n', "row 2: not valid CSV"),
        ("", "the file is empty (no header row)"),
        ("a,a\n1,2\n", "row 1: duplicate column name in the header"),
        ("a\n\x00\n", "not a text file (contains NUL bytes)"),
    ],
)
def test_a_bad_csv_names_the_file_and_row(tmp_path, text, message):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        files.read_csv_text(path)
    assert str(refused.value).startswith(str(path)) and message in str(refused.value)


def test_a_raw_table_without_a_column_names_it(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert files.read_raw_csv(path, ["a"]).values.tolist() == [["1", "2"]]
    with pytest.raises(InputError, match=r"t.csv: missing column\(s\) c, d"):
        files.read_raw_csv(path, ["a", "c", "d"])


def test_a_text_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(b"ab\xffcd")
    with pytest.raises(InputError, match=r"page.txt: not UTF-8 text \(byte 2: invalid start byte\)"):
        files.read_text_file(path)
    path.write_text("x" * 11, encoding="utf-8")
    with pytest.raises(InputError, match=r"page.txt: 11 bytes; articles are limited to 10"):
        files.read_text_file(path, max_bytes=10, kind="articles")
    assert files.read_text_file(path, max_bytes=11) == "x" * 11
    with pytest.raises(InputError, match="file not found"):
        files.read_text_file(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="is a folder, not a file"):
        files.read_text_file(tmp_path)

"""analysis.tables.data_stamp: what `make data` reads (the pipeline's modules, found
from their import lines), the fingerprints of its inputs and outputs, and the stamp
that lets `make data` skip a build when nothing it reads changed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from helpers import copy_raw

from analysis.__main__ import main
from analysis.core import paths
from analysis.tables import data_stamp


@pytest.fixture
def no_code(tmp_path, monkeypatch):
    """The fingerprint of the raw files alone: no package source (edited by others while a test runs) in it."""
    package = tmp_path / "package"
    package.mkdir()
    monkeypatch.setattr(data_stamp, "PACKAGE", package)
    monkeypatch.setattr(data_stamp, "reading_modules", list)  # no module


def test_reading_modules_are_the_pipelines_imports():
    names = {p.relative_to(data_stamp.PACKAGE).with_suffix("").as_posix() for p in data_stamp.reading_modules()}
    assert {
        "__init__",
        "tables/__init__",
        "tables/pipeline",
        "sources/extract",
        "sources/html_pages",
        "quantities/__init__",
        "quantities/reader",
        "quantities/matchers",
        "evidence/claims",
        "evidence/candidates",
        "lang/vocabulary",
        "core/files",
        "metadata/schemas",
    } <= names
    assert not {name.split("/")[0] for name in names} & {"model", "present", "reports", "__main__"}


def test_data_skips_when_nothing_changed_and_rebuilds_when_something_did(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    out = tmp_path / "processed"
    stamp = data_stamp.stamp_path(out)
    stamp.unlink(missing_ok=True)
    try:
        make_data = ["data", "--raw", str(raw), "--out", str(out), "--if-changed"]  # as `make data` runs it
        assert main(make_data) == 0
        assert "data: wrote " in capsys.readouterr().err
        written = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
        assert main(make_data) == 0
        assert capsys.readouterr().err.startswith(f"data: {out} is up to date")
        assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == written  # nothing rewritten
        assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0  # without --if-changed: always a build
        assert "data: wrote " in capsys.readouterr().err
        for change in (
            lambda: (raw / "articles.csv").write_bytes((raw / "articles.csv").read_bytes() + b"\n"),  # a raw file
            lambda: (out / "claims.csv").write_text("edited by hand\n"),  # a processed table
        ):
            change()
            assert main(make_data) == 0
            assert "data: wrote " in capsys.readouterr().err
        assert (out / "claims.csv").read_bytes() == (paths.PROCESSED / "claims.csv").read_bytes()
    finally:
        stamp.unlink(missing_ok=True)


def test_a_change_of_the_reading_code_rebuilds(tmp_path, monkeypatch):
    raw = copy_raw(tmp_path)
    package = tmp_path / "package"
    shutil.copytree(Path(data_stamp.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(data_stamp, "PACKAGE", package)
    monkeypatch.setattr(data_stamp, "reading_modules", lambda: [package / "tables" / "pipeline.py", package / "quantities" / "reader.py"])
    first = data_stamp.inputs_fingerprint(raw)
    (package / "present" / "charts.py").write_text("# not read by the pipeline\n")
    assert data_stamp.inputs_fingerprint(raw) == first
    (package / "quantities" / "reader.py").write_text((package / "quantities" / "reader.py").read_text() + "\n# changed\n")
    second = data_stamp.inputs_fingerprint(raw)
    assert second != first
    (package / "lang" / "en.yaml").write_text((package / "lang" / "en.yaml").read_text() + "\n")  # the vocabulary
    assert data_stamp.inputs_fingerprint(raw) != second


def test_reading_modules_follow_every_form_of_import_line(tmp_path):
    package = tmp_path / "analysis"
    files = {
        "__init__.py": "from analysis.unread import x  # the package's own imports are not followed\n",
        "start.py": (
            "from analysis.pkg import mod, CONSTANT\n"
            "import analysis.other.deep\n"
            "from analysis.multi import (\n    first,  # a comment\n    second as alias,\n)\n"
            "    from analysis import lazy  # indented: inside a function\n"
        ),
        "pkg/__init__.py": "",
        "pkg/mod.py": "",
        "other/__init__.py": "",
        "other/deep.py": "",
        "multi.py": "",
        "first.py": "",
        "lazy.py": "",
        "unread.py": "",
        "never.py": "",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    found = {path.relative_to(package).as_posix() for path in data_stamp.reading_modules("start", package)}
    # multi.first is no module (first.py is the package's, not multi's), nor are CONSTANT, second or alias.
    assert found == {
        "__init__.py",
        "start.py",
        "pkg/__init__.py",
        "pkg/mod.py",
        "other/__init__.py",
        "other/deep.py",
        "multi.py",
        "lazy.py",
    }


def test_a_stamp_is_named_by_its_processed_folder(tmp_path):
    stamps = tmp_path / "build"
    key = hashlib.sha256(str((tmp_path / "processed").resolve()).encode()).hexdigest()[:16]
    assert data_stamp.stamp_path(tmp_path / "processed", stamps) == stamps / f"data-stamp-{key}.json"
    assert data_stamp.stamp_path(tmp_path / "x" / ".." / "processed", stamps) == stamps / f"data-stamp-{key}.json"
    assert data_stamp.stamp_path(tmp_path / "other", stamps) != stamps / f"data-stamp-{key}.json"


def test_the_outputs_fingerprint_changes_with_a_byte_a_name_or_a_file(tmp_path):
    out = tmp_path / "processed"
    out.mkdir()
    assert data_stamp.outputs_fingerprint(out) == data_stamp.outputs_fingerprint(tmp_path / "gone") == hashlib.sha256().hexdigest()
    (out / "a.csv").write_bytes(b"x\n1\n")
    first = data_stamp.outputs_fingerprint(out)
    (out / "a.csv").write_bytes(b"x\n1\n")  # written again, the same bytes
    assert data_stamp.outputs_fingerprint(out) == first
    (out / "a.csv").write_bytes(b"x\n2\n")
    assert data_stamp.outputs_fingerprint(out) != first
    (out / "a.csv").rename(out / "b.csv")
    (out / "b.csv").write_bytes(b"x\n1\n")
    assert data_stamp.outputs_fingerprint(out) != first  # the same bytes under another name
    (out / "b.csv").rename(out / "a.csv")
    assert data_stamp.outputs_fingerprint(out) == first
    (out / "c.csv").write_bytes(b"")
    assert data_stamp.outputs_fingerprint(out) != first


def test_a_recorded_build_is_current_until_its_inputs_or_tables_change(tmp_path, no_code):
    raw, out, stamps = tmp_path / "raw", tmp_path / "processed", tmp_path / "build"
    raw.mkdir()
    out.mkdir()
    (raw / "articles.csv").write_text("article_id\n", encoding="utf-8")
    (out / "articles.csv").write_text("article_id\n", encoding="utf-8")
    assert not data_stamp.is_current(raw, out, stamps)  # never recorded
    data_stamp.record(raw, out, stamp_dir=stamps)
    stamp = json.loads(data_stamp.stamp_path(out, stamps).read_text(encoding="utf-8"))
    assert stamp == {"inputs": data_stamp.inputs_fingerprint(raw), "outputs": data_stamp.outputs_fingerprint(out)}
    assert data_stamp.is_current(raw, out, stamps)
    (raw / "articles.csv").write_text("article_id\n000\n", encoding="utf-8")
    assert not data_stamp.is_current(raw, out, stamps)  # a raw file changed
    data_stamp.record(raw, out, stamp_dir=stamps)
    assert data_stamp.is_current(raw, out, stamps)
    (out / "articles.csv").unlink()
    assert not data_stamp.is_current(raw, out, stamps)  # a table deleted by hand


def test_a_stamp_records_the_inputs_as_they_were_before_the_build(tmp_path, no_code):
    raw, out, stamps = tmp_path / "raw", tmp_path / "processed", tmp_path / "build"
    raw.mkdir()
    out.mkdir()
    (out / "t.csv").write_text("a\n", encoding="utf-8")
    data_stamp.record(raw, out, inputs="fingerprinted before a raw file changed", stamp_dir=stamps)
    assert json.loads(data_stamp.stamp_path(out, stamps).read_text(encoding="utf-8"))["inputs"] == "fingerprinted before a raw file changed"
    assert not data_stamp.is_current(raw, out, stamps)  # so the next `make data` builds again


def test_a_damaged_or_unwritable_stamp_means_a_rebuild(tmp_path, no_code):
    raw, out, stamps = tmp_path / "raw", tmp_path / "processed", tmp_path / "build"
    raw.mkdir()
    out.mkdir()
    (out / "t.csv").write_text("a\n", encoding="utf-8")
    data_stamp.record(raw, out, stamp_dir=stamps)
    for damaged in ("not json", "[1, 2]", ""):
        data_stamp.stamp_path(out, stamps).write_text(damaged, encoding="utf-8")
        assert not data_stamp.is_current(raw, out, stamps)
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    data_stamp.record(raw, out, stamp_dir=blocked)  # build/ cannot be written: no stamp, and no error
    assert not data_stamp.is_current(raw, out, blocked)


def test_the_inputs_fingerprint_covers_every_raw_file_by_name_and_bytes(tmp_path, no_code):
    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    (raw / "articles" / "a.txt").write_text("Texte.", encoding="utf-8")
    first = data_stamp.inputs_fingerprint(raw)
    assert data_stamp.inputs_fingerprint(raw) == first
    (raw / "articles" / "a.txt").rename(raw / "articles" / "b.txt")
    assert data_stamp.inputs_fingerprint(raw) != first
    (raw / "articles" / "b.txt").rename(raw / "articles" / "a.txt")
    assert data_stamp.inputs_fingerprint(raw) == first
    (raw / "articles" / "a.txt").write_text("Texte!", encoding="utf-8")
    assert data_stamp.inputs_fingerprint(raw) != first

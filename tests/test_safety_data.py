"""Issue 9, data side: bad input, faults and concurrency against `data` and
`add-article` (causes 1, 2, 5, 7, 8, 9, 10 and 11). Each test failed before its fix."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from helpers import copy_raw, replace_in_file

from analysis.__main__ import main
from analysis.core import files, paths
from analysis.core.errors import InputError
from analysis.core.strict_yaml import load_yaml_strict
from analysis.model.scenarios import load_scenario
from analysis.sources import extract
from analysis.sources.manifest import read_manifest

SEED = "002_365c5dd10a5ec3f5"


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("data: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture()
def raw_and_out(tmp_path):
    """A raw copy and a processed folder already built from it."""
    raw = copy_raw(tmp_path)
    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    return raw, out


# --- cause 1: reading outside the project ------------------------------------------


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink", "subfolder"])
def test_manifest_file_outside_articles_is_refused(tmp_path, capsys, kind):
    raw = copy_raw(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("Le mot de passe est hunter2. Il vaut 400 000 dollars.\n", encoding="utf-8")
    name = {"absolute": str(secret), "dotdot": "../../secret.txt", "symlink": "link.txt", "subfolder": "sub/x.txt"}[kind]
    if kind == "symlink":
        (raw / "articles" / "link.txt").symlink_to(secret)
    if kind == "subfolder":
        (raw / "articles" / "sub").mkdir()
        (raw / "articles" / "sub" / "x.txt").write_text("Un texte de 400 000 puces.\n", encoding="utf-8")
    replace_in_file(raw / "articles.csv", f"{SEED},{SEED}.txt", f"{SEED},{name}")
    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 2
    line = _one_error_line(capsys)
    assert "articles.csv, row 4" in line and repr(name) in line
    assert not out.exists()
    with pytest.raises(InputError):
        extract.load_articles(pd.DataFrame([{"article_id": "x", "file": name}]), raw)


# --- cause 2: deleting outside the output ------------------------------------------


def test_out_never_replaces_a_folder_the_build_did_not_make(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    before = _digests(raw)
    # --out pointing at the raw folder itself, or at a folder of unrelated files: refused, nothing deleted.
    assert main(["data", "--raw", str(raw), "--out", str(raw)]) == 2
    assert "refusing to replace a folder" in _one_error_line(capsys)
    assert _digests(raw) == before
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "thesis.md").write_text("years of work", encoding="utf-8")
    assert main(["data", "--raw", str(raw), "--out", str(notes)]) == 2
    assert "'thesis.md'" in _one_error_line(capsys)
    assert (notes / "thesis.md").read_text(encoding="utf-8") == "years of work"
    # An empty folder, or one the build made, is replaced.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["data", "--raw", str(raw), "--out", str(empty)]) == 0
    assert main(["data", "--raw", str(raw), "--out", str(empty)]) == 0
    assert sorted(p.name for p in empty.iterdir()) == sorted(p.name for p in paths.PROCESSED.iterdir())


# --- cause 5: concurrent add-article ------------------------------------------------


def test_concurrent_add_article_all_rows_land_with_distinct_ids(tmp_path):
    raw = copy_raw(tmp_path)
    committed = len(read_manifest(raw))
    texts = []
    for n in range(8):
        text = tmp_path / f"new{n}.txt"
        text.write_text(f"Article numéro {n}.\nNvidia aurait livré {n + 1}0 000 puces H200 en Chine.\n", encoding="utf-8")
        texts.append(text)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "analysis",
                "add-article",
                str(t),
                "--outlet",
                "Test",
                "--published",
                "2026-01-30",
                "--language",
                "fr",
                "--raw",
                str(raw),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for t in texts
    ]
    outcomes = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(rc == 0 for *_, rc in outcomes), outcomes
    manifest = read_manifest(raw)
    assert len(manifest) == committed + 8
    assert manifest["article_id"].is_unique
    numbers = sorted(int(a[:3]) for a in manifest["article_id"])
    assert numbers == list(range(committed + 8))
    on_disk = {p.name for p in (raw / "articles").iterdir()}
    assert on_disk == set(manifest["file"])  # no orphan file, no missing one


def test_same_text_with_crlf_line_ends_is_refused(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    committed = len(read_manifest(raw))
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes((raw / "articles" / f"{SEED}.txt").read_bytes().replace(b"\n", b"\r\n"))
    args = ["add-article", str(crlf), "--outlet", "X", "--published", "2026-01-30", "--language", "fr", "--raw", str(raw)]
    assert main(args) == 2
    assert f"already in the manifest as {SEED}" in _one_error_line(capsys)
    assert len(read_manifest(raw)) == committed


# --- causes 7 and 8: numbers that are not numbers; YAML traps ------------------------


def _scenario_with(tmp_path: Path, key: str, value: str) -> Path:
    """central.yaml with the value of ``key`` written as ``value`` (YAML text)."""
    path = tmp_path / "edited.yaml"
    text = (paths.SCENARIOS / "central.yaml").read_text(encoding="utf-8")
    edited, n = re.subn(rf"(\n  {key}:\n    value: )[^\n]*", lambda m: m.group(1) + value, text, count=1)
    assert n == 1
    path.write_text(edited, encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1e999", "1.0e+999"])
def test_non_finite_scenario_value_is_refused(tmp_path, value):
    path = _scenario_with(tmp_path, "price_usd_per_h200", value)
    with pytest.raises(InputError, match=r"edited\.yaml: key '.*price_usd_per_h200.*': .*(finite|too large)"):
        load_scenario(path)


def test_non_finite_override_is_refused():
    with pytest.raises(InputError, match="finite"):
        load_scenario(paths.SCENARIOS / "central.yaml", price_usd_per_h200=float("nan"))


def test_exponent_without_dot_is_a_number(tmp_path):
    path = _scenario_with(tmp_path, "nvidia_china_revenue_usd", "1.7e10")
    assert load_scenario(path).value("nvidia_china_revenue_usd") == 1.7e10
    path = _scenario_with(tmp_path, "price_usd_per_h200", "3e4")
    assert load_scenario(path).value("price_usd_per_h200") == 30000.0


def test_duplicate_yaml_key_is_refused(tmp_path):
    path = tmp_path / "edited.yaml"
    text = (paths.SCENARIOS / "central.yaml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("\n  price_usd_per_h200:\n", "\n  us_take_share:\n    value: 0.5\n    why: twice\n  price_usd_per_h200:\n", 1)
    )
    with pytest.raises(InputError, match=r"edited\.yaml: line \d+: key 'us_take_share': duplicate key"):
        load_scenario(path)


def test_yaml_alias_bomb_is_refused_before_expanding(tmp_path):
    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 12))
    path = tmp_path / "bomb.yaml"
    path.write_text("l0: &l0 [lol]\n" + bomb + "name: bomb\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"bomb\.yaml: line 1: YAML anchors and aliases"):
        load_scenario(path)
    assert time.perf_counter() - started < 1.0
    big = tmp_path / "big.yaml"
    big.write_text("description: " + "x" * 2_000_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="limited to"):
        load_yaml_strict(big)


@pytest.mark.parametrize("value", ["NaN", "inf", "-inf", "1e999"])
def test_non_finite_spec_is_refused_with_row(tmp_path, capsys, value):
    raw = copy_raw(tmp_path)
    replace_in_file(raw / "chip_specs.csv", "H200 SXM,Nvidia,US,989.5,", f"H200 SXM,Nvidia,US,{value},")
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    line = _one_error_line(capsys)
    assert "chip_specs.csv, row 2 (H200 SXM): bf16_tflops" in line and value in line


# --- cause 9: tracebacks for bad input ---------------------------------------------


def _manifest_text(raw: Path) -> str:
    return (raw / "articles.csv").read_text(encoding="utf-8")


BAD = {
    "empty manifest": (lambda raw: (raw / "articles.csv").write_text(""), ["articles.csv", "empty"]),
    "header-only manifest": (
        lambda raw: (raw / "articles.csv").write_text(_manifest_text(raw).splitlines()[0] + "\n"),
        ["articles.csv", "no article rows"],
    ),
    "ragged row": (
        lambda raw: replace_in_file(raw / "articles.csv", f"{SEED},{SEED}.txt,", f"{SEED},{SEED}.txt,extra,"),
        ["articles.csv, row 4", "8 fields where the header has 7"],
    ),
    "unterminated quote": (
        lambda raw: (raw / "articles.csv").write_text(_manifest_text(raw) + 'x,x.txt,"unclosed,,,fr,\n'),
        [f"articles.csv, row {len(read_manifest()) + 2}", "not valid CSV"],  # the row after the committed ones
    ),
    "empty article file": (lambda raw: (raw / "articles" / f"{SEED}.txt").write_bytes(b""), [f"{SEED}.txt", "empty"]),
    "non-UTF-8 claims": (
        lambda raw: (raw / "claims.csv").write_bytes((raw / "claims.csv").read_bytes() + "é\n".encode("latin-1")),
        ["claims.csv", "not UTF-8"],
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_gives_one_line_and_leaves_outputs(raw_and_out, capsys, case):
    raw, out = raw_and_out
    before = _digests(out)
    capsys.readouterr()
    breaks, needles = BAD[case]
    breaks(raw)
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 2
    line = _one_error_line(capsys)
    for needle in needles:
        assert needle in line, line
    assert _digests(out) == before


def test_empty_article_is_refused_by_add_article(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\n\n")
    assert main(["add-article", str(empty), "--outlet", "X", "--published", "2026-01-30", "--language", "fr", "--raw", str(raw)]) == 2
    assert "empty" in _one_error_line(capsys)


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_unwritable_output_gives_one_line(raw_and_out, capsys, monkeypatch, code):
    raw, out = raw_and_out
    before = _digests(out)
    capsys.readouterr()

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(out.parent))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 2
    assert _one_error_line(capsys) == f"error: {out.parent}: {os.strerror(code)}"
    assert _digests(out) == before


# --- cause 10: interruptions ------------------------------------------------------------


def test_stale_staging_is_removed_on_the_next_run(raw_and_out):
    raw, out = raw_and_out
    stale = out.parent / f".{out.name}.staging-killed"
    stale.mkdir()
    (stale / "articles.csv").write_text("half", encoding="utf-8")
    old = out.parent / f".{out.name}.old"
    old.mkdir()
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    assert not stale.exists() and not old.exists()
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == []


def test_swap_leaves_old_or_new_tables_at_every_instant(tmp_path, monkeypatch):
    """Every rename or removal during the swap happens while the target folder
    holds complete tables (the exchange is one atomic step)."""
    target = tmp_path / "processed"
    target.mkdir()
    (target / "t.csv").write_text("old\n", encoding="utf-8")
    staging = Path(tempfile.mkdtemp(dir=tmp_path, prefix=".processed.staging-"))
    (staging / "t.csv").write_text("new\n", encoding="utf-8")
    seen = []
    real_replace, real_rmtree = os.replace, files.shutil.rmtree

    def watching(real):
        def call(*args, **kwargs):
            seen.append((target / "t.csv").is_file())
            result = real(*args, **kwargs)
            seen.append((target / "t.csv").is_file())
            return result

        return call

    monkeypatch.setattr(files.os, "replace", watching(real_replace))
    monkeypatch.setattr(files.shutil, "rmtree", watching(real_rmtree))
    files.replace_directory(staging, target)
    assert (target / "t.csv").read_text(encoding="utf-8") == "new\n"
    assert all(seen), seen
    assert not staging.exists()


def test_concurrent_data_builds_both_succeed(raw_and_out):
    """Two `data` runs on one output folder take turns (neither removes the
    other's staging folder) and leave the same tables."""
    raw, out = raw_and_out
    before = _digests(out)
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                subprocess.run(
                    [sys.executable, "-m", "analysis", "data", "--raw", str(raw), "--out", str(out)],
                    capture_output=True,
                    text=True,
                    check=False,
                )
            )
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert _digests(out) == before


def test_non_utf8_scenario_is_one_line(tmp_path, capsys):
    from analysis.reports.build import build_reports

    bad = tmp_path / "latin.yaml"
    bad.write_bytes((paths.SCENARIOS / "central.yaml").read_bytes() + "# prévu\n".encode("latin-1"))
    assert build_reports([bad], output_dir=tmp_path / "reports") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {bad}: not UTF-8 text")


def test_yaml_error_does_not_quote_the_file(tmp_path):
    """A path given as a scenario may be any file: the error names its line, not its content."""
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\nhunter2: : x\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(secret)
    message = str(caught.value).replace(str(secret), "FILE")
    assert message.startswith("FILE: not valid YAML") and "line 2" in message
    assert "hunter2" not in message and "root" not in message


def test_ctrl_c_during_data_is_one_line_and_leaves_the_old_tables(raw_and_out, capsys, monkeypatch):
    from analysis.tables import pipeline

    raw, out = raw_and_out
    before = _digests(out)
    capsys.readouterr()

    def interrupted(staging, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "replace_directory", interrupted)
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 130
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("data: ")]
    assert err == ["interrupted: data stopped; each output is either as it was or complete"]
    assert _digests(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_a_table_dropped_since_the_last_build_does_not_block_it(raw_and_out):
    """The previous build's tables.yaml vouches for the tables it wrote."""
    import yaml

    raw, out = raw_and_out
    metadata = yaml.safe_load((out / "tables.yaml").read_text(encoding="utf-8"))
    metadata["retired"] = {"columns": {"x": "a table a later version no longer builds"}}
    (out / "tables.yaml").write_text(yaml.safe_dump(metadata), encoding="utf-8")
    (out / "retired.csv").write_text("x\n1\n", encoding="utf-8")
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    assert not (out / "retired.csv").exists()

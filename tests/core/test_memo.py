"""analysis.core.memo: a file as a cache key, a bounded per-process memo, and
results shared between the processes of one report build."""

from __future__ import annotations

import hashlib
import os
import pickle

from analysis.core.memo import BUILD_SHARE_ENV, file_key, remembered, shared_within_build


def test_a_file_rewritten_in_place_with_the_same_size_changes_its_key(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    before = file_key(path)
    path.write_text("a\n2\n", encoding="utf-8")  # same inode, same size: only the time differs
    os.utime(path, ns=(before[3] + 1_000, before[3] + 1_000))
    assert file_key(path) != before
    assert file_key(tmp_path / "missing.csv") is None


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


def test_a_file_key_is_the_resolved_path_inode_size_and_modification_time(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "table.csv").write_bytes(b"a,b\n1,2\n")  # 8 bytes
    stat = os.stat(tmp_path / "table.csv")
    assert file_key(tmp_path / "sub" / ".." / "table.csv") == (str(tmp_path.resolve() / "table.csv"), stat.st_ino, 8, stat.st_mtime_ns)


def test_remembered_computes_each_key_once_per_store():
    store: dict = {}
    calls = []
    assert remembered(store, "a", lambda: calls.append("a") or 1) == 1
    assert remembered(store, "a", lambda: calls.append("a again") or 2) == 1  # kept: not computed again
    assert remembered(store, "b", lambda: calls.append("b") or 3) == 3
    assert calls == ["a", "b"] and store == {"a": 1, "b": 3}


def test_remembered_makes_room_by_dropping_the_entry_stored_first():
    store: dict = {}
    calls = []
    for key in ("a", "b", "a", "c"):  # the second "a" is a hit, which does not make it newer
        remembered(store, key, lambda key=key: calls.append(key) or key.upper(), size=2)
    assert store == {"b": "B", "c": "C"}
    assert remembered(store, "a", lambda: calls.append("a") or "A", size=2) == "A"
    assert calls == ["a", "b", "c", "a"] and list(store) == ["c", "a"]


def test_a_shared_result_is_left_pickled_under_its_kind_and_the_hash_of_its_key(tmp_path, monkeypatch):
    monkeypatch.setenv(BUILD_SHARE_ENV, str(tmp_path))
    assert shared_within_build("headline", ("central", 3), lambda: [1.5, "x"]) == [1.5, "x"]
    name = "headline-" + hashlib.sha256(b"('central', 3)").hexdigest() + ".pickle"
    assert [path.name for path in tmp_path.iterdir()] == [name]  # no temporary file left beside it
    assert pickle.loads((tmp_path / name).read_bytes()) == [1.5, "x"]


def test_a_share_folder_that_does_not_exist_shares_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(BUILD_SHARE_ENV, str(tmp_path / "gone"))
    calls = []
    for _ in range(2):
        assert shared_within_build("t", "k", lambda: calls.append(1) or 7) == 7
    assert len(calls) == 2 and not (tmp_path / "gone").exists()

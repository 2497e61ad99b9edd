"""Computing a thing once: per process while a file stays the same, and once
per report build across its processes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["BUILD_SHARE_ENV", "T", "file_key", "remembered", "shared_within_build"]


def file_key(path: Path) -> tuple[str, int, int, int] | None:
    """A file as a cache key: its resolved path, inode, size and modification
    time (every write here replaces a file, so a rewrite changes the inode);
    None when it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)


T = TypeVar("T")


def remembered(store: dict[Any, T], key: Hashable, compute: Callable[[], T], size: int = 64) -> T:
    """``store[key]``, computed once per process: the oldest entry makes room
    beyond ``size`` (the per-process memo of tables, documents, headlines, charts)."""
    if key not in store:
        if len(store) >= size:
            store.pop(next(iter(store)))
        store[key] = compute()
    return store[key]


#: Set by the report build for its workers and their kernels: a private folder the processes of
#: one build share results through (:func:`shared_within_build`); unset, nothing is shared.
BUILD_SHARE_ENV = "H200_BUILD_SHARE"


def shared_within_build(kind: str, key: object, compute: Callable[[], T]) -> T:
    """``compute()``, computed once per report build across its processes:
    the report workers and their kernels compute the same deterministic
    results (a scenario's headline under each of its notebooks, the sources
    page's charts under every scenario), so the first to finish leaves it,
    pickled, in the build's private folder (:data:`BUILD_SHARE_ENV`, removed
    with the build) and the others read it. ``key`` names every input (its
    ``repr`` is hashed). Outside a build this is ``compute()``."""
    import hashlib
    import pickle

    folder = os.environ.get(BUILD_SHARE_ENV)
    if not folder or not Path(folder).is_dir():
        return compute()
    path = Path(folder) / f"{kind}-{hashlib.sha256(repr(key).encode('utf-8')).hexdigest()}.pickle"
    try:
        with path.open("rb") as shared:
            kept: T = pickle.load(shared)  # written by this build's own processes, in its private folder
        return kept
    except (OSError, EOFError, pickle.UnpicklingError):
        pass
    value = compute()
    descriptor, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)  # whole or not at all: another process reads it at any moment
    except OSError:
        Path(tmp).unlink(missing_ok=True)  # a share that cannot be written: the others compute it too
    return value

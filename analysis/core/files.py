"""Deterministic, all-or-nothing file writes shared by the data and report steps."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where a table is read: the report build's no-op check and the locks need none of it
    import pandas as pd

__all__ = [
    "FORMULA_STARTS",
    "MAX_ARTICLE_BYTES",
    "PLAIN_NUMBER",
    "atomic_write_checked",
    "atomic_write_text",
    "csv_text",
    "locked",
    "neutralise_formula_cell",
    "read_csv_text",
    "read_raw_csv",
    "read_text_file",
    "remove_stale_staging",
    "replace_directory",
    "restore_formula_cell",
]

#: The largest article file (text or saved page) add-article copies and the
#: data build reads: beyond it, extracting a page's text takes minutes and
#: a gigabyte of memory; at 5 MB reading a page's metadata and main text takes about a second.
MAX_ARTICLE_BYTES = 5_000_000

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A cell that is a plain number ("-5", "+0.3", "-1.5e3"): a spreadsheet reads it as that number, so it stays as it is.
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_QUOTED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def neutralise_formula_cell(value: object) -> object:
    """A text cell as written to a processed CSV, following OWASP's CSV
    injection guidance: a cell starting with ``= + - @``, a tab or a carriage
    return gets a leading single quote, so a spreadsheet shows it as text
    instead of running it; plain numbers (``-5``, ``-0.3``) are left alone.
    A cell already made of quotes before such a character gets one more
    quote, so :func:`restore_formula_cell` reads every cell back exactly."""
    if not isinstance(value, str) or not value:
        return value
    if (value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value)) or _QUOTED_FORMULA.match(value):
        return "'" + value
    return value


def restore_formula_cell(value: object) -> object:
    """The inverse of :func:`neutralise_formula_cell`: the cell as the table held it."""
    if isinstance(value, str) and _QUOTED_FORMULA.match(value):
        return value[1:]
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """CSV text with fixed conventions (``\\n`` line ends, no index, UTF-8), so a
    rebuild from the same inputs gives the same bytes; text cells that a
    spreadsheet would run as a formula are neutralised (:func:`neutralise_formula_cell`)."""
    import pandas as pd

    text_columns = [column for column in frame.columns if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])]
    safe = frame.assign(**{str(column): frame[column].map(neutralise_formula_cell) for column in text_columns}) if text_columns else frame
    text: str = safe.to_csv(index=False, lineterminator="\n")
    return text


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder,
    then rename: a reader never sees half a file, and a failure leaves the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files; outputs are for every reader
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_checked(path: Path, text: str, check: Callable[[Path], object]) -> None:
    """Like :func:`atomic_write_text`, but ``check`` (the reader the next build
    uses) reads the temporary file first: if it raises, ``path`` is left as it
    was, so nothing is written to ``data/raw/`` that the next build would refuse."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        check(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` itself (no lock file to leave
    behind) while the block runs: concurrent writers of the same folder take
    turns. Released by the kernel if the process dies."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _rename_exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux ``renameat2(RENAME_EXCHANGE)``;
    False where the C library, kernel or file system cannot."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    errno = ctypes.get_errno()
    import errno as errnos

    if errno in (errnos.ENOSYS, errnos.EINVAL, errnos.EOPNOTSUPP):
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def replace_directory(staging: Path, target: Path) -> None:
    """Swap a fully written ``staging`` folder into place of ``target``.

    On Linux the two folders are exchanged in one atomic step
    (``renameat2(RENAME_EXCHANGE)``), so ``target`` holds either the old or the
    new tables at every instant; elsewhere the old folder is renamed aside
    first (a window of two renames where ``target`` is missing). The old
    tables are removed only once the new ones are in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(staging, 0o755)  # mkdtemp makes 0700 folders
    if target.exists() and _rename_exchange(staging, target):
        shutil.rmtree(staging)  # now holds the old tables
        return
    backup = target.with_name(f".{target.name}.old")
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.replace(target, backup)
    os.replace(staging, target)
    if backup.exists():
        shutil.rmtree(backup)


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove what an interrupted build of ``target`` left beside it (staging
    folders, the ``.old`` folder); call while holding :func:`locked` on the parent."""
    removed = []
    for leftover in sorted(target.parent.glob(f".{target.name}.staging-*")) + [target.with_name(f".{target.name}.old")]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


def read_csv_text(path: Path) -> pd.DataFrame:
    """Read a CSV file as text (every cell a string, empty cells ""), strictly:
    UTF-8, a header, every row as long as the header, quotes closed. Fails with
    an InputError naming the file and the row (the line of the file where the
    row starts, counting the header as row 1)."""
    import csv
    import io

    import pandas as pd

    from analysis.core.errors import InputError

    text = read_text_file(path, encoding="utf-8-sig")
    if "\x00" in text:
        raise InputError(f"{path}: not a text file (contains NUL bytes)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []  # (row, cells), blank lines left out
    start = 1
    try:
        for record in reader:
            if record and records and len(record) != len(records[0][1]):
                raise InputError(f"{path}, row {start}: {len(record)} fields where the header has {len(records[0][1])}")
            if record:
                records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as err:
        raise InputError(f"{path}, row {start}: not valid CSV ({err})") from None
    if not records:
        raise InputError(f"{path}: the file is empty (no header row)")
    header = records[0][1]
    if len(set(header)) != len(header):
        raise InputError(f"{path}, row 1: duplicate column name in the header")
    return pd.DataFrame([record for _, record in records[1:]], columns=header, dtype=object).astype(object)


def read_text_file(path: Path, *, encoding: str = "utf-8", max_bytes: int | None = None, kind: str = "inputs") -> str:
    """The text of ``path``, or an InputError naming the file: missing, a
    folder, over ``max_bytes`` (``kind`` says which inputs have the limit), or
    not UTF-8."""
    from analysis.core.errors import InputError

    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(f"{path}: {size} bytes; {kind} are limited to {max_bytes}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start}: {err.reason})") from None


def read_raw_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read a curated raw table as text (empty cells stay ""), or fail naming
    the file: missing, or without one of ``columns``."""
    from analysis.core.errors import InputError

    table = read_csv_text(path)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    return table

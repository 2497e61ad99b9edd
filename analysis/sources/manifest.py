"""The article manifest (``data/raw/articles.csv``): reading and checking it,
reading the article files, and ``add-article``."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.core.errors import InputError, where
from analysis.core.files import MAX_ARTICLE_BYTES, locked, read_raw_csv
from analysis.lang.vocabulary import LANGUAGES
from analysis.sources.cleaning import normalise_text

__all__ = [
    "MANIFEST_COLUMNS",
    "add_article",
    "article_file_problem",
    "clean_field",
    "date_problem",
    "decode_article",
    "latest_publication_day",
    "read_article_text",
    "read_manifest",
]

MANIFEST_COLUMNS = ["article_id", "file", "outlet", "url", "published", "language", "note"]

# --- manifest ---------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ARTICLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def date_problem(text: str, latest: date | None = None) -> str | None:
    """Why ``text`` is not a publication date (``YYYY-MM-DD``, a day that
    exists, not after ``latest`` when given), or None when it is one."""
    if not _ISO_DATE.fullmatch(text):
        return "is not a YYYY-MM-DD date"
    try:
        day = date.fromisoformat(text)
    except ValueError as err:
        return f"is not a YYYY-MM-DD date: not a real date ({err})"
    if latest is not None and day > latest:
        return f"is in the future (after {latest.isoformat()})"
    return None


def latest_publication_day() -> date:
    """The latest date an article being added can carry: tomorrow, so that a
    story dated in a time zone ahead of this machine's is not refused."""
    return date.today() + timedelta(days=1)


def clean_field(text: str) -> str:
    """A manifest cell as it is stored: every kind of line break and space
    (a saved page's JSON-LD may hold tabs, NEL, line separators) becomes one
    space; other control characters (NUL, escape, DEL, C1) and lone
    surrogates (not text: they cannot be written as UTF-8) are dropped. The
    next build reads the cell back as written."""
    kept = (" " if char.isspace() else char for char in str(text) if char.isspace() or unicodedata.category(char) not in ("Cc", "Cs"))
    return " ".join("".join(kept).split())


def read_manifest(raw_dir: Path = paths.RAW, manifest_path: Path | None = None) -> pd.DataFrame:
    """Read and validate ``articles.csv`` (or ``manifest_path``, a manifest
    about to replace it).

    Checks, each failing with the file, the row and the reason: the columns;
    a non-empty, well-formed, unique ``article_id``; a ``file`` that exists in
    ``articles/``, within the size limit, named by no other row and with
    bytes no other row's file has (one article counted once); ``published``
    empty or a real ``YYYY-MM-DD`` date; ``language`` one of :data:`analysis.lang.vocabulary.LANGUAGES`."""
    manifest_path = manifest_path or raw_dir / "articles.csv"
    manifest = read_raw_csv(manifest_path, MANIFEST_COLUMNS)
    seen: set[str] = set()
    files: dict[str, str] = {}  # file name or content digest → the article id that has it
    for position, row in enumerate(manifest.itertuples(index=False), start=2):  # row 1 is the header
        at = where(manifest_path, position, row.article_id or None)
        if not _ARTICLE_ID.fullmatch(row.article_id):
            raise InputError(f"{at}: article_id {row.article_id!r} is empty or has characters other than letters, digits, _ . -")
        if row.article_id in seen:
            raise InputError(f"{at}: duplicate article_id {row.article_id!r}")
        seen.add(row.article_id)
        problem = article_file_problem(raw_dir, row.file) or _same_article(raw_dir, row.file, row.article_id, files)
        if problem:
            raise InputError(f"{at}: file {row.file!r} {problem}")
        problem = row.published and date_problem(row.published)
        if problem:
            raise InputError(f"{at}: published {row.published!r} {problem}")
        if row.language not in LANGUAGES:
            raise InputError(f"{at}: language {row.language!r} is not one of {', '.join(LANGUAGES)}")
    return manifest[MANIFEST_COLUMNS]


def _same_article(raw_dir: Path, name: str, article_id: str, files: dict[str, str]) -> str | None:
    """Why a file is already another row's article (the same name, or the same
    bytes under another name), or None; records it in ``files`` otherwise."""
    path = raw_dir / "articles" / name
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        return f"is {size} bytes; articles are limited to {MAX_ARTICLE_BYTES}"
    key = os.path.normcase(name)
    digest = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    for seen in (key, digest):
        if seen in files:
            how = "is also the file of" if seen == key else "has the same bytes as the file of"
            return f"{how} article {files[seen]}; one article would be counted twice"
    files[key] = files[digest] = article_id
    return None


def article_file_problem(raw_dir: Path, name: str) -> str | None:
    """Why the manifest's ``file`` value cannot be read, or None. It must be a
    plain file name of a regular file directly inside ``articles/``: no
    absolute path, no ``..``, no folder, no symbolic link, so that no file
    outside the project can be copied into the committed tables."""
    articles = raw_dir / "articles"
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        return f"is not a plain file name inside {articles}"
    if articles.is_symlink():
        return f"is in {articles}, which is a symbolic link; article files must be real files there"
    path = articles / name
    if path.is_symlink():
        return f"is a symbolic link in {articles}; article files must be real files there"
    if not path.is_file():
        return f"not found in {articles}"
    if path.resolve().parent != articles.resolve():
        return f"resolves outside {articles}"
    return None


def read_article_text(path: Path) -> str:
    """Read one article as UTF-8 text, or fail naming the file and the reason.
    A symbolic link is refused (``O_NOFOLLOW``), as is an empty file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as err:
        reason = "is a symbolic link" if path.is_symlink() else (err.strerror or str(err)).lower()
        raise InputError(f"{path}: {reason}") from None
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_ARTICLE_BYTES:
            raise InputError(f"{path}: {size} bytes; articles are limited to {MAX_ARTICLE_BYTES}")
        data = handle.read()
    return decode_article(path, data)


def decode_article(path: Path, data: bytes) -> str:
    """The text of an article's bytes, or fail naming the file: empty, NUL
    bytes (not text), not UTF-8."""
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data:
        raise InputError(f"{path}: not a text file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start}: {err.reason})") from None


# --- add-article ------------------------------------------------------------


def add_article(
    source: Path,
    *,
    outlet: str,
    published: str,
    language: str,
    url: str = "",
    note: str = "",
    raw_dir: Path = paths.RAW,
    suffix: str = ".txt",
) -> str:
    """Copy a new article into ``articles/`` and append its manifest row.

    The id is the next free three-digit number and the first 16 hex digits of
    the text's SHA-256 (the seeds' ``NNN_hash`` form), so the same text added
    twice is refused rather than duplicated. The file is copied byte for byte
    and the manifest is rewritten through a temporary file; nothing is
    overwritten."""
    if not source.is_file():
        raise InputError(f"{source}: file not found")
    size = source.stat().st_size
    if size > MAX_ARTICLE_BYTES:  # checked before reading: a huge page would hold the extractor for minutes
        raise InputError(f"{source}: {size} bytes; articles are limited to {MAX_ARTICLE_BYTES}")
    data = source.read_bytes()
    text = decode_article(source, data)
    if not normalise_text(text).strip():
        raise InputError(f"{source}: the file is empty")
    if language not in LANGUAGES:
        raise InputError(f"{source}: language {language!r} is not one of {', '.join(LANGUAGES)}")
    outlet, url, note, published = (clean_field(value) for value in (outlet, url, note, published))
    problem = date_problem(published, latest_publication_day())
    if problem:
        raise InputError(f"{source}: --published {published!r} {problem}")
    if not (raw_dir / "articles.csv").is_file():
        raise InputError(f"{raw_dir / 'articles.csv'}: file not found")
    with locked(raw_dir):  # concurrent add-article runs take turns: every row lands, ids stay distinct
        return _add_locked(source, data, text, outlet, published, language, url, note, raw_dir, suffix)


def _same_text(text: str) -> str:
    """The form in which two texts count as "the same text": line endings and
    the normalisation of :func:`normalise_text` do not make a new article."""
    return normalise_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _add_locked(
    source: Path, data: bytes, text: str, outlet: str, published: str, language: str, url: str, note: str, raw_dir: Path, suffix: str
) -> str:
    from analysis.core.files import atomic_write_checked

    manifest = read_manifest(raw_dir)
    digest = hashlib.sha256(data).hexdigest()[:16]
    clash = manifest[manifest["article_id"].str.endswith("_" + digest)]
    if len(clash):
        raise InputError(f"{source}: already in the manifest as {clash['article_id'].iloc[0]}")
    same = _same_text(text)
    for row in manifest.itertuples(index=False):
        if _same_text(read_article_text(raw_dir / "articles" / row.file)) == same:
            raise InputError(
                f"{source}: the same text is already in the manifest as {row.article_id} (differing only in line endings or spacing)"
            )
    numbers = [int(m.group(1)) for a in manifest["article_id"] if (m := re.match(r"(\d+)_", a))]
    article_id = f"{max(numbers, default=-1) + 1:03d}_{digest}"
    target = raw_dir / "articles" / f"{article_id}{suffix}"
    if target.exists():
        raise InputError(f"{target}: already exists; not overwritten")
    row = pd.DataFrame(
        [
            {
                "article_id": article_id,
                "file": target.name,
                "outlet": outlet,
                "url": url,
                "published": published,
                "language": language,
                "note": note,
            }
        ]
    )[MANIFEST_COLUMNS]
    # Append one line to the manifest's existing bytes: earlier rows stay exactly as curated.
    manifest_path = raw_dir / "articles.csv"
    existing = manifest_path.read_text(encoding="utf-8")
    if existing and not existing.endswith("\n"):
        existing += "\n"
    new_line = row.to_csv(index=False, header=False, lineterminator="\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    try:
        # The manifest as it will be is read back by the next build's own reader before it replaces the old one.
        atomic_write_checked(manifest_path, existing + new_line, lambda written: read_manifest(raw_dir, written))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return article_id

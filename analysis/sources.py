"""Raw articles → cleaned story text, sentences and a log of what was removed.

Stages of :func:`clean_article`, in order:

1. **Normalise** (:func:`normalise_text`): NBSP (U+00A0), narrow NBSP
   (U+202F), thin and other Unicode spaces become a plain space; hyphens
   U+2010 and non-breaking hyphens U+2011 become "-"; curly
   apostrophes and double quotes become straight ones (the curated quotes in
   ``claims.csv`` are matched against this form); zero-width characters and
   carriage returns go; runs of spaces fold to one.
2. **Header date**: a ``date YYYY-MM-DD`` token opening the text (how the
   scraper stamped seeds 002 and 003) is read and cut off.
3. **Line rules** (:data:`LINE_RULES`, from ``furniture`` in
   ``analysis/lang/*.yaml``): whole lines that are navigation
   ("Aller au contenu principal", "Skip to main content"), bylines and
   credits ("information fournie par Reuters …", "Reporting by …"), datelines
   and reading times ("Thursday, 29 January 2026", "29 janv. 2026",
   "3 days ago", "Lecture 4 min"), counters and footnote markers ("56",
   "13 Sources", "[2]"), audio and font-size widgets ("1.0x", "+ ↺ − 16 px"),
   share bars, wire update notes ("(Mise à jour paragraphes 1 à 4)"), promos
   ("Related: …", "Lire aussi : …", newsletter sign-ups), labels ("Breaking",
   "Advertisement"), image credits, comment prompts ("Leave a Reply"), bare
   links and the outlet's own masthead.
4. **Blocks**: a "related articles" heading (seed 004's "Articles connexes")
   ends the story, since what follows are other stories; a cookie banner
   heading ("Ce site utilise des cookies") drops the banner's short lines; a
   "Sources" heading drops the link list under it; "Leave a Reply" ends the
   story (a comment form follows).
5. **Repeated lines**: a line equal to an earlier one (seed 001 prints its
   title twice) is dropped.

Every removed line is logged with its reason, so the notebooks can show what
cleaning took out. The rules are written for French and English news pages in
general, not for the five seeds.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import paths, schemas
from analysis import vocabulary as vocab
from analysis._io import locked, read_raw_csv
from analysis.errors import InputError, where
from analysis.schemas import LANGUAGES

MANIFEST_COLUMNS = ["article_id", "file", "outlet", "url", "published", "language", "note"]

# --- stage 1: normalisation -------------------------------------------------

_SPACE_CHARS = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000\t\f\v"
_TRANSLATE: dict[int, str | None] = {ord(c): " " for c in _SPACE_CHARS}
_TRANSLATE.update({ord(c): "'" for c in "\u2019\u2018\u201b\u02bc\u2032"})
_TRANSLATE.update({ord(c): '"' for c in "\u201c\u201d\u201f\u2033"})
_TRANSLATE.update({ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad\r"})
_TRANSLATE.update({ord(c): "-" for c in "\u2010\u2011"})  # hyphen, non-breaking hyphen ("8\u2011GPU")
_MULTISPACE = re.compile(r" {2,}")


def normalise_text(text: str) -> str:
    """Unicode NFC, one kind of space, straight apostrophes and double quotes,
    no zero-width characters; each line stripped. French guillemets « » are
    kept: they are the quotation marks of the text, not a typographic variant."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return "\n".join(_MULTISPACE.sub(" ", line).strip() for line in text.split("\n"))


# --- stage 2: header date ---------------------------------------------------

_HEADER_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")


def split_header_date(text: str) -> tuple[str | None, str]:
    """Return (``YYYY-MM-DD`` or None, text without the header token)."""
    match = _HEADER_DATE.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


# --- stage 3: line rules ----------------------------------------------------
# The patterns are language knowledge: they live in analysis/lang/{en,fr}.yaml
# (``furniture`` by reason, months, days, agencies, headings); a page may mix
# languages (a French story under an English page header), so the cleaner
# uses the union of both files.


def _alternation(items: list[str]) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


_MONTHS = _alternation([re.escape(m) for m in vocab.words("months") + vocab.words("month_abbreviations")])
_DAYS = _alternation([re.escape(d) for d in vocab.words("days") + vocab.words("day_abbreviations")])
_DATE_ONLY = (
    rf"(?:(?:{_DAYS})\.?,?\s+)?(?:le\s+)?(?:\d{{1,2}}(?:er)?\s+(?:{_MONTHS})\.?|(?:{_MONTHS})\.?\s+\d{{1,2}},?)\s+\d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}"
)
_TIME = (
    r"(?:(?:à|at|-|,|\|)\s*)?\d{1,2}(?:[:h]\d{2})(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
    r"(?:\s*(?:gmt|utc|cet|cest|et|hkt|bst|pst|est|edt|pt)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)?"
)
_AGENCIES = _alternation(vocab.words("agencies"))

#: The order in which a line's reasons are tried (the first that matches wins).
FURNITURE_REASONS = (
    "navigation",
    "dateline",
    "byline",
    "counter",
    "widget",
    "share",
    "wire_note",
    "promo",
    "label",
    "caption",
    "comment_prompt",
)


def _furniture_rules() -> list[tuple[str, re.Pattern[str]]]:
    """(reason, pattern) pairs from the vocabulary files, in
    :data:`FURNITURE_REASONS` order; a date-only line is a dateline; a bare
    link is a link."""
    rules: list[tuple[str, re.Pattern[str]]] = []
    fill = {"{months}": _MONTHS, "{days}": _DAYS, "{agencies}": _AGENCIES}
    for reason in FURNITURE_REASONS:
        if reason == "dateline":
            rules.append(
                (
                    reason,
                    re.compile(
                        rf"(?:(?:publié|mis à jour|modifié|published|updated|posted)(?: le| on)?:?\s*)?(?:{_DATE_ONLY})(?:\s*{_TIME})?",
                        re.IGNORECASE,
                    ),
                )
            )
        if reason == "byline":
            rules.append((reason, re.compile(rf"\(?(?:{_AGENCIES})(?:\s*[/,]\s*(?:{_AGENCIES}))*\)?|©.{{0,80}}", re.IGNORECASE)))
        for pattern in vocab.words("furniture", reason):
            for key, value in fill.items():
                pattern = pattern.replace(key, value)
            rules.append((reason, re.compile(pattern, re.IGNORECASE)))
    rules.append(("link", re.compile(r"(?:[-*•]\s*)?(?:https?://|www\.)\S+", re.IGNORECASE)))
    return rules


#: (reason, pattern) pairs; a line that fully matches a pattern is removed.
LINE_RULES: list[tuple[str, re.Pattern[str]]] = _furniture_rules()

#: A heading after which nothing belongs to the story (other stories follow).
RELATED_HEADING = re.compile(rf"(?:{_alternation(vocab.words('related_headings'))})\s*:?", re.IGNORECASE)
#: A cookie banner: its heading, and the short lines that go with it.
COOKIE_LINE = re.compile(
    rf".*\b(?:{_alternation(vocab.words('cookie_words'))})\b.*|(?:{_alternation(vocab.words('cookie_buttons'))})",
    re.IGNORECASE,
)
COOKIE_HEADING = re.compile(rf"(?:{_alternation(vocab.words('cookie_headings'))}).*", re.IGNORECASE)
SOURCES_HEADING = re.compile(rf"(?:{_alternation(vocab.words('sources_headings'))})\s*:?", re.IGNORECASE)
END_OF_STORY = re.compile(rf"(?:{_alternation(vocab.words('end_of_story'))})\s*", re.IGNORECASE)


@dataclass(frozen=True)
class CleanedArticle:
    """The story text of one article and what was cut from it."""

    story: str
    header_date: str | None
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (line number from 1, reason, text)


def _line_reason(line: str, masthead: re.Pattern[str] | None) -> str | None:
    # Short page furniture often ends in a stray full stop or colon ("Temps de lecture 2 min.").
    candidates = {line, line.rstrip(" .:;!")} if len(line) <= 80 else {line}
    for text in candidates:
        if masthead is not None and masthead.fullmatch(text):
            return "masthead"
        for reason, pattern in LINE_RULES:
            if pattern.fullmatch(text):
                return reason
    return None


def _masthead_pattern(outlet: str | None) -> re.Pattern[str] | None:
    # A short line built around the outlet's own name ("Ekhbary", "Agence de presse Ekhbary").
    if not outlet:
        return None
    name = re.escape(outlet.strip())
    return re.compile(rf"(?:[\w'-]+\s+){{0,4}}{name}(?:\s+[\w'-]+){{0,3}}\s*[.:|-]?", re.IGNORECASE)


def clean_article(raw: str, outlet: str | None = None) -> CleanedArticle:
    """Split a raw article into its story and the removed lines (see the module
    docstring for the stages). ``outlet`` lets the outlet's masthead lines go."""
    header_date, text = split_header_date(normalise_text(raw))
    masthead = _masthead_pattern(outlet)
    kept: list[str] = []
    removed: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    block: str | None = None  # "related", "end", "sources" or "cookie" while inside such a block
    for number, line in enumerate(text.split("\n"), start=1):
        if not line:
            if block in ("sources", "cookie"):
                block = None
            continue
        if COOKIE_HEADING.fullmatch(line):
            removed.append((number, "cookie", line))
            block = "cookie" if block not in ("related", "end") else block
            continue
        if block in ("related", "end"):
            if COOKIE_LINE.fullmatch(line) and len(line) < 300:
                removed.append((number, "cookie", line))
            else:
                removed.append((number, "related" if block == "related" else "comment_form", line))
            continue
        if block == "cookie":
            if COOKIE_LINE.fullmatch(line) and len(line) < 300:
                removed.append((number, "cookie", line))
                continue
            block = None
        if block == "sources":
            if LINE_RULES[-1][1].fullmatch(line) or re.fullmatch(r"[-*•]?\s*\S+\.\w{2,}/\S*", line):
                removed.append((number, "sources_list", line))
                continue
            block = None
        if RELATED_HEADING.fullmatch(line):
            removed.append((number, "related", line))
            block = "related"
            continue
        if END_OF_STORY.fullmatch(line):
            removed.append((number, "comment_prompt", line))
            block = "end"
            continue
        if SOURCES_HEADING.fullmatch(line):
            removed.append((number, "sources_list", line))
            block = "sources"
            continue
        reason = _line_reason(line, masthead)
        if reason is None and line in seen:
            reason = "repeated"
        if reason is not None:
            removed.append((number, reason, line))
            continue
        seen.add(line)
        kept.append(line)
    return CleanedArticle(story="\n".join(kept), header_date=header_date, removed=removed)


# --- sentences --------------------------------------------------------------

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "m",
    "mm",
    "mme",
    "mmes",
    "mlle",
    "dr",
    "pr",
    "me",
    "st",
    "ste",
    "mr",
    "mrs",
    "ms",
    "prof",
    "sr",
    "jr",
    "inc",
    "ltd",
    "co",
    "corp",
    "cie",
    "etc",
    "cf",
    "env",
    "vol",
    "no",
    "n°",
    "p",
    "pp",
    "art",
    "av",
    "bd",
    "ed",
    "éd",
    "fig",
    "jan",
    "janv",
    "feb",
    "fév",
    "févr",
    "mar",
    "apr",
    "avr",
    "jun",
    "jul",
    "juil",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "déc",
    "vs",
    "approx",
    "est",
    "gen",
    "gov",
    "sen",
    "rep",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "ph.d",
}
_SENTENCE_END = re.compile(r"(?<=[.!?…])((?: ?[»\"')\]])*)\s+(?=[«\"'(\[]?\s*[A-ZÀ-ÖØ-Þ0-9])")
_WORD_BEFORE = re.compile(r"([\w.°]+)[.]$")


def split_sentences(text: str) -> list[str]:
    """Split story text into sentences: each line is a paragraph, and inside a
    paragraph a sentence ends at ``. ! ? …`` (after closing quotes) followed by
    a capital or a digit, except after a known abbreviation or an initial."""
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            head = paragraph[start : match.start()]
            before = _WORD_BEFORE.search(head)
            if before:
                word = before.group(1).lower()
                if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
            cut = match.start() + len(match.group(1))
            sentences.append(paragraph[start:cut].strip())
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return [s for s in sentences if s]


# --- manifest ---------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ARTICLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def read_manifest(raw_dir: Path = paths.RAW) -> pd.DataFrame:
    """Read and validate ``articles.csv``.

    Checks, each failing with the file, the row and the reason: the columns;
    a non-empty, well-formed, unique ``article_id``; a ``file`` that exists in
    ``articles/``; ``published`` empty or a real ``YYYY-MM-DD`` date;
    ``language`` one of fr, en."""
    manifest_path = raw_dir / "articles.csv"
    manifest = read_raw_csv(manifest_path, MANIFEST_COLUMNS)
    seen: set[str] = set()
    for position, row in enumerate(manifest.itertuples(index=False), start=2):  # row 1 is the header
        at = where(manifest_path, position, row.article_id or None)
        if not _ARTICLE_ID.fullmatch(row.article_id):
            raise InputError(f"{at}: article_id {row.article_id!r} is empty or has characters other than letters, digits, _ . -")
        if row.article_id in seen:
            raise InputError(f"{at}: duplicate article_id {row.article_id!r}")
        seen.add(row.article_id)
        problem = article_file_problem(raw_dir, row.file)
        if problem:
            raise InputError(f"{at}: file {row.file!r} {problem}")
        if row.published:
            if not _ISO_DATE.fullmatch(row.published):
                raise InputError(f"{at}: published {row.published!r} is not a YYYY-MM-DD date")
            try:
                date.fromisoformat(row.published)
            except ValueError:
                raise InputError(f"{at}: published {row.published!r} is not a real date") from None
        if row.language not in LANGUAGES:
            raise InputError(f"{at}: language {row.language!r} is not one of {', '.join(LANGUAGES)}")
    return manifest[MANIFEST_COLUMNS]


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
    data = source.read_bytes()
    text = decode_article(source, data)
    if not normalise_text(text).strip():
        raise InputError(f"{source}: the file is empty")
    if language not in LANGUAGES:
        raise InputError(f"{source}: language {language!r} is not one of {', '.join(LANGUAGES)}")
    try:
        if not _ISO_DATE.fullmatch(published):
            raise ValueError
        date.fromisoformat(published)
    except ValueError:
        raise InputError(f"{source}: --published {published!r} is not a YYYY-MM-DD date") from None
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
    import hashlib

    from analysis._io import atomic_write_text

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
        atomic_write_text(manifest_path, existing + new_line)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return article_id


# --- quotes -----------------------------------------------------------------


def locate_quote(quote: str, sentences: list[str]) -> int | None:
    """Index (from 0) of the first sentence that contains ``quote`` verbatim,
    after both are normalised the same way (:func:`normalise_text`), or None."""
    needle = normalise_text(quote).strip()
    if not needle:
        return None
    for index, sentence in enumerate(sentences):
        if needle in sentence:
            return index
    return None


# --- tables -----------------------------------------------------------------

ARTICLES_SCHEMA = schemas.ARTICLES

SENTENCES_SCHEMA = schemas.SENTENCES

CLEANING_LOG_SCHEMA = schemas.CLEANING_LOG


def load_articles(manifest: pd.DataFrame, raw_dir: Path = paths.RAW) -> dict[str, str]:
    """Raw text of every article in the manifest, by article id."""
    texts = {}
    for row in manifest.itertuples(index=False):
        problem = article_file_problem(raw_dir, row.file)
        if problem:
            raise InputError(f"{raw_dir / 'articles.csv'} ({row.article_id}): file {row.file!r} {problem}")
        texts[row.article_id] = read_article_text(raw_dir / "articles" / row.file)
    return texts


def clean_articles(manifest: pd.DataFrame, texts: dict[str, str]) -> dict[str, CleanedArticle]:
    """:func:`clean_article` for each article, with its outlet's masthead; a
    saved web page (``.html``) is first reduced to its main text
    (:func:`analysis.html_pages.extract_text`). An article that cannot be
    read stops the build with its file named, not a traceback."""
    from analysis import html_pages

    cleaned = {}
    for row in manifest.itertuples(index=False):
        try:
            text = texts[row.article_id]
            if html_pages.is_html(row.file):
                text = html_pages.extract_text(text)
            cleaned[row.article_id] = clean_article(text, row.outlet or None)
        except InputError:
            raise
        except Exception as err:  # noqa: BLE001 - any failure on one article is reported as bad input
            raise InputError(
                f"{paths.RAW_ARTICLES.name}/{row.file} ({row.article_id}): cannot be cleaned: {type(err).__name__}: {err}"
            ) from None
    return cleaned


def make_table_sentences(cleaned: dict[str, CleanedArticle]) -> pd.DataFrame:
    """One row per sentence of each story, numbered from 1 within its article."""
    rows = [
        {"article_id": article_id, "sentence_id": number, "text": sentence}
        for article_id, article in cleaned.items()
        for number, sentence in enumerate(split_sentences(article.story), start=1)
    ]
    return schemas.build(SENTENCES_SCHEMA, rows)


def make_table_cleaning_log(cleaned: dict[str, CleanedArticle]) -> pd.DataFrame:
    """What cleaning removed: one row per removed line, with the reason."""
    rows = [
        {"article_id": article_id, "line": line, "reason": reason, "text": text}
        for article_id, article in cleaned.items()
        for line, reason, text in article.removed
    ]
    return schemas.build(CLEANING_LOG_SCHEMA, rows)


def make_table_articles(
    manifest: pd.DataFrame, texts: dict[str, str], cleaned: dict[str, CleanedArticle], sentences: pd.DataFrame
) -> pd.DataFrame:
    """The manifest with what the text itself says (header date) and sizes."""
    import hashlib

    counts = sentences.groupby("article_id").size()
    table = manifest.assign(
        header_date=[cleaned[a].header_date for a in manifest["article_id"]],
        raw_chars=[len(texts[a]) for a in manifest["article_id"]],
        story_chars=[len(cleaned[a].story) for a in manifest["article_id"]],
        removed_lines=[len(cleaned[a].removed) for a in manifest["article_id"]],
        sentences=[int(counts.get(a, 0)) for a in manifest["article_id"]],
        sha256=[hashlib.sha256(texts[a].encode("utf-8")).hexdigest() for a in manifest["article_id"]],
    )
    return ARTICLES_SCHEMA.validate(schemas.cast(ARTICLES_SCHEMA, table.replace({"": None})))


def cleaning_summary(cleaning_log: pd.DataFrame) -> pd.DataFrame:
    """Lines removed per article (rows) and rule (columns), with totals."""
    return (
        cleaning_log.pivot_table(index="article_id", columns="reason", values="line", aggfunc="count", fill_value=0)
        .astype("int64")
        .assign(total=lambda d: d.sum(axis=1))
    )

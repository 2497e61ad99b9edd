"""Raw article text → the cleaned story and a log of the lines removed.

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

import re
import unicodedata
from dataclasses import dataclass, field

from analysis.lang import vocabulary as vocab

__all__ = [
    "COOKIE_HEADING",
    "COOKIE_LINE",
    "END_OF_STORY",
    "FURNITURE_REASONS",
    "LINE_RULES",
    "RELATED_HEADING",
    "SOURCES_HEADING",
    "CleanedArticle",
    "clean_article",
    "normalise_text",
    "split_header_date",
]

# --- stage 1: normalisation -------------------------------------------------

_SPACE_CHARS = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000\t\f\v"
_TRANSLATE: dict[int, str | None] = {ord(c): " " for c in _SPACE_CHARS}
_TRANSLATE.update({ord(c): "'" for c in "\u2019\u2018\u201b\u02bc\u2032"})
_TRANSLATE.update({ord(c): '"' for c in "\u201c\u201d\u201f\u2033"})
_TRANSLATE.update({ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad\r"})
_TRANSLATE.update({ord(c): "-" for c in "\u2010\u2011"})  # hyphen, non-breaking hyphen ("8\u2011GPU")
# Bidirectional marks and embeddings (an Arabic or Hebrew page puts them inside numbers: "82,\u200f000") carry no text.
_TRANSLATE.update({ord(c): None for c in "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"})
# Number separators of other scripts: Arabic thousands and decimal separators, full-width comma and full stop.
_TRANSLATE.update({0x066C: ",", 0x066B: ".", 0xFF0C: ",", 0xFF0E: "."})
_MULTISPACE = re.compile(r" {2,}")


class _AsciiDigits(dict[int, "str | None"]):
    """A translation table that maps every Unicode decimal digit (Arabic-Indic,
    Persian, Devanagari, full-width, ...) to its ASCII digit, filled as
    characters are met: the number reader reads ASCII digits only."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        if code < 0x80 or unicodedata.category(char) != "Nd":
            raise LookupError(code)  # str.translate leaves the character as it is
        self[code] = digit = str(unicodedata.digit(char))
        return digit


_DIGITS = _AsciiDigits()


def normalise_text(text: str) -> str:
    """Unicode NFC, one kind of space, straight apostrophes and double quotes,
    no zero-width or bidirectional marks, ASCII digits and number separators
    for every script's (``٤٠٠٬٠٠٠`` → ``400,000``); each line stripped. French guillemets « » are
    kept: they are the quotation marks of the text, not a typographic variant."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    if not text.isascii():
        text = text.translate(_DIGITS)
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


def _alternation(patterns: list[str]) -> str:
    return vocab.alternation(patterns, escape=False)


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


_LINK = next(pattern for reason, pattern in LINE_RULES if reason == "link")
_DOMAIN_PATH = re.compile(r"[-*•]?\s*\S+\.\w{2,}/\S*")  # "reuters.com/technology/…" in a sources list
#: Headings that open a block: (pattern, reason the heading is removed for, block).
_OPENINGS = ((RELATED_HEADING, "related", "related"), (END_OF_STORY, "comment_prompt", "end"), (SOURCES_HEADING, "sources_list", "sources"))


def _is_cookie_line(line: str) -> bool:
    return bool(COOKIE_LINE.fullmatch(line)) and len(line) < 300


def _in_block(line: str, block: str) -> tuple[str | None, str | None]:
    """(reason, block) for a line inside ``block``: why it is removed, or
    (None, None) when the line is not part of the block, which then ends.
    A "related" or "end" block runs to the end of the story."""
    if block in ("related", "end"):
        if _is_cookie_line(line):
            return "cookie", block
        return ("related" if block == "related" else "comment_form"), block
    if block == "cookie" and _is_cookie_line(line):
        return "cookie", block
    if block == "sources" and (_LINK.fullmatch(line) or _DOMAIN_PATH.fullmatch(line)):
        return "sources_list", block
    return None, None


def _opened_block(line: str) -> tuple[str, str] | tuple[None, None]:
    """(reason, block) when ``line`` is a heading that opens a block."""
    for pattern, reason, block in _OPENINGS:
        if pattern.fullmatch(line):
            return reason, block
    return None, None


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
            block = None if block in ("sources", "cookie") else block
            continue
        reason: str | None
        if COOKIE_HEADING.fullmatch(line):  # a cookie banner can open anywhere, even in a block
            reason, block = "cookie", (block if block in ("related", "end") else "cookie")
        else:
            reason, block = _in_block(line, block) if block else (None, None)
        if reason is None:
            reason, block = _opened_block(line)
        if reason is None:
            reason = _line_reason(line, masthead) or ("repeated" if line in seen else None)
        if reason is not None:
            removed.append((number, reason, line))
            continue
        seen.add(line)
        kept.append(line)
    return CleanedArticle(story="\n".join(kept), header_date=header_date, removed=removed)

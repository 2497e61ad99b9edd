"""The vocabulary files, one per language (``analysis/lang/<language>.yaml``),
read with the strict loader (:mod:`analysis.core.strict_yaml`). The languages
are the files present: a new language is a new file, nothing else.

One file per language, the way dateparser and number-parser keep theirs:
number and scale words, bound phrases by kind, units and nouns, months and
days, page-furniture patterns by reason, claim cue words. The number reader
(:mod:`analysis.quantities.reader`), the cleaner (:mod:`analysis.sources.extract`) and the
claim candidates (:mod:`analysis.evidence.candidates`) read them through this module.
Every file defines the same keys (``tests/lang/test_vocabulary.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from analysis.core.errors import InputError
from analysis.core.strict_yaml import load_yaml_strict

__all__ = ["LANGUAGES", "LANG_DIR", "agreed", "alternation", "key_paths", "load", "mapping", "words"]

LANG_DIR = Path(__file__).parent
#: Every language with a vocabulary file, in alphabetical order (the order :func:`words` and :func:`mapping` merge in).
LANGUAGES: tuple[str, ...] = tuple(sorted(path.stem for path in LANG_DIR.glob("*.yaml")))


@cache
def load(language: str) -> dict[str, Any]:
    """The vocabulary of one language (a name of :data:`LANGUAGES`), read strictly: a
    duplicate key is an InputError naming the file, not a silent overwrite."""
    if language not in LANGUAGES:
        raise ValueError(f"no vocabulary for language {language!r}; known: {', '.join(LANGUAGES)}")
    document: dict[str, Any] = load_yaml_strict(LANG_DIR / f"{language}.yaml")
    return document


def words(key: str, *path: str) -> list[str]:
    """The union, in file order without repeats, of a list key over every
    language (``words("units", "percent")``): a page may mix languages."""
    seen: dict[str, None] = {}
    for language in LANGUAGES:
        node: Any = load(language)
        for part in (key, *path):
            node = (node or {}).get(part)
        for item in node or []:
            seen.setdefault(str(item), None)
    return list(seen)


def mapping(key: str) -> dict[str, Any]:
    """The union of a mapping key over every language (the first language of :data:`LANGUAGES` that has a name wins)."""
    merged: dict[str, Any] = {}
    for language in LANGUAGES:
        for name, value in (load(language).get(key) or {}).items():
            merged.setdefault(str(name), value)
    return merged


def alternation(items: Iterable[str], *, escape: bool = True, space: str | None = None, apostrophe: str | None = None) -> str:
    """A regex alternation of words or phrases, longest first, so that "plus de" is tried
    before "plus" and "milliards" before "milliard"; each item once. Each is escaped unless
    ``escape`` is false (items that are patterns already); with ``space``, the space
    between words matches that pattern, with ``apostrophe`` an apostrophe matches that one."""

    def one(item: str) -> str:
        text = re.escape(item) if escape else item
        if space is not None:
            text = text.replace(r"\ " if escape else " ", space)
        return text.replace("'", apostrophe) if apostrophe is not None else text

    return "|".join(one(item) for item in sorted(dict.fromkeys(items), key=len, reverse=True))


def agreed(key: str) -> Any:
    """A setting every language file gives the same value (``implied_currency``): the
    reader applies it to a page whatever its language, so two files that disagree are
    an InputError naming them."""
    values = {language: load(language)[key] for language in LANGUAGES}
    if len({repr(value) for value in values.values()}) > 1:
        given = ", ".join(f"{LANG_DIR / f'{language}.yaml'}: {value!r}" for language, value in values.items())
        raise InputError(f"{key}: the language files must agree on it; they give {given}")
    return values[LANGUAGES[0]]


def key_paths(node: Any, prefix: str = "") -> set[str]:
    """Every key path of a vocabulary, down to the lists (``units.currency.USD``);
    word tables (``number_words``, ``scale_words``, ``tight_scales``, ``vague_plural_scales``, ``fractions``,
    ``approximate_numbers.words``) count as one key."""
    paths: set[str] = set()
    if isinstance(node, dict):
        for name, value in node.items():
            path = f"{prefix}{name}"
            paths.add(path)
            if name not in ("number_words", "scale_words", "tight_scales", "vague_plural_scales", "words", "fractions"):
                paths |= key_paths(value, path + ".")
    return paths

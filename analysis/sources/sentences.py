"""Story text → sentences, and finding a curated quote among them."""

from __future__ import annotations

import re

import pandas as pd

from analysis.core.errors import InputError
from analysis.lang import vocabulary as vocab
from analysis.sources.cleaning import normalise_text

__all__ = ["locate_quote", "sentence_of_quote", "split_sentences"]

# --- sentences --------------------------------------------------------------

# Abbreviations after which a full stop does not end a sentence, in every language (the vocabulary files).
_ABBREVIATIONS = frozenset(vocab.words("abbreviations"))
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


def locate_quote(quote: str, sentences: list[str]) -> int | None:
    """Index (from 0) of the first sentence that contains ``quote`` verbatim, or
    None: the quote is normalised (:func:`normalise_text`) as the story the
    sentences were split from was."""
    needle = normalise_text(quote).strip()
    if not needle:
        return None
    for index, sentence in enumerate(sentences):
        if needle in sentence:
            return index
    return None


def sentence_of_quote(quote: str, article: pd.DataFrame, article_id: str, at: str) -> int:
    """The ``sentence_id`` of the first of ``article``'s sentences (its rows of
    the sentences table, in order) holding ``quote`` verbatim, or an
    InputError at ``at`` (file and row) saying the quote is not there."""
    found = locate_quote(quote, article["text"].tolist())
    if found is None:
        raise InputError(f"{at}: quote not found verbatim in the cleaned text of {article_id}: {quote!r}")
    return int(article["sentence_id"].iloc[found])

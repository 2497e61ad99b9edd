"""Raw articles → the articles, sentences and cleaning_log tables.

The jobs live in their own modules: :mod:`analysis.sources.cleaning`
(normalisation, the line and block rules, :func:`clean_article`),
:mod:`analysis.sources.sentences` (sentence splitting, quote lookup),
:mod:`analysis.sources.manifest` (``articles.csv``, the article files,
``add-article``). This module builds the tables from them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.metadata import schemas
from analysis.sources.cleaning import CleanedArticle, clean_article
from analysis.sources.manifest import article_file_problem, read_article_text
from analysis.sources.sentences import split_sentences

__all__ = [
    "ARTICLES_SCHEMA",
    "CLEANING_LOG_SCHEMA",
    "SENTENCES_SCHEMA",
    "clean_articles",
    "load_articles",
    "make_table_articles",
    "make_table_cleaning_log",
    "make_table_sentences",
]

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
    (:func:`analysis.sources.html_pages.extract_text`). An article that cannot be
    read stops the build with its file named, not a traceback."""
    from analysis.sources import html_pages

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

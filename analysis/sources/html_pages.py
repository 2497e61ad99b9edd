"""Saved web pages: the main text and the page's own metadata, offline.

A saved ``.html`` page is kept byte for byte under ``data/raw/articles/``;
:func:`extract_text` gives its main text with trafilatura (a maintained
main-content extractor: it drops scripts, styles, navigation, cookie banners,
asides and footers), and the text then goes through the same cleaning as a
``.txt`` article (:func:`analysis.sources.extract.clean_article`). Trafilatura is only
ever given the HTML string, never a URL, so nothing is fetched.

:func:`page_metadata` reads the outlet, the address, the publication date and
the title from the page, in this order of trust: JSON-LD (schema.org
``NewsArticle``/``Article``), OpenGraph (``og:site_name``, ``og:url``,
``article:published_time``, ``og:title``), the canonical link, ``<title>`` and
``<html lang>``. ``add-article page.html`` fills the manifest from it where the
command line does not say (:func:`add_html_article`).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from analysis.core import paths
from analysis.core.errors import InputError

__all__ = ["HTML_SUFFIXES", "add_html_article", "extract_text", "is_html", "page_metadata"]

HTML_SUFFIXES = (".html", ".htm")


def is_html(file_name: str | Path) -> bool:
    """Whether a manifest file is a saved web page (by its suffix)."""
    return str(file_name).lower().endswith(HTML_SUFFIXES)


def extract_text(html: str) -> str:
    """The page's main text (title first, one paragraph a line), or "" when
    the extractor finds none. Never fetches anything."""
    import trafilatura

    if not html.strip():
        return ""
    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_links=False,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
        with_metadata=False,
    )
    return text or ""


def _json_ld_articles(tree: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.endswith("Article") for k in kinds):
                found.append(node)
            walk(node.get("@graph"))

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text_content() or "null"))
        except (ValueError, RecursionError):
            continue  # a broken JSON-LD block says nothing
    return found


def _text(value: Any, depth: int = 0) -> str:
    """A JSON-LD value as text. schema.org allows a list where one value is
    expected (``"publisher": [{"name": ...}, ...]``) and a thing where text is
    (``{"name": ...}``): the first item that gives text, a thing's name
    (else its ``@id`` or ``url``); never a Python repr."""
    if depth > 8:  # nested lists of lists: nothing a page means as a name
        return ""
    if isinstance(value, list):
        return next((text for item in value if (text := _text(item, depth + 1))), "")
    if isinstance(value, dict):
        return next((text for key in ("name", "@id", "url") if (text := _text(value.get(key), depth + 1))), "")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    return ""


_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _iso_day(value: str) -> str:
    match = _DAY.match(value.strip())
    if not match:
        return ""
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return ""


def page_metadata(html: str) -> dict[str, str]:
    """``outlet, url, published (YYYY-MM-DD), title, language`` read from the
    page; a key is "" when the page does not say."""
    import lxml.html

    meta = {"outlet": "", "url": "", "published": "", "title": "", "language": ""}
    if not html.strip():
        return meta
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return meta

    def first(*values: str) -> str:
        return next((v for v in values if v), "")

    def og(name: str) -> str:
        values = tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content')
        return str(values[0]).strip() if values else ""

    articles = _json_ld_articles(tree)
    ld = articles[0] if articles else {}
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    title_tag = tree.xpath("//title/text()")
    meta["outlet"] = first(_text(ld.get("publisher")), og("og:site_name"))
    meta["url"] = first(
        _text(ld.get("mainEntityOfPage")), _text(ld.get("url")), str(canonical[0]).strip() if canonical else "", og("og:url")
    )
    meta["published"] = first(
        _iso_day(_text(ld.get("datePublished"))), _iso_day(og("article:published_time")), _iso_day(og("date")), _iso_day(og("pubdate"))
    )
    meta["title"] = first(_text(ld.get("headline")), og("og:title"), str(title_tag[0]).strip() if title_tag else "")
    language = tree.xpath("/html/@lang") or tree.xpath("//html/@lang")
    meta["language"] = str(language[0]).split("-")[0].lower().strip() if language else ""
    return meta


def add_html_article(
    source: Path,
    *,
    outlet: str | None = None,
    published: str | None = None,
    language: str | None = None,
    url: str | None = None,
    note: str | None = None,
    raw_dir: Path = paths.RAW,
) -> str:
    """Add a saved web page: its bytes are kept as they are (``NNN_hash.html``),
    and what the command line leaves out is read from the page
    (:func:`page_metadata`); the title goes into the note. Fails, naming the
    page, when the page has no main text or no date, language or outlet can
    be found."""
    from analysis.sources import manifest

    if not source.is_file():
        raise InputError(f"{source}: file not found")
    html = manifest.read_article_text(source)
    if not extract_text(html).strip():
        raise InputError(f"{source}: no article text found in the page")
    found = page_metadata(html)
    published_given = bool(published)
    outlet = outlet or found["outlet"]
    published = published or found["published"]
    language = language or found["language"]
    url = url or found["url"]
    note = note or (f"Title: {found['title']}" if found["title"] else "")
    missing = [name for name, value in (("outlet", outlet), ("published", published), ("language", language)) if not value]
    if missing:  # every one at once: one run to learn them all
        from analysis.core.formatting import and_list

        raise InputError(f"{source}: the page does not give {and_list(missing)}; pass {and_list(['--' + name for name in missing])}")
    page_date_problem = not published_given and manifest.date_problem(published, manifest.latest_publication_day())
    if page_date_problem:
        raise InputError(f"{source}: the page's publication date {published!r} {page_date_problem}; pass --published")
    return manifest.add_article(
        source, outlet=outlet, published=published, language=language, url=url, note=note, raw_dir=raw_dir, suffix=".html"
    )

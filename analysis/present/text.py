"""Escaping of text from inputs (articles, claims, scenarios) before it is
placed in Markdown or HTML, so that no input can inject markup or script into
a notebook output or a report page."""

from __future__ import annotations

import html
import re

__all__ = ["http_url", "md_escape"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]])")
_HTTP_URL = re.compile(r"https?://[^\s/]", re.IGNORECASE)


def md_escape(text: object) -> str:
    """``text`` as literal Markdown: HTML's ``& < >`` become entities (so a
    ``<script>`` or an autolink is shown, never run) and the characters that
    open code spans, links and strong emphasis (backslash, backtick, ``*``,
    brackets) are backslash-escaped; line breaks become spaces so the text
    stays inside its list item or paragraph."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def http_url(url: object) -> str | None:
    """``url`` stripped if it is an ``http://`` or ``https://`` address, else
    None: the only addresses a link is made of (a ``javascript:`` or ``data:``
    one from an input would run or open something)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if _HTTP_URL.match(url) else None

"""Escaping of input text before it reaches Markdown or HTML (analysis.present.text):
the exact escaped form, and the only link addresses allowed."""

from __future__ import annotations

import pytest

from analysis.present.text import http_url, md_escape

MD_ESCAPED = [
    ("html special characters", "a <b> & c", "a &lt;b&gt; &amp; c"),
    ("script tag", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("quotes kept", "say \"hi\" and 'bye'", "say \"hi\" and 'bye'"),
    ("strong emphasis", "*bold*", r"\*bold\*"),
    ("link brackets", "[link](x)", r"\[link\](x)"),
    ("code span", "`code`", r"\`code\`"),
    ("backslash", "back\\slash", "back\\\\slash"),
    ("an entity is shown, not read", "&amp;", "&amp;amp;"),
    ("underscore and hash untouched", "_under_ # not a heading", "_under_ # not a heading"),
    ("line breaks and runs of spaces", "line one\n  line two\tend ", "line one line two end"),
    ("autolink", "<https://x.example>", "&lt;https://x.example&gt;"),
]


@pytest.mark.parametrize(("case", "text", "escaped"), MD_ESCAPED, ids=[row[0] for row in MD_ESCAPED])
def test_md_escape_gives_literal_markdown(case, text, escaped):
    assert md_escape(text) == escaped


def test_md_escape_writes_any_object_as_its_text():
    assert md_escape(42) == "42"
    assert md_escape(None) == "None"
    assert md_escape(2.5) == "2.5"


HTTP_URLS = [
    ("https", "https://www.reuters.com/x?a=1", "https://www.reuters.com/x?a=1"),
    ("http, stripped", "  http://example.com/page \n", "http://example.com/page"),
    ("scheme in capitals", "HTTPS://EXAMPLE.COM", "HTTPS://EXAMPLE.COM"),
    ("one-letter host", "https://a", "https://a"),
    ("javascript", "javascript:alert(1)", None),
    ("data", "data:text/html,<script>alert(1)</script>", None),
    ("ftp", "ftp://example.com/file", None),
    ("mailto", "mailto:someone@example.com", None),
    ("scheme-relative", "//example.com/x", None),
    ("no host", "https://", None),
    ("a path, no host", "http:///etc/passwd", None),
    ("space after the scheme", "https:// example.com", None),
    ("http in the middle", "see https://example.com", None),
    ("empty", "", None),
]


@pytest.mark.parametrize(("case", "url", "kept"), HTTP_URLS, ids=[row[0] for row in HTTP_URLS])
def test_http_url_keeps_only_web_addresses(case, url, kept):
    assert http_url(url) == kept


@pytest.mark.parametrize("value", [None, float("nan"), 3, b"https://example.com"], ids=["None", "NaN", "int", "bytes"])
def test_http_url_of_what_is_not_text_is_none(value):
    assert http_url(value) is None

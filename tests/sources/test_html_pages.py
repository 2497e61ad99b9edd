"""Saved web pages: kept byte for byte, main text extracted offline, metadata
from JSON-LD / OpenGraph / canonical, then the same cleaning as text."""

from __future__ import annotations

import socket

import helpers
import pandas as pd
import pytest
from helpers import copy_raw

from analysis.__main__ import main
from analysis.quantities.reader import find_quantities
from analysis.sources.cleaning import clean_article
from analysis.sources.html_pages import extract_text, page_metadata
from analysis.sources.sentences import split_sentences

PAGE = helpers.FIXTURES / "pages" / "h200-wire.html"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_metadata_comes_from_the_page():
    assert page_metadata(PAGE.read_text(encoding="utf-8")) == {
        "outlet": "Harbour Tech Wire",
        "url": "https://harbourtechwire.example/asia/china-clears-h200-purchases-2026-01-29/",
        "published": "2026-01-29",
        "title": "China clears H200 purchases for three tech groups",
        "language": "en",
    }


def test_opengraph_and_canonical_when_there_is_no_json_ld():
    html = (
        '<html lang="fr"><head><link rel="canonical" href="https://exemple.fr/a"><meta property="og:site_name" content="Le Quotidien">'
        '<meta property="article:published_time" content="2026-01-30T09:00:00+01:00"><title>Titre</title></head><body></body></html>'
    )
    assert page_metadata(html) == {
        "outlet": "Le Quotidien",
        "url": "https://exemple.fr/a",
        "published": "2026-01-30",
        "title": "Titre",
        "language": "fr",
    }
    assert page_metadata("") == {"outlet": "", "url": "", "published": "", "title": "", "language": ""}


def test_json_ld_graph_and_broken_blocks():
    html = (
        '<html><head><script type="application/ld+json">{not json</script>'
        '<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "X"}, {"@type": ["ReportageNewsArticle"],'
        ' "headline": "Pékin autorise les H200", "datePublished": "2026-01-28", "publisher": {"name": "Le Quotidien"},'
        ' "url": "https://exemple.fr/h200"}]}</script></head><body></body></html>'
    )
    meta = page_metadata(html)
    assert (meta["outlet"], meta["url"], meta["published"], meta["title"]) == (
        "Le Quotidien",
        "https://exemple.fr/h200",
        "2026-01-28",
        "Pékin autorise les H200",
    )
    assert page_metadata("<html><head><meta property='article:published_time' content='2026-02-30'></head></html>")["published"] == ""


def test_main_text_without_scripts_banner_or_related_links(no_network):
    story = clean_article(extract_text(PAGE.read_text(encoding="utf-8")), "Harbour Tech Wire").story
    for furniture in (
        "adSlots",
        "300,250",
        "cookies",
        "Accept all",
        "Home",
        "Korea",
        "4 trillion yuan",
        "newsletter",
        "Related:",
        "Reporting by",
        "1.0x",
        "Listen",
    ):
        assert furniture not in story, furniture
    sentences = split_sentences(story)
    assert "Chinese technology companies have placed orders for more than 2 million H200 chips" in sentences[2]
    quantities = [(q.value, q.unit, q.bound) for s in sentences for q in find_quantities(s)]
    assert (400_000, "chips", "at_least") in quantities
    assert (50, "percent", "at_most") in quantities  # "may not exceed 50%"
    assert (5_000, "modules", "exact") in quantities and (40_000, "chips", "exact") in quantities
    assert not any(v in (300, 250, 728, 90) for v, _, _ in quantities)


def test_add_article_keeps_the_page_and_fills_the_manifest(tmp_path, capsys, no_network):
    raw = copy_raw(tmp_path)
    assert main(["add-article", str(PAGE), "--raw", str(raw)]) == 0
    manifest = pd.read_csv(raw / "articles.csv", dtype=str, keep_default_na=False)
    row = manifest.iloc[-1]
    assert row["file"].endswith(".html") and row["file"] == row["article_id"] + ".html"
    assert (raw / "articles" / row["file"]).read_bytes() == PAGE.read_bytes()
    assert (row["outlet"], row["published"], row["language"]) == ("Harbour Tech Wire", "2026-01-29", "en")
    assert row["url"] == "https://harbourtechwire.example/asia/china-clears-h200-purchases-2026-01-29/"
    assert row["note"] == "Title: China clears H200 purchases for three tech groups"
    # The command line wins over the page.
    other = tmp_path / "other.html"
    other.write_bytes(PAGE.read_bytes().replace(b"roughly 700,000", b"about 700,000"))
    assert main(["add-article", str(other), "--outlet", "HTW Asia", "--raw", str(raw)]) == 0
    assert pd.read_csv(raw / "articles.csv", dtype=str, keep_default_na=False).iloc[-1]["outlet"] == "HTW Asia"
    # The build extracts the page before cleaning it.
    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    sentences = pd.read_csv(out / "sentences.csv")
    mine = sentences[sentences["article_id"] == row["article_id"]]["text"].tolist()
    assert mine[0] == "China clears H200 purchases for three tech groups"
    assert not any("<" in s or "adSlots" in s for s in mine)
    articles = pd.read_csv(out / "articles.csv").set_index("article_id")
    assert articles.loc[row["article_id"], "raw_chars"] == len(PAGE.read_text(encoding="utf-8"))
    # Claims are proposed from the page, the modules converted only through the chips the text states.
    proposed = pd.read_csv(out / "claim_candidates.csv")
    proposed = proposed[proposed["article_id"] == row["article_id"]]
    assert sorted(zip(proposed["metric"], proposed["value"], proposed["bound"])) == [
        ("approved_units", 400_000, "at_least"),
        ("first_delivery_units", 40_000, "exact"),
        ("first_delivery_units", 80_000, "exact"),
        ("orders_units", 2_000_000, "at_least"),
        ("stock_units", 700_000, "approx"),
        ("us_cap_percent", 50, "at_most"),
        ("us_take_percent", 25, "exact"),
    ]


def test_a_page_without_a_date_needs_published(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    page = tmp_path / "undated.html"
    page.write_text(
        "<html lang='en'><body><article><p>"
        + "China approved more than 400,000 H200 chips for three groups. " * 5
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    assert main(["add-article", str(page), "--outlet", "X", "--raw", str(raw)]) == 2
    assert "pass --published" in capsys.readouterr().err


def test_a_text_article_still_needs_its_metadata(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    text = tmp_path / "a.txt"
    text.write_text("China approved more than 400,000 H200 chips.", encoding="utf-8")
    assert main(["add-article", str(text), "--published", "2026-01-28", "--language", "en", "--raw", str(raw)]) == 2
    assert "needs --outlet" in capsys.readouterr().err


def test_a_text_article_holding_script_lists_builds(tmp_path, capsys):
    """The lists every saved page holds in its scripts used to crash the build."""
    raw = copy_raw(tmp_path)
    number = f"{len(pd.read_csv(raw / 'articles.csv')):03d}"  # the next article number after the committed ones
    text = tmp_path / "lists.txt"
    text.write_text(
        "China approved more than 400,000 H200 chips.\nwindow.sizes=[300,250,728,90]; var s = '1,250,50';\n"
        "Slots: [728,90],[300,250] and 1.234.56\n",
        encoding="utf-8",
    )
    assert main(["add-article", str(text), "--outlet", "X", "--published", "2026-01-28", "--language", "en", "--raw", str(raw)]) == 0
    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out)]) == 0
    quantities = pd.read_csv(out / "quantities.csv")
    mine = quantities[quantities["article_id"].str.startswith(f"{number}_")]
    assert 400_000 in mine["value"].tolist()
    assert not mine["value"].isin([300250728.9, 125050, 1234.56, 1.23456]).any()

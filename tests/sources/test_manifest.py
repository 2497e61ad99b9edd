"""The article manifest: reading and checking ``articles.csv``, the article files, and
``add-article``, on a small raw folder of made-up French and English articles."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from analysis.core.errors import InputError
from analysis.sources.manifest import (
    MANIFEST_COLUMNS,
    add_article,
    article_file_problem,
    clean_field,
    date_problem,
    decode_article,
    latest_publication_day,
    read_article_text,
    read_manifest,
)

HEADER = "article_id,file,outlet,url,published,language,note\n"
FRENCH = "Pékin a validé l'achat de 120 000 puces H200 par ByteDance.\n"
ENGLISH = "Nvidia holds about 650,000 H200 chips in its stock, two people said.\n"


def _raw(tmp_path: Path, rows: str | None = None) -> Path:
    """A raw folder with two articles (one French, one English) and a manifest naming them (or ``rows``)."""
    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    (raw / "articles" / "003_fr.txt").write_text(FRENCH, encoding="utf-8")
    (raw / "articles" / "007_en.txt").write_text(ENGLISH, encoding="utf-8")
    if rows is None:
        rows = "003_fr,003_fr.txt,Le Quotidien Tech,,2026-01-29,fr,\n007_en,007_en.txt,Test Wire,https://example.com/a,,en,undated\n"
    (raw / "articles.csv").write_text(HEADER + rows, encoding="utf-8")
    return raw


# --- dates and cells --------------------------------------------------------


def test_date_problem_accepts_a_real_iso_date_only():
    assert date_problem("2026-02-28") is None
    assert date_problem("2026-2-28") == "is not a YYYY-MM-DD date"
    assert date_problem("28/02/2026") == "is not a YYYY-MM-DD date"
    assert date_problem("2026-02-30") == "is not a YYYY-MM-DD date: not a real date (day is out of range for month)"
    assert date_problem("2026-03-01", latest=date(2026, 2, 28)) == "is in the future (after 2026-02-28)"
    assert date_problem("2026-02-28", latest=date(2026, 2, 28)) is None


def test_the_latest_publication_day_is_tomorrow():
    assert latest_publication_day() == date.today() + timedelta(days=1)


def test_clean_field_folds_every_space_and_drops_control_characters():
    assert clean_field(" Le\tQuotidien\u2028 \x00Tech\u0085  AFP\x1b ") == "Le Quotidien Tech AFP"
    assert clean_field("ab\ud800c") == "abc"  # a lone surrogate cannot be written as UTF-8
    assert clean_field("Reuters") == "Reuters"


# --- the manifest -----------------------------------------------------------


def test_read_manifest_gives_the_rows_as_text(tmp_path):
    manifest = read_manifest(_raw(tmp_path))
    assert list(manifest.columns) == MANIFEST_COLUMNS
    assert manifest.values.tolist() == [
        ["003_fr", "003_fr.txt", "Le Quotidien Tech", "", "2026-01-29", "fr", ""],
        ["007_en", "007_en.txt", "Test Wire", "https://example.com/a", "", "en", "undated"],
    ]


BAD_ROWS = {
    "a duplicate id": (
        "003_fr,003_fr.txt,,,,fr,\n003_fr,007_en.txt,,,,en,\n",
        "row 3 (003_fr): duplicate article_id '003_fr'",
    ),
    "an id with a space": (
        "003 fr,003_fr.txt,,,,fr,\n",
        "row 2 (003 fr): article_id '003 fr' is empty or has characters other than letters, digits, _ . -",
    ),
    "an empty id": (",003_fr.txt,,,,fr,\n", "row 2: article_id '' is empty or has characters"),
    "a file named twice": (
        "003_fr,003_fr.txt,,,,fr,\n004_fr,003_fr.txt,,,,fr,\n",
        "row 3 (004_fr): file '003_fr.txt' is also the file of article 003_fr; one article would be counted twice",
    ),
    "a missing file": ("003_fr,absent.txt,,,,fr,\n", "row 2 (003_fr): file 'absent.txt' not found in"),
    "a path outside articles/": ("003_fr,../articles.csv,,,,fr,\n", "row 2 (003_fr): file '../articles.csv' is not a plain file name"),
    "a day that does not exist": (
        "003_fr,003_fr.txt,,,2026-02-30,fr,\n",
        "row 2 (003_fr): published '2026-02-30' is not a YYYY-MM-DD date: not a real date",
    ),
    "an unknown language": ("003_fr,003_fr.txt,,,,de,\n", "row 2 (003_fr): language 'de' is not one of "),
}


@pytest.mark.parametrize("rows, message", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_row_is_refused_with_its_row_number_and_reason(tmp_path, rows, message):
    raw = _raw(tmp_path, rows)
    with pytest.raises(InputError) as error:
        read_manifest(raw)
    assert str(error.value).startswith(str(raw / "articles.csv")) and message in str(error.value), str(error.value)


def test_the_same_bytes_under_two_names_are_one_article(tmp_path):
    raw = _raw(tmp_path, "003_fr,003_fr.txt,,,,fr,\n004_fr,copy.txt,,,,fr,\n")
    (raw / "articles" / "copy.txt").write_text(FRENCH, encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3 \(004_fr\): file 'copy.txt' has the same bytes as the file of article 003_fr"):
        read_manifest(raw)


def test_a_manifest_without_a_column_is_refused(tmp_path):
    raw = _raw(tmp_path)
    (raw / "articles.csv").write_text("article_id,file,outlet,url,published,note\n003_fr,003_fr.txt,,,,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing column\(s\) language"):
        read_manifest(raw)


# --- the article files ------------------------------------------------------


def test_article_file_problem_wants_a_plain_regular_file_inside_articles(tmp_path):
    raw = _raw(tmp_path)
    articles = raw / "articles"
    (articles / "link.txt").symlink_to(articles / "003_fr.txt")
    (articles / "folder.txt").mkdir()
    assert article_file_problem(raw, "003_fr.txt") is None
    for name in ("", ".", "..", "../articles.csv", "sub/a.txt", "a\\b.txt", "a\x00.txt"):
        assert article_file_problem(raw, name) == f"is not a plain file name inside {articles}", name
    assert article_file_problem(raw, "absent.txt") == f"not found in {articles}"
    assert article_file_problem(raw, "folder.txt") == f"not found in {articles}"
    assert article_file_problem(raw, "link.txt") == f"is a symbolic link in {articles}; article files must be real files there"


def test_a_symlinked_articles_folder_is_refused(tmp_path):
    raw = _raw(tmp_path)
    real = tmp_path / "elsewhere"
    (raw / "articles").rename(real)
    (raw / "articles").symlink_to(real)
    assert article_file_problem(raw, "003_fr.txt") == (
        f"is in {raw / 'articles'}, which is a symbolic link; article files must be real files there"
    )


def test_decode_article_names_the_file_and_the_reason():
    path = Path("articles/x.txt")
    assert decode_article(path, "Pékin valide 400 000 puces.".encode()) == "Pékin valide 400 000 puces."
    for data, reason in (
        (b"", "the file is empty"),
        (b"  \n\t", "the file is empty"),
        (b"400\x00000 chips", "not a text file (contains NUL bytes)"),
        (b"caf\xe9 chips", "not UTF-8 text (byte 3: invalid continuation byte)"),
    ):
        with pytest.raises(InputError) as error:
            decode_article(path, data)
        assert str(error.value) == f"{path}: {reason}"


def test_read_article_text_refuses_a_symbolic_link(tmp_path):
    raw = _raw(tmp_path)
    link = raw / "articles" / "link.txt"
    link.symlink_to(raw / "articles" / "007_en.txt")
    assert read_article_text(raw / "articles" / "007_en.txt") == ENGLISH
    with pytest.raises(InputError, match="is a symbolic link"):
        read_article_text(link)


# --- add-article ------------------------------------------------------------


def test_add_article_takes_the_next_number_and_the_texts_hash(tmp_path):
    raw = _raw(tmp_path)
    before = (raw / "articles.csv").read_text(encoding="utf-8")
    source = tmp_path / "new.txt"
    source.write_text("China has cleared Tencent to buy 90,000 H200 chips.\n", encoding="utf-8")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    article_id = add_article(source, outlet=" Test \t Wire ", published="2026-02-02", language="en", raw_dir=raw)
    assert article_id == f"008_{digest}"  # one after the highest number (007), not after the row count (2)
    assert (raw / "articles" / f"{article_id}.txt").read_bytes() == source.read_bytes()
    assert (raw / "articles.csv").read_text(encoding="utf-8") == before + f"{article_id},{article_id}.txt,Test Wire,,2026-02-02,en,\n"
    assert read_manifest(raw)["article_id"].tolist() == ["003_fr", "007_en", article_id]


def test_add_article_refuses_a_text_already_there_even_respaced(tmp_path):
    raw = _raw(tmp_path)
    same_bytes = tmp_path / "same.txt"
    same_bytes.write_text(FRENCH, encoding="utf-8")
    with pytest.raises(InputError, match="already in the manifest as 003_fr"):
        add_article(same_bytes, outlet="X", published="2026-02-02", language="fr", raw_dir=raw)
    respaced = tmp_path / "respaced.txt"
    respaced.write_bytes(FRENCH.replace("120 000", "120\u00a0000").replace("\n", "\r\n").encode("utf-8"))
    with pytest.raises(InputError) as error:
        add_article(respaced, outlet="X", published="2026-02-02", language="fr", raw_dir=raw)
    assert str(error.value) == (
        f"{respaced}: the same text is already in the manifest as 003_fr (differing only in line endings or spacing)"
    )
    assert (raw / "articles.csv").read_text(encoding="utf-8").count("\n") == 3
    assert sorted(p.name for p in (raw / "articles").iterdir()) == ["003_fr.txt", "007_en.txt"]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"language": "de", "published": "2026-02-02"}, "language 'de' is not one of "),
        ({"language": "en", "published": "02/02/2026"}, "--published '02/02/2026' is not a YYYY-MM-DD date"),
        ({"language": "en", "published": "2999-01-01"}, "--published '2999-01-01' is in the future"),
    ],
)
def test_add_article_refuses_a_bad_option_and_writes_nothing(tmp_path, options, message):
    raw = _raw(tmp_path)
    before = (raw / "articles.csv").read_bytes()
    source = tmp_path / "new.txt"
    source.write_text("Les autorités chinoises ont validé 90 000 puces.\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        add_article(source, outlet="Test Wire", raw_dir=raw, **options)
    assert str(error.value).startswith(f"{source}: {message}"), str(error.value)
    assert (raw / "articles.csv").read_bytes() == before
    assert len(list((raw / "articles").iterdir())) == 2


def test_add_article_refuses_a_text_that_is_only_spaces(tmp_path):
    raw = _raw(tmp_path)
    source = tmp_path / "blank.txt"
    source.write_text("\u00a0\u200b \n\u202f\n", encoding="utf-8")  # not empty as bytes, empty once normalised
    with pytest.raises(InputError) as error:
        add_article(source, outlet="X", published="2026-02-02", language="fr", raw_dir=raw)
    assert str(error.value) == f"{source}: the file is empty"

"""The vocabulary files: the languages are the files present, every file defines
the same keys, the number words agree with text2num, and every pattern compiles."""

from __future__ import annotations

import re

import pytest
from text_to_num import text2num

from analysis.core.errors import InputError
from analysis.lang import vocabulary as vocab
from analysis.quantities import matchers
from analysis.sources import cleaning


def test_every_language_file_defines_the_same_keys():
    first, *others = vocab.LANGUAGES
    for language in others:
        assert vocab.key_paths(vocab.load(language)) == vocab.key_paths(vocab.load(first)), language


def test_the_languages_are_the_files_present():
    assert vocab.LANGUAGES == ("en", "fr")  # the two files shipped, in alphabetical order


def test_a_setting_the_files_must_share_is_refused_when_they_disagree(monkeypatch):
    assert vocab.agreed("implied_currency") == "USD"
    real = vocab.load
    monkeypatch.setattr(
        vocab, "load", lambda language: {**real(language), "implied_currency": "EUR"} if language == "fr" else real(language)
    )
    with pytest.raises(
        InputError, match=r"implied_currency: the language files must agree on it; they give .*en.yaml: 'USD', .*fr.yaml: 'EUR'"
    ):
        vocab.agreed("implied_currency")


@pytest.mark.parametrize(
    ("phrase", "value"), [("vingt et un", 21), ("deux cent mille", 200_000), ("two hundred and five", 205), ("a million", 1e6)]
)
def test_number_words_are_spelled_for_text2num_by_each_language_s_separator(phrase, value):
    from analysis.quantities.reading import _words_value

    assert _words_value(phrase) == value


@pytest.mark.slow  # copies the package and imports it in a new process: about 3 s
def test_a_new_language_is_one_new_file(tmp_path):
    """A copy of the package with one more vocabulary file (a copy of en.yaml as "xx") takes the
    language everywhere a language is checked: the manifest, the articles' schema, the command line."""
    import shutil
    import subprocess
    import sys

    package = tmp_path / "analysis"
    shutil.copytree(vocab.LANG_DIR.parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(package / "lang" / "en.yaml", package / "lang" / "xx.yaml")
    code = (
        "from analysis.lang.vocabulary import LANGUAGES; from analysis.metadata import schemas; "
        "from analysis.sources import manifest; import analysis.__main__ as cli; "
        "print(LANGUAGES, schemas.ARTICLES.columns['language'].description, 'xx' in manifest.LANGUAGES, "
        "cli.build_parser().parse_args(['add-article', 'page.txt', '--language', 'xx']).language)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.strip() == "('en', 'fr', 'xx') en or fr or xx. True xx"


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_number_words_agree_with_text2num(language):
    for word, value in vocab.load(language)["number_words"].items():
        assert text2num(word, language) == value, (language, word)


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_furniture_patterns_compile(language):
    for patterns in vocab.load(language)["furniture"].values():
        for pattern in patterns:
            re.compile(pattern.replace("{months}", "x").replace("{days}", "x").replace("{agencies}", "x"), re.IGNORECASE)


def test_the_cleaner_and_the_parser_read_the_same_months():

    for month in ("janv", "févr", "may", "sept", "décembre"):
        assert re.search(rf"(?<![\w]){month}(?![\w])", cleaning._MONTHS, re.IGNORECASE), month
    assert "janv" in matchers._MONTH_WORDS and "févr" in matchers._MONTH_WORDS
    assert "may" in matchers._AMBIGUOUS_MONTHS  # a month only when capitalised: "may exceed" is not a date


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_a_duplicate_key_in_a_vocabulary_file_is_refused_naming_the_file(language, tmp_path, monkeypatch):
    from analysis.core.errors import InputError

    for lang in vocab.LANGUAGES:
        (tmp_path / f"{lang}.yaml").write_bytes((vocab.LANG_DIR / f"{lang}.yaml").read_bytes())
    path = tmp_path / f"{language}.yaml"
    # A second claim_entities at the top level: plain safe_load would keep the last, losing every entity.
    path.write_text(path.read_text(encoding="utf-8") + "claim_entities: [Nvidia]\n", encoding="utf-8")
    monkeypatch.setattr(vocab, "LANG_DIR", tmp_path)
    vocab.load.cache_clear()
    try:
        with pytest.raises(InputError, match=r"duplicate key") as refused:
            vocab.load(language)
    finally:
        vocab.load.cache_clear()  # the next reader loads the shipped files again
    assert str(refused.value).startswith(f"{path}: line ") and "'claim_entities'" in str(refused.value)

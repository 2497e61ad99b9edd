"""The vocabulary files: both languages define the same keys, the number words
agree with text2num, and every pattern compiles."""

from __future__ import annotations

import re

import pytest
from text_to_num import text2num

from analysis.lang import vocabulary as vocab
from analysis.quantities import matchers
from analysis.sources import cleaning


def test_both_languages_define_the_same_keys():
    english, french = (vocab.key_paths(vocab.load(lang)) for lang in ("en", "fr"))
    assert english == french, sorted(english ^ french)


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

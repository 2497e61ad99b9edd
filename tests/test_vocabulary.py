"""The vocabulary files: both languages define the same keys, the number words
agree with text2num, and every pattern compiles."""

from __future__ import annotations

import re

import pytest
from text_to_num import text2num

from analysis import vocabulary as vocab


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
    from analysis import quantities, sources

    for month in ("janv", "févr", "may", "sept", "décembre"):
        assert re.search(rf"(?<![\w]){month}(?![\w])", sources._MONTHS, re.IGNORECASE), month
    assert "janv" in quantities._MONTH_WORDS and "févr" in quantities._MONTH_WORDS
    assert "may" in quantities._AMBIGUOUS_MONTHS  # a month only when capitalised: "may exceed" is not a date

"""Sentence splitting and finding a curated quote among the sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.errors import InputError
from analysis.sources.sentences import locate_quote, sentence_of_quote, split_sentences


def test_sentences_keep_numbers_and_quotes_together():
    text = "Les ventes atteignent 400.000 puces. « Les licences sont en cours. » Huang l'a dit.\nTitre sans point"
    assert split_sentences(text) == [
        "Les ventes atteignent 400.000 puces.",
        "« Les licences sont en cours. »",
        "Huang l'a dit.",
        "Titre sans point",
    ]


def test_locate_quote_normalises_both_sides():
    sentences = ["Beijing approuve l'importation de 400 000 puces.", "Autre phrase."]
    assert locate_quote("l\u2019importation de 400\u00a0000 puces", sentences) == 0
    assert locate_quote("introuvable", sentences) is None


def test_a_title_and_an_initial_do_not_end_a_sentence():
    assert split_sentences("Mr. Li met Dr. Huang in Beijing. They spoke about the H200.") == [
        "Mr. Li met Dr. Huang in Beijing.",
        "They spoke about the H200.",
    ]
    assert split_sentences("J. Smith said the deal was done. Nvidia declined to comment.") == [
        "J. Smith said the deal was done.",
        "Nvidia declined to comment.",
    ]
    # "etc." is an abbreviation: the capital after it opens no sentence.
    assert split_sentences("Alibaba, Tencent, etc. Tous attendent les puces.") == ["Alibaba, Tencent, etc. Tous attendent les puces."]


def test_question_and_exclamation_marks_and_ellipses_end_sentences():
    assert split_sentences("Pékin acceptera-t-il ? Personne ne le sait ! L'attente continue… Les analystes doutent.") == [
        "Pékin acceptera-t-il ?",
        "Personne ne le sait !",
        "L'attente continue…",
        "Les analystes doutent.",
    ]


def test_a_closing_quote_stays_with_its_sentence_and_a_digit_opens_one():
    assert split_sentences('He said "the chips are coming." Then he left.') == ['He said "the chips are coming."', "Then he left."]
    assert split_sentences("Les ventes ont progressé de 3,5 %. 400 000 puces ont suivi.") == [
        "Les ventes ont progressé de 3,5 %.",
        "400 000 puces ont suivi.",
    ]


def test_a_lower_case_word_after_a_full_stop_continues_the_sentence():
    assert split_sentences("Washington a approuvé l'accord. les détails restent flous.") == [
        "Washington a approuvé l'accord. les détails restent flous."
    ]


def test_each_line_is_a_paragraph_and_blank_lines_give_nothing():
    assert split_sentences("\n  \nPremière ligne sans point\n\n  Second line.  ") == ["Première ligne sans point", "Second line."]
    assert split_sentences("") == []


def test_locate_quote_finds_the_first_sentence_holding_it():
    sentences = ["Aucune puce.", "Pékin a validé 400 puces.", "Encore des puces."]
    assert locate_quote("puces", sentences) == 1  # "puce." in sentence 0 is not "puces"
    assert locate_quote("la \u201cdite\u201d licence", ['Pékin accorde la "dite" licence.']) == 0
    assert locate_quote("   ", sentences) is None  # an empty quote is found nowhere


ARTICLE = pd.DataFrame(
    {
        "sentence_id": [4, 5, 6],
        "text": ["Un titre", "China approved 400,000 H200 chips.", "Beijing approved 400,000 H200 chips too."],
    }
)


def test_sentence_of_quote_gives_the_sentence_id_of_the_first_match():
    # The sentence's id in the table (5), not its position among the article's rows (1).
    assert sentence_of_quote("approved 400,000 H200", ARTICLE, "900_x", "claims.csv, row 3") == 5
    assert sentence_of_quote("too", ARTICLE, "900_x", "claims.csv, row 3") == 6


def test_a_quote_not_in_the_article_names_the_row_and_the_article():
    with pytest.raises(InputError) as error:
        sentence_of_quote("approved 500,000", ARTICLE, "900_x", "claims.csv, row 3")
    assert str(error.value) == "claims.csv, row 3: quote not found verbatim in the cleaned text of 900_x: 'approved 500,000'"

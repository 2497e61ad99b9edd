"""The stages that read one number, each on its own: digits, number words, the bound
before, negation, vagueness, the noun after, a frequency, and what a zero counts. The
whole reader is tested in test_reader.py and test_reader_by_class.py."""

from __future__ import annotations

import pytest

from analysis.quantities import reading as r


def _end(text: str, number: str) -> int:
    return text.index(number) + len(number)


# --- digits and words -------------------------------------------------------------------


@pytest.mark.parametrize(
    "token, value, separated",
    [
        ("400 000", 400_000.0, True),
        ("400\u202f000", 400_000.0, True),
        ("400.000", 400_000.0, True),  # a dot before three digits groups thousands
        ("2,000,000", 2_000_000.0, True),
        ("1 234,5", 1234.5, True),
        ("1,234.5", 1234.5, True),
        ("1.234,5", 1234.5, True),
        ("1,5", 1.5, False),
        ("2.5", 2.5, False),
        ("989.5", 989.5, False),
        ("2026", 2026.0, False),
    ],
)
def test_digits_value(token, value, separated):
    assert r._digits_value(token) == (value, separated)


@pytest.mark.parametrize("token", ["1,250,50", "1.234.56", "3,5,7", "0,,1"])
def test_malformed_digit_groups_have_no_value(token):
    assert r._digits_value(token) is None


@pytest.mark.parametrize(
    "phrase, value",
    [
        ("deux", 2),
        ("vingt-deux", 22),
        ("dix\u2011sept", 17),  # a non-breaking hyphen
        ("quatre-vingts", 80),
        ("vingt et un", 21),
        ("trois cents", 300),
        ("cent vingt", 120),
        ("mille", 1000),
        ("un million", 1e6),
        ("Deux Millions", 2e6),
        ("twenty-one", 21),
        ("two hundred", 200),
        ("one hundred and five", 105),
        ("a million", 1e6),  # the article reads as one
        ("millions", 1e6),  # a scale alone: the reader marks it vague
        ("milliers", 1000),
    ],
)
def test_words_value(phrase, value):
    assert r._words_value(phrase) == value


@pytest.mark.parametrize("phrase", ["deux trois", "half", "trois two"])
def test_an_ill_formed_run_of_number_words_has_no_value(phrase):
    assert r._words_value(phrase) is None


# --- the bound before the number ----------------------------------------------------------


@pytest.mark.parametrize(
    "before, bound",
    [
        ("plus de ", ("at_least", 0)),
        ("more than ", ("at_least", 0)),
        ("at least ", ("at_least", 0)),
        ("no more than ", ("at_most", 0)),  # the longer phrase wins over "more than"
        ("up to ", ("at_most", 0)),
        ("jusqu'à ", ("at_most", 0)),
        ("jusqu\u2019à ", ("at_most", 0)),
        ("as many as ", ("at_most", 0)),
        ("about ", ("approx", 0)),
        ("près de ", ("approx", 0)),
        ("~", ("approx", 0)),
        ("an estimated range of ", ("approx", 0)),
        ("d'environ ", ("approx", 2)),  # the bound starts after the elided word
        ("qu'environ ", ("approx", 3)),
        ("selon plus de ", ("at_least", 6)),
        ("dépasse les ", ("at_least", 0)),  # across an article
        ("exceed the ", ("at_least", 0)),
    ],
)
def test_a_bound_phrase_before_the_number(before, bound):
    assert r._bound_before(before) == bound


@pytest.mark.parametrize(
    "before, start",
    [
        ("may not exceed ", 8),
        ("ne peut dépasser ", 8),
        ("did not buy more than ", 12),
        ("no customer may receive more than ", 24),
        ("aucun client ne pourra recevoir plus de ", 32),
    ],
)
def test_an_at_least_phrase_after_a_negation_is_a_cap(before, start):
    assert r._bound_before(before) == ("at_most", start)


@pytest.mark.parametrize(
    "before, start",
    [
        ("limit each buyer to ", 17),
        ("plafonne chaque client à ", 23),
        ("ne pourra acquérir que ", 19),
        ("limiting Chinese firms to buying ", 26),
    ],
)
def test_a_cap_verb_and_its_connector_or_a_restriction_is_a_cap(before, start):
    assert r._bound_before(before) == ("at_most", start)
    assert r._cap_before(before.rstrip(" ")) == ("at_most", start)


@pytest.mark.parametrize("before", ["Nvidia sold ", "", "furthermore than ", "sent them to ", "il pense que "])
def test_no_bound(before):
    assert r._bound_before(before) is None


@pytest.mark.parametrize(
    "before, negated",
    [
        ("may not ", True),
        ("ne peut ", True),
        ("Nvidia cannot ", True),
        ("must not be ", True),
        ("n'a pas ", True),
        ("did not buy ", True),
        ("n'a pas encore reçu ", True),  # the negation three words back
        ("no customer may receive ", True),  # a negated subject, then a modal
        ("the firm ", False),
        ("not, however, ", False),  # a comma ends the negation's reach
        ("", False),
    ],
)
def test_negated(before, negated):
    assert r._negated(before) is negated


# --- vagueness --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words, before, vague",
    [
        ("hundred thousand", "several ", True),
        ("million", "a few ", True),
        ("million", "quelques ", True),
        ("millions", "des ", True),
        ("centaines", "", True),  # a plural scale with no count
        ("thousand", "hundreds of ", True),
        ("mille", "centaines de ", True),
        ("deux millions", "", False),
        ("million", "one ", False),
    ],
)
def test_vague_run(words, before, vague):
    assert r._vague_run(words, before) is vague


# --- the noun after the number ------------------------------------------------------------


def test_word_of_drops_an_elided_article_and_keeps_the_last_hyphenated_part():
    assert r._word_of("d'unités") == ("unités", "unités", False)
    assert r._word_of("eight-GPU") == ("eight-gpu", "gpu", False)
    assert r._word_of("H200s") == ("h200s", "h200s", True)
    assert r._word_of("Chips") == ("chips", "chips", False)


@pytest.mark.parametrize(
    "after_chip_noun, module",
    [(" modules", True), (" H200 servers", True), (" Nvidia H200 module", True), (" for China", False), (" pour la Chine", False)],
)
def test_describes_a_module(after_chip_noun, module):
    assert r._describes_a_module(after_chip_noun) is module


def test_bridges_crosses_function_words_names_and_models_only():
    assert [r._bridges(token, *r._word_of(token)[::2]) for token in ("the", "newest", "Nvidia", "Nvidia's", "910C", "d'IA", "said")] == [
        True,
        True,
        True,
        True,
        True,
        True,
        False,
    ]


def test_chip_noun():
    assert r._chip_noun(" modules", "chip", 10, None) == ("modules", -1)  # "chip modules" are modules
    assert r._chip_noun(" for China", "chips", 10, None) == ("chips", 10)
    assert r._chip_noun(" to China", "eight-gpu", 10, ("chips", 4)) == ("chips", 4)  # a modifier: what was found before stands


@pytest.mark.parametrize(
    "text, number, unit, quantity",
    [
        ("400 000 puces H200", "400 000", "chips", "400 000 puces"),
        ("700 000 unités", "700 000", "chips", "700 000 unités"),
        ("2 millions de puces", "2 millions", "chips", "2 millions de puces"),
        ("3 000 des puces", "3 000", "chips", "3 000 des puces"),
        ("400,000 H200", "400,000", "chips", "400,000 H200"),  # a model right after a count
        ("300 graphics processing units", "300", "chips", "300 graphics processing units"),
        ("12 modules de calcul", "12", "chips", "12 modules de calcul"),  # compute modules are chips
        ("9 cartes mères", "9", "modules", "9 cartes mères"),
        # The noun follows across other words: the unit, but the quantity's text stops at the number.
        ("400,000 H200 chips", "400,000", "chips", None),
        ("150,000 of the newest Nvidia H200s for", "150,000", "chips", None),
        ("8 H200 servers", "8", "modules", None),
        ("5,000 eight-GPU modules", "5,000", "modules", None),
        ("1,000 H200 chip modules", "1,000", "modules", None),
    ],
)
def test_noun_after(text, number, unit, quantity):
    found = r._noun_after(text, _end(text, number))
    assert found is not None and found[0] == unit
    assert (text[: found[1]] if found[1] != -1 else None) == quantity


@pytest.mark.parametrize("text, number", [("3 companies, and chips", "3"), ("40 people said chips", "40"), ("10 tonnes de puces", "10")])
def test_no_noun_after_across_punctuation_or_other_words(text, number):
    assert r._noun_after(text, _end(text, number)) is None


@pytest.mark.parametrize(
    "text, number, frequency",
    [
        ("Huang came three times this year", "three times", True),
        ("il est venu deux fois depuis l'été", "deux fois", True),
        ("the CEO met him twice.", "twice", True),
        ("jusqu'à dix fois", "dix fois", False),  # a fragment that stops there is a ratio
        ("six fois plus puissante", "six fois", False),
        ("four times faster", "four times", False),
        ("twice, then again", "twice", False),
    ],
)
def test_is_frequency(text, number, frequency):
    assert r._is_frequency(text, _end(text, number)) is frequency


# --- what a zero counts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, word, unit, quantity",
    [
        ("no H200 chips", "no", "chips", "no H200 chips"),
        ("zero H200 entering China", "zero", "chips", "zero H200"),
        ("no H200 modules have arrived", "no", "modules", "no H200 modules"),
        ("no data-center revenue from China", "no", "USD", "no data-center revenue"),
        ("no deliveries since January", "no", "chips", "no deliveries"),
        ("not a single Nvidia processor", "not a single", "chips", "not a single Nvidia processor"),
        ("none of the approved chips", "none", "chips", "none of the approved chips"),
        ("aucune carte graphique H200", "aucune", "chips", "aucune carte graphique"),
        ("aucune livraison depuis janvier", "aucune", "chips", "aucune livraison"),
    ],
)
def test_zero_noun_after(text, word, unit, quantity):
    found = r._zero_noun_after(text, _end(text, word))
    assert found is not None and (found[0], text[: found[1]]) == (unit, quantity)


@pytest.mark.parametrize("text, word", [("no comment from Nvidia", "no"), ("no reason to wait", "no"), ("aucun doute", "aucun")])
def test_a_zero_word_before_no_counted_noun_counts_nothing(text, word):
    assert r._zero_noun_after(text, _end(text, word)) is None


def test_names_chips():
    assert r._names_chips("Of the licensed H200, ")
    assert r._names_chips("Asked how many GPUs, ")
    assert r._names_chips("Des puces promises, ")
    assert not r._names_chips("the spokesperson said ")


@pytest.mark.parametrize(
    "text, word, unit",
    [
        ("Of the licensed units, none has yet been shipped", "none", ("chips",)),  # a shipment verb follows
        ("Sur les H200 autorisées, aucune n'a encore été livrée", "aucune", ("chips",)),
        ("Asked how many H200 were in Chinese hands, he replied: none so far.", "none", ("chips",)),  # chips named before
        ("Des puces H200 promises, pas une seule.", "pas une seule", ("chips",)),
        ("How many have made it through? To date, none.", "none", (None,)),  # a running count, no noun
        ("Combien sont arrivées ? Jusqu'ici, aucune.", "aucune", (None,)),
        ("none of them commented", "none", None),
        ("He said none.", "none", None),
        ("pas une seule fois", "pas une seule", None),
    ],
)
def test_zero_pronoun_unit(text, word, unit):
    start = text.index(word)
    assert r._zero_pronoun_unit(text, start, start + len(word)) == unit

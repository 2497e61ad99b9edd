"""The quantity reader's matchers and masks, built from the vocabulary files: what each
matches and masks, on French and English strings of our own."""

from __future__ import annotations

import pytest

from analysis.quantities import matchers as m


def _groups(pattern, text: str, position: int = 0):
    """(the text the pattern matches at ``position``, its named groups that took part), or None."""
    found = pattern.match(text, position)
    return None if found is None else (found.group(0), {k: v for k, v in found.groupdict().items() if v})


# --- helpers ----------------------------------------------------------------------------


def test_plain_makes_one_kind_of_space_apostrophe_and_hyphen_and_keeps_the_length():
    text = "400\u00a0000\u202fpuces l\u2019achat 8\u2011GPU 1\u2009200\u2007ou"
    assert m._plain(text) == "400 000 puces l'achat 8-GPU 1 200 ou"
    assert len(m._plain(text)) == len(text)  # offsets into the plain text are offsets into the original


def test_alternation_puts_longer_phrases_first_and_lets_any_space_and_apostrophe_through():
    assert m._alternation(["plus", "plus de", "d'environ"]).split("|") == ["d['\u2019]environ", f"plus{m._SP}+de", "plus"]


def test_first_letters_is_a_lookahead_on_both_cases_of_the_first_letters():
    assert m._first_letters(["mille", "Deux"], r"\d") == r"(?=[\dDMdm])"


# --- numbers, scales, units, currencies ---------------------------------------------------


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("Pékin a validé 400 000 puces", [("400 000", "digits")]),
        ("2,5 millions et 1.5 million", [("2,5", "digits"), ("millions", "words"), ("1.5", "digits"), ("million", "words")]),
        (
            f"400{chr(0x202F)}000 et 2,000,000 et 400.000",
            [(f"400{chr(0x202F)}000", "digits"), ("2,000,000", "digits"), ("400.000", "digits")],
        ),
        ("vingt-deux puces et trois cents unités", [("vingt-deux", "words"), ("trois cents", "words")]),
        ("twenty-one GPUs, a million chips", [("twenty-one", "words"), ("a million", "words")]),
        ("Deux millions de puces", [("Deux millions", "words")]),
        ("la puce H200 et la B30A", []),  # digits glued to letters before them are no number
        ("1,250,50", [("1,250,50", "digits")]),  # matched whole: the reader then refuses the malformed groups
    ],
)
def test_the_number_matcher_finds_digits_and_runs_of_number_words(text, numbers):
    found = [(x.group(0), "digits" if x.group("digits") else "words") for x in m._NUMBER.finditer(text)]
    assert found == numbers
    # The lower-case matcher finds the same spans on the lower-cased text.
    lower = [(x.start(), x.end()) for x in m._NUMBER_LOWER.finditer(text.lower())]
    assert lower == [(x.start(), x.end()) for x in m._NUMBER.finditer(text)]


@pytest.mark.parametrize(
    "after, scale",
    [
        (" millions de puces", ("word", "millions")),
        (" milliards", ("word", "milliards")),
        (" mille", ("word", "mille")),
        (" thousand", ("word", "thousand")),
        ("-million-unit order", ("word", "million")),
        ("bn dollars", ("tight", "bn")),
        ("k chips", ("tight", "k")),
        (" m", ("tight", "m")),
    ],
)
def test_a_scale_right_after_a_number(after, scale):
    found = _groups(m._SCALE_AFTER, after)
    assert found is not None and found[1] == {scale[0]: scale[1]}


def test_no_scale_in_an_ordinary_word():
    assert m._SCALE_AFTER.match(" militaires") is None
    assert m._SCALE_AFTER.match(" kilos") is None


@pytest.mark.parametrize(
    "after, group",
    [
        (" %", "percent"),
        ("%", "percent"),
        (" per cent", "percent"),
        (" pour cent", "percent"),
        ("x", "times"),
        (" fois", "times"),
        (" times", "times"),
        ("nm", "nm"),
        (" nanomètres", "nm"),
        (" €", "currency"),
        (" de dollars", "currency"),
        (" d'euros", "currency"),
        (" d\u2019euros", "currency"),
        (" yuans", "currency"),
        (" RMB", "currency"),
    ],
)
def test_a_unit_right_after_a_number(after, group):
    found = _groups(m._UNIT_AFTER, after)
    assert found is not None and found[0] == after and group in found[1]


def test_a_unit_word_must_end_where_the_word_ends():
    assert m._UNIT_AFTER.match(" percentage") is None
    assert m._UNIT_AFTER.match(" timestamp") is None
    assert _groups(m._UNIT_AFTER, " de dollars")[1]["curname"] == "dollars"


def test_currency_names_and_signs_map_to_their_codes():
    assert {name: m._CURRENCIES[name] for name in ("$", "us$", "€", "rmb", "yuan", "yuans", "dollars", "euros", "renminbi")} == {
        "$": "USD",
        "us$": "USD",
        "€": "EUR",
        "rmb": "CNY",
        "yuan": "CNY",
        "yuans": "CNY",
        "dollars": "USD",
        "euros": "EUR",
        "renminbi": "CNY",
    }


@pytest.mark.parametrize(
    "before, currency", [("a price of US$", "US$"), ("US$ ", "US$"), ("$", "$"), ("RMB ", "RMB"), ("€", "€"), ("CNY", "CNY")]
)
def test_a_currency_before_a_number(before, currency):
    found = m._CURRENCY_BEFORE.search(before)
    assert found is not None and found.group("cur") == currency


def test_a_three_letter_word_that_is_no_currency_is_not_one_before_a_number():
    assert m._CURRENCY_BEFORE.search("ABC ") is None
    assert m._CURRENCY_BEFORE.search("RMB to ") is None  # the currency must stand right before the number


# --- masks: numbers that belong to a date, a time, a name -------------------------------


def _masked(text: str, number: str) -> bool:
    start = text.index(number)
    urls = [(u.start(), u.end()) for u in m._URL.finditer(text)]
    return m._is_masked(text, start, start + len(number), urls)


MASKED = [
    ("le 28 janvier 2026", "28"),
    ("le 28 janvier 2026", "2026"),
    ("on May 28, 2026", "28"),
    ("the 28 May deadline", "28"),
    ("janv. 28", "28"),
    ("mars 400", "400"),  # "mars" is only a month
    ("28/01/2026", "28"),
    ("2026-01-28", "01"),
    ("2026-01-28", "28"),
    ("les 10 et 11 mars", "10"),
    ("14-15 mai", "14"),
    ("à 11h31", "11"),
    ("at 11:31", "11"),
    ("at 10 a.m.", "10"),
    ("Tencent 0700.HK", "0700"),
    ("le 2e semestre", "2"),
    ("le 1er février", "1"),
    ("Ascend 910C", "910"),
    ("TSMC 4N", "4"),
    ("Ascend 950 chips", "950"),
    ("COVID-19", "19"),
    ("H-200", "200"),
    ("see https://example.com/2026/400000", "400000"),
]
NOT_MASKED = [
    ("a 5nm node", "5"),  # a process node is a quantity
    ("a 6x gap", "6"),
    ("10bn dollars", "10"),
    ("400 000 puces", "400 000"),
    ("as of 24 February, 12,000 chips", "12,000"),  # a comma ends the date
]


@pytest.mark.parametrize("text, number", MASKED)
def test_a_number_inside_a_date_a_time_or_a_name_is_masked(text, number):
    assert _masked(text, number)


@pytest.mark.parametrize("text, number", NOT_MASKED)
def test_a_count_is_not_masked(text, number):
    assert not _masked(text, number)


def test_an_ambiguous_month_masks_only_when_capitalised():
    assert m._masked_by_what_precedes("in May ")
    assert not m._masked_by_what_precedes("Beijing may ")
    assert m._masked_by_what_precedes("Ascend ")  # a model family
    assert m._masked_by_what_precedes("2026-")  # the month of an ISO date
    assert not m._masked_by_what_precedes("les ")


# --- the words around a number ----------------------------------------------------------


@pytest.mark.parametrize("after", [" cap", "-cap", " plafond", " maximum", " ceiling"])
def test_a_cap_word_after_a_number(after):
    assert m._BOUND_AFTER.match(after).group(0) == after


def test_a_cap_word_must_be_whole():
    assert m._BOUND_AFTER.match(" capital") is None


@pytest.mark.parametrize("after", [" weeks", " semaines", " heures", " ans", " years", " jours"])
def test_a_duration_noun_after_a_number(after):
    assert m._DURATION_AFTER.match(after).group(0) == after


def test_a_chip_noun_is_no_duration():
    assert m._DURATION_AFTER.match(" chips") is None
    assert m._DURATION_AFTER.match(" puces") is None


@pytest.mark.parametrize(
    "before, make_up", [("modules de ", True), ("servers with ", True), ("modules H200 de ", True), ("chips with ", False)]
)
def test_a_module_and_a_composition_word_announce_a_make_up(before, make_up):
    assert bool(m._COMPOSITION.search(before)) is make_up


def test_chip_models_and_their_plurals():
    assert [bool(m._CHIP_MODEL.fullmatch(t)) for t in ("H200", "B200", "MI325X", "910C", "h200", "2026", "Nvidia")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert [bool(m._MODEL_PLURAL.fullmatch(t)) for t in ("H200s", "MI325Xs", "chips", "2026s")] == [True, True, False, False]


def test_nouns_of_several_words_are_matched_as_phrases():
    assert m._PHRASE_NOUN.match("modules de calcul h200").group(1) == "modules de calcul"
    assert m._PHRASE_NOUN_UNITS["modules de calcul"] == "chips"  # compute modules are chips, "modules" alone are not
    assert m._PHRASE_NOUN_UNITS["cartes mères"] == "modules"
    assert m._PHRASE_NOUN.match("modules h200") is None


# --- amounts said in words --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, amounts",
    [
        ("no H200 chips", [("no", "zero")]),
        ("aucune puce", [("aucune", "zero")]),
        ("not a single GPU", [("not a single", "zero")]),
        ("so far, none", [("none", "zero")]),
        ("pas une seule", [("pas une seule", "zero")]),
        ("a quarter of the revenue", [("a quarter of", "fraction")]),
        ("la moitié des volumes", [("la moitié des", "fraction")]),
        ("about a dozen servers", [("a dozen", "approximate")]),
        ("environ une dizaine", [("une dizaine", "approximate")]),
        ("nonetheless, knowledge", []),  # "none", "no" inside a word
    ],
)
def test_zero_words_fractions_and_approximate_numbers(text, amounts):
    found = [(x.group(0), next(k for k, v in x.groupdict().items() if v)) for x in m._WORD_AMOUNTS.finditer(text)]
    assert found == amounts
    assert [x.span() for x in m._WORD_AMOUNTS_LOWER.finditer(text.lower())] == [x.span() for x in m._WORD_AMOUNTS.finditer(text)]


def test_fractions_are_percent_and_approximate_numbers_carry_their_bound():
    assert (m._FRACTIONS["a quarter of"], m._FRACTIONS["la moitié des"], m._FRACTIONS["trois quarts de"]) == (25.0, 50.0, 75.0)
    assert m._APPROXIMATE["dozen"] == (12.0, "exact")
    assert m._APPROXIMATE["dizaine"] == (10.0, "approx")
    assert m._APPROXIMATE["centaine"] == (100.0, "approx")


def test_zero_nouns_give_a_unit():
    assert {noun: m._ZERO_NOUN_UNITS[noun] for noun in ("deliveries", "livraison", "revenue", "chiffre d'affaires", "carte mère")} == {
        "deliveries": "chips",
        "livraison": "chips",
        "revenue": "USD",
        "chiffre d'affaires": "USD",
        "carte mère": "modules",
    }
    assert m._ZERO_NOUN.match("de livraisons depuis").group(1) == "livraisons"


def test_a_negation_word_stands_near():
    assert [x.group(0) for x in m._NEGATION_NEAR.finditer("Nvidia n'a pas livré; it did not ship; nothing")] == ["n'", "pas", "not"]


# --- money and conversions --------------------------------------------------------------


def test_money_words_and_currency_names_are_whole_words():
    assert [x.group(0) for x in m._MONEY_WORDS.finditer("Nvidia's revenue and sales rose; le chiffre d'affaires a baissé")] == [
        "revenue",
        "sales",
        "chiffre d'affaires",
    ]
    assert [x.group(0) for x in m._CURRENCY_NAMES.finditer("1.5 million yuan or 200,000 dollars, 3 euros; yuanization")] == [
        "yuan",
        "dollars",
        "euros",
    ]


@pytest.mark.parametrize("between", [" (~RM ", " deal (about €", " (", " yuan (US$", " (environ "])
def test_an_opening_parenthesis_announces_a_conversion(between):
    assert m._CONVERSION.match(between).group(0) == between


@pytest.mark.parametrize("between", [" and then 5 (", "; ("])
def test_a_number_or_a_semicolon_before_the_parenthesis_is_no_conversion(between):
    assert m._CONVERSION.match(between) is None


def test_urls_run_to_the_next_space():
    assert [x.group(0) for x in m._URL.finditer("see https://example.com/a?b=1 and www.reuters.com/x then")] == [
        "https://example.com/a?b=1",
        "www.reuters.com/x",
    ]

"""The failure classes of the later news (issue 17), one table per class, in
French and English, in phrasings of our own: each row is read by
``parse_quantity`` or ``find_quantities`` and compared with the value, unit
and bound worked out by hand."""

from __future__ import annotations

import pytest

from analysis.quantities.reader import find_quantities, parse_quantity

# --- class 1: zero is a number -------------------------------------------------
# (phrase, unit, text of the quantity): the value is 0 and the bound exact in every row.
ZEROS = [
    # English: a zero word before a chip noun, a model name, a shipment or a revenue noun
    ("Customs data show zero H200 entering the mainland in March", "chips", "zero H200"),
    ("not a single accelerator has been handed over", "chips", "not a single accelerator"),
    ("Not one GPU from the approved batch has arrived", "chips", "Not one GPU"),
    ("Nvidia reported no data-center revenue from China for the quarter", "USD", "no data-center revenue"),
    ("There have been no deliveries since the licences were signed", "chips", "no deliveries"),
    ("no H200 modules have reached Shenzhen", "modules", "no H200 modules"),
    ("the company has not delivered any H200 to Chinese buyers", "chips", "any H200"),
    ("Inspur did not receive a single Nvidia processor in April", "chips", "a single Nvidia processor"),
    ("Zero shipments have left the warehouse", "chips", "Zero shipments"),
    # English: a pronoun, with a shipment verb or as a running count
    ("Of the licensed units, none has yet been shipped", "chips", "none"),
    ("Asked how many H200 were in Chinese hands, he replied: none so far.", "chips", "none"),
    ("How many have made it through? To date, none.", None, "none"),
    ("none have been delivered, the spokesperson said", "chips", "none"),
    # French
    ("aucune carte graphique H200 n'a franchi la douane chinoise", "chips", "aucune carte graphique"),
    ("Pas un seul GPU n'a été remis aux clients chinois", "chips", "Pas un seul GPU"),
    ("Nvidia n'a enregistré aucun chiffre d'affaires en Chine sur le trimestre", "USD", "aucun chiffre d'affaires"),
    ("zéro livraison depuis l'accord de janvier", "chips", "zéro livraison"),
    ("Aucune livraison n'est intervenue à ce jour", "chips", "Aucune livraison"),
    ("Le fabricant n'a pas expédié une seule puce vers Pékin", "chips", "une seule puce"),
    ("Sur les H200 autorisées, aucune n'a encore été livrée", "chips", "aucune"),
    ("Combien sont arrivées ? Jusqu'ici, aucune.", None, "aucune"),
    ("Des puces H200 promises, pas une seule.", "chips", "pas une seule"),
    ("aucun module H200 n'est parvenu à Shanghai", "modules", "aucun module"),
    ("the vendor has yet to hand over a single accelerator", "chips", "a single accelerator"),
    ("None of the licensed GPUs have landed", "chips", "None of the licensed GPUs"),
    ("the outlook assumes no Chinese sales", "USD", "no Chinese sales"),
    ("Nvidia ne prévoit aucune vente en Chine", "USD", "aucune vente"),
    ("sans une seule puce livrée", "chips", "une seule puce"),
    # elision, the partitive after a negation, a predicate zero with its running count, two words after "not"
    ("le ministre a indiqué qu'aucune puce H200 n'était arrivée", "chips", "aucune puce"),
    ("Pékin n'a toujours pas reçu de processeurs H200", "chips", "de processeurs"),
    ("Nvidia ne livrera pas de GPU H200 cette année", "chips", "de GPU"),
    ("Asked for a count, the official said it was zero so far.", None, "zero"),
    ("the buyers have not yet received a single GPU", "chips", "a single GPU"),
]


@pytest.mark.parametrize("phrase, unit, text", ZEROS)
def test_zero_is_a_number(phrase, unit, text):
    zeros = [q for q in find_quantities(phrase) if q.value == 0]
    assert len(zeros) == 1, (phrase, find_quantities(phrase))
    zero = zeros[0]
    assert (zero.unit, zero.bound, zero.text, zero.vague) == (unit, "exact", text, False), (phrase, zero)
    assert phrase[zero.start : zero.end] == text


# A zero word that quantifies no chips, shipments or money is not a quantity.
NOT_ZEROS = [
    "There is no cap on the number of licences",
    "none of the executives would comment",
    "Nvidia has no plans to build a plant there",
    "no Chinese company confirmed the order",
    "yes or no?",
    "any buyer may apply",
    "a single buyer took the whole batch",
    "the zero-sum logic of export controls",
    "aucune entreprise n'a commenté",
    "pas une seule fois depuis janvier",
    "Aucun responsable n'a souhaité réagir.",
    "il n'y a aucun doute",
    "Nul ne sait quand Pékin tranchera",
    "la part de puces chinoises progresse",
    "le nombre de GPU livrés reste secret",
    "its market share has fallen to zero",
]


@pytest.mark.parametrize("phrase", NOT_ZEROS)
def test_a_zero_word_without_a_counted_noun_is_not_a_quantity(phrase):
    assert find_quantities(phrase) == [], (phrase, find_quantities(phrase))


def test_a_zero_does_not_hide_the_numbers_around_it():
    found = find_quantities("Of the 400,000 chips approved, none has shipped; no more than 75,000 may go to one buyer")
    assert [(q.value, q.unit, q.bound) for q in found] == [(400_000, "chips", "exact"), (0, "chips", "exact"), (75_000, None, "at_most")]
    found = find_quantities("Aucune puce livrée sur les 400 000 autorisées")
    assert [(q.value, q.unit) for q in found] == [(0, "chips"), (400_000, None)]


def test_a_zero_quote_parses_alone():
    """A curated claim's value is parsed from its quote alone: a running count
    that does not name its noun is a bare 0 (the metric gives the unit)."""
    for quote in ("so far, none", "jusqu'à présent, aucune", "none yet"):
        zero = parse_quantity(quote)
        assert zero is not None and (zero.value, zero.unit, zero.bound) == (0, None, "exact"), quote


def _read(phrase: str) -> tuple[float, str | None, str]:
    quantity = parse_quantity(phrase)
    assert quantity is not None, phrase
    assert phrase[quantity.start : quantity.end] == quantity.text
    return quantity.value, quantity.unit, quantity.bound


# --- class 2: compact money ------------------------------------------------------
# (phrase, value, unit, bound)
COMPACT_MONEY = [
    ("the deal is worth $14B over three years", 14e9, "USD", "exact"),
    ("a US$2.3tn capital spending wave", 2.3e12, "USD", "exact"),
    ("Washington could collect $3.5B a year", 3.5e9, "USD", "exact"),
    ("a €7bn subsidy package", 7e9, "EUR", "exact"),
    ("about US$1.1T of orders", 1.1e12, "USD", "approx"),
    ("un chiffre d'affaires de 42 Md$ au trimestre", 42e9, "USD", "exact"),
    ("un plan de 3 Mds € pour les centres de données", 3e9, "EUR", "exact"),
    # The currency is implied by the clause: a currency named after the amount, or a money word.
    ("les ventes en Chine pourraient atteindre 38 milliards, en dollars américains", 38e9, "USD", "exact"),
    ("le marché chinois pèserait 45 milliards par an", 45e9, "USD", "exact"),
    ("Nvidia's China revenue could reach 12 billion this year", 12e9, "USD", "exact"),
    ("le chiffre d'affaires du groupe, 30 milliards d'euros, ou 31 milliards selon d'autres", 30e9, "EUR", "exact"),
]


@pytest.mark.parametrize("phrase, value, unit, bound", COMPACT_MONEY)
def test_compact_money(phrase, value, unit, bound):
    assert _read(phrase) == (pytest.approx(value), unit, bound)


# A scaled amount that counts people or something else keeps no currency; a "B" or "T" alone is no scale.
NOT_MONEY = [
    ("China has 1.1 billion internet users", 1.1e9, None),
    ("la Chine compte 1,4 milliard d'habitants", 1.4e9, None),
    ("a 5B parameter model", None, None),
    ("grade 4T steel", None, None),
]


@pytest.mark.parametrize("phrase, value, unit", NOT_MONEY)
def test_a_scaled_count_is_not_money(phrase, value, unit):
    found = [(q.value, q.unit) for q in find_quantities(phrase)]
    assert found == ([] if value is None else [(pytest.approx(value), unit)]), (phrase, found)


# --- class 3: caps and hedges are bounds ----------------------------------------
BOUNDS = [
    # at_most: a cap word after the number, a cap verb and "to", "no more than", a restriction, "up to N each"
    ("Commerce set a 25% ceiling on China volumes", 25, "percent", "at_most"),
    ("with a 50 percent limit on exports", 50, "percent", "at_most"),
    ("the licence caps each buyer to 60,000 accelerators", 60_000, "chips", "at_most"),
    ("officials will restrict Alibaba to 90,000 H200", 90_000, "chips", "at_most"),
    ("No single client may obtain more than 80,000 chips", 80_000, "chips", "at_most"),
    ("Tencent can take up to 70,000 each", 70_000, None, "at_most"),
    ("un plafond de 30 % sur les volumes", 30, "percent", "at_most"),
    ("la licence limite chaque client à 60 000 puces", 60_000, "chips", "at_most"),
    ("Alibaba ne pourra importer que 90 000 processeurs", 90_000, "chips", "at_most"),
    ("Aucun client ne pourra recevoir plus de 80 000 puces", 80_000, "chips", "at_most"),
    ("chaque groupe recevra 70 000 GPU au maximum", 70_000, "chips", "at_most"),
    # approx: an estimated range
    ("an estimated range of 100,000 to 150,000 chips", 100_000, "chips", "approx"),
    ("a projected range of $20 billion to $25 billion", 20e9, "USD", "approx"),
    ("dans une fourchette de 100 000 à 150 000 puces", 100_000, "chips", "approx"),
    # at_least
    ("des commandes dépassant 1,5 million de puces", 1.5e6, "chips", "at_least"),
    ("des achats en excès de 500 000 unités", 500_000, "chips", "at_least"),
    ("orders well above 1.2 million units", 1.2e6, "chips", "at_least"),
    ("bien plus de 300 000 accélérateurs", 300_000, "chips", "at_least"),
    ("les commandes dépasseraient les 900 000 puces", 900_000, "chips", "at_least"),
    ("demand could exceed the 900,000 chips on offer", 900_000, "chips", "at_least"),
    ("the cap of 60,000 chips per buyer", 60_000, "chips", "at_most"),
    ("Washington is weighing limiting each buyer to purchasing 60,000 H200", 60_000, "chips", "at_most"),
    ("the rule would cap each buyer at 60,000 chips", 60_000, "chips", "at_most"),
    ("orders stand near 1.2 million units", 1.2e6, "chips", "approx"),
]


@pytest.mark.parametrize("phrase, value, unit, bound", BOUNDS)
def test_caps_and_hedges_are_bounds(phrase, value, unit, bound):
    assert _read(phrase) == (pytest.approx(value), unit, bound)


def test_the_top_of_an_estimated_range_is_approx_too():
    for phrase in ("an estimated range of $30 billion to $50 billion", "une fourchette de 30 à 50 milliards de dollars"):
        assert [(q.value, q.unit, q.bound) for q in find_quantities(phrase)] == [(30e9, "USD", "approx"), (50e9, "USD", "approx")], phrase


def test_a_negation_far_from_a_bound_does_not_make_a_cap():
    assert _read("There is no doubt that demand exceeds 2 million units") == (2e6, "chips", "at_least")
    assert _read("Il ne fait aucun doute que la demande dépasse 2 millions de puces") == (2e6, "chips", "at_least")


# --- class 4: the chip noun is not always next to the number ----------------------
NOUN_LATER = [
    ("orders for 250,000 of the H200 units", 250_000, "chips"),
    ("commandes portant sur 250 000 cartes accélératrices", 250_000, "chips"),
    ("Nvidia a réservé 40 000 modules de calcul H200", 40_000, "chips"),
    ("a batch of 60,000 Nvidia accelerator cards", 60_000, "chips"),
    ("un lot de 60 000 accélérateurs graphiques", 60_000, "chips"),
]


@pytest.mark.parametrize("phrase, value, unit", NOUN_LATER)
def test_the_chip_noun_can_come_later(phrase, value, unit):
    assert _read(phrase)[:2] == (pytest.approx(value), unit)


# --- class 5: not quantities -------------------------------------------------------
NOT_QUANTITIES = [
    # list markers
    "The rule has parts: (1) a licence, (2) a fee and (3) a cap",
    "Les conditions : (1) une licence, (2) des frais",
    # date ranges
    "The talks ran on June 9–11 in Geneva",
    "Les discussions se sont tenues les 9-11 juin à Genève",
    "les réunions des 4 et 5 juin",
    "talks on 4 and 5 June",
    # time ago, durations
    "Updated 5 hours ago",
    "publié il y a trois heures",
    "Talks lasted three days",
    "après quatre mois de négociations",
    "Nvidia launched the H20 two years ago",
    "il y a deux semaines",
    # paragraph numbers of an update note
    "(Adds analyst comment in paragraphs 6-8)",
    "adds details in paragraphs 4, 5 and 9",
    # a ratio written with a colon
    "a gap of 3:1 between orders and stock",
]


@pytest.mark.parametrize("phrase", NOT_QUANTITIES)
def test_not_a_quantity(phrase):
    assert find_quantities(phrase) == [], (phrase, find_quantities(phrase))


# A conversion in parentheses restates the amount before it.
CONVERSIONS = [
    ("a $3 billion deal (~RM 13 billion)", [(3e9, "USD")]),
    ("a fine of 500 million yuan (about $70 million)", [(500e6, "CNY")]),
    ("un contrat de 2 milliards de dollars (environ 1,8 milliard d'euros)", [(2e9, "USD")]),
    ("un contrat de 2 milliards de dollars (soit 14 milliards de yuans)", [(2e9, "USD")]),
]


@pytest.mark.parametrize("phrase, expected", CONVERSIONS)
def test_a_conversion_in_parentheses_is_not_a_second_amount(phrase, expected):
    assert [(q.value, q.unit) for q in find_quantities(phrase)] == expected


# Vague amounts are flagged, and their least value is two of what they count, never one.
VAGUE = [
    ("hundreds of thousands of H200", 2e5),
    ("several hundred thousand accelerators", 2e5),
    ("des centaines de milliers de GPU", 2e5),
    ("plusieurs centaines de milliers d'unités", 2e5),
    ("billions of users", 2e9),
    ("thousands of engineers", 2e3),
]


@pytest.mark.parametrize("phrase, least", VAGUE)
def test_vague_is_never_one_of_its_scale(phrase, least):
    quantity = parse_quantity(phrase)
    assert quantity is not None and quantity.vague and quantity.bound == "at_least", phrase
    assert quantity.value == least


# --- class 6: ratios and frequencies -------------------------------------------------
RATIOS = [
    ("la H200 devance la H20 d'un facteur sept", 7, "times"),
    ("un facteur 3,5 sépare les deux générations", 3.5, "times"),
    ("faster by a factor of 6", 6, "times"),
    ("the new part outpaces the old one by 4 times.", 4, "times"),
]


@pytest.mark.parametrize("phrase, value, unit", RATIOS)
def test_a_factor_is_a_ratio(phrase, value, unit):
    assert _read(phrase)[:2] == (pytest.approx(value), unit)


FREQUENCIES = [
    "Huang has visited Shanghai four times",
    "the launch was postponed three times",
    "le PDG s'est rendu à Pékin trois fois",
    "la décision a été repoussée deux fois",
]


@pytest.mark.parametrize("phrase", FREQUENCIES)
def test_a_frequency_is_not_a_ratio(phrase):
    assert find_quantities(phrase) == [], (phrase, find_quantities(phrase))


def test_a_ratio_after_a_verb_stays_a_ratio():
    assert _read("the chip runs six times faster") == (6, "times", "exact")
    assert _read("la puce est sept fois plus rapide") == (7, "times", "exact")


def test_offsets_hold_when_lower_case_would_move_them():
    """The matchers read the text in lower case; a letter that grows there
    ("İ" is two characters in lower case) sends them to the text itself."""
    for text in ("İstanbul: no H200 chips, 400,000 puces", "no H200 chips, 400,000 puces"):
        found = find_quantities(text)
        assert [(q.value, q.unit) for q in found] == [(0, "chips"), (400_000, "chips")], text
        assert all(text[q.start : q.end] == q.text for q in found)

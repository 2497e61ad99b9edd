"""The failure classes of the later news (issue 17), one table per class, in
French and English, in phrasings of our own: each row is read by
``parse_quantity`` or ``find_quantities`` and compared with the value, unit
and bound worked out by hand."""

from __future__ import annotations

import pytest

from analysis.quantities import find_quantities, parse_quantity

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

"""Failure classes seen on real news pages (issue 10), one table per class, in
French and English. The phrasings are made up for these tests, not copied
from the pages: held-out pages test other phrasings of the same classes."""

from __future__ import annotations

import pytest

from analysis.quantities import find_quantities, parse_quantity

# (phrase, value, unit, bound)
CHIP_NOUNS = [
    ("Tencent has lined up 150,000 of the newest Nvidia H200s for its cloud", 150_000, "chips", "exact"),
    ("regulators cleared some 90,000 additional advanced H200 AI accelerators", 90_000, "chips", "approx"),
    ("ByteDance wants 120,000 GPUs this quarter", 120_000, "chips", "exact"),
    ("the lab bought 3,000 more of the Hopper graphics processing units", 3_000, "chips", "exact"),
    ("Pékin a validé 250 000 superpuces Nvidia", 250_000, "chips", "exact"),
    ("l'opérateur recevra 60 000 des puissantes puces H200 de Nvidia", 60_000, "chips", "exact"),
    ("un lot de 30 000 accélérateurs IA supplémentaires", 30_000, "chips", "exact"),
    ("Pékin a validé l'achat de 70 000 H200 par Tencent", 70_000, "chips", "exact"),
    ("Baidu wants roughly 20,000 B200 for training", 20_000, "chips", "approx"),
]
SPELLED_UNITS = [
    ("built on a 7 nanometer process", 7, "nm", "exact"),
    ("a 3-nanometre node is planned", 3, "nm", "exact"),
    ("gravées en 5 nanomètres", 5, "nm", "exact"),
]
COMPOUND_COUNTS = [
    ("Alibaba placed a 1.5-million-unit order late last year", 1.5e6, "chips", "exact"),
    ("a 300,000-chip purchase", 300_000, "chips", "exact"),
    ("une commande de 3 millions d'unités a été passée", 3e6, "chips", "exact"),
    ("un contrat portant sur 1,2 million d'exemplaires", 1.2e6, "chips", "exact"),
]
MODULES = [
    ("Nvidia will ship 2,000 to 4,000 GPU modules first", 2_000, "modules", "exact"),
    ("about 6,000 eight-GPU servers", 6_000, "modules", "approx"),
    ("quelque 7 000 modules à huit puces", 7_000, "modules", "approx"),
    ("environ 3 000 serveurs H200", 3_000, "modules", "approx"),
]
CURRENCY = [
    ("un facteur 4 sépare les deux puces", 4, None, "exact"),
    ("le fournisseur 3 du classement", 3, None, "exact"),
    ("the interior 12 districts", 12, None, "exact"),
    ("un prix de 25 000 euros", 25_000, "EUR", "exact"),
]
BOUNDS = [
    ("sales to China may not exceed 40% of US shipments", 40, "percent", "at_most"),
    ("shipments cannot be more than 45 percent of domestic volume", 45, "percent", "at_most"),
    ("exports must never exceed 30,000 chips a month", 30_000, "chips", "at_most"),
    ("no more than 15% may go to one buyer", 15, "percent", "at_most"),
    ("les ventes ne peuvent dépasser 40 % des volumes américains", 40, "percent", "at_most"),
    ("les livraisons ne devront excéder 60 000 puces", 60_000, "chips", "at_most"),
    ("pas plus de 20 % des volumes", 20, "percent", "at_most"),
    ("une demande dépassant 1,5 million de puces", 1.5e6, "chips", "at_least"),
    ("un marché estimé à 40 milliards de dollars", 40e9, "USD", "approx"),
    ("une facture aux alentours de 18 000 dollars", 18_000, "USD", "approx"),
    ("roughly 250,000 units", 250_000, "chips", "approx"),
    ("around $22,000 apiece", 22_000, "USD", "approx"),
    ("orders topping 1 million chips", 1e6, "chips", "at_least"),
    ("plafonné à 50 % des volumes", 50, "percent", "at_most"),
    ("le groupe dispose d'environ 650 000 exemplaires", 650_000, "chips", "approx"),
    ("un prix avoisinant 26 000 dollars", 26_000, "USD", "approx"),
    ("Beijing did not buy more than 90,000 chips", 90_000, "chips", "at_most"),
    ("la Chine n'a pas commandé plus de 90 000 puces", 90_000, "chips", "at_most"),
    ("la part chinoise ne dépassera pas 45 %", 45, "percent", "at_most"),
    ("with volumes not to exceed 45% of US sales", 45, "percent", "at_most"),
]
MONTHS = [
    ("Reuters reported on May 14, 2026 that 30,000 chips", 30_000, "chips", "exact"),
    ("le 3 févr. 2026, 12 000 puces", 12_000, "chips", "exact"),
    ("Publié le 9 janv. 2026, 80 000 GPU", 80_000, "chips", "exact"),
]
CLASSES = CHIP_NOUNS + SPELLED_UNITS + COMPOUND_COUNTS + MODULES + CURRENCY + BOUNDS + MONTHS


@pytest.mark.parametrize("phrase, value, unit, bound", CLASSES)
def test_failure_class(phrase, value, unit, bound):
    quantity = parse_quantity(phrase)
    assert quantity is not None, phrase
    assert (quantity.value, quantity.unit, quantity.bound) == (pytest.approx(value), unit, bound), (phrase, quantity)
    assert phrase[quantity.start:quantity.end] == quantity.text
    assert not quantity.vague


def test_top_of_a_range_keeps_its_approx():
    for phrase in ("roughly 10,000 to 20,000 chips", "environ 10 000 à 20 000 puces", "approximately 10,000-20,000 GPUs"):
        found = find_quantities(phrase)
        assert [(q.value, q.unit, q.bound) for q in found] == [(10_000, "chips", "approx"), (20_000, "chips", "approx")], phrase
    # A range without a bound stays exact at both ends.
    assert [q.bound for q in find_quantities("10 000 à 20 000 puces")] == ["exact", "exact"]


VAGUE = [
    ("several hundred thousand chips were requested", 1e5),
    ("hundreds of thousands of GPUs", 1e3),
    ("des milliards de dollars d'investissements", 1e9),
    ("plusieurs centaines de milliers de puces", 1e3),
    ("a few million users", 1e6),
    ("des millions d'utilisateurs", 1e6),
]


@pytest.mark.parametrize("phrase, least", VAGUE)
def test_vague_amounts_are_flagged(phrase, least):
    found = find_quantities(phrase)
    assert found, phrase
    assert all(q.vague for q in found), (phrase, found)
    assert found[0].value == least and found[0].bound == "at_least"


NOT_STORY_COUNTS = [
    "Huang has visited Beijing four times this year",
    "il s'est rendu en Chine trois fois depuis l'été",
    "the CEO met him twice.",
    "les deux types de puces",
    "both of the two companies",
    "ces deux entreprises",
    "the Huawei Ascend 950 and Ascend 960",
    "la série Kunlun 3 de Baidu",
    "Covid 19",
    "in 2025 H20 sales fell",
    "on May 28, 2026",
    "le 4 janv.",
    "au 12 févr. 2026",
]


@pytest.mark.parametrize("phrase", NOT_STORY_COUNTS)
def test_not_a_story_quantity(phrase):
    assert find_quantities(phrase) == [], (phrase, find_quantities(phrase))


def test_a_ratio_in_times_is_still_a_ratio():
    assert (parse_quantity("the H200 is about five times faster").unit, parse_quantity("sept fois plus puissante").unit) == ("times", "times")


def test_a_module_make_up_is_not_a_count():
    assert [(q.value, q.unit) for q in find_quantities("An eight-GPU H200 server sells for about 1.4 million yuan")] == [(1.4e6, "CNY")]
    assert [(q.value, q.unit) for q in find_quantities("3 000 serveurs de huit puces")] == [(3000, "modules")]
    assert [(q.value, q.unit) for q in find_quantities("1,000 racks with 72 GPUs")] == [(1000, "modules")]
    assert [(q.value, q.unit) for q in find_quantities("un serveur H200 à huit GPU coûte 1,4 million de yuans")] == [(1.4e6, "CNY")]


def test_module_counts_never_become_chips():
    found = find_quantities("Nvidia plans 5,000 to 10,000 chip modules, about 40,000 to 80,000 chips")
    assert [(q.value, q.unit) for q in found] == [(5000, "modules"), (10000, "modules"), (40000, "chips"), (80000, "chips")]
    assert find_quantities("an 8\u2011GPU module costs RMB 1.5 million")[0].unit == "CNY"


MALFORMED = ["[300,250,728,90]", "1,250,50", "1.234.56", "sizes: [728,90],[300,250]", "1 000,000,5", "3,5,7", "0,,1"]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_digit_groups_never_crash(text):
    found = find_quantities(text)
    for quantity in found:
        assert text[quantity.start:quantity.end] == quantity.text
    assert all(q.value not in (300250728.90, 125050) for q in found)


# --- never crash on text ------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from analysis.sources import clean_article, split_sentences  # noqa: E402

# Text made of the pieces that trip number readers: digits, separators, brackets, unit and bound words.
_PIECES = st.sampled_from([
    "0", "1", "12", "300", "250", "728", "90", ",", ".", " ", "\u00a0", "\u202f", "-", "\u2011", "[", "]", "%", "$", "€", "x",
    "k", "m", "bn", "Md", "millions", "milliards", "de", "d'", "plus de", "no more than", "not", "ne peut dépasser", "environ",
    "puces", "chips", "modules", "eight-GPU", "H200s", "fois", "times", "mai", "May", "janv.", "\n", "(", ")", "à", "to",
    "several", "des", "un", "a", "half", "deux", "twenty-one", "quatre-vingts", "et", "and", "nm", "nanomètres", "Ascend",
])


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=40).map("".join)))
def test_reading_never_raises_on_any_text(text):
    for quantity in find_quantities(text):
        assert text[quantity.start:quantity.end] == quantity.text
        assert quantity.value == quantity.value  # not NaN
    parse_quantity(text)
    cleaned = clean_article(text)
    split_sentences(cleaned.story)

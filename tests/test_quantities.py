"""The French/English number reader: a table of phrases, negatives, offsets, and
a round-trip property (format a number the French or English way, read it back)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.quantities import find_quantities, parse_quantity

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"

# (phrase, value, unit, bound). Every number-bearing phrase of the five seeds comes first.
PHRASES = [
    # seed 000
    ("Beijing approuve l’importation de 400 000 puces Nvidia H200", 400_000, "chips", "exact"),
    ("importer plus de 400 000 puces H200 au total", 400_000, "chips", "at_least"),
    ("Les entreprises technologiques chinoises ont commandé plus de 2 millions de puces H200", 2e6, "chips", "at_least"),
    ("bien au-delà des quelque 700 000 unités actuellement en stock chez Nvidia", 700_000, "chips", "approx"),
    ("La H200 livre environ six fois la capacité de calcul de la H20", 6, "times", "approx"),
    ("« 90 % des cas d’usage IA ne requièrent pas vraiment des puces 7nm ou 5nm", 90, "percent", "exact"),
    ("Jensen Huang avait estimé le potentiel de marché chinois à 50 milliards de dollars annuels", 50e9, "USD", "exact"),
    ("Avec une demande déclarée de 2 millions de puces et un stock de 700 000 unités", 2e6, "chips", "exact"),
    ("un stock de 700 000 unités", 700_000, "chips", "exact"),
    ("Plus de 400 000 puces pour ByteDance, Alibaba et Tencent", 400_000, "chips", "at_least"),
    ("alors que la demande totale dépasse 2 millions d’unités", 2e6, "chips", "at_least"),
    ("L’événement survient six semaines après que l’administration Trump", 6, None, "exact"),
    ("selon trois sources anonymes citées par Reuters", 3, None, "exact"),
    ("Selon Wei Shaojun (Tsinghua), 90 % des cas d’usage IA ne nécessitent pas les derniers processus (<7nm)", 90, "percent", "exact"),
    # seed 001
    ("qui auraient privé plus de 200 000 unités H200 chacune", 200_000, "chips", "at_least"),
    ("56", 56, None, "exact"),
    # seed 002
    ("Au total, jusqu’à 400 000 GPU pourraient être concernés", 400_000, "chips", "at_most"),
    ("en échange d’un tarif douanier de 25 % (ce qui est déjà beaucoup)", 25, "percent", "exact"),
    ("offrirait des performances jusqu’à six fois supérieures à celles de la H20", 6, "times", "at_most"),
    # seed 003
    ("ont été autorisés à acheter plus de 400.000 puces H200 au total", 400_000, "chips", "at_least"),
    ("ont déclaré à Reuters quatre sources proches du dossier", 4, None, "exact"),
    ("ont passé des commandes pour plus de deux millions de puces H200", 2e6, "chips", "at_least"),
    # seed 004
    ("Plus de 400 000 puces H200 doivent atteindre les grandes entreprises technologiques", 400_000, "chips", "at_least"),
    ("avec plus de 400 000 unités destinées aux principaux groupes technologiques chinois", 400_000, "chips", "at_least"),
    ("ont également reçu l'autorisation d'acheter un total de 400 000 GPU de ce type", 400_000, "chips", "exact"),
    ("plans to invest 4 trillion yuan (US$574 billion) by 2030", 4e12, "CNY", "exact"),
    ("up to 2.5 times planned output during construction", 2.5, "times", "at_most"),
    # English counterparts
    ("China approved imports of more than 400,000 Nvidia H200 chips", 400_000, "chips", "at_least"),
    ("Chinese firms have ordered over 2 million H200 chips", 2e6, "chips", "at_least"),
    ("Nvidia's stock of about 700,000 units", 700_000, "chips", "approx"),
    ("the H200 offers roughly six times the compute of the H20", 6, "times", "approx"),
    ("a 25% cut of the sales", 25, "percent", "exact"),
    ("a 25 per cent fee", 25, "percent", "exact"),
    ("Huang put the market at $50 billion a year", 50e9, "USD", "exact"),
    ("Nvidia's China revenue of about US$17 billion", 17e9, "USD", "approx"),
    ("Alibaba and ByteDance each sought more than 200,000 H200", 200_000, "chips", "at_least"),  # a chip model right after a count
    ("up to 400,000 GPUs could be involved", 400_000, "chips", "at_most"),
    ("at least 2,000,000 accelerators", 2e6, "chips", "at_least"),
    ("fewer than 10,000 processors", 10_000, "chips", "at_most"),
    ("less than 5%", 5, "percent", "at_most"),
    ("nearly 1.5 million chips", 1.5e6, "chips", "approx"),
    ("close to 700,000 units", 700_000, "chips", "approx"),
    ("an estimated 600,000 910C", 600_000, "chips", "approx"),
    ("some 40,000 chips by mid-February", 40_000, "chips", "approx"),
    ("exceeding 2 million units", 2e6, "chips", "at_least"),
    ("under 50 percent of US volumes", 50, "percent", "at_most"),
    ("~700k units", 700_000, "chips", "approx"),
    ("a $10bn deal", 10e9, "USD", "exact"),
    ("€3.5bn of sales", 3.5e9, "EUR", "exact"),
    ("RMB 1.4 million per module", 1.4e6, "CNY", "exact"),
    ("an 8-GPU module sells for 1.4 million yuan", 1.4e6, "CNY", "exact"),
    ("a price of US$27,000 per chip", 27_000, "USD", "exact"),
    ("$20,000 per H200", 20_000, "USD", "exact"),
    ("two companies", 2, None, "exact"),
    ("twenty-two chips", 22, "chips", "exact"),
    ("a 6x gap", 6, "times", "exact"),
    ("6.7x in BF16", 6.7, "times", "exact"),
    ("1.2 times the bandwidth", 1.2, "times", "exact"),
    ("one million chips", 1e6, "chips", "exact"),
    ("a 5nm node", 5, "nm", "exact"),
    # French separators, decimals, scales, words
    (f"400{NBSP}000 puces", 400_000, "chips", "exact"),
    (f"400{NNBSP}000 puces", 400_000, "chips", "exact"),
    (f"400{THIN}000 puces", 400_000, "chips", "exact"),
    ("2 000 000 de puces", 2e6, "chips", "exact"),
    ("1,5 million de puces", 1.5e6, "chips", "exact"),
    ("1,5 milliard d’euros", 1.5e9, "EUR", "exact"),
    ("10,8 milliards de dollars", 10.8e9, "USD", "exact"),
    ("3 000 milliards de yuans", 3e12, "CNY", "exact"),
    ("10 000 €", 10_000, "EUR", "exact"),
    ("27 000 dollars par puce", 27_000, "USD", "exact"),
    ("0,88 million de renminbi", 880_000, "CNY", "exact"),
    ("deux millions de puces", 2e6, "chips", "exact"),
    ("un million de puces", 1e6, "chips", "exact"),
    ("dix accélérateurs", 10, "chips", "exact"),
    ("dix-sept puces", 17, "chips", "exact"),
    ("quatre-vingts processeurs", 80, "chips", "exact"),
    ("trois cents unités", 300, "chips", "exact"),
    ("mille puces", 1000, "chips", "exact"),
    ("25 pour cent des ventes", 25, "percent", "exact"),
    ("six fois plus", 6, "times", "exact"),
    ("au moins 100 000 puces", 100_000, "chips", "at_least"),
    ("moins de 50 000 GPU", 50_000, "chips", "at_most"),
    ("près de 700 000 unités", 700_000, "chips", "approx"),
    ("environ 20 %", 20, "percent", "approx"),
    ("quelques 5 000 puces", 5_000, "chips", "approx"),
    ("de l'ordre de 2 millions de puces", 2e6, "chips", "approx"),
    ("supérieur à 15 000", 15_000, None, "at_least"),
    ("jusqu'aux 400 000 puces prévues", 400_000, "chips", "at_most"),
    ("des processus 28nm", 28, "nm", "exact"),
    ("200 000 unités H200", 200_000, "chips", "exact"),
    ("2,5 fois la production", 2.5, "times", "exact"),
    ("a 25pc stake", 25, "percent", "exact"),
    ("un contrat de 10 M€", 10e6, "EUR", "exact"),
    ("3 Md€ d'investissements", 3e9, "EUR", "exact"),
    ("20-25% of the chips", 20, "percent", "exact"),
    ("as many as 400,000 chips", 400_000, "chips", "at_most"),
    ("no fewer than 200,000 GPUs", 200_000, "chips", "at_least"),
    ("pas moins de 2 millions de puces", 2e6, "chips", "at_least"),
    ("au maximum 50 %", 50, "percent", "at_most"),
    ("a million chips", 1e6, "chips", "exact"),
    ("nearly a billion dollars", 1e9, "USD", "approx"),
    ("half a million chips", 5e5, "chips", "exact"),
]

NEGATIVES = [
    "en décembre 2025", "fin janvier 2026", "le 28 janvier 2026", "Thursday, 29 January 2026", "January 28, 2026",
    "Jan 28 (Reuters)", "2026-01-28", "28/01/2026 à 11:31", "à 11h31", "at 10 a.m.", "24/7", "in 2024", "by 2030",
    "au CES 2026", "Alibaba 9988.HK et Tencent 0700.HK", "Nvidia NVDA.O", "la puce H200", "les H20, L20 et H200",
    "Instinct MI325X", "Ascend 910C", "TSMC 4N", "GB200 et B200", "au Q2 2026", "COVID-19", "le 2e semestre",
    "le 1er février", "un feu vert", "one of the largest", "https://www.reuters.com/world/china/2026-01-28/",
    "une fois encore", "H1 2026", "in the 2020s", "the 2025/26 season", "FY2025",
]


@pytest.mark.parametrize("phrase, value, unit, bound", PHRASES)
def test_phrase(phrase, value, unit, bound):
    quantity = parse_quantity(phrase)
    assert quantity is not None, phrase
    assert (quantity.value, quantity.unit, quantity.bound) == (pytest.approx(value), unit, bound)
    assert phrase[quantity.start:quantity.end] == quantity.text


@pytest.mark.parametrize("phrase", NEGATIVES)
def test_not_a_quantity(phrase):
    assert find_quantities(phrase) == []


def test_all_quantities_of_a_paragraph_with_offsets():
    text = (
        "BEIJING, Jan 28 (Reuters) - China approved more than 400,000 H200 chips, "
        "while firms ordered over 2 million and Nvidia holds about 700,000 in stock; "
        "Tencent 0700.HK rose 3% at 11:31, and a 25% fee applies since December 2025."
    )
    found = find_quantities(text)
    assert [(q.value, q.unit, q.bound) for q in found] == [
        (400_000, "chips", "at_least"), (2e6, None, "at_least"), (700_000, None, "approx"),
        (3, "percent", "exact"), (25, "percent", "exact"),
    ]
    for quantity in found:
        assert text[quantity.start:quantity.end] == quantity.text
    assert found[0].text == "more than 400,000 H200 chips" or found[0].text == "more than 400,000"


def test_two_quantities_in_one_phrase_and_process_nodes():
    assert [(q.value, q.unit) for q in find_quantities("4 trillion yuan (US$574 billion)")] == [(4e12, "CNY"), (574e9, "USD")]
    assert [(q.value, q.unit) for q in find_quantities("des puces 7nm ou 5nm, processus 28nm")] == [(7, "nm"), (5, "nm"), (28, "nm")]


def test_ranges_share_the_unit():
    found = find_quantities("5 000 à 10 000 modules, soit 40,000-80,000 chips, et 20 à 25 %")
    assert [(q.value, q.unit) for q in found] == [
        (5000, "modules"), (10000, "modules"), (40000, "chips"), (80000, "chips"), (20, "percent"), (25, "percent"),
    ]
    assert [(q.value, q.unit) for q in find_quantities("1,5 à 2 millions de puces")] == [(1.5e6, "chips"), (2e6, "chips")]


def test_modifiers_are_not_counts():
    # The modules are counted as modules, never as chips; "eight-GPU" itself is not a count.
    assert [(q.value, q.unit) for q in find_quantities("5,000-10,000 eight-GPU modules")] == [(5000, "modules"), (10000, "modules")]
    assert find_quantities("a five-year plan") == []


def _french(integer: int, decimals: str, separator: str) -> str:
    groups = f"{integer:,}".split(",")
    text = separator.join(groups)
    return f"{text},{decimals}" if decimals else text


def _english(integer: int, decimals: str) -> str:
    text = f"{integer:,}"
    return f"{text}.{decimals}" if decimals else text


@settings(max_examples=300, deadline=None)
@given(
    integer=st.integers(min_value=0, max_value=999_999_999),
    decimals=st.sampled_from(["", "5", "25", "75"]),
    french=st.booleans(),
    separator=st.sampled_from([" ", NBSP, NNBSP, THIN, "."]),
    suffix=st.sampled_from([
        ("", 1, None), (" puces", 1, "chips"), (" millions de puces", 1e6, "chips"), (" milliards de dollars", 1e9, "USD"),
        (" %", 1, "percent"), (" chips", 1, "chips"), (" billion dollars", 1e9, "USD"), (" fois", 1, "times"),
    ]),
)
def test_round_trip(integer, decimals, french, separator, suffix):
    words, scale, unit = suffix
    if not french and separator == ".":
        separator = " "
    if french and separator == "." and decimals == "" and integer >= 1000 and len(f"{integer:,}".split(",")[-1]) == 3:
        pass  # 400.000 reads as four hundred thousand: that is the French convention
    number = _french(integer, decimals, separator) if french else _english(integer, decimals)
    expected = (integer + (float("0." + decimals) if decimals else 0.0)) * scale
    if unit is None and not decimals and 1900 <= integer <= 2100 and "," not in number and separator not in number:
        return  # a bare four-digit number in that range reads as a year, by design
    phrase = f"soit {number}{words} au total"
    quantity = parse_quantity(phrase)
    assert quantity is not None, phrase
    assert math.isclose(quantity.value, expected, rel_tol=1e-9), (phrase, quantity)
    assert quantity.unit == unit, (phrase, quantity)

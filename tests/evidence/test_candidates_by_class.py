"""The claim-candidate failure classes of the later news (issue 17), one table
per class, in English and French, in phrasings of our own. Each row is a
made-up sentence and the candidates (metric, entity, value, bound) worked out
by hand; an empty list means nothing may be proposed."""

from __future__ import annotations

import pytest

from analysis.evidence import candidates
from analysis.metadata.metrics import metrics_table

UNITS = {row.metric: row.unit.split("|") for row in metrics_table().itertuples(index=False) if row.needs_value}


def _proposed(sentence: str, language: str, previous: str | None = None) -> list[tuple[str, str, float, str]]:
    rows = candidates.sentence_candidates("900_t", 1, sentence, UNITS, language, previous)
    for row in rows:
        assert row["quote"] in sentence
    return sorted((r["metric"], r["entity"], r["value"], r["bound"]) for r in rows)


# --- class 1: cue words match whole words -------------------------------------------
WHOLE_WORDS = [
    ("en", "The H200's capabilities give it about 6 times the H20's compute.", [("h200_h20_ratio", "H200/H20", 6, "approx")]),
    ("en", "Its takeover of the market lifted China sales to 30% of the total.", []),
    ("en", "Clearly, demand has reached 1.5 million chips.", [("orders_units", "total", 1.5e6, "exact")]),
    ("fr", "La partie chinoise représente 30 % du total, selon les partenaires.", []),
    ("fr", "Les capacités de la H200 valent environ 6 fois celles de la H20.", [("h200_h20_ratio", "H200/H20", 6, "approx")]),
]

# --- class 2: the US take has more names ----------------------------------------------
US_TAKE = [
    ("en", "The licences come with a 25% revenue share for the US government.", [("us_take_percent", "US government", 25, "exact")]),
    ("en", "Nvidia must hand a quarter of the revenue to the Treasury.", [("us_take_percent", "US government", 25, "exact")]),
    ("en", "Critics call the 25% remittance a penalty tax on Nvidia's revenue.", [("us_take_percent", "US government", 25, "exact")]),
    ("en", "Sellers owe a 15% surcharge on China revenue under the deal.", [("us_take_percent", "US government", 15, "exact")]),
    ("fr", "Nvidia devra acquitter des frais de 25 % sur ces ventes.", [("us_take_percent", "US government", 25, "exact")]),
    (
        "fr",
        "Une majoration de 15 % s'appliquera au chiffre d'affaires réalisé en Chine.",
        [("us_take_percent", "US government", 15, "exact")],
    ),
    ("fr", "Le fabricant reversera un quart de ses recettes à Washington.", [("us_take_percent", "US government", 25, "exact")]),
    # Not a take: a share of Nvidia's revenue.
    ("en", "China made up 13% of Nvidia's data-center revenue last year.", []),
    ("fr", "La Chine représentait 13 % du chiffre d'affaires de Nvidia l'an dernier.", []),
]

# --- class 3: first deliveries without the word "first" --------------------------------
FIRST_DELIVERIES = [
    (
        "en",
        "Nvidia intends to ship 60,000 chips from existing stock once licences clear.",
        [("first_delivery_units", "total", 60_000, "exact")],
    ),
    (
        "en",
        "The company would fulfil orders from inventory, shipping 6,000 eight-GPU modules.",
        [("first_delivery_units", "total", 48_000, "exact")],
    ),
    (
        "fr",
        "Nvidia compte livrer 60 000 puces à partir de ses stocks dès l'obtention des licences.",
        [("first_delivery_units", "total", 60_000, "exact")],
    ),
    (
        "fr",
        "Le groupe expédierait 6 000 modules de huit puces puisées dans ses stocks.",
        [("first_delivery_units", "total", 48_000, "exact")],
    ),
]

# --- class 4: which product, and whose -------------------------------------------------
PRODUCT_AND_OWNER = [
    ("en", "A full H200 cluster from Inspur is priced at $4 million.", []),
    ("en", "An eight-GPU H20 server sells for about $120,000.", []),
    ("en", "An eight-GPU H200 server sells for about $260,000.", [("module_price", "H200 module", 260_000, "approx")]),
    ("en", "Alibaba still holds some 90,000 older GPUs of its own in inventory.", []),
    ("en", "Beijing has approved orders for 250,000 H200 chips.", [("approved_units", "total", 250_000, "exact")]),
    ("fr", "Une grappe H200 complète est facturée 4 millions de dollars.", []),
    ("fr", "Un serveur H20 à huit GPU coûte environ 120 000 dollars.", []),
    ("fr", "Alibaba dispose de quelque 90 000 anciens GPU en stock.", []),
    ("fr", "Pékin a approuvé des commandes portant sur 250 000 puces H200.", [("approved_units", "total", 250_000, "exact")]),
    ("en", "Regulators signed off on orders for 90,000 H200.", [("approved_units", "total", 90_000, "exact")]),
    ("fr", "Pékin a validé des commandes de 90 000 H200.", [("approved_units", "total", 90_000, "exact")]),
    ("en", "An HGX H200 board retails for roughly $240,000.", [("module_price", "H200 module", 240_000, "approx")]),
    ("en", "Nvidia already holds about 500,000 H200 in its warehouses.", [("stock_units", "Nvidia", 500_000, "approx")]),
    ("fr", "Nvidia détient environ 500 000 H200.", [("stock_units", "Nvidia", 500_000, "approx")]),
    ("fr", "La H200 dépasse la H20 d'un facteur sept.", [("h200_h20_ratio", "H200/H20", 7, "exact")]),
    # A comparison restates the metric of the figure before it.
    (
        "en",
        "Dealers quote the H200 at $30,000, down from $34,000 in March.",
        [("price_usd_per_chip", "H200", 30_000, "exact"), ("price_usd_per_chip", "H200", 34_000, "exact")],
    ),
    (
        "fr",
        "La H200 se négocie 30 000 dollars, contre 34 000 dollars en mars.",
        [("price_usd_per_chip", "H200", 30_000, "exact"), ("price_usd_per_chip", "H200", 34_000, "exact")],
    ),
    ("en", "Nvidia has some 500,000 unsold H200 units.", [("stock_units", "Nvidia", 500_000, "approx")]),
    ("fr", "Nvidia dispose d'environ 500 000 H200 invendues.", [("stock_units", "Nvidia", 500_000, "approx")]),
    ("fr", "Une carte H200 s'échange 33 000 dollars pièce.", [("price_usd_per_chip", "H200", 33_000, "exact")]),
    ("en", "No H200 GPUs entered the mainland in May.", [("delivered_units", "total", 0, "exact")]),
    ("fr", "Aucun GPU H200 n'est entré sur le continent en mai.", [("delivered_units", "total", 0, "exact")]),
    # A count of companies is the sentence's figure when the clause around it names none.
    (
        "en",
        "Some 12 Chinese groups, Alibaba among them, have been licensed to buy the chip.",
        [("us_cleared_buyers", "US government", 12, "approx")],
    ),
]

# --- class 5: French parity (French phrasings of the English cues) ------------------------
FRENCH_PARITY = [
    ("fr", "Les réservations des groupes chinois atteignent 1,6 million d'unités.", [("orders_units", "total", 1.6e6, "exact")]),
    ("fr", "Nvidia conserve un stock de quelque 600 000 H200 dans ses entrepôts.", [("stock_units", "Nvidia", 600_000, "approx")]),
    ("fr", "ByteDance a réclamé à lui seul 120 000 accélérateurs.", [("requested_units", "ByteDance", 120_000, "exact")]),
    ("fr", "Chaque H200 s'arrache autour de 30 000 dollars à Shenzhen.", [("price_usd_per_chip", "H200", 30_000, "approx")]),
    ("fr", "Pékin a donné son aval à l'achat de 300 000 puces.", [("approved_units", "total", 300_000, "exact")]),
    ("fr", "Huawei fabriquerait environ 650 000 puces Ascend cette année.", [("huawei_output_units", "Huawei", 650_000, "approx")]),
]

# --- class 6: the new metrics, in both languages -----------------------------------------
NEW_METRICS = [
    ("en", "As of this week, not a single H200 has been delivered to China.", [("delivered_units", "total", 0, "exact")]),
    ("en", "Nvidia has shipped about 20,000 H200 to Chinese buyers so far.", [("delivered_units", "total", 20_000, "approx")]),
    (
        "en",
        "Officials would cap each buyer at 75,000 H200, AMD's MI325X included.",
        [("per_customer_cap_units", "US rule", 75_000, "at_most")],
    ),
    ("en", "No single customer can buy more than 75,000 of the chips.", [("per_customer_cap_units", "US rule", 75_000, "at_most")]),
    (
        "en",
        "Washington has cleared about a dozen Chinese companies to buy the H200.",
        [("us_cleared_buyers", "US government", 12, "approx")],
    ),
    ("en", "The US has approved 10 Chinese firms as buyers.", [("us_cleared_buyers", "US government", 10, "exact")]),
    (
        "en",
        "Nvidia guided China data-center revenue of about $3 billion for the quarter.",
        [("china_dc_revenue_guidance_usd", "Nvidia", 3e9, "approx")],
    ),
    ("en", "Nvidia's outlook assumes no revenue from China.", [("china_dc_revenue_guidance_usd", "Nvidia", 0, "exact")]),
    ("fr", "À ce jour, aucune puce H200 n'a été livrée en Chine.", [("delivered_units", "total", 0, "exact")]),
    ("fr", "Nvidia aurait livré quelque 20 000 H200 en Chine jusqu'ici.", [("delivered_units", "total", 20_000, "approx")]),
    ("fr", "Chaque client ne pourra recevoir que 75 000 puces H200.", [("per_customer_cap_units", "US rule", 75_000, "at_most")]),
    (
        "fr",
        "Washington a autorisé une dizaine d'entreprises chinoises à acheter la H200.",
        [("us_cleared_buyers", "US government", 10, "approx")],
    ),
    (
        "fr",
        "Nvidia prévoit un chiffre d'affaires en Chine d'environ 3 milliards de dollars.",
        [("china_dc_revenue_guidance_usd", "Nvidia", 3e9, "approx")],
    ),
    ("fr", "Les prévisions de Nvidia n'incluent aucun revenu en Chine.", [("china_dc_revenue_guidance_usd", "Nvidia", 0, "exact")]),
]

CLASSES = WHOLE_WORDS + US_TAKE + FIRST_DELIVERIES + PRODUCT_AND_OWNER + FRENCH_PARITY + NEW_METRICS


@pytest.mark.parametrize("language, sentence, expected", CLASSES)
def test_candidate_class(language, sentence, expected):
    assert _proposed(sentence, language) == sorted((m, e, float(v), b) for m, e, v, b in expected)


def test_a_running_count_of_none_after_its_question():
    """'So far, none.' names no noun: the sentence before gives the metric."""
    rows = _proposed("So far, none.", "en", previous="How many H200 have been delivered to Chinese customers?")
    assert rows == [("delivered_units", "total", 0.0, "exact")]
    rows = _proposed("Jusqu'ici, aucune.", "fr", previous="Combien de H200 ont été livrées aux clients chinois ?")
    assert rows == [("delivered_units", "total", 0.0, "exact")]


# --- as_of: where the text dates the fact ---------------------------------------------------
# (sentence, publication date, as_of worked out by hand)
AS_OF = [
    ("As of 3 March, no H200 had reached Chinese buyers.", "2026-03-05", "2026-03-03"),
    ("as of Feb. 24, 2026, not a single chip had shipped", None, "2026-02-24"),
    ("As of December 30, Nvidia had shipped none.", "2026-01-04", "2025-12-30"),  # no year: the latest before publication
    ("So far, none has been delivered.", "2026-02-25", "2026-02-25"),
    ("To date, about 20,000 chips have shipped.", "2026-05-17", "2026-05-17"),
    ("au 3 mars, aucune H200 n'avait été livrée", "2026-03-05", "2026-03-03"),
    ("À ce jour, aucune puce n'a franchi la douane.", "2026-06-01", "2026-06-01"),
    ("Jusqu'ici, Nvidia n'a livré aucune H200.", "2026-02-25", "2026-02-25"),
    # Undated: nothing, or "so far" without a publication date to give it.
    ("Nvidia shipped 20,000 chips.", "2026-05-17", None),
    ("So far, none has been delivered.", None, None),
    ("as of 31 February, none", "2026-03-05", None),
]


@pytest.mark.parametrize("sentence, published, expected", AS_OF)
def test_as_of(sentence, published, expected):
    assert candidates.as_of(sentence, published) == expected


def test_a_candidate_carries_its_as_of():
    rows = candidates.sentence_candidates(
        "900_t", 1, "As of 24 February, not a single H200 had been delivered to China.", UNITS, "en", published="2026-02-26"
    )
    assert [(r["metric"], r["value"], r["as_of"]) for r in rows] == [("delivered_units", 0.0, "2026-02-24")]

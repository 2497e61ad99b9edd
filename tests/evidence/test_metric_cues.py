"""Which metrics a clause names, by the cue words of ``claim_cues`` in
``analysis/lang/*.yaml``, in French and English sentences of our own."""

from __future__ import annotations

import pytest

from analysis.evidence.metric_cues import metrics_named

# (clause, language, the metrics it names). One row per metric in each language, then clauses that name none.
NAMED = [
    ("Beijing has approved imports of 400,000 H200 chips.", "en", ["approved_units"]),
    ("Pékin a autorisé l'importation de 400 000 puces H200.", "fr", ["approved_units"]),
    ("Chinese firms ordered 2 million chips.", "en", ["orders_units"]),
    ("Les groupes chinois ont commandé 2 millions de puces.", "fr", ["orders_units"]),
    ("Nvidia holds 700,000 H200 chips in stock.", "en", ["stock_units"]),
    ("Nvidia détient 700 000 puces en stock.", "fr", ["stock_units"]),
    ("Tencent sought 150,000 chips.", "en", ["requested_units"]),
    ("Tencent a sollicité 150 000 puces.", "fr", ["requested_units"]),
    ("A single H200 costs about $27,000.", "en", ["price_usd_per_chip"]),
    ("Une puce H200 coûte environ 27 000 dollars.", "fr", ["price_usd_per_chip"]),
    ("An eight-GPU server costs about 1.5 million yuan.", "en", ["module_price"]),
    ("Un serveur H200 coûte environ 1,5 million de yuans.", "fr", ["module_price"]),
    ("Washington takes a 25% cut of sales.", "en", ["us_take_percent"]),
    ("Washington prélève une part de 25 % des ventes.", "fr", ["us_take_percent"]),
    ("Shipments to China are capped at 50% of US volumes.", "en", ["us_cap_percent"]),
    ("Un plafond de 50 % des volumes s'applique.", "fr", ["us_cap_percent"]),
    ("The H200 is six times faster than the H20.", "en", ["h200_h20_ratio"]),
    ("La H200 est six fois plus rapide que la H20.", "fr", ["h200_h20_ratio"]),
    ("Nvidia shipped its first 50,000 chips.", "en", ["first_delivery_units"]),
    ("Nvidia a livré ses premières 50 000 puces.", "fr", ["first_delivery_units"]),
    ("The market for AI chips in China is worth $50 billion.", "en", ["market_size_usd"]),
    ("Le marché chinois des puces IA pèse 50 milliards de dollars.", "fr", ["market_size_usd"]),
    ("Huawei will produce 600,000 Ascend chips.", "en", ["huawei_output_units"]),
    ("Huawei produira 600 000 puces Ascend.", "fr", ["huawei_output_units"]),
    # No cue word at all.
    ("The weather in Shanghai was fine on Tuesday.", "en", []),
    ("Il faisait beau à Shanghai mardi.", "fr", []),
]


@pytest.mark.parametrize("clause, language, metrics", NAMED)
def test_a_clause_names_the_metrics_of_its_cue_words(clause, language, metrics):
    assert metrics_named(clause, language) == metrics


def test_cues_are_read_in_the_language_asked_and_in_either_when_none_is():
    english, french = "Beijing has approved imports of 400,000 H200 chips.", "Pékin a donné son feu vert à l'opération."
    assert metrics_named(english, "fr") == [] and metrics_named(french, "en") == []
    assert metrics_named(english) == metrics_named(french) == ["approved_units"]


def test_a_cue_is_a_whole_word_and_a_starred_cue_a_word_start():
    assert metrics_named("Nvidia faces a cap.", "en") == ["us_cap_percent"]
    assert metrics_named("Nvidia shows its capabilities.", "en") == []  # "cap" is not in "capabilities"
    assert metrics_named("The approval came late.", "en") == ["approved_units"]  # "approv*"
    assert metrics_named("Beijing disapproved of the plan.", "en") == []  # a word start, not any part of a word
    assert metrics_named("L'autorisation est tombée mardi.", "fr") == ["approved_units"]  # "autoris*"
    assert metrics_named("APPROVED: 400,000 H200 CHIPS", "en") == ["approved_units"]  # case does not matter


def test_a_none_word_rules_the_metric_out():
    # "stock" rules out an approval; "price*" rules out a stock; "nvidia" rules out Huawei's output; "share" a market size.
    assert metrics_named("Beijing approved the purchase, drawing on Nvidia's stock.", "en") == ["stock_units"]
    assert metrics_named("Nvidia's stock price rose 4%.", "en") == ["price_usd_per_chip"]
    assert metrics_named("Huawei shipped 700,000 Ascend chips while Nvidia waited.", "en") == []
    assert metrics_named("Nvidia's market share in China fell.", "en") == []


def test_every_group_of_a_metric_must_be_named():
    # module_price needs a module word and a price word; huawei_output_units needs Huawei and a production word.
    assert metrics_named("Eight-GPU servers were loaded onto the trucks.", "en") == []
    assert metrics_named("Les serveurs ont été chargés.", "fr") == []
    assert metrics_named("The H200 is faster.", "en") == []  # h200_h20_ratio needs both chips


def test_several_metrics_come_in_the_vocabularys_order_not_the_texts():
    clause = "Huawei will produce 600,000 Ascend chips after Beijing approved the deal."
    assert metrics_named(clause, "en") == ["approved_units", "huawei_output_units"]

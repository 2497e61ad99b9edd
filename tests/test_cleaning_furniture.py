"""Page furniture seen on real news pages (issue 10), one row per kind, in
French and English, with made-up wording: each line must go with its reason,
and the story lines around it must stay."""

from __future__ import annotations

import pytest

from analysis.sources import clean_article, normalise_text

STORY_EN = "Chinese regulators cleared more than 300,000 H200 chips for three cloud groups, two people said."
STORY_FR = "Les régulateurs chinois ont validé plus de 300 000 puces H200 pour trois groupes du cloud, selon deux sources."

FURNITURE = [
    # (line, reason)
    ("1.5x", "widget"),
    ("0.75 ×", "widget"),
    ("Playback speed 1.25x", "widget"),
    ("+ ↺ − 18 px", "widget"),
    ("Font size", "widget"),
    ("Vitesse de lecture : 1,5x", "widget"),
    ("Taille du texte", "widget"),
    ("8 Sources", "counter"),
    ("21 sources", "counter"),
    ("5 min read", "dateline"),
    ("7 min. read", "dateline"),
    ("Lecture 6 min", "dateline"),
    ("Temps de lecture : 3 minutes", "dateline"),
    ("4 min de lecture", "dateline"),
    ("[2]", "counter"),
    ("3", "counter"),
    ("*", "counter"),
    ("†", "counter"),
    ("(Mise à jour paragraphes 2 à 6, ajoute la réaction de Pékin)", "wire_note"),
    ("(Actualisé avec déclaration du ministère au paragraphe 4)", "wire_note"),
    ("(Updates with Commerce Department statement in paragraphs 4-7)", "wire_note"),
    ("(Adds analyst comment in paragraph 9)", "wire_note"),
    ("Updates with Nvidia comment in paragraphs 2, 5", "wire_note"),
    ("Mise à jour des paragraphes 3 et 4", "wire_note"),
    ("Related: Nvidia's Huang lands in Shanghai as approvals near", "promo"),
    ("See also: How the H20 ban reshaped China's AI labs", "promo"),
    ("Lire aussi : Huawei accélère sur ses puces Ascend", "promo"),
    ("Sur le même sujet : la riposte de Pékin aux contrôles américains", "promo"),
    ("Sign up for our Asia tech newsletter", "promo"),
    ("The China Briefing newsletter lands in your inbox every Tuesday. Subscribe here.", "promo"),
    ("Inscrivez-vous à notre newsletter hebdomadaire sur la tech", "promo"),
    ("Recevez notre lettre d'information chaque matin dans votre boîte mail", "promo"),
    ("May 28, 2026", "dateline"),
    ("Published on June 2, 2026 at 10:15 am", "dateline"),
    ("mer. 4 févr. 2026", "dateline"),
    ("Publié le 12 janv. 2026 à 08h40", "dateline"),
    ("29 janv. 2026", "dateline"),
    ("00:00/04:37", "widget"),
    ("↺", "widget"),
    ("Offrir cet article", "promo"),
    ("Ajouter à vos sélections", "promo"),
    ("Gift this article", "promo"),
    ("−", "widget"),
    ("Listen (4 min)", "widget"),
    ("Écouter (5 min)", "widget"),
    ("Item 2 of 4 A Huawei Ascend chip on display in Shanghai, July 2025. REUTERS/Jane Roe/File Photo", "caption"),
    ("[2/4]Des puces H200 exposées à Pékin. REUTERS/Jean Dupont", "caption"),
    ("0:00", "widget"),
    ("²", "counter"),
    ("« Asie Tech » Chaque jeudi, le meilleur de la tech asiatique. S'inscrire", "promo"),
    ("The Asia Chip Letter: the week in semiconductors, every Friday. Sign up now", "promo"),
]


@pytest.mark.parametrize("line, reason", FURNITURE)
def test_furniture_line_goes_with_its_reason(line, reason):
    for story in (STORY_EN, STORY_FR):
        cleaned = clean_article(f"{story}\n{line}\n{story} Again.")
        assert [(r, t) for _, r, t in cleaned.removed] == [(reason, normalise_text(line))], (line, cleaned.removed)
        assert cleaned.story.split("\n") == [story, story + " Again."]


STORY_LINES = [
    # Story sentences that look a little like furniture must stay.
    "The rule says shipments to China may not exceed 50% of US volumes.",
    "Related talks between Washington and Beijing resumed in May.",
    "La newsletter de Nvidia aux investisseurs n'a pas évoqué les 400 000 puces.",
    "Analysts said demand could reach 3 million units in 2026.",
    "Reading the 13 sources together, the approvals total about 400,000 chips.",
    "Huawei's Ascend 950 is due in 2026, the company said.",
]


@pytest.mark.parametrize("line", STORY_LINES)
def test_story_lines_stay(line):
    assert clean_article(line).story == line


def test_non_breaking_hyphen_is_a_hyphen():
    assert normalise_text("an 8\u2011GPU module") == "an 8-GPU module"

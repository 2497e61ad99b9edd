"""Cleaning (normalisation, the header date, the line and block rules), on the seeds, on made-up
French and English pages, and on the page furniture seen on real news pages."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core import paths
from analysis.sources.cleaning import (
    COOKIE_HEADING,
    COOKIE_LINE,
    END_OF_STORY,
    FURNITURE_REASONS,
    LINE_RULES,
    RELATED_HEADING,
    SOURCES_HEADING,
    clean_article,
    normalise_text,
    split_header_date,
)
from analysis.sources.manifest import read_article_text, read_manifest
from analysis.sources.sentences import split_sentences

BOILERPLATE = [
    "Aller au contenu principal",
    "Ce site utilise des cookies",
    "Leave a Reply",
    "Articles connexes",
    "information fournie par",
    "3 days ago",
    "Ekhbary Editor",
    "https://",
    "Nous utilisons des cookies",
]
BOILERPLATE_LINES = ["Refuser", "Breaking", "56", "Ekhbary", "Sources", "Agence de presse Ekhbary"]


def _cleaned(article_id: str):
    manifest = read_manifest().set_index("article_id")
    row = manifest.loc[article_id]
    return clean_article(read_article_text(paths.RAW_ARTICLES / row["file"]), row["outlet"] or None)


def test_normalise_spaces_quotes_and_apostrophes():
    raw = "400\u00a0000\u202fpuces l\u2019importation \u201cdite\u201d\u200b  ici\r"
    assert normalise_text(raw) == '400 000 puces l\'importation "dite" ici'
    assert normalise_text("« les licences »") == "« les licences »"


def test_header_date_is_read_and_cut():
    assert split_header_date(" date 2026-01-30 Profitant d'un") == ("2026-01-30", "Profitant d'un")
    assert split_header_date("Beijing approuve") == (None, "Beijing approuve")


@pytest.mark.parametrize("article_id", read_manifest()["article_id"].tolist())
def test_no_boilerplate_left_in_any_story(article_id):
    story = _cleaned(article_id).story
    for phrase in BOILERPLATE:
        assert phrase not in story, (article_id, phrase)
    lines = set(story.split("\n"))
    for line in BOILERPLATE_LINES:
        assert line not in lines, (article_id, line)


def test_seed_004_related_stories_are_excluded():
    cleaned = _cleaned("004_6d94fdeb78bf93c2")
    # The related block carries other stories: State Grid's 4 trillion yuan, Vera Rubin, Korea.
    for phrase in ("State Grid", "Vera Rubin", "South Korea", "4 trillion yuan", "DeepSeek", "CES 2026"):
        assert phrase not in cleaned.story
    reasons = pd.Series([r for _, r, _ in cleaned.removed]).value_counts()
    assert reasons["related"] == 15 and reasons["cookie"] == 3
    assert cleaned.story.count("400 000") == 2


def test_seed_001_masthead_counter_and_repeated_title():
    cleaned = _cleaned("001_e6fce53cebec8c0e")
    removed = {(reason, text) for _, reason, text in cleaned.removed}
    assert ("counter", "56") in removed
    assert ("dateline", "Thursday, 29 January 2026") in removed
    assert ("label", "Breaking") in removed
    title = "La Chine autorise Alibaba et d'autres à acheter des accélérateurs IA Nvidia H200, mais sous condition"
    assert cleaned.story.count(title) == 1
    assert cleaned.story.startswith(title)


def test_seed_003_navigation_byline_and_date():
    cleaned = _cleaned("003_5f22817db57bbc42")
    assert cleaned.header_date == "2026-01-28"
    assert cleaned.story.startswith("La Chine autorise ByteDance")
    assert "Elena Smirnova" not in cleaned.story


FRENCH_PAGE = """Aller au contenu principal
Menu
Le Quotidien Tech
Publié le 29 janvier 2026 à 08h15
Par Jeanne Martin et Paul Durand
Pékin autorise l'achat de puces Nvidia
Partager
Facebook Twitter LinkedIn
Pékin a autorisé l'achat de plus de 400 000 puces H200. Les géants chinois attendent la suite.
Selon M. Wang, la décision était attendue. Elle coûtera près de 10,8 milliards de dollars.
Lire aussi
Un autre sujet sans rapport avec 3 millions de visiteurs.
Nous utilisons des cookies
Tout accepter
"""

ENGLISH_PAGE = """Skip to main content
Breaking News
By Jane Doe and John Smith
Updated 2 hours ago
5 min read
China clears Nvidia H200 imports
BEIJING, Jan 28 (Reuters) - China has approved imports of more than 400,000 H200 chips. U.S. officials said the deal was done.
Dr. Lee noted that orders exceed 2 million units.
Reporting by Jane Doe; Editing by John Smith
Advertisement
Related Articles
Another story about 5 billion dollars.
We use cookies to improve your experience.
Accept all
"""


def test_cleaning_a_french_page():
    cleaned = clean_article(FRENCH_PAGE, outlet="Le Quotidien Tech")
    story_sentences = split_sentences(cleaned.story)
    assert story_sentences == [
        "Pékin autorise l'achat de puces Nvidia",
        "Pékin a autorisé l'achat de plus de 400 000 puces H200.",
        "Les géants chinois attendent la suite.",
        "Selon M. Wang, la décision était attendue.",
        "Elle coûtera près de 10,8 milliards de dollars.",
    ]
    reasons = {text: reason for _, reason, text in cleaned.removed}
    assert reasons["Par Jeanne Martin et Paul Durand"] == "byline"
    assert reasons["Publié le 29 janvier 2026 à 08h15"] == "dateline"
    assert reasons["Le Quotidien Tech"] == "masthead"
    assert reasons["Un autre sujet sans rapport avec 3 millions de visiteurs."] == "related"
    assert reasons["Tout accepter"] == "cookie"


def test_cleaning_an_english_page():
    cleaned = clean_article(ENGLISH_PAGE)
    assert split_sentences(cleaned.story) == [
        "China clears Nvidia H200 imports",
        "BEIJING, Jan 28 (Reuters) - China has approved imports of more than 400,000 H200 chips.",
        "U.S. officials said the deal was done.",
        "Dr. Lee noted that orders exceed 2 million units.",
    ]
    reasons = {text: reason for _, reason, text in cleaned.removed}
    assert reasons["By Jane Doe and John Smith"] == "byline"
    assert reasons["Reporting by Jane Doe; Editing by John Smith"] == "byline"
    assert reasons["Updated 2 hours ago"] == "dateline"
    assert reasons["Accept all"] == "cookie"


FURNITURE = {
    "Le Monde avec AFP": "byline",
    "Publié aujourd'hui à 10h05, modifié à 11h20": "dateline",
    "Temps de Lecture 2 min.": "dateline",
    "Article réservé aux abonnés": "promo",
    "Sign up here.": "promo",
    "Our Standards: The Thomson Reuters Trust Principles.": "promo",
    "January 28, 2026 11:31 AM GMT+8": "dateline",
    "Mis à jour le 28/01/2026 à 12:05": "dateline",
    "By Reuters": "byline",
    "(AFP)": "byline",
    "Photo: Reuters": "caption",
    "Suivez-nous sur Google News": "share",
    "Commentaires": "comment_prompt",
    "Tags: Nvidia, China": "promo",
    "Lire aussi | Nvidia dépasse les attentes": "promo",
    "© 2026 Reuters": "byline",
    "1 234 vues": "counter",
    "il y a 3 heures": "dateline",
    "Partager sur Facebook": "share",
    "Advertisement - Scroll to continue": "label",
    "Share on LinkedIn": "share",
    "Continue reading": "promo",
    "Click to share on X (Opens in new window)": "share",
    "Envoyer par e-mail": "share",
    "Lire la suite": "promo",
}
STORY_LINES = [
    "La Chine a approuvé plus de 400 000 puces.",
    "Pour les États-Unis",
    "FAQ",
    "Huawei",
    "Reuters a rapporté que Pékin pourrait exiger des quotas.",
    "Sources proches du dossier",
    "Updated rules would allow 50% of US volumes to be shipped.",
    "Par la suite, Pékin a durci le ton.",
    "De l'autre côté du Pacifique",
    "By contrast, Huawei shipped fewer chips.",
]


@pytest.mark.parametrize("line, reason", FURNITURE.items())
def test_page_furniture_is_removed(line, reason):
    cleaned = clean_article(f"Un titre\n{line}\nLe texte de l'article.")
    assert cleaned.story == "Un titre\nLe texte de l'article."
    assert [(r, t) for _, r, t in cleaned.removed] == [(reason, line)]


@pytest.mark.parametrize("line", STORY_LINES)
def test_story_lines_are_kept(line):
    assert clean_article(f"Un titre\n{line}").story == f"Un titre\n{line}"


# --- page furniture seen on real news pages (issue 10) -----------------------------------
# One row per kind, in French and English, with made-up wording: each line must go with its reason,
# and the story lines around it must stay.

STORY_EN = "Chinese regulators cleared more than 300,000 H200 chips for three cloud groups, two people said."
STORY_FR = "Les régulateurs chinois ont validé plus de 300 000 puces H200 pour trois groupes du cloud, selon deux sources."

NEWS_PAGE_FURNITURE = [
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
    # A page's metadata line (issue 17: its counts are not story quantities).
    ("**Meta:** type: analysis · date: 2026-05-02 · 5 takes · 2 regions", "counter"),
    ("Métadonnées : type : brève | 3 angles | 2 régions", "counter"),
]


@pytest.mark.parametrize("line, reason", NEWS_PAGE_FURNITURE)
def test_furniture_line_goes_with_its_reason(line, reason):
    for story in (STORY_EN, STORY_FR):
        cleaned = clean_article(f"{story}\n{line}\n{story} Again.")
        assert [(r, t) for _, r, t in cleaned.removed] == [(reason, normalise_text(line))], (line, cleaned.removed)
        assert cleaned.story.split("\n") == [story, story + " Again."]


STORY_LINES_LIKE_FURNITURE = [
    # Story sentences that look a little like furniture must stay.
    "The rule says shipments to China may not exceed 50% of US volumes.",
    "Related talks between Washington and Beijing resumed in May.",
    "La newsletter de Nvidia aux investisseurs n'a pas évoqué les 400 000 puces.",
    "Analysts said demand could reach 3 million units in 2026.",
    "Reading the 13 sources together, the approvals total about 400,000 chips.",
    "Huawei's Ascend 950 is due in 2026, the company said.",
    "Meta: the company said 3 data centres | in China would wait.",
]


@pytest.mark.parametrize("line", STORY_LINES_LIKE_FURNITURE)
def test_story_lines_stay(line):
    assert clean_article(line).story == line


def test_non_breaking_hyphen_is_a_hyphen():
    assert normalise_text("an 8\u2011GPU module") == "an 8-GPU module"


# --- normalisation, the header date, the rules and blocks, one at a time -------------------


def test_normalise_reads_every_scripts_digits_and_separators():
    # Arabic-Indic digits, Arabic thousands mark.
    assert normalise_text("\u0664\u0660\u0660\u066c\u0660\u0660\u0660 puces") == "400,000 puces"
    assert normalise_text("\u0661\u066b\u0665 million") == "1.5 million"  # Arabic decimal mark
    assert normalise_text("\uff14\uff10\uff10 GPU") == "400 GPU"  # full-width digits
    assert normalise_text("82,\u200f000 chips") == "82,000 chips"  # a right-to-left mark inside the number


def test_normalise_composes_drops_soft_hyphens_and_strips_each_line():
    assert normalise_text("Pe\u0301kin") == "P\u00e9kin"  # e + combining acute → é (NFC)
    assert normalise_text("cor\u00adpo\u00adrate") == "corporate"
    assert normalise_text("  Nvidia   ships  \n\t chips ") == "Nvidia ships\nchips"


def test_a_header_date_needs_the_token_and_a_full_iso_date_at_the_start():
    assert split_header_date("date 2026-01-30") == ("2026-01-30", "")
    assert split_header_date("date 2026-1-30 Pékin") == (None, "date 2026-1-30 Pékin")
    assert split_header_date("Mise à jour date 2026-01-30") == (None, "Mise à jour date 2026-01-30")


def test_clean_article_returns_the_header_date_and_numbers_removed_lines_from_one():
    cleaned = clean_article("date 2026-02-03 Pékin valide les achats\r\nLe texte compte 400\u00a0000 puces.\nPartager\n")
    assert cleaned.header_date == "2026-02-03"
    assert cleaned.story == "Pékin valide les achats\nLe texte compte 400 000 puces."
    assert cleaned.removed == [(3, "share", "Partager")]


def test_a_line_matching_two_reasons_takes_the_first_in_order():
    reasons = [reason for reason, pattern in LINE_RULES if pattern.fullmatch("Subscribe")]
    assert reasons == ["navigation", "promo"]
    assert clean_article("Subscribe\nNvidia livre ses premières puces.").removed == [(1, "navigation", "Subscribe")]
    assert list(dict.fromkeys(reason for reason, _ in LINE_RULES)) == [*FURNITURE_REASONS, "link"]


def test_a_bare_link_and_a_short_line_with_a_stray_full_stop_go():
    cleaned = clean_article("Pékin a validé les achats.\nwww.example.com/tech/nvidia-h200\nTemps de lecture 2 min.\nLa suite.")
    assert cleaned.story == "Pékin a validé les achats.\nLa suite."
    assert cleaned.removed == [(2, "link", "www.example.com/tech/nvidia-h200"), (3, "dateline", "Temps de lecture 2 min.")]


def test_a_sources_list_ends_at_the_first_line_that_is_no_link():
    cleaned = clean_article(
        "Nvidia ships H200 chips to China.\nSources\nhttps://www.reuters.com/a\nreuters.com/technology/nvidia\nLa suite du texte reste."
    )
    assert cleaned.story == "Nvidia ships H200 chips to China.\nLa suite du texte reste."
    assert [reason for _, reason, _ in cleaned.removed] == ["sources_list"] * 3


def test_a_comment_prompt_ends_the_story_and_a_repeated_line_goes():
    cleaned = clean_article(
        "Le texte compte 400 000 puces.\nUn deuxième paragraphe.\nLe texte compte 400 000 puces.\nLaisser un commentaire\nVotre nom\nEnvoyer"
    )
    assert cleaned.story == "Le texte compte 400 000 puces.\nUn deuxième paragraphe."
    assert cleaned.removed == [
        (3, "repeated", "Le texte compte 400 000 puces."),
        (4, "comment_prompt", "Laisser un commentaire"),
        (5, "comment_form", "Votre nom"),
        (6, "comment_form", "Envoyer"),
    ]


def test_a_cookie_banner_goes_up_to_the_blank_line_after_it():
    cleaned = clean_article(
        "Nvidia ships H200 chips to China.\nCe site utilise des cookies\nNous stockons des cookies pour mesurer l'audience.\nAccepter\n\n"
        "The first batch is due in March."
    )
    assert cleaned.story == "Nvidia ships H200 chips to China.\nThe first batch is due in March."
    assert [(number, reason) for number, reason, _ in cleaned.removed] == [(2, "cookie"), (3, "cookie"), (4, "cookie")]


def test_a_cookie_banner_inside_the_related_block_keeps_the_block_going():
    cleaned = clean_article("China cleared the imports.\nRelated\nAnother story.\nWe use cookies\nAccept all\nYet another story.")
    assert cleaned.story == "China cleared the imports."
    assert [reason for _, reason, _ in cleaned.removed] == ["related", "related", "cookie", "cookie", "related"]


def test_the_masthead_goes_only_when_the_outlet_is_given_and_the_line_is_short():
    text = "Agence de presse Ekhbary\nEkhbary a appris de trois sources que Pékin autorisera de nouveaux achats.\nEkhbary"
    cleaned = clean_article(text, outlet="Ekhbary")
    assert cleaned.story == "Ekhbary a appris de trois sources que Pékin autorisera de nouveaux achats."
    assert cleaned.removed == [(1, "masthead", "Agence de presse Ekhbary"), (3, "masthead", "Ekhbary")]
    assert clean_article(text).story == text


@pytest.mark.parametrize(
    "pattern, heading, story_line",
    [
        (RELATED_HEADING, "Articles connexes", "Related talks between Washington and Beijing resumed."),
        (RELATED_HEADING, "Lire aussi :", "Lire aussi les chiffres de Nvidia donne le vertige."),
        (COOKIE_HEADING, "Nous utilisons des cookies pour mesurer l'audience", "Les cookies de Nvidia n'ont rien à voir."),
        (SOURCES_HEADING, "Sources :", "Sources proches du dossier"),
        (END_OF_STORY, "Leave a reply", "Leave a reply to the ministry, the memo said."),
        (COOKIE_LINE, "Tout refuser", "Tout est refusé par Pékin."),
    ],
)
def test_block_headings_match_whole_lines_only(pattern, heading, story_line):
    assert pattern.fullmatch(heading)
    assert not pattern.fullmatch(story_line)

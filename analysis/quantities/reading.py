"""Reading the parts of one number for :mod:`analysis.quantities.reader`: digits,
words, the bound before it, negation, vagueness, the noun after it, a
frequency."""

from __future__ import annotations

import re

from text_to_num import text2num

from analysis.lang import vocabulary as vocab
from analysis.quantities.matchers import (
    _ARTICLE_AS_ONE,
    _BOUND_ARTICLES,
    _BOUNDS_BY_LAST,
    _CAP_TO,
    _CAP_VERBS,
    _CHIP_MODEL,
    _CHIP_NOUNS,
    _CLAUSE_BREAKS,
    _FREQUENCY_AFTER,
    _GAP_WORDS,
    _MODEL_NAME,
    _MODEL_PLURAL,
    _MODULE_NOUNS,
    _NEGATION_GAP,
    _NEGATION_MODALS,
    _NEGATIONS,
    _NOUN_REACH,
    _NUMBER_WORDS,
    _OF_WORDS,
    _ONLY_AFTER_NEGATION,
    _PHRASE_NOUN,
    _PHRASE_NOUN_FIRST,
    _PHRASE_NOUN_UNITS,
    _SCALE_ARTICLES,
    _SP,
    _TOKEN,
    _VAGUE_BEFORE,
    _VAGUE_PLURAL_OF,
    _VAGUE_PLURALS,
    _WORD_SCALES,
    _ZERO_ANCHORS,
    _ZERO_BRIDGE_ENDINGS,
    _ZERO_NOUN,
    _ZERO_NOUN_UNITS,
    _ZERO_VERBS,
    _plain,
)

__all__ = []

# --- reading one number -----------------------------------------------------

_SP_RE = re.compile(_SP)
_WORD_SPLIT = re.compile(r"[\s\u2011-]+")
_GROUPED = re.compile(r"(\d{1,3})((?:([ .,])\d{3})(?:\3\d{3})*)(?:([.,])(\d+))?")


def _digits_value(token: str) -> tuple[float, bool] | None:
    """Value of a digit token and whether it had a thousands separator, or
    None when its groups are malformed (``1,250,50``: the decimal mark is the
    group separator)."""
    compact = _SP_RE.sub(" ", token)
    grouped = _GROUPED.fullmatch(compact)
    if grouped:
        separator, decimal_mark = grouped.group(3), grouped.group(4)
        if decimal_mark is not None and decimal_mark == separator:
            return None
        whole = grouped.group(1) + grouped.group(2).replace(separator, "")
        return float(whole + ("." + grouped.group(5) if decimal_mark else "")), True
    if compact.count(",") + compact.count(".") > 1:
        return None
    return float(compact.replace(",", ".")), False


def _words_value(phrase: str) -> float | None:
    """Value of a run of number words ('deux', 'vingt-deux', 'trois cents',
    'two hundred', 'a million') by text2num, in the first language whose
    vocabulary holds every word; None for an ill-formed run."""
    lowered = phrase.lower().replace("\u2011", "-")
    tokens = [t for t in _WORD_SPLIT.split(lowered) if t]
    if tokens and tokens[0] in _SCALE_ARTICLES:
        tokens[0] = _ARTICLE_AS_ONE[tokens[0]]
    if len(tokens) == 1 and tokens[0] in _WORD_SCALES:
        return float(_WORD_SCALES[tokens[0]])  # "millions", "milliers": a scale alone (vague, see _vague_run)
    for language in vocab.LANGUAGES:
        words = vocab.load(language)
        joiners = set(words["number_joiners"])
        known = set(_NUMBER_WORDS[language]) | set(words["scale_words"]) | joiners
        if all(t in known for t in tokens):
            # text2num's spelling: the words joined by the language's separator, a joiner between spaces ("vingt et un").
            spelled = "".join(
                ("" if i == 0 else " " if t in joiners or tokens[i - 1] in joiners else words["number_word_separator"]) + t
                for i, t in enumerate(tokens)
            )
            try:
                return float(text2num(spelled, language))
            except (ValueError, TypeError, IndexError):
                continue
    return None


def _bound_before(before: str) -> tuple[str, int] | None:
    """The bound given by the words that end ``before``, and where they start;
    an at_least phrase after a negation ("may not exceed") is at_most.
    A dictionary look-up by the last word, not a regex search: this runs for every number."""
    plain = _plain(before).lower()
    tail = plain.rstrip(" ")
    last = tail[tail.rfind(" ") + 1 :]
    if last in _BOUND_ARTICLES and " " in tail:  # "dépasse les 2 millions", "exceed the 40,000": the bound before the article
        found = _bound_before(tail[: tail.rfind(" ")])
        if found is not None:
            return found
    candidates = _BOUNDS_BY_LAST.get(last, ()) + _BOUNDS_BY_LAST.get(last[-1:], ()) if last else ()
    if "'" in last[:-1]:  # "d'environ", "qu'environ"
        candidates += _BOUNDS_BY_LAST.get(last[last.rfind("'") + 1 :], ())
    for phrase, bound in candidates:
        if tail.endswith(phrase):
            start = len(tail) - len(phrase)
            if start == 0 or not tail[start - 1].isalnum() or not phrase[0].isalnum():
                if bound == "at_least" and _negated(tail[:start]):
                    bound = "at_most"
                return bound, start
    # Cheap test first: a cap's connector ("to", "à", "que", "to buying") ends the words before it.
    return _cap_before(tail) if last in _CAP_LAST or last.endswith("ing") else None


_CAP_LAST = _CAP_TO | frozenset(_ONLY_AFTER_NEGATION)


def _cap_before(tail: str) -> tuple[str, int] | None:
    """A cap said by a verb and its object ("limit each buyer to 75,000",
    "plafonne chaque client à") or by a restriction ("ne pourra acquérir que
    75 000"): at_most, from the connector word; else None."""
    words = re.findall(r"[\w']+", tail.rsplit(",", 1)[-1])[-6:]
    if len(words) < 2:
        return None
    last = words[-1]
    if last in _CAP_TO and any(w in _CAP_VERBS for w in words[:-1]):
        return "at_most", len(tail) - len(last)
    if len(words) > 2 and words[-2] in _CAP_TO and words[-1].endswith("ing") and any(w in _CAP_VERBS for w in words[:-2]):
        return "at_most", len(tail) - len(last)  # "limiting Chinese firms to buying 75,000"
    if last in _ONLY_AFTER_NEGATION and any(w in _NEGATIONS or w.startswith("n'") for w in words[:-1]):
        return "at_most", len(tail) - len(last)
    return None


def _negated(before: str) -> bool:
    """Whether ``before`` ends with a negation, allowing modal or filler words
    in between: "may not", "ne peut", "must not be", "n'a pas"."""
    words = re.findall(r"[\w']+", before.rsplit(",", 1)[-1])[-5:]
    while words and words[-1] in _NEGATION_GAP:
        words.pop()

    def negation(word: str) -> bool:
        return word in _NEGATIONS or word.startswith("n'")

    # The negation just before, or one or two words before ("did not buy more than", "n'a pas acheté plus de",
    # "has not yet received a single", "n'a pas encore reçu de").
    if words and (negation(words[-1]) or (len(words) > 1 and negation(words[-2])) or (len(words) > 2 and negation(words[-3]))):
        return True
    # A negated subject, then a modal: "no customer may receive more than", "aucun client ne pourra recevoir plus de".
    negated_at = next((i for i, w in enumerate(words) if negation(w)), None)
    return negated_at is not None and any(w in _NEGATION_MODALS for w in words[negated_at + 1 :])


def _vague_run(words: str, before: str) -> bool:
    """'several hundred thousand', 'des milliards', 'hundreds of thousands':
    a scale with no count, or after a word that says 'some number of'."""
    if _WORD_SPLIT.split(words.lower().strip())[0] in _VAGUE_PLURALS:
        return True
    tail = _plain(before).lower().rstrip(" ")
    return tail.endswith(_VAGUE_PLURAL_OF) or any(tail == v or tail.endswith(" " + v) for v in _VAGUE_BEFORE)


def _word_of(token: str) -> tuple[str, str, bool]:
    """A token as :func:`_noun_after` compares it: lower case without an
    elided article ("d'unités" → "unités"), its last hyphenated part, and
    whether it holds a digit."""
    lower = token.lower().rstrip("'")
    if lower[:2] in ("d'", "l'") and len(lower) > 2:
        lower = lower[2:]
    has_digit = not lower.isalpha() and any(c.isdigit() for c in lower)
    return lower, lower.rsplit("-", 1)[-1], has_digit


def _describes_a_module(following_text: str) -> bool:
    """'chip modules', 'GPU servers', 'eight-GPU H200 module': a module noun
    within the next few capitalised or model words, so the chips describe it."""
    for following in following_text.split(" ")[1:4]:
        following = following.strip(",.;:()")
        if following.lower() in _MODULE_NOUNS:
            return True
        if not (following[:1].isupper() or any(c.isdigit() for c in following)):
            return False
    return False


def _bridges(token: str, lower: str, has_digit: bool) -> bool:
    """Whether the noun can still follow across ``token``: a function word or
    adjective of the vocabulary, a capitalised name, a model name, a
    possessive or an elided article."""
    return lower in _GAP_WORDS or token[0].isupper() or has_digit or lower.endswith("'s") or token.lower().startswith(("d'", "l'"))


def _chip_noun(following_text: str, lower: str, noun_end: int, fallback: tuple[str, int] | None) -> tuple[str, int] | None:
    """What a chip noun (``lower``) says: modules when the chips describe one,
    nothing new when a hyphen makes it a modifier ("eight-GPU"), else chips."""
    if _describes_a_module(following_text):
        return "modules", -1
    if "-" in lower and lower.split("-", 1)[0] not in _CHIP_NOUNS:
        return fallback  # "eight-GPU" describes something else
    return "chips", noun_end


def _noun_after(text: str, end: int) -> tuple[str, int] | None:
    """A chip or module noun at most a few words after ``end``, across only
    function words, adjectives of the vocabulary, capitalised names and model
    names: ("chips" or "modules", where the noun ends if it follows at once)."""
    window = _plain(text[end : end + 120])
    seen = 0
    fallback: tuple[str, int] | None = None
    first_end: int | None = None
    for match in _TOKEN.finditer(window):
        token = match.group(0)
        if not token[0].isalnum():
            return fallback  # punctuation ends the clause
        lower, head, has_digit = _word_of(token)
        noun_end = end + match.end() if seen == 0 or first_end is not None else -1  # where a noun here ends the quantity
        phrase = _PHRASE_NOUN.match(window.lower(), match.start()) if lower in _PHRASE_NOUN_FIRST else None
        if phrase:
            return _PHRASE_NOUN_UNITS[phrase.group(1)], (end + phrase.end() if noun_end != -1 else -1)
        if head in _MODULE_NOUNS or lower in _MODULE_NOUNS:
            return "modules", noun_end
        if has_digit and seen == 0 and _CHIP_MODEL.fullmatch(token):
            # "400,000 H200": chips, unless a noun follows ("400,000 H200 chips", "8 H200 servers")
            fallback = ("chips", end + match.end())
            seen += 1
            continue
        if head in _CHIP_NOUNS or lower in _CHIP_NOUNS or (has_digit and _MODEL_PLURAL.fullmatch(head)):
            return _chip_noun(window[match.end() : match.end() + 40], lower, noun_end, fallback)
        if seen >= _NOUN_REACH or lower in _CLAUSE_BREAKS or (token[0].isdigit() and not _MODEL_NAME.fullmatch(token)):
            return fallback  # too far, or the clause ends
        if lower in _OF_WORDS and seen == 0:
            first_end = end + match.end()
        elif _bridges(token, lower, has_digit):
            first_end = None if lower not in _OF_WORDS else first_end
        else:
            return fallback
        seen += 1
    return fallback


def _is_frequency(text: str, end: int) -> bool:
    """'three times this year', 'deux fois depuis', 'twice.': a count of events.
    A fragment that stops right after the word ("jusqu'à dix fois", a quote) is
    a ratio: only a sentence that ends there makes it a count."""
    following = _plain(text[end : end + 40]).lower().lstrip(" ")
    return bool(following) and (following[0] in ".;!?)" or following.startswith(_FREQUENCY_AFTER))


# --- zero: "no H200 chips", "aucune puce livrée", "so far, none" -------------


def _zero_noun_after(text: str, end: int) -> tuple[str, int] | None:
    """What a zero word quantifies: the unit and end of a chip or module noun,
    a model name ("zero H200"), a shipment noun (chips) or a revenue noun
    (money) a few words after ``end``, across the words :func:`_noun_after`
    crosses; None when the words after it name none of these."""
    window = _plain(text[end : end + 120])
    lowered = window.lower()
    fallback: tuple[str, int] | None = None
    for seen, match in enumerate(_TOKEN.finditer(window)):
        token = match.group(0)
        if not token[0].isalnum() or seen > _NOUN_REACH:
            break
        noun = _ZERO_NOUN.match(lowered, match.start())
        if noun:
            return _ZERO_NOUN_UNITS[noun.group(1)], end + noun.end()
        lower, head, has_digit = _word_of(token)
        if head in _MODULE_NOUNS or lower in _MODULE_NOUNS:
            return "modules", end + match.end()
        if head in _CHIP_NOUNS or lower in _CHIP_NOUNS or (has_digit and _MODEL_PLURAL.fullmatch(head)):
            return "chips", end + match.end()
        if has_digit and _CHIP_MODEL.fullmatch(token):
            fallback = ("chips", end + match.end())  # "zero H200", unless a noun follows ("no H200 servers")
        elif (
            lower in _CLAUSE_BREAKS or token[0].isdigit() or not (_bridges(token, lower, has_digit) or lower.endswith(_ZERO_BRIDGE_ENDINGS))
        ):
            break  # a participle may bridge too: "none of the approved chips", "aucune des puces autorisées"
    return fallback


def _names_chips(text: str) -> bool:
    """Whether ``text`` names chips: a chip noun or a model name."""
    for match in _TOKEN.finditer(text):
        lower, head, has_digit = _word_of(match.group(0))
        if head in _CHIP_NOUNS or lower in _CHIP_NOUNS or (has_digit and _CHIP_MODEL.fullmatch(match.group(0))):
            return True
    return False


def _zero_pronoun_unit(text: str, start: int, end: int) -> tuple[str | None] | None:
    """A zero that stands for its noun ("none has shipped", "aucune n'a été
    livrée", "so far, none"): its unit (chips, or None for a running count
    whose noun is not in the text), in a 1-tuple; None when it is not a count
    ("none of them commented", "pas une seule fois")."""
    after = _plain(text[end : end + 60]).lower()
    for position, match in enumerate(_TOKEN.finditer(after)):
        token = match.group(0)
        if not token[0].isalnum() or position >= 5:
            break
        if _word_of(token)[0].startswith(_ZERO_VERBS):
            return ("chips",)  # "none has shipped", "aucune n'a été livrée"
    following = after.lstrip(" ")
    anchor_after = _ZERO_ANCHORS.match(following)
    if following[:1] not in ("", ".", ";", ",", "!", "?", ")", ":", '"', "»") and anchor_after is None:
        return None
    before = _plain(text[max(0, start - 120) : start])
    anchored = anchor_after is not None or any(m.end() >= len(before.rstrip(" ,")) for m in _ZERO_ANCHORS.finditer(before))
    chips = _names_chips(before)
    if chips or anchored:
        return ("chips" if chips else None,)
    return None

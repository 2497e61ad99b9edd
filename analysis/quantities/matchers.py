"""The quantity reader's matchers, built once from the vocabulary files
(``analysis/lang/*.yaml``), and the masks that tell a number is part of
something else (a date, a time, a name). See :mod:`analysis.quantities.reader`."""

from __future__ import annotations

import re

from analysis.lang import vocabulary as vocab

__all__ = []

# --- matchers built from the vocabulary files -------------------------------

_SP = "[ \u00a0\u202f\u2009\u2007]"  # a space, NBSP, narrow NBSP, thin or figure space
_APOS = "['\u2019]"
_SPACES = " \u00a0\u202f\u2009\u2007"
_PLAIN_PAIRS = (("\u00a0", " "), ("\u202f", " "), ("\u2009", " "), ("\u2007", " "), ("\u2019", "'"), ("\u2011", "-"))


def _plain(text: str) -> str:
    """One kind of space, straight apostrophes, plain hyphens; same length.
    (Chained replace: several times faster than str.translate on short strings.)"""
    if text.isascii():
        return text
    for old, new in _PLAIN_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def _first_letters(phrases: list[str], also: str = "") -> str:
    """A lookahead on the first characters of ``phrases`` (and the class
    ``also``): it lets the regex engine skip most positions of a text at once,
    which keeps the reader fast."""
    first = sorted({p[0].lower() for p in phrases if p} | {p[0].upper() for p in phrases if p})
    return "(?=[" + also + "".join(re.escape(c) for c in first) + "])"


def _alternation(phrases: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, any space kind between words."""
    return vocab.alternation(phrases, space=_SP + "+", apostrophe=_APOS)


_NUMBER_WORDS: dict[str, dict[str, int]] = {lang: vocab.load(lang)["number_words"] for lang in vocab.LANGUAGES}
_WORD_SCALES: dict[str, float] = vocab.mapping("scale_words")
_TIGHT_SCALES: dict[str, float] = vocab.mapping("tight_scales")
_SCALES: dict[str, float] = {**_TIGHT_SCALES, **_WORD_SCALES}
_CURRENCY_ONLY = set(vocab.words("currency_only_scales"))
_ALL_NUMBER_WORDS = sorted({w for table in _NUMBER_WORDS.values() for w in table} | set(_WORD_SCALES), key=len, reverse=True)
_NUMBER_WORD = "|".join(re.escape(w) for w in _ALL_NUMBER_WORDS)
_JOINERS = "|".join(re.escape(w) for w in vocab.words("number_joiners"))
_SCALE_ARTICLES = [w for w in vocab.words("scale_articles") if w not in {x for t in _NUMBER_WORDS.values() for x in t}]
#: A scale article that is not a number word ("a" in "a million") read as its language's word for one.
_ARTICLE_AS_ONE: dict[str, str] = {
    article: next(word for word, value in _NUMBER_WORDS[language].items() if value == 1)
    for language in vocab.LANGUAGES
    for article in vocab.load(language)["scale_articles"]
    if article in _SCALE_ARTICLES
}
_SINGULAR_WORD_SCALES = vocab.alternation(_WORD_SCALES)

_DIGITS = (
    r"\d{1,3}(?:(?:" + _SP + r"\d{3})+|(?:\.\d{3})+|(?:,\d{3})+)(?![\d])(?:[.,]\d+(?!\d))?"  # 400 000 / 400.000 / 2,000,000
    r"|\d+(?:[.,]\d+)?"  # 2026, 1,5, 2.5, 989.5
)
_NUMBER_CORE = (
    r"(?:(?P<digits>"
    + _DIGITS
    + r")|(?P<words>(?:"
    + _NUMBER_WORD
    + (
        r"|(?:" + "|".join(map(re.escape, _SCALE_ARTICLES)) + r")(?=" + _SP + r"+(?:" + _SINGULAR_WORD_SCALES + r")\b)"
        if _SCALE_ARTICLES
        else ""
    )
    + r")(?:(?:[\s-]+(?:(?:"
    + _JOINERS
    + r")[\s-]+)?)(?:"
    + _NUMBER_WORD
    + r"))*)(?![\w]))"
)
_NUMBER = re.compile(r"(?<![\w.,/:])" + _first_letters([*_ALL_NUMBER_WORDS, *_SCALE_ARTICLES], r"\d") + _NUMBER_CORE, re.IGNORECASE)
# The same on lower-cased text, case-sensitive: three times as fast (the vocabulary's words are lower case).
_NUMBER_LOWER = re.compile(
    r"(?<![\w.,/:])(?=[\d"
    + "".join(sorted({re.escape(w[0].lower()) for w in [*_ALL_NUMBER_WORDS, *_SCALE_ARTICLES]}))
    + "])"
    + _NUMBER_CORE
)
_SCALE_AFTER = re.compile(
    r"(?:" + _SP + r"?(?P<tight>" + vocab.alternation(_TIGHT_SCALES) + r")\b"
    r"|(?:" + _SP + r"+|[-\u2011])(?P<word>" + _SINGULAR_WORD_SCALES + r")\b)",
    re.IGNORECASE,
)
_CURRENCIES: dict[str, str] = {}
for _language in vocab.LANGUAGES:
    for _code, _names in vocab.load(_language)["units"]["currency"].items():
        for _name in _names:
            _CURRENCIES.setdefault(_name.lower(), _code)
_SYMBOLS = [c for c in _CURRENCIES if not c.isalpha()]
# Before a number, a currency is a symbol or a three-letter code ("US$ 27,000", "RMB 1.4 million").
_CURRENCY_PREFIXES = sorted({c.upper() for c in _CURRENCIES if not c.isalpha() or len(c) == 3})
_CURRENCY_BEFORE = re.compile(r"(?:(?<![\w])(?P<cur>" + _alternation(_CURRENCY_PREFIXES) + r"))" + _SP + r"?$", re.IGNORECASE)
_CURRENCY_TAILS = tuple(_CURRENCY_PREFIXES)


def _after_word(phrases: list[str]) -> str:
    """Unit words after a number: symbols may stick to it, words need a space."""
    symbols = [p for p in phrases if not p[:1].isalpha()]
    names = [p for p in phrases if p[:1].isalpha()]
    parts = []
    if symbols:
        parts.append(_SP + r"?(?:" + _alternation(symbols) + r")(?![\w])")
    if names:
        parts.append(
            _SP + r"*(?:" + _alternation([n for n in names if len(n) <= 2]) + r")(?![\w])" if any(len(n) <= 2 for n in names) else ""
        )
        parts.append(_SP + r"+(?:" + _alternation([n for n in names if len(n) > 2]) + r")(?![\w])")
    return "|".join(p for p in parts if p)


_UNITS = {name: vocab.words("units", name) for name in ("percent", "times", "nm")}
_UNIT_AFTER = re.compile(
    r"(?:(?P<percent>" + _after_word(_UNITS["percent"]) + r")"
    r"|(?P<times>" + _after_word(_UNITS["times"]) + r")"
    r"|(?P<nm>" + _after_word(_UNITS["nm"]) + r")"
    r"|(?P<currency>"
    + _SP
    + r"?(?:"
    + _alternation(_SYMBOLS)
    + r")|"
    + _SP
    + r"+(?:(?:de"
    + _SP
    + r"+|d"
    + _APOS
    + r")?(?P<curname>"
    + _alternation([c for c in _CURRENCIES if c[:1].isalpha()])
    + r"))(?![\w])))",
    re.IGNORECASE,
)

_CHIP_NOUNS = frozenset(w.lower() for w in vocab.words("chip_nouns"))
_MODULE_NOUNS = frozenset(w.lower() for w in vocab.words("module_nouns"))
# Nouns of several words ("cartes accélératrices", "modules de calcul", "carte mère"): matched as phrases, before
# their first word is read alone ("modules de calcul" are chips, "modules" are not).
_PHRASE_NOUN_UNITS = {n: "chips" for n in _CHIP_NOUNS if " " in n} | {n: "modules" for n in _MODULE_NOUNS if " " in n}
_PHRASE_NOUN_FIRST = frozenset(n.split(" ", 1)[0] for n in _PHRASE_NOUN_UNITS)
_ELISIONS = vocab.alternation(vocab.words("elisions"))  # "d'", "l'": a noun's elided article
_PHRASE_NOUN = re.compile(r"(?:" + _ELISIONS + r")?(" + vocab.alternation(_PHRASE_NOUN_UNITS) + r")(?![\w'])")
_GAP_WORDS = frozenset(w.lower() for w in vocab.words("noun_gap_words"))
_CLAUSE_BREAKS = frozenset(w.lower() for w in vocab.words("clause_breaks"))
_NOUN_REACH = max(int(vocab.load(lang)["chip_noun_reach"]) for lang in vocab.LANGUAGES)
_MODEL_PLURAL = re.compile(r"[a-z]{1,3}\d{2,4}[a-z]{0,2}s", re.IGNORECASE)  # H200s, MI325Xs
_CHIP_MODEL = re.compile(r"[A-Z]{1,3}\d{2,4}[A-Z]{0,2}|\d{3,4}[A-Z]{1,2}")  # H200, B200, MI325X, 910C: a chip right after a count
_MODEL_NAME = re.compile(r"[A-Za-z]*\d+[A-Za-z]*|[A-Z][\w'.-]*")  # H200, 910C, Nvidia's, AI
_TOKEN = re.compile(r"[^\s,;:.!?()\[\]«»\"]+|[,;:.!?()\[\]«»\"]")
_OF_WORDS = frozenset({"de", "d'", "of", "des"})
_COMPOSITION_WORDS = frozenset(w.lower() for w in vocab.words("composition_words"))
_COMPOSITION = re.compile(
    r"(?<![\w])(?:"
    + vocab.alternation(_MODULE_NOUNS)
    + r")"
    + r"(?:"
    + _SP
    + r"+[A-Z0-9][\w-]*){0,2}"
    + _SP
    + r"+(?:"
    + vocab.alternation(vocab.words("composition_words"))
    + r")"
    + _SP
    + r"+$",
    re.IGNORECASE,
)

_BOUND_PHRASES: list[tuple[str, str]] = sorted(
    [(phrase.lower().replace("\u2019", "'"), kind) for kind in ("at_least", "at_most", "approx") for phrase in vocab.words("bounds", kind)],
    key=lambda item: -len(item[0]),
)
_BOUNDS_BY_LAST: dict[str, tuple[tuple[str, str], ...]] = {}
for _phrase, _kind in _BOUND_PHRASES:  # longest first within each list
    _key = _phrase[_phrase.rfind(" ") + 1 :] if _phrase[-1:].isalnum() or _phrase.endswith(("'", ".")) else _phrase[-1:]
    _BOUNDS_BY_LAST[_key] = _BOUNDS_BY_LAST.get(_key, ()) + ((_phrase, _kind),)
_NEGATIONS = frozenset(vocab.words("negations"))
_NEGATION_MODALS = frozenset(vocab.words("negation_modals"))
_BOUND_ARTICLES = frozenset(vocab.words("bound_articles"))
_RATIO_BEFORE = frozenset(vocab.words("ratio_before"))
_CAP_VERBS = frozenset(vocab.words("cap_verbs"))
_CAP_TO = frozenset(vocab.words("cap_to"))
_ONLY_AFTER_NEGATION = tuple(vocab.words("only_after_negation"))
_BOUND_AFTER = re.compile(
    r"(?:" + _SP + r"+|-)(?:" + _alternation(vocab.words("bounds_after", "at_most")) + r")(?![\w])",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_NEGATION_GAP = frozenset(vocab.words("negation_gap"))
_VAGUE_BEFORE = tuple(sorted(vocab.words("vague_before"), key=len, reverse=True))
_VAGUE_PLURALS = frozenset(vocab.words("vague_plural_scales"))
_VAGUE_PLURAL_OF = tuple(f"{plural} {of}" for plural in _VAGUE_PLURALS for of in ("of", "de"))  # "centaines de mille"
_BOTH = tuple(vocab.words("both_before"))
_FREQUENCY_AFTER = tuple(vocab.words("frequency_after"))
_MODEL_FAMILIES = frozenset(vocab.words("model_families"))
_HALF = tuple(vocab.words("half_words"))

_AMBIGUOUS_MONTHS = set(vocab.words("ambiguous_months"))
_MONTH_LIST = [m for m in vocab.words("months") + vocab.words("month_abbreviations") if m not in _AMBIGUOUS_MONTHS]
_MONTHS_RE = vocab.alternation(_MONTH_LIST)
_CAP_MONTHS_RE = "|".join(re.escape(m.capitalize()) + "|" + re.escape(m.upper()) for m in sorted(_AMBIGUOUS_MONTHS, key=len, reverse=True))
_MONTH_WORDS = frozenset(_MONTH_LIST)
_ORDINALS = vocab.alternation(vocab.words("ordinal_suffixes"))
_ISO_DATE_HEAD = re.compile(r"\b\d{4}-(?:\d{2}-)?$")
_TIGHT_UNIT_LETTERS = "|".join(sorted({"nm", "x", "pc"} | {k for k in _TIGHT_SCALES}, key=len, reverse=True))

_MASK_AFTER = re.compile(
    r"(?:"
    + _SP
    + r"*(?i:er|ère)?"
    + _SP
    + r"+(?:(?i:"
    + _MONTHS_RE
    + r")"
    + (r"|" + _CAP_MONTHS_RE if _CAP_MONTHS_RE else "")
    + r")\b)"  # 28 janvier, 28 May
    r"|(?:"
    + _SP
    + r"*[-\u2013\u2014]"
    + _SP
    + r"*|"
    + _SP
    + r"+(?i:et|and|to|au|à)"
    + _SP
    + r"+)\d{1,2}"
    + _SP
    + r"*(?i:"
    + _MONTHS_RE
    + r")\b"
    # the first day of "14-15 mai", "les 10 et 11 mars"
    r"|[/.]\d{1,2}(?:[/.]\d{2,4})?\b|-\d{2}-\d{2}\b"  # 28/01/2026, 24/7, 2026-01-28
    r"|[:h]\d{2}\b|:\d\b|(?i:" + _SP + r"?(?:am|pm|a\.m\.|p\.m\.)(?![\w]))"  # 11:31, 11h31, 10 a.m.
    r"|\.[A-Z]{1,3}\b"  # tickers 0700.HK, 9988.HK
    r"|(?i:(?:" + _ORDINALS + r")\b)"  # ordinals: 2e, 1er, 2nd
    r"|(?!(?i:" + _TIGHT_UNIT_LETTERS + r")\b)[A-Za-z]"  # names: 910C, 4N, 5G (not 5nm, 6x, 10bn)
)
_DURATION_AFTER = re.compile(_SP + r"+(?:" + _alternation(vocab.words("duration_nouns")) + r")(?![\w])", re.IGNORECASE)
_FREQUENCY_VERBS = tuple(vocab.words("frequency_verbs"))
_TIMES_BEFORE = tuple(sorted((p.lower() for p in vocab.words("times_before")), key=len, reverse=True))
_VAGUE_PLURAL_VALUES: dict[str, float] = {k: float(v) for k, v in vocab.mapping("vague_plural_scales").items()}
_MONEY_FOLLOWERS = frozenset(vocab.words("money_followers"))
_IMPLIED_CURRENCY = str(vocab.agreed("implied_currency"))
_CONVERSION_OPENERS = "|".join(
    re.escape(w).replace(r"\ ", _SP + "+") for w in sorted(vocab.words("conversion_openers"), key=len, reverse=True)
)
# Between a money amount and the next number: " (~RM ", " deal (about €", " (": the next number converts the first.
_CONVERSION = re.compile(
    r"[^()\d.;:]{0,30}\(" + _SP + r"*(?:(?i:" + _CONVERSION_OPENERS + r")" + _SP + r"*)?(?:[A-Z]{1,3}\$?|[$€¥£])?" + _SP + r"*"
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _masked_by_what_precedes(before: str) -> bool:
    """A month name (January 28, May 28, janv. 28), a product family (Ascend
    950), a name (COVID-19, H-200), the month and day of 2026-01-28."""
    if before.endswith(("-", "\u2011")):
        return len(before) > 1 and (before[-2].isalpha() or bool(_ISO_DATE_HEAD.search(before)))
    tail = before.rstrip(_SPACES)
    if len(tail) == len(before) or tail.endswith(","):
        return False  # "as of 24 February, 12,000 chips": a comma ends the date
    last_word = tail[max(tail.rfind(" "), tail.rfind("\u00a0")) + 1 :].rstrip(".,")
    lower = last_word.lower()
    if lower in _MONTH_WORDS or lower in _MODEL_FAMILIES:
        return True
    return lower in _AMBIGUOUS_MONTHS and last_word[:1].isupper()


def _is_masked(text: str, start: int, end: int, urls: list[tuple[int, int]]) -> bool:
    """Whether the number at ``text[start:end]`` is part of a date, a time, a
    ticker, an ordinal, a name or a URL rather than a count."""
    if urls and any(s < end and e > start for s, e in urls):
        return True
    return bool(_MASK_AFTER.match(text, end)) or _masked_by_what_precedes(text[max(0, start - 24) : start])


# --- zero: "no H200 chips", "aucune puce livrée", "so far, none" -------------


def _word_phrases(phrases: list[str]) -> re.Pattern[str]:
    """Whole-word phrases, longest first, any space kind between words."""
    return re.compile(r"(?<![\w'\u2019])" + _first_letters(phrases) + "(?:" + _alternation(phrases) + r")(?![\w'\u2019-])", re.IGNORECASE)


_ZERO_DETERMINERS = frozenset(w.lower() for w in vocab.words("zero", "determiners"))
_ZERO_AFTER_NEGATION = frozenset(w.lower() for w in vocab.words("zero", "after_negation"))
_ZERO_PRONOUNS = frozenset(w.lower() for w in vocab.words("zero", "pronouns"))
_ZERO_WORDS = _word_phrases(sorted(_ZERO_DETERMINERS | _ZERO_AFTER_NEGATION | _ZERO_PRONOUNS))
# "a quarter of", "la moitié des": a share, in percent.
_FRACTIONS: dict[str, float] = {k.lower(): float(v) for k, v in vocab.mapping("fractions").items()}
# "une dizaine de", "a dozen": a number word that stands for a count, with the bound its language gives it.
_APPROXIMATE: dict[str, tuple[float, str]] = {}
_APPROXIMATE_PHRASES: list[str] = []
for _language in vocab.LANGUAGES:
    _approximate = vocab.load(_language)["approximate_numbers"]
    for _word, _value in _approximate["words"].items():
        _APPROXIMATE.setdefault(_word.lower(), (float(_value), str(_approximate["bound"])))
        _APPROXIMATE_PHRASES += [f"{_at} {_word}" for _at in _approximate["at"]]
_APPROXIMATE_OF = re.compile(_SP + r"+(?:of|de|des)(?![\w])|" + _SP + r"*d" + _APOS, re.IGNORECASE)
_FRACTION_EXCLUDED_BEFORE = frozenset(vocab.words("fraction_excluded_before"))
# The amounts said in words alone (zero, fraction, approximate number), in one scan of their own: merged into the
# number matcher they would slow every position of the text. The lookahead comes first: it is the cheap test.
_AMOUNT_PHRASES = sorted(_ZERO_DETERMINERS | _ZERO_AFTER_NEGATION | _ZERO_PRONOUNS | set(_FRACTIONS) | set(_APPROXIMATE_PHRASES))
_WORD_AMOUNTS_BODY = (
    r"(?<![\w])(?:(?P<fraction>"
    + _alternation(list(_FRACTIONS))
    + r")|(?P<approximate>"
    + _alternation(_APPROXIMATE_PHRASES)
    + r")|(?P<zero>"
    + _alternation(sorted(_ZERO_DETERMINERS | _ZERO_AFTER_NEGATION | _ZERO_PRONOUNS))
    + r"))(?![\w'\u2019-])"
)
_WORD_AMOUNTS = re.compile(_first_letters(_AMOUNT_PHRASES) + _WORD_AMOUNTS_BODY, re.IGNORECASE)
# The same on lower-cased text, case-sensitive, behind a lookahead on the phrases' first two characters: about
# twice as fast (the phrases are lower case).
_WORD_AMOUNTS_LOWER = re.compile(
    "(?=" + "|".join(re.escape(p).replace(r"\ ", _SP) for p in sorted({p[:2] for p in _AMOUNT_PHRASES})) + ")" + _WORD_AMOUNTS_BODY
)
# Nouns of more than one word ("carte graphique", "graphics processing units") are matched as phrases.
_ZERO_NOUN_UNITS: dict[str, str] = {n.lower(): "chips" for n in vocab.words("chip_nouns") if " " in n}
_ZERO_NOUN_UNITS.update({n.lower(): "modules" for n in vocab.words("module_nouns") if " " in n})
for _language in vocab.LANGUAGES:
    _zero = vocab.load(_language)["zero"]
    for _noun in _zero["nouns"]["chips"]:
        _ZERO_NOUN_UNITS.setdefault(_noun.lower(), "chips")
    for _noun in _zero["nouns"]["money"]:
        _ZERO_NOUN_UNITS.setdefault(_noun.lower(), str(vocab.load(_language)["implied_currency"]))
_ZERO_NOUN = re.compile(
    r"(?:"
    + _ELISIONS
    + "|"
    + vocab.alternation(f"{word} " for word in vocab.words("partitives"))
    + r")?("
    + vocab.alternation(_ZERO_NOUN_UNITS)
    + r")(?![\w'])"
)
_ZERO_VERBS = tuple(w.lower() for w in vocab.words("zero", "verbs"))
_ZERO_NEGATING = _word_phrases(vocab.words("zero", "negating"))
# Cheap test before reading a negation: a negation word must stand in the words before ("pas", "n'", "not").
_NEGATION_NEAR = re.compile(
    r"(?<![\w])(?:" + _alternation([w for w in vocab.words("negations") if not w.endswith("'")]) + r")(?![\w])|(?<![\w])n" + _APOS
)
_ZERO_BRIDGE_ENDINGS = tuple(vocab.words("zero", "bridge_endings"))
_ZERO_ANCHORS = _word_phrases(vocab.words("zero", "anchors"))


# --- money words: the currency a clause implies --------------------------------

_MONEY_WORDS = _word_phrases(vocab.words("money_words"))
_CURRENCY_NAMES = _word_phrases([c for c in _CURRENCIES if c[:1].isalpha()])

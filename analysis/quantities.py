"""A French and English number reader for news prose.

``parse_quantity(text)`` reads one phrase; ``find_quantities(text)`` finds every
quantity in a text, with character offsets into it. A :class:`Quantity` has a
value, a unit (``chips, modules, USD, CNY, EUR, percent, times, nm`` or None
for a bare count), a bound (``exact, at_least, at_most, approx``), whether it
is ``vague`` ("several hundred thousand", "des milliards de") and the span it
covers, bound and unit words included. The text may be French or English;
no function here raises on any string.

All language knowledge (number words, scales, bound phrases, units, nouns,
months, model families…) is data in ``analysis/lang/en.yaml`` and ``fr.yaml``
(:mod:`analysis.vocabulary`); this module only builds matchers from it. The
value of a spelled-out number is computed by ``text2num`` (a maintained
French/English parser), which also refuses ill-formed runs ("deux trois").

How a text is read (:func:`_read_at` runs each stage as a small function;
a filter applies as soon as what it looks at is known):

1. **Masks.** A number is skipped when what stands just before or after it
   makes it part of something else: URLs, dates (``28 janvier 2026``,
   ``May 28``, ``28 janv.``, ``28/01/2026``, ``2026-01-28``), times (``11:31``,
   ``11h31``, ``10 a.m.``), tickers (``0700.HK``), ordinals (``2e``, ``2nd``),
   names that mix letters and digits (``H200``, ``Ascend 910C``, ``COVID-19``)
   and model numbers after a product family (``Ascend 950``) — except a
   process node such as ``5nm``, which is a quantity in ``nm``.
2. **Numbers.** Digits with thousands separators (space, NBSP, narrow NBSP,
   thin space, dot, comma) and a decimal comma or dot, or numbers in words. A
   comma or dot followed by exactly three digits is a thousands separator;
   malformed groups (``1,250,50``) are not numbers.
3. **Scale** (``mille, millions, milliards, thousand, billion, k, bn``;
   ``m``/``Md`` only with a currency), also hyphenated (``2-million-unit``).
   ``billion`` is 10⁹, its English and news sense.
4. **Unit**, right after the number: percent, times, nm (``nanomètres``),
   currency (before or after); else a chip noun (``H200s``, ``superpuces``) or a
   module noun (``modules``, ``servers``: counted as ``modules``, never as
   chips) up to a few words later, across only function words, adjectives of
   the vocabulary, capitalised names and model names.
5. **Bound**, from the words just before the number; an ``at_least`` phrase
   after a negation (``may not exceed``, ``ne peut dépasser``) is a cap,
   ``at_most``; the top of a range keeps the range's ``approx``.
6. **Filters.** A bare year (1900–2100); a spelled number below two with no
   scale (``un``, ``une``, ``one``), whatever follows: "one percent" and "une
   puce" give nothing, since in news prose these are articles far more often
   than counts; "les deux"/"both"; a frequency ("three times this year"); a
   number-noun modifier ("eight-GPU module", "five-year plan"); a make-up
   ("modules de huit puces", "servers with 8 GPUs").
7. **Ranges.** In ``40,000-80,000 chips`` or ``20 à 25 %`` the first number takes
   the unit (and scale) of the second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

from analysis import vocabulary as vocab

UNITS: tuple[str, ...] = ("chips", "modules", "USD", "CNY", "EUR", "percent", "times", "nm")
BOUNDS: tuple[str, ...] = ("exact", "at_least", "at_most", "approx")


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text: ``text == source[start:end]``. A vague
    quantity ("several hundred thousand") carries the least value it can mean
    and must not feed a figure."""

    value: float
    unit: str | None
    bound: str
    start: int
    end: int
    text: str
    vague: bool = False


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


def _alternation(phrases: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, any space kind between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", _SP + "+").replace("'", _APOS) for p in ordered)


_NUMBER_WORDS: dict[str, dict[str, int]] = {lang: vocab.load(lang)["number_words"] for lang in vocab.LANGUAGES}
_WORD_SCALES: dict[str, float] = vocab.mapping("scale_words")
_TIGHT_SCALES: dict[str, float] = vocab.mapping("tight_scales")
_SCALES: dict[str, float] = {**_TIGHT_SCALES, **_WORD_SCALES}
_CURRENCY_ONLY = set(vocab.words("currency_only_scales"))
_ALL_NUMBER_WORDS = sorted({w for table in _NUMBER_WORDS.values() for w in table} | set(_WORD_SCALES), key=len, reverse=True)
_NUMBER_WORD = "|".join(re.escape(w) for w in _ALL_NUMBER_WORDS)
_JOINERS = "|".join(re.escape(w) for w in vocab.words("number_joiners"))
_SCALE_ARTICLES = [w for w in vocab.words("scale_articles") if w not in {x for t in _NUMBER_WORDS.values() for x in t}]
_SINGULAR_WORD_SCALES = "|".join(re.escape(w) for w in sorted(_WORD_SCALES, key=len, reverse=True))

_DIGITS = (
    r"\d{1,3}(?:(?:" + _SP + r"\d{3})+|(?:\.\d{3})+|(?:,\d{3})+)(?![\d])(?:[.,]\d+(?!\d))?"  # 400 000 / 400.000 / 2,000,000
    r"|\d+(?:[.,]\d+)?"  # 2026, 1,5, 2.5, 989.5
)
_NUMBER = re.compile(
    r"(?<![\w.,/:])(?:(?P<digits>"
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
    + r"))*)(?![\w]))",
    re.IGNORECASE,
)
_SCALE_AFTER = re.compile(
    r"(?:" + _SP + r"?(?P<tight>" + "|".join(map(re.escape, sorted(_TIGHT_SCALES, key=len, reverse=True))) + r")\b"
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
    + "|".join(re.escape(n) for n in sorted(_MODULE_NOUNS, key=len, reverse=True))
    + r")"
    + r"(?:"
    + _SP
    + r"+[A-Z0-9][\w-]*){0,2}"
    + _SP
    + r"+(?:"
    + "|".join(re.escape(w) for w in sorted(vocab.words("composition_words"), key=len, reverse=True))
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
_MONTHS_RE = "|".join(re.escape(m) for m in sorted(_MONTH_LIST, key=len, reverse=True))
_CAP_MONTHS_RE = "|".join(re.escape(m.capitalize()) + "|" + re.escape(m.upper()) for m in sorted(_AMBIGUOUS_MONTHS, key=len, reverse=True))
_MONTH_WORDS = frozenset(_MONTH_LIST)
_ORDINALS = "|".join(re.escape(s) for s in sorted(vocab.words("ordinal_suffixes"), key=len, reverse=True))
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
    r"|[/.]\d{1,2}(?:[/.]\d{2,4})?\b|-\d{2}-\d{2}\b"  # 28/01/2026, 24/7, 2026-01-28
    r"|[:h]\d{2}\b|(?i:" + _SP + r"?(?:am|pm|a\.m\.|p\.m\.)(?![\w]))"  # 11:31, 11h31, 10 a.m.
    r"|\.[A-Z]{1,3}\b"  # tickers 0700.HK, 9988.HK
    r"|(?i:(?:" + _ORDINALS + r")\b)"  # ordinals: 2e, 1er, 2nd
    r"|(?!(?i:" + _TIGHT_UNIT_LETTERS + r")\b)[A-Za-z]"  # names: 910C, 4N, 5G (not 5nm, 6x, 10bn)
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _masked_by_what_precedes(before: str) -> bool:
    """A month name (January 28, May 28, janv. 28), a product family (Ascend
    950), a name (COVID-19, H-200), the month and day of 2026-01-28."""
    if before.endswith(("-", "\u2011")):
        return len(before) > 1 and (before[-2].isalpha() or bool(_ISO_DATE_HEAD.search(before)))
    tail = before.rstrip(_SPACES)
    if len(tail) == len(before):
        return False
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
        tokens[0] = "one"
    if len(tokens) == 1 and tokens[0] in _WORD_SCALES:
        return float(_WORD_SCALES[tokens[0]])  # "millions", "milliers": a scale alone (vague, see _vague_run)
    for language in vocab.LANGUAGES:
        known = set(_NUMBER_WORDS[language]) | set(vocab.load(language)["scale_words"]) | set(vocab.load(language)["number_joiners"])
        if language == "en":
            known.add("one")
        if all(t in known for t in tokens):
            try:
                return float(text2num(" ".join(tokens) if language == "en" else "-".join(tokens).replace("-et-", " et "), language))
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
    return None


def _negated(before: str) -> bool:
    """Whether ``before`` ends with a negation, allowing modal or filler words
    in between: "may not", "ne peut", "must not be", "n'a pas"."""
    words = re.findall(r"[\w']+", before.rsplit(",", 1)[-1])[-5:]
    while words and words[-1] in _NEGATION_GAP:
        words.pop()

    def negation(word: str) -> bool:
        return word in _NEGATIONS or word.startswith("n'")

    # The negation just before, or one verb before ("did not buy more than", "n'a pas acheté plus de").
    return bool(words) and (negation(words[-1]) or (len(words) > 1 and negation(words[-2])))


def _vague_run(words: str, before: str) -> bool:
    """'several hundred thousand', 'des milliards', 'hundreds of thousands':
    a scale with no count, or after a word that says 'some number of'."""
    if _WORD_SPLIT.split(words.lower().strip())[0] in _VAGUE_PLURALS:
        return True
    tail = _plain(before).lower().rstrip(" ")
    return tail.endswith(_VAGUE_PLURAL_OF) or any(tail == v or tail.endswith(" " + v) for v in _VAGUE_BEFORE)


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
        lower = token.lower().rstrip("'")
        if lower[:2] in ("d'", "l'") and len(lower) > 2:
            lower = lower[2:]  # "d'unités", "l'unité"
        has_digit = not lower.isalpha() and any(c.isdigit() for c in lower)
        head = lower.rsplit("-", 1)[-1] if "-" in lower else lower
        if head in _MODULE_NOUNS or lower in _MODULE_NOUNS:
            return "modules", (end + match.end() if seen == 0 or first_end is not None else -1)
        if has_digit and seen == 0 and _CHIP_MODEL.fullmatch(token):
            # "400,000 H200": chips, unless a noun follows ("400,000 H200 chips", "8 H200 servers")
            fallback = ("chips", end + match.end())
            seen += 1
            continue
        if head in _CHIP_NOUNS or lower in _CHIP_NOUNS or (has_digit and _MODEL_PLURAL.fullmatch(head)):
            # "chip modules", "GPU servers", "eight-GPU H200 module": the chips describe a module.
            for following in window[match.end() : match.end() + 40].split(" ")[1:4]:
                following = following.strip(",.;:()")
                if following.lower() in _MODULE_NOUNS:
                    return "modules", -1
                if not (following[:1].isupper() or any(c.isdigit() for c in following)):
                    break
            if "-" in lower and lower.split("-", 1)[0] not in _CHIP_NOUNS:
                return fallback  # "eight-GPU" describes something else
            return "chips", (end + match.end() if seen == 0 or first_end is not None else -1)
        if lower in _CLAUSE_BREAKS or (token[0].isdigit() and not _MODEL_NAME.fullmatch(token)):
            return fallback
        if seen >= _NOUN_REACH:
            return fallback
        if lower in _OF_WORDS and seen == 0:
            first_end = end + match.end()
        elif not (lower in _GAP_WORDS or token[0].isupper() or has_digit or lower.endswith("'s") or token.lower().startswith(("d'", "l'"))):
            return fallback
        else:
            first_end = None if lower not in _OF_WORDS else first_end
        seen += 1
    return fallback


def _is_frequency(text: str, end: int) -> bool:
    """'three times this year', 'deux fois depuis', 'twice.': a count of events.
    A fragment that stops right after the word ("jusqu'à dix fois", a quote) is
    a ratio: only a sentence that ends there makes it a count."""
    following = _plain(text[end : end + 40]).lower().lstrip(" ")
    return bool(following) and (following[0] in ".;!?)" or following.startswith(_FREQUENCY_AFTER))


@dataclass
class _Reading:
    """A quantity while :func:`_read_at` reads it: each stage moves its span or
    sets its value, unit and flags."""

    start: int
    end: int
    value: float
    words: str | None  # the number in words, or None for digits
    before: str  # up to 60 characters before ``start``
    separated: bool = False  # digits with a thousands separator
    has_scale_word: bool = False
    vague: bool = False
    unit: str | None = None


def _is_make_up(text: str, start: int) -> bool:
    """'modules de huit puces', 'servers with 8 GPUs': a make-up, not a count."""
    return bool(
        text[start - 1 : start] == " "
        and text[max(0, start - 14) : start - 1].rsplit(" ", 1)[-1].lower() in _COMPOSITION_WORDS
        and _COMPOSITION.search(text, max(0, start - 40), start)
    )


def _read_number(text: str, match: re.Match[str]) -> _Reading | None:
    """Stage 2: the number's value, from its words or digits; None when it is
    not a count ("un feu vert", "les deux types", a malformed group)."""
    start, end = match.start(), match.end()
    before = text[max(0, start - 60) : start]
    words = match.group("words")
    if words is None:
        read = _digits_value(match.group("digits"))
        return None if read is None else _Reading(start, end, read[0], None, before, separated=read[1])
    value = _words_value(words)
    if value is None:
        return None
    has_scale_word = any(w in _WORD_SCALES for w in _WORD_SPLIT.split(words.lower()))
    if value < 2 and not has_scale_word and not _SCALE_AFTER.match(text, end):
        return None  # "un feu vert", "one of them", "une fois", "one percent": articles, not counts
    lowered = _plain(before + words).lower()
    if any(lowered.endswith(b) and (len(lowered) == len(b) or not lowered[-len(b) - 1].isalnum()) for b in _BOTH):
        return None  # "les deux types", "the two sides": "both", not a count
    vague = has_scale_word and _vague_run(words, before)
    return _Reading(start, end, value, words, before, has_scale_word=has_scale_word, vague=vague)


def _take_half(reading: _Reading) -> None:
    """'half a million': halve the value and take 'half' into the span."""
    if reading.words is None or reading.words.split(" ")[0].lower() not in _SCALE_ARTICLES:
        return
    plain_before = _plain(reading.before).lower()
    for half in _HALF:
        if plain_before.endswith(half + " "):
            reading.value /= 2
            reading.start -= len(half) + 1
            reading.before = reading.before[: -(len(half) + 1)]
            return


def _take_currency_before(text: str, reading: _Reading) -> None:
    """'$10', 'US$ 5': a currency sign or name before the number."""
    # Cheap check first: the regex search runs only when the last character could match.
    if not reading.before.rstrip(_SPACES).upper().endswith(_CURRENCY_TAILS):
        return
    currency_before = _CURRENCY_BEFORE.search(reading.before)
    if currency_before:
        reading.unit = _CURRENCIES[currency_before.group("cur").lower().replace("\u00a0", " ").strip()]
        reading.start -= len(currency_before.group(0))
        reading.before = text[max(0, reading.start - 60) : reading.start]


def _take_scale(text: str, reading: _Reading) -> None:
    """Stage 3: a scale after the number ('2 millions', '$10bn'); 'm'/'Md'
    scale only a currency amount ('$10m', '3 Md€'; '5 m' alone is metres)."""
    scale = _SCALE_AFTER.match(text, reading.end)
    if scale is None:
        return
    if (scale.group("tight") or "").lower() in _CURRENCY_ONLY and reading.unit is None:
        following = _UNIT_AFTER.match(text, scale.end())
        if not (following and following.group("currency")):
            return
    reading.value *= _SCALES[(scale.group("tight") or scale.group("word")).lower()]
    reading.end = scale.end()
    reading.has_scale_word = True


def _take_compound(text: str, reading: _Reading) -> bool:
    """A number-noun compound: 'a 2-million-unit order' counts chips; False
    for a modifier ('eight-GPU module', 'five-year plan'), not a quantity."""
    compound = _noun_after(text, reading.end + 1)
    head_match = _WORD.match(text, reading.end + 1)
    head = head_match.group(0).lower() if head_match else ""
    if compound and compound[0] == "chips" and (head in _CHIP_NOUNS or _MODEL_PLURAL.fullmatch(head)) and compound[1] != -1:
        reading.unit, reading.end = "chips", compound[1]
        return True
    return False


def _take_unit_after(text: str, reading: _Reading, after: re.Match[str]) -> bool:
    """A unit word or sign right after the number: percent, times, nm, a
    currency; False for a frequency ('three times this year')."""
    if after.group("percent"):
        reading.unit = "percent"
    elif after.group("times"):
        word = after.group(0).strip(_SPACES)
        if word[:1].isalpha() and len(word) > 1 and _is_frequency(text, after.end()):
            return False  # "three times this year": visits, not a ratio
        reading.unit = "times"
    elif after.group("nm"):
        reading.unit = "nm"
    elif reading.unit is None:
        symbol = (after.group("curname") or after.group("currency")).strip(_SPACES).lower()
        reading.unit = _CURRENCIES.get(re.sub(_SP + "+", " ", symbol))
    reading.end = after.end()
    return True


def _take_unit(text: str, reading: _Reading) -> bool:
    """Stage 4: the unit after the number (hyphenated, a word or sign, or a
    chip or module noun a few words on); False when what follows shows it is
    not a quantity."""
    end = reading.end
    if text[end : end + 1] in ("-", "\u2011"):
        hyphen_unit = _UNIT_AFTER.match(" " + text[end + 1 : end + 40])
        if hyphen_unit and hyphen_unit.group("nm"):
            reading.unit, reading.end = "nm", end + hyphen_unit.end()  # "a 3-nanometre node"
            return True
        if text[end + 1 : end + 2].isalpha():
            return _take_compound(text, reading)
    after = _UNIT_AFTER.match(text, end)
    if after:
        return _take_unit_after(text, reading, after)
    if reading.unit is None:
        noun = _noun_after(text, end)
        if noun:
            reading.unit = noun[0]
            if noun[1] != -1:
                reading.end = noun[1]
    return True


def _is_filtered(text: str, reading: _Reading, number_end: int) -> bool:
    """Stage 6: a spelled 'one' without unit or scale; a bare year ('in 2025',
    '2025 H20 sales')."""
    if reading.words is not None:
        return reading.value < 2 and not reading.has_scale_word and reading.unit is None
    return (
        not reading.has_scale_word
        and not reading.separated
        and 1900 <= reading.value <= 2100
        and float(reading.value).is_integer()
        and (reading.unit is None or (reading.unit == "chips" and bool(_CHIP_MODEL.match(text[number_end:].lstrip(_SPACES)))))
    )


def _read_at(text: str, match: re.Match[str], urls: list[tuple[int, int]]) -> Quantity | None:
    """The quantity whose number ``match`` found, or None: the stages of the
    module docstring, each a function that reads or moves one part."""
    if _is_masked(text, match.start(), match.end(), urls) or _is_make_up(text, match.start()):
        return None
    reading = _read_number(text, match)
    if reading is None:
        return None
    _take_half(reading)
    _take_currency_before(text, reading)
    _take_scale(text, reading)
    number_end = reading.end
    if not _take_unit(text, reading) or _is_filtered(text, reading, number_end):
        return None
    bound = "exact"
    found_bound = _bound_before(reading.before)
    if found_bound:  # stage 5, with the span widened to the bound's words
        bound, phrase_start = found_bound
        reading.start -= len(reading.before) - phrase_start
    if reading.vague and bound == "exact":
        bound = "at_least"
    start, end = reading.start, reading.end
    return Quantity(
        value=float(reading.value), unit=reading.unit, bound=bound, start=start, end=end, text=text[start:end], vague=reading.vague
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order, without overlaps (see the module
    docstring for the rules). Offsets index into ``text`` as given. Never
    raises on a string: what cannot be read is not a quantity."""
    if not isinstance(text, str) or not text:
        return []
    urls = [m.span() for m in _URL.finditer(text)] if ("http" in text or "www." in text) else []
    found: list[Quantity] = []
    last_end = -1
    for match in _NUMBER.finditer(text):
        if match.start() < last_end:
            continue
        quantity = _read_at(text, match, urls)
        if quantity is None or quantity.start < last_end:
            continue
        found.append(quantity)
        last_end = quantity.end
    return _share_range_units(text, found)


_RANGE_WORDS = set(vocab.words("range_words"))
_SCALE_IN = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, sorted(_SCALES, key=len, reverse=True))) + r")(?![\w])", re.IGNORECASE)


def _share_range_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """In '40,000-80,000 chips' or '20 à 25 %', give the first number the
    second's unit; in '1,5 à 2 millions', its scale too; in 'environ 5 000 à
    10 000', the top keeps the range's approx."""
    result = list(found)
    for index in range(len(result) - 1):
        first, second = result[index], result[index + 1]
        if text[first.end : second.start].strip(_SPACES + "\u2011") not in _RANGE_WORDS:
            continue
        if first.bound == "approx" and second.bound == "exact":
            result[index + 1] = second = Quantity(second.value, second.unit, "approx", second.start, second.end, second.text, second.vague)
        if first.unit is not None or second.unit is None:
            continue
        value = first.value
        second_scale = _SCALE_IN.search(second.text)
        if second_scale and not _SCALE_IN.search(first.text):
            scale = second_scale.group(1).lower()
            if scale not in _CURRENCY_ONLY or second.unit in ("USD", "EUR", "CNY"):
                value *= _SCALES[scale]
        result[index] = Quantity(value, second.unit, first.bound, first.start, first.end, first.text, first.vague)
    return result


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in a phrase (e.g. ``"plus de 400 000 puces H200"``),
    or None when it holds none."""
    found = find_quantities(text)
    return found[0] if found else None

"""A French and English number reader for news prose.

``parse_quantity(text)`` reads one phrase; ``find_quantities(text)`` finds every
quantity in a text, with character offsets into it. A :class:`Quantity` has a
value, a unit (``chips, USD, CNY, EUR, percent, times, nm`` or None for a bare
count), a bound (``exact, at_least, at_most, approx``) and the span it covers,
bound and unit words included.

How a text is read, in order:

1. **Masks.** A number is skipped when what stands just before or after it
   makes it part of something else: URLs, dates (``28 janvier 2026``, ``January 28``, ``28/01/2026``,
   ``2026-01-28``), times (``11:31``, ``11h31``, ``10 a.m.``), tickers
   (``0700.HK``, ``NVDA.O``), ordinals (``2e``, ``1er``, ``2nd``) and names that
   mix letters and digits (``H200``, ``MI325X``, ``Ascend 910C``, ``Q2``,
   ``COVID-19``) — except a process node such as ``5nm``, which is a quantity
   in ``nm``.
2. **Numbers.** Digits with thousands separators (space, NBSP U+00A0, narrow
   NBSP U+202F, thin space, dot, comma) and a decimal comma or dot
   (``400 000``, ``400.000``, ``2,000,000``, ``1,5``, ``2.5``), or numbers in
   words (``deux``, ``six``, ``vingt-deux``, ``two``, ``twenty-one``). A comma or
   dot followed by exactly three digits is a thousands separator; otherwise it
   is a decimal mark.
3. **Scale** (``mille, million(s), milliard(s), thousand, million, billion,
   trillion, k, bn``; ``m`` only after a currency, as in ``$10m``). ``billion``
   is read as 10⁹, its English and news sense (French prose says
   ``milliard``).
4. **Unit**, right after the number: percent (``%``, ``pour cent``,
   ``per cent``, ``percent``), times (``fois``, ``times``, ``x``, ``×``), ``nm``,
   a currency (``$``, ``US$``, ``USD``, ``dollars``, ``€``, ``euros``, ``yuan``,
   ``RMB``, ``renminbi``, ``CNY``, before or after the number); else a chip
   noun (``puces, GPU, unités, units, chips, accélérateurs, accelerators,
   processeurs, processors``) at most three words later, in the same clause.
5. **Bound**, from the words just before the number (``plus de``, ``jusqu'à``,
   ``environ``, ``more than``, ``up to``, ``about``, ``~`` …).
6. **Filters.** A bare four-digit number from 1900 to 2100 with no separator,
   scale or unit is a year, not a count. "un", "une" and "one" alone are
   articles, not counts: a spelled number is kept when it is two or more, or
   carries a scale or a unit.
7. **Ranges.** In ``40,000-80,000 chips`` or ``20 à 25 %`` the first number takes
   the unit (and scale) of the second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS: tuple[str, ...] = ("chips", "USD", "CNY", "EUR", "percent", "times", "nm")
BOUNDS: tuple[str, ...] = ("exact", "at_least", "at_most", "approx")


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text: ``text == source[start:end]``."""

    value: float
    unit: str | None
    bound: str
    start: int
    end: int
    text: str


# --- vocabulary -------------------------------------------------------------

_SP = "[ \u00a0\u202f\u2009\u2007]"  # a space, NBSP, narrow NBSP, thin or figure space
_APOS = "['\u2019]"

_WORD_VALUES: dict[str, int] = {
    # French
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "soixante-dix": 70, "quatre-vingt": 80, "quatre-vingts": 80,
    "quatre-vingt-dix": 90, "cent": 100, "cents": 100,
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "douzaine": 12,
}
_SCALES: dict[str, float] = {
    "mille": 1e3, "milliers": 1e3, "thousand": 1e3, "thousands": 1e3, "k": 1e3,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "m": 1e6,
    "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9, "bn": 1e9, "md": 1e9, "mds": 1e9, "mrd": 1e9,
    "trillion": 1e12, "trillions": 1e12, "tn": 1e12,
}
_WORD_SCALES = {"mille", "thousand", "million", "millions", "milliard", "milliards", "billion", "billions", "trillion", "trillions"}
_SMALL = sorted(_WORD_VALUES, key=len, reverse=True)
_NUMBER_WORD = "|".join(re.escape(w) for w in _SMALL + sorted(_WORD_SCALES, key=len, reverse=True))

_DIGITS = (
    r"\d{1,3}(?:(?:" + _SP + r"\d{3})+|(?:\.\d{3})+|(?:,\d{3})+)(?![\d])(?:[.,]\d+(?!\d))?"  # 400 000 / 400.000 / 2,000,000
    r"|\d+(?:[.,]\d+)?"  # 2026, 1,5, 2.5, 989.5
)
_NUMBER = re.compile(
    r"(?<![\w.,/:])(?:(?P<digits>" + _DIGITS + r")|(?P<words>(?:" + _NUMBER_WORD + r"|a(?=" + _SP + r"+(?:thousand|million|billion|trillion|dozen)\b))(?:(?:[\s-]+(?:et[\s-]+|and[\s-]+)?)(?:"
    + _NUMBER_WORD + r"))*)(?![\w]))",
    re.IGNORECASE,
)
_SCALE_AFTER = re.compile(
    r"(?:" + _SP + r"?(?P<tight>k|bn|mn|m|md|mds|mrd|tn)\b|" + _SP + r"+(?P<word>milliers|milliards?|millions?|mille|thousands?|billions?|trillions?)\b)",
    re.IGNORECASE,
)
_CURRENCY_WORDS = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR", "eur": "EUR",
    "euro": "EUR", "euros": "EUR", "yuan": "CNY", "yuans": "CNY", "rmb": "CNY", "renminbi": "CNY", "cny": "CNY",
    "¥": "CNY",
}
_CURRENCY_BEFORE = re.compile(r"(?P<cur>US\$|\$|USD|€|EUR|RMB|CNY|¥)" + _SP + r"?$", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    r"(?:(?P<percent>" + _SP + r"?%|" + _SP + r"?pc\b|" + _SP + r"+(?:pour" + _SP + r"?cent|pourcent|per" + _SP + r"?cent|percent|pct)\b)"
    r"|(?P<times>" + _SP + r"?(?:x|×)(?![\w])|" + _SP + r"+(?:fois|times)\b)"
    r"|(?P<nm>" + _SP + r"?nm\b)"
    r"|(?P<currency>" + _SP + r"?(?:€|\$)|" + _SP + r"+(?:(?:de" + _SP + r"+|d" + _APOS + r")?(?:dollars?(?:" + _SP
    + r"+(?:américains|us))?|euros?|yuans?|renminbi)|usd|eur|rmb|cny)\b))",
    re.IGNORECASE,
)
_CHIP_NOUN = re.compile(
    r"(?:" + _SP + r"+(?:de|d" + _APOS + r"|of)?" + _SP + r"*)?"
    r"(?:[\w'\u2019-]+" + _SP + r"+){0,3}?"
    r"(?:puces?|gpus?|unités?|units?|chips?|accélérateurs?|accelerators?|processeurs?|processors?|semi-conducteurs?)\b",
    re.IGNORECASE,
)
# Words that end a clause: a chip noun beyond them belongs to another number.
_CLAUSE_BREAK = re.compile(r"\b(?:et|and|ou|or|mais|but|contre|versus|vs|dont|qui|que|which|that|with|avec)\b|(?<![\w])\d", re.IGNORECASE)

_SPACES = " \u00a0\u202f\u2009\u2007"
_CURRENCY_TAILS = ("$", "USD", "€", "EUR", "RMB", "CNY", "¥")

#: Words just before a number that bound it; longest first, so "no more than" wins over "more than".
_BOUND_PHRASES: list[tuple[str, str]] = sorted(
    [(phrase, "at_least") for phrase in (
        "plus de", "plus d'", "au moins", "more than", "over", "at least", "exceeding", "in excess of", "upwards of",
        "dépassant", "dépasse", "dépassent", "supérieur à", "supérieure à", "supérieurs à", "supérieures à", "above",
        "beyond", ">", "plus des", "au-delà de", "au-delà des", "no fewer than", "no less than", "not less than",
        "pas moins de", "pas moins d'", "au minimum", "a minimum of", "at a minimum",
    )]
    + [(phrase, "at_most") for phrase in (
        "jusqu'à", "jusqu'au", "jusqu'aux", "moins de", "moins d'", "up to", "less than", "fewer than", "under",
        "au plus", "at most", "no more than", "not more than", "below", "inférieur à", "inférieure à", "inférieurs à",
        "inférieures à", "<", "moins des", "as many as", "as much as", "au maximum", "a maximum of", "tout au plus",
        "at the most",
    )]
    + [(phrase, "approx") for phrase in (
        "environ", "quelque", "quelques", "près de", "près d'", "près des", "about", "around", "nearly", "roughly",
        "some", "close to", "an estimated", "estimated", "approximately", "approx.", "approx", "~", "≈",
        "de l'ordre de", "autour de", "presque", "almost", "à peu près", "quasiment", "approximativement",
        "grosso modo", "circa",
    )],
    key=lambda item: -len(item[0]),
)
_BOUND_KEYS = tuple(phrase for phrase, _ in _BOUND_PHRASES)
_TO_PLAIN = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2019": "'"})


def _bound_before(before: str) -> tuple[str, int] | None:
    """The bound given by the words that end ``before``, and where they start.
    Plain string tests, not a regex search: this runs for every number."""
    plain = before.translate(_TO_PLAIN).lower()
    if len(plain) != len(before):
        return None
    tail = plain.rstrip(" ")
    if not tail.endswith(_BOUND_KEYS):
        return None
    for phrase, bound in _BOUND_PHRASES:
        if tail.endswith(phrase):
            start = len(tail) - len(phrase)
            if start == 0 or not tail[start - 1].isalnum() or not phrase[0].isalnum():
                return bound, start
    return None


_MONTHS = (
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    r"janv|févr|fév|avr|juil|déc|"
    r"january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|"
    r"sept|sep|oct|nov|dec"
)
# Context just after a number that makes it something other than a count.
_MONTH_WORDS = frozenset(_MONTHS.split("|"))
_ISO_DATE_HEAD = re.compile(r"\b\d{4}-(?:\d{2}-)?$")


def _masked_by_what_precedes(before: str) -> bool:
    """January 28, décembre 2025, Jan. 28 (a month name); COVID-19, H-200 (a
    name); the month and day of 2026-01-28."""
    if before.endswith("-"):
        return len(before) > 1 and (before[-2].isalpha() or bool(_ISO_DATE_HEAD.search(before)))
    tail = before.rstrip(_SPACES)
    if len(tail) == len(before):
        return False
    last_word = tail[tail.rfind(" ") + 1:].rstrip(".").lower()
    return last_word in _MONTH_WORDS


_MASK_AFTER = re.compile(
    r"(?i:" + _SP + r"*(?:er|ère)?" + _SP + r"+(?:" + _MONTHS + r")\b)"  # 28 janvier, 1er mai
    r"|[/.]\d{1,2}(?:[/.]\d{2,4})?\b|-\d{2}-\d{2}\b"  # 28/01/2026, 24/7, 2026-01-28
    r"|[:h]\d{2}\b|(?i:" + _SP + r"?(?:am|pm|a\.m\.|p\.m\.)(?![\w]))"  # 11:31, 11h31, 10 a.m.
    r"|\.[A-Z]{1,3}\b"  # tickers 0700.HK, 9988.HK
    r"|(?i:(?:e|er|ère|ème|eme|nd|rd|th|st)\b)"  # ordinals: 2e, 1er, 2nd
    r"|(?!(?i:nm|x|k|bn|mn|m|md|mds|mrd|tn|pc)\b)[A-Za-z]"  # names: 910C, 4N, 5G (not 5nm, 6x, 10bn)
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _is_masked(text: str, start: int, end: int, urls: list[tuple[int, int]]) -> bool:
    """Whether the number at ``text[start:end]`` is part of a date, a time, a
    ticker, an ordinal, a name or a URL rather than a count."""
    if any(s < end and e > start for s, e in urls):
        return True
    return bool(_MASK_AFTER.match(text, end)) or _masked_by_what_precedes(text[max(0, start - 16):start])


# --- reading one number -----------------------------------------------------


_SP_RE = re.compile(_SP)
_WORD_SPLIT = re.compile(r"[\s-]+")
_WORD_TOKEN = re.compile(r"(?<![\w-])(?:" + _NUMBER_WORD + r")(?![\w])|(?<=-)(?:" + _NUMBER_WORD + r")(?![\w])")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _digits_value(token: str) -> tuple[float, bool]:
    """Value of a digit token and whether it had a thousands separator."""
    compact = _SP_RE.sub(" ", token)
    if " " in compact:
        head, _, decimals = compact.replace(" ", "").partition(",")
        if not decimals:
            head, _, decimals = head.partition(".")
        return float(head + ("." + decimals if decimals else "")), True
    if _DOT_THOUSANDS.fullmatch(compact):  # 400.000 / 1.234.567,5
        whole, _, decimals = compact.partition(",")
        return float(whole.replace(".", "") + ("." + decimals if decimals else "")), True
    if _COMMA_THOUSANDS.fullmatch(compact):  # 2,000,000 / 1,500.5
        return float(compact.replace(",", "")), True
    return float(compact.replace(",", ".")), False


def _words_value(phrase: str) -> float | None:
    """Value of a run of number words: 'deux', 'vingt-deux', 'trois cents', 'two hundred'."""
    total = 0.0
    current = 0.0
    seen = False
    # Tokens are the longest number words first, so "quatre-vingts" is 80, not 4 + 20.
    for word in _WORD_TOKEN.findall(phrase.lower()):
        if word in _WORD_VALUES:
            value = _WORD_VALUES[word]
            if value == 100:
                current = max(current, 1) * 100
            else:
                current += value
            seen = True
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
            seen = True
    return total + current if seen else None


def _unit_of_currency(symbol: str) -> str:
    return _CURRENCY_WORDS[symbol.lower().replace("\u00a0", "").strip()]


def _read_at(text: str, match: re.Match[str], urls: list[tuple[int, int]]) -> Quantity | None:
    start, end = match.start(), match.end()
    if _is_masked(text, start, end, urls):
        return None
    words = match.group("words")
    if words is not None:
        # Hyphenated compounds must be read whole ("dix-sept"); the regex may split them.
        value = _words_value(words)
        if value is None:
            return None
        separated = False
        has_scale_word = any(w in _SCALES for w in _WORD_SPLIT.split(words.lower()))
        if value < 2 and not has_scale_word and not _SCALE_AFTER.match(text, end):
            return None  # "un feu vert", "one of them", "une fois": articles, not counts
    else:
        value, separated = _digits_value(match.group("digits"))
        has_scale_word = False

    before = text[max(0, start - 40):start]
    if words is not None and words[:2].lower() == "a " and before.lower().endswith("half "):
        value /= 2  # "half a million"
        start -= 5
        before = before[:-5]
    # Cheap checks first: the regex searches below run only when the last word could match.
    currency_before = _CURRENCY_BEFORE.search(before) if before.rstrip(_SPACES).upper().endswith(_CURRENCY_TAILS) else None
    unit: str | None = None
    if currency_before:
        unit = _unit_of_currency(currency_before.group("cur"))
        start -= len(currency_before.group(0))
        before = text[max(0, start - 40):start]

    scale = _SCALE_AFTER.match(text, end)
    # "m"/"Md" scale only a currency amount: "$10m", "10 M€", "3 Md€"; "5 m" alone is metres.
    ambiguous = scale is not None and (scale.group("tight") or "").lower() in ("m", "md", "mds", "mrd") and unit is None
    if ambiguous:
        following = _UNIT_AFTER.match(text, scale.end())
        ambiguous = not (following and following.group("currency"))
    if scale and not ambiguous:
        value *= _SCALES[(scale.group("tight") or scale.group("word")).lower()]
        end = scale.end()
        has_scale_word = True

    if text[end:end + 1] == "-" and text[end + 1:end + 2].isalpha() and not has_scale_word:
        return None  # a modifier, not a count: "eight-GPU modules", "five-year plan"
    after = _UNIT_AFTER.match(text, end)
    if after:
        if after.group("percent"):
            unit = "percent"
        elif after.group("times"):
            unit = "times"
        elif after.group("nm"):
            unit = "nm"
        elif unit is None:
            symbol = after.group("currency").strip().lower()
            symbol = re.sub(r"^(?:de\s+|d['\u2019])", "", re.sub(_SP, " ", symbol)).split(" ")[0]
            unit = _unit_of_currency(symbol)
        end = after.end()
    elif unit is None:
        noun = _CHIP_NOUN.match(text, end)
        if noun and not _CLAUSE_BREAK.search(noun.group(0)) and "," not in noun.group(0):
            unit = "chips"
            noun_end = noun.end()
            # The span covers the noun only when it follows the number directly (or after "de").
            between = text[end:noun_end]
            if re.fullmatch(r"(?:" + _SP + r"+(?:de|d" + _APOS + r"|of)?" + _SP + r"*)?[\w'\u2019-]+", between):
                end = noun_end

    if words is not None and value < 2 and not has_scale_word and unit is None:
        return None  # "un feu vert", "one of them"
    if unit is None and not has_scale_word and not separated and words is None and 1900 <= value <= 2100 and value.is_integer():
        return None  # a year

    bound = "exact"
    found_bound = _bound_before(before)
    if found_bound:
        bound, phrase_start = found_bound
        start -= len(before) - phrase_start
    return Quantity(value=float(value), unit=unit, bound=bound, start=start, end=end, text=text[start:end])


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order, without overlaps (see the module
    docstring for the rules). Offsets index into ``text`` as given."""
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


_RANGE_WORDS = {"-", "–", "—", "à", "to", "et", "and"}
_SCALE_IN = re.compile(r"(?<![\w])(milliards?|millions?|mille|thousand|billion|trillion|bn|mn|k)(?![\w])", re.IGNORECASE)


def _share_range_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """In '40,000-80,000 chips' or '20 à 25 %', give the first number the
    second's unit; in '1,5 à 2 millions', its scale too."""
    result = list(found)
    for index in range(len(result) - 1):
        first, second = result[index], result[index + 1]
        if first.unit is not None or second.unit is None:
            continue
        if text[first.end:second.start].strip() not in _RANGE_WORDS:
            continue
        value = first.value
        second_scale = _SCALE_IN.search(second.text)
        if second_scale and not _SCALE_IN.search(first.text):
            value *= _SCALES[second_scale.group(1).lower()]
        result[index] = Quantity(value, second.unit, first.bound, first.start, first.end, first.text)
    return result


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in a phrase (e.g. ``"plus de 400 000 puces H200"``),
    or None when it holds none."""
    found = find_quantities(text)
    return found[0] if found else None

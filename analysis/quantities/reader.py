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
(:mod:`analysis.lang.vocabulary`); this module only builds matchers from it. The
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
5. **Bound**, from the words just before the number (across an article:
   "dépasse les 2 millions"); an ``at_least`` phrase after a negation (``may
   not exceed``, ``ne peut dépasser``, "no customer may receive more than")
   is a cap, ``at_most``, and so are a cap verb and its "to" ("limit each
   buyer to 75,000"), a restriction ("ne pourra acquérir que") and a cap word
   after the number ("a 50% cap"); "an estimated range of" is ``approx``;
   the top of a range keeps the range's ``approx``. "un facteur six" is a
   ratio; "51 milliards" in a clause about revenue takes the clause's
   currency (the vocabulary's implied one when it names none).
6. **Filters.** A bare year (1900–2100); a spelled number below two with no
   scale (``un``, ``une``, ``one``), whatever follows: "one percent" and "une
   puce" give nothing, since in news prose these are articles far more often
   than counts; "les deux"/"both"; a frequency ("three times this year"); a
   number-noun modifier ("eight-GPU module", "five-year plan"); a make-up
   ("modules de huit puces", "servers with 8 GPUs"); a duration ("two
   weeks", "il y a trois heures"); a list marker "(1)"; the second day of a
   date range ("May 14-15", "les 10 et 11 mars") and the numbers joined to a
   masked one ("paragraphs 3-5"); an amount in parentheses that converts the
   money amount before it ("(~RM 24 million)"). A vague amount is at least
   two of what it counts ("hundreds of thousands" >= 200,000).
7. **Zero.** A zero word ("no", "zero", "not a single", "aucune", "pas une
   seule"; "any", "a single" after a negation) before a chip or module noun,
   a model name, a shipment (chips) or a revenue noun (money, in the
   vocabulary's implied currency) is 0 in that unit: "no H200 chips", "no
   revenue from China", "aucune livraison". A zero pronoun ("none",
   "aucune") is 0 chips before a shipment verb ("none has shipped") or,
   standing alone, after chips were named ("Of the H200 approved, none");
   a running count ("so far, none") is a bare 0 when no chip is named.
   Fractions are shares in percent ("a quarter of the revenue", "la moitié
   des volumes"), and "une dizaine de", "a dozen" stand for their number.
   The matchers read the text in lower case (same offsets; the case-blind
   ones when lower case would move them), which keeps the reader fast.
8. **Ranges.** In ``40,000-80,000 chips`` or ``20 à 25 %`` the first number takes
   the unit (and scale) of the second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.lang import vocabulary as vocab
from analysis.quantities.matchers import (
    _APPROXIMATE,
    _APPROXIMATE_OF,
    _BOTH,
    _BOUND_AFTER,
    _CHIP_MODEL,
    _CHIP_NOUNS,
    _COMPOSITION,
    _COMPOSITION_WORDS,
    _CONVERSION,
    _CURRENCIES,
    _CURRENCY_BEFORE,
    _CURRENCY_NAMES,
    _CURRENCY_ONLY,
    _CURRENCY_TAILS,
    _DURATION_AFTER,
    _FRACTION_EXCLUDED_BEFORE,
    _FRACTIONS,
    _FREQUENCY_VERBS,
    _HALF,
    _IMPLIED_CURRENCY,
    _MODEL_PLURAL,
    _MONEY_FOLLOWERS,
    _MONEY_WORDS,
    _NEGATION_NEAR,
    _NUMBER,
    _NUMBER_LOWER,
    _RATIO_BEFORE,
    _SCALE_AFTER,
    _SCALE_ARTICLES,
    _SCALES,
    _SP,
    _SPACES,
    _SYMBOLS,
    _TIMES_BEFORE,
    _TOKEN,
    _UNIT_AFTER,
    _URL,
    _VAGUE_BEFORE,
    _VAGUE_PLURAL_VALUES,
    _WORD,
    _WORD_AMOUNTS,
    _WORD_AMOUNTS_LOWER,
    _WORD_SCALES,
    _ZERO_AFTER_NEGATION,
    _ZERO_DETERMINERS,
    _ZERO_NEGATING,
    _ZERO_PRONOUNS,
    _is_masked,
    _plain,
)
from analysis.quantities.reading import (
    _WORD_SPLIT,
    _bound_before,
    _digits_value,
    _is_frequency,
    _negated,
    _noun_after,
    _vague_run,
    _words_value,
    _zero_noun_after,
    _zero_pronoun_unit,
)

__all__ = ["Quantity", "find_quantities", "parse_quantity"]


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
    named: bool = False  # digits with a letter that is no scale here ("5B parameters"): part of a name


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
    reading = _Reading(start, end, value, words, before, has_scale_word=has_scale_word, vague=vague)
    if vague:
        _take_least_vague(reading)
    return reading


def _take_least_vague(reading: _Reading) -> None:
    """The least a vague amount means, and its words: two of what it counts
    ("hundreds of thousands" >= 200,000, "several hundred thousand" >=
    200,000, "des milliards" >= 2 billion), never one."""
    assert reading.words is not None
    tail = _plain(reading.before).lower().rstrip(" ")
    last_words = tail.rsplit(" ", 2)
    if len(last_words) >= 2 and last_words[-1] in ("of", "de") and last_words[-2] in _VAGUE_PLURAL_VALUES:
        reading.value *= 2 * _VAGUE_PLURAL_VALUES[last_words[-2]]  # "hundreds of thousands", "centaines de milliers"
        shift = len(reading.before) - (len(tail) - len(last_words[-1]) - len(last_words[-2]) - 1)
    else:
        reading.value *= 2  # "several hundred thousand", "a few million", "des milliards", "millions of"
        vague_word = next((v for v in _VAGUE_BEFORE if tail == v or tail.endswith(" " + v)), "")
        shift = len(reading.before) - (len(tail) - len(vague_word)) if vague_word else 0
    reading.start -= shift
    reading.before = reading.before[: len(reading.before) - shift]


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
            reading.named = text[reading.end : reading.end + 1].isalpha()  # "a 5B model", "4T steel": a name
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
        if (
            word[:1].isalpha()
            and len(word) > 1
            and (_is_frequency(text, after.end()) or _after_frequency_verb(reading.before))
            and not _after_ratio_word(reading.before)
        ):
            return False  # "three times this year", "visited three times": visits, not a ratio
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
    if reading.unit is None and text[end : end + 1] not in _ENDS_A_CLAUSE:  # "2 million." names no noun
        noun = _noun_after(text, end)
        if noun:
            reading.unit = noun[0]
            if noun[1] != -1:
                reading.end = noun[1]
    return True


def _is_filtered(text: str, reading: _Reading, number_end: int) -> bool:
    """Stage 6: a spelled 'one' without unit or scale; a bare year ('in 2025',
    '2025 H20 sales'); a duration ('two weeks', 'il y a deux jours')."""
    if (
        reading.unit is None
        and not reading.has_scale_word
        and text[reading.end + 1 : reading.end + 2].lower() in _DURATION_FIRST
        and _DURATION_AFTER.match(text, reading.end)
    ):
        return True  # "two weeks", "3 hours ago", "deux mois": a duration or an age
    if reading.words is not None:
        return reading.value < 2 and not reading.has_scale_word and reading.unit is None
    return (
        not reading.has_scale_word
        and not reading.separated
        and 1900 <= reading.value <= 2100
        and float(reading.value).is_integer()
        and (reading.unit is None or (reading.unit == "chips" and bool(_CHIP_MODEL.match(text[number_end:].lstrip(_SPACES)))))
    )


def _after_frequency_verb(before: str) -> bool:
    """Whether a verb of visits or tries stands a few words before ('visited
    three times', 's'est rendu trois fois'): a count of events."""
    words = re.findall(r"[\w']+", _plain(before).lower())[-3:]
    return any(w.startswith(_FREQUENCY_VERBS) for w in words)


def _after_ratio_word(before: str) -> bool:
    """'exceeds the H20 by 6 times', 'multipliée par six fois': a ratio, even where a sentence ends."""
    return any(w in _RATIO_BEFORE for w in re.findall(r"[\w']+", _plain(before).lower())[-2:])


def _take_factor(reading: _Reading) -> None:
    """'un facteur six', 'by a factor of 6': a ratio, in times."""
    if reading.unit is not None or "act" not in reading.before:  # cheap test first: "factor", "facteur"
        return
    tail = _plain(reading.before).lower().rstrip(" ")
    if any(tail.endswith(p) and (len(tail) == len(p) or not tail[-len(p) - 1].isalnum()) for p in _TIMES_BEFORE):
        reading.unit = "times"


def _take_implied_currency(text: str, reading: _Reading) -> None:
    """'51 milliards' in a clause about revenue, or with 'en dollars' after
    it: an amount of at least a billion without a unit takes the currency the
    sentence names, else the vocabulary's implied one, when punctuation or a
    function word follows it (so '1.4 billion people' stays a bare count)."""
    if reading.unit is not None or not reading.has_scale_word or reading.vague or reading.value < _IMPLIED_MONEY_LEAST:
        return
    following = _TOKEN.match(_plain(text[reading.end : reading.end + 30]).lower().lstrip(" "))
    if following and following.group(0)[0].isalnum() and following.group(0) not in _MONEY_FOLLOWERS:
        return
    window = _plain(text[max(0, reading.start - 100) : reading.end + 60])
    named = _CURRENCY_NAMES.search(window)
    symbol = next((s for s in _SYMBOLS if s in window), None)
    if named:
        reading.unit = _CURRENCIES.get(re.sub(_SP + "+", " ", named.group(0).lower()))
    elif symbol:
        reading.unit = _CURRENCIES[symbol]
    elif _MONEY_WORDS.search(window):
        reading.unit = _IMPLIED_CURRENCY


def _take_bound(text: str, reading: _Reading) -> str:
    """Stage 5: the bound, from the words before (the span widened to them),
    else from a cap word after ('a 50% cap'); a vague amount is at_least."""
    bound = "exact"
    found_bound = _bound_before(reading.before)
    if found_bound:
        bound, phrase_start = found_bound
        reading.start -= len(reading.before) - phrase_start
    else:
        after = _BOUND_AFTER.match(text, reading.end) if text[reading.end + 1 : reading.end + 2].lower() in _BOUND_AFTER_FIRST else None
        if after:
            bound, reading.end = "at_most", after.end()
    if reading.vague and bound == "exact":
        bound = "at_least"
    return bound


def _read_at(text: str, match: re.Match[str]) -> Quantity | None:
    """The quantity whose number ``match`` found (masks checked), or None:
    the stages of the module docstring, each a function that reads or moves
    one part."""
    if _is_make_up(text, match.start()) or (
        text[match.start() - 1 : match.start()] in ("(", "[")
        and text[match.end() : match.end() + 1] in (")", "]")
        and len(match.group(0)) <= 2
    ):
        return None  # a make-up, or a list marker "(1)"
    reading = _read_number(text, match)
    if reading is None:
        return None
    _take_half(reading)
    _take_currency_before(text, reading)
    _take_scale(text, reading)
    if reading.named:
        return None
    number_end = reading.end
    if not _take_unit(text, reading) or _is_filtered(text, reading, number_end):
        return None
    if reading.unit is None:  # the cheap test here: most numbers have their unit by now
        _take_factor(reading)
        if reading.has_scale_word:
            _take_implied_currency(text, reading)
    bound = _take_bound(text, reading)
    start, end = reading.start, reading.end
    return Quantity(
        value=float(reading.value), unit=reading.unit, bound=bound, start=start, end=end, text=text[start:end], vague=reading.vague
    )


def _read_zero(text: str, match: re.Match[str]) -> Quantity | None:
    """The zero a zero word gives ("no H200 chips", "not a single GPU",
    "aucune livraison", "no revenue from China", "none has shipped", "so far,
    none"), or None when it quantifies no chips, modules, shipments or money."""
    word = _plain(match.group(0)).lower()
    start, end = match.span()
    if word in _ZERO_AFTER_NEGATION and word not in _ZERO_DETERMINERS:
        before = _plain(text[max(0, start - 60) : start]).lower()
        if not (_negated(before) or _ZERO_NEGATING.search(before, max(0, len(before) - 30))):
            return None  # "any chips", "a single buyer": zero only after a negation ("has not shipped any H200", "yet to deliver")
    unit: str | None
    noun = _zero_noun_after(text, end)
    if noun is not None:
        unit, end = noun
    elif word in _ZERO_PRONOUNS:
        pronoun = _zero_pronoun_unit(text, start, end)
        if pronoun is None:
            return None
        unit = pronoun[0]
    else:
        return None
    return Quantity(value=0.0, unit=unit, bound="exact", start=start, end=end, text=text[start:end])


def _read_fraction(text: str, match: re.Match[str]) -> Quantity | None:
    """'a quarter of the revenue', 'la moitié des volumes': a share in percent;
    None for a part of a period ('the second half of 2026', 'la première moitié de')."""
    start, end = match.span()
    previous_word = re.findall(r"[\w']+", _plain(text[max(0, start - 20) : start]).lower())[-1:]
    if previous_word and previous_word[0] in _FRACTION_EXCLUDED_BEFORE:
        return None
    if text[end : end + 6].strip(_SPACES)[:1].isdigit():
        return None
    value = _FRACTIONS[re.sub(_SP + "+", " ", _plain(match.group(0)).lower())]
    return Quantity(value=value, unit="percent", bound="exact", start=start, end=end, text=text[start:end])


def _read_approximate(text: str, match: re.Match[str]) -> Quantity | None:
    """'une dizaine d'entreprises', 'a dozen firms': a count standing for its
    number, before 'de'/'of' or a word; its noun gives its unit."""
    start, end = match.span()
    if not (_APPROXIMATE_OF.match(text, end) or text[end : end + 2][:1] in _SPACES and text[end + 1 : end + 2].isalpha()):
        return None
    value, bound = _APPROXIMATE[_plain(match.group(0)).lower().split()[-1]]
    noun = _noun_after(text, end)
    found_bound = _bound_before(text[max(0, start - 60) : start])
    if found_bound:
        bound = found_bound[0]
    unit = noun[0] if noun else None
    return Quantity(value=value, unit=unit, bound=bound, start=start, end=end, text=text[start:end])


def _negation_near(text: str, lowered: str | None, start: int) -> bool:
    """Whether a negation word ("pas", "not", "n'") stands in the 60 characters before ``start``."""
    window = lowered[max(0, start - 60) : start] if lowered is not None else text[max(0, start - 60) : start].lower()
    return bool(_NEGATION_NEAR.search(window) or _ZERO_NEGATING.search(window))


def _word_amounts(text: str, lowered: str | None) -> list[Quantity]:
    """Every amount said in words alone, in order, without overlaps: zeros,
    fractions, approximate numbers ('une dizaine'); ``lowered`` is the text
    in lower case (same offsets), or None."""
    found: list[Quantity] = []
    matches = _WORD_AMOUNTS_LOWER.finditer(lowered) if lowered is not None else _WORD_AMOUNTS.finditer(text)
    for match in matches:
        if found and match.start() < found[-1].end:
            continue
        word = match.group("zero")
        if word and word in _AFTER_NEGATION_ONLY and not _negation_near(text, lowered, match.start()):
            continue  # the cheap test first: "de", "any" far from any negation word
        if word:
            amount = _read_zero(text, match)
        elif match.group("fraction"):
            amount = _read_fraction(text, match)
        else:
            amount = _read_approximate(text, match)
        if amount is not None:
            found.append(amount)
    return found


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order, without overlaps (see the module
    docstring for the rules). Offsets index into ``text`` as given. Never
    raises on a string: what cannot be read is not a quantity."""
    if not isinstance(text, str) or not text:
        return []
    urls = [m.span() for m in _URL.finditer(text)] if ("http" in text or "www." in text) else []
    # The matchers read the text in lower case, which keeps every offset unless a letter grows ("İ"): then the
    # case-blind matchers read the text itself.
    lower_case = text.lower()
    lowered = lower_case if len(lower_case) == len(text) else None
    amounts = _word_amounts(text, lowered)
    found: list[Quantity] = []
    last_end = masked_end = -1
    for match in _NUMBER_LOWER.finditer(lowered) if lowered is not None else _NUMBER.finditer(text):
        start, end = match.span()
        if start < last_end or (amounts and any(a.start <= start < a.end for a in amounts)):
            continue
        if _is_masked(text, start, end, urls) or (0 <= start - masked_end <= 6 and _joins_masked(text, masked_end, match)):
            masked_end = end
            continue
        quantity = _read_at(text, match)
        if quantity is None or quantity.start < last_end:
            continue
        found.append(quantity)
        last_end = quantity.end
    if amounts:
        found = sorted(found + [a for a in amounts if not any(q.start < a.end and a.start < q.end for q in found)], key=lambda q: q.start)
    return _share_range_units(text, _drop_conversions(text, found))


def _joins_masked(text: str, masked_end: int, match: re.Match[str]) -> bool:
    """A small number joined by a range word or a comma to a masked one: the
    second day of 'May 14-15', 'paragraphs 3 and 5'."""
    return (
        masked_end >= 0
        and match.start() - masked_end <= 6
        and match.group("digits") is not None
        and len(match.group(0)) <= 2
        and text[masked_end : match.start()].strip(_SPACES) in _JOINED_TO_MASKED
    )


def _drop_conversions(text: str, found: list[Quantity]) -> list[Quantity]:
    """Without the amounts in parentheses that convert the money amount just
    before them: '4 trillion yuan (US$574 billion)', '$2 billion (~RM 24 million)'."""
    kept: list[Quantity] = []
    for quantity in found:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and previous.unit in _MONEY_UNITS
            and quantity.unit in (None, *_MONEY_UNITS)
            and _CONVERSION.fullmatch(text, previous.end, quantity.start)
        ):
            continue
        kept.append(quantity)
    return kept


_RANGE_WORDS = set(vocab.words("range_words"))
_JOINED_TO_MASKED = _RANGE_WORDS | {","}
_ENDS_A_CLAUSE = frozenset(",.;:!?)]")
_AFTER_NEGATION_ONLY = _ZERO_AFTER_NEGATION - _ZERO_DETERMINERS
_MONEY_UNITS = frozenset(_CURRENCIES.values())
_DURATION_FIRST = frozenset(w[0] for w in vocab.words("duration_nouns"))
_BOUND_AFTER_FIRST = frozenset(w[0] for w in vocab.words("bounds_after", "at_most"))
#: An amount without a unit is money only from a billion: no story counts chips by the billion.
_IMPLIED_MONEY_LEAST = 1e9
_SCALE_IN = re.compile(r"(?<![\w])(" + vocab.alternation(_SCALES) + r")(?![\w])", re.IGNORECASE)


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

"""The parts :mod:`analysis.core.formatting` writes a number from: units, the
precision rule, scales (see that module's docstring for the rules)."""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

__all__ = ["MINUS", "MISSING", "UNITS", "Style", "is_missing"]

MISSING = "—"
MINUS = "\u2212"
Style = Literal["short", "number"]


@dataclass(frozen=True)
class _Unit:
    """How one unit is written."""

    kind: Literal["money", "count", "percent", "times", "ratio", "months", "si", "sci", "month", "date", "flag"]
    prefix: str = ""  # before the number: "US$"
    word: str = ""  # after the number (and its scale): " chips", "%", "×"
    singular: str = ""  # the word when the number is exactly 1: " chip"
    multiplier: float = 1.0  # value × multiplier is the number shown (fraction → percent)
    sig: int = 3  # significant figures from 10 up (2 below 10 for every kind)
    scales: tuple[tuple[float, str], ...] = ()  # (divisor, label), largest first
    label: str = ""  # the unit as a table header or axis title names it
    si_base: str = ""  # SI units: the base symbol ("W", "B", "FLOP/s")
    si_power: int = 0  # SI units: the unit's power of ten (MW → 6)


_MONEY_SCALES = ((1e12, " tn"), (1e9, " bn"), (1e6, " m"))
_COUNT_SCALES = ((1e9, "bn"), (1e6, "M"), (1e3, "k"))
_SI_PREFIXES = {-3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E", 21: "Z", 24: "Y"}


def _count(word: str, singular: str = "") -> _Unit:
    return _Unit(
        "count",
        word=f" {word}" if word else "",
        singular=f" {singular or word}" if word else "",
        scales=_COUNT_SCALES,
        label=word or "number",
    )


def _si(base: str, power: int) -> _Unit:
    return _Unit("si", label=f"{_SI_PREFIXES[power]}{base}", si_base=base, si_power=power)


UNITS: dict[str, _Unit] = {
    "USD": _Unit("money", prefix="US$", scales=_MONEY_SCALES, label="US$"),
    "fraction": _Unit("percent", word="%", multiplier=100.0, sig=2, label="%"),
    "percent": _Unit("percent", word="%", sig=2, label="%"),
    "times": _Unit("times", word="×", sig=2, label="×"),
    "ratio": _Unit("ratio", sig=2, label="ratio"),
    "months": _Unit("months", word=" months", singular=" month", sig=2, label="months"),
    "month": _Unit("month", label="month"),
    "date": _Unit("date", label="date"),
    "flag": _Unit("flag", label="yes/no"),
    "chips": _count("chips", "chip"),
    "modules": _count("modules", "module"),
    "H100e": _count("H100e"),
    "GPUs": _count("GPUs", "GPU"),
    "units": _count("units", "unit"),
    "companies": _count("companies", "company"),
    "count": _count(""),
    "": _count(""),
    "W": _si("W", 0),
    "kW": _si("W", 3),
    "MW": _si("W", 6),
    "GW": _si("W", 9),
    "GB": _si("B", 9),
    "TB": _si("B", 12),
    "PB": _si("B", 15),
    "FLOP": _Unit("sci", word=" FLOP", label="FLOP"),  # training compute: 2.3 × 10²⁶ FLOP, as analysts write it
    "FLOP/s": _si("FLOP/s", 0),
    "TFLOP/s": _si("FLOP/s", 12),
    "PFLOP/s": _si("FLOP/s", 15),
    "EFLOP/s": _si("FLOP/s", 18),
}
_ALIASES = {"TFLOPS": "TFLOP/s", "PFLOPS": "PFLOP/s", "EFLOPS": "EFLOP/s", "usd": "USD", "US$": "USD"}


def _unit(unit: str | None) -> _Unit:
    key = "" if unit is None else _ALIASES.get(str(unit), str(unit))
    try:
        return UNITS[key]
    except KeyError:
        known = ", ".join(sorted(k for k in UNITS if k))
        raise ValueError(f"unknown unit {unit!r}; known units: {known}") from None


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and ``pd.NA``."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        result = pd.isna(value)
        return bool(result) if isinstance(result, bool) or not hasattr(result, "__len__") else False
    except (TypeError, ValueError, ImportError):
        return False


# --- precision -------------------------------------------------------------------


def _decimals(shown: float, unit: _Unit, scaled: bool = False) -> int:
    """Decimals to keep for a number shown as ``shown`` (negative: round the
    integer part, -2 keeps hundreds); ``scaled`` when a k/M/bn suffix
    follows. See the module's precision rule."""
    size = abs(shown)
    if size == 0 or not math.isfinite(size):
        return 0
    digits = math.floor(math.log10(size)) + 1  # digits before the decimal point (≤ 0 below 1)
    sig = unit.sig if size >= 10 else 2
    decimals = sig - digits
    if size >= 1000:
        decimals = 3 - digits  # three significant figures for long numbers, whatever the unit
    elif decimals < 0:
        decimals = 0  # 100–999 stay whole
    if unit.kind == "count" and not scaled and size < 1000:
        decimals = 0  # 7 chips, not 7.0 chips (but 2.0M chips)
    return min(decimals, 3)


def _round(shown: float, decimals: int) -> Decimal:
    """``shown`` rounded half up at ``decimals`` (negative: tens, hundreds...)."""
    return Decimal(repr(float(shown))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _write(number: Decimal, decimals: int, trim: bool = False) -> str:
    """The absolute value of ``number`` with thousands separators."""
    text = f"{abs(number):,.{max(decimals, 0)}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _scale_for(size: float, unit: _Unit) -> tuple[float, str]:
    """The (divisor, label) for a magnitude: largest scale not above it."""
    if unit.kind == "sci":
        power = math.floor(math.log10(size)) if size >= 1000 else 0  # below a thousand: the plain number
        return 10.0**power, f" × 10{str(power).translate(_SUPERSCRIPTS)}"
    if unit.kind == "si":
        power = unit.si_power + (math.floor(math.log10(size) / 3) * 3 if size > 0 else 0)
        power = min(max(power, min(_SI_PREFIXES)), max(_SI_PREFIXES))
        return 10.0 ** (power - unit.si_power), f" {_SI_PREFIXES[power]}{unit.si_base}"
    for divisor, label in unit.scales:
        if size >= divisor:
            return divisor, label
    return 1.0, ""


@dataclass(frozen=True)
class _Parts:
    sign: str  # "" or MINUS
    prefix: str  # "US$"
    number: str  # "10.8"
    suffix: str  # " bn", "k chips", "%"

    def text(self) -> str:
        return f"{self.sign}{self.prefix}{self.number}{self.suffix}"


def _parts(value: float, unit: _Unit, style: Style, *, reference: float | None = None) -> _Parts:
    """Split one finite number into sign, prefix, number and suffix. The scale
    and precision come from ``reference`` (default: the value itself)."""
    shown_value = value * unit.multiplier
    ref_value = shown_value if reference is None else reference * unit.multiplier
    if not (math.isfinite(shown_value) and math.isfinite(ref_value)):
        return _Parts(MINUS if value < 0 else "", "", "∞", "")  # a percentage beyond the largest float
    ref = abs(ref_value)
    si_fixed = style == "number" and unit.kind == "si"  # under a header naming the unit: no prefix change
    chosen: tuple[float, str, int] | None = None
    for _ in range(4):  # a number that rounds up into the next scale or precision is redone there
        divisor, scale = (1.0, "") if si_fixed else _scale_for(ref, unit)
        decimals = _decimals(ref / divisor, unit, scaled=divisor != 1.0)
        if chosen == (divisor, scale, decimals):
            break
        chosen = (divisor, scale, decimals)
        rounded = float(_round(ref / divisor, decimals)) * divisor
        if not math.isfinite(rounded):  # rounding up past the largest float: keep this choice
            break
        ref = rounded
    number = _round(shown_value / divisor, decimals)
    if number == 0 and shown_value != 0 and reference is None:
        text, sign = "≈0", ""
    else:
        text = _write(number, decimals, trim=unit.kind == "months" or bool(scale))  # "60k chips", "US$2 bn": no trailing ".0"
        sign = MINUS if number < 0 else ""
    if style == "number":
        return _Parts(sign, "", text, "" if si_fixed else scale)
    word = unit.singular if number == 1 and unit.singular and not scale else unit.word
    return _Parts(sign, unit.prefix, text, f"{scale}{word}")


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def _month_text(value: Any) -> str:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        # A month index (year × 12 + month − 1, analysis.model.scenarios.month_index), as the model's month figures are.
        number = float(value)
        if math.isinf(number):
            return "never (within the horizon)" if number > 0 else "—"
        index = round(number)
        return f"{_MONTH_NAMES[index % 12]} {index // 12}"
    # A calendar month reads as the month index does ("August 2026"), never as its ISO code.
    if isinstance(value, (datetime, date)):
        return f"{_MONTH_NAMES[value.month - 1]} {value.year}"
    if hasattr(value, "year") and hasattr(value, "month"):  # pd.Period, pd.Timestamp
        return f"{_MONTH_NAMES[int(value.month) - 1]} {int(value.year)}"
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*", str(value))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"not a calendar month (YYYY-MM): {value!r}")
    return f"{_MONTH_NAMES[int(match.group(2)) - 1]} {int(match.group(1))}"


def _date_text(value: Any) -> str:
    """A date as a reader writes it: '24 February 2026' (a number is no date: '—')."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return MISSING
    if isinstance(value, (datetime, date)):
        year, month, day = value.year, value.month, value.day
    else:
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", str(value))
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"not a date (YYYY-MM-DD): {value!r}")
        year, month, day = (int(part) for part in match.groups())
    return f"{day} {_MONTH_NAMES[month - 1]} {year}"


def _flag_text(value: Any) -> str:
    from analysis.core.paths import parse_flag

    return "yes" if parse_flag(value) else "no"

"""One number formatter for prose, tables and chart axes.

Every number a reader sees goes through :func:`format_value` (one number),
:func:`format_range` (a central value and its range), :func:`style_table`
(a DataFrame for display) or :func:`axis_options` (a chart axis), so the same
figure reads the same everywhere::

    >>> format_value(10.8e9, "USD")
    'US$10.8 bn'
    >>> format_value(27_000, "USD")
    'US$27,000'
    >>> format_value(0.5718, "fraction")
    '57%'
    >>> format_value(400_000, "chips")
    '400k chips'
    >>> format_value(2_000_000, "chips")
    '2M chips'
    >>> format_value(6.67, "times")
    '6.7×'
    >>> format_value(20, "months")
    '20 months'
    >>> format_value("2027-09", "month")
    'September 2027'
    >>> format_range(9.72e9, 10.8e9, 11.88e9, "USD", label="90% range")
    'US$10.8 bn (90% range US$9.7–11.9 bn)'

**Precision rule.** A number is written with three significant figures from
10 up and two below 10 (``US$10.8 bn``, ``2.5M``, ``0.57``), a scaled number drops a trailing ``.0`` (``2M``, ``US$50 bn``), whole numbers
from 100 to 999 are written whole, and from 1,000 on three significant
figures are kept (``US$27,400`` for 27,350). Percentages, multiples (×) and
month counts keep two significant figures (``57%``, ``5.7%``, ``6.7×``,
``20 months``) but are never rounded below the unit (``123%``). Counts
below 1,000 are whole (``7 chips``), and month counts drop a ``.0``
(``3 months``, ``2.5 months``). Rounding is half up on the decimal value as
written (10.85 → 10.9), and a number that rounds up into the next scale
moves to it (999,950 chips → ``1M chips``, not ``1,000k chips``). Nothing
ever shows more than three significant digits, and long numbers carry
thousands separators. Magnitudes smaller than the last decimal kept
(three decimals at most) read ``≈0``.

Within a range (:func:`format_range`) the two bounds share one scale and one
precision, both taken from the larger bound, and the unit is written once
(``US$9.7–11.9 bn``, ``360–440k chips``). Negative numbers carry the minus
sign U+2212 (as d3-format, hence Vega, writes them): ``−US$1.2 bn``,
``−12%``. Missing values (None, NaN, NaT, ``pd.NA``) read ``—``.

**Units** (the ``unit`` argument): ``USD``; ``fraction`` (0.57 → 57%) and
``percent`` (57 → 57%); ``times`` (a multiple, 6.7×) and ``ratio`` (a plain
number, 1.0); ``months`` (a duration) and ``month`` (a calendar month,
``YYYY-MM``, or a month index: "June 2026" either way); ``date`` (``YYYY-MM-DD``, "24 February 2026"); counts ``chips``, ``modules``, ``H100e``, ``GPUs``, ``units``
and ``count`` (or ``""``/None: a bare count), scaled with ``k``, ``M``,
``bn``; SI quantities ``W``, ``kW``, ``MW``, ``GW``, ``GB``, ``TB``, ``PB``,
``TFLOP/s``, ``PFLOP/s``, ``EFLOP/s`` (``TFLOPS``/``PFLOPS`` accepted), shown
with the SI prefix that fits (56,400 TB → ``56.4 PB``); ``flag`` (yes/no).
An unknown unit raises ``ValueError`` naming the known ones.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported lazily: format_value is used from light code paths too
    import pandas as pd
    from pandas.io.formats.style import Styler

from analysis.core.number_parts import MINUS, MISSING, Style, _date_text, _flag_text, _month_text, _parts, _unit, is_missing

__all__ = [
    "and_list",
    "axis_format",
    "axis_options",
    "format_range",
    "format_row",
    "format_series",
    "format_value",
    "header",
    "plural",
    "style_table",
    "unit_label",
]

# --- public API ------------------------------------------------------------------


def format_value(value: Any, unit: str | None, *, style: Style = "short") -> str:
    """One value as a reader reads it: ``US$10.8 bn``, ``57%``, ``400k chips``.

    ``style="short"`` (default) writes the unit; ``style="number"`` leaves out
    what :func:`unit_label` puts in a table header (``10.8 bn`` under
    ``US$``, ``400k`` under ``chips``, ``57`` under ``%``, and SI quantities in
    the given unit without prefix change: ``56,400`` under ``TB``).
    Missing values give ``—``; infinities ``∞``/``−∞``. See the module
    docstring for the precision rule and the units.
    """
    spec = _unit(unit)
    if is_missing(value):
        return MISSING
    if spec.kind == "month":
        return _month_text(value)
    if spec.kind == "date":
        return _date_text(value)
    if spec.kind == "flag":
        return _flag_text(value)
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else f"{MINUS}∞"
    return _parts(number, spec, style).text()


def format_range(low: Any, central: Any, high: Any, unit: str | None, *, label: str = "range", style: Style = "short") -> str:
    """A central value and its range, the unit written once in the range:
    ``US$10.8 bn (90% range US$9.7–11.9 bn)`` with ``label="90% range"``.

    The bounds share the scale and precision of the larger one. When the
    bounds equal the central value, or a bound is missing, only the central
    value is written; when a bound is negative the bounds are written in full
    with "to" (``−US$1.2 bn to US$3.4 bn``); calendar months read
    ``March 2027 (range November 2026 to September 2027)``.
    """
    spec = _unit(unit)
    middle = format_value(central, unit, style=style)
    if is_missing(low) or is_missing(high):
        return middle
    if spec.kind in ("month", "flag"):
        low_text, high_text = format_value(low, unit, style=style), format_value(high, unit, style=style)
        return middle if low_text == high_text == middle else f"{middle} ({label} {low_text} to {high_text})"
    low_f, high_f = float(low), float(high)
    if not (math.isfinite(low_f) and math.isfinite(high_f)):
        return f"{middle} ({label} {format_value(low_f, unit, style=style)} to {format_value(high_f, unit, style=style)})"
    if low_f == high_f and (is_missing(central) or float(central) == low_f):
        return middle
    reference = max(abs(low_f), abs(high_f))
    first = _parts(low_f, spec, style, reference=reference)
    last = _parts(high_f, spec, style, reference=reference)
    if first.sign or last.sign:
        span = f"{format_value(low_f, unit, style=style)} to {format_value(high_f, unit, style=style)}"
    else:
        suffix = last.suffix
        if spec.singular and suffix == spec.singular:  # "1–2 chips", not "1–2 chip"
            suffix = spec.word
        span = f"{first.prefix}{first.number}–{last.number}{suffix}"
    return f"{middle} ({label} {span})"


def format_row(row: Mapping[str, Any], *, label: str = "range", style: Style = "short") -> str:
    """:func:`format_range` of a row with ``low``, ``central``, ``high`` and
    ``unit`` (a row of :func:`analysis.model.figures.headline`)."""
    return format_range(row["low"], row["central"], row["high"], row["unit"], label=label, style=style)


def unit_label(unit: str | None) -> str:
    """The unit as a table header or an axis title names it: ``US$``,
    ``chips``, ``%``, ``×``, ``months``, ``MW``."""
    return _unit(unit).label


def header(label: str, unit: str | None) -> str:
    """A column header with its unit: ``header("Approved", "chips")`` →
    ``Approved (chips)``; no parentheses for a bare count or a flag."""
    spec = _unit(unit)
    if spec.kind == "flag" or (spec.kind == "count" and not spec.word):
        return label
    return f"{label} ({spec.label})"


def axis_format(unit: str | None) -> str:
    """A d3-format string for a chart axis of this unit (a d3 time format for
    ``month``). d3's SI suffixes cannot write ``bn`` or a unit word, so use
    :func:`axis_options`, which adds a ``labelExpr`` where needed, to write
    ticks as :func:`format_value` writes numbers."""
    spec = _unit(unit)
    return {
        "money": "$,.3~s",
        "count": ",.3~s",
        "percent": ".3~%" if spec.multiplier == 100 else ",.3~r",
        "month": "%Y-%m",
        "sci": ".2~e",
    }.get(spec.kind, ",.3~r")


def _scaled_expr(scales: Sequence[tuple[float, str]], prefix: str, word: str) -> str:
    """A Vega expression writing |datum.value| with the first scale it reaches."""
    value = "abs(datum.value)"
    expr = f"'{prefix}' + format({value}, ',.3~r') + '{word}'"
    for divisor, label in reversed(scales):
        expr = f"{value} >= {divisor:g} ? '{prefix}' + format({value} / {divisor:g}, ',.3~r') + '{label}{word}' : {expr}"
    return f"(datum.value < 0 ? '{MINUS}' : '') + ({expr})"


def axis_options(unit: str | None, *, with_word: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``alt.Axis`` so ticks read like
    :func:`format_value`: ``US$10 bn``, ``400k``, ``2M``, ``57%``, ``6.7×``,
    ``2027-09``. Count and duration words (chips, months) are left to the
    axis title (:func:`unit_label`) unless ``with_word``. Tooltips cannot
    take an expression: give them a text column made with
    :func:`format_series` (or :func:`format_row`) instead."""
    spec = _unit(unit)
    options = {"format": axis_format(unit)}
    if spec.kind == "money":
        options["labelExpr"] = _scaled_expr(spec.scales, spec.prefix, "")
    elif spec.kind == "count":
        options["labelExpr"] = _scaled_expr(spec.scales, "", spec.word if with_word else "")
    elif spec.kind in ("times",) or (spec.kind == "percent" and spec.multiplier == 1) or spec.kind == "months" and with_word:
        options["labelExpr"] = f"format(datum.value, ',.3~r') + '{spec.word}'"
    return options


def format_series(values: pd.Series, unit: str | None, *, style: Style = "short") -> pd.Series:
    """:func:`format_value` over a Series (same index)."""
    return values.map(lambda v: format_value(v, unit, style=style))


def style_table(
    table: pd.DataFrame,
    units: Mapping[str, str | None] | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    row_unit: str | None = None,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
) -> Styler:
    """A DataFrame for display: no index numbers, readable headers with
    units, numbers formatted, text left-aligned and wrapped.

    - ``units`` maps columns to units: their header gains the unit
      (``Approved (chips)``) and their cells are written without it
      (``400k``).
    - ``row_unit`` names a column holding each row's unit (as in the headline
      table): the numeric columns are then written with their unit per row
      (``US$10.8 bn``) and the unit column is not shown.
    - ``labels`` maps columns to headers (default: the name with spaces for
      underscores); ``columns`` picks and orders the columns shown.
    - Text columns are left-aligned and wrap; numbers are right-aligned.
    - The HTML is the same on every run (element ids from the content).
    """
    import pandas as pd

    units = dict(units or {})
    labels = dict(labels or {})
    data = table.reset_index() if _named_index(table) else table.reset_index(drop=True)
    shown = list(columns) if columns is not None else [c for c in data.columns if c != row_unit]
    formatted = pd.DataFrame(index=data.index)
    numeric_columns, headers = [], {}
    for column in shown:
        unit_of_rows = data[row_unit] if row_unit is not None else None
        formatted[column], headers[column], numeric = _format_column(data[column], units, labels, unit_of_rows)
        if numeric:
            numeric_columns.append(column)
    numeric_headers = [headers[c] for c in numeric_columns]
    text_headers = [headers[c] for c in shown if c not in numeric_columns]
    formatted.columns = [headers[c] for c in shown]
    # The element ids come from the content, not at random, so that committed
    # notebook outputs stay byte-identical under strict nbval.
    content = formatted.to_csv(index=False) + (caption or "")
    styler = formatted.style.set_uuid(hashlib.sha256(content.encode("utf-8")).hexdigest()[:10]).hide(axis="index")
    if text_headers:
        styler = styler.set_properties(subset=text_headers, **{"text-align": "left", "white-space": "normal"})
    if numeric_headers:
        styler = styler.set_properties(subset=numeric_headers, **{"text-align": "right", "white-space": "nowrap"})
    styler = styler.set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
    if caption:
        styler = styler.set_caption(caption)
    return styler


def _format_column(
    series: pd.Series, units: Mapping[str, str | None], labels: Mapping[str, str], row_units: pd.Series | None
) -> tuple[Any, str, bool]:
    """One column of :func:`style_table`: its cells as text, its header, and
    whether it is numeric (right-aligned)."""
    import pandas as pd

    column = series.name
    label = labels.get(column, _default_label(column))
    is_numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    if column in units:
        return format_series(series, units[column], style="number"), header(label, units[column]), True
    if row_units is not None and is_numeric:
        return [format_value(v, u) for v, u in zip(series, row_units)], label, True
    if is_numeric:
        return format_series(series, None, style="number"), label, True
    return series.map(lambda v: MISSING if is_missing(v) else str(v)), label, False


def _named_index(table: pd.DataFrame) -> bool:
    return any(name is not None for name in table.index.names)


def _default_label(column: Any) -> str:
    text = str(column).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 scenario``, ``3 scenarios``, ``0 jobs``: the count and the word in
    the right number (``many`` for irregular plurals: ``plural(2, "copy", "copies")``)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: a list in a sentence."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}" if items else ""

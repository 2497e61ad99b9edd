"""analysis.core.number_parts: the pieces analysis.core.formatting writes a number
from (tests/core/test_formatting.py tests the written numbers). Every expected
value is worked out by hand from the precision rule in formatting's docstring."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from analysis.core.number_parts import (
    MINUS,
    MISSING,
    UNITS,
    _date_text,
    _decimals,
    _month_text,
    _Parts,
    _parts,
    _round,
    _scale_for,
    _unit,
    is_missing,
)


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, np.float64("nan"), pd.NA, pd.NaT, np.datetime64("NaT")])
def test_missing_values(value):
    assert is_missing(value) is True


@pytest.mark.parametrize("value", [0, 0.0, False, "", "nan", math.inf, [], np.array([np.nan]), date(2026, 1, 1)])
def test_values_that_are_not_missing(value):
    assert is_missing(value) is False  # a list or an array is not one missing value, even of NaNs


def test_the_missing_marker_and_the_minus_sign():
    assert MISSING == "\u2014"  # em dash
    assert MINUS == "\u2212"  # the minus sign d3-format (hence Vega) writes


def test_units_say_how_they_are_written():
    assert (UNITS["USD"].prefix, UNITS["USD"].label, UNITS["USD"].scales[0]) == ("US$", "US$", (1e12, " tn"))
    assert (UNITS["fraction"].multiplier, UNITS["fraction"].word, UNITS["fraction"].sig) == (100.0, "%", 2)
    assert (UNITS["chips"].word, UNITS["chips"].singular, UNITS["chips"].label) == (" chips", " chip", "chips")
    assert (UNITS["H100e"].singular, UNITS["count"].word, UNITS["count"].label) == (" H100e", "", "number")
    assert (UNITS["MW"].si_base, UNITS["MW"].si_power, UNITS["TB"].si_power, UNITS["EFLOP/s"].label) == ("W", 6, 12, "EFLOP/s")


def test_unit_names_aliases_and_unknown_units():
    assert _unit("TFLOPS") is UNITS["TFLOP/s"] and _unit("usd") is UNITS["USD"] and _unit("US$") is UNITS["USD"]
    assert _unit(None) is UNITS[""]
    with pytest.raises(ValueError, match=r"^unknown unit 'furlongs'; known units: ") as refused:
        _unit("furlongs")
    assert "EFLOP/s, FLOP, FLOP/s, GB" in str(refused.value)  # the known units, sorted


@pytest.mark.parametrize(
    ("shown", "unit", "scaled", "decimals"),
    [
        (10.8, "USD", True, 1),  # three figures from 10: two digits before the point, one after
        (9.72, "USD", True, 1),  # two figures below 10
        (27_350, "USD", False, -2),  # from 1,000 three figures: round to hundreds
        (999.0, "USD", False, 0),  # 100-999 whole
        (5.7, "fraction", False, 1),
        (0.0004, "ratio", False, 3),  # two figures would need five decimals: three at most
        (7, "chips", False, 0),  # a count below 1,000 is whole
        (2.0, "chips", True, 1),  # ... unless a scale follows (2.0M)
        (0, "USD", False, 0),
    ],
)
def test_decimals_follow_the_precision_rule(shown, unit, scaled, decimals):
    assert _decimals(shown, UNITS[unit], scaled=scaled) == decimals


def test_rounding_is_half_up_on_the_decimal_as_written():
    assert _round(10.85, 1) == Decimal("10.9")  # the binary float 10.85 is just below: round() gives 10.8
    assert _round(2.5, 0) == Decimal(3)  # half up, not half even
    assert _round(27_350, -2) == Decimal(27_400)


@pytest.mark.parametrize(
    ("size", "unit", "scale"),
    [
        (1.2e9, "USD", (1e9, " bn")),
        (999, "chips", (1.0, "")),
        (1_200, "MW", (1e3, " GW")),  # 1,200 MW is 1.2 GW
        (0.5, "MW", (1e-3, " kW")),
        (2.3e26, "FLOP", (1e26, " × 10²⁶")),
    ],
)
def test_the_scale_is_the_largest_not_above_the_magnitude(size, unit, scale):
    divisor, label = _scale_for(size, UNITS[unit])
    assert (divisor, label) == (pytest.approx(scale[0]), scale[1])


@pytest.mark.parametrize(
    ("value", "unit", "style", "reference", "parts"),
    [
        (-1.2e9, "USD", "short", None, _Parts(MINUS, "US$", "1.2", " bn")),
        (1, "chips", "short", None, _Parts("", "", "1", " chip")),
        (400_000, "chips", "number", None, _Parts("", "", "400", "k")),  # under a header: no unit word
        (360_000, "chips", "short", 440_000, _Parts("", "", "360", "k chips")),  # scale and precision of the larger bound
        (0.5718, "fraction", "short", None, _Parts("", "", "57", "%")),
        (56_400, "TB", "number", None, _Parts("", "", "56,400", "")),  # under a "TB" header: no prefix change
        (999_950, "chips", "short", None, _Parts("", "", "1", "M chips")),  # rounds up into the next scale
        (1e-7, "fraction", "short", None, _Parts("", "", "≈0", "%")),
        (2.3e26, "FLOP", "short", None, _Parts("", "", "2.3", " × 10²⁶ FLOP")),
    ],
)
def test_a_number_splits_into_sign_prefix_number_and_suffix(value, unit, style, reference, parts):
    assert _parts(value, UNITS[unit], style, reference=reference) == parts


def test_parts_read_back_as_one_text():
    assert _Parts(MINUS, "US$", "1.2", " bn").text() == "\u2212US$1.2 bn"


def test_months_and_dates_in_words():
    assert _month_text(2026 * 12 + 5) == "June 2026"  # a month index: year × 12 + month − 1
    assert _month_text(math.inf) == "never (within the horizon)" and _month_text(-math.inf) == MISSING
    assert _month_text("2027-9") == "September 2027"
    assert _date_text("2026-02-24") == "24 February 2026" and _date_text(date(2026, 7, 1)) == "1 July 2026"
    assert _date_text(3) == MISSING  # a number is no date
    with pytest.raises(ValueError, match="not a date"):
        _date_text("2026-13-01")

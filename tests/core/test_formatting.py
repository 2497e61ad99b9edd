"""analysis.core.formatting: every expected string below is worked out by hand from
the precision rule in the module docstring (3 significant figures from 10,
2 below 10; 2 for %, × and months; half up; whole counts below 1,000)."""

from __future__ import annotations

import math
import re
from datetime import date

import altair as alt
import numpy as np
import pandas as pd
import pytest
import vl_convert
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.formatting import (
    axis_format,
    axis_options,
    format_range,
    format_row,
    format_value,
    header,
    plural,
    style_table,
    unit_label,
)
from analysis.core.number_parts import MINUS, UNITS


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        # USD: bn / m / tn, in full below a million, three significant figures
        (10.8e9, "USD", "US$10.8 bn"),
        (9_720_000_000, "USD", "US$9.7 bn"),  # two figures below 10
        (50_000_000_000, "USD", "US$50 bn"),
        (17e9, "USD", "US$17 bn"),
        (27_000, "USD", "US$27,000"),
        (27_350, "USD", "US$27,400"),  # half up at the hundreds
        (250e6, "USD", "US$250 m"),
        (1.234e12, "USD", "US$1.2 tn"),
        (999.4, "USD", "US$999"),
        (0, "USD", "US$0"),
        (-1.2e9, "USD", f"{MINUS}US$1.2 bn"),
        # fractions and percentages: two significant figures, never rounded below the unit
        (0.5718, "fraction", "57%"),
        (0.25, "fraction", "25%"),
        (0.057, "fraction", "5.7%"),
        (0.0057, "fraction", "0.57%"),
        (1.0, "fraction", "100%"),
        (1.234, "fraction", "123%"),
        (0, "fraction", "0%"),
        (-0.12, "fraction", f"{MINUS}12%"),
        (57.18, "percent", "57%"),
        # counts: k / M / bn without a space, whole below 1,000, singular for one
        (400_000, "chips", "400k chips"),
        (2_000_000, "chips", "2M chips"),
        (2_200_000, "chips", "2.2M chips"),
        (333_333_333, "chips", "333M chips"),
        (56_400, "chips", "56.4k chips"),
        (700, "chips", "700 chips"),
        (7, "chips", "7 chips"),
        (1, "chips", "1 chip"),
        (0, "chips", "0 chips"),
        (8_000, "modules", "8k modules"),
        (1, "modules", "1 module"),
        (395_800, "H100e", "396k H100e"),
        (1_500, "GPUs", "1.5k GPUs"),
        (12_345, "", "12.3k"),
        (12_345, None, "12.3k"),
        # multiples, ratios, durations, calendar months, flags
        (6.67, "times", "6.7×"),
        (6.75, "times", "6.8×"),  # half up, not half even
        (12.3, "times", "12×"),
        (1.0, "ratio", "1.0"),
        (20, "months", "20 months"),
        (1, "months", "1 month"),
        (2.5, "months", "2.5 months"),
        (3.0, "months", "3 months"),
        (0, "months", "0 months"),
        ("2027-09", "month", "September 2027"),
        ("2027-9-01", "month", "September 2027"),
        (pd.Period("2027-09", freq="M"), "month", "September 2027"),
        (pd.Timestamp("2026-02-15"), "month", "February 2026"),
        (date(2026, 7, 1), "month", "July 2026"),
        (True, "flag", "yes"),
        ("false", "flag", "no"),
        # SI quantities: the prefix that fits
        (280, "MW", "280 MW"),
        (1_200, "MW", "1.2 GW"),
        (0.5, "MW", "500 kW"),
        (56_400, "TB", "56.4 PB"),
        (141, "GB", "141 GB"),
        (395_800, "PFLOP/s", "396 EFLOP/s"),
        (395_800, "PFLOPS", "396 EFLOP/s"),
        (989.5, "TFLOP/s", "990 TFLOP/s"),
    ],
)
def test_format_value_by_unit(value, unit, expected):
    assert format_value(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (999_950, "chips", "1M chips"),  # 999.95k rounds to 1,000k: written in the next scale
        (999_499, "chips", "999k chips"),
        (999.6, "chips", "1k chips"),
        (99_950, "chips", "100k chips"),  # 99.95k → 100k: three figures, no decimal
        (9.96, "ratio", "10"),  # 10.0 at two figures below 10 becomes 10 at two figures from 10
        (99.96, "times", "100×"),
        (999.96e9, "USD", "US$1 tn"),
        (10.85e9, "USD", "US$10.9 bn"),  # 10.85 half up (binary floats would give 10.8)
        (0.9996, "fraction", "100%"),
        (0.00096, "fraction", "0.096%"),
        (1e-7, "fraction", "≈0%"),  # below the last decimal kept
        (-1e-7, "fraction", "≈0%"),
        (-0.0, "USD", "US$0"),  # no minus sign on zero
        (-0.0004, "ratio", "≈0"),
    ],
)
def test_boundary_roundings(value, unit, expected):
    assert format_value(value, unit) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
@pytest.mark.parametrize("unit", ["USD", "fraction", "chips", "months", "month", "MW", "flag"])
def test_missing_values_read_a_dash(missing, unit):
    assert format_value(missing, unit) == "—"


def test_infinities_and_unknown_units():
    assert format_value(math.inf, "months") == "∞"
    assert format_value(-math.inf, "USD") == f"{MINUS}∞"
    with pytest.raises(ValueError, match="unknown unit 'furlongs'.*known units: .*USD"):
        format_value(1, "furlongs")
    with pytest.raises(ValueError, match="calendar month"):
        format_value("2027-13", "month")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (10.8e9, "USD", "10.8 bn"),
        (27_000, "USD", "27,000"),
        (400_000, "chips", "400k"),
        (0.5718, "fraction", "57"),
        (6.67, "times", "6.7"),
        (20, "months", "20"),
        (56_400, "TB", "56,400"),  # under a "TB" header: no prefix change
        (280, "MW", "280"),
        ("2027-09", "month", "September 2027"),
    ],
)
def test_number_style_leaves_the_unit_to_the_header(value, unit, expected):
    assert format_value(value, unit, style="number") == expected


@pytest.mark.parametrize(
    ("low", "central", "high", "unit", "kwargs", "expected"),
    [
        (9.72e9, 10.8e9, 11.88e9, "USD", {"label": "90% range"}, "US$10.8 bn (90% range US$9.7–11.9 bn)"),
        (360_000, 400_000, 440_000, "chips", {}, "400k chips (range 360–440k chips)"),
        # the bounds take the larger bound's scale and precision: 2.0M → one decimal in M
        (360_000, 1_000_000, 2_000_000, "chips", {}, "1M chips (range 0.4–2M chips)"),
        (0.4, 0.5718, 0.75, "fraction", {}, "57% (range 40–75%)"),
        (18, 20, 24, "months", {}, "20 months (range 18–24 months)"),
        (1, 1, 2, "chips", {}, "1 chip (range 1–2 chips)"),
        (252, 280, 308, "MW", {}, "280 MW (range 252–308 MW)"),
        (6.7, 6.7, 6.7, "times", {}, "6.7×"),  # no range to show
        (-1.2e9, 1e9, 3.4e9, "USD", {}, f"US$1 bn (range {MINUS}US$1.2 bn to US$3.4 bn)"),
        ("2026-11", "2027-03", "2027-09", "month", {}, "March 2027 (range November 2026 to September 2027)"),
        (float("nan"), 10.8e9, 11.88e9, "USD", {}, "US$10.8 bn"),
        (9.72e9, float("nan"), 11.88e9, "USD", {}, "— (range US$9.7–11.9 bn)"),
    ],
)
def test_format_range(low, central, high, unit, kwargs, expected):
    assert format_range(low, central, high, unit, **kwargs) == expected


def test_every_unit_has_a_label_and_an_axis_format():
    for unit in UNITS:
        assert isinstance(unit_label(unit), str)
        assert axis_format(unit)
    assert header("Approved", "chips") == "Approved (chips)"
    assert header("Value", "USD") == "Value (US$)"
    assert header("Share", "fraction") == "Share (%)"
    assert header("Rows", "count") == "Rows"


def _tick_labels(unit: str, domain: list[float], **kwargs) -> list[str]:
    """Draw an axis with vl-convert (Vega's own formatter) and read its tick labels."""
    chart = (
        alt.Chart(pd.DataFrame({"x": domain}))
        .mark_point()
        .encode(x=alt.X("x:Q", axis=alt.Axis(**axis_options(unit, **kwargs)), scale=alt.Scale(domain=domain, nice=False)))
    )
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    labels = re.search(r'role-axis-label".*?</g>', svg, re.DOTALL).group(0)
    return re.findall(r">([^<]*)</text>", labels)


def test_axis_ticks_read_like_format_value():
    assert _tick_labels("USD", [0, 2e10])[:3] == ["US$0", "US$2 bn", "US$4 bn"]
    assert _tick_labels("USD", [-2e9, 2e9]) == [
        f"{MINUS}US$2 bn",
        f"{MINUS}US$1.5 bn",
        f"{MINUS}US$1 bn",
        f"{MINUS}US$500 m",
        "US$0",
        "US$500 m",
        "US$1 bn",
        "US$1.5 bn",
        "US$2 bn",
    ]
    assert _tick_labels("chips", [0, 2.2e6])[4:7] == ["800k", "1M", "1.2M"]
    assert _tick_labels("chips", [0, 2e6], with_word=True)[1] == "200k chips"
    assert _tick_labels("fraction", [0, 0.6]) == ["0%", "10%", "20%", "30%", "40%", "50%", "60%"]
    assert _tick_labels("times", [0, 8])[6] == "6×"
    assert _tick_labels("percent", [0, 60])[-1] == "60%"


def test_style_table_hides_the_index_names_units_and_aligns_text():
    table = pd.DataFrame(
        {
            "buyer": ["ByteDance", "Alibaba"],
            "units": [200_000, 150_000.0],
            "power_mw": [140.0, 105.0],
            "quote": ["« plus de 200 000 »", "jusqu'à 150 000"],
        },
        index=[7, 8],
    )
    html = style_table(table, {"units": "chips", "power_mw": "MW"}, labels={"power_mw": "Power"}).to_html()
    headers = re.findall(r"<th [^>]*>([^<]*)</th>", html)
    assert headers == ["Buyer", "Units (chips)", "Power (MW)", "Quote"]  # no index header
    cells = re.findall(r"<td [^>]*>([^<]*)</td>", html)
    assert cells == ["ByteDance", "200k", "140", "« plus de 200 000 »", "Alibaba", "150k", "105", "jusqu'à 150 000"]
    assert ">7<" not in html and ">8<" not in html
    # the quote column (4th) is left-aligned and wraps; numbers are right-aligned
    assert re.search(r"#T_\w+_row0_col3[^{]*\{\s*text-align: left;\s*white-space: normal;", html)
    assert re.search(r"#T_\w+_row0_col1[^{]*\{\s*text-align: right;", html)


def test_style_table_with_a_unit_per_row():
    table = pd.DataFrame(
        {"low": [9.72e9, 0.4], "central": [10.8e9, 0.5718], "high": [11.88e9, 0.75], "unit": ["USD", "fraction"]},
        index=pd.Index(["approved_value_usd", "approved_share"], name="figure"),
    )
    html = style_table(table, row_unit="unit", labels={"figure": "Figure"}).to_html()
    assert re.findall(r"<th [^>]*>([^<]*)</th>", html) == ["Figure", "Low", "Central", "High"]
    cells = re.findall(r"<td [^>]*>([^<]*)</td>", html)
    assert cells == ["approved_value_usd", "US$9.7 bn", "US$10.8 bn", "US$11.9 bn", "approved_share", "40%", "57%", "75%"]


# --- property: never raises, never more than 4 significant digits, no long digit runs ---

_FORMATTED_UNITS = [u for u, spec in UNITS.items() if spec.kind not in ("month", "flag")]


def _significant_digits(text: str) -> int:
    """Significant digits in the first number of ``text`` (separators ignored)."""
    match = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if not match:
        return 0
    digits = match.group(0).replace(",", "").replace(".", "").lstrip("0")
    if "." not in match.group(0):
        digits = digits.rstrip("0")  # 27,000: trailing zeros of a whole number are not significant
    return len(digits)


@settings(max_examples=400, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(_FORMATTED_UNITS))
def test_format_value_never_raises_nor_writes_long_numbers(value, unit):
    text = format_value(value, unit)
    assert _significant_digits(text) <= 4, text
    assert not re.search(r"\d{9,}", text), text
    short = format_value(value, unit, style="number")
    assert not re.search(r"\d{9,}", short), short


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False), min_size=3, max_size=3),
    st.sampled_from(_FORMATTED_UNITS),
)
def test_format_range_never_raises(values, unit):
    low, central, high = sorted(values)
    text = format_range(low, central, high, unit)
    assert not re.search(r"\d{9,}", text), text
    for number in re.findall(r"\d[\d,]*(?:\.\d+)?", text):
        assert _significant_digits(number) <= 4, text


def test_the_module_docstring_examples_hold():
    import doctest

    import analysis.core.formatting

    result = doctest.testmod(analysis.core.formatting)
    assert result.attempted >= 9 and result.failed == 0


def test_style_table_html_is_the_same_on_every_run():
    table = pd.DataFrame({"buyer": ["ByteDance"], "units": [200_000]})
    first = style_table(table, {"units": "chips"}).to_html()
    assert first == style_table(table.copy(), {"units": "chips"}).to_html()  # strict nbval compares text/html
    other = style_table(table.assign(units=[150_000]), {"units": "chips"}).to_html()
    assert re.search(r'id="(T_\w+)"', first).group(1) != re.search(r'id="(T_\w+)"', other).group(1)


def test_format_row_reads_a_headline_row():
    row = pd.Series({"low": 360_000.0, "central": 400_000.0, "high": 440_000.0, "unit": "chips", "sources": "claims: c01"})
    assert format_row(row) == "400k chips (range 360–440k chips)"
    assert format_row(row.to_dict(), label="90% range") == "400k chips (90% range 360–440k chips)"


def test_plural():
    assert [plural(n, "scenario") for n in (0, 1, 2, 1200)] == ["0 scenarios", "1 scenario", "2 scenarios", "1,200 scenarios"]
    assert plural(1, "copy", "copies") == "1 copy" and plural(3, "copy", "copies") == "3 copies"

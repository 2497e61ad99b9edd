"""The charts as a reader meets them, from their static SVG (vl-convert, no browser):
every row given is drawn (an open range runs to the axis end, marked), every
mark's accessible label (aria-label, and the ``<title>`` hover text) reads in
words and formatted numbers, and every chart carries a description."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from helpers import labels_of, marks, raw_in

from analysis.model.engine import Provenance
from analysis.present import charts, rendering

INF = float("inf")


def headline_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": ["Months to meet firm orders", "Months to the first delivery", "Months under fast approvals"],
            "low": [4.0, 2.0, 1.0],
            "central": [9.0, 5.0, 3.0],
            "high": [INF, 11.0, 6.0],
            "unit": ["months"] * 3,
            "sources": [Provenance(scenario=("approval_lag_months",))] * 3,
        },
        index=["months_firm", "months_first", "months_fast"],
    )


def test_raw_checks_would_catch_each_problem():
    assert [
        p.split(":")[0] for p in raw_in(["central: 10800000000", "high: 0.590323613213", "values from $0 to $12G", "approved_value_usd"])
    ] == [
        "long number",
        "long decimals",
        "SI money",
        "code identifier",
    ]
    assert raw_in(["central: US$10.8 bn (90% range US$8.7–11.7 bn)", "165k chips", "59%"]) == []


def test_every_row_is_drawn_and_an_open_range_runs_to_the_axis_end():
    table = headline_table()
    svg = rendering.chart_to_svg(charts.headline_ranges(table, list(table.index), "Months"))
    bars, ticks, notes = marks(svg, "bar"), marks(svg, "tick"), marks(svg, "text mark")
    assert (len(bars), len(ticks)) == (len(table), len(table))  # a mark per row given, the open one too
    assert len(notes) == 1 and "Months to meet firm orders" in notes[0]
    assert "beyond the horizon" in svg
    # The open bar ends furthest right: at the axis end, past every finite value (11 months).
    ends = {
        re.search(r'aria-label="figure: ([^;]*);', b).group(1): float(re.search(r"d=\"M([\d.]+),[\d.]+h([\d.]+)", b).group(1))
        + float(re.search(r"d=\"M([\d.]+),[\d.]+h([\d.]+)", b).group(2))
        for b in bars
    }
    assert ends["Months to meet firm orders"] > ends["Months to the first delivery"] > ends["Months under fast approvals"]


def test_open_ranges_draws_to_past_the_largest_finite_value():
    drawn, end = charts.open_ranges(headline_table())
    assert end == pytest.approx(11.0 * 1.15)
    assert list(drawn["high_drawn"]) == pytest.approx([11.0 * 1.15, 11.0, 6.0])
    assert list(drawn["open"]) == [True, False, False]


def heatmap():
    grid = pd.DataFrame(
        [(u, p, u * p, u * p * 0.25) for u in (100_000, 400_000, 2_500_000) for p in (20_000.0, 27_350.0)],
        columns=["units", "price_usd", "value_usd", "us_take_usd"],
    )
    return charts.sensitivity_heatmap(grid)


def tornado():
    table = pd.DataFrame({"input": ["approval_lag_months", "price_usd"], "low": [8.66e9, 9.1e9], "high": [11.7e9, 12.5e9]})
    return charts.tornado_chart(table, 10.8e9, "Value of the approved batch", "USD")


def compute_balance():
    table = pd.DataFrame(
        {
            "item": ["approved H200", "Huawei output (SemiAnalysis)"],
            "group": ["H200", "Huawei"],
            "central": [1_234_567.891, 200_000.0],
            "low": [1_000_000.5, 150_000.0],
            "high": [1_400_000.25, 260_000.0],
            "source": [Provenance(scenario=("price_usd_per_h200",)), "SemiAnalysis, 2025"],
        }
    )
    return charts.compute_balance_chart(table)


def rule_box():
    table = pd.DataFrame(
        {
            "chip": ["H200", "B200"],
            "tpp": [15832.3456, 36000.0],
            "memory_bandwidth_gbs": [4800.0, 8000.0],
            "eligible": [True, False],
            "reason": ["below both ceilings", "above the TPP ceiling"],
        }
    )
    return charts.rule_box_chart(table, 21000.0, 6500.0)


@pytest.mark.parametrize("build", [heatmap, tornado, compute_balance, rule_box], ids=lambda f: f.__name__)
def test_each_chart_kind_speaks_in_words(build):
    chart = build()
    spec = chart.to_dict()
    assert spec.get("description") and not raw_in([spec["description"]])
    texts = labels_of(rendering.chart_to_svg(chart))
    assert texts and raw_in(texts) == []


def test_heatmap_tooltip_is_on_the_number_too():
    spec = heatmap().to_dict()
    # The text layer lies over each cell and takes the pointer: it carries the same tooltip as the cell.
    by_mark = {layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]: layer["encoding"] for layer in spec["layer"]}
    assert set(by_mark) == {"rect", "text"}
    for encoding in by_mark.values():
        assert [t["title"] for t in encoding["tooltip"]] == ["H200 units", "price per H200", "value of the sales", "US government's take"]

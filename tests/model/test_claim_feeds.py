"""What an accepted claim changes (analysis.model.claim_feeds): the model inputs and
headline figures it feeds, the scenario assumption it restates and the scenarios it
contradicts, and the lines ``claims review --accept`` prints."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import yaml
from helpers import CENTRAL, SCENARIOS, replace_in_file

from analysis.metadata import registry
from analysis.model import claim_feeds

TAKE = "US government's take, share of the import value"
HUAWEI = "Huawei's 2026 Ascend 910C output"


def _scenario_with(tmp_path, name: str, old: str, new: str):
    """A copy of the central scenario under another name, one value changed."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(CENTRAL.read_text(encoding="utf-8"), encoding="utf-8")
    replace_in_file(path, "name: central", f"name: {name}")
    replace_in_file(path, old, new)
    return path


@pytest.mark.parametrize(
    ("metric", "entity", "inputs"),
    [
        ("stock_units", "Nvidia", ["stock_units"]),
        ("approved_units", "total", ["approved_units"]),
        ("requested_units", "Alibaba", ["requested_units_alibaba"]),
        ("requested_units", "ByteDance", ["requested_units_bytedance"]),
        ("market_size_usd", "China", ["huang_estimate_usd"]),
        ("stock_units", "AMD", []),  # another entity: not the model's input
        ("price_usd_per_chip", "H200", []),  # the price comes from the scenario
    ],
)
def test_fed_inputs_are_the_model_inputs_of_that_metric_and_entity(metric, entity, inputs):
    assert claim_feeds.fed_inputs(metric, entity) == inputs


def _figures_reading(name: str) -> list[str]:
    """From figures.yaml as written: the titles of the figures whose inputs hold ``name``, groups expanded."""
    document = yaml.safe_load(registry.REGISTRY_PATH.read_text(encoding="utf-8"))

    def expand(items):
        return {leaf for item in items for leaf in (expand(document["groups"][item[1:]]) if item.startswith("@") else {item})}

    return [entry["title"] for entry in document["figures"].values() if name in expand(entry["inputs"])]


def test_fed_figures_are_those_whose_inputs_include_the_fed_ones():
    assert claim_feeds.fed_figures("market_size_usd", "China") == ["First-year value against Huang's yearly market estimate"]
    assert claim_feeds.fed_figures("requested_units", "Alibaba") == []  # the allocation among buyers: no headline figure
    stock = claim_feeds.fed_figures("stock_units", "Nvidia")
    assert stock == _figures_reading("stock_units")
    assert {"Nvidia's H200 stock", "Orders beyond the stock", "Expected deliveries by the end of 2026"} <= set(stock)
    assert "Reported orders" not in stock and "Value of the approved batch" not in stock


def test_a_metric_no_assumption_stands_for_conflicts_with_nothing():
    assert claim_feeds.assumption_conflicts("stock_units", 1.0, None, [CENTRAL]) == ("", [])


def test_a_claim_in_percent_is_compared_as_the_scenarios_share(tmp_path):
    low_take = _scenario_with(tmp_path, "low-take", "  us_take_share:\n    value: 0.25", "  us_take_share:\n    value: 0.15")
    # 25% exact: the central 0.25 agrees, 0.15 does not.
    assert claim_feeds.assumption_conflicts("us_take_percent", 25.0, "exact", [CENTRAL, low_take]) == (
        TAKE,
        [f"conflicts with scenario 'low-take': {TAKE} is 15% there"],
    )
    # "at least 20%": 0.25 is allowed, 0.15 is not; "at most 20%": the reverse.
    assert claim_feeds.assumption_conflicts("us_take_percent", 20.0, "at_least", [CENTRAL, low_take])[1] == [
        f"conflicts with scenario 'low-take': {TAKE} is 15% there"
    ]
    assert claim_feeds.assumption_conflicts("us_take_percent", 20.0, "at_most", [CENTRAL, low_take])[1] == [
        f"conflicts with scenario 'central': {TAKE} is 25% there"
    ]


def test_a_rounding_difference_is_no_conflict():
    # 50.000000001% of the cap is 0.50000000001, within a billionth of the central 0.5.
    assert claim_feeds.assumption_conflicts("us_cap_percent", 50.000000001, None, [CENTRAL])[1] == []
    assert claim_feeds.assumption_conflicts("us_cap_percent", 50.1, None, [CENTRAL])[1] != []


def test_a_conflict_with_an_uncertain_assumption_gives_its_range():
    assert claim_feeds.assumption_conflicts("huawei_output_units", 500_000.0, "at_most", [CENTRAL]) == (
        HUAWEI,
        [f"conflicts with scenario 'central': {HUAWEI} is 600k chips there, range 200k chips to 805k chips"],
    )
    assert claim_feeds.assumption_conflicts("huawei_output_units", 700_000.0, "at_most", [CENTRAL]) == (HUAWEI, [])


def test_every_metric_assumption_is_a_scenario_key_in_the_claims_unit():
    from analysis.model.scenarios import load_scenario

    central = load_scenario(CENTRAL)
    for metric, (key, factor) in claim_feeds.METRIC_ASSUMPTIONS.items():
        assert key in central.assumptions, metric
        assert factor == (0.01 if metric.endswith("_percent") else 1.0), metric


def _row(metric, entity, value, unit, bound="exact", article="901_b"):
    return SimpleNamespace(article_id=article, metric=metric, entity=entity, value=value, unit=unit, bound=bound)


def test_accept_lines_for_a_request_that_feeds_the_allocation_only():
    row = _row("requested_units", "Alibaba", 200_000.0, "chips", "at_least", article="003_5f22817db57bbc42")
    lines = claim_feeds.accept_lines(
        [row], ["c30"], {"requested_units": "H200 units a named company sought"}, {"003_5f22817db57bbc42": "Reuters, 28 January 2026"}, []
    )
    assert lines == [
        "appended c30: H200 units a named company sought (Alibaba), at least 200k chips (Reuters, 28 January 2026)",
        "  feeds Alibaba's request (claims) in the model (the allocation among buyers), no headline figure",
    ]


def test_accept_lines_for_a_take_against_every_shipped_scenario():
    row = _row("us_take_percent", "total", 15.0, "percent", bound=math.nan)  # a missing bound reads as exact
    lines = claim_feeds.accept_lines([row], ["c31"], {}, {})
    assert lines == [
        "appended c31: us take percent (all buyers), 15% (901_b)",
        f"  feeds no figure: the figures take {TAKE} from the scenario, not from the claims",
        *(f"  conflicts with scenario {path.stem!r}: {TAKE} is 25% there" for path in SCENARIOS),
    ]


def test_accept_lines_for_a_market_estimate_and_two_claims_at_once():
    rows = [_row("market_size_usd", "China", 50e9, "USD"), _row("approved_buyer", "DeepSeek", 0.0, None)]
    lines = claim_feeds.accept_lines(rows, ["c32", "c33"], {"market_size_usd": "Size of China's market"}, {}, [])
    assert lines == [
        "appended c32: Size of China's market, US$50 bn (901_b)",
        "  feeds 1 figure(s): First-year value against Huang's yearly market estimate",
        "appended c33: approved buyer (DeepSeek), 0 (901_b)",
        "  feeds no figure: the model reads no claim of this kind (it is shown in notebook 01 only)",
    ]

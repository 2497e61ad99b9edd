"""Allocation rules: max-min fair water filling, proportional and capped equal splits, vectorised over draws."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.model import allocation


@pytest.mark.parametrize(
    "approved, expected",
    [(300, [100, 50, 150]), (120, [40, 40, 40]), (500, [100, 50, 300]), (0, [0, 0, 0])],
)
def test_max_min_fair_water_filling(approved, expected):
    split = allocation.max_min_fair({"a": 100, "b": 50, "c": 300}, approved)
    assert [split[k] for k in "abc"] == pytest.approx(expected)


def test_proportional_and_capped_equal_splits():
    assert allocation.proportional({"a": 100, "b": 300}, 200) == {"a": 50, "b": 150}
    # Equal shares of 300 are 100 each, but "c" asked for 50: it gets 50 and 50 stays unallocated.
    split = allocation.split("equal", {"a": 100, "b": 300, "c": 50}, np.float64(300))
    assert {k: float(v) for k, v in split.items()} == {"a": 100, "b": 100, "c": 50, "unallocated": 50}
    # More approved than asked: no rule gives more than the request.
    for rule in allocation.RULES:
        given = allocation.split(rule, {"a": 100, "b": 50}, np.float64(400))
        assert float(given["a"]) == 100 and float(given["b"]) == 50 and float(given["unallocated"]) == 250


def test_max_min_fair_vectorised_over_draws():
    requests = {"a": np.array([100.0, 10.0]), "b": np.array([50.0, 10.0]), "c": np.array([300.0, 10.0])}
    split = allocation.max_min_fair(requests, np.array([300.0, 12.0]))
    assert [split[k].tolist() for k in "abc"] == [[100, 4], [50, 4], [150, 4]]

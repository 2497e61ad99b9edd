"""Conditioning on the record and scoring forecasts: hand-computed toy cases, and the exact forward pass
checked against sampled paths of the same gates (an independent path)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.model import conditioning, supply
from analysis.model.conditioning import Observation


def _none_delivered(month: int) -> Observation:
    return Observation("delivered_units", f"month {month}", month, f"0 delivered through month {month}", 0.0, "exact")


def _exact(months, a=0.5, b=0.2, observations=(), close=0.0, earliest=0):
    return conditioning.delivery_probability(
        months,
        us_open_prob=np.array([a]),
        us_close_prob=np.array([close]),
        cn_open_prob=np.array([b]),
        cn_close_prob=np.array([close]),
        earliest=np.array([earliest]),
        horizon=24,
        observations=list(observations),
    )


def test_chance_of_a_delivery_by_hand():
    # Gates that never close: a delivery by month m iff both have opened by m (months 0..m, m+1 chances each).
    # a = 0.5, b = 0.2, m = 2: (1 - 0.5**3)(1 - 0.8**3) = 0.875 × 0.488 = 0.427.
    by_month = _exact([2])
    assert by_month[2][0] == pytest.approx(0.875 * 0.488)
    # Nothing delivered through month 1 (0.75 × 0.36 = 0.27 had delivered by then):
    # by month 3, (0.9375 × 0.5904 − 0.27) / (1 − 0.27).
    seen = _exact([1, 3], observations=[_none_delivered(1)])
    assert seen[1][0] == 0.0
    assert seen[3][0] == pytest.approx((0.9375 * 0.5904 - 0.27) / (1 - 0.27))


def test_a_closed_gate_observed_and_the_earliest_month():
    # Beijing reported closed in month 2: its gate cannot have opened in months 0-2 either (it never closes).
    blocked = Observation("beijing_import_status", "m2", 2, "Beijing blocked", status="blocked")
    seen = _exact([2, 3], observations=[blocked])
    assert seen[2][0] == 0.0
    # Month 3: US opened by then (1 - 0.5**4) × Beijing opens in month 3 (0.2).
    assert seen[3][0] == pytest.approx((1 - 0.5**4) * 0.2)
    # No gate opens before `earliest`: nothing by month 1 when the earliest month is 2.
    assert _exact([1], earliest=2)[1][0] == 0.0


def test_exact_chance_agrees_with_sampled_paths_of_the_same_gates():
    rng = np.random.default_rng(11)
    draws, horizon = 200_000, 24
    us = supply.gate_path(0.3, 0.1, rng.random((horizon, draws)), 1)
    cn = supply.gate_path(0.15, 0.2, rng.random((horizon, draws)), 1)
    both = us & cn
    first = np.where(both.any(axis=0), both.argmax(axis=0), np.inf)
    delivered = (np.arange(horizon)[:, None] >= first[None, :]).astype(float)
    observations = [
        Observation("beijing_import_status", "m0", 0, "blocked", status="blocked"),
        _none_delivered(1),
        Observation("us_licence_status", "m1", 1, "limited", status="limited"),
        Observation("beijing_import_status", "m4", 4, "paused", status="paused"),
        _none_delivered(5),
    ]
    alive, survival = conditioning.survivors(observations, delivered, us, cn, margin=0.1)
    assert survival["surviving"].is_monotonic_decreasing and survival["surviving"].iloc[-1] == alive.sum()
    exact = conditioning.delivery_probability(
        [5, 11, 23], us_open_prob=0.3, us_close_prob=0.1, cn_open_prob=0.15, cn_close_prob=0.2, earliest=1, horizon=horizon,
        observations=observations,
    )  # fmt: skip
    for month in (11, 23):
        sampled = float((first[alive] <= month).mean())
        standard_error = np.sqrt(sampled * (1 - sampled) / alive.sum())
        assert abs(float(exact[month]) - sampled) < 4 * standard_error, month
    # Nothing delivered through month 5: no surviving path delivers before month 6, and the chance by month 5 is 0.
    assert (first[alive] >= 6).all()
    assert float(exact[5]) == 0.0


def test_an_observed_amount_keeps_paths_within_the_margin():
    delivered = np.array([[0.0, 0.0, 0.0], [0.0, 95.0, 200.0]])
    gates = np.ones_like(delivered, dtype=bool)
    about_100 = Observation("delivered_units", "m1", 1, "about 100", 100.0, "approx")
    alive, _ = conditioning.survivors([about_100], delivered, gates, gates, margin=0.1)
    assert alive.tolist() == [False, True, False]
    at_least = Observation("delivered_units", "m1", 1, "more than 100", 100.0, "at_least")
    assert conditioning.survivors([at_least], delivered, gates, gates, margin=0.1)[0].tolist() == [False, False, True]
    # An observation after the horizon, or before the rule, constrains nothing.
    late = Observation("delivered_units", "m9", 9, "none", 0.0)
    assert conditioning.survivors([late], delivered, gates, gates, margin=0.1)[0].all()


def test_scores_of_a_three_draw_toy_forecast():
    draws = np.array([0.0, 0.0, 100.0])
    # Mid-rank percentile of 0: P(X < 0) + ½ P(X = 0) = 0 + ½ × 2/3.
    assert conditioning.percentile_of(draws, 0.0) == pytest.approx(1 / 3)
    # CRPS = E|X − 0| − ½ E|X − X'| = 100/3 − ½ × (4 × 100 / 9) = 100/9.
    assert conditioning.crps(draws, 0.0) == pytest.approx(100 / 9)
    # Brier of a 1/3 chance of any delivery when none happened: (1/3)² = 1/9; a sure forecast that came true scores 0.
    assert conditioning.brier(1 / 3, False) == pytest.approx(1 / 9)
    assert conditioning.brier(1.0, True) == 0.0
    # A point forecast: the CRPS is the absolute error.
    assert conditioning.crps(np.array([40.0]), 100.0) == pytest.approx(60.0)

"""Supply: the backlog and deliveries bound by the running cap, approvals, firm orders and supply, on toy cases computed by hand."""

from __future__ import annotations

import numpy as np

from analysis import supply


def test_backlog_from_two_million_orders_and_700000_in_stock():
    assert supply.backlog_units(2_000_000, 700_000) == 1_300_000


def _toy(**changes):
    """A small delivery case computed by hand in the tests below."""
    args = {
        "horizon": 3,
        "us_per_month": 100.0,
        "cap_share": 0.5,
        "first_batch": 1_000.0,
        "first_approval": 0,
        "later_start": 99,
        "later_interval": 3,
        "later_units": 0.0,
        "firm_orders": 1_000.0,
        "stock": 1_000.0,
        "output_start": 99,
        "output_per_month": 0.0,
        "first_delivery": 0,
        "first_tranche": 1_000.0,
        "pace": 1_000.0,
        "keep_paths": True,
    }
    return supply.deliver(**{**args, **changes})


def test_the_cap_is_a_running_total_of_us_shipments():
    # US shipments 100 a month → cumulative 100, 200, 300; China at most half: 50, 100, 150 in all.
    result = _toy()
    assert result.paths["us_shipments_cumulative"][:, 0].tolist() == [100, 200, 300]
    assert result.paths["delivered_cumulative"][:, 0].tolist() == [50, 100, 150]
    # Starting deliveries in month 2 uses the room the running total built up: 150 at once, not 50.
    late = _toy(first_delivery=2)
    assert late.paths["delivered_cumulative"][:, 0].tolist() == [0, 0, 150]


def test_approvals_cap_deliveries_until_the_next_tranche():
    # Only 60 approved at first, 40 more from month 2: the cap (50, 100, 150) would allow more.
    result = _toy(first_batch=60.0, later_start=2, later_units=40.0)
    assert result.paths["approved_cumulative"][:, 0].tolist() == [60, 60, 100]
    assert result.paths["delivered_cumulative"][:, 0].tolist() == [50, 60, 100]
    assert result.months_to_approved[0] == 2  # the 60 approved are all delivered in the second month
    # The first tranche and the pace bind too: 20 in the first month, then 30 a month.
    paced = _toy(first_tranche=20.0, pace=30.0)
    assert paced.paths["delivered_cumulative"][:, 0].tolist() == [20, 50, 80]


def test_firm_orders_and_supply_bound_deliveries():
    result = _toy(firm_orders=120.0, horizon=4)
    assert result.paths["delivered_cumulative"][:, 0].tolist() == [50, 100, 120, 120]
    assert result.months_to_orders[0] == 3
    short = _toy(stock=70.0, output_start=2, output_per_month=10.0, horizon=4)
    assert short.paths["supply_cumulative"][:, 0].tolist() == [70, 70, 80, 90]
    assert short.paths["delivered_cumulative"][:, 0].tolist() == [50, 70, 80, 90]
    assert np.isinf(short.months_to_orders[0])  # 1,000 firm orders are not met within four months

"""Supply: the backlog and deliveries bound by the running cap, approvals, firm orders and supply, on toy cases computed by hand."""

from __future__ import annotations

import numpy as np

from analysis import supply


def test_backlog_from_two_million_orders_and_700000_in_stock():
    assert supply.backlog_units(2_000_000, 700_000) == 1_300_000


NO_CEILING = supply.Buyers(first_batch_buyers=3.0, cleared_buyers=3.0, cap=np.inf, counted_other=0.0, cap_start=0.0, total_ceiling=np.inf)


def _toy(first_delivery=0, **changes):
    """A small delivery case computed by hand in the tests below: both gates
    open from ``first_delivery`` on, no per-customer or total ceiling."""
    horizon = changes.get("horizon", 3)
    args = {
        "gates_open": supply.open_from(first_delivery, horizon),
        "buyers": NO_CEILING,
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
        "first_tranche": 1_000.0,
        "pace": 1_000.0,
        "keep_paths": True,
    }
    return supply.deliver(**{**args, **changes})


def test_the_cap_is_a_running_total_of_us_shipments():
    # US shipments 100 a month → cumulative 100, 200, 300; China at most half: 50, 100, 150 in all.
    result = _toy()
    assert result.paths["us_shipments_cumulative"][:, 0].tolist() == [100, 200, 300]
    assert result.delivered[:, 0].tolist() == [50, 100, 150]
    # Starting deliveries in month 2 uses the room the running total built up: 150 at once, not 50.
    late = _toy(first_delivery=2)
    assert late.delivered[:, 0].tolist() == [0, 0, 150]


def test_approvals_cap_deliveries_until_the_next_tranche():
    # Only 60 approved at first, 40 more from month 2: the cap (50, 100, 150) would allow more.
    result = _toy(first_batch=60.0, later_start=2, later_units=40.0)
    assert result.paths["approved_cumulative"][:, 0].tolist() == [60, 60, 100]
    assert result.delivered[:, 0].tolist() == [50, 60, 100]
    assert result.approved_month[0] == 1  # the 60 approved are all delivered in the second month (month 1)
    # The first tranche and the pace bind too: 20 in the first month, then 30 a month.
    paced = _toy(first_tranche=20.0, pace=30.0)
    assert paced.delivered[:, 0].tolist() == [20, 50, 80]


def test_firm_orders_and_supply_bound_deliveries():
    result = _toy(firm_orders=120.0, horizon=4)
    assert result.delivered[:, 0].tolist() == [50, 100, 120, 120]
    assert result.orders_month[0] == 2
    short = _toy(stock=70.0, output_start=2, output_per_month=10.0, horizon=4)
    assert short.paths["supply_cumulative"][:, 0].tolist() == [70, 70, 80, 90]
    assert short.delivered[:, 0].tolist() == [50, 70, 80, 90]
    assert np.isinf(short.orders_month[0])  # 1,000 firm orders are not met within four months


def test_a_gate_opens_and_closes_on_its_uniforms():
    # Uniforms by month (one draw): below 0.5 opens a closed gate; below 0.2 closes an open one.
    uniforms = np.array([[0.1], [0.9], [0.1], [0.6], [0.3]])
    # month 0: before `earliest` (1), closed whatever the uniform; 1: 0.9 ≥ 0.5 stays closed;
    # 2: 0.1 < 0.5 opens; 3: 0.6 ≥ 0.2 stays open; 4: 0.3 ≥ 0.2 stays open.
    assert supply.gate_path(0.5, 0.2, uniforms, earliest=1)[:, 0].tolist() == [False, False, True, True, True]
    # With a closing chance of 0.7, 0.6 < 0.7 closes it in month 3, and 0.3 < 0.5 opens it again in month 4.
    assert supply.gate_path(0.5, 0.7, uniforms, earliest=1)[:, 0].tolist() == [False, False, True, False, True]
    # Degenerate gates: open for good from `earliest`.
    assert supply.gate_path(1.0, 0.0, np.full((4, 2), 0.99), earliest=2).tolist() == [
        [False, False],
        [False, False],
        [True, True],
        [True, True],
    ]


def test_degenerate_gates_reproduce_the_deterministic_timeline():
    # Gates that open in month k with probability 1 and never close = deliveries from month k on.
    k = 2
    by_gate = _toy(gates_open=supply.gate_path(1.0, 0.0, np.zeros((5, 1)), earliest=k), horizon=5, first_tranche=40.0, pace=30.0)
    deterministic = _toy(first_delivery=k, horizon=5, first_tranche=40.0, pace=30.0)
    # By hand: the cap allows 150 by month 2, 200, 250; 40 in month 2, then 30 a month: 40, 70, 100.
    assert by_gate.delivered[:, 0].tolist() == deterministic.delivered[:, 0].tolist() == [0, 0, 40, 70, 100]
    assert by_gate.first_month[0] == deterministic.first_month[0] == k


def test_closed_gates_stop_deliveries_and_never_is_an_outcome():
    gates = np.array([[False], [True], [False], [True]])
    result = _toy(gates_open=gates, horizon=4, first_tranche=40.0, pace=30.0)
    assert result.delivered[:, 0].tolist() == [0, 40, 40, 70]  # the first tranche in the first open month, the pace after
    never = _toy(gates_open=np.zeros((4, 1), dtype=bool), horizon=4)
    assert never.delivered[:, 0].tolist() == [0, 0, 0, 0]
    assert np.isinf(never.first_month[0]) and never.first_year_units[0] == 0


def test_the_per_customer_ceiling_holds_for_every_buyer_in_every_draw():
    rng = np.random.default_rng(7)
    draws = 500
    cap = rng.uniform(10_000, 100_000, draws)
    mi325x = rng.uniform(0, 5_000, draws)
    buyers = supply.Buyers(3.0, rng.integers(3, 12, draws).astype(float), cap, mi325x, cap_start=0.0, total_ceiling=1e9)
    first_batch = rng.uniform(100_000, 500_000, draws)
    gates = rng.random((24, draws)) < 0.5
    result = supply.deliver(
        horizon=24, gates_open=gates, us_per_month=1e9, cap_share=0.5, first_batch=first_batch, first_approval=0,
        later_start=3, later_interval=3, later_units=rng.uniform(0, 200_000, draws), buyers=buyers,
        firm_orders=1e9, stock=1e9, output_start=np.inf, output_per_month=0.0, first_tranche=60_000.0, pace=100_000.0,
    )  # fmt: skip
    for month in range(24):
        first_approved = np.where(month >= 0, first_batch, 0.0)
        each_first, each_other = supply.per_buyer(result.delivered[month], first_approved, buyers, month)
        assert np.all(each_first + mi325x <= cap * (1 + 1e-12))
        assert np.all(each_other + mi325x <= cap * (1 + 1e-12))
    # With three first-batch buyers at a net cap below a third of the batch, the batch is never delivered in full.
    tight = first_batch > 3 * (cap - mi325x)
    assert np.all(np.isinf(result.approved_month[tight]))


def test_first_year_units_count_twelve_months_from_the_first_delivery():
    delivered = np.arange(30, dtype=float)[:, None] * np.array([[1.0, 0.0]])  # draw 0 delivers from month 1; draw 1 never
    first = np.array([1.0, np.inf])
    # Twelve months of deliveries from month 1 end in month 12, where draw 0 has 12 in all.
    assert supply.first_year_units(delivered, first).tolist() == [12.0, 0.0]

"""Supply: the backlog and deliveries bound by the running cap, approvals, firm orders and the shared supply, and
which limit binds, on toy cases computed by hand."""

from __future__ import annotations

import numpy as np
from helpers import open_from, per_buyer

from analysis.model import supply


def test_backlog_from_two_million_orders_and_700000_in_stock():
    assert supply.backlog_units(2_000_000, 700_000) == 1_300_000


NO_CEILING = supply.Buyers(first_batch_buyers=3.0, cleared_buyers=3.0, cap=np.inf, counted_other=0.0, cap_start=0.0, total_ceiling=np.inf)


def _toy(first_delivery=0, **changes):
    """A small delivery case computed by hand in the tests below: both gates
    open from ``first_delivery`` on, no per-customer or total ceiling."""
    horizon = changes.get("horizon", 3)
    args = {
        "gates_open": open_from(first_delivery, horizon),
        "buyers": NO_CEILING,
        "horizon": 3,
        "us_installed_base": 0.0,
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
        "keep_binding": True,
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


def test_the_cap_counts_every_h200_shipped_to_us_customers_since_launch():
    # The rule's reading: 300 shipped to US customers before the rule (stated at application), then 100 a month:
    # the cap is half of 400, 500, 600 = 200, 250, 300, not half of 100, 200, 300 (the older reading, base 0, above).
    result = _toy(us_installed_base=300.0)
    assert result.paths["cap_cumulative"][:, 0].tolist() == [200, 250, 300]
    assert result.delivered[:, 0].tolist() == [200, 250, 300]
    assert result.paths["us_shipments_cumulative"][:, 0].tolist() == [100, 200, 300]  # since the rule


def test_firm_orders_bound_deliveries():
    result = _toy(firm_orders=120.0, horizon=4)
    assert result.delivered[:, 0].tolist() == [50, 100, 120, 120]
    assert result.orders_month[0] == 2


def test_us_customers_draw_on_the_shared_stock_first():
    # Stock 70, new output 10 a month from month 2, US customers 10 a month; a base of 1,000 lifts the cap out of the way.
    # Month 0: the US takes 10, China gets the 60 left. Month 1: nothing is left for the US from this stock.
    # Months 2-3: each month's new 10 goes to the US first, so China stays at 60.
    shared = {"stock": 70.0, "output_start": 2, "output_per_month": 10.0, "horizon": 4, "us_per_month": 10.0, "us_installed_base": 1_000.0}
    result = _toy(**shared)
    assert result.paths["supply_cumulative"][:, 0].tolist() == [60, 60, 60, 60]
    assert result.delivered[:, 0].tolist() == [60, 60, 60, 60]
    assert np.isinf(result.orders_month[0])  # 1,000 firm orders are not met within four months
    # Gates closed until month 3: the US draws 10 a month meanwhile (70 - 10, then 70 - 20, 80 - 30, 90 - 40).
    late = _toy(gates_open=open_from(3, 4), **shared)
    assert late.paths["supply_cumulative"][:, 0].tolist() == [60, 50, 50, 50]
    assert late.delivered[:, 0].tolist() == [0, 0, 0, 50]
    # US customers wanting more than the stock leave China nothing.
    assert _toy(**{**shared, "us_per_month": 100.0}).delivered[:, 0].tolist() == [0, 0, 0, 0]


def _bound_by(result):
    return [supply.LIMITS[i] for i in result.binding[:, 0]]


def test_each_month_names_the_limit_that_holds_the_deliveries():
    # Cap 50, 100, 150 against 120 approved: the cap holds twice, then the approvals.
    assert _bound_by(_toy(first_batch=120.0)) == ["us_cap", "us_cap", "approvals"]
    # Gates closed in month 0: the gates hold; from month 1 the cap (100), then the approvals (120).
    assert _bound_by(_toy(first_batch=120.0, first_delivery=1)) == ["gates", "us_cap", "approvals"]
    # 20, then 30 a month, below every limit: the pace.
    assert _bound_by(_toy(first_tranche=20.0, pace=30.0)) == ["pace", "pace", "pace"]
    assert _bound_by(_toy(firm_orders=120.0, horizon=4)) == ["us_cap", "us_cap", "firm_orders", "firm_orders"]
    ceiling = supply.Buyers(first_batch_buyers=3.0, cleared_buyers=3.0, cap=30.0, counted_other=0.0, cap_start=0.0, total_ceiling=80.0)
    # Three buyers at 30 each may receive 90 of the 1,000 approved; the total ceiling of 80 comes first once the cap allows it.
    assert _bound_by(_toy(buyers=ceiling)) == ["us_cap", "total_ceiling", "total_ceiling"]
    wide = supply.Buyers(first_batch_buyers=3.0, cleared_buyers=3.0, cap=30.0, counted_other=0.0, cap_start=0.0, total_ceiling=np.inf)
    assert _bound_by(_toy(buyers=wide, us_installed_base=10_000.0)) == ["per_customer_ceiling"] * 3
    shared = {"stock": 70.0, "horizon": 2, "us_per_month": 10.0, "us_installed_base": 1_000.0}
    assert _bound_by(_toy(**shared)) == ["supply", "supply"]


def test_binding_shares_count_the_cells_chosen():
    index = {name: i for i, name in enumerate(supply.LIMITS)}
    binding = np.array([[index["us_cap"], index["gates"]], [index["supply"], index["supply"]]], dtype=np.int8)
    shares = supply.binding_shares(binding)
    assert (shares["us_cap"], shares["gates"], shares["supply"], shares["pace"]) == (0.25, 0.25, 0.5, 0.0)
    only_open = np.array([[True, False], [True, True]])
    assert supply.binding_shares(binding, only_open)["supply"] == 2 / 3
    assert set(supply.binding_shares(binding, np.zeros((2, 2), dtype=bool)).values()) == {0.0}


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
        horizon=24, gates_open=gates, us_installed_base=0.0, us_per_month=1e9, cap_share=0.5, first_batch=first_batch, first_approval=0,
        later_start=3, later_interval=3, later_units=rng.uniform(0, 200_000, draws), buyers=buyers,
        firm_orders=1e9, stock=1e12, output_start=np.inf, output_per_month=0.0, first_tranche=60_000.0, pace=100_000.0,
    )  # fmt: skip
    for month in range(24):
        first_approved = np.where(month >= 0, first_batch, 0.0)
        each_first, each_other = per_buyer(result.delivered[month], first_approved, buyers, month)
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

"""Demand versus stock: a monthly delivery model on the rules as they are written.

Month by month, China's *cumulative* deliveries are the smallest of five limits
(facts.md §3 for the rules):

1. **the US cap**, a running total: at most ``cap_share`` × the cumulative
   shipments of the product to US customers since the rule took effect;
2. **approvals**: what Beijing has approved so far, the first batch in its
   month, then tranches of ``later_units`` every ``later_interval`` months;
3. **firm orders**: a share of the reported orders (the rest is indicative);
4. **supply**: Nvidia's stock, plus new output from its start month;
5. **pace**: nothing before the first-delivery month, the first tranche in
   that month (from stock), then at most ``pace`` a month (US testing and
   logistics).

Every function works on numpy arrays (one value per simulated draw) as well as
on plain floats, so the central case and the simulation run the same code.
Months are integers counted from the rule's month (0 = the rule's month).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ArrayLike = np.ndarray | float


def backlog_units(orders: ArrayLike, stock: ArrayLike) -> ArrayLike:
    """Reported orders − Nvidia's stock: what new output must make."""
    return orders - stock


def approved_by_month(
    month: int,
    *,
    first_batch: ArrayLike,
    first_month: ArrayLike,
    later_start: ArrayLike,
    later_interval: ArrayLike,
    later_units: ArrayLike,
) -> np.ndarray:
    """Cumulative approvals at ``month``: the first batch from its month on,
    plus one tranche of ``later_units`` at ``later_start`` and every
    ``later_interval`` months after."""
    tranches = np.where(month >= later_start, np.floor((month - later_start) / later_interval) + 1, 0.0)
    return np.where(month >= first_month, first_batch, 0.0) + later_units * tranches


@dataclass(frozen=True)
class Deliveries:
    """The outcome of :func:`deliver` for each draw.

    ``months_to_approved`` and ``months_to_orders`` count the first-delivery
    month as 1 (``inf`` when not reached within the horizon);
    ``first_year_units`` is what is delivered in the first twelve months of
    deliveries. ``paths`` (only with ``keep_paths``) holds month-by-draw
    arrays: delivered_cumulative, us_shipments_cumulative, cap_cumulative,
    approved_cumulative, supply_cumulative."""

    months_to_approved: np.ndarray
    months_to_orders: np.ndarray
    first_year_units: np.ndarray
    paths: dict[str, np.ndarray] | None = None


def deliver(
    *,
    horizon: int,
    us_per_month: ArrayLike,
    cap_share: ArrayLike,
    first_batch: ArrayLike,
    first_approval: ArrayLike,
    later_start: ArrayLike,
    later_interval: ArrayLike,
    later_units: ArrayLike,
    firm_orders: ArrayLike,
    stock: ArrayLike,
    output_start: ArrayLike,
    output_per_month: ArrayLike,
    first_delivery: ArrayLike,
    first_tranche: ArrayLike,
    pace: ArrayLike,
    keep_paths: bool = False,
) -> Deliveries:
    """Run the monthly delivery model for ``horizon`` months from the rule.

    Each month's cumulative delivery is
    ``min(previous + allowed this month, cap, approved, firm orders, supply)``
    where "allowed this month" is the first tranche in the first-delivery
    month and ``pace`` after it. The limits only grow, so deliveries never
    fall and never exceed any of them (tests check both on every scenario)."""
    # Long by design: one month of the model per loop pass, five limits side by side; split, each part would pass the same fifteen arrays.
    shape = np.broadcast(
        *(
            np.asarray(a)
            for a in (
                us_per_month,
                first_batch,
                firm_orders,
                stock,
                first_delivery,
                pace,
                later_units,
                later_start,
                output_start,
                first_tranche,
            )
        )
    ).shape or (1,)
    delivered = np.zeros(shape)
    to_approved = np.full(shape, np.inf)
    to_orders = np.full(shape, np.inf)
    first_year = np.zeros(shape)
    kept: dict[str, list[np.ndarray]] = {
        k: [] for k in ("delivered_cumulative", "us_shipments_cumulative", "cap_cumulative", "approved_cumulative", "supply_cumulative")
    }
    for month in range(int(horizon)):
        us_cumulative = us_per_month * (month + 1)
        cap = cap_share * us_cumulative
        approved = approved_by_month(
            month,
            first_batch=first_batch,
            first_month=first_approval,
            later_start=later_start,
            later_interval=later_interval,
            later_units=later_units,
        )
        supply = stock + output_per_month * np.maximum(0.0, month - output_start + 1)
        allowed = np.where(month == first_delivery, first_tranche, np.where(month > first_delivery, pace, 0.0))
        delivered = np.minimum.reduce(
            [
                np.broadcast_to(delivered + allowed, shape),
                np.broadcast_to(cap, shape),
                np.broadcast_to(approved, shape),
                np.broadcast_to(firm_orders, shape),
                np.broadcast_to(supply, shape),
            ]
        )
        counted = month - first_delivery + 1  # months of deliveries so far, the first-delivery month as 1
        # A hair below the target counts as reached: sums of floats (e.g. 3 × 0.1 × N) may miss it by an ulp.
        to_approved = np.where(np.isinf(to_approved) & (delivered >= first_batch * (1 - 1e-12)), counted, to_approved)
        to_orders = np.where(np.isinf(to_orders) & (delivered >= firm_orders * (1 - 1e-12)), counted, to_orders)
        first_year = np.where(counted == 12, delivered, first_year)
        if keep_paths:
            for key, value in (
                ("delivered_cumulative", delivered),
                ("us_shipments_cumulative", us_cumulative),
                ("cap_cumulative", cap),
                ("approved_cumulative", approved),
                ("supply_cumulative", supply),
            ):
                kept[key].append(np.broadcast_to(value, shape).astype(float))
    # A horizon that ends inside the first year counts what was delivered by then.
    first_year = np.where(horizon - first_delivery < 12, delivered, first_year)
    paths = {key: np.stack(values) for key, values in kept.items()} if keep_paths else None
    return Deliveries(np.asarray(to_approved, float), np.asarray(to_orders, float), np.asarray(first_year, float), paths)

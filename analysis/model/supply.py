"""Demand versus stock: a monthly delivery model on the rules as they are written,
behind the two governments' gates.

**The gates.** Nothing moves unless both gates are open in the month: the US
licence (Commerce must license the exports) and Beijing's permission to import
(customs blocked the first shipments in January 2026; firms were told to pause
orders in May, facts.md §5). Each gate is a two-state monthly chain
(:func:`gate_path`): closed at the rule's month, it opens in a month with
probability ``open_prob`` and, once open, closes again with probability
``close_prob``; neither opens before ``earliest``. "Never" is an outcome: a
draw whose gates are never open together delivers nothing.

**The limits.** Month by month, China's *cumulative* deliveries are the
smallest of these (facts.md §3 and §5 for the rules):

1. **the US cap**, a running total: "the aggregate shipments of the chips to
   China and Macau will be no more than 50 percent of the total shipped to
   customers for end-use in the U.S." (BIS final rule, 15 Jan 2026). The
   exporter states the units shipped in the US at the time of application, so
   the base is the product's US installed base since launch
   (``us_installed_base``, H200 shipped to US customers from 2024 to the rule)
   plus what the US receives after the rule: at most ``cap_share`` × (base +
   US shipments since the rule). A base of 0 is the older reading (shipments
   since the rule only), kept as a named sensitivity;
2. **approvals per customer**: what Beijing has approved so far (the first
   batch for its named buyers, then tranches of ``later_units`` every
   ``later_interval`` months for other buyers), each buyer capped at the US
   per-customer ceiling (``per_customer_cap`` less the AMD MI325X that count
   toward it) from the month that ceiling applies;
3. **the total ceiling** the US would license to China;
4. **firm orders**: a share of the reported orders (the rest is indicative);
5. **supply, shared with US customers**: Nvidia's stock, plus new output for
   China only from a month it resumes (China-bound production stopped in
   March 2026), less what US customers draw from it after the rule (served
   first, each month): the stock serves both, and China gets what the rule
   and the stock leave;
6. **pace**: in a month with both gates open, a first tranche from stock, then
   at most ``pace`` a month (US testing and logistics).

Each month :func:`deliver` also records which of these holds the cumulative
deliveries (:data:`LIMITS`; :func:`binding_shares` tallies them), so a reader
can see which limit binds, and how often.

Every function works on numpy arrays (one value per simulated draw) as well as
on plain floats, so the central case and the simulation run the same code.
Months are integers counted from the rule's month (0 = the rule's month).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "LIMITS",
    "NEVER",
    "ArrayLike",
    "Buyers",
    "Deliveries",
    "backlog_units",
    "binding_shares",
    "deliver",
    "delivered_by",
    "first_year_units",
    "gate_path",
]

ArrayLike = np.ndarray | float
#: The month index standing for "never" (a draw in which something does not happen within the horizon).
NEVER = np.inf

#: What holds China's cumulative deliveries in a month, in the order :func:`deliver` checks them:
#: a limit reached (the first of equal limits in this order), else the pace in an open month, else
#: the gates (not both open). ``binding`` holds indices into this tuple.
LIMITS = (
    "us_cap",
    "approvals",
    "per_customer_ceiling",
    "total_ceiling",
    "firm_orders",
    "supply",
    "pace",
    "gates",
)


def backlog_units(orders: ArrayLike, stock: ArrayLike) -> ArrayLike:
    """Reported orders − Nvidia's stock: what new output must make."""
    return orders - stock


def _first_approved(month: int, first_batch: ArrayLike, first_month: ArrayLike) -> np.ndarray:
    return np.where(month >= first_month, first_batch, 0.0)


def _later_approved(month: int, later_start: ArrayLike, later_interval: ArrayLike, later_units: ArrayLike) -> np.ndarray:
    tranches = np.where(month >= later_start, np.floor((month - later_start) / later_interval) + 1, 0.0)
    return later_units * tranches


def gate_path(open_prob: ArrayLike, close_prob: ArrayLike, uniforms: np.ndarray, earliest: ArrayLike = 0) -> np.ndarray:
    """One gate's state month by month (``True`` = open), shape ``uniforms.shape``
    (months × draws): closed before ``earliest``; from then on a closed gate
    opens when the month's uniform is below ``open_prob`` and an open one
    closes when it is below ``close_prob``. With ``open_prob`` 1 and
    ``close_prob`` 0 the gate opens at ``earliest`` and stays open."""
    months = uniforms.shape[0]
    state = np.zeros(uniforms.shape, dtype=bool)
    current = np.zeros(uniforms.shape[1:], dtype=bool)
    for month in range(months):
        stays_open = current & (uniforms[month] >= close_prob)
        opens = ~current & (uniforms[month] < open_prob)
        current = (stays_open | opens) & (month >= np.asarray(earliest))
        state[month] = current
    return state


@dataclass(frozen=True)
class Deliveries:
    """The outcome of :func:`deliver` for each draw.

    ``first_month``, ``approved_month`` and ``orders_month`` are month indices
    from the rule's month (``inf`` when it does not happen within the
    horizon): the first month with a delivery, and the months the approved
    batch and the firm orders are delivered in full. ``first_year_units`` is
    what is delivered in the first twelve months of deliveries (0 without
    any). ``delivered`` holds the cumulative deliveries month by month
    (months × draws); ``binding`` (same shape, only with ``keep_binding``)
    the index in :data:`LIMITS` of what holds them each month. ``paths`` (only with ``keep_paths``)
    holds month-by-draw arrays of every limit: us_shipments_cumulative (since
    the rule), cap_cumulative, approved_cumulative, deliverable_cumulative
    (approvals under the per-customer ceiling), supply_cumulative (what stock
    and output leave China after US shipments)."""

    first_month: np.ndarray
    approved_month: np.ndarray
    orders_month: np.ndarray
    first_year_units: np.ndarray
    delivered: np.ndarray
    binding: np.ndarray | None = None
    paths: dict[str, np.ndarray] | None = None


@dataclass(frozen=True)
class Buyers:
    """Who the approvals are for and the US ceiling on each of them.

    ``first_batch_buyers`` share the first batch (ByteDance, Alibaba and
    Tencent); ``cleared_buyers`` is every buyer the US has cleared (the first
    batch's and the buyers of later tranches); each receives at most
    ``cap`` − ``counted_other`` (the AMD MI325X that count toward the same
    ceiling) from ``cap_start`` on, and the total is at most ``total_ceiling``."""

    first_batch_buyers: ArrayLike
    cleared_buyers: ArrayLike
    cap: ArrayLike
    counted_other: ArrayLike
    cap_start: ArrayLike
    total_ceiling: ArrayLike

    def net_cap(self, month: int) -> np.ndarray:
        """The H200 one buyer may receive in ``month`` (``inf`` before the ceiling applies)."""
        return np.where(month >= np.asarray(self.cap_start), np.maximum(0.0, np.asarray(self.cap) - self.counted_other), np.inf)

    def rooms(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """What the ceiling lets the first batch's buyers, and the other cleared
        buyers, receive in all (``inf`` before it applies)."""
        cap = self.net_cap(month)
        first = np.asarray(self.first_batch_buyers, dtype=float)
        others = np.maximum(0.0, np.asarray(self.cleared_buyers, dtype=float) - first)
        with np.errstate(invalid="ignore"):  # inf × 0 buyers: no buyer, nothing to receive
            return np.where(first > 0, cap * first, 0.0), np.where(others > 0, cap * others, np.where(np.isinf(cap), np.inf, 0.0))

    def first_part(
        self, month: int, delivered: ArrayLike, first_approved: ArrayLike, rooms: tuple[np.ndarray, np.ndarray] | None = None
    ) -> np.ndarray:
        """The part of ``delivered`` that is the first batch's: served first, up
        to what its buyers may receive (``rooms``: :meth:`rooms` of ``month``, when already taken)."""
        first_room, _ = rooms if rooms is not None else self.rooms(month)
        part: np.ndarray = np.minimum(delivered, np.minimum(first_approved, first_room))
        return part

    def deliverable(
        self, month: int, first_approved: np.ndarray, later_approved: np.ndarray, rooms: tuple[np.ndarray, np.ndarray] | None = None
    ) -> np.ndarray:
        """Approvals so far that the per-customer ceiling lets through: the
        first batch to its buyers, the other approvals to the other cleared
        buyers (before the ceiling applies, every approval; ``rooms`` as in :meth:`first_part`)."""
        first_room, other_room = rooms if rooms is not None else self.rooms(month)
        let_through: np.ndarray = np.minimum(first_approved, first_room) + np.minimum(later_approved, other_room)
        return let_through


def deliver(
    *,
    horizon: int,
    gates_open: np.ndarray,
    us_installed_base: ArrayLike,
    us_per_month: ArrayLike,
    cap_share: ArrayLike,
    first_batch: ArrayLike,
    first_approval: ArrayLike,
    later_start: ArrayLike,
    later_interval: ArrayLike,
    later_units: ArrayLike,
    buyers: Buyers,
    other_batch: ArrayLike = 0.0,
    firm_orders: ArrayLike,
    stock: ArrayLike,
    output_start: ArrayLike,
    output_per_month: ArrayLike,
    first_tranche: ArrayLike,
    pace: ArrayLike,
    keep_paths: bool = False,
    keep_binding: bool = False,
) -> Deliveries:
    """Run the monthly delivery model for ``horizon`` months from the rule.

    ``gates_open`` (months × draws, or months × 1) says in which months both
    gates are open; ``other_batch`` is approved with the first batch for
    buyers outside it (DeepSeek's own approval). Each month's cumulative delivery is
    ``max(previous, min(previous + allowed, cap, deliverable approvals, total
    ceiling, firm orders, supply))``, where "allowed" is the first tranche in
    the first open month, ``pace`` in a later open month and 0 in a closed
    one; the cap is ``cap_share`` × (``us_installed_base`` + US shipments
    since the rule) and the supply is stock + output − what US customers
    have drawn from them since the rule (each month the US is served first,
    from what China has not received). Deliveries never fall (a ceiling that starts later does not take back
    what was delivered) and, from the ceiling's start, never exceed any limit
    (tests check both on every scenario)."""
    # Long by design: one month of the model per loop pass, the limits side by side.
    draws = np.broadcast(np.asarray(first_batch), np.asarray(us_per_month), np.asarray(pace), np.asarray(stock), gates_open[0]).shape or (
        1,
    )
    delivered = np.zeros(draws)
    started = np.zeros(draws, dtype=bool)
    first_month = np.full(draws, NEVER)
    approved_month = np.full(draws, NEVER)
    orders_month = np.full(draws, NEVER)
    history = np.zeros((int(horizon), *draws))
    # What binds is tallied only when asked (notebook 03's table): it costs a third of the loop.
    binding = np.zeros((int(horizon), *draws), dtype=np.int8) if keep_binding else None
    us_drawn = np.zeros(draws)
    names = ("us_shipments_cumulative", "cap_cumulative", "approved_cumulative", "deliverable_cumulative", "supply_cumulative")
    kept: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for month in range(int(horizon)):
        us_cumulative = us_per_month * (month + 1)
        cap = cap_share * (us_installed_base + us_cumulative)
        first_approved = _first_approved(month, first_batch, first_approval)
        # Approvals for buyers outside the first batch: a batch of their own with it (DeepSeek), then the later tranches.
        later_approved = _first_approved(month, other_batch, first_approval) + _later_approved(
            month, later_start, later_interval, later_units
        )
        rooms = buyers.rooms(month)  # taken once a month: the approvals let through, then the first batch's part
        deliverable = buyers.deliverable(month, first_approved, later_approved, rooms)
        # US customers are served from the same stock first (the rule: no US order delayed, facts.md §3), from
        # what China has not already received; what the stock cannot give them comes from output we do not model.
        made = stock + output_per_month * np.maximum(0.0, month - output_start + 1)
        us_drawn = us_drawn + np.minimum(us_per_month, np.maximum(0.0, made - us_drawn - delivered))
        supply = made - us_drawn
        open_now = np.broadcast_to(gates_open[month], draws)
        allowed = np.where(open_now, np.where(started, pace, first_tranche), 0.0)
        bounds = [np.broadcast_to(x, draws) for x in (cap, deliverable, buyers.total_ceiling, firm_orders, supply)]
        limit = np.minimum.reduce(bounds)
        delivered = np.maximum(delivered, np.minimum(delivered + allowed, limit))
        if binding is not None:
            binding[month] = _binding(np.stack(bounds), limit, delivered, open_now, deliverable < first_approved + later_approved)
        started = started | (open_now & (delivered > 0))
        first_month = np.where(np.isinf(first_month) & (delivered > 0), month, first_month)
        # A hair below the target counts as reached: sums of floats (e.g. 3 × 0.1 × N) may miss it by an ulp.
        first_part = buyers.first_part(month, delivered, first_approved, rooms)
        approved_month = np.where(np.isinf(approved_month) & (first_part >= first_batch * (1 - 1e-12)), month, approved_month)
        orders_month = np.where(np.isinf(orders_month) & (delivered >= firm_orders * (1 - 1e-12)), month, orders_month)
        history[month] = delivered
        if keep_paths:
            for name, value in zip(names, (us_cumulative, cap, first_approved + later_approved, deliverable, supply)):
                kept[name].append(np.broadcast_to(value, draws).astype(float))
    paths = {name: np.stack(values) for name, values in kept.items()} if keep_paths else None
    return Deliveries(first_month, approved_month, orders_month, first_year_units(history, first_month), history, binding, paths)


def _binding(limits: np.ndarray, limit: np.ndarray, delivered: np.ndarray, open_now: np.ndarray, ceiling_cuts: np.ndarray) -> np.ndarray:
    """The index in :data:`LIMITS` of what holds ``delivered`` this month.
    ``limits`` stacks cap, deliverable approvals, total ceiling, firm orders
    and supply, ``limit`` is their minimum; a limit delivered up to (within a part in 10⁹) holds, the
    first in that order; deliverable approvals count as the per-customer
    ceiling where it cuts them (``ceiling_cuts``). Otherwise the pace holds
    in an open month and the gates in a closed one."""
    first = np.argmin(limits, axis=0)
    reached = delivered >= limit * (1 - 1e-9)
    # LIMITS lists the approvals' two readings at 1 and 2: every limit after the deliverable approvals shifts by one.
    code = np.where(first >= 2, first + 1, first)
    code = np.where((first == 1) & ceiling_cuts, LIMITS.index("per_customer_ceiling"), code)
    return np.where(reached, code, np.where(open_now, LIMITS.index("pace"), LIMITS.index("gates"))).astype(np.int8)


def binding_shares(binding: np.ndarray, mask: np.ndarray | None = None) -> dict[str, float]:
    """The share of the cells of ``binding`` (months × draws, or draws)
    selected by ``mask`` (all by default) in which each limit of
    :data:`LIMITS` holds the deliveries; every share is 0 when the mask
    selects nothing."""
    chosen = binding[mask] if mask is not None else binding.ravel()
    counts = np.bincount(chosen.astype(int), minlength=len(LIMITS))
    total = counts.sum()
    return {name: float(counts[i] / total) if total else 0.0 for i, name in enumerate(LIMITS)}


def first_year_units(delivered: np.ndarray, first_month: np.ndarray) -> np.ndarray:
    """Cumulative deliveries in the twelfth month of deliveries (the first
    month with a delivery counts as the first), or at the horizon's end when
    it comes sooner; 0 for a draw that never delivers."""
    horizon = delivered.shape[0]
    last = np.where(np.isinf(first_month), 0, np.minimum(np.nan_to_num(first_month, posinf=0) + 11, horizon - 1)).astype(int)
    taken = np.take_along_axis(delivered.reshape(horizon, -1), last.reshape(1, -1), axis=0)[0].reshape(first_month.shape)
    return np.where(np.isinf(first_month), 0.0, taken)


def delivered_by(delivered: np.ndarray, month: int) -> np.ndarray:
    """Cumulative deliveries at the end of ``month`` (0 before the rule's month,
    the last month's figure beyond the horizon)."""
    if month < 0:
        return np.zeros(delivered.shape[1:])
    at_month: np.ndarray = delivered[min(month, delivered.shape[0] - 1)]
    return at_month

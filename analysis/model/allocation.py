"""Allocation: how the approved batch might split among the three named groups,
and what each share is in compute, memory, power and domestic chips.

Three rules split ``approved`` units among requests, and none gives a buyer
more than it asked:

- **proportional**: approved × the buyer's share of all requests, capped at its request;
- **equal (capped)**: the same share for each buyer, capped at its request;
- **max–min fair** (water-filling): an equal share capped at each request, with
  what capped buyers leave shared among the others.

What a rule cannot place (approvals beyond all requests) is reported as
``unallocated``. Every function works on numpy arrays (one value per
simulated draw) as well as on floats.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

__all__ = ["RULES", "SPLITTERS", "UNALLOCATED", "Split", "equal", "facility_power_mw", "max_min_fair", "proportional", "split"]

RULES = ("proportional", "equal", "max_min_fair")
UNALLOCATED = "unallocated"

Split = dict[str, np.ndarray]


def proportional(requests: Mapping[str, np.ndarray], approved: np.ndarray) -> Split:
    """Each buyer gets approved × its share of all requests, never more than it asked."""
    total = sum(requests.values())
    safe_total = np.where(total > 0, total, 1.0)
    return {buyer: np.minimum(asked, approved * asked / safe_total) for buyer, asked in requests.items()}


def equal(requests: Mapping[str, np.ndarray], approved: np.ndarray) -> Split:
    """Each buyer gets approved / number of buyers, capped at its request."""
    return {buyer: np.minimum(asked, approved / len(requests)) for buyer, asked in requests.items()}


def max_min_fair(requests: Mapping[str, np.ndarray], approved: np.ndarray) -> Split:
    """Water-filling: the level L with Σ min(request, L) = approved (or the
    largest request when approvals cover every request); each buyer gets min(request, L).

    With requests sorted r₁ ≤ … ≤ rₙ, filling everyone to rₖ costs
    r₁ + … + rₖ₋₁ + (n − k + 1) rₖ; the level lies in the first step whose cost
    reaches ``approved``."""
    buyers = list(requests)
    asked = np.broadcast_arrays(*(np.asarray(requests[b], float) for b in buyers), np.asarray(approved, float))
    matrix, budget = np.stack(asked[:-1]), asked[-1]
    ordered = np.sort(matrix, axis=0)
    n = len(buyers)
    below = np.cumsum(ordered, axis=0) - ordered  # r₁ + … + rₖ₋₁
    cost = below + (n - np.arange(n)).reshape((n,) + (1,) * (ordered.ndim - 1)) * ordered
    level = ordered[-1].copy()
    found = np.zeros(budget.shape, bool)
    for k in range(n):
        hit = ~found & (cost[k] >= budget)
        level = np.where(hit, (budget - below[k]) / (n - k), level)
        found |= hit
    return {buyer: np.minimum(matrix[i], level) for i, buyer in enumerate(buyers)}


SPLITTERS: Mapping[str, Callable[[Mapping[str, np.ndarray], np.ndarray], Split]] = {
    "proportional": proportional,
    "equal": equal,
    "max_min_fair": max_min_fair,
}


def split(rule: str, requests: Mapping[str, np.ndarray], approved: np.ndarray) -> Split:
    """One rule's split, with what it leaves ``unallocated``."""
    given = SPLITTERS[rule](requests, approved)
    left = approved - sum(given.values())
    # Summing the shares back can miss the batch by an ulp: that is not a chip left over.
    return {**given, UNALLOCATED: np.where(np.abs(left) <= 1e-9 * np.abs(approved), 0.0, left)}


def facility_power_mw(units: np.ndarray, tdp_w: float, server_overhead: np.ndarray, pue: np.ndarray) -> np.ndarray:
    """Power at the facility: chip TDP × server overhead (CPUs, network, fans:
    a DGX H200 draws 10.2 kW for 8 GPUs of 700 W) × PUE (cooling and losses)."""
    power: np.ndarray = units * tdp_w * server_overhead * pue / 1e6
    return power

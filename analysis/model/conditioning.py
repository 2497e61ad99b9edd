"""Conditioning on what was observed, and scoring a forecast against the record.

Stages:

1. **Observations** (:class:`Observation`): dated facts from the claims — the
   cumulative H200 delivered into mainland China (0 is a value), and the
   status of each gate (US licences: none / limited / issued; Beijing's
   imports: blocked / paused / allowed). An observation dated in month ``m``
   holds *through* month ``m``.
2. **Rejection** (:func:`survivors`): a simulated draw whose path contradicts
   an observation is excluded (deliveries above 0 before a date when none
   were observed, a gate open when it was observed closed, ...). The count of
   draws that survive each observation, in date order, is reported.
3. **Exact probability** (:func:`delivery_probability`): for each draw's gate
   parameters, the probability of a first delivery by a month given the
   observations, by a forward pass over the four joint gate states and a
   "delivered" flag — no sampling noise, so a probability has a range over
   the parameters' uncertainty. The sampled paths of the same chains agree
   with it (a test checks).
4. **Scores** (:func:`percentile_of`, :func:`brier`, :func:`crps`): where an
   observed value falls in a forecast's draws, and proper scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.formatting import format_value

__all__ = [
    "GATE_STATUS",
    "MIN_SURVIVING_SHARE",
    "Observation",
    "brier",
    "consistent",
    "crps",
    "delivery_probability",
    "from_claims",
    "percentile_of",
    "survivors",
]

#: Gate status words, by gate, and whether each means the gate is open.
GATE_STATUS: dict[str, dict[str, bool]] = {
    "us_licence_status": {"none": False, "limited": True, "issued": True},
    "beijing_import_status": {"blocked": False, "paused": False, "allowed": True},
}
#: Below this share of surviving draws a scenario is contradicted by the record: no figures are printed.
MIN_SURVIVING_SHARE = 0.01


@dataclass(frozen=True)
class Observation:
    """One dated observation: ``metric`` is ``delivered_units`` or a gate's
    status metric; ``month`` its month index from the rule's month; ``value``
    and ``bound`` for deliveries, ``status`` for a gate; ``label`` in words."""

    metric: str
    date: str
    month: int
    label: str
    value: float = float("nan")
    bound: str = "exact"
    status: str = ""
    claim_ids: str = ""


def from_claims(observed: pd.DataFrame, rule_month: int, month_of: Callable[[str], int]) -> list[Observation]:
    """Observations from a tidy table of dated claims (``metric, as_of, value,
    bound, status, claim_ids``; :func:`analysis.evidence.claims.observations`), keeping
    deliveries and gate statuses, in date order. Where the claims of one date
    disagree on a gate's status, that date says nothing about the gate; where
    they give several bounds for one amount, it is read as stated exactly if
    one of them does, else by its first bound."""
    rows: list[Observation] = []
    for row in observed.sort_values("as_of", kind="stable").itertuples(index=False):
        metric, date = str(row.metric), str(row.as_of)
        month = month_of(date) - rule_month
        if metric == "delivered_units" and pd.notna(row.value):
            bounds = str(row.bound).split(";")
            bound = "exact" if "exact" in bounds else bounds[0]
            label = f"{_count_words(float(row.value))} delivered into mainland China as of {format_value(date, 'date')}"
            rows.append(Observation(metric, date, month, label, float(row.value), bound, "", str(row.claim_ids)))
        elif metric in GATE_STATUS and isinstance(row.status, str):
            seen = {GATE_STATUS[metric].get(status) for status in row.status.split(";")}
            if len(seen) != 1 or None in seen:
                continue
            status = row.status.split(";")[0]
            gate = "US licences" if metric == "us_licence_status" else "Beijing's permission to import"
            label = f"{gate}: {status}, as of {format_value(date, 'date')}"
            rows.append(Observation(metric, date, month, label, status=status, claim_ids=str(row.claim_ids)))
    return _last_status_of_each_month(rows)


def _last_status_of_each_month(rows: list[Observation]) -> list[Observation]:
    """A gate's state is tracked month by month: of two statuses reported in
    one month ("none" on 24 February, "limited" on 26 February), the later
    one is the month's."""
    last = {(o.metric, o.month): o for o in rows if o.metric in GATE_STATUS}
    return [o for o in rows if o.metric not in GATE_STATUS or last[(o.metric, o.month)] is o]


def _count_words(value: float) -> str:
    return "no H200" if value == 0 else f"{value:,.0f} H200"


def consistent(observation: Observation, delivered: np.ndarray, us_open: np.ndarray, cn_open: np.ndarray, margin: float) -> np.ndarray:
    """Which draws agree with one observation (``delivered``, ``us_open`` and
    ``cn_open`` are months × draws). Deliveries: exact or approx within
    ``margin`` of the value (exactly 0 for an observed 0), at least or at most
    the value. A gate: its state in the observation's month."""
    month = observation.month
    draws = delivered.shape[1]
    if month < 0 or month >= delivered.shape[0]:
        return np.ones(draws, dtype=bool)
    if observation.metric in GATE_STATUS:
        state = us_open if observation.metric == "us_licence_status" else cn_open
        as_stated: np.ndarray = state[month] == GATE_STATUS[observation.metric][observation.status]
        return as_stated
    value, at = observation.value, delivered[month]
    if observation.bound == "at_least":
        agrees: np.ndarray = at >= value
    elif observation.bound == "at_most":
        agrees = at <= value
    else:
        agrees = np.abs(at - value) <= margin * value
    return agrees


def survivors(
    observations: Sequence[Observation], delivered: np.ndarray, us_open: np.ndarray, cn_open: np.ndarray, margin: float
) -> tuple[np.ndarray, pd.DataFrame]:
    """The mask of draws that agree with every observation, and a table of
    how many survive each one in turn: ``observation, date, surviving,
    surviving_share``."""
    alive = np.ones(delivered.shape[1], dtype=bool)
    rows = []
    for observation in observations:
        alive &= consistent(observation, delivered, us_open, cn_open, margin)
        rows.append(
            {
                "observation": observation.label,
                "date": observation.date,
                "surviving": int(alive.sum()),
                "surviving_share": float(alive.mean()),
            }
        )
    return alive, pd.DataFrame(rows, columns=["observation", "date", "surviving", "surviving_share"])


def delivery_probability(
    months: Sequence[int],
    *,
    us_open_prob: np.ndarray,
    us_close_prob: np.ndarray,
    cn_open_prob: np.ndarray,
    cn_close_prob: np.ndarray,
    earliest: np.ndarray,
    horizon: int,
    observations: Sequence[Observation] = (),
) -> dict[int, np.ndarray]:
    """For each month of ``months``, the probability (one per draw of the gate
    parameters) that a first delivery has happened by the end of that month,
    given the observations.

    The forward pass carries the probability of each joint gate state (US
    open or closed × Beijing open or closed) with no delivery yet, and the
    probability that a delivery has happened. Each month both gates move by
    their own chain (:func:`analysis.model.supply.gate_path`), a state with both
    open moves to "delivered", and an observation keeps only the states that
    agree with it; probabilities are divided by the probability of all the
    observations at the end. An observation of a positive delivery keeps only
    "delivered" (its amount is checked on the sampled paths alone)."""
    wanted = sorted({int(m) for m in months})
    shape = np.broadcast(us_open_prob, us_close_prob, cn_open_prob, cn_close_prob, earliest).shape
    # Probability mass by (us, cn) gate state, index 0 closed and 1 open: `waiting` has had no
    # delivery yet; `delivered` has; `by_month[m]` is the part of `delivered` that had delivered by m.
    waiting = np.zeros((2, 2, *shape))
    waiting[0, 0] = 1.0
    delivered = np.zeros_like(waiting)
    tagged: dict[int, np.ndarray] = {}
    seen: dict[int, list[Observation]] = {}
    for observation in observations:
        seen.setdefault(observation.month, []).append(observation)
    end = min(max([*wanted, *seen, 0]), horizon - 1)
    for month in range(end + 1):
        allowed = month >= earliest
        moves = (
            [[_move(a, b, us_open_prob, us_close_prob, allowed) for b in (0, 1)] for a in (0, 1)],
            [[_move(a, b, cn_open_prob, cn_close_prob, allowed) for b in (0, 1)] for a in (0, 1)],
        )
        waiting, delivered = _transition(waiting, moves), _transition(delivered, moves)
        tagged = {m: _transition(mass, moves) for m, mass in tagged.items()}
        delivered[1, 1] += waiting[1, 1]  # both gates open: the month's deliveries go out
        waiting[1, 1] = 0.0
        for observation in seen.get(month, []):
            waiting, delivered = _observe(observation, waiting), _observe(observation, delivered, after_delivery=True)
            tagged = {m: _observe(observation, mass, after_delivery=True) for m, mass in tagged.items()}
        if month in wanted:
            tagged[month] = delivered.copy()
    evidence = waiting.sum(axis=(0, 1)) + delivered.sum(axis=(0, 1))
    out = {}
    for month in wanted:
        by_then = tagged[min(month, end)].sum(axis=(0, 1)) if min(month, end) in tagged else delivered.sum(axis=(0, 1))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[month] = np.where(evidence > 0, by_then / evidence, np.nan)
    return out


def _transition(mass: np.ndarray, moves: tuple[list[list[np.ndarray]], list[list[np.ndarray]]]) -> np.ndarray:
    """One month of both gates' chains applied to a mass over the four joint states."""
    us_moves, cn_moves = moves
    new = np.zeros_like(mass)
    for us_from in (0, 1):
        for cn_from in (0, 1):
            for us_to in (0, 1):
                for cn_to in (0, 1):
                    new[us_to, cn_to] += mass[us_from, cn_from] * us_moves[us_from][us_to] * cn_moves[cn_from][cn_to]
    return new


def _saw_none(observation: Observation) -> bool:
    return observation.metric == "delivered_units" and observation.value == 0 and observation.bound in ("exact", "approx", "at_most")


def _move(from_open: int, to_open: int, open_prob: np.ndarray, close_prob: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """The chance one gate goes from ``from_open`` to ``to_open`` this month
    (a gate not yet allowed to open stays closed)."""
    if from_open:
        p_open = 1.0 - close_prob
    else:
        p_open = open_prob
    p_open = np.where(allowed, p_open, 0.0)
    return p_open if to_open else 1.0 - p_open


def _observe(observation: Observation, mass: np.ndarray, after_delivery: bool = False) -> np.ndarray:
    """Keep the part of ``mass`` that agrees with one observation: a gate's
    state; none delivered (only mass that has not delivered); some delivered
    (only mass that has)."""
    kept = mass.copy()
    if observation.metric in GATE_STATUS:
        is_open = int(GATE_STATUS[observation.metric][observation.status])
        if observation.metric == "us_licence_status":
            kept[1 - is_open, :] = 0.0
        else:
            kept[:, 1 - is_open] = 0.0
        return kept
    if _saw_none(observation):
        return np.zeros_like(mass) if after_delivery else kept
    if observation.value > 0 and observation.bound in ("exact", "approx", "at_least"):
        return kept if after_delivery else np.zeros_like(mass)
    return kept


def percentile_of(draws: np.ndarray, observed: float) -> float:
    """Where ``observed`` falls in the forecast's draws, as a mid-rank
    percentile: P(X < observed) + ½ P(X = observed), in [0, 1]."""
    draws = np.asarray(draws, dtype=float)
    return float(np.mean(draws < observed) + 0.5 * np.mean(draws == observed))


def brier(probability: float, happened: bool) -> float:
    """The Brier score of a probability for an event: (p − outcome)², 0 best, 1 worst."""
    return float((probability - float(happened)) ** 2)


def crps(draws: np.ndarray, observed: float) -> float:
    """The continuous ranked probability score of a sample forecast:
    E|X − y| − ½ E|X − X'| (in the quantity's unit, 0 best), with the
    sorted-sample formula for the second term."""
    x = np.sort(np.asarray(draws, dtype=float))
    n = x.size
    first = np.mean(np.abs(x - observed))
    # E|X - X'| = 2/n² Σ (2i - n - 1) x_(i), i = 1..n
    second = 2.0 * np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / n**2
    return float(first - 0.5 * second)

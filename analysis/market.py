"""Market size: what the approved batch, the orders and Nvidia's stock are worth.

Pure functions over plain numbers and DataFrames. Units come as low / central /
high readings of the claims (:func:`analysis.claims.bound_readings`); prices,
the US take and Nvidia's China revenue are scenario assumptions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

Readings = Mapping[str, float]


def value_usd(units: Readings, price_usd: float) -> dict[str, float]:
    """Units × price, for each reading."""
    return {reading: units[reading] * price_usd for reading in units}


def us_take_usd(value: Readings, take_share: float) -> dict[str, float]:
    """The US government's take: a share of the sales value (25% in Dec 2025)."""
    return {reading: value[reading] * take_share for reading in value}


def nvidia_net_usd(value: Readings, take_share: float) -> dict[str, float]:
    """What Nvidia keeps after the US take."""
    return {reading: value[reading] * (1 - take_share) for reading in value}


def share_of(value: Readings, reference_usd: float) -> dict[str, float]:
    """A value as a fraction of a reference (Huang's US$50 billion a year, Nvidia's China revenue)."""
    return {reading: value[reading] / reference_usd for reading in value}


def sensitivity_grid(units: Sequence[float], prices_usd: Sequence[float], take_share: float) -> pd.DataFrame:
    """Value and US take over a grid of units × price (long form, one row per cell)."""
    rows = [
        {"units": float(u), "price_usd": float(p), "value_usd": float(u) * float(p), "us_take_usd": float(u) * float(p) * take_share}
        for u in units
        for p in prices_usd
    ]
    return pd.DataFrame(rows).astype("float64")


#: Units for the sensitivity grid: from 100,000 to 2.5 million, spanning the
#: approved batch (400,000), Nvidia's stock (700,000) and the orders (2 million).
GRID_UNITS = (100_000, 250_000, 400_000, 700_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000)

"""Market size: what the approved batch, the orders and Nvidia's stock are
worth, the US take as it is levied, and who bears it.

Pure functions over numbers or numpy arrays (one value per simulated draw).
Units come from the claims; prices, the take and its base are scenario
assumptions (:mod:`analysis.scenarios`).

The take (facts.md §3): announced in December 2025 as 25% of sales, it is
levied as a Section 232 tariff on the chips' *import value* while they pass
through the US for testing. The tariff base is therefore a share of the sale
price (``tariff_base_share`` ≤ 1) and the take can never exceed 25% of the
sale value. Who bears it is ``take_pass_through_share``: the part passed on to
Chinese buyers in the price; Nvidia absorbs the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

ArrayLike = np.ndarray | float


def value_usd(units: ArrayLike, price_usd: ArrayLike) -> ArrayLike:
    """Units × price per chip."""
    return units * price_usd


def us_take_usd(sale_value_usd: ArrayLike, take_share: ArrayLike, tariff_base_share: ArrayLike) -> ArrayLike:
    """The US government's take: ``take_share`` of the import value, which is
    ``tariff_base_share`` (≤ 1) of the sale value."""
    return sale_value_usd * tariff_base_share * take_share


def nvidia_net_usd(sale_value_usd: ArrayLike, take_usd: ArrayLike) -> ArrayLike:
    """What Nvidia keeps of the sale value once the take is paid."""
    return sale_value_usd - take_usd


def take_borne_by_buyers_usd(take_usd: ArrayLike, pass_through_share: ArrayLike) -> ArrayLike:
    """The part of the take that Chinese buyers pay in the price (the rest is Nvidia's)."""
    return take_usd * pass_through_share


def share_of(value: ArrayLike, reference: ArrayLike) -> ArrayLike:
    """A value as a fraction of a reference of the same kind (a flow against a flow)."""
    return value / reference


def sensitivity_grid(units: Sequence[float], prices_usd: Sequence[float], take_share: float, tariff_base_share: float) -> pd.DataFrame:
    """Value and US take over a grid of units × price (long form, one row per cell)."""
    rows = [
        {
            "units": float(u),
            "price_usd": float(p),
            "value_usd": float(u) * float(p),
            "us_take_usd": float(us_take_usd(float(u) * float(p), take_share, tariff_base_share)),
        }
        for u in units
        for p in prices_usd
    ]
    return pd.DataFrame(rows).astype("float64")


#: Units for the sensitivity grid: from 100,000 to 2.5 million, spanning the
#: approved batch (400,000), Nvidia's stock (700,000) and the orders (2 million).
GRID_UNITS = (100_000, 250_000, 400_000, 700_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000)

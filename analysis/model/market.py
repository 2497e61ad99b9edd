"""Market size: what the approved batch, the orders and Nvidia's stock are
worth, the US take as it is levied, and who bears it.

Pure functions over numbers or numpy arrays (one value per simulated draw).
Units come from the claims; prices, the take and its base are scenario
assumptions (:mod:`analysis.model.scenarios`).

The take (facts.md §3): announced in December 2025 as 25% of sales, it is
levied as a Section 232 tariff on the chips' *import value* while they pass
through the US for testing. The tariff base is therefore a share of the
buyers' price (``tariff_base_share`` ≤ 1) and the take can never exceed 25%
of the sale value. Who imports the chips and what value they declare are not
published: the base runs from an importer of record declaring them at cost
(Nvidia's cost, about a quarter of its price at a 75% gross margin) up to the
buyers' full price.

Nvidia's net: the buyers' price is shared with the channel (the OEMs and
distributors, Lenovo and Foxconn for the approved firms), so Nvidia receives
``1 - channel_margin_share`` of it, and the take is deducted from that share
(:func:`nvidia_net_usd`), not from the buyers' price.

Who bears the take (``take_pass_through_share``) is not published: the part
passed on to buyers is an assumption, shown as a what-if
(:func:`take_borne_by_buyers_usd`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "GRID_UNITS",
    "QUARTERS_PER_YEAR",
    "ArrayLike",
    "buyer_cost_per_h100e_usd",
    "cost_per_h100e_usd",
    "nvidia_net_usd",
    "nvidia_share_usd",
    "sensitivity_grid",
    "share_of",
    "take_borne_by_buyers_usd",
    "us_take_usd",
    "value_usd",
    "yearly_rate_usd",
]

ArrayLike = np.ndarray | float


def value_usd(units: ArrayLike, price_usd: ArrayLike) -> ArrayLike:
    """Units × price per chip."""
    return units * price_usd


def us_take_usd(sale_value_usd: ArrayLike, take_share: ArrayLike, tariff_base_share: ArrayLike) -> ArrayLike:
    """The US government's take: ``take_share`` of the import value, which is
    ``tariff_base_share`` (≤ 1) of the sale value."""
    return sale_value_usd * tariff_base_share * take_share


def nvidia_share_usd(sale_value_usd: ArrayLike, channel_margin_share: ArrayLike) -> ArrayLike:
    """What Nvidia receives of the buyers' price: the sale value less the
    channel's (OEM or distributor) margin."""
    return sale_value_usd * (1 - channel_margin_share)


def nvidia_net_usd(sale_value_usd: ArrayLike, take_usd: ArrayLike, channel_margin_share: ArrayLike) -> ArrayLike:
    """What Nvidia keeps: its share of the buyers' price
    (:func:`nvidia_share_usd`) less the take."""
    return nvidia_share_usd(sale_value_usd, channel_margin_share) - take_usd


def buyer_cost_per_h100e_usd(
    price_usd: ArrayLike, take_per_chip_usd: ArrayLike, pass_through_share: ArrayLike, h100e_per_chip: float
) -> ArrayLike:
    """What a buyer pays for one H100-equivalent of compute, tariff included:
    the price per chip plus the part of the take passed on to it, over the
    chip's H100-equivalents (by TPP)."""
    return (price_usd + take_per_chip_usd * pass_through_share) / h100e_per_chip


def cost_per_h100e_usd(price_usd: ArrayLike, h100e_per_chip: float) -> ArrayLike:
    """A chip's price over its H100-equivalents (e.g. the Ascend 910C, no US tariff)."""
    return price_usd / h100e_per_chip


def take_borne_by_buyers_usd(take_usd: ArrayLike, pass_through_share: ArrayLike) -> ArrayLike:
    """What-if: the part of the take that Chinese buyers pay in the price (the
    rest is Nvidia's), the take times an assumed share."""
    return take_usd * pass_through_share


def share_of(value: ArrayLike, reference: ArrayLike) -> ArrayLike:
    """A value as a fraction of a reference of the same kind (a flow against a flow)."""
    return value / reference


#: A quarter's revenue at a yearly rate (the first-year value is a yearly flow).
QUARTERS_PER_YEAR = 4


def yearly_rate_usd(quarterly_usd: ArrayLike) -> ArrayLike:
    """A quarter's revenue at a yearly rate."""
    return quarterly_usd * QUARTERS_PER_YEAR


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

"""Market: sale value, the US take on the import value, and the price sensitivity grid."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import market


def test_value_and_us_take_on_an_import_value_below_the_price():
    value = market.value_usd(400_000, 27_000)
    assert value == 10_800_000_000
    # Tariff base 80% of the sale price: 25% × 0.8 × 10.8 bn = 2.16 bn, not the 2.7 bn of "25% of sales".
    take = market.us_take_usd(value, 0.25, 0.8)
    assert take == pytest.approx(2_160_000_000)
    assert market.nvidia_net_usd(value, take) == pytest.approx(8_640_000_000)
    assert market.take_borne_by_buyers_usd(take, 0.5) == pytest.approx(1_080_000_000)
    # Whatever the base (≤ 1), the take never exceeds 25% of the sale value.
    bases = np.linspace(0.01, 1.0, 50)
    assert (market.us_take_usd(value, 0.25, bases) <= 0.25 * value + 1e-6).all()


def test_price_sensitivity_grid():
    grid = market.sensitivity_grid([100_000, 2_500_000], [20_000, 27_000], 0.25, 1.0)
    assert grid["value_usd"].tolist() == [2e9, 2.7e9, 50e9, 67.5e9]
    assert grid["us_take_usd"].tolist() == [0.5e9, 0.675e9, 12.5e9, 16.875e9]

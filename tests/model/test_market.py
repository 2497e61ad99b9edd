"""Market: sale value, the US take on the import value, Nvidia's net after the channel, the cost of
compute to a buyer, and the price sensitivity grid."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import SCENARIOS

from analysis.model import market
from analysis.model.scenarios import load_scenario


def test_value_and_us_take_on_an_import_value_below_the_price():
    value = market.value_usd(400_000, 27_000)
    assert value == 10_800_000_000
    # Tariff base 80% of the sale price: 25% × 0.8 × 10.8 bn = 2.16 bn, not the 2.7 bn of "25% of sales".
    take = market.us_take_usd(value, 0.25, 0.8)
    assert take == pytest.approx(2_160_000_000)
    assert market.take_borne_by_buyers_usd(take, 0.5) == pytest.approx(1_080_000_000)
    # Whatever the base (≤ 1), the take never exceeds 25% of the sale value.
    bases = np.linspace(0.01, 1.0, 50)
    assert (market.us_take_usd(value, 0.25, bases) <= 0.25 * value + 1e-6).all()


def test_nvidia_net_is_its_share_after_the_channel_less_the_take():
    """Issue 19, correction 4: the take comes out of Nvidia's share of the buyers' price, not out of the price."""
    value, take = 10_800_000_000, 2_160_000_000
    # A 10% channel margin: Nvidia receives 9.72 bn of the 10.8 bn and keeps 9.72 - 2.16 = 7.56 bn.
    assert market.nvidia_share_usd(value, 0.1) == pytest.approx(9_720_000_000)
    assert market.nvidia_net_usd(value, take, 0.1) == pytest.approx(7_560_000_000)
    # With no channel the net is the old value - take; every margin above zero lowers it by margin × value.
    assert market.nvidia_net_usd(value, take, 0.0) == pytest.approx(value - take)
    assert market.nvidia_net_usd(value, take, 0.19) == pytest.approx(value - take - 0.19 * value)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_tariff_base_reaches_an_importer_declaring_the_chips_at_cost(path):
    """Issue 19, correction 4: at cost (Nvidia's 74.9% gross margin, Q1 FY2027) and after the widest
    channel margin, the declared value is 0.251 x 0.81 = 0.20 of the buyers' price: the range must reach it,
    and its reasoning must say the importer and the declared value are not published."""
    scenario = load_scenario(path)
    base, channel = scenario.assumption("tariff_base_share"), scenario.assumption("channel_margin_share")
    at_cost = (1 - 0.749) * (1 - channel.high)
    assert base.low <= at_cost + 0.005 and base.high == 1.0
    assert "not published" in base.source and "at cost" in base.source


def test_buyer_cost_per_h100e_by_hand():
    # 27,000 + half of a 25% take on 85% of the price (5,737.5) = 29,868.75 per H200 = per H100e (TPP ratio 1).
    take_per_chip = market.us_take_usd(27_000, 0.25, 0.85)
    assert market.buyer_cost_per_h100e_usd(27_000, take_per_chip, 0.5, 1.0) == pytest.approx(29_868.75)
    # Ascend 910C: US$28,000 for 12,032 / 15,832 = 0.76 H100e, US$36,843 per H100e.
    assert market.cost_per_h100e_usd(28_000, 12_032 / 15_832) == pytest.approx(28_000 * 15_832 / 12_032)
    assert market.yearly_rate_usd(4.55e9) == pytest.approx(18.2e9)


def test_price_sensitivity_grid():
    grid = market.sensitivity_grid([100_000, 2_500_000], [20_000, 27_000], 0.25, 1.0)
    assert grid["value_usd"].tolist() == [2e9, 2.7e9, 50e9, 67.5e9]
    assert grid["us_take_usd"].tolist() == [0.5e9, 0.675e9, 12.5e9, 16.875e9]

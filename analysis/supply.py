"""Demand versus stock: orders, stock, approvals, backlog and a delivery timeline.

Deliveries start from Nvidia's stock in the scenario's first delivery month;
new output adds to what can be shipped from the scenario's start month; every
month China may receive at most ``us_cap_share`` of the month's US shipments
(the January 2026 US rule's 50% cap).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

Readings = Mapping[str, float]


def backlog_units(orders: Readings, stock: Readings) -> dict[str, float]:
    """Orders − stock. The low reading pairs few orders with much stock, the high one the reverse."""
    return {"low": orders["low"] - stock["high"], "central": orders["central"] - stock["central"], "high": orders["high"] - stock["low"]}


def ratio(numerator: Readings, denominator: Readings) -> dict[str, float]:
    """numerator / denominator with the extremes paired to bound the ratio (low / high, high / low)."""
    return {
        "low": numerator["low"] / denominator["high"],
        "central": numerator["central"] / denominator["central"],
        "high": numerator["high"] / denominator["low"],
    }


def _month_label(start: str, offset: int) -> str:
    year, month = (int(part) for part in start.split("-"))
    index = year * 12 + (month - 1) + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _months_between(start: str, later: str) -> int:
    (y1, m1), (y2, m2) = ((int(p) for p in start.split("-")), (int(p) for p in later.split("-")))
    return (y2 - y1) * 12 + (m2 - m1)


def delivery_timeline(
    orders: float,
    stock: float,
    *,
    first_month: str,
    output_start_month: str,
    output_per_month: float,
    cap_share: float,
    us_shipments_per_month: float,
    horizon_months: int,
) -> pd.DataFrame:
    """Monthly deliveries to China against orders, for ``horizon_months`` months.

    Each month: the cap is ``cap_share × us_shipments_per_month``; Nvidia ships
    from stock first, then from new output made since ``output_start_month``,
    never more than the cap nor than what is still owed."""
    cap = cap_share * us_shipments_per_month
    output_offset = _months_between(first_month, output_start_month)
    stock_left, output_made, delivered = stock, 0.0, 0.0
    rows = []
    for offset in range(int(horizon_months)):
        if offset >= output_offset:
            output_made += output_per_month
        owed = max(orders - delivered, 0.0)
        from_stock = min(stock_left, cap, owed)
        from_output = min(output_made, cap - from_stock, owed - from_stock)
        stock_left -= from_stock
        output_made -= from_output
        delivered += from_stock + from_output
        rows.append({
            "month": _month_label(first_month, offset),
            "stock_deliveries": from_stock,
            "new_output_deliveries": from_output,
            "cumulative_delivered": delivered,
            "orders": orders,
            "cap": cap,
        })
    return pd.DataFrame(rows).astype({c: "float64" for c in ("stock_deliveries", "new_output_deliveries", "cumulative_delivered", "orders", "cap")})


def months_to_meet(timeline: pd.DataFrame) -> float:
    """Months (counting the first delivery month as 1) until cumulative
    deliveries reach the orders; NaN when they do not within the horizon."""
    met = timeline.index[timeline["cumulative_delivered"] >= timeline["orders"] - 1e-6]
    return float(met[0] + 1) if len(met) else float("nan")


def month_orders_met(timeline: pd.DataFrame) -> str | None:
    """The month ('YYYY-MM') in which orders are met, or None within the horizon."""
    months = months_to_meet(timeline)
    return None if months != months else str(timeline["month"].iloc[int(months) - 1])

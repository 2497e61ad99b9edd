"""The figures: headline table, provenance, and the tables the notebooks chart.

Every figure is a low / central / high range: the claims' bounds give the
readings of the units (:func:`analysis.claims.bound_readings`), the scenario
gives everything the articles do not say. Every figure names its inputs in a
``sources`` string: ``claims: c01, c02; specs: H200 SXM.bf16_tflops; scenario:
price_usd_per_h200`` — :func:`provenance` expands it into a table of quotes,
spec values with sources, and assumptions with their source or reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import allocation, market, paths, supply
from analysis._io import read_processed
from analysis.claims import READINGS, bound_readings
from analysis.scenarios import Scenario, load_scenario

H200, H20, ASCEND = "H200 SXM", "H20", "Ascend 910C"
NAMED_BUYERS = ("Alibaba", "ByteDance")


@dataclass(frozen=True)
class Inputs:
    """The processed tables the figures read."""

    claims: pd.DataFrame
    consensus: pd.DataFrame
    specs: pd.DataFrame

    @classmethod
    def load(cls, processed_dir: str | Path = paths.PROCESSED) -> Inputs:
        return cls(*(read_processed(name, Path(processed_dir)) for name in ("claims", "consensus", "chip_specs")))

    def spec(self, chip: str) -> pd.Series:
        return self.specs.set_index("chip").loc[chip]

    def claim_ids(self, metric: str, entity: str) -> list[str]:
        row = self._consensus_row(metric, entity)
        return row["claim_ids"].split(";")

    def _consensus_row(self, metric: str, entity: str) -> pd.Series:
        rows = self.consensus[(self.consensus["metric"] == metric) & (self.consensus["entity"] == entity)]
        if rows.empty or pd.isna(rows["min"].iloc[0]):
            raise KeyError(f"no numeric claim for {metric} / {entity} in consensus.csv")
        return rows.iloc[0]

    def readings(self, metric: str, entity: str, scenario: Scenario) -> dict[str, float]:
        """Low / central / high of a claimed figure under the scenario's bound rules."""
        row = self._consensus_row(metric, entity)
        return bound_readings(
            float(row["min"]), float(row["max"]), row["bounds"],
            lower_bound_uplift=scenario.value("lower_bound_uplift"),
            upper_bound_cut=scenario.value("upper_bound_cut"),
            approx_margin=scenario.value("approx_margin"),
        )

    def stated(self, metric: str, entity: str) -> float:
        """A single stated figure (e.g. Huang's US$50 billion)."""
        return float(self._consensus_row(metric, entity)["max"])


def _load(scenario: str | Path | Scenario, processed_dir: str | Path) -> tuple[Scenario, Inputs]:
    """A loaded scenario and the processed tables: what every figure starts from."""
    return load_scenario(scenario), Inputs.load(processed_dir)


def _sources(inputs: Inputs, claims: list[tuple[str, str]] = (), specs: list[str] = (), scenario: list[str] = ()) -> str:
    parts = []
    ids = [claim_id for metric, entity in claims for claim_id in inputs.claim_ids(metric, entity)]
    if ids:
        parts.append("claims: " + ", ".join(dict.fromkeys(ids)))
    if specs:
        parts.append("specs: " + ", ".join(specs))
    if scenario:
        parts.append("scenario: " + ", ".join(scenario))
    return "; ".join(parts)


APPROVED = ("approved_units", "total")
ORDERS = ("orders_units", "total")
STOCK = ("stock_units", "Nvidia")
BOUND_KEYS = ["lower_bound_uplift", "upper_bound_cut", "approx_margin"]
SUPPLY_KEYS = ["first_delivery_month", "new_output_start_month", "new_output_units_per_month", "us_cap_share",
               "us_shipments_units_per_month", "horizon_months"]


def timeline_for(orders: float, stock: float, scenario: Scenario) -> pd.DataFrame:
    """:func:`analysis.supply.delivery_timeline` with the scenario's supply assumptions."""
    return supply.delivery_timeline(
        orders, stock,
        first_month=scenario.value("first_delivery_month"),
        output_start_month=scenario.value("new_output_start_month"),
        output_per_month=scenario.value("new_output_units_per_month"),
        cap_share=scenario.value("us_cap_share"),
        us_shipments_per_month=scenario.value("us_shipments_units_per_month"),
        horizon_months=int(scenario.value("horizon_months")),
    )


def timelines(scenario: str | Path | Scenario, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """Delivery timelines for the low (few orders, much stock), central and
    high (many orders, little stock) readings, stacked with a ``reading`` column."""
    scenario, inputs = _load(scenario, processed_dir)
    orders, stock = inputs.readings(*ORDERS, scenario), inputs.readings(*STOCK, scenario)
    pairs = {"low": ("low", "high"), "central": ("central", "central"), "high": ("high", "low")}
    return pd.concat(
        [timeline_for(orders[o], stock[s], scenario).assign(reading=reading) for reading, (o, s) in pairs.items()],
        ignore_index=True,
    )


def orders_met_by_scenario(
    scenario_paths: list[Path] | None = None, processed_dir: str | Path = paths.PROCESSED
) -> pd.DataFrame:
    """For each scenario (default: every shipped one) and reading, the months
    until orders are met and the month it happens (empty past the horizon)."""
    rows = []
    for path in scenario_paths or sorted(paths.SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        for reading, timeline in timelines(scenario, processed_dir).groupby("reading", sort=False):
            timeline = timeline.reset_index(drop=True)
            rows.append({"scenario": scenario.name, "reading": reading, "months": supply.months_to_meet(timeline),
                         "month_orders_met": supply.month_orders_met(timeline)})
    return pd.DataFrame(rows)


def requests(inputs: Inputs, scenario: Scenario) -> dict[str, float]:
    """What each buyer asked for: the claims' central reading for Alibaba and
    ByteDance, the scenario for Tencent (and DeepSeek when included)."""
    asked = {buyer: inputs.readings("requested_units", buyer, scenario)["central"] for buyer in NAMED_BUYERS}
    asked["Tencent"] = float(scenario.value("tencent_request_units"))
    if scenario.value("include_deepseek"):
        asked["DeepSeek"] = float(scenario.value("deepseek_request_units"))
    return asked


def allocation_table(scenario: str | Path | Scenario, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """The central approved batch split by the three rules, per company."""
    scenario, inputs = _load(scenario, processed_dir)
    approved = inputs.readings(*APPROVED, scenario)["central"]
    return allocation.allocate(
        requests(inputs, scenario), approved, inputs.spec(H200),
        domestic_chips_per_h200=scenario.value("domestic_chips_per_h200"),
        training_share=scenario.value("training_share"),
    )


def inference_table(scenario: str | Path | Scenario, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """Ascend 910C needed to match the H200s left for inference (central batch)."""
    scenario, inputs = _load(scenario, processed_dir)
    approved = inputs.readings(*APPROVED, scenario)["central"]
    return allocation.inference_equivalents(approved * (1 - scenario.value("training_share")), inputs.spec(H200), inputs.spec(ASCEND))


def sensitivity(scenario: str | Path | Scenario) -> pd.DataFrame:
    """Value of H200 sales over units (100,000 to 2.5 million) × the three shipped
    scenario prices and this scenario's, with the US take."""
    scenario = load_scenario(scenario)
    prices = sorted({float(load_scenario(p).value("price_usd_per_h200")) for p in sorted(paths.SCENARIOS.glob("*.yaml"))}
                    | {float(scenario.value("price_usd_per_h200"))})
    return market.sensitivity_grid(market.GRID_UNITS, prices, scenario.value("us_take_share"))


def headline(scenario: str | Path | Scenario, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """The headline table: one row per figure with ``low, central, high, unit,
    sources``, indexed by ``figure``.

    Stages: read the claims' low / central / high units; value them at the
    scenario's price; take the US share; pair extremes for differences and
    ratios (backlog low = few orders − much stock); run the delivery timeline
    for each pairing; multiply by the domestic-chip quota."""
    scenario, inputs = _load(scenario, processed_dir)
    approved = inputs.readings(*APPROVED, scenario)
    orders = inputs.readings(*ORDERS, scenario)
    stock = inputs.readings(*STOCK, scenario)
    price = scenario.value("price_usd_per_h200")
    take = scenario.value("us_take_share")
    approved_value = market.value_usd(approved, price)
    orders_value = market.value_usd(orders, price)
    ratio = float(inputs.spec(H200)["bf16_tflops"] / inputs.spec(H20)["bf16_tflops"])
    pairs = {"low": ("low", "high"), "central": ("central", "central"), "high": ("high", "low")}
    months = {r: supply.months_to_meet(timeline_for(orders[o], stock[s], scenario)) for r, (o, s) in pairs.items()}
    huang = inputs.stated("market_size_usd", "China")

    def row(figure: str, values: dict[str, float], unit: str, sources: str) -> dict:
        return {"figure": figure, **{r: float(values[r]) for r in READINGS}, "unit": unit, "sources": sources}

    rows = [
        row("approved_units", approved, "chips", _sources(inputs, [APPROVED], scenario=BOUND_KEYS)),
        row("orders_units", orders, "chips", _sources(inputs, [ORDERS], scenario=BOUND_KEYS)),
        row("stock_units", stock, "chips", _sources(inputs, [STOCK], scenario=BOUND_KEYS)),
        row("backlog_units", supply.backlog_units(orders, stock), "chips", _sources(inputs, [ORDERS, STOCK], scenario=BOUND_KEYS)),
        row("approved_share_of_orders", supply.ratio(approved, orders), "fraction", _sources(inputs, [APPROVED, ORDERS], scenario=BOUND_KEYS)),
        row("approved_share_of_stock", supply.ratio(approved, stock), "fraction", _sources(inputs, [APPROVED, STOCK], scenario=BOUND_KEYS)),
        row("approved_value_usd", approved_value, "USD", _sources(inputs, [APPROVED], scenario=["price_usd_per_h200", *BOUND_KEYS])),
        row("orders_value_usd", orders_value, "USD", _sources(inputs, [ORDERS], scenario=["price_usd_per_h200", *BOUND_KEYS])),
        row("stock_value_usd", market.value_usd(stock, price), "USD", _sources(inputs, [STOCK], scenario=["price_usd_per_h200", *BOUND_KEYS])),
        row("us_take_usd", market.us_take_usd(approved_value, take), "USD",
            _sources(inputs, [APPROVED], scenario=["price_usd_per_h200", "us_take_share", *BOUND_KEYS])),
        row("nvidia_net_usd", market.nvidia_net_usd(approved_value, take), "USD",
            _sources(inputs, [APPROVED], scenario=["price_usd_per_h200", "us_take_share", *BOUND_KEYS])),
        row("orders_value_share_of_huang_estimate", market.share_of(orders_value, huang), "fraction",
            _sources(inputs, [ORDERS, ("market_size_usd", "China")], scenario=["price_usd_per_h200", *BOUND_KEYS])),
        row("approved_value_share_of_china_revenue", market.share_of(approved_value, scenario.value("nvidia_china_revenue_usd")), "fraction",
            _sources(inputs, [APPROVED], scenario=["price_usd_per_h200", "nvidia_china_revenue_usd", *BOUND_KEYS])),
        row("h200_h20_bf16_ratio", {r: ratio for r in READINGS}, "times",
            _sources(inputs, specs=[f"{H200}.bf16_tflops", f"{H20}.bf16_tflops"])),
        row("months_to_clear_backlog", months, "months", _sources(inputs, [ORDERS, STOCK], scenario=[*SUPPLY_KEYS, *BOUND_KEYS])),
        row("domestic_chips_required", {r: approved[r] * scenario.value("domestic_chips_per_h200") for r in READINGS}, "chips",
            _sources(inputs, [APPROVED], scenario=["domestic_chips_per_h200", *BOUND_KEYS])),
    ]
    return pd.DataFrame(rows).set_index("figure")


def provenance(
    scenario: str | Path | Scenario, figures: list[str] | None = None, processed_dir: str | Path = paths.PROCESSED
) -> pd.DataFrame:
    """Every input behind the chosen headline figures (all by default): claims
    with their verbatim quotes, spec values with their sources, scenario
    assumptions with their source or reason. Columns: kind, id, value, detail, source."""
    scenario, inputs = _load(scenario, processed_dir)
    table = headline(scenario, processed_dir)
    chosen = table.loc[figures] if figures else table
    claims, specs, keys = [], [], []
    for sources in chosen["sources"]:
        for part in sources.split("; "):
            kind, _, names = part.partition(": ")
            target = {"claims": claims, "specs": specs, "scenario": keys}[kind]
            target.extend(name for name in names.split(", ") if name not in target)
    by_claim = inputs.claims.set_index("claim_id")
    by_chip = inputs.specs.set_index("chip")
    rows = []
    for claim_id in claims:
        claim = by_claim.loc[claim_id]
        value = "" if pd.isna(claim["value"]) else f"{claim['value']:,.0f} {claim['unit']} ({claim['bound']})"
        rows.append({"kind": "claim", "id": claim_id, "value": value, "detail": f"« {claim['quote']} »", "source": claim["article_id"]})
    for spec in specs:
        chip, _, column = spec.partition(".")
        rows.append({"kind": "spec", "id": spec, "value": f"{by_chip.at[chip, column]:g}", "detail": column, "source": by_chip.at[chip, "source"]})
    for key in keys:
        assumption = scenario.assumption(key)
        rows.append({"kind": "scenario", "id": key, "value": f"{assumption.value} {assumption.unit}".strip(),
                     "detail": f"{scenario.name} ({scenario.path.name})", "source": assumption.source})
    return pd.DataFrame(rows, columns=["kind", "id", "value", "detail", "source"])

"""The model behind every headline figure: its inputs and one vectorised evaluation.

Stages:

1. **Inputs** (:func:`model_inputs`): every number the figures use, each with a
   low, central and high value and where it comes from:

   - claims (``approved_units``, ``orders_units``, ``stock_units``, the requests
     of Alibaba and ByteDance, Huang's estimate): the consensus figure, widened
     by its wording (:func:`analysis.claims.bound_readings`: "plus de" lets
     the figure go above, "jusqu'à" below);
   - scenario assumptions (:mod:`analysis.scenarios`), months as integers
     counted from the rule's month;
   - spec values (:mod:`analysis.specs`), fixed.

2. **Evaluate** (:func:`evaluate`): all figures from one mapping of input
   arrays (one value per draw): the market (:mod:`analysis.market`), the
   monthly delivery model (:mod:`analysis.supply`), the allocation and power
   (:mod:`analysis.allocation`). The central case is the same call on
   one-element arrays of central values, so the two can never drift apart.

3. **Registry** (``figures.yaml`` beside this file): each figure's title, unit,
   description, notebook and inputs; :func:`figure_registry` checks it
   against what :func:`evaluate` computes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis import allocation, compute, market, paths, supply
from analysis._io import read_processed
from analysis.claims import bound_readings
from analysis.errors import InputError
from analysis.scenarios import Scenario, month_index

H200, H20, ASCEND = "H200 SXM", "H20", "Ascend 910C"
NAMED_BUYERS = ("Alibaba", "ByteDance")
REGISTRY_PATH = Path(__file__).with_name("figures.yaml")

#: Claim inputs: model name → (metric, entity) in the consensus table.
CLAIM_INPUTS: Mapping[str, tuple[str, str]] = {
    "approved_units": ("approved_units", "total"),
    "orders_units": ("orders_units", "total"),
    "stock_units": ("stock_units", "Nvidia"),
    "requested_units_alibaba": ("requested_units", "Alibaba"),
    "requested_units_bytedance": ("requested_units", "ByteDance"),
    "huang_estimate_usd": ("market_size_usd", "China"),
}
#: Scenario keys that shape the model rather than feed it a number: never drawn.
STRUCTURAL = ("rule_effective_month", "horizon_months", "include_deepseek")
#: Month keys: drawn as whole months counted from the rule's month.
MONTHS = ("first_approval_month", "later_approvals_start_month", "first_delivery_month", "new_output_start_month")
BOUND_KEYS = ("lower_bound_uplift", "upper_bound_cut", "approx_margin")


@dataclass(frozen=True)
class Tables:
    """The processed tables the figures read."""

    claims: pd.DataFrame
    consensus: pd.DataFrame
    specs: pd.DataFrame

    @classmethod
    def load(cls, processed_dir: str | Path = paths.PROCESSED) -> Tables:
        return cls(*(read_processed(name, Path(processed_dir)) for name in ("claims", "consensus", "chip_specs")))

    def spec(self, chip: str) -> pd.Series:
        return self.specs.set_index("chip").loc[chip]

    def consensus_row(self, metric: str, entity: str) -> pd.Series:
        rows = self.consensus[(self.consensus["metric"] == metric) & (self.consensus["entity"] == entity)]
        if rows.empty or pd.isna(rows["min"].iloc[0]):
            raise InputError(f"consensus.csv: no numeric claim for {metric} / {entity}")
        return rows.iloc[0]

    def claim_ids(self, metric: str, entity: str) -> list[str]:
        return str(self.consensus_row(metric, entity)["claim_ids"]).split(";")


@dataclass(frozen=True)
class Input:
    """One model input: its range (``low`` ≤ ``central`` ≤ ``high``; equal when
    certain), the distribution the simulation draws it from, and its origin
    (``kind`` is ``claims``, ``scenario`` or ``spec``; ``ref`` the scenario
    key, the spec cell, or the claim ids)."""

    name: str
    low: float
    central: float
    high: float
    distribution: str
    kind: str
    ref: str
    is_month: bool = False

    @property
    def is_uncertain(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True)
class Context:
    """What the evaluation needs besides the drawn inputs."""

    horizon: int
    include_deepseek: bool
    h200: pd.Series
    h20: pd.Series
    specs: pd.DataFrame


def _claim_input(name: str, metric: str, entity: str, tables: Tables, scenario: Scenario) -> Input:
    row = tables.consensus_row(metric, entity)
    readings = bound_readings(float(row["min"]), float(row["max"]), row["bounds"], **{key: scenario.value(key) for key in BOUND_KEYS})
    return Input(
        name, readings["low"], readings["central"], readings["high"], "triangular", "claims", ", ".join(tables.claim_ids(metric, entity))
    )


def model_inputs(scenario: Scenario, tables: Tables) -> list[Input]:
    """Every input of :func:`evaluate`, claims first, then the scenario's keys in file order."""
    inputs = [_claim_input(name, *key, tables, scenario) for name, key in CLAIM_INPUTS.items()]
    rule = month_index(scenario.value("rule_effective_month"))
    for key, assumption in scenario.assumptions.items():
        if key in STRUCTURAL or key in BOUND_KEYS:
            continue
        if key in MONTHS:
            low, central, high = (float(month_index(m) - rule) for m in (assumption.low, assumption.value, assumption.high))
            inputs.append(Input(key, low, central, high, assumption.distribution, "scenario", key, is_month=True))
        else:
            inputs.append(
                Input(key, float(assumption.low), float(assumption.value), float(assumption.high), assumption.distribution, "scenario", key)
            )
    return inputs


def context(scenario: Scenario, tables: Tables) -> Context:
    return Context(
        int(scenario.value("horizon_months")), bool(scenario.value("include_deepseek")), tables.spec(H200), tables.spec(H20), tables.specs
    )


def prepare(scenario: Scenario, tables: Tables) -> tuple[list[Input], Context]:
    """The inputs and the context of one scenario: what every evaluation starts from."""
    return model_inputs(scenario, tables), context(scenario, tables)


def central_values(inputs: list[Input]) -> dict[str, np.ndarray]:
    """Each input at its central value, as a one-element array."""
    return {item.name: np.array([item.central]) for item in inputs}


def requests(values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What each of the three named groups asked for: Alibaba and ByteDance
    from the claims, Tencent from the scenario (no article gives its figure)."""
    return {
        "Alibaba": values["requested_units_alibaba"],
        "ByteDance": values["requested_units_bytedance"],
        "Tencent": values["tencent_request_units"],
    }


def deliveries(values: Mapping[str, np.ndarray], ctx: Context, keep_paths: bool = False) -> supply.Deliveries:
    """The monthly delivery model on these inputs (DeepSeek's own approval, when
    included, is approved with the first batch and delivered under the same cap)."""
    deepseek = values["deepseek_approved_units"] if ctx.include_deepseek else 0.0
    return supply.deliver(
        horizon=ctx.horizon,
        us_per_month=values["us_shipments_units_per_month"],
        cap_share=values["us_cap_share"],
        first_batch=values["approved_units"] + deepseek,
        first_approval=values["first_approval_month"],
        later_start=values["later_approvals_start_month"],
        later_interval=values["later_approval_interval_months"],
        later_units=values["later_approval_units"],
        firm_orders=values["orders_units"] * values["firm_order_share"],
        stock=values["stock_units"],
        output_start=values["new_output_start_month"],
        output_per_month=values["new_output_units_per_month"],
        first_delivery=values["first_delivery_month"],
        first_tranche=values["first_tranche_units"],
        pace=values["delivery_pace_units_per_month"],
        keep_paths=keep_paths,
    )


def evaluate(values: Mapping[str, np.ndarray], ctx: Context) -> dict[str, np.ndarray]:
    """Every headline figure from input arrays of one common length (one value per draw)."""
    v = values
    approved, orders, stock, price = v["approved_units"], v["orders_units"], v["stock_units"], v["price_usd_per_h200"]
    approved_value = market.value_usd(approved, price)
    take = market.us_take_usd(approved_value, v["us_take_share"], v["tariff_base_share"])
    delivered = deliveries(v, ctx)
    first_year_value = market.value_usd(delivered.first_year_units, price)
    ones = np.ones_like(approved, dtype=float)
    balance = compute.compute_balance(
        ctx.specs,
        approved_units=approved,
        orders_units=orders,
        nvidia_stock_units=stock,
        huawei_910c_units=v["huawei_910c_units_2026"],
        china_compute_stock_h100e=v["china_compute_stock_h100e"],
        world_compute_stock_h100e=v["world_compute_stock_h100e"],
        domestic_chips_per_h200=v["domestic_chips_per_h200"],
    )
    return {
        "approved_units": approved,
        "orders_units": orders,
        "firm_orders_units": orders * v["firm_order_share"],
        "stock_units": stock,
        "backlog_units": supply.backlog_units(orders, stock),
        "approved_share_of_orders": approved / orders,
        "approved_share_of_stock": approved / stock,
        "months_to_deliver_approved": delivered.months_to_approved,
        "months_to_meet_orders": delivered.months_to_orders,
        "first_year_delivered_units": delivered.first_year_units,
        "approved_value_usd": approved_value,
        "orders_value_usd": market.value_usd(orders, price),
        "stock_value_usd": market.value_usd(stock, price),
        "us_take_usd": take,
        "take_borne_by_buyers_usd": market.take_borne_by_buyers_usd(take, v["take_pass_through_share"]),
        "nvidia_share_of_price_usd": market.nvidia_share_usd(approved_value, v["channel_margin_share"]),
        "nvidia_net_usd": market.nvidia_net_usd(approved_value, take, v["channel_margin_share"]),
        "first_year_value_usd": first_year_value,
        "first_year_value_share_of_huang_estimate": market.share_of(first_year_value, v["huang_estimate_usd"]),
        "first_year_value_share_of_china_revenue": market.share_of(first_year_value, market.yearly_rate_usd(v["nvidia_china_revenue_usd"])),
        "h200_h20_bf16_ratio": ones * float(ctx.h200["bf16_tflops"] / ctx.h20["bf16_tflops"]),
        "domestic_chips_required": approved * v["domestic_chips_per_h200"],
        "facility_power_mw": allocation.facility_power_mw(approved, float(ctx.h200["tdp_w"]), v["server_power_overhead"], v["pue"]),
        # China's AI compute, in H100-equivalents by TPP (analysis.compute)
        **balance,
        **physical_figures(v, ctx, delivered.first_year_units),
    }


def physical_figures(values: Mapping[str, np.ndarray], ctx: Context, first_year_units: np.ndarray) -> dict[str, np.ndarray]:
    """The figures an export-control analyst reads beside H100-equivalents:
    dense BF16 FLOP/s, HBM, what one customer's cap could train, the cost of
    compute to a buyer against the domestic chip, and smuggling."""
    v, specs = values, ctx.specs
    approved, price = v["approved_units"], v["price_usd_per_h200"]
    h200_h100e = compute.h100_equivalents(1.0, H200, specs)
    stacks = compute.hbm_stacks(approved, H200, specs)
    as_910c = compute.chips_equipped_by_stacks(stacks, ASCEND, specs)
    largest_run = compute.training_run_flop(
        v["per_customer_cap_units"], H200, specs, utilisation=v["training_utilisation"], days=v["training_run_days"]
    )
    take_per_chip = market.us_take_usd(price, v["us_take_share"], v["tariff_base_share"])
    buyer = market.buyer_cost_per_h100e_usd(price, take_per_chip, v["take_pass_through_share"], h200_h100e)
    domestic = market.cost_per_h100e_usd(v["ascend_910c_price_usd"], compute.h100_equivalents(1.0, ASCEND, specs))
    smuggled = v["smuggled_chips_2024"] * v["smuggled_h100e_per_chip"]
    return {
        "approved_bf16_flops": compute.bf16_flops(approved, H200, specs),
        "orders_bf16_flops": compute.bf16_flops(v["orders_units"], H200, specs),
        "stock_bf16_flops": compute.bf16_flops(v["stock_units"], H200, specs),
        "approved_hbm_tb": compute.hbm_tb(approved, H200, specs),
        "approved_hbm_stacks": stacks,
        "approved_hbm_as_910c_units": as_910c,
        "approved_hbm_vs_hbm_limited_output": as_910c / v["huawei_910c_units_2026_hbm_limited"],
        "largest_run_per_customer_flop": largest_run,
        "largest_run_share_of_largest_published": largest_run / v["largest_published_run_flop"],
        "buyer_cost_per_h100e_usd": buyer,
        "domestic_cost_per_h100e_usd": domestic,
        "buyer_cost_vs_domestic": buyer / domestic,
        "smuggled_2024_h100e": smuggled,
        "smuggled_2024_share_of_approved": smuggled / compute.h100_equivalents(approved, H200, specs),
        "first_year_delivered_h100e": compute.h100_equivalents(first_year_units, H200, specs),
    }


@cache
def _registry_document(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("figures"), dict):
        raise InputError(f"{path}: expected a mapping with 'groups' and 'figures'")
    return document


def figure_registry(path: Path = REGISTRY_PATH) -> pd.DataFrame:
    """The figure registry as a table indexed by figure (title, unit,
    description, notebook, inputs as a tuple with groups expanded, and
    ``what_if``: the assumed inputs an assumption-driven figure restates,
    empty for a result), in display order."""
    document = _registry_document(path)
    groups = document.get("groups") or {}
    rows = []
    for figure, entry in document["figures"].items():
        missing = [f for f in ("title", "unit", "description", "notebook", "inputs") if not entry.get(f)]
        if missing:
            raise InputError(f"{path}: figure {figure!r}: missing {', '.join(missing)}")
        names: list[str] = []
        for name in entry["inputs"]:
            expanded = groups[name[1:]] if name.startswith("@") else [name]
            names.extend(n for n in expanded if n not in names)
        what_if = tuple(entry.get("what_if") or ())
        if any(name not in names for name in what_if) or (what_if and not str(entry["title"]).startswith("What-if")):
            raise InputError(f"{path}: figure {figure!r}: a what-if names inputs it uses and its title starts with 'What-if'")
        rows.append(
            {
                "figure": figure,
                **{f: entry[f] for f in ("title", "unit", "description", "notebook")},
                "inputs": tuple(names),
                "what_if": what_if,
            }
        )
    return pd.DataFrame(rows).set_index("figure")


def check_registry(computed: list[str], registry: pd.DataFrame, path: Path = REGISTRY_PATH) -> None:
    """Fail naming the figure when the model and the registry disagree."""
    for figure in computed:
        if figure not in registry.index:
            raise InputError(f"{path}: figure {figure!r} is computed but has no entry")
    for figure in registry.index:
        if figure not in computed:
            raise InputError(f"{path}: figure {figure!r} has an entry but is not computed")


def sources(figure: str, inputs: list[Input], registry: pd.DataFrame) -> str:
    """The ``sources`` string of a figure: ``claims: c01, c02; specs: H200 SXM.bf16_tflops;
    scenario: price_usd_per_h200, ...``; :func:`analysis.figures.provenance` expands it."""
    by_name = {item.name: item for item in inputs}
    claims: list[str] = []
    specs: list[str] = []
    keys: list[str] = []
    for name in registry.at[figure, "inputs"]:
        if name.startswith("spec:"):
            specs.append(name[len("spec:") :])
        elif name in by_name and by_name[name].kind == "claims":
            claims.extend(i for i in by_name[name].ref.split(", ") if i not in claims)
        else:
            keys.append(name)
    if claims:  # a claim's reading is widened by the scenario's bound rules
        keys.extend(k for k in BOUND_KEYS if k not in keys)
    parts = [f"{label}: {', '.join(items)}" for label, items in (("claims", claims), ("specs", specs), ("scenario", keys)) if items]
    return "; ".join(parts)

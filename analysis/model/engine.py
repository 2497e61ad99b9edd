"""The model behind every headline figure: its inputs and one vectorised evaluation.

Stages:

1. **Inputs** (:func:`model_inputs`): every number the figures use, each with a
   low, central and high value and where it comes from:

   - claims (``approved_units``, ``orders_units``, ``stock_units``, the requests
     of Alibaba and ByteDance, Huang's estimate): the consensus figure, widened
     by its wording (:func:`analysis.evidence.claims.bound_readings`: "plus de" lets
     the figure go above, "jusqu'à" below);
   - scenario assumptions (:mod:`analysis.model.scenarios`), months as integers
     counted from the rule's month;
   - spec values (:mod:`analysis.evidence.specs`), fixed.

2. **Evaluate** (:func:`evaluate`): all figures from one mapping of input
   arrays (one value per draw): the market (:mod:`analysis.model.market`), the
   monthly delivery model (:mod:`analysis.model.supply`), the allocation and power
   (:mod:`analysis.model.allocation`). The central case is the same call on
   one-element arrays of central values, so the two can never drift apart.

3. **Registry** (``figures.yaml`` beside this file): each figure's title, unit,
   description, notebook and inputs; :func:`figure_registry` checks it
   against what :func:`evaluate` computes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.memo import file_key, remembered, shared_within_build
from analysis.evidence import claims, compute
from analysis.evidence.claims import bound_readings
from analysis.metadata import chips
from analysis.metadata.processed import read_processed
from analysis.model import allocation, conditioning, market, supply
from analysis.model.scenarios import Scenario, month_index

__all__ = [
    "BOUND_KEYS",
    "CLAIM_INPUTS",
    "DATED_CLAIM_INPUTS",
    "END_OF_YEARS",
    "FIRST_BATCH_BUYERS",
    "MONTHS",
    "STRUCTURAL",
    "TABLE_FILES",
    "Context",
    "Evaluation",
    "Input",
    "Paths",
    "Provenance",
    "Tables",
    "central_batch",
    "central_values",
    "conditioned_paths",
    "context",
    "deliveries",
    "delivery_chance",
    "delivery_figures",
    "end_of_year",
    "evaluate",
    "model_inputs",
    "physical_figures",
    "prepare",
    "requests",
    "resolve_as_of",
    "sources",
]


#: Claim inputs: model name → (metric, entity) in the consensus table.
CLAIM_INPUTS: Mapping[str, tuple[str, str]] = {
    "approved_units": ("approved_units", "total"),
    "orders_units": ("orders_units", "total"),
    "stock_units": ("stock_units", "Nvidia"),
    "requested_units_alibaba": ("requested_units", "Alibaba"),
    "requested_units_bytedance": ("requested_units", "ByteDance"),
    "huang_estimate_usd": ("market_size_usd", "China"),
}
#: Claim inputs that exist only from the date news first reports them (the per-customer ceiling,
#: the buyers the US cleared): model name → metric, any entity. Before that date the ceiling
#: does not apply and the cleared buyers are the first batch's.
DATED_CLAIM_INPUTS: Mapping[str, str] = {
    "reported_cap_units": "per_customer_cap_units",
    "us_cleared_buyers": "us_cleared_buyers",
}
#: Scenario keys that shape the model rather than feed it a number: never drawn.
STRUCTURAL = ("rule_effective_month", "horizon_months", "include_deepseek")
#: Month keys: drawn as whole months counted from the rule's month.
MONTHS = ("first_approval_month", "later_approvals_start_month", "gates_earliest_month", "new_output_start_month")
#: The buyers of the first batch (ByteDance, Alibaba and Tencent, claims c03 and alike): the requests below.
FIRST_BATCH_BUYERS = ("Alibaba", "ByteDance", "Tencent")
#: The months (from the rule's) the headline's "by the end of 2026 / 2027" figures read: December of each year.
END_OF_YEARS = {"2026": "2026-12", "2027": "2027-12"}
BOUND_KEYS = ("lower_bound_uplift", "upper_bound_cut", "approx_margin")


@dataclass(frozen=True)
class Tables:
    """The processed tables the figures read, as they stood at ``as_of``: only
    the articles that had appeared and the claims that held by then
    (:func:`analysis.evidence.claims.claims_as_of`), the consensus taken again on them
    at the latest date of each metric (:func:`analysis.evidence.claims.consensus_at`),
    and the dated observations among them (``observed``,
    :func:`analysis.evidence.claims.observations`; taken from ``claims`` when not given)."""

    claims: pd.DataFrame
    consensus: pd.DataFrame
    specs: pd.DataFrame
    articles: pd.DataFrame
    as_of: str
    observed: pd.DataFrame | None = None

    @classmethod
    def load(cls, processed_dir: str | Path = paths.PROCESSED, as_of: str | None = None) -> Tables:
        """The tables as they stood at ``as_of``. The same folder (its files by
        size and time) and date are read once per process and copied: the
        revision history asks for every evidence date, under every scenario."""
        folder = Path(processed_dir)
        key = (str(folder.resolve()), tuple(file_key(folder / f"{name}.csv") for name in TABLE_FILES), as_of)
        kept = remembered(_LOADED, key, partial(shared_within_build, "tables", key, partial(cls._read, folder, as_of)))
        observed = None if kept.observed is None else kept.observed.copy()
        return cls(kept.claims.copy(), kept.consensus.copy(), kept.specs.copy(), kept.articles.copy(), kept.as_of, observed)

    @classmethod
    def _read(cls, folder: Path, as_of: str | None) -> Tables:
        all_claims, articles, specs = (read_processed(name, folder) for name in TABLE_FILES)
        date = resolve_as_of(all_claims, articles, as_of)
        held = claims.claims_as_of(all_claims, articles, date)
        weighed = claims.make_table_consensus(held)  # every date's; the latest dates' are the consensus at ``date``
        return cls(held, claims.consensus_at(held, weighed), specs, articles, date, claims.observations(held, weighed))

    def spec(self, chip: str) -> pd.Series:
        return self.specs.set_index("chip").loc[chip]

    @cached_property
    def _consensus_rows(self) -> dict[tuple[str, str], int]:
        """(metric, entity) → the position of its first consensus row (a headline looks up a dozen, each twice)."""
        positions: dict[tuple[str, str], int] = {}
        for position, key in enumerate(zip(self.consensus["metric"], self.consensus["entity"])):
            positions.setdefault(key, position)
        return positions

    def consensus_row(self, metric: str, entity: str) -> pd.Series:
        position = self._consensus_rows.get((metric, entity))
        row = None if position is None else self.consensus.iloc[position]
        if row is None or pd.isna(row["min"]):
            raise InputError(f"consensus.csv: no numeric claim for {metric} / {entity} as of {self.as_of}")
        return row

    def dated_row(self, metric: str) -> pd.Series | None:
        """The consensus of a metric reported only later (any entity), or None before news first reports it."""
        rows = self.consensus[(self.consensus["metric"] == metric) & self.consensus["min"].notna()]
        return None if rows.empty else rows.iloc[0]

    def first_reported(self, metric: str) -> str | None:
        """The earliest date at which a claim of ``metric`` held, or None."""
        dates = self.claims.loc[self.claims["metric"] == metric, "as_of"]
        return None if dates.empty else str(min(dates))

    def claim_ids(self, metric: str, entity: str) -> list[str]:
        return str(self.consensus_row(metric, entity)["claim_ids"]).split(";")

    def observations(self, rule_month: int) -> list[conditioning.Observation]:
        """The dated observations (deliveries, gate statuses) that held by ``as_of``."""
        observed = claims.observations(self.claims) if self.observed is None else self.observed
        return conditioning.from_claims(observed, rule_month, _month_of_date)


#: The processed tables the model reads (and a headline depends on).
TABLE_FILES = ("claims", "articles", "chip_specs")
#: Tables already read in this process, by folder, file states and date (:meth:`Tables.load`).
_LOADED: dict[tuple[object, ...], Tables] = {}


def _month_of_date(date: str) -> int:
    return month_index(str(date)[:7])


def resolve_as_of(all_claims: pd.DataFrame, articles: pd.DataFrame, as_of: str | None) -> str:
    """``as_of`` as an ISO date, checked; None is the date of the latest evidence."""
    dates = claims.evidence_dates(articles, all_claims)
    if as_of is None:
        if not dates:
            raise InputError("articles.csv: no dated evidence, so no default as-of date")
        return str(dates[-1])
    try:
        return str(pd.Timestamp(str(as_of)).date().isoformat())
    except ValueError:
        raise InputError(f"as_of: expected a date as YYYY-MM-DD, got {as_of!r}") from None


@dataclass(frozen=True)
class Input:
    """One model input: its range (``low`` ≤ ``central`` ≤ ``high``; equal when
    certain), the distribution the simulation draws it from, and its origin
    (``kind`` is ``claims``, ``scenario``, ``spec``, or ``absent`` for a dated
    claim input before news first reports it; ``ref`` the scenario key, the
    spec cell, or the claim ids)."""

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
    rule_month: int = 0
    observations: tuple[conditioning.Observation, ...] = ()
    cap_start: float = float("inf")  # month (from the rule's) the per-customer ceiling applies from
    margin: float = 0.1  # how close a path must come to an observed amount ("about 700,000")
    seed: int = 0
    repeat_paths: int = 0  # > 0: the same block of this many gate paths for every point (the tornado)


def _claim_input(name: str, metric: str, entity: str, tables: Tables, scenario: Scenario) -> Input:
    row = tables.consensus_row(metric, entity)
    readings = bound_readings(float(row["min"]), float(row["max"]), row["bounds"], **{key: scenario.value(key) for key in BOUND_KEYS})
    return Input(
        name, readings["low"], readings["central"], readings["high"], "triangular", "claims", ", ".join(tables.claim_ids(metric, entity))
    )


def _dated_claim_input(name: str, metric: str, tables: Tables, scenario: Scenario) -> Input:
    row = tables.dated_row(metric)
    if row is None:  # not yet reported: no ceiling, and no buyer beyond the first batch's
        value = float("inf") if name == "reported_cap_units" else float(len(FIRST_BATCH_BUYERS))
        return Input(name, value, value, value, "triangular", "absent", f"no claim as of {tables.as_of}")
    readings = bound_readings(float(row["min"]), float(row["max"]), row["bounds"], **{key: scenario.value(key) for key in BOUND_KEYS})
    ids = ", ".join(str(row["claim_ids"]).split(";"))
    return Input(name, readings["low"], readings["central"], readings["high"], "triangular", "claims", ids)


def model_inputs(scenario: Scenario, tables: Tables) -> list[Input]:
    """Every input of :func:`evaluate`, claims first, then the scenario's keys in file order."""
    inputs = [_claim_input(name, *key, tables, scenario) for name, key in CLAIM_INPUTS.items()]
    inputs += [_dated_claim_input(name, metric, tables, scenario) for name, metric in DATED_CLAIM_INPUTS.items()]
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


def context(scenario: Scenario, tables: Tables, seed: int = 0) -> Context:
    rule = month_index(scenario.value("rule_effective_month"))
    cap_reported = tables.first_reported("per_customer_cap_units")
    return Context(
        int(scenario.value("horizon_months")),
        bool(scenario.value("include_deepseek")),
        tables.spec(chips.IMPORTED),
        tables.spec(chips.PREVIOUS),
        tables.specs,
        rule_month=rule,
        observations=tuple(tables.observations(rule)),
        cap_start=float(_month_of_date(cap_reported) - rule) if cap_reported else float("inf"),
        margin=float(scenario.value("approx_margin")),
        seed=seed,
    )


def prepare(scenario: Scenario, tables: Tables, seed: int = 0) -> tuple[list[Input], Context]:
    """The inputs and the context of one scenario: what every evaluation starts from."""
    return model_inputs(scenario, tables), context(scenario, tables, seed)


def central_batch(inputs: list[Input], draws: int) -> dict[str, np.ndarray]:
    """Every input at its central value, ``draws`` times: the central case, run
    over as many paths of the gates as the simulation has draws."""
    return {item.name: np.full(draws, item.central, dtype=float) for item in inputs}


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


@dataclass(frozen=True)
class Paths:
    """The delivery model's outcome on one batch of draws, with the gate paths it ran on."""

    deliveries: supply.Deliveries
    us_open: np.ndarray
    cn_open: np.ndarray
    buyers: supply.Buyers
    first_approved: np.ndarray


def _uniforms(ctx: Context, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """A seeded stream of uniforms of its own for each random part of a path
    (gates, resumed output); with ``repeat_paths``, one block of paths repeated
    along the draws."""
    rng = np.random.default_rng([ctx.seed, zlib.crc32(name.encode())])
    if not ctx.repeat_paths:
        return rng.random(shape)
    block = rng.random((*shape[:-1], ctx.repeat_paths))
    return np.tile(block, (1,) * (len(shape) - 1) + (shape[-1] // ctx.repeat_paths,))


def deliveries(values: Mapping[str, np.ndarray], ctx: Context, keep_paths: bool = False, keep_binding: bool = False) -> Paths:
    """The monthly delivery model on these inputs, behind the two gates.

    Each draw gets its own path of each gate (:func:`analysis.model.supply.gate_path`)
    and a draw of whether new output for China resumes. DeepSeek's own
    approval, when included, comes with the first batch but counts as a buyer
    of its own under the per-customer ceiling."""
    draws = len(values["approved_units"])
    shape = (ctx.horizon, draws)
    earliest = values["gates_earliest_month"]
    us_open = supply.gate_path(values["us_licence_open_prob"], values["us_licence_close_prob"], _uniforms(ctx, "gate:us", shape), earliest)
    cn_open = supply.gate_path(
        values["beijing_import_open_prob"], values["beijing_import_close_prob"], _uniforms(ctx, "gate:beijing", shape), earliest
    )
    resumes = _uniforms(ctx, "output_resumes", (draws,)) < values["china_output_resume_share"]
    deepseek = values["deepseek_approved_units"] if ctx.include_deepseek else np.zeros(draws)
    buyers = supply.Buyers(
        first_batch_buyers=float(len(FIRST_BATCH_BUYERS)),
        cleared_buyers=np.maximum(values["us_cleared_buyers"], len(FIRST_BATCH_BUYERS) + (1 if ctx.include_deepseek else 0)),
        cap=values["reported_cap_units"],
        counted_other=values["mi325x_units_per_customer"],
        cap_start=ctx.cap_start,
        total_ceiling=values["china_total_ceiling_units"],
    )
    result = supply.deliver(
        horizon=ctx.horizon,
        gates_open=us_open & cn_open,
        us_installed_base=values["us_installed_base_units"],
        us_per_month=values["us_shipments_units_per_month"],
        cap_share=values["us_cap_share"],
        first_batch=values["approved_units"],
        first_approval=values["first_approval_month"],
        other_batch=deepseek,
        later_start=values["later_approvals_start_month"],
        later_interval=values["later_approval_interval_months"],
        later_units=values["later_approval_units"],
        buyers=buyers,
        firm_orders=values["orders_units"] * values["firm_order_share"],
        stock=values["stock_units"],
        output_start=np.where(resumes, values["new_output_start_month"], np.inf),
        output_per_month=values["new_output_units_per_month"],
        first_tranche=values["first_tranche_units"],
        pace=values["delivery_pace_units_per_month"],
        keep_paths=keep_paths,
        keep_binding=keep_binding,
    )
    return Paths(result, us_open, cn_open, buyers, values["approved_units"])


def conditioned_paths(
    values: Mapping[str, np.ndarray], ctx: Context, keep_paths: bool = False, keep_binding: bool = False
) -> tuple[Paths, np.ndarray]:
    """The delivery paths of a batch and which of them agree with every observation."""
    run = deliveries(values, ctx, keep_paths, keep_binding)
    alive, _ = conditioning.survivors(ctx.observations, run.deliveries.delivered, run.us_open, run.cn_open, ctx.margin)
    return run, alive


@dataclass(frozen=True)
class Evaluation:
    """Every headline figure on one batch of draws, and which draws agree with
    the observations (``alive``; ``survival`` counts them observation by
    observation, :func:`analysis.model.conditioning.survivors`)."""

    figures: dict[str, np.ndarray]
    alive: np.ndarray
    survival: pd.DataFrame


def delivery_chance(values: Mapping[str, np.ndarray], ctx: Context, months: list[int]) -> dict[int, np.ndarray]:
    """The exact chance of a first delivery by each of ``months`` (from the
    rule's), for each draw of the gates' chances, given the context's observations."""
    return conditioning.delivery_probability(
        months,
        us_open_prob=values["us_licence_open_prob"],
        us_close_prob=values["us_licence_close_prob"],
        cn_open_prob=values["beijing_import_open_prob"],
        cn_close_prob=values["beijing_import_close_prob"],
        earliest=values["gates_earliest_month"],
        horizon=ctx.horizon,
        observations=ctx.observations,
    )


def end_of_year(year: str, ctx: Context) -> int:
    """December of ``year`` (a key of :data:`END_OF_YEARS`) as a month index from the rule's month."""
    return month_index(END_OF_YEARS[year]) - ctx.rule_month


def delivery_figures(v: Mapping[str, np.ndarray], ctx: Context, run: Paths) -> dict[str, np.ndarray]:
    """The delivery figures of a batch: months as calendar month indices
    (``inf`` = not within the horizon), the exact probability of a delivery by
    the end of each year given the observations, and what is delivered by then."""
    outcome = run.deliveries
    ends = {year: end_of_year(year, ctx) for year in END_OF_YEARS}
    chance = delivery_chance(v, ctx, list(ends.values()))
    figures = {
        "p_delivery_by_end_2026": chance[ends["2026"]],
        "p_delivery_by_end_2027": chance[ends["2027"]],
        "delivered_by_end_2026_units": supply.delivered_by(outcome.delivered, ends["2026"]),
        "delivered_by_end_2027_units": supply.delivered_by(outcome.delivered, ends["2027"]),
        "first_delivery_month": ctx.rule_month + outcome.first_month,
        "approved_delivered_month": ctx.rule_month + outcome.approved_month,
        "orders_met_month": ctx.rule_month + outcome.orders_month,
        "first_year_delivered_units": outcome.first_year_units,
    }
    return figures


def evaluate(values: Mapping[str, np.ndarray], ctx: Context) -> Evaluation:
    """Every headline figure from input arrays of one common length (one value per draw)."""
    v = values
    approved, orders, stock, price = v["approved_units"], v["orders_units"], v["stock_units"], v["price_usd_per_h200"]
    approved_value = market.value_usd(approved, price)
    take = market.us_take_usd(approved_value, v["us_take_share"], v["tariff_base_share"])
    run = deliveries(v, ctx)
    alive, survival = conditioning.survivors(ctx.observations, run.deliveries.delivered, run.us_open, run.cn_open, ctx.margin)
    delivered = delivery_figures(v, ctx, run)
    first_year_value = market.value_usd(delivered["first_year_delivered_units"], price)
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
    figures = {
        "approved_units": approved,
        "orders_units": orders,
        "firm_orders_units": orders * v["firm_order_share"],
        "stock_units": stock,
        "backlog_units": supply.backlog_units(orders, stock),
        "approved_share_of_orders": approved / orders,
        "approved_share_of_stock": approved / stock,
        **delivered,
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
        # China's AI compute, in H100-equivalents by TPP (analysis.evidence.compute)
        **balance,
        **physical_figures(v, ctx, delivered["first_year_delivered_units"]),
    }
    return Evaluation(figures, alive, survival)


def physical_figures(values: Mapping[str, np.ndarray], ctx: Context, first_year_units: np.ndarray) -> dict[str, np.ndarray]:
    """The figures an export-control analyst reads beside H100-equivalents:
    dense BF16 FLOP/s, HBM, what one customer's cap could train, the cost of
    compute to a buyer against the domestic chip, and smuggling."""
    v, specs = values, ctx.specs
    approved, price = v["approved_units"], v["price_usd_per_h200"]
    h200_h100e = compute.h100_equivalents(1.0, chips.IMPORTED, specs)
    stacks = compute.hbm_stacks(approved, chips.IMPORTED, specs)
    as_910c = compute.chips_equipped_by_stacks(stacks, chips.DOMESTIC, specs)
    largest_run = compute.training_run_flop(
        v["per_customer_cap_units"], chips.IMPORTED, specs, utilisation=v["training_utilisation"], days=v["training_run_days"]
    )
    take_per_chip = market.us_take_usd(price, v["us_take_share"], v["tariff_base_share"])
    buyer = market.buyer_cost_per_h100e_usd(price, take_per_chip, v["take_pass_through_share"], h200_h100e)
    domestic = market.cost_per_h100e_usd(v["ascend_910c_price_usd"], compute.h100_equivalents(1.0, chips.DOMESTIC, specs))
    smuggled = v["smuggled_chips_2024"] * v["smuggled_h100e_per_chip"]
    return {
        "approved_bf16_flops": compute.bf16_flops(approved, chips.IMPORTED, specs),
        "orders_bf16_flops": compute.bf16_flops(v["orders_units"], chips.IMPORTED, specs),
        "stock_bf16_flops": compute.bf16_flops(v["stock_units"], chips.IMPORTED, specs),
        "approved_hbm_tb": compute.hbm_tb(approved, chips.IMPORTED, specs),
        "approved_hbm_stacks": stacks,
        "approved_hbm_as_910c_units": as_910c,
        "approved_hbm_vs_hbm_limited_output": as_910c / v["huawei_910c_units_2026_hbm_limited"],
        "largest_run_per_customer_flop": largest_run,
        "largest_run_share_of_largest_published": largest_run / v["largest_published_run_flop"],
        "buyer_cost_per_h100e_usd": buyer,
        "domestic_cost_per_h100e_usd": domestic,
        "buyer_cost_vs_domestic": buyer / domestic,
        "smuggled_2024_h100e": smuggled,
        "smuggled_2024_share_of_approved": smuggled / compute.h100_equivalents(approved, chips.IMPORTED, specs),
        "first_year_delivered_h100e": compute.h100_equivalents(first_year_units, chips.IMPORTED, specs),
    }


@dataclass(frozen=True)
class Provenance:
    """What a figure was computed from: the curated claims (ids), the spec values
    (``chip.column``) and the scenario assumptions (keys), each in the order first
    used. Presentation formats it (:func:`analysis.present.display.readable_sources`);
    as text (``str``) it is ``claims: c01, c02; specs: H200 SXM.tpp; scenario: price_usd_per_h200``."""

    claims: tuple[str, ...] = ()
    specs: tuple[str, ...] = ()
    scenario: tuple[str, ...] = ()

    def __str__(self) -> str:
        kinds = (("claims", self.claims), ("specs", self.specs), ("scenario", self.scenario))
        return "; ".join(f"{kind}: {', '.join(items)}" for kind, items in kinds if items)

    @classmethod
    def merged(cls, provenances: Iterable[Provenance]) -> Provenance:
        """Everything several figures were computed from, each item once, in the order first used."""
        claims: dict[str, None] = {}
        specs: dict[str, None] = {}
        scenario: dict[str, None] = {}
        for each in provenances:
            claims.update(dict.fromkeys(each.claims))
            specs.update(dict.fromkeys(each.specs))
            scenario.update(dict.fromkeys(each.scenario))
        return cls(tuple(claims), tuple(specs), tuple(scenario))


def sources(figure: str, inputs: list[Input], registry: pd.DataFrame) -> Provenance:
    """What a figure was computed from (its ``sources`` in the headline table);
    :func:`analysis.model.figures.provenance` expands it into its quotes, values and assumptions."""
    by_name = {item.name: item for item in inputs}
    claims: list[str] = []
    specs: list[str] = []
    keys: list[str] = []
    for name in registry.at[figure, "inputs"]:
        if name.startswith("spec:"):
            specs.append(name[len("spec:") :])
        elif name in by_name and by_name[name].kind == "claims":
            claims.extend(i for i in by_name[name].ref.split(", ") if i not in claims)
        elif name in by_name and by_name[name].kind == "absent":
            continue  # a dated claim input not yet reported: nothing to cite
        else:
            keys.append(name)
    if claims:  # a claim's reading is widened by the scenario's bound rules
        keys.extend(k for k in BOUND_KEYS if k not in keys)
    return Provenance(tuple(claims), tuple(specs), tuple(keys))

"""The figures: headline table, provenance, and the tables the notebooks chart.

Every headline figure is a **central value** (the model on every input's
central value) with a **90% range** (the 5th and 95th percentiles of a
seeded simulation, :mod:`analysis.uncertainty`). Every figure names its
inputs in a ``sources`` string: ``claims: c01, c02; specs: H200
SXM.bf16_tflops; scenario: price_usd_per_h200`` — :func:`provenance` expands
it into a table of quotes, spec values with sources, and assumptions with
their source or reason.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import allocation, compute, market, model, paths, uncertainty
from analysis._io import read_processed
from analysis.scenarios import Scenario, load_scenario, month_index, month_label

H200, H20, ASCEND = model.H200, model.H20, model.ASCEND


def _load(scenario: str | Path | Scenario, processed_dir: str | Path) -> tuple[Scenario, model.Tables]:
    """A loaded scenario and the processed tables: what every figure starts from."""
    return load_scenario(scenario), model.Tables.load(processed_dir)


def headline(
    scenario: str | Path | Scenario,
    processed_dir: str | Path = paths.PROCESSED,
    draws: int = uncertainty.DRAWS,
    seed: int = uncertainty.SEED,
) -> pd.DataFrame:
    """The headline table, indexed by ``figure`` in the registry's order:
    ``low, central, high, unit, title, sources``.

    Stages: gather the inputs (claims widened by their wording, scenario
    assumptions, spec values); evaluate the model at the central inputs; draw
    ``draws`` values of every uncertain input and evaluate the model on all of
    them; take the 5th and 95th percentiles as ``low`` and ``high``, widened
    to take in the central value where it lies in a tail (a figure stated as a
    lower bound, "plus de 2 millions", is most likely at that bound, so its
    5th percentile lies just above it)."""
    scenario, tables = _load(scenario, processed_dir)
    inputs, ctx = model.prepare(scenario, tables)
    central = model.evaluate(model.central_values(inputs), ctx)
    simulated = model.evaluate(uncertainty.draw_inputs(inputs, draws, seed), ctx)
    registry = model.figure_registry()
    model.check_registry(list(central), registry)
    rows = []
    for figure in registry.index:
        value = float(central[figure][0])
        low, high = uncertainty.percentiles(simulated[figure])
        rows.append(
            {
                "figure": figure,
                "low": min(low, value),
                "central": value,
                "high": max(high, value),
                "unit": registry.at[figure, "unit"],
                "title": registry.at[figure, "title"],
                "sources": model.sources(figure, inputs, registry),
            }
        )
    return pd.DataFrame(rows).set_index("figure")


def delivery_timeline(
    scenario: str | Path | Scenario, processed_dir: str | Path = paths.PROCESSED, draws: int = 2_000, seed: int = uncertainty.SEED
) -> pd.DataFrame:
    """One row per month from the rule's month, central case: ``month``
    (YYYY-MM), ``delivered``, ``delivered_cumulative``, ``us_shipments_cumulative``,
    ``cap_cumulative``, ``approved_cumulative``, ``supply_cumulative``,
    ``firm_orders``, and the simulated 90% band of cumulative deliveries
    (``delivered_cumulative_low``/``_high``). Stops three months after the
    last month in which the central case still delivers or the band still
    moves by more than 1% of the firm orders."""
    scenario, tables = _load(scenario, processed_dir)
    inputs, ctx = model.prepare(scenario, tables)
    central_inputs = model.central_values(inputs)
    paths_central = model.deliveries(central_inputs, ctx, keep_paths=True).paths
    band = model.deliveries(uncertainty.draw_inputs(inputs, draws, seed), ctx, keep_paths=True).paths
    assert paths_central is not None and band is not None
    start = month_index(scenario.value("rule_effective_month"))
    cumulative = paths_central["delivered_cumulative"][:, 0]
    low, high = np.quantile(band["delivered_cumulative"], uncertainty.PERCENTILES, axis=1, method="inverted_cdf")
    table = pd.DataFrame(
        {
            "month": [month_label(start + offset) for offset in range(len(cumulative))],
            "delivered": np.diff(cumulative, prepend=0.0),
            "delivered_cumulative": cumulative,
            "us_shipments_cumulative": paths_central["us_shipments_cumulative"][:, 0],
            "cap_cumulative": paths_central["cap_cumulative"][:, 0],
            "approved_cumulative": paths_central["approved_cumulative"][:, 0],
            "supply_cumulative": paths_central["supply_cumulative"][:, 0],
            "firm_orders": float(central_inputs["orders_units"][0] * central_inputs["firm_order_share"][0]),
            "delivered_cumulative_low": low,
            "delivered_cumulative_high": high,
        }
    )
    steps = table[["delivered_cumulative", "delivered_cumulative_low", "delivered_cumulative_high"]].diff().abs()
    moving = (steps["delivered_cumulative"] > 0) | (
        steps[["delivered_cumulative_low", "delivered_cumulative_high"]].max(axis=1) > 0.01 * table["firm_orders"]
    )
    last = int(np.flatnonzero(moving.to_numpy())[-1]) if moving.any() else 0
    return table.iloc[: min(len(table), last + 4)].reset_index(drop=True)


def delivery_month(scenario: Scenario, months: float) -> str | None:
    """The month ('YYYY-MM') that is the ``months``-th month of deliveries in the
    scenario's central case (the first-delivery month is the first); None if never."""
    if not np.isfinite(months):
        return None
    return month_label(month_index(scenario.value("first_delivery_month")) + int(months) - 1)


def delivery_by_scenario(scenario_paths: list[Path] | None = None, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """For each scenario (default: every shipped one): months to deliver the
    approved batch and to meet the firm orders, central with their 90% range,
    and the month each happens in the central case."""
    rows = []
    for path in scenario_paths or sorted(paths.SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        table = headline(scenario, processed_dir)
        row: dict[str, object] = {"scenario": scenario.name}
        for figure in ("months_to_deliver_approved", "months_to_meet_orders"):
            low, central, high = table.loc[figure, ["low", "central", "high"]]
            row |= {
                f"{figure}_low": low,
                f"{figure}": central,
                f"{figure}_high": high,
                f"{figure}_month": delivery_month(scenario, central),
            }
        rows.append(row)
    return pd.DataFrame(rows)


def allocation_table(
    scenario: str | Path | Scenario,
    processed_dir: str | Path = paths.PROCESSED,
    draws: int = uncertainty.DRAWS,
    seed: int = uncertainty.SEED,
) -> pd.DataFrame:
    """The approved batch split by each rule: one row per (rule, company),
    with ``unallocated`` for what a rule cannot place and DeepSeek's own
    approval as a separate line when the scenario includes it.

    Columns: ``rule, company, requested_units, h200_units`` (central) with
    ``h200_units_low``/``_high`` (90% range), ``domestic_chips`` and
    ``facility_power_mw`` with ranges, ``h100_equiv`` and ``hbm_tb`` (central)."""
    scenario, tables = _load(scenario, processed_dir)
    inputs, ctx = model.prepare(scenario, tables)
    central, drawn = model.central_values(inputs), uncertainty.draw_inputs(inputs, draws, seed)
    h200 = tables.spec(H200)
    rows = []
    for rule in allocation.RULES:
        splits = [allocation.split(rule, model.requests(values), values["approved_units"]) for values in (central, drawn)]
        if ctx.include_deepseek:
            for values, split in zip((central, drawn), splits):
                split["DeepSeek (own approval)"] = values["deepseek_approved_units"]
        for company in splits[0]:
            rows.append(_allocation_row(rule, company, splits[0][company], splits[1][company], central, drawn, h200))
    return pd.DataFrame(rows)


def _allocation_row(
    rule: str,
    company: str,
    units: np.ndarray,
    drawn_units: np.ndarray,
    central: dict[str, np.ndarray],
    drawn: dict[str, np.ndarray],
    h200: pd.Series,
) -> dict[str, object]:
    asked = {
        "Alibaba": "requested_units_alibaba",
        "ByteDance": "requested_units_bytedance",
        "Tencent": "tencent_request_units",
        "DeepSeek (own approval)": "deepseek_approved_units",
    }.get(company)
    row: dict[str, object] = {"rule": rule, "company": company, "requested_units": float(central[asked][0]) if asked else float("nan")}

    def ranged(name: str, central_value: np.ndarray, drawn_values: np.ndarray) -> None:
        low, high = uncertainty.percentiles(drawn_values)
        row.update({name: float(central_value[0]), f"{name}_low": low, f"{name}_high": high})

    ranged("h200_units", units, drawn_units)
    ranged("domestic_chips", units * central["domestic_chips_per_h200"], drawn_units * drawn["domestic_chips_per_h200"])
    power = [
        allocation.facility_power_mw(u, float(h200["tdp_w"]), v["server_power_overhead"], v["pue"])
        for u, v in ((units, central), (drawn_units, drawn))
    ]
    ranged("facility_power_mw", *power)
    row["h100_equiv"] = float(units[0] * h200["h100e_tpp"])  # by TPP, the US rule's metric
    row["hbm_tb"] = float(units[0] * h200["memory_gb"] / 1000)
    return row


def inference_table(scenario: str | Path | Scenario, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """Ascend 910C needed to match the H200s left for inference (central batch),
    by BF16 compute and by memory bandwidth."""
    scenario, tables = _load(scenario, processed_dir)
    inputs = {item.name: item.central for item in model.model_inputs(scenario, tables)}
    inference_units = inputs["approved_units"] * (1 - inputs["training_share"])
    h200, ascend = tables.spec(H200), tables.spec(ASCEND)
    return pd.DataFrame(
        [
            {
                "measure": measure,
                "h200_units": inference_units,
                "ratio": h200[column] / ascend[column],
                "ascend_910c_units": inference_units * h200[column] / ascend[column],
            }
            for measure, column in (("bf16 compute", "bf16_tflops"), ("memory bandwidth", "memory_bandwidth_tbps"))
        ]
    )


def sensitivity(scenario: str | Path | Scenario) -> pd.DataFrame:
    """Value of H200 sales over units (100,000 to 2.5 million) × this scenario's
    low, central and high price, with the US take at the central tariff base."""
    scenario = load_scenario(scenario)
    price = scenario.assumption("price_usd_per_h200")
    prices = sorted({float(price.low), float(price.value), float(price.high)})
    return market.sensitivity_grid(market.GRID_UNITS, prices, scenario.value("us_take_share"), scenario.value("tariff_base_share"))


#: Context figures (data/raw/context_figures.csv) on Huawei's Ascend output, each shown as its own mark.
HUAWEI_ESTIMATES = (
    "huawei_910c_plan_2026",
    "huawei_ascend_output_2026_hbm_limited",
    "huawei_ascend_output_2025_semianalysis",
    "huawei_ascend_output_2025_commerce",
)


def compute_balance(scenario: str | Path | Scenario, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """The compute balance in H100-equivalents (by TPP): the approved batch,
    Nvidia's stock and the orders (headline ranges), China's installed AI
    compute (scenario range), and each published estimate of Huawei's Ascend
    output as its own row (converted at the 910C's TPP). Columns: ``item,
    group, low, central, high, source``."""
    scenario, tables = _load(scenario, processed_dir)
    table = headline(scenario, processed_dir)
    rows = [
        {
            "item": table.at[figure, "title"].replace(" in H100-equivalents", ""),
            "group": "H200",
            **{r: table.at[figure, r] for r in ("low", "central", "high")},
            "source": table.at[figure, "sources"],
        }
        for figure in ("approved_h100e", "nvidia_stock_h100e", "orders_h100e")
    ]
    stock = scenario.assumption("china_compute_stock_h100e")
    rows.append(
        {
            "item": "China's installed AI compute",
            "group": "China",
            "low": float(stock.low),
            "central": float(stock.value),
            "high": float(stock.high),
            "source": stock.source,
        }
    )
    context = read_processed("context_figures", Path(processed_dir)).set_index("figure")
    per_910c = compute.h100_equivalents(1.0, ASCEND, tables.specs)
    for figure in HUAWEI_ESTIMATES:
        value = float(context.at[figure, "value"]) * per_910c
        label = f"Huawei Ascend output {context.at[figure, 'year']:.0f} ({context.at[figure, 'source'].split(',')[0]})"
        rows.append(
            {
                "item": label,
                "group": "Huawei",
                "low": value,
                "central": value,
                "high": value,
                "source": f"{context.at[figure, 'source']}: {context.at[figure, 'note']}",
            }
        )
    return pd.DataFrame(rows)


def rule_eligibility(processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """The rule's thresholds applied to every chip of the spec table (``rule_eligibility.csv``)."""
    return read_processed("rule_eligibility", Path(processed_dir))


def tornado(scenario: str | Path | Scenario, figure: str, processed_dir: str | Path = paths.PROCESSED) -> pd.DataFrame:
    """:func:`analysis.uncertainty.tornado` (re-exported for the notebooks)."""
    return uncertainty.tornado(scenario, figure, processed_dir)


def provenance(
    scenario: str | Path | Scenario, figures: list[str] | None = None, processed_dir: str | Path = paths.PROCESSED
) -> pd.DataFrame:
    """Every input behind the chosen headline figures (all by default): claims
    with their verbatim quotes, spec values with their sources, scenario
    assumptions with their range and source or reason. Columns: kind, id, value, detail, source."""
    scenario, tables = _load(scenario, processed_dir)
    table = headline(scenario, processed_dir)
    chosen = table.loc[figures] if figures else table
    claims: list[str] = []
    specs: list[str] = []
    keys: list[str] = []
    for sources in chosen["sources"]:
        for part in sources.split("; "):
            kind, _, names = part.partition(": ")
            target = {"claims": claims, "specs": specs, "scenario": keys}[kind]
            target.extend(name for name in names.split(", ") if name not in target)
    by_claim = tables.claims.set_index("claim_id")
    by_chip = tables.specs.set_index("chip")
    rows = []
    for claim_id in claims:
        claim = by_claim.loc[claim_id]
        value = "" if pd.isna(claim["value"]) else f"{claim['value']:,.0f} {claim['unit']} ({claim['bound']})"
        rows.append({"kind": "claim", "id": claim_id, "value": value, "detail": f"« {claim['quote']} »", "source": claim["article_id"]})
    for spec in specs:
        chip, _, column = spec.partition(".")
        rows.append(
            {"kind": "spec", "id": spec, "value": f"{by_chip.at[chip, column]:g}", "detail": column, "source": by_chip.at[chip, "source"]}
        )
    for key in keys:
        assumption = scenario.assumption(key)
        span = f" (range {assumption.low}–{assumption.high})" if assumption.is_uncertain else ""
        rows.append(
            {
                "kind": "scenario",
                "id": key,
                "value": f"{assumption.value} {assumption.unit}".strip() + span,
                "detail": f"{scenario.name} ({scenario.path.name})",
                "source": assumption.source,
            }
        )
    return pd.DataFrame(rows, columns=["kind", "id", "value", "detail", "source"])

"""The figures: headline table, provenance, and the tables the notebooks chart.

Every headline figure is a **central value** (the model on every input's
central value) with a **90% range** (the 5th and 95th percentiles of a
seeded simulation, :mod:`analysis.model.uncertainty`). Every figure names its
inputs in a ``sources`` string: ``claims: c01, c02; specs: H200
SXM.bf16_tflops; scenario: price_usd_per_h200`` — :func:`provenance` expands
it into a table of quotes, spec values with sources, and assumptions with
their source or reason.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.core.memo import file_key, remembered, shared_within_build
from analysis.evidence import claims, compute
from analysis.metadata import chips
from analysis.metadata.processed import read_processed
from analysis.metadata.registry import check_registry, figure_registry, figures_for
from analysis.model import allocation, conditioning, engine, market, supply, uncertainty
from analysis.model.scenarios import Scenario, load_scenario, month_label

__all__ = [
    "CAP_READINGS",
    "HUAWEI_ESTIMATES",
    "JANUARY_VIEW",
    "allocation_table",
    "binding_limits",
    "compute_balance",
    "delivery_by_scenario",
    "delivery_timeline",
    "evidence_as_of",
    "evidence_dates",
    "forecast_scores",
    "headline",
    "inference_table",
    "most_binding_limit",
    "provenance",
    "resolved_as_of",
    "revision_history",
    "rule_eligibility",
    "sensitivity",
    "what_the_news_changed",
]


def _load(scenario: str | Path | Scenario, processed_dir: str | Path, as_of: str | None = None) -> tuple[Scenario, engine.Tables]:
    """A loaded scenario and the processed tables as they stood at ``as_of``: what every figure starts from."""
    loaded = load_scenario(scenario)
    return loaded, engine.Tables.load(processed_dir, as_of if as_of is not None else loaded.as_of)


def headline(
    scenario: str | Path | Scenario,
    processed_dir: str | Path = paths.PROCESSED,
    draws: int = uncertainty.DRAWS,
    seed: int = uncertainty.SEED,
    as_of: str | None = None,
) -> pd.DataFrame:
    """The headline table as of ``as_of`` (an ISO date; None = the date of the
    latest evidence), indexed by ``figure`` in the registry's order: ``low,
    central, high, unit, title, sources``.

    Stages: gather the inputs as they stood at ``as_of`` (claims widened by
    their wording, scenario assumptions, spec values); run the model on the
    central inputs and on ``draws`` draws of every uncertain input, each draw
    on its own path of the two gates; drop the draws that contradict an
    observation made by ``as_of``; take the central case's statistic
    (median, mean, or median where it happens) as ``central`` and the 5th and
    95th percentiles of the surviving draws as ``low`` and ``high``, widened
    to take in the central value where it lies in a tail (a figure stated as a
    lower bound, "plus de 2 millions", is most likely at that bound).

    ``table.attrs`` holds ``as_of``, ``survival`` (draws surviving each
    observation in turn), ``surviving_share`` and ``contradicted``: when fewer
    than 1% of the draws survive, the scenario is contradicted by the record
    and every figure is NaN rather than read from a handful of draws.

    The same call on the same inputs (scenario values, the processed files'
    sizes and times, draws, seed, date) is computed once per process and
    copied: a page asks for its headline several times."""
    loaded = load_scenario(scenario)
    key = _headline_key(loaded, processed_dir, draws, seed, as_of)
    table = remembered(
        _HEADLINES,
        key,
        lambda: shared_within_build("headline", key, lambda: _compute_headline(loaded, processed_dir, draws, seed, as_of)),
        size=32,
    )
    copied = table.copy()
    copied.attrs = dict(table.attrs)
    return copied


#: Headline tables already computed in this process, by :func:`_headline_key`.
_HEADLINES: dict[tuple[object, ...], pd.DataFrame] = {}


def _headline_key(scenario: Scenario, processed_dir: str | Path, draws: int, seed: int, as_of: str | None) -> tuple[object, ...]:
    """What a headline table depends on: the scenario's values, the processed files it reads (by size and time), the run."""
    folder = Path(processed_dir).resolve()
    files = tuple(file_key(folder / f"{name}.csv") for name in engine.TABLE_FILES)
    values = tuple((key, a.value, a.low, a.high, a.distribution) for key, a in scenario.assumptions.items())
    return (scenario.name, str(scenario.path), values, scenario.as_of, str(folder), files, draws, seed, as_of)


def _compute_headline(scenario: Scenario, processed_dir: str | Path, draws: int, seed: int, as_of: str | None) -> pd.DataFrame:
    """:func:`headline`, computed."""
    scenario, tables = _load(scenario, processed_dir, as_of)
    inputs, ctx = engine.prepare(scenario, tables, seed)
    central = engine.evaluate(engine.central_batch(inputs, draws), ctx)
    simulated = engine.evaluate(uncertainty.draw_inputs(inputs, draws, seed), ctx)
    registry = figure_registry()
    check_registry(list(central.figures), registry)
    share = float(simulated.alive.mean())
    contradicted = share < conditioning.MIN_SURVIVING_SHARE
    central_alive = central.alive if central.alive.any() else simulated.alive
    rows = []
    for figure in registry.index:
        statistic = str(registry.at[figure, "central"])
        value = uncertainty.central_value(central.figures[figure], central_alive, statistic)
        low, high = uncertainty.band(simulated.figures[figure], simulated.alive, statistic)
        if contradicted:
            value = low = high = float("nan")
        rows.append(
            {
                "figure": figure,
                "low": min(low, value),
                "central": value,
                "high": max(high, value),
                "unit": registry.at[figure, "unit"],
                "title": registry.at[figure, "title"],
                "sources": engine.sources(figure, inputs, registry),
            }
        )
    table = pd.DataFrame(rows).set_index("figure")
    table.attrs.update(as_of=tables.as_of, survival=simulated.survival, surviving_share=share, contradicted=contradicted, draws=draws)
    return table


def delivery_timeline(
    scenario: str | Path | Scenario,
    processed_dir: str | Path = paths.PROCESSED,
    draws: int = 2_000,
    seed: int = uncertainty.SEED,
    as_of: str | None = None,
) -> pd.DataFrame:
    """One row per month from the rule's month: ``month`` (YYYY-MM),
    ``delivered`` and ``delivered_cumulative`` (the central case's expected
    deliveries: the mean over its paths of the gates that agree with the
    observations), the central limits ``us_shipments_cumulative``,
    ``cap_cumulative``, ``approved_cumulative``, ``deliverable_cumulative``
    (approvals under the per-customer ceiling), ``supply_cumulative`` and
    ``firm_orders``; the simulated 90% band of cumulative deliveries over the
    surviving draws (``delivered_cumulative_low``/``_high``, 0 while most
    draws have delivered nothing); and ``p_delivered`` (the share of surviving
    draws that have delivered by then). Stops three months after the last
    month in which anything still moves by more than 1% of the firm orders."""
    scenario, tables = _load(scenario, processed_dir, as_of)
    inputs, ctx = engine.prepare(scenario, tables, seed)
    central_inputs = engine.central_batch(inputs, draws)
    central_run, central_alive = engine.conditioned_paths(central_inputs, ctx, keep_paths=True)
    band_run, band_alive = engine.conditioned_paths(uncertainty.draw_inputs(inputs, draws, seed), ctx)
    limits = central_run.deliveries.paths
    assert limits is not None
    central_alive = central_alive if central_alive.any() else np.ones_like(central_alive)
    expected = central_run.deliveries.delivered[:, central_alive].mean(axis=1)
    surviving = band_run.deliveries.delivered[:, band_alive] if band_alive.any() else np.full((ctx.horizon, 1), np.nan)
    low, high = np.quantile(surviving, uncertainty.PERCENTILES, axis=1, method="inverted_cdf")
    firm_orders = float(central_inputs["orders_units"][0] * central_inputs["firm_order_share"][0])
    table = pd.DataFrame(
        {
            "month": [month_label(ctx.rule_month + offset) for offset in range(ctx.horizon)],
            "delivered": np.diff(expected, prepend=0.0),
            "delivered_cumulative": expected,
            **{name: limits[name][:, central_alive].mean(axis=1) for name in _TIMELINE_LIMITS},
            "firm_orders": firm_orders,
            "delivered_cumulative_low": low,
            "delivered_cumulative_high": high,
            "p_delivered": (surviving > 0).mean(axis=1),
        }
    )
    steps = table[["delivered_cumulative", "delivered_cumulative_low", "delivered_cumulative_high"]].diff().abs()
    moving = steps.max(axis=1) > 0.01 * firm_orders
    last = int(np.flatnonzero(moving.to_numpy())[-1]) if moving.any() else 0
    return table.iloc[: min(len(table), last + 4)].reset_index(drop=True)


_TIMELINE_LIMITS = ("us_shipments_cumulative", "cap_cumulative", "approved_cumulative", "deliverable_cumulative", "supply_cumulative")


def delivery_by_scenario(
    scenario_paths: list[Path] | None = None, processed_dir: str | Path = paths.PROCESSED, as_of: str | None = None
) -> pd.DataFrame:
    """For each scenario (default: every shipped one): the chance of a delivery
    by the end of 2026 and 2027, the deliveries expected by then, and the
    month of the first delivery, central with their 90% range; and the limit
    that most often holds the deliveries while both gates are open
    (``binding_limit``, :func:`binding_limits`) with how often (``binding_share``)."""
    rows = []
    for path in scenario_paths or sorted(paths.SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        table = headline(scenario, processed_dir, as_of=as_of)
        row: dict[str, object] = {"scenario": scenario.name}
        for figure in figures_for("03-demand-vs-stock", "deliveries"):
            low, central, high = table.loc[figure, ["low", "central", "high"]]
            row |= {f"{figure}_low": low, f"{figure}": central, f"{figure}_high": high}
        limits = binding_limits(scenario, processed_dir, as_of=as_of, readings=("rule",))
        row |= {"binding_limit": most_binding_limit(limits), "binding_share": float(limits["rule_while_open"].max())}
        rows.append(row)
    return pd.DataFrame(rows)


#: The readings of the 50% cap's base: the rule's (US shipments since launch, stated at
#: application) and the older one kept as a sensitivity (US shipments since the rule only).
CAP_READINGS = ("rule", "since_rule")


def binding_limits(
    scenario: str | Path | Scenario,
    processed_dir: str | Path = paths.PROCESSED,
    draws: int = uncertainty.DRAWS,
    seed: int = uncertainty.SEED,
    as_of: str | None = None,
    readings: tuple[str, ...] = CAP_READINGS,
) -> pd.DataFrame:
    """Which limit holds China's cumulative deliveries, and how often, in the
    simulation (the draws that agree with the record), under the rule's
    reading of the 50% cap (its base the US installed base since launch) and
    under the older reading (US shipments since the rule only, the base set to 0).

    One row per limit of :data:`analysis.model.supply.LIMITS`; for each reading of
    ``readings`` (:data:`CAP_READINGS`) two shares: ``*_while_open``, of the
    draw-months to December 2027 with both gates open (what stops more from
    moving when it could), and ``*_end_2027``, of the draws (what holds the total at the end
    of December 2027; "gates" there means the gates were never both open or
    closed again). ``attrs["delivered_by_end_2027"]`` holds, per reading, the
    deliveries by then as (low, central, high), computed as the headline's
    ``delivered_by_end_2027_units`` is (the same draws and statistic), so the
    rule's reading repeats the headline figure."""
    loaded = load_scenario(scenario)
    table = pd.DataFrame(index=pd.Index(supply.LIMITS, name="limit"))
    delivered: dict[str, tuple[float, float, float]] = {}
    for reading in readings:
        # Notebook 03 asks for its scenario's rule reading twice (its own table and the comparison of scenarios).
        key = (*_headline_key(loaded, processed_dir, draws, seed, as_of), reading)
        while_open, at_end, delivered[reading] = remembered(
            _READINGS,
            key,
            partial(shared_within_build, "reading", key, partial(_reading_outcome, loaded, processed_dir, draws, seed, as_of, reading)),
            size=32,
        )
        table[f"{reading}_while_open"] = pd.Series(while_open)
        table[f"{reading}_end_2027"] = pd.Series(at_end)
    table.attrs["delivered_by_end_2027"] = delivered
    return table


#: :func:`_reading_outcome` results already computed in this process, by headline key and reading.
_READINGS: dict[tuple[object, ...], tuple[dict[str, float], dict[str, float], tuple[float, float, float]]] = {}


def _reading_outcome(
    scenario: Scenario, processed_dir: str | Path, draws: int, seed: int, as_of: str | None, reading: str
) -> tuple[dict[str, float], dict[str, float], tuple[float, float, float]]:
    """One reading of :func:`binding_limits`: the binding shares while open and at the end of 2027, and the deliveries by then."""
    scenario, tables = _load(scenario, processed_dir, as_of)
    case = scenario if reading == "rule" else scenario.with_overrides(us_installed_base_units=0)
    inputs, ctx = engine.prepare(case, tables, seed)
    central_run, central_alive = engine.conditioned_paths(engine.central_batch(inputs, draws), ctx)
    run, alive = engine.conditioned_paths(uncertainty.draw_inputs(inputs, draws, seed), ctx, keep_binding=True)
    assert run.deliveries.binding is not None
    central_alive = central_alive if central_alive.any() else alive
    end = engine.end_of_year("2027", ctx)
    to_end = np.arange(ctx.horizon)[:, None] <= end
    open_months = run.us_open & run.cn_open & alive[None, :] & to_end
    while_open = supply.binding_shares(run.deliveries.binding, open_months)
    at_end = supply.binding_shares(run.deliveries.binding[min(end, ctx.horizon - 1)], alive)
    central = uncertainty.central_value(supply.delivered_by(central_run.deliveries.delivered, end), central_alive, "mean")
    low, high = uncertainty.band(supply.delivered_by(run.deliveries.delivered, end), alive, "mean")
    return while_open, at_end, (min(low, central), central, max(high, central))


def most_binding_limit(limits: pd.DataFrame, column: str = "rule_while_open") -> str:
    """The limit of :func:`binding_limits` that holds the deliveries most often
    (``gates`` when the gates are never open together in any surviving draw)."""
    shares = limits[column]
    return str(shares.idxmax()) if shares.sum() > 0 else "gates"


def allocation_table(
    scenario: str | Path | Scenario,
    processed_dir: str | Path = paths.PROCESSED,
    draws: int = uncertainty.DRAWS,
    seed: int = uncertainty.SEED,
    as_of: str | None = None,
) -> pd.DataFrame:
    """The approved batch split by each rule: one row per (rule, company),
    with ``unallocated`` for what a rule cannot place and DeepSeek's own
    approval as a separate line when the scenario includes it.

    Columns: ``rule, company, requested_units, h200_units`` (central) with
    ``h200_units_low``/``_high`` (90% range), ``domestic_chips`` and
    ``facility_power_mw`` with ranges, ``h100_equiv`` and ``hbm_tb`` (central)."""
    scenario, tables = _load(scenario, processed_dir, as_of)
    inputs, ctx = engine.prepare(scenario, tables)
    central, drawn = engine.central_values(inputs), uncertainty.draw_inputs(inputs, draws, seed)
    h200 = tables.spec(chips.IMPORTED)
    rows = []
    for rule in allocation.RULES:
        splits = [allocation.split(rule, engine.requests(values), values["approved_units"]) for values in (central, drawn)]
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


def inference_table(scenario: str | Path | Scenario, processed_dir: str | Path = paths.PROCESSED, as_of: str | None = None) -> pd.DataFrame:
    """Ascend 910C needed to match the H200s left for inference (central batch),
    by BF16 compute and by memory bandwidth."""
    scenario, tables = _load(scenario, processed_dir, as_of)
    inputs = {item.name: item.central for item in engine.model_inputs(scenario, tables)}
    inference_units = inputs["approved_units"] * (1 - inputs["training_share"])
    h200, ascend = tables.spec(chips.IMPORTED), tables.spec(chips.DOMESTIC)
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


def compute_balance(scenario: str | Path | Scenario, processed_dir: str | Path = paths.PROCESSED, as_of: str | None = None) -> pd.DataFrame:
    """The compute balance in H100-equivalents (by TPP): the approved batch,
    Nvidia's stock and the orders (headline ranges), China's installed AI
    compute (scenario range), and each published estimate of Huawei's Ascend
    output as its own row (converted at the 910C's TPP). Columns: ``item,
    group, low, central, high, source``."""
    scenario, tables = _load(scenario, processed_dir, as_of)
    table = headline(scenario, processed_dir, as_of=as_of)
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
    context_figures = read_processed("context_figures", Path(processed_dir))
    context = context_figures.set_index("figure")
    per_910c = compute.h100_equivalents(1.0, chips.DOMESTIC, tables.specs)
    for figure in HUAWEI_ESTIMATES:
        value = compute.context_value(context_figures, figure, "chips") * per_910c  # a count of chips, or refused
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


def provenance(
    scenario: str | Path | Scenario,
    figures: list[str] | None = None,
    processed_dir: str | Path = paths.PROCESSED,
    as_of: str | None = None,
) -> pd.DataFrame:
    """Every input behind the chosen headline figures (all by default): claims
    with their verbatim quotes, spec values with their sources, scenario
    assumptions with their range and source or reason. Columns: kind, id, value, detail, source."""
    scenario, tables = _load(scenario, processed_dir, as_of)
    table = headline(scenario, processed_dir, as_of=as_of)
    chosen = table.loc[figures] if figures else table
    used = engine.Provenance.merged(chosen["sources"])
    claims, specs, keys = used.claims, used.specs, used.scenario
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


# --- the figures as of any date: revisions and the forecast against the record -----------------------

#: The January view: the date of the last of the five seed articles.
JANUARY_VIEW = "2026-01-30"


def evidence_dates(processed_dir: str | Path = paths.PROCESSED) -> list[str]:
    """The dates the evidence arrived on (one per date a new article appeared), oldest first."""
    folder = Path(processed_dir)
    return [str(d) for d in claims.evidence_dates(read_processed("articles", folder), read_processed("claims", folder))]


def revision_history(
    scenario: str | Path | Scenario,
    figures: list[str] | None = None,
    processed_dir: str | Path = paths.PROCESSED,
    draws: int = uncertainty.DRAWS,
    seed: int = uncertainty.SEED,
    as_of: str | None = None,
) -> pd.DataFrame:
    """The headline figures at each evidence date up to ``as_of`` (:func:`evidence_dates`; None: all),
    like the vintages of an economic series: one row per (date, figure) with
    ``low, central, high, unit, title``, ``articles`` (the articles that
    arrived on that date, by outlet) and ``surviving_share`` (draws that agree
    with the record so far)."""
    scenario = load_scenario(scenario)
    folder = Path(processed_dir)
    articles = read_processed("articles", folder)
    arrived = articles["article_id"].map(claims.evidence_date(articles, read_processed("claims", folder)))
    rows = []
    last = resolved_as_of(folder, as_of if as_of is not None else scenario.as_of)
    for date in [d for d in evidence_dates(folder) if d <= last]:
        table = headline(scenario, folder, draws, seed, as_of=date)
        chosen = table if figures is None else table.loc[figures]
        outlets = "; ".join(_outlet_names(articles[arrived.astype(str) == date]))
        for figure, row in chosen.iterrows():
            rows.append(
                {
                    "as_of": date,
                    "figure": figure,
                    **{column: row[column] for column in ("low", "central", "high", "unit", "title")},
                    "articles": outlets,
                    "surviving_share": table.attrs["surviving_share"],
                }
            )
    return pd.DataFrame(rows)


def _outlet_names(articles: pd.DataFrame) -> list[str]:
    return [str(outlet) if isinstance(outlet, str) and outlet else "an unnamed outlet" for outlet in articles["outlet"]]


def what_the_news_changed(history: pd.DataFrame, threshold: float = 0.01) -> pd.DataFrame:
    """From a :func:`revision_history`, for each evidence date in order of
    arrival, the figures whose central value moved by more than ``threshold``
    of its previous value (or from zero): ``as_of, articles, figure, title,
    unit, before, after, change``. The first date has nothing before it."""
    rows = []
    for figure, series in history.groupby("figure", sort=False):
        ordered = series.sort_values("as_of", kind="stable").reset_index(drop=True)
        for position in range(1, len(ordered)):
            before, after = float(ordered.at[position - 1, "central"]), float(ordered.at[position, "central"])
            if _moved(before, after, threshold):
                rows.append(
                    {
                        "as_of": ordered.at[position, "as_of"],
                        "articles": ordered.at[position, "articles"],
                        "figure": figure,
                        "title": ordered.at[position, "title"],
                        "unit": ordered.at[position, "unit"],
                        "before": before,
                        "after": after,
                        "change": after - before if np.isfinite(after - before) else np.nan,
                    }
                )
    columns = ["as_of", "articles", "figure", "title", "unit", "before", "after", "change"]
    return pd.DataFrame(rows, columns=columns).sort_values(["as_of"], kind="stable").reset_index(drop=True)


def _moved(before: float, after: float, threshold: float) -> bool:
    if np.isnan(before) and np.isnan(after):
        return False
    if np.isnan(before) or np.isnan(after) or np.isinf(before) or np.isinf(after):
        return before != after
    return abs(after - before) > threshold * max(abs(before), 1e-12)


def forecast_scores(
    scenario: str | Path | Scenario,
    as_of: str = JANUARY_VIEW,
    processed_dir: str | Path = paths.PROCESSED,
    draws: int = uncertainty.DRAWS,
    seed: int = uncertainty.SEED,
) -> pd.DataFrame:
    """The forecast made at ``as_of`` against each later observation of
    deliveries: one row per observation with ``observation, date, observed``
    (H200 delivered into mainland China by then), ``percentile`` (where the
    observation falls among the forecast's surviving draws of deliveries by
    that month, mid-rank), ``score`` and ``score_kind`` (the CRPS of the
    forecast deliveries, in chips, 0 best), ``p_any_delivery`` (the forecast
    chance of any delivery by that month) and ``brier`` (its Brier score
    against what happened)."""
    scenario = load_scenario(scenario)
    view = engine.Tables.load(processed_dir, as_of)
    record = engine.Tables.load(processed_dir, None)
    inputs, ctx = engine.prepare(scenario, view, seed)
    values = uncertainty.draw_inputs(inputs, draws, seed)
    run, alive = engine.conditioned_paths(values, ctx)
    later = [o for o in record.observations(ctx.rule_month) if o.metric == "delivered_units" and o.date > view.as_of]
    chance = engine.delivery_chance(values, ctx, [o.month for o in later])
    rows = []
    for observation in later:
        forecast = supply.delivered_by(run.deliveries.delivered, observation.month)[alive]
        p_any = float(np.nanmean(chance[observation.month][alive]))
        rows.append(
            {
                "observation": observation.label,
                "date": observation.date,
                "observed": observation.value,
                "percentile": conditioning.percentile_of(forecast, observation.value),
                "score": conditioning.crps(forecast, observation.value),
                "score_kind": "CRPS (chips)",
                "p_any_delivery": p_any,
                "brier": conditioning.brier(p_any, observation.value > 0),
                "claim_ids": observation.claim_ids,
            }
        )
    columns = ["observation", "date", "observed", "percentile", "score", "score_kind", "p_any_delivery", "brier", "claim_ids"]
    return pd.DataFrame(rows, columns=columns)


def resolved_as_of(processed_dir: str | Path = paths.PROCESSED, as_of: str | None = None) -> str:
    """``as_of`` checked, or the date of the latest evidence when None."""
    folder = Path(processed_dir)
    return engine.resolve_as_of(read_processed("claims", folder), read_processed("articles", folder), as_of)


def evidence_as_of(
    processed_dir: str | Path = paths.PROCESSED, as_of: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The articles that had appeared by ``as_of``, the claims that held by
    then, and their consensus at the latest date of each metric (notebook 01's
    tables as of a date)."""
    tables = engine.Tables.load(processed_dir, as_of)
    arrived = tables.articles["article_id"].map(claims.evidence_date(tables.articles, read_processed("claims", Path(processed_dir))))
    known = arrived.notna() & (arrived.fillna("9999-12-31").astype(str) <= tables.as_of)
    return tables.articles[known.to_numpy()].reset_index(drop=True), tables.claims, tables.consensus

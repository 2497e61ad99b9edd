"""China's AI compute in the US rule's own metric: H100-equivalents by TPP,
the rule's thresholds, and the sourced facts and context figures around them.

- :func:`h100_equivalents` turns a number of chips into H100-equivalents by
  *total processing performance* (TPP, ECCN 3A090): ``units x TPP(chip) /
  TPP(H100 SXM)``, from the spec table (``data/raw/chip_specs.csv``). TPP is
  what the US rule measures, and it gives the H200 exactly one H100-equivalent
  (the BF16 ratio gives 1.0001, a spurious 133,347 against 133,333).
- :func:`rule_eligibility` applies the January 2026 rule's conditions to
  every chip of the spec table: commercially available in the US on
  15 January 2026, and the case-by-case ceilings (TPP < 21,000 and DRAM
  bandwidth < 6,500 GB/s, read from ``data/raw/rule_facts.csv``); it states
  the foundry-capacity condition beside them.
- ``data/raw/rule_facts.csv`` holds dated facts about the rules and the
  timeline (each with a source), used by the eligibility table and the fact
  checks; ``data/raw/context_figures.csv`` the context figures (Huawei's
  output, China's compute stock, power) the compute balance compares with.

Every function here is pure: the readers check a file and return a frame,
the ``make_table_*`` functions build a processed table from frames.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.core.errors import InputError, where
from analysis.core.files import read_raw_csv
from analysis.metadata import chips, schemas
from analysis.metadata.schemas import BOUNDS

__all__ = [
    "CONTEXT_COLUMNS",
    "CONTEXT_FIGURES_SCHEMA",
    "CONTEXT_UNITS",
    "FOUNDRY_ATTESTATION",
    "FOUNDRY_FACT",
    "RULE_COUNTRY",
    "RULE_ELIGIBILITY_SCHEMA",
    "RULE_FACTS_SCHEMA",
    "RULE_FACT_COLUMNS",
    "SECONDS_PER_DAY",
    "TERA",
    "Units",
    "bf16_flops",
    "chips_equipped_by_stacks",
    "compute_balance",
    "context_unit_problem",
    "context_value",
    "describe_period",
    "foundry_source",
    "h100_equivalents",
    "hbm_stacks",
    "hbm_tb",
    "make_table_context_figures",
    "parse_period",
    "read_context_figures",
    "read_rule_facts",
    "rule_eligibility",
    "rule_thresholds",
    "tpp_per_h100",
    "training_run_flop",
]

#: The chip H100-equivalents are counted in.
#: Vendors of this country fall under the US rule the thresholds come from.
RULE_COUNTRY = "US"
#: Fact ids of the two ceilings in ``rule_facts.csv``.
TPP_CEILING, BANDWIDTH_CEILING = "tpp_ceiling", "dram_bandwidth_ceiling"

Units = TypeVar("Units", float, np.ndarray, pd.Series)


# --- H100-equivalents ---------------------------------------------------------


def tpp_per_h100(specs: pd.DataFrame) -> pd.Series:
    """TPP of every chip over the H100 SXM's (NaN where TPP is not published),
    in the order of ``specs``: the H100-equivalents of one chip."""
    return specs["tpp"] / _h100_tpp(specs.set_index("chip"))


def _h100_tpp(by_chip: pd.DataFrame) -> float:
    if chips.REFERENCE not in by_chip.index or pd.isna(by_chip.at[chips.REFERENCE, "tpp"]):
        raise InputError(f"chip_specs.csv: reference chip {chips.REFERENCE!r} is missing or has no TPP")
    return float(by_chip.at[chips.REFERENCE, "tpp"])


def h100_equivalents(units: Units, chip: str, specs: pd.DataFrame) -> Units:
    """H100-equivalents of ``units`` chips of ``chip`` by TPP:
    ``units x TPP(chip) / TPP(H100 SXM)``. ``units`` may be a number, an array
    or a Series (e.g. simulation draws); the result has the same shape.

    For example 600,000 Ascend 910C (TPP 12,032) are 600,000 x 12,032 / 15,832
    = about 455,988 H100-equivalents; 400,000 H200 (TPP 15,832) are 400,000.
    """
    by_chip = specs.set_index("chip")
    if chip not in by_chip.index:
        raise KeyError(f"chip {chip!r} is not in the spec table ({', '.join(by_chip.index)})")
    tpp = by_chip.at[chip, "tpp"]
    if pd.isna(tpp):
        raise ValueError(f"chip {chip!r} has no TPP in the spec table")
    return units * (float(tpp) / _h100_tpp(by_chip))


def compute_balance(
    specs: pd.DataFrame,
    *,
    approved_units: Units,
    orders_units: Units,
    nvidia_stock_units: Units,
    huawei_910c_units: Units,
    china_compute_stock_h100e: Units,
    world_compute_stock_h100e: Units,
    domestic_chips_per_h200: Units,
) -> dict[str, Units]:
    """The compute balance of the approvals, in H100-equivalents by TPP.

    Every input may be a number or an array of simulation draws (same shape);
    each output has that shape:

    - ``approved_h100e``, ``orders_h100e``, ``nvidia_stock_h100e``: the H200
      batch, the orders and Nvidia's stock;
    - ``huawei_2026_h100e``: Huawei's 2026 910C output;
    - ``china_stock_2026_h100e``: China's installed AI compute at the date the
      batch would arrive: the 2025 stock plus Huawei's 2026 output;
    - ``share_of_china_compute_stock``: approved H100e / China's 2026 stock
      (the same date, Huawei's output added, not the fixed 2025 stock);
    - ``approved_share_of_world_compute``: approved H100e / the world's
      installed AI compute (Epoch AI);
    - ``approved_vs_huawei_2026_output``: approved H100e / Huawei's 2026 output in H100e;
    - ``domestic_quota_share_of_huawei_output``: a what-if, the domestic chips
      an assumed bundling quota requires for the approved batch
      (``approved_units x domestic_chips_per_h200``) / Huawei's 2026 units;
    - ``china_stock_with_approved_h100e`` and ``china_stock_with_orders_h100e``:
      China's 2026 stock plus the approved batch only, or plus the orders met in full.
    """
    approved = h100_equivalents(approved_units, chips.IMPORTED, specs)
    orders = h100_equivalents(orders_units, chips.IMPORTED, specs)
    huawei = h100_equivalents(huawei_910c_units, chips.DOMESTIC, specs)
    china_2026 = china_compute_stock_h100e + huawei
    return {
        "approved_h100e": approved,
        "orders_h100e": orders,
        "nvidia_stock_h100e": h100_equivalents(nvidia_stock_units, chips.IMPORTED, specs),
        "huawei_2026_h100e": huawei,
        "china_stock_2026_h100e": china_2026,
        "share_of_china_compute_stock": approved / china_2026,
        "approved_share_of_world_compute": approved / world_compute_stock_h100e,
        "approved_vs_huawei_2026_output": approved / huawei,
        "domestic_quota_share_of_huawei_output": approved_units * domestic_chips_per_h200 / huawei_910c_units,
        "china_stock_with_approved_h100e": china_2026 + approved,
        "china_stock_with_orders_h100e": china_2026 + orders,
    }


# --- physical units ---------------------------------------------------------------

SECONDS_PER_DAY = 86_400
TERA = 1e12


def _spec_value(chip: str, column: str, specs: pd.DataFrame) -> float:
    by_chip = specs.set_index("chip")
    if chip not in by_chip.index or pd.isna(by_chip.at[chip, column]):
        raise InputError(f"chip_specs.csv: chip {chip!r} has no {column}")
    return float(by_chip.at[chip, column])


def bf16_flops(units: Units, chip: str, specs: pd.DataFrame) -> Units:
    """Dense BF16 FLOP/s of ``units`` chips: ``units x bf16_tflops x 10^12``."""
    return units * (_spec_value(chip, "bf16_tflops", specs) * TERA)


def hbm_tb(units: Units, chip: str, specs: pd.DataFrame) -> Units:
    """The memory ``units`` chips carry, TB (``units x memory_gb / 1000``)."""
    return units * (_spec_value(chip, "memory_gb", specs) / 1000)


def hbm_stacks(units: Units, chip: str, specs: pd.DataFrame) -> Units:
    """The HBM stacks on ``units`` chips' packages."""
    return units * _spec_value(chip, "hbm_stacks", specs)


def chips_equipped_by_stacks(stacks: Units, chip: str, specs: pd.DataFrame) -> Units:
    """How many ``chip`` packages ``stacks`` HBM stacks would equip."""
    return stacks / _spec_value(chip, "hbm_stacks", specs)


def training_run_flop(units: Units, chip: str, specs: pd.DataFrame, *, utilisation: Units, days: Units) -> Units:
    """The training compute ``units`` chips deliver in ``days`` at a
    utilisation (achieved over peak dense BF16): FLOP/s x utilisation x seconds."""
    flop: Units = bf16_flops(units, chip, specs) * utilisation * (days * SECONDS_PER_DAY)
    return flop


# --- the rule's thresholds ------------------------------------------------------

RULE_ELIGIBILITY_SCHEMA = schemas.RULE_ELIGIBILITY


def rule_thresholds(rule_facts: pd.DataFrame) -> tuple[float, float]:
    """The TPP and DRAM-bandwidth (GB/s) ceilings of the case-by-case policy,
    from the sourced rows of ``rule_facts.csv``."""
    by_id = rule_facts.set_index("fact_id")
    for fact_id, unit in ((TPP_CEILING, "tpp"), (BANDWIDTH_CEILING, "GB/s")):
        if fact_id not in by_id.index or pd.isna(by_id.at[fact_id, "value"]) or by_id.at[fact_id, "unit"] != unit:
            raise InputError(f"rule_facts.csv: fact {fact_id!r} with a value in {unit} is required")
    return float(by_id.at[TPP_CEILING, "value"]), float(by_id.at[BANDWIDTH_CEILING, "value"])


#: The rule fact holding the foundry-capacity condition and its source.
FOUNDRY_FACT = "foundry_capacity_condition"
#: The foundry-capacity condition as the table records it: no public data says
#: per chip how much foundry capacity an export's production takes from US
#: customers, so it is the exporter's attestation in the licence application,
#: recorded, not computed (no verdict for any chip).
FOUNDRY_ATTESTATION = (
    "exporter's attestation, not computed: the licence requires that production for China not divert global foundry capacity "
    "from US customers; public data cannot check it per chip"
)


def foundry_source(rule_facts: pd.DataFrame) -> str:
    """The source of the rule text behind the foundry-capacity condition (``rule_facts.csv``)."""
    by_id = rule_facts.set_index("fact_id")
    if FOUNDRY_FACT not in by_id.index or not str(by_id.at[FOUNDRY_FACT, "source"]).strip():
        raise InputError(f"rule_facts.csv: fact {FOUNDRY_FACT!r} with a source is required")
    return str(by_id.at[FOUNDRY_FACT, "source"])


def rule_eligibility(specs: pd.DataFrame, tpp_limit: float, bandwidth_limit_gbs: float, *, foundry_rule_source: str) -> pd.DataFrame:
    """One row per chip of the spec table against the January 2026 US rule's
    case-by-case policy, in the order the rule's conditions settle it:

    1. the rule covers US chips: a chip of another country's vendor has an
       empty ``eligible`` and says so (its headroom is still shown);
    2. the chip must have been commercially available in the US on 15 January
       2026 (``us_available_2026_01_15`` and the publication saying so,
       ``us_available_source``, from the spec table): a China-only part such
       as a B30A is not eligible, whatever its TPP;
    3. ``TPP < tpp_limit`` *and* total DRAM bandwidth ``< bandwidth_limit_gbs``
       (both strict). A chip above a ceiling is not eligible even when its US
       availability is not sourced; a chip with an unsourced availability or
       a missing figure that could still pass has an empty ``eligible``.

    ``foundry_condition`` records the rule's other condition, that production
    for China must not divert foundry capacity from US customers, for every
    US chip: the exporter's attestation, with the rule text's source
    (``foundry_rule_source``), never a computed verdict.
    ``*_headroom`` is the ceiling minus the chip's figure (negative when above)."""
    bandwidth = (specs["memory_bandwidth_tbps"] * 1000).round(6)
    foundry = f"{FOUNDRY_ATTESTATION} ({foundry_rule_source})"
    rows = []
    for spec, gbs in zip(specs.itertuples(index=False), bandwidth, strict=True):
        available = spec.us_available_2026_01_15
        available = None if pd.isna(available) else bool(available)
        eligible, reason = _eligibility(spec, gbs, available, tpp_limit, bandwidth_limit_gbs)
        us_chip = spec.vendor_country == RULE_COUNTRY
        source = getattr(spec, "us_available_source", None)
        rows.append(
            {
                "chip": spec.chip,
                "vendor": spec.vendor,
                "vendor_country": spec.vendor_country,
                "tpp": spec.tpp,
                "memory_bandwidth_gbs": gbs,
                "us_available_2026_01_15": available if us_chip else None,
                "us_available_source": source if us_chip and isinstance(source, str) and source else None,
                "eligible": eligible,
                "reason": reason,
                "foundry_condition": foundry if us_chip else None,
                "tpp_headroom": tpp_limit - spec.tpp,
                "bandwidth_headroom_gbs": bandwidth_limit_gbs - gbs,
            }
        )
    return schemas.build(RULE_ELIGIBILITY_SCHEMA, rows)


def _eligibility(spec: Any, gbs: float, available: bool | None, tpp_limit: float, bandwidth_limit: float) -> tuple[bool | None, str]:
    """``eligible`` and its reason for one chip (see :func:`rule_eligibility`)."""
    if spec.vendor_country != RULE_COUNTRY:
        return None, (
            f"{spec.vendor} is a {spec.vendor_country} vendor: the US rule's case-by-case policy covers US chips; "
            f"this chip is subject to other rules"
        )
    if available is False:
        return False, "not eligible: not commercially available in the US on 15 Jan 2026 (a part made for China), whatever its TPP"
    tpp = spec.tpp
    said = "commercially available in the US on 15 Jan 2026" if available else "US availability on 15 Jan 2026 not sourced"
    parts = [said]
    fails = False
    for name, missing, value, limit, unit in (
        ("TPP", "TPP", tpp, tpp_limit, ""),
        ("DRAM bandwidth", "memory bandwidth", gbs, bandwidth_limit, " GB/s"),
    ):
        if pd.isna(value):
            parts.append(f"{missing} not in the spec table")
        else:
            fails = fails or value >= limit
            parts.append(f"{name} {value:,.0f} {'>=' if value >= limit else '<'} {limit:,.0f}{unit}")
    if fails:  # above a ceiling: not eligible, whatever is unknown
        return False, "not eligible: " + "; ".join(parts)
    if available is None or pd.isna(tpp) or pd.isna(gbs):
        return None, "not settled: " + "; ".join(parts)
    return True, "eligible: " + "; ".join(parts)


# --- periods ------------------------------------------------------------------

_PERIOD = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<h>H[12])|(?P<q>Q[1-4])|(?P<m>\d{2})(?:-(?P<d>\d{2}))?))?$")


def parse_period(text: str) -> tuple[date, date]:
    """First and last day of a period written ``YYYY``, ``YYYY-H1``/``H2``,
    ``YYYY-Q1``..``Q4``, ``YYYY-MM`` or ``YYYY-MM-DD``; ValueError otherwise."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a period (YYYY, YYYY-H1, YYYY-Q2, YYYY-MM or YYYY-MM-DD)")
    year = int(match["y"])
    if match["d"]:
        day = date(year, int(match["m"]), int(match["d"]))
        return day, day
    if match["m"]:
        first_month, months = int(match["m"]), 1
    elif match["q"]:
        first_month, months = 3 * int(match["q"][1]) - 2, 3
    elif match["h"]:
        first_month, months = 6 * int(match["h"][1]) - 5, 6
    else:
        first_month, months = 1, 12
    if not 1 <= first_month <= 12:
        raise ValueError(f"{text!r}: month out of range")
    end_month = first_month + months
    end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return date(year, first_month, 1), end


def describe_period(text: str) -> str:
    """A period as people write it: ``2026-Q2`` → "Q2 2026", ``2026-02-24`` → "24 Feb 2026"."""
    first, last = parse_period(text)
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if re.fullmatch(r"\d{4}-[HQ]\d", text.strip()):
        year, part = text.strip().split("-")
        return f"{part} {year}"
    if re.fullmatch(r"\d{4}-\d{2}", text.strip()):
        return f"{first:%b %Y}"
    return text.strip()


# --- rule facts ---------------------------------------------------------------

RULE_FACT_COLUMNS = ["fact_id", "description", "value", "unit", "period", "source"]

RULE_FACTS_SCHEMA = schemas.RULE_FACTS


def _number(text: str, at: str, column: str, *, required: bool) -> float:
    """A finite number from a raw cell, or NaN for an empty optional one."""
    if not text.strip():
        if required:
            raise InputError(f"{at}: {column} is required")
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{at}: {column} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{at}: {column} {text!r} is not a finite number")
    return value


def read_rule_facts(raw_dir: Path = paths.RAW) -> pd.DataFrame:
    """``rule_facts.csv``: dated facts about the rules and the timeline, each
    with a source; ``value`` is a finite number or empty, ``period`` a period
    :func:`parse_period` reads, ``fact_id`` unique."""
    path = raw_dir / "rule_facts.csv"
    raw = read_raw_csv(path, RULE_FACT_COLUMNS)
    rows, seen = [], set()
    for position, row in enumerate(raw.itertuples(index=False), start=2):
        at = where(path, position, row.fact_id or None)
        if not row.fact_id or row.fact_id in seen:
            raise InputError(f"{at}: fact_id is empty or repeated")
        seen.add(row.fact_id)
        if not row.source.strip() or not row.description.strip():
            raise InputError(f"{at}: description and source are required")
        try:
            start, end = parse_period(row.period)
        except ValueError as err:
            raise InputError(f"{at}: period {err}") from None
        rows.append(
            {
                "fact_id": row.fact_id,
                "description": row.description,
                "value": _number(row.value, at, "value", required=False),
                "unit": row.unit or None,
                "period": row.period.strip(),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "source": row.source,
            }
        )
    return schemas.build(RULE_FACTS_SCHEMA, rows)


# --- context figures ------------------------------------------------------------

CONTEXT_FIGURES_SCHEMA = schemas.CONTEXT_FIGURES
CONTEXT_COLUMNS = list(CONTEXT_FIGURES_SCHEMA.columns)


#: The unit in which the figures read a context figure (Huawei's output is converted at the 910C's TPP,
#: so it must count chips): the same figure in another unit is refused, never used as if it were in this one.
CONTEXT_UNITS = {
    "huawei_910c_plan_2026": "chips",
    "huawei_ascend_output_2025_commerce": "chips",
    "huawei_ascend_output_2025_semianalysis": "chips",
    "huawei_ascend_output_2026_hbm_limited": "chips",
}


def context_unit_problem(figure: str, unit: str) -> str | None:
    """Why a context figure's unit is not the one it is read in (:data:`CONTEXT_UNITS`), or None."""
    expected = CONTEXT_UNITS.get(figure)
    if expected is None or unit == expected:
        return None
    return f"unit {unit!r}, but figure {figure!r} is read in {expected}"


def read_context_figures(raw_dir: Path = paths.RAW) -> pd.DataFrame:
    """``context_figures.csv``: one sourced figure a row (facts.md §4) —
    a finite value, its bound (exact, at_least, at_most, approx), a unit, the
    year it is about (may be empty) and a source, all checked."""
    path = raw_dir / "context_figures.csv"
    raw = read_raw_csv(path, CONTEXT_COLUMNS)
    rows, seen = [], set()
    for position, row in enumerate(raw.itertuples(index=False), start=2):
        at = where(path, position, row.figure or None)
        if not row.figure or row.figure in seen:
            raise InputError(f"{at}: figure is empty or repeated")
        seen.add(row.figure)
        if not row.source.strip():
            raise InputError(f"{at}: no source for figure {row.figure!r}")
        if row.bound not in BOUNDS:
            raise InputError(f"{at}: bound {row.bound!r} is not one of {', '.join(BOUNDS)}")
        if not row.unit.strip():
            raise InputError(f"{at}: unit is required")
        problem = context_unit_problem(row.figure, row.unit)
        if problem:
            raise InputError(f"{at}: {problem}")
        year = _number(row.year, at, "year", required=False)
        if not math.isnan(year) and (year != int(year) or not 1990 <= year <= 2100):
            raise InputError(f"{at}: year {row.year!r} is not a year")
        rows.append(
            {
                "figure": row.figure,
                "value": _number(row.value, at, "value", required=True),
                "bound": row.bound,
                "unit": row.unit,
                "year": None if math.isnan(year) else int(year),
                "source": row.source,
                "note": row.note or None,
            }
        )
    return schemas.cast(CONTEXT_FIGURES_SCHEMA, pd.DataFrame(rows, columns=CONTEXT_COLUMNS))


def make_table_context_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """The context figures, checked against their schema (source on every row,
    finite values)."""
    return CONTEXT_FIGURES_SCHEMA.validate(schemas.cast(CONTEXT_FIGURES_SCHEMA, figures))


def context_value(figures: pd.DataFrame, figure: str, unit: str | None = None) -> float:
    """One context figure's value, by name; with ``unit``, refused (an
    InputError naming the figure and both units) when it is in another."""
    by_name = figures.set_index("figure")
    if figure not in by_name.index:
        raise KeyError(f"no context figure {figure!r} ({', '.join(by_name.index)})")
    if unit is not None and by_name.at[figure, "unit"] != unit:
        raise InputError(f"context figure {figure!r}: unit {by_name.at[figure, 'unit']!r}, but it is read in {unit}")
    return float(by_name.at[figure, "value"])

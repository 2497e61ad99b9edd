"""Named scenarios: every assumption that is not in the articles, with its source.

A scenario file (``scenarios/*.yaml``) has a ``name``, a ``description`` (what
the case assumes, in words) and ``assumptions``: for each key of
:data:`ASSUMPTIONS`, a ``value`` (the central value), a ``unit``, either a
``source`` (a published figure) or a ``why`` (the reasoning where nothing is
published) and, for an uncertain number or month, a ``low`` and a ``high``
(the 5th and 95th percentiles the simulation draws between, see
:mod:`analysis.model.uncertainty`) with an optional ``distribution``
(``triangular``, the default, peaked at ``value``; or ``uniform``).

Loading checks every key, type and range and fails with an
:class:`~analysis.core.errors.InputError` naming the file and the key.

Notebooks take ``scenario`` (a name such as ``fast-ramp``, or a path) in their parameters cell and may override
single assumptions by papermill parameters, checked the same way
(:meth:`Scenario.with_overrides`); an override pins the input (no range).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from analysis.core.errors import InputError
from analysis.core.paths import parse_flag, resolve_scenario
from analysis.core.strict_yaml import load_yaml_strict

__all__ = [
    "ASSUMPTIONS",
    "DISTRIBUTIONS",
    "FLAGS",
    "MAX_FLOP",
    "MAX_MAGNITUDE",
    "Assumption",
    "Scenario",
    "load_scenario",
    "month_index",
    "month_label",
]

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DISTRIBUTIONS = ("triangular", "uniform")


#: The largest size any numeric input may have. The largest real one (Nvidia's China revenue, about
#: 1.7e10 USD) is far below it; beyond it products of inputs (units × price × draws) leave the range
#: the model and the chart export compute in, and an override of 1e308 would fail deep in the export.
MAX_MAGNITUDE = 1e15


def _shown(value: float) -> str:
    text = repr(value)
    return text if len(text) <= 24 else f"a number of {len(str(abs(int(value))))} digits"


#: Training compute is counted in FLOP (the largest published run, about 5e26): its own, larger limit.
MAX_FLOP = 1e30


def _number(
    low: float | None = None, high: float | None = None, above: float | None = None, magnitude: float = MAX_MAGNITUDE
) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number, got {value!r}"
        if isinstance(value, float) and not math.isfinite(value):  # NaN passes every comparison
            return f"expected a finite number, got {value!r}"
        if abs(value) > magnitude:
            return f"must be at most {magnitude:g} in size (the limit of this numeric input), got {_shown(value)}"
        if above is not None and not value > above:
            return f"must be more than {above:g}, got {value!r}"
        if low is not None and value < low:
            return f"must be at least {low:g}, got {value!r}"
        if high is not None and value > high:
            return f"must be at most {high:g}, got {value!r}"
        return None

    return check


def month_index(month: str) -> int:
    """'2026-03' → months since year 0 (2026 * 12 + 2): months compare and subtract as integers."""
    year, number = (int(part) for part in month.split("-"))
    return year * 12 + number - 1


def month_label(index: int) -> str:
    """The inverse of :func:`month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month(earliest: str | None = None, why: str = "") -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not _MONTH.match(value):
            return f"expected a month as 'YYYY-MM', got {value!r}"
        if earliest and month_index(value) < month_index(earliest):
            return f"must be {earliest} or later ({why}), got {value!r}"
        return None

    return check


#: Assumptions that are true or false.
FLAGS = ("include_deepseek",)


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, got {value!r}"


#: Every assumption a scenario must set, with the check its value must pass.
ASSUMPTIONS: Mapping[str, Callable[[Any], str | None]] = MappingProxyType(
    {
        # market
        "price_usd_per_h200": _number(above=0),
        "us_take_share": _number(low=0, high=1),
        "tariff_base_share": _number(above=0, high=1),
        "channel_margin_share": _number(low=0, high=1),
        "take_pass_through_share": _number(low=0, high=1),
        "nvidia_china_revenue_usd": _number(above=0),
        "ascend_910c_price_usd": _number(above=0),
        # the US rule and shipments to US customers
        "rule_effective_month": _month(),
        "us_cap_share": _number(above=0, high=1),
        "us_installed_base_units": _number(low=0),
        "us_shipments_units_per_month": _number(low=0),
        # approvals, orders and deliveries
        "first_approval_month": _month(),
        "later_approvals_start_month": _month(),
        "later_approval_interval_months": _number(low=1, high=24),
        "later_approval_units": _number(low=0),
        "firm_order_share": _number(low=0, high=1),
        "first_tranche_units": _number(above=0),
        "delivery_pace_units_per_month": _number(above=0),
        "new_output_start_month": _month(),
        "new_output_units_per_month": _number(low=0),
        "horizon_months": _number(low=24, high=240),
        # the two governments' gates and the ceilings (facts.md §5)
        "gates_earliest_month": _month(),
        "us_licence_open_prob": _number(low=0, high=1),
        "us_licence_close_prob": _number(low=0, high=1),
        "beijing_import_open_prob": _number(low=0, high=1),
        "beijing_import_close_prob": _number(low=0, high=1),
        "mi325x_units_per_customer": _number(low=0),
        "china_total_ceiling_units": _number(above=0),
        "china_output_resume_share": _number(low=0, high=1),
        # allocation
        "tencent_request_units": _number(low=0),
        "include_deepseek": _flag,
        "deepseek_approved_units": _number(low=0),
        "domestic_chips_per_h200": _number(low=0),
        "training_share": _number(low=0, high=1),
        "server_power_overhead": _number(low=1),
        "pue": _number(low=1),
        # China's AI compute
        "china_compute_stock_h100e": _number(above=0),
        "huawei_910c_units_2026": _number(above=0),
        "huawei_910c_units_2026_hbm_limited": _number(above=0),
        "world_compute_stock_h100e": _number(above=0),
        # the per-customer cap
        "per_customer_cap_units": _number(above=0),
        # what one customer's cap allows
        "training_utilisation": _number(above=0, high=1),
        "training_run_days": _number(above=0, high=3650),
        "largest_published_run_flop": _number(above=0, magnitude=MAX_FLOP),
        # smuggling, the counterfactual
        "smuggled_chips_2024": _number(low=0),
        "smuggled_h100e_per_chip": _number(above=0),
        # how the wording of a claim widens its reading
        "lower_bound_uplift": _number(low=0, high=1),
        "upper_bound_cut": _number(low=0, high=1),
        "approx_margin": _number(low=0, high=1),
    }
)


@dataclass(frozen=True)
class Assumption:
    """One scenario assumption: its central value, its 90% range (``low`` and
    ``high``, equal to ``value`` when the input is certain) and where it comes from."""

    key: str
    value: Any
    unit: str
    source: str  # the published source, or "why: ..." for reasoning
    low: Any = None
    high: Any = None
    distribution: str = "triangular"

    def __post_init__(self) -> None:
        if self.low is None:
            object.__setattr__(self, "low", self.value)
        if self.high is None:
            object.__setattr__(self, "high", self.value)

    @property
    def provenance(self) -> str:
        return self.source

    @property
    def is_uncertain(self) -> bool:
        return bool(self.low != self.high)


@dataclass(frozen=True)
class Scenario:
    """A loaded, validated scenario. Immutable: overrides make a new one."""

    name: str
    description: str
    path: Path
    assumptions: Mapping[str, Assumption] = field(repr=False)
    overrides: tuple[tuple[str, Any], ...] = ()
    as_of: str | None = None  # the date the figures are taken at (None: the latest evidence)

    def value(self, key: str) -> Any:
        """The central value of one assumption."""
        return self.assumptions[key].value

    def assumption(self, key: str) -> Assumption:
        return self.assumptions[key]

    def with_overrides(self, **overrides: Any) -> Scenario:
        """A copy with some values replaced (papermill parameters), each checked
        like a value read from the file; ``None`` means "keep the file's value".
        An overridden input is pinned: its range collapses to the new value."""
        changed = dict(self.assumptions)
        applied = list(self.overrides)
        for key, value in overrides.items():
            if value is None:
                continue
            if key in FLAGS and isinstance(value, str):  # papermill -p include_deepseek true passes a string
                try:
                    value = parse_flag(value)
                except ValueError as err:
                    raise InputError(f"notebook parameter {key!r}: {err}") from None
            _check(self.path, key, value)
            changed[key] = Assumption(key, value, self.assumptions[key].unit, f"override of {self.path.name}: set by a notebook parameter")
            applied.append((key, value))
        return replace(self, assumptions=MappingProxyType(changed), overrides=tuple(applied))


def _check(path: Path, key: str, value: Any, field_name: str = "") -> None:
    if key not in ASSUMPTIONS:
        raise InputError(f"{path}: key {key!r}: unknown assumption (known: {', '.join(ASSUMPTIONS)})")
    problem = ASSUMPTIONS[key](value)
    if problem:
        where = f"key {key!r}" + (f", {field_name}" if field_name else "")
        raise InputError(f"{path}: {where}: {problem}")


def _ordered(value: Any) -> float:
    return float(month_index(value)) if isinstance(value, str) else float(value)


def _assumption(path: Path, key: str, entry: Any) -> Assumption:
    """One validated entry of the ``assumptions`` mapping."""
    if key not in ASSUMPTIONS:
        raise InputError(f"{path}: key {key!r}: unknown assumption (known: {', '.join(ASSUMPTIONS)})")
    if not isinstance(entry, dict) or "value" not in entry:
        raise InputError(f"{path}: key {key!r}: expected a mapping with value, unit and source or why")
    extra = set(entry) - {"value", "low", "high", "distribution", "unit", "source", "why"}
    if extra:
        raise InputError(f"{path}: key {key!r}: unknown field {min(extra)!r}")
    source = entry.get("source") or (f"why: {entry['why']}" if entry.get("why") else "")
    if not isinstance(source, str) or not source.strip():
        raise InputError(f"{path}: key {key!r}: needs a 'source' or a 'why'")
    value = entry["value"]
    _check(path, key, value)
    low, high = entry.get("low", value), entry.get("high", value)
    if ("low" in entry) != ("high" in entry):
        raise InputError(f"{path}: key {key!r}: give both 'low' and 'high', or neither")
    if "low" in entry:
        if isinstance(value, bool):
            raise InputError(f"{path}: key {key!r}: a flag takes no range")
        _check(path, key, low, "low")
        _check(path, key, high, "high")
        if not _ordered(low) <= _ordered(value) <= _ordered(high):
            raise InputError(f"{path}: key {key!r}: expected low ≤ value ≤ high, got {low!r}, {value!r}, {high!r}")
    distribution = entry.get("distribution", "triangular")
    if distribution not in DISTRIBUTIONS:
        raise InputError(f"{path}: key {key!r}: distribution must be one of {', '.join(DISTRIBUTIONS)}, got {distribution!r}")
    return Assumption(key, value, str(entry.get("unit", "")), source, low, high, distribution)


_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _as_of(path: Path, value: Any) -> str | None:
    """The optional ``as_of`` date of a scenario file (YAML reads a bare date as a date)."""
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if not _DATE.match(text):
        raise InputError(f"{path}: key 'as_of': expected a date as YYYY-MM-DD, got {value!r}")
    return text


def load_scenario(path: str | Path | Scenario, **overrides: Any) -> Scenario:
    """Read and validate a scenario file (or pass a loaded one through), then
    apply ``overrides``. Fails naming the file and the key: unknown or missing
    key, wrong type, non-finite, negative or impossible value, a range that
    does not contain its value, no ``source``/``why``."""
    if isinstance(path, Scenario):
        return path.with_overrides(**overrides)
    path = resolve_scenario(path)  # a name ("fast-ramp") or a path from the project, notebooks/ or here
    document = load_yaml_strict(path)  # refuses aliases, duplicate keys, non-finite numbers
    if not isinstance(document, dict):
        raise InputError(f"{path}: expected a mapping with name, description and assumptions")
    unknown_top = set(document) - {"name", "description", "assumptions", "as_of"}
    if unknown_top:
        raise InputError(f"{path}: key {min(unknown_top)!r}: unknown top-level key")
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise InputError(f"{path}: key 'name': expected a non-empty string")
    raw = document.get("assumptions")
    if not isinstance(raw, dict):
        raise InputError(f"{path}: key 'assumptions': expected a mapping")
    assumptions = {key: _assumption(path, key, entry) for key, entry in raw.items()}
    missing = [key for key in ASSUMPTIONS if key not in raw]
    if missing:  # after the unknown keys: a misspelt key is reported as what it is
        raise InputError(f"{path}: key {missing[0]!r}: missing")
    description = document.get("description", "")
    as_of = _as_of(path, document.get("as_of"))
    scenario = Scenario(name, " ".join(str(description).split()), path, MappingProxyType(assumptions), as_of=as_of)
    return scenario.with_overrides(**overrides)

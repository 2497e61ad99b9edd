"""Named scenarios: every assumption that is not in the articles, with its source.

A scenario file (``scenarios/*.yaml``) has a ``name``, a ``description`` and
``assumptions``: for each key of :data:`ASSUMPTIONS`, a ``value``, a ``unit``
and either a ``source`` (a published figure) or a ``why`` (the reasoning where
nothing is published). Loading checks every key, type and range and fails
with an :class:`~analysis.errors.InputError` naming the file and the key.

Notebooks take ``scenario`` (a path) in their parameters cell and may override
single assumptions by papermill parameters, checked the same way
(:meth:`Scenario.with_overrides`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from analysis._yaml import load_yaml_strict
from analysis.errors import InputError

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _number(low: float | None = None, high: float | None = None, above: float | None = None) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number, got {value!r}"
        finite = math.isfinite(value) if isinstance(value, float) else abs(value) <= 1e300  # NaN passes every comparison
        if not finite:
            return f"expected a finite number, got {value!r}"
        if above is not None and not value > above:
            return f"must be more than {above:g}, got {value!r}"
        if low is not None and value < low:
            return f"must be at least {low:g}, got {value!r}"
        if high is not None and value > high:
            return f"must be at most {high:g}, got {value!r}"
        return None

    return check


def _month(value: Any) -> str | None:
    if not isinstance(value, str) or not _MONTH.match(value):
        return f"expected a month as 'YYYY-MM', got {value!r}"
    return None


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, got {value!r}"


#: Every assumption a scenario must set, with the check its value must pass.
ASSUMPTIONS: Mapping[str, Callable[[Any], str | None]] = MappingProxyType({
    "price_usd_per_h200": _number(above=0),
    "us_take_share": _number(low=0, high=1),
    "nvidia_china_revenue_usd": _number(above=0),
    "first_delivery_month": _month,
    "new_output_start_month": _month,
    "new_output_units_per_month": _number(low=0),
    "us_cap_share": _number(above=0, high=1),
    "us_shipments_units_per_month": _number(low=0),
    "tencent_request_units": _number(low=0),
    "include_deepseek": _flag,
    "deepseek_request_units": _number(low=0),
    "domestic_chips_per_h200": _number(low=0),
    "training_share": _number(low=0, high=1),
    "lower_bound_uplift": _number(low=0, high=1),
    "upper_bound_cut": _number(low=0, high=1),
    "approx_margin": _number(low=0, high=1),
    "horizon_months": _number(low=1, high=240),
})


@dataclass(frozen=True)
class Assumption:
    """One scenario assumption with where it comes from."""

    key: str
    value: Any
    unit: str
    source: str  # the published source, or "why: ..." for reasoning

    @property
    def provenance(self) -> str:
        return self.source


@dataclass(frozen=True)
class Scenario:
    """A loaded, validated scenario. Immutable: overrides make a new one."""

    name: str
    description: str
    path: Path
    assumptions: Mapping[str, Assumption] = field(repr=False)

    def value(self, key: str) -> Any:
        """The value of one assumption."""
        return self.assumptions[key].value

    def assumption(self, key: str) -> Assumption:
        return self.assumptions[key]

    def with_overrides(self, **overrides: Any) -> Scenario:
        """A copy with some values replaced (papermill parameters), each checked
        like a value read from the file; ``None`` means "keep the file's value"."""
        changed = dict(self.assumptions)
        for key, value in overrides.items():
            if value is None:
                continue
            _check(self.path, key, value)
            changed[key] = Assumption(key, value, self.assumptions[key].unit, f"override of {self.path.name}: set by a notebook parameter")
        return Scenario(self.name, self.description, self.path, MappingProxyType(changed))


def _check(path: Path, key: str, value: Any) -> None:
    if key not in ASSUMPTIONS:
        raise InputError(f"{path}: key {key!r}: unknown assumption (known: {', '.join(ASSUMPTIONS)})")
    problem = ASSUMPTIONS[key](value)
    if problem:
        raise InputError(f"{path}: key {key!r}: {problem}")


def load_scenario(path: str | Path | Scenario, **overrides: Any) -> Scenario:
    """Read and validate a scenario file (or pass a loaded one through), then
    apply ``overrides``. Fails naming the file and the key: unknown or missing
    key, wrong type, negative or impossible value, no ``source``/``why``."""
    if isinstance(path, Scenario):
        return path.with_overrides(**overrides)
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: scenario file not found")
    document = load_yaml_strict(path)  # refuses aliases, duplicate keys, non-finite numbers
    if not isinstance(document, dict):
        raise InputError(f"{path}: expected a mapping with name, description and assumptions")
    unknown_top = set(document) - {"name", "description", "assumptions"}
    if unknown_top:
        raise InputError(f"{path}: key {sorted(unknown_top)[0]!r}: unknown top-level key")
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise InputError(f"{path}: key 'name': expected a non-empty string")
    raw = document.get("assumptions")
    if not isinstance(raw, dict):
        raise InputError(f"{path}: key 'assumptions': expected a mapping")
    assumptions = {}
    for key, entry in raw.items():
        if key not in ASSUMPTIONS:
            raise InputError(f"{path}: key {key!r}: unknown assumption (known: {', '.join(ASSUMPTIONS)})")
        if not isinstance(entry, dict) or "value" not in entry:
            raise InputError(f"{path}: key {key!r}: expected a mapping with value, unit and source or why")
        extra = set(entry) - {"value", "unit", "source", "why"}
        if extra:
            raise InputError(f"{path}: key {key!r}: unknown field {sorted(extra)[0]!r}")
        source = entry.get("source") or (f"why: {entry['why']}" if entry.get("why") else "")
        if not isinstance(source, str) or not source.strip():
            raise InputError(f"{path}: key {key!r}: needs a 'source' or a 'why'")
        _check(path, key, entry["value"])
        assumptions[key] = Assumption(key, entry["value"], str(entry.get("unit", "")), source)
    missing = [key for key in ASSUMPTIONS if key not in raw]
    if missing:  # after the unknown keys: a misspelt key is reported as what it is
        raise InputError(f"{path}: key {missing[0]!r}: missing")
    scenario = Scenario(name, str(document.get("description", "")), path, MappingProxyType(assumptions))
    return scenario.with_overrides(**overrides)

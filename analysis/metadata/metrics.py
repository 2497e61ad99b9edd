"""The metrics a claim can state (``metrics.yaml``), each declared once: its
description, unit, default entity and plausible range; its cue words are in
the language files (``claim_cues``). Read strictly: a metric that lacks a
field, or that a language file gives no cue words, fails naming the file and
the metric."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.core.errors import InputError
from analysis.core.strict_yaml import load_yaml_strict
from analysis.lang import vocabulary as vocab
from analysis.metadata.schemas import UNITS

if TYPE_CHECKING:  # pandas is imported where the table is built
    import pandas as pd

__all__ = ["ENTITY_RULES", "METRICS_PATH", "Metric", "metrics", "metrics_table"]

METRICS_PATH = Path(__file__).with_name("metrics.yaml")
#: How a value metric's entity is found: ``company``, always a company the sentence names;
#: ``company_or_total``, the company when the sentence names exactly one, else the metric's ``entity``.
ENTITY_RULES = ("company", "company_or_total")
_FIELDS = {"description", "needs_value", "unit", "entity", "entity_named", "plausible"}


@dataclass(frozen=True)
class Metric:
    """One entry of ``metrics.yaml``."""

    name: str
    description: str
    needs_value: bool
    units: tuple[str, ...]  # empty for a metric stated without a value
    entity: str | None  # None when the entity is always a named company
    entity_named: str | None  # one of ENTITY_RULES, or None: always ``entity``
    plausible: tuple[float, float] | None  # None for a metric stated without a value


@cache
def metrics(path: Path = METRICS_PATH) -> dict[str, Metric]:
    """Every metric by name, in file order."""
    document = load_yaml_strict(path)
    if not isinstance(document, dict) or not document:
        raise InputError(f"{path}: expected a mapping of metric names to their fields")
    cued = {language: vocab.load(language).get("claim_cues") or {} for language in vocab.LANGUAGES}
    for language, cues in cued.items():
        unknown = sorted(str(metric) for metric in cues if metric not in document)
        if unknown:
            raise InputError(f"{vocab.LANG_DIR / f'{language}.yaml'}: claim_cues names metric(s) {', '.join(unknown)} that {path} lacks")
    return {str(name): _metric(str(name), entry, path, cued) for name, entry in document.items()}


def _metric(name: str, entry: Any, path: Path, cued: dict[str, dict[str, Any]]) -> Metric:
    at = f"{path}: metric {name!r}"
    needs_value = _checked_fields(entry, at)
    if not needs_value:
        return Metric(name, str(entry["description"]), False, (), None, None, None)
    units = tuple(str(unit) for unit in (entry["unit"] if isinstance(entry["unit"], list) else [entry["unit"]]))
    if any(unit not in UNITS for unit in units):
        raise InputError(f"{at}: unit {', '.join(units)} is not one of {', '.join(UNITS)}")
    rule = entry.get("entity_named")
    if rule is not None and rule not in ENTITY_RULES:
        raise InputError(f"{at}: entity_named must be one of {', '.join(ENTITY_RULES)}, got {rule!r}")
    plausible = entry["plausible"]
    if not (isinstance(plausible, list) and len(plausible) == 2 and all(isinstance(v, int | float) for v in plausible)):
        raise InputError(f"{at}: plausible must be [low, high], two numbers")
    low, high = float(plausible[0]), float(plausible[1])
    if not low <= high:
        raise InputError(f"{at}: plausible [{low:g}, {high:g}] runs backwards")
    without_cues = [language for language, cues in cued.items() if name not in cues]
    if without_cues:
        files = ", ".join(str(vocab.LANG_DIR / f"{language}.yaml") for language in without_cues)
        raise InputError(f"{at}: no cue words under claim_cues in {files}: the candidates could never propose it")
    entity = None if rule == "company" else str(entry["entity"])
    return Metric(name, str(entry["description"]), True, units, entity, rule, (low, high))


def _checked_fields(entry: Any, at: str) -> bool:
    """Whether the metric needs a value, once its entry has every field it needs and no other."""
    if not isinstance(entry, dict):
        raise InputError(f"{at}: expected a mapping of its fields")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise InputError(f"{at}: unknown field(s) {', '.join(unknown)}; the fields are {', '.join(sorted(_FIELDS))}")
    needs_value: object = entry.get("needs_value", True)
    if not isinstance(needs_value, bool):
        raise InputError(f"{at}: needs_value must be true or false")
    required = ["description", *(["unit", "plausible"] if needs_value else [])]
    if needs_value and entry.get("entity_named") != "company":
        required.append("entity")
    missing = [field for field in required if entry.get(field) in (None, "", [])]
    if missing:
        raise InputError(f"{at}: missing {', '.join(missing)}")
    stray = [] if needs_value else sorted(set(entry) & {"unit", "entity", "entity_named", "plausible"})
    if stray:
        raise InputError(f"{at}: a metric stated without a value has no {', '.join(stray)}")
    return needs_value


def metrics_table(path: Path = METRICS_PATH) -> pd.DataFrame:
    """The metrics as the table the claims are checked against: ``metric, unit,
    needs_value, description`` (several units joined by ``|``)."""
    import pandas as pd

    rows = [
        {"metric": m.name, "unit": "|".join(m.units), "needs_value": m.needs_value, "description": m.description}
        for m in metrics(path).values()
    ]
    # Text as plain objects, the way the raw CSV reader gives the other raw tables.
    return pd.DataFrame(rows, columns=["metric", "unit", "needs_value", "description"]).astype(
        {"metric": object, "unit": object, "description": object}
    )

"""The chips the figures name by role, declared once. Each is a row of the spec
table (``data/raw/chip_specs.csv``, where every number about it lives);
:func:`check_in_specs` fails the data build naming the file when one is not."""

from __future__ import annotations

from collections.abc import Iterable

from analysis.core.errors import InputError

__all__ = ["DOMESTIC", "IMPORTED", "NAMED", "PREVIOUS", "REFERENCE", "check_in_specs"]

#: The chip China approved for import.
IMPORTED = "H200 SXM"
#: The China-only part the US allowed before, the H200's yardstick in the articles.
PREVIOUS = "H20"
#: Huawei's part: the domestic side of the compute balance.
DOMESTIC = "Ascend 910C"
#: The unit of H100-equivalents (the US rule's metric).
REFERENCE = "H100 SXM"
#: Every chip the figures name, one per role.
NAMED = (IMPORTED, PREVIOUS, DOMESTIC, REFERENCE)


def check_in_specs(chips: Iterable[str], source: str = "chip_specs.csv") -> None:
    """Refuse a spec table that lacks a chip of a role (the figures would fail later, less clearly)."""
    missing = sorted(set(NAMED) - set(chips))
    if missing:
        raise InputError(
            f"{source}: no row for {', '.join(repr(chip) for chip in missing)}, a chip the figures name (analysis/metadata/chips.py)"
        )

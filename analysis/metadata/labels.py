"""``labels.yaml``: the words a reader sees for the model's inputs, the spec
table's columns and the coded values (bounds, entities, gate statuses)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from analysis.core.strict_yaml import load_yaml_strict

__all__ = ["LABELS_PATH", "labels"]

LABELS_PATH = Path(__file__).with_name("labels.yaml")


@cache
def labels() -> dict[str, Any]:
    """``labels.yaml``: input labels, spec column labels and coded words
    (read strictly: a duplicate key is an InputError naming the file)."""
    document: dict[str, Any] = load_yaml_strict(LABELS_PATH)
    return document

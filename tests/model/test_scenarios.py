"""Scenario files: validation names the file and key; missing keys and overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import CENTRAL, SCENARIO_NAMES, SCENARIOS, reader_problems

from analysis.core.errors import InputError
from analysis.model.figures import headline
from analysis.model.scenarios import load_scenario
from analysis.present import display


def _write(tmp_path: Path, old: str, new: str) -> Path:
    text = CENTRAL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("  us_take_share:", "  us_take_shares:", "key 'us_take_shares': unknown assumption"),
        ("value: 27000", "value: cheap", "key 'price_usd_per_h200': expected a number, got 'cheap'"),
        ("value: 27000", "value: -5", "key 'price_usd_per_h200': must be more than 0"),
        ("value: 0.8\n", "value: 1.4\n", "key 'training_share': must be at most 1"),
        ('value: "2026-08"', 'value: "2026-13"', "key 'new_output_start_month': expected a month"),
        ("value: 0.3\n    low: 0.1\n", "value: 1.3\n    low: 0.1\n", "key 'us_licence_open_prob': must be at most 1"),
        ("name: central\n", "name: central\nas_of: June 2026\n", "key 'as_of': expected a date as YYYY-MM-DD"),
        ("value: 27000\n    low: 20000", "value: 27000\n    low: 28000", "expected low ≤ value ≤ high"),
        ("value: 27000\n    low: 20000", "value: 27000\n    low: .nan", "is not a finite number"),
        ("    distribution: uniform", "    distribution: normal", "distribution must be one of"),
        ("value: 0.25\n", "value: 0.25\n    low: 0.2\n", "give both 'low' and 'high'"),
        ("value: false", "value: maybe", "key 'include_deepseek': expected true or false"),
        ('    source: "Proclamation', '    note: "Proclamation', "key 'us_take_share': unknown field 'note'"),
    ],
)
def test_bad_scenario_names_the_file_and_key(tmp_path, old, new, message):
    path = _write(tmp_path, old, new)
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)


def test_missing_key_and_overrides(tmp_path):
    text = CENTRAL.read_text(encoding="utf-8")
    start = text.index("  horizon_months:")
    path = tmp_path / "short.yaml"
    path.write_text(text[:start], encoding="utf-8")
    with pytest.raises(InputError, match="key 'horizon_months': missing"):
        load_scenario(path)
    scenario = load_scenario(CENTRAL, price_usd_per_h200=20_000, training_share=None)
    assert scenario.value("price_usd_per_h200") == 20_000 and scenario.value("training_share") == 0.8
    table = headline(scenario)
    assert table.at["approved_value_usd", "central"] == 400_000 * 20_000
    assert scenario.overrides == (("price_usd_per_h200", 20_000),)
    # An override pins the input: the value's range now comes from the units alone.
    assert table.at["approved_value_usd", "high"] == pytest.approx(table.at["approved_units", "high"] * 20_000)
    with pytest.raises(InputError, match="key 'us_take_share': must be at most 1"):
        load_scenario(CENTRAL, us_take_share=2)


@pytest.mark.parametrize("path", SCENARIOS, ids=SCENARIO_NAMES)
def test_scenario_texts_read_as_words(path):
    """A scenario's name, description, sources and reasons as every report's provenance table
    prints them (project references put in words, display.in_words): no code identifier or raw
    number a reader would trip on."""
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [scenario.get("description", "")] + [
        str(entry.get(field, "")) for entry in scenario["assumptions"].values() for field in ("source", "why")
    ]
    problems = [problem for text in texts for problem in reader_problems(display.in_words(text))]
    assert problems == []

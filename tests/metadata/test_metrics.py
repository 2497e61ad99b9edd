"""metrics.yaml: every metric declared once, read strictly."""

from __future__ import annotations

import pytest

from analysis.core.errors import InputError
from analysis.lang import vocabulary as vocab
from analysis.metadata import metrics as metrics_module
from analysis.metadata.metrics import METRICS_PATH, metrics, metrics_table


def _write(tmp_path, text):
    path = tmp_path / "metrics.yaml"
    path.write_text(text, encoding="utf-8")
    metrics.cache_clear()
    return path


@pytest.fixture(autouse=True)
def _fresh():
    metrics.cache_clear()
    yield
    metrics.cache_clear()


def test_the_shipped_metrics_read_as_declared():
    by_name = metrics()
    approved = by_name["approved_units"]
    assert approved.units == ("chips",) and approved.entity == "total" and approved.entity_named == "company_or_total"
    assert approved.plausible == (1_000.0, 100_000_000.0)
    assert by_name["module_price"].units == ("CNY", "USD")
    assert by_name["requested_units"].entity is None and by_name["requested_units"].entity_named == "company"
    # zero is a value of these two ("so far, none", "no revenue from China")
    assert by_name["delivered_units"].plausible[0] == 0 and by_name["china_dc_revenue_guidance_usd"].plausible[0] == 0
    status = by_name["beijing_import_status"]
    assert not status.needs_value and status.units == () and status.plausible is None


def test_every_value_metric_has_cue_words_in_every_language():
    for language in vocab.LANGUAGES:
        cues = vocab.load(language)["claim_cues"]
        assert {name for name, m in metrics().items() if m.needs_value} == set(cues), language


def test_the_table_has_the_columns_the_claims_are_checked_against():
    table = metrics_table()
    assert list(table.columns) == ["metric", "unit", "needs_value", "description"]
    row = table.set_index("metric").loc["module_price"]
    assert row["unit"] == "CNY|USD" and bool(row["needs_value"])
    assert table.set_index("metric").loc["firm_orders", "unit"] == ""
    assert list(table["metric"])[:3] == ["approved_units", "orders_units", "stock_units"]  # file order


VALUE = "  description: d\n  unit: chips\n  entity: total\n  plausible: [1, 10]\n"


@pytest.mark.parametrize(
    "entry, message",
    [
        ("  description: d\n  unit: chips\n  plausible: [1, 10]\n", "missing entity"),
        ("  unit: chips\n  entity: total\n  plausible: [1, 10]\n", "missing description"),
        ("  description: d\n  entity: total\n", "missing unit, plausible"),
        (VALUE + "  colour: red\n", "unknown field(s) colour"),
        ("  description: d\n  unit: litres\n  entity: total\n  plausible: [1, 10]\n", "unit litres is not one of"),
        ("  description: d\n  unit: chips\n  entity: total\n  plausible: [10, 1]\n", "runs backwards"),
        ("  description: d\n  unit: chips\n  entity: total\n  plausible: [1]\n", "plausible must be [low, high]"),
        (VALUE + "  entity_named: sometimes\n", "entity_named must be one of company, company_or_total"),
        ("  description: d\n  needs_value: false\n  unit: chips\n", "stated without a value has no unit"),
        ("  description: d\n  needs_value: maybe\n", "needs_value must be true or false"),
    ],
)
def test_a_bad_entry_fails_naming_the_file_and_the_metric(tmp_path, entry, message):
    shipped = METRICS_PATH.read_text(encoding="utf-8")
    start, end = shipped.index("approved_units:\n"), shipped.index("orders_units:\n")
    path = _write(tmp_path, shipped[:start] + "approved_units:\n" + entry + shipped[end:])
    with pytest.raises(InputError) as refused:
        metrics(path)
    assert str(refused.value).startswith(f"{path}: metric 'approved_units': ") and message in str(refused.value)


def test_a_metric_without_cue_words_fails_naming_the_language_files(tmp_path):
    path = _write(tmp_path, "approved_units:\n" + VALUE + "brand_new_units:\n" + VALUE)
    with pytest.raises(InputError, match="claim_cues names metric") as refused:
        metrics(path)  # the language files cue metrics this file lacks
    assert "orders_units" in str(refused.value)
    shipped = METRICS_PATH.read_text(encoding="utf-8")
    path = _write(tmp_path, shipped + "brand_new_units:\n" + VALUE)
    with pytest.raises(InputError) as refused:
        metrics(path)
    message = str(refused.value)
    assert "metric 'brand_new_units': no cue words under claim_cues in" in message
    assert all(str(vocab.LANG_DIR / f"{language}.yaml") in message for language in vocab.LANGUAGES)


def test_a_duplicate_metric_is_refused(tmp_path):
    path = _write(tmp_path, METRICS_PATH.read_text(encoding="utf-8") + "approved_units:\n" + VALUE)
    with pytest.raises(InputError, match="duplicate key"):
        metrics(path)


def test_the_module_reads_the_file_beside_it():
    assert METRICS_PATH == metrics_module.Path(metrics_module.__file__).with_name("metrics.yaml") and METRICS_PATH.is_file()

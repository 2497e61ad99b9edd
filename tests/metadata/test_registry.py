"""analysis.metadata.registry: figures.yaml read strictly, groups of inputs expanded,
the what-if and central rules enforced, and the check of the registry against
the figures the model computes. (Whether each figure lists the inputs that move
it in the model is tested in tests/model/test_engine.py.)"""

from __future__ import annotations

import pytest

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.strict_yaml import load_yaml_strict
from analysis.metadata.registry import REGISTRY_PATH, check_registry, figure_registry, figures_for

ENTRY = "    title: {title}\n    unit: chips\n    description: D.\n    notebook: 03-demand-vs-stock\n    inputs: {inputs}\n"


def _registry(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_figure_declared_twice_in_the_registry_is_refused_naming_the_file(tmp_path):
    from analysis.core.errors import InputError

    path = tmp_path / "figures.yaml"
    # A second approved_units first in `figures:` (the file no longer ends there); plain safe_load would keep one and drop the other.
    again = "  approved_units:\n    title: Approved batch, again\n    unit: chips\n    description: Twice.\n    notebook: 03-demand-vs-stock\n    inputs: [approved_units]\n"
    shipped = REGISTRY_PATH.read_text(encoding="utf-8")
    assert shipped.count("\nfigures:\n") == 1
    path.write_text(shipped.replace("\nfigures:\n", "\nfigures:\n" + again), encoding="utf-8")
    with pytest.raises(InputError, match=r"duplicate key") as refused:
        figure_registry(path)
    assert str(refused.value).startswith(f"{path}: line ") and "'approved_units'" in str(refused.value)


def test_groups_are_expanded_in_order_and_each_input_listed_once(tmp_path):
    path = _registry(
        tmp_path,
        "groups",
        "groups:\n  gates: [us_open, cn_open]\n  everything: ['@gates', price]\n"
        "figures:\n  value:\n" + ENTRY.format(title="Value", inputs="['@everything', us_open, units]"),
    )
    registry = figure_registry(path)
    assert list(registry.index) == ["value"]
    assert registry.at["value", "inputs"] == ("us_open", "cn_open", "price", "units")
    assert (registry.at["value", "central"], registry.at["value", "what_if"]) == ("median", ())


def test_a_figure_without_a_field_is_refused_naming_the_fields(tmp_path):
    path = _registry(tmp_path, "missing", "figures:\n  value:\n    title: Value\n    unit: chips\n    inputs: [units]\n")
    with pytest.raises(InputError) as refused:
        figure_registry(path)
    assert str(refused.value) == f"{path}: figure 'value': missing description, notebook"


def test_a_central_statistic_must_be_one_the_model_knows(tmp_path):
    path = _registry(tmp_path, "central", "figures:\n  value:\n" + ENTRY.format(title="Value", inputs="[units]") + "    central: mode\n")
    with pytest.raises(InputError) as refused:
        figure_registry(path)
    assert str(refused.value) == f"{path}: figure 'value': central must be one of median, mean, median_where_finite, got 'mode'"


def test_a_what_if_restates_inputs_it_uses_under_a_what_if_title(tmp_path):
    good = _registry(
        tmp_path, "good", "figures:\n  extra:\n" + ENTRY.format(title="'What-if: more'", inputs="[units, pace]") + "    what_if: [pace]\n"
    )
    assert figure_registry(good).at["extra", "what_if"] == ("pace",)
    for name, title, inputs in (("unused", "'What-if: more'", "[units]"), ("untitled", "More", "[units, pace]")):
        path = _registry(tmp_path, name, "figures:\n  extra:\n" + ENTRY.format(title=title, inputs=inputs) + "    what_if: [pace]\n")
        with pytest.raises(InputError, match=r"figure 'extra': a what-if names inputs it uses and its title starts with 'What-if'"):
            figure_registry(path)


def test_a_registry_without_figures_is_refused(tmp_path):
    path = _registry(tmp_path, "empty", "groups: {}\n")
    with pytest.raises(InputError) as refused:
        figure_registry(path)
    assert str(refused.value) == f"{path}: expected a mapping with 'groups' and 'figures'"


def test_the_registry_and_the_computed_figures_must_agree_both_ways(tmp_path):
    path = _registry(
        tmp_path, "two", "figures:\n  a:\n" + ENTRY.format(title="A", inputs="[x]") + "  b:\n" + ENTRY.format(title="B", inputs="[x]")
    )
    registry = figure_registry(path)
    assert check_registry(["b", "a"], registry, path) is None  # the order does not matter
    with pytest.raises(InputError) as refused:
        check_registry(["a", "b", "c"], registry, path)
    assert str(refused.value) == f"{path}: figure 'c' is computed but has no entry"
    with pytest.raises(InputError) as refused:
        check_registry(["a"], registry, path)
    assert str(refused.value) == f"{path}: figure 'b' has an entry but is not computed"


def test_every_shipped_figure_is_explained_by_a_shipped_notebook():
    notebooks = {path.stem for path in paths.NOTEBOOKS.glob("*.ipynb")}
    registry = figure_registry(REGISTRY_PATH)
    assert set(registry["notebook"]) <= notebooks
    assert registry.index.is_unique and all(registry["inputs"].map(len) > 0)


SHOWN = """figures:
  a_units: {title: A, unit: chips, description: d, notebook: 01-x, inputs: [a]}
  b_units: {title: B, unit: chips, description: d, notebook: 01-x, inputs: [b]}
shown:
  01-x:
    chart: [b_units, a_units]
    broken: [a_units, c_units]
"""


def test_a_page_s_view_lists_its_figures_in_the_order_shown(tmp_path):
    path = _registry(tmp_path, "shown", SHOWN)
    assert figures_for("01-x", "chart", path) == ["b_units", "a_units"]  # the view's order, not the registry's


@pytest.mark.parametrize(
    ("page", "view", "message"),
    [
        ("01-x", "table", "shown: '01-x' lists no 'table' (it lists chart, broken)"),
        ("02-y", "chart", "shown: '02-y' lists no 'chart' (it lists nothing)"),
        ("01-x", "broken", "shown: 01-x: broken: c_units has no entry under figures"),
    ],
)
def test_a_view_the_registry_lacks_or_an_unknown_figure_fails_naming_the_file(tmp_path, page, view, message):
    path = _registry(tmp_path, "shown", SHOWN)
    with pytest.raises(InputError) as refused:
        figures_for(page, view, path)
    assert str(refused.value) == f"{path}: {message}"


def test_every_shipped_view_names_figures_of_the_registry():
    shown = load_yaml_strict(REGISTRY_PATH)["shown"]
    registry = figure_registry(REGISTRY_PATH)
    for page, views in shown.items():
        for view in views:
            assert set(figures_for(page, view)) <= set(registry.index), (page, view)
    # The results table of notebook 02 shows every figure the registry says it explains.
    assert set(figures_for("02-market-size", "results")) == set(registry.index[registry["notebook"] == "02-market-size"])

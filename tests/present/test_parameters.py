"""Notebook parameters refused by name: unknown names, bad values, the
notebooks' parameters cells and their examples, papermill and ``reports``."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from analysis.core import paths
from analysis.present.parameters import (
    ParameterError,
    accepted_parameters,
    check_notebooks_take,
    check_parameters,
    parameters_source,
)

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
NB03 = paths.NOTEBOOKS / "03-demand-vs-stock.ipynb"
ACCEPTED_03 = [
    "scenario",
    "processed_dir",
    "as_of",
    "us_installed_base_units",
    "us_shipments_units_per_month",
    "new_output_units_per_month",
    "firm_order_share",
]


def kernel_namespace(injected: dict | None = None, **values) -> dict:
    """globals() of a kernel at the check cell: notebook 03's parameters cell
    ran (its annotations), then papermill's injected cell if any."""
    defaults = {"scenario": "central", "processed_dir": str(paths.PROCESSED), **dict.fromkeys(ACCEPTED_03[2:])}
    history = ["", parameters_source(NB03)]
    if injected is not None:
        history.append("# Parameters\n" + "".join(f"{name} = {value!r}\n" for name, value in injected.items()))
    history.append("from analysis.present.parameters import check_parameters; check_parameters(globals())")
    return {"__annotations__": dict.fromkeys(ACCEPTED_03, "str"), "In": history, **defaults, **(injected or {}), **values}


ACCEPTS = "this notebook accepts " + ", ".join(ACCEPTED_03)
REFUSED = [
    ("typo", {"firm_order_shar": 0.5}, {}, f"unknown parameter 'firm_order_shar': {ACCEPTS}"),
    ("another notebook's override", {"price_usd_per_h200": 20000}, {}, f"unknown parameter 'price_usd_per_h200': {ACCEPTS}"),
    ("share above 1", {"firm_order_share": 1.5}, {}, "parameter 'firm_order_share': must be at most 1, got 1.5"),
    ("not a number", {"firm_order_share": "abc"}, {}, "parameter 'firm_order_share': expected a number, got 'abc'"),
    ("negative", {"firm_order_share": -5}, {}, "parameter 'firm_order_share': must be at least 0, got -5"),
    ("negative units", {"new_output_units_per_month": -1.0}, {}, "parameter 'new_output_units_per_month': must be at least 0, got -1.0"),
    ("no such scenario", {"scenario": "nowhere"}, {}, "parameter 'scenario' = 'nowhere': "),
    (
        "no such data folder",
        {"processed_dir": "no/such/folder"},
        {},
        "parameter 'processed_dir' = 'no/such/folder': expected an existing folder",
    ),
    ("bad value typed in Lab (nothing injected)", None, {"firm_order_share": 2}, "parameter 'firm_order_share': must be at most 1, got 2"),
]


@pytest.mark.parametrize(("injected", "typed", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_a_refused_parameter_is_one_line_naming_it(injected, typed, message):
    with pytest.raises(ParameterError) as caught:
        check_parameters(kernel_namespace(injected, **typed))
    assert str(caught.value).startswith(message)
    assert caught.value._render_traceback_() == [f"error: {caught.value}"]  # what IPython prints instead of a traceback
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "injected",
    [
        None,
        {},
        {"scenario": "fast-ramp"},
        {"firm_order_share": 0.5, "us_shipments_units_per_month": 0},
        {"scenario": str(paths.SCENARIOS / "central.yaml")},
    ],
    ids=["lab", "empty", "scenario name", "overrides", "scenario path"],
)
def test_accepted_parameters_pass(injected):
    check_parameters(kernel_namespace(injected))


def test_a_flag_is_checked_as_a_flag():
    namespace = kernel_namespace()
    namespace["__annotations__"]["include_deepseek"] = "Optional[bool]"
    for good in ("true", "no", True, None):
        check_parameters({**namespace, "include_deepseek": good})
    with pytest.raises(ParameterError, match=r"^parameter 'include_deepseek' = 'maybe': "):
        check_parameters({**namespace, "include_deepseek": "maybe"})


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_parameters_cell_example_uses_its_own_keys(notebook):
    accepted = accepted_parameters(notebook)
    assert accepted[:2] == ["scenario", "processed_dir"]
    examples = re.findall(r"-p\s+([A-Za-z_]\w*)", parameters_source(notebook))  # the -p NAME of its example command
    assert examples, "the parameters cell shows a papermill example"
    assert set(examples) <= set(accepted), f"{notebook.name}: example takes {examples}, the cell declares {accepted}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_first_code_cell_after_the_parameters_checks_them(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    position = next(i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", []))
    following = next(c for c in cells[position + 1 :] if c["cell_type"] == "code")
    assert "".join(following["source"]).startswith("from analysis.present.parameters import check_parameters; check_parameters(globals())")


def test_accepted_parameters_of_notebook_03():
    assert accepted_parameters(NB03) == ACCEPTED_03


def _notebooks_without_processed_dir(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    document = json.loads(NB03.read_text(encoding="utf-8"))
    cell = next(c for c in document["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = [line for line in cell["source"] if not line.startswith("processed_dir")]
    (folder / NB03.name).write_text(json.dumps(document), encoding="utf-8")
    return folder


def test_reports_refuse_a_notebook_that_does_not_take_what_they_pass(tmp_path, capsys):
    from analysis.reports.build import build_reports

    folder = _notebooks_without_processed_dir(tmp_path)
    with pytest.raises(ParameterError, match=r"^unknown parameter 'processed_dir': 03-demand-vs-stock.ipynb"):
        check_notebooks_take([folder / NB03.name])
    status = build_reports(notebooks_dir=folder, output_dir=tmp_path / "out", quiet=True)
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert err == [
        "error: unknown parameter 'processed_dir': 03-demand-vs-stock.ipynb (its parameters cell) accepts "
        + ", ".join(p for p in ACCEPTED_03 if p != "processed_dir")
    ]
    assert not (tmp_path / "out" / "central").exists()  # refused before any run


@pytest.mark.slow
@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"price_usd_per_h200": 20000}, f"unknown parameter 'price_usd_per_h200': {ACCEPTS}"),
        ({"firm_order_share": 1.5}, "parameter 'firm_order_share': must be at most 1, got 1.5"),
    ],
    ids=["unknown", "bad value"],
)
def test_papermill_stops_at_the_check_cell_with_one_line(tmp_path, monkeypatch, parameters, message):
    import papermill

    monkeypatch.setenv("PYTHONPATH", str(paths.PROJECT_ROOT))
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        papermill.execute_notebook(
            str(NB03),
            str(tmp_path / "out.ipynb"),
            parameters=parameters,
            kernel_name=paths.KERNEL_NAME,
            cwd=str(NB03.parent),
            progress_bar=False,
        )
    assert caught.value.ename == "ParameterError"
    assert caught.value.evalue == message
    assert caught.value.traceback == [f"error: {message}"]  # Lab and papermill show this one line, no frames
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_plain_assignments_in_a_parameters_cell_are_parameters_too():
    fixture = paths.PROJECT_ROOT / "tests" / "fixtures" / "reports" / "01-works.ipynb"
    assert accepted_parameters(fixture) == ["scenario", "processed_dir"]  # papermill reads them so; the check does too
    check_notebooks_take([fixture])
    source = parameters_source(fixture)
    namespace = {"In": ["", source, "# Parameters\nscenario = 'central'\nprocesed_dir = '.'\n", "check"], "scenario": "central"}
    with pytest.raises(ParameterError, match=r"^unknown parameter 'procesed_dir': this notebook accepts scenario, processed_dir$"):
        check_parameters(namespace)

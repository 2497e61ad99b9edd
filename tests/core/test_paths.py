"""analysis.core.paths: finding the project, scenario names or paths as papermill
users type them, and yes/no parameters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.paths import find_project_root, parse_flag, resolve_scenario


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A minimal project: scenarios/{central,high}.yaml, notebooks/, data/raw/."""
    root = tmp_path / "project"
    (root / "scenarios").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / "data" / "raw").mkdir(parents=True)
    for name in ("central", "high"):
        (root / "scenarios" / f"{name}.yaml").write_text(f"name: {name}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("value", "cwd"),
    [
        ("high", "."),  # a name
        ("high.yaml", "."),  # a file name
        ("scenarios/high.yaml", "."),  # relative to the project root
        ("scenarios/high", "."),  # .yaml left out
        ("../scenarios/high.yaml", "notebooks"),  # relative to the working folder (a notebook's default)
        ("../scenarios/high.yaml", "."),  # relative to notebooks/, typed from the root
        ("high", "notebooks"),
        ("scenarios/high.yaml", "notebooks"),  # relative to the root, typed from notebooks/
        (" high ", "."),
    ],
)
def test_resolve_scenario_accepts_names_and_paths(project, value, cwd):
    found = resolve_scenario(value, root=project, cwd=project / cwd)
    assert found == (project / "scenarios" / "high.yaml").resolve()
    assert found.is_absolute()


def test_resolve_scenario_absolute_and_from_elsewhere(project, tmp_path):
    target = project / "scenarios" / "high.yaml"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert resolve_scenario(str(target), root=project, cwd=elsewhere) == target.resolve()
    assert resolve_scenario(target, root=project, cwd=elsewhere) == target.resolve()
    assert resolve_scenario("high", root=project, cwd=elsewhere) == target.resolve()
    # a file in the working folder wins over the shipped scenario of the same name
    mine = elsewhere / "high.yaml"
    mine.write_text("name: mine\n", encoding="utf-8")
    assert resolve_scenario("high.yaml", root=project, cwd=elsewhere) == mine.resolve()


def test_resolve_scenario_names_what_it_tried(project):
    with pytest.raises(InputError) as err:
        resolve_scenario("hihg", root=project, cwd=project / "notebooks")
    message = str(err.value)
    assert message.startswith("scenario 'hihg': no such file; tried ")
    for tried in (project / "notebooks" / "hihg.yaml", project / "hihg.yaml", project / "scenarios" / "hihg.yaml"):
        assert str(tried) in message
    assert "shipped scenarios: central, high" in message
    with pytest.raises(InputError, match="tried /nowhere/high.yaml"):
        resolve_scenario("/nowhere/high.yaml", root=project)
    with pytest.raises(InputError, match="empty name"):
        resolve_scenario("  ", root=project)


def test_resolve_scenario_defaults_to_the_shipped_scenarios(tmp_path):
    assert resolve_scenario("central", cwd=tmp_path) == (paths.SCENARIOS / "central.yaml").resolve()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("True", True),
        (" FALSE ", False),
        ("yes", True),
        ("no", False),
        ("1", True),
        ("0", False),
        ("on", True),
        ("off", False),
        (1, True),
        (0, False),
        (np.bool_(True), True),
        (None, None),
    ],
)
def test_parse_flag(value, expected):
    assert parse_flag(value) is expected


@pytest.mark.parametrize("value", ["maybe", "", "2", 2, 0.5, "truee"])
def test_parse_flag_refuses_other_values(value):
    with pytest.raises(ValueError, match="not a yes/no value"):
        parse_flag(value)


def test_project_root_found_from_the_working_folder_or_the_environment(project, monkeypatch):
    # The checkout beside the package wins (editable install) ...
    assert find_project_root(project / "notebooks") == paths.PROJECT_ROOT
    assert paths.is_project_root(paths.PROJECT_ROOT)
    # ... and the environment variable overrides it.
    monkeypatch.setenv(paths.ROOT_ENV, str(project))
    assert find_project_root() == project.resolve()


def test_installed_elsewhere_the_package_finds_the_checkout_from_the_working_folder(project, tmp_path):
    """A copy of the package outside any checkout (as in site-packages) finds the
    project from the working folder, and falls back to that folder."""
    site = tmp_path / "site"
    site.mkdir()
    package = Path(paths.__file__).parents[1]
    (site / "analysis" / "core").mkdir(parents=True)
    for name in ("__init__.py", "core/__init__.py", "core/paths.py", "core/errors.py"):
        (site / "analysis" / name).write_bytes((package / name).read_bytes())
    code = "import sys; sys.path.insert(0, sys.argv[1]); from analysis.core import paths; print(paths.PROJECT_ROOT)"
    env = {"PATH": "/usr/bin:/bin"}
    inside = subprocess.run(
        [sys.executable, "-c", code, str(site)], cwd=project / "notebooks", env=env, capture_output=True, text=True, check=True
    )
    assert Path(inside.stdout.strip()) == project.resolve()
    outside = subprocess.run([sys.executable, "-c", code, str(site)], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(outside.stdout.strip()) == tmp_path.resolve()


@pytest.mark.slow
def test_papermill_parameters_resolve_from_any_working_folder(tmp_path):
    """A notebook that resolves its ``scenario`` and ``include_deepseek``
    parameters with these helpers runs under papermill with
    ``-p scenario fast-ramp`` from another folder and with ``-p scenario
    ../scenarios/fast-ramp.yaml`` from the repository root, and reads ``true``."""
    import nbformat

    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell('scenario = "../scenarios/central.yaml"\ninclude_deepseek = None', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(
                "from analysis.core.paths import parse_flag, resolve_scenario\n"
                "print(resolve_scenario(scenario).name, parse_flag(include_deepseek))"
            ),
        ],
        metadata={
            "kernelspec": {"name": paths.KERNEL_NAME, "language": "python", "display_name": "Python (h200-china)"},
            "language_info": {"name": "python"},
        },
    )
    source = tmp_path / "probe.ipynb"
    nbformat.write(notebook, source)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cases = [
        (elsewhere, {"scenario": "fast-ramp", "include_deepseek": "true"}, "fast-ramp.yaml True"),
        (paths.PROJECT_ROOT, {"scenario": "../scenarios/fast-ramp.yaml", "include_deepseek": "no"}, "fast-ramp.yaml False"),
        (paths.NOTEBOOKS, {}, "central.yaml None"),
    ]
    # The papermill command, as users type it (and in a subprocess: kernels leave zmq threads in this one).
    for number, (cwd, parameters, expected) in enumerate(cases):
        out = tmp_path / f"out{number}.ipynb"
        command = [
            str(Path(sys.executable).with_name("papermill")),
            str(source),
            str(out),
            "-k",
            paths.KERNEL_NAME,
            "--no-progress-bar",
            *(arg for key, value in parameters.items() for arg in ("-p", key, value)),
        ]
        subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True, timeout=120)
        printed = nbformat.read(out, as_version=4).cells[-1].outputs[0]["text"].strip()
        assert printed == expected, (cwd, parameters)


@pytest.mark.slow
def test_a_real_notebook_runs_with_papermill_from_the_root_and_elsewhere(tmp_path):
    """Notebook 02 as users type it: from the repository root and from an
    unrelated folder, ``-p scenario fast-ramp`` and an override; the page names both."""
    import nbformat

    notebook = paths.NOTEBOOKS / "02-market-size.ipynb"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for number, cwd in enumerate((paths.PROJECT_ROOT, elsewhere)):
        out = tmp_path / f"out{number}.ipynb"
        command = [
            str(Path(sys.executable).with_name("papermill")),
            str(notebook),
            str(out),
            "-k",
            paths.KERNEL_NAME,
            "--no-progress-bar",
            "-p",
            "scenario",
            "fast-ramp",
            "-p",
            "price_usd_per_h200",
            "20000",
        ]
        subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True, timeout=180)
        texts = [
            output.get("data", {}).get("text/markdown", "")
            for cell in nbformat.read(out, as_version=4).cells
            if cell.cell_type == "code"
            for output in cell.get("outputs", [])
        ]
        scenario_line = next(text for text in texts if text.startswith("Scenario "))
        assert scenario_line.startswith("Scenario **Fast ramp**")
        assert "Overridden by notebook parameters" in scenario_line and "20,000" in scenario_line

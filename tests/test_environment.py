"""The set-up files agree with each other and with the installed environment."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import version

import yaml

from analysis import paths


def _pyproject_deps() -> list[str]:
    with open(paths.PROJECT_ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["dependencies"]


def _conda_pip_deps() -> list[str]:
    env = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict) and "pip" in item)
    return [dep for dep in pip_section if not dep.startswith("-e")]


def test_environment_yml_lists_the_same_pins_as_pyproject():
    assert sorted(_conda_pip_deps()) == sorted(_pyproject_deps())


def test_environment_yml_python_matches_requires_python():
    env = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]


def test_installed_versions_are_the_pinned_ones():
    for dep in _pyproject_deps():
        name, pinned = dep.split("==")
        assert version(name) == pinned, dep


def test_cli_help_lists_the_subcommands():
    result = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, check=True)
    for command in ("data", "add-article", "reports"):
        assert command in result.stdout


def test_project_kernel_is_registered_in_the_venv():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(paths.KERNEL_NAME)
    assert spec.argv[0] == sys.executable or spec.argv[0].endswith("python")

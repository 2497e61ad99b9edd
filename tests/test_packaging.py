"""A built wheel carries every file the package reads at run time.

The package reads files that are not Python beside its modules: the figure
registry and the labels (``metadata/*.yaml``, read by ``metadata.registry`` and
``metadata.labels``), the vocabulary (``lang/*.yaml``) and the report
templates (``reports/templates/``). setuptools puts a
non-Python file in a wheel only when ``[tool.setuptools.package-data]`` in
pyproject.toml names it, so a file left out there works in the editable
install and fails only once the package is installed from a wheel.

Two checks: a quick one that every such file matches a package-data pattern,
and a slow one that builds the wheel offline, looks at its file list, installs
it into a folder of its own and computes the headline table from there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

from analysis.core import paths

ROOT = paths.PROJECT_ROOT
PACKAGE = ROOT / "analysis"


def _data_files(package: Path = PACKAGE) -> set[str]:
    """Every file under the package that is not Python source, relative to
    the package folder: the files the code reads at run time."""
    return {
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }


def _package_data_patterns() -> list[str]:
    """Every package-data pattern, relative to the ``analysis`` folder."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        by_package = tomllib.load(handle)["tool"]["setuptools"]["package-data"]
    return [f"{'/'.join(package.split('.')[1:])}/{pattern}".lstrip("/") for package, patterns in by_package.items() for pattern in patterns]


def test_the_package_reads_these_data_files():
    # The list the checks below hold the wheel to; a new data file joins it here on purpose.
    assert _data_files() == {
        "lang/en.yaml",
        "lang/fr.yaml",
        "metadata/figures.yaml",
        "metadata/labels.yaml",
        "metadata/metrics.yaml",
        "reports/templates/h200_report/conf.json",
        "reports/templates/h200_report/index.html.j2",
        "reports/templates/index/index.html.j2",
    }


def test_package_data_names_every_data_file():
    matched = {p.relative_to(PACKAGE).as_posix() for pattern in _package_data_patterns() for p in PACKAGE.glob(pattern) if p.is_file()}
    missing = sorted(_data_files() - matched)
    assert not missing, f"pyproject.toml [tool.setuptools.package-data]: no pattern ships {missing}"


def _setuptools_version(env: dict[str, str]) -> Version:
    """The setuptools the build backend will import (``--no-build-isolation``
    builds with the interpreter's own packages, PYTHONPATH included)."""
    out = subprocess.run(
        [sys.executable, "-c", "import setuptools; print(setuptools.__version__)"], check=False, env=env, capture_output=True, text=True
    )
    return Version(out.stdout.strip()) if out.returncode == 0 else Version("0")


def _build_wheel(tmp_path: Path, env: dict[str, str]) -> Path:
    """Build the wheel from a copy of the sources (so the checkout gets no
    ``build/`` or egg-info), offline: no index, no build isolation."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    command += ["--disable-pip-version-check", "-q", "-w", str(tmp_path / "dist"), str(source)]
    built = subprocess.run(command, check=False, env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("h200_china-*.whl")
    return wheel


# Computes in a process whose PYTHONPATH is only the folder the wheel went into.
_FROM_THE_WHEEL = """
import json, sys
import analysis
from analysis.core import paths
from analysis.model import figures
from analysis.present import display
headline = figures.headline(paths.SCENARIOS / "central.yaml", paths.PROCESSED, draws=200)
print(json.dumps({
    "package": analysis.__file__,
    "headline": headline.to_csv(),
    "label": display.input_label("price_usd_per_h200"),
}))
"""


@pytest.mark.slow  # builds and installs the wheel: about 5 s
def test_a_wheel_installed_alone_computes_the_headline(tmp_path):
    from analysis.model import figures
    from analysis.present import display

    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    required = Version("77")  # [build-system] requires setuptools>=77 (PEP 639 license fields)
    if _setuptools_version(env) < required:
        pytest.skip(f"building the wheel offline needs setuptools>={required} importable by {sys.executable}")
    wheel = _build_wheel(tmp_path, env)

    with zipfile.ZipFile(wheel) as archive:
        shipped = {name.removeprefix("analysis/") for name in archive.namelist() if name.startswith("analysis/")}
    missing = sorted(_data_files() - shipped)
    assert not missing, f"{wheel.name} lacks {missing}"

    target = tmp_path / "installed"
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "-q"]
    installed = subprocess.run([*command, "--target", str(target), str(wheel)], check=False, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-3000:]

    # Only the installed copy on the path; the data and scenarios still come from the checkout.
    run_env = env | {"PYTHONPATH": str(target), paths.ROOT_ENV: str(ROOT)}
    ran = subprocess.run([sys.executable, "-c", _FROM_THE_WHEEL], check=False, env=run_env, cwd=tmp_path, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-3000:]
    told = json.loads(ran.stdout.splitlines()[-1])
    assert Path(told["package"]).is_relative_to(target), told["package"]
    # The same table and label as the checkout's own code computes here.
    expected = figures.headline(paths.SCENARIOS / "central.yaml", paths.PROCESSED, draws=200)
    assert told["headline"] == expected.to_csv()
    assert told["label"] == display.input_label("price_usd_per_h200") == "Price Chinese buyers pay per H200"

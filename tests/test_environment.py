"""The set-up files agree with each other and with the installed environment:
compatible ranges in pyproject.toml, exact versions in the lock
(constraints.txt), environment.yml and the Makefile installing from the lock."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from analysis.core import paths

ROOT = paths.PROJECT_ROOT
LOCK = ROOT / "constraints.txt"
SELF = "h200-china"
TOOLS = {"pytest", "hypothesis", "nbval", "jupyterlab", "ruff", "mypy"}


def _pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]


def _requirements(groups: bool = True) -> list[Requirement]:
    """Runtime requirements, and those of every optional group unless not ``groups``."""
    project = _pyproject()
    texts = list(project["dependencies"])
    if groups:
        texts += [t for group in project.get("optional-dependencies", {}).values() for t in group]
    return [r for r in map(Requirement, texts) if canonicalize_name(r.name) != SELF]


def _lock() -> dict[str, str]:
    """The lock's ``name==version`` lines, by canonical name."""
    pins: dict[str, str] = {}
    for number, line in enumerate(LOCK.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", line.strip())
        assert match, f"{LOCK.name}, line {number}: not an exact name==version pin: {line!r}"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"{LOCK.name}, line {number}: {name} pinned twice"
        pins[name] = match.group(2)
    return pins


def test_dependencies_are_compatible_ranges_not_pins():
    for requirement in _requirements():
        operators = {spec.operator for spec in requirement.specifier}
        assert "==" not in operators and "===" not in operators, f"{requirement}: pin exact versions in {LOCK.name}, not here"
        assert ">=" in operators and "<" in operators, f"{requirement}: give a lower and an upper bound (>=X.Y,<X.Z)"


def test_test_and_dev_tools_are_optional():
    runtime = {canonicalize_name(r.name) for r in _requirements(groups=False)}
    assert not runtime & TOOLS, f"test/dev tools among the runtime dependencies: {sorted(runtime & TOOLS)}"
    groups = _pyproject()["optional-dependencies"]
    assert {"pytest", "hypothesis", "nbval"} <= {canonicalize_name(Requirement(t).name) for t in groups["test"]}
    dev = {Requirement(t).name: Requirement(t) for t in groups["dev"]}
    assert dev[SELF].extras >= {"test", "lab"} and {"ruff", "mypy"} <= set(dev)


def test_every_range_holds_its_locked_version():
    pins = _lock()
    for requirement in _requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in {LOCK.name}: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{LOCK.name} pins {name}=={pins[name]}, outside pyproject.toml's {requirement}: run make lock"
        )


def _tree(name: str, extras: frozenset[str], seen: set[str]) -> None:
    """Every installed distribution ``name[extras]`` needs, recursively."""
    for text in distribution(name).requires or []:
        requirement = Requirement(text)
        if requirement.marker and not any(requirement.marker.evaluate({"extra": e}) for e in (extras or {""})):
            continue
        child = canonicalize_name(requirement.name)
        key = f"{child}[{','.join(sorted(requirement.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        seen.add(child)
        _tree(child, frozenset(requirement.extras), seen)


def test_lock_covers_the_whole_dependency_tree_of_the_dev_install():
    needed: set[str] = set()
    _tree(SELF, frozenset({"dev"}), needed)
    names = {n for n in needed if "[" not in n and n != canonicalize_name(SELF)}
    missing = sorted(names - set(_lock()))
    assert not missing, f"installed for h200-china[dev] but not locked: {missing}; run make lock"
    assert {"pandas", "numpy", "jupyterlab", "pytest", "tornado", "jinja2"} <= names  # the walk reached the tree


def test_installed_versions_are_the_locked_ones():
    pins = _lock()
    for name, pinned in pins.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # an optional group not installed here (e.g. lab)
        assert Version(installed) == Version(pinned), f"{name} {installed} installed, {pinned} locked: run make venv"
    for requirement in _requirements(groups=False) + [Requirement(t) for t in _pyproject()["optional-dependencies"]["test"]]:
        assert version(requirement.name), requirement  # runtime and test requirements are installed


def test_makefile_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"LOCK := {LOCK.name}" in makefile
    assert "pip install --quiet --disable-pip-version-check -c $(LOCK) -e '.[$(EXTRAS)]'" in makefile
    extras = re.search(r"^EXTRAS := (\S+)$", makefile, re.MULTILINE).group(1)
    assert set(extras.split(",")) <= set(_pyproject()["optional-dependencies"])
    assert re.search(r"^\$\(STAMP\): pyproject\.toml \$\(LOCK\)$", makefile, re.MULTILINE)  # a new lock reinstalls


def test_environment_yml_installs_the_lock_and_the_python_of_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict) and "pip" in item)
    assert f"-c {LOCK.name}" in pip_section
    editable = [line for line in pip_section if line.startswith("-e")]
    assert editable and re.fullmatch(r"-e \.\[([a-z,]+)\]", editable[0])
    assert set(re.fullmatch(r"-e \.\[([a-z,]+)\]", editable[0]).group(1).split(",")) <= set(_pyproject()["optional-dependencies"])
    assert [line for line in pip_section if not line.startswith(("-c", "-e"))] == []  # versions come from the lock only
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python=")]
    assert len(pythons) == 1
    assert SpecifierSet(_pyproject()["requires-python"]).contains(pythons[0].split("=", 1)[1] + ".0")
    header = re.search(r"^# Python (\d+\.\d+\.\d+)\.", LOCK.read_text(encoding="utf-8"), re.MULTILINE)
    assert header and SpecifierSet(_pyproject()["requires-python"]).contains(header.group(1))


def test_license_and_citation():
    assert _pyproject()["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == _pyproject()["version"]
    assert citation["license"] == "MIT"
    assert {"message", "title", "authors", "type"} <= set(citation)


def test_cli_help_lists_the_subcommands():
    result = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, check=True)
    for command in ("data", "add-article", "reports"):
        assert command in result.stdout
    assert result.stdout.startswith("usage: python -m analysis")


def test_console_script_works_from_the_venv(tmp_path):
    script = Path(sys.executable).with_name("h200-china")
    if not script.exists():
        pytest.skip("no h200-china console script beside this Python")
    result = subprocess.run([str(script), "reports", "--help"], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert result.stdout.startswith("usage: h200-china reports")
    assert "--quiet" in result.stdout


def test_project_kernel_is_registered_in_the_venv():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(paths.KERNEL_NAME)
    assert spec.argv[0] == str(Path(sys.prefix) / "bin" / "python")  # the Makefile installs it with $(VENV)/bin/python


def _fake_python(folder: Path, version: str) -> Path:
    """A stand-in interpreter for the Makefile: answers the version query,
    makes a venv (a copy of itself) and installs nothing."""
    script = folder / f"python{version}"
    script.write_text(
        "#!/bin/sh\n"
        f'case "$1" in -c) echo "{version}";; -m) if [ "$2" = venv ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; fi;; esac\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def test_a_venv_of_another_python_is_rebuilt_and_distclean_removes_it(tmp_path):
    import shutil

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for name in ("Makefile", "pyproject.toml", LOCK.name, "jupyter/ipython_kernel_config.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)

    def make(*args: str) -> str:
        # A fresh make, as a user types it: under `make test` the inherited MAKELEVEL would print "make[1]:".
        env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
        return subprocess.run(
            ["make", "--no-print-directory", *args], cwd=tmp_path, check=True, capture_output=True, text=True, env=env
        ).stdout

    def venv_version() -> str:
        return subprocess.run([tmp_path / ".venv" / "bin" / "python", "-c", ""], check=True, capture_output=True, text=True).stdout.strip()

    make("venv", f"PYTHON={_fake_python(tmp_path, '3.12')}")
    assert venv_version() == "3.12"
    assert make("venv", f"PYTHON={_fake_python(tmp_path, '3.12')}") == "make: Nothing to be done for 'venv'.\n"
    rebuilt = make("venv", f"PYTHON={_fake_python(tmp_path, '3.11')}")
    assert ".venv is not Python 3.11" in rebuilt and "rebuilding it" in rebuilt
    assert venv_version() == "3.11"
    assert sorted(p.name for p in (tmp_path / ".venv").glob(".installed-stamp*")) == [".installed-stamp-py3.11"]
    assert (tmp_path / ".venv" / "etc" / "ipython" / "ipython_kernel_config.py").is_file()
    make("distclean", f"PYTHON={_fake_python(tmp_path, '3.11')}")
    assert not (tmp_path / ".venv").exists()


def test_lab_is_rooted_at_the_repository_and_opens_notebooks():
    import shutil

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry = subprocess.run(["make", "-n", "--no-print-directory", "lab"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    command = next(line for line in dry.replace("\\\n", " ").splitlines() if "jupyter lab" in line)
    assert f"--ServerApp.root_dir={ROOT}" in command.split()  # scenarios/, data/ and reports/ reachable
    assert "--LabApp.default_url=/lab/tree/notebooks" in command.split()
    assert "--notebook-dir" not in command

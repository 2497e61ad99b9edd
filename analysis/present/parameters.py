"""Notebook parameters, refused by name.

A notebook's accepted parameters are the assignments of its ``parameters``
cell (``name: type = default``), the cell papermill finds by its tag. The first code cell after it calls :func:`check_parameters` with
``globals()``: a parameter papermill injected that the cell does not declare
(a typo, or another notebook's override) stops the run with one line naming
it and the accepted ones; a value an assumption cannot take names the
parameter, the value and the limit. The error is :class:`ParameterError`,
which IPython (JupyterLab, papermill, ``reports``) shows as that one line,
without a traceback.

The value checks are the scenario file's (:data:`analysis.model.scenarios.ASSUMPTIONS`),
so a parameter and a scenario key cannot disagree on what is allowed.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.core.errors import InputError

__all__ = [
    "INJECTED_HEADER",
    "REPORT_PARAMETERS",
    "ParameterError",
    "accepted_parameters",
    "assigned",
    "check_names",
    "check_notebooks_take",
    "check_parameters",
    "check_value",
    "declared",
    "injected_names",
    "parameters_source",
    "reads_every_scenario",
]

#: The comment papermill's Python translator puts at the top of the cell it injects.
INJECTED_HEADER = "# Parameters"
#: What ``reports`` passes to every notebook.
REPORT_PARAMETERS = ("scenario", "processed_dir")
#: ``-p name value`` in a parameters cell's example command.
#: ``# Reads: its own scenario only`` or ``# Reads: every scenario of scenarios/``.
_READS = re.compile(r"^#\s*Reads:\s*(its own scenario|every scenario)", re.MULTILINE)


class ParameterError(InputError):
    """A notebook parameter refused. IPython shows only :meth:`_render_traceback_`."""

    def _render_traceback_(self) -> list[str]:
        return [f"error: {self}"]


def declared(source: str) -> list[str]:
    """The names a parameters cell declares, in order: its top-level
    assignments, annotated (``name: type = default``, as the project's
    notebooks write them) or not (as papermill also reads them)."""
    names: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found = [node.target.id]
        elif isinstance(node, ast.Assign):
            found = [target.id for target in node.targets if isinstance(target, ast.Name)]
        else:
            continue
        names += [name for name in found if name not in names]
    return names


def assigned(source: str) -> list[str]:
    """The names a cell papermill injected assigns (``name = value``)."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            names += [target.id for target in node.targets if isinstance(target, ast.Name)]
    return names


def parameters_source(notebook: Path) -> str:
    """The source of a notebook's cell tagged ``parameters`` ('' if none)."""
    document = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in document.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else str(source)
    return ""


def accepted_parameters(notebook: Path) -> list[str]:
    """The parameters a notebook takes: those its parameters cell declares."""
    return declared(parameters_source(notebook))


def reads_every_scenario(notebook: Path) -> bool:
    """What a notebook's parameters cell declares it reads besides the data:
    ``# Reads: its own scenario only`` (False) or ``# Reads: every scenario
    of scenarios/`` (True, a comparison of the cases). A notebook that does not
    say is taken to read every scenario: rebuilt too often, never stale."""
    found = _READS.search(parameters_source(notebook))
    return found is None or found.group(1) == "every scenario"


def check_names(given: Iterable[str], accepted: list[str], where: str = "this notebook") -> None:
    """Refuse the first name of ``given`` that is not in ``accepted``."""
    unknown = [name for name in given if name not in accepted]
    if unknown:
        raise ParameterError(f"unknown parameter {unknown[0]!r}: {where} accepts {', '.join(accepted) or 'no parameters'}")


def _check_folder_value(name: str, value: Any) -> None:
    """``scenario`` names a scenario file; ``processed_dir`` an existing folder."""
    from analysis.core.paths import resolve_folder, resolve_scenario

    if name == "scenario":
        if not isinstance(value, str):
            raise ParameterError(f"parameter 'scenario' = {value!r}: expected a scenario name or a path to a .yaml file")
        try:
            resolve_scenario(value)
        except InputError as err:
            raise ParameterError(f"parameter 'scenario' = {value!r}: {err}") from None
    elif not isinstance(value, str) or not resolve_folder(value).is_dir():
        raise ParameterError(f"parameter {name!r} = {value!r}: expected an existing folder (run `make data`)")


def _check_date_value(name: str, value: Any) -> None:
    """``as_of`` is a calendar date written YYYY-MM-DD."""
    import datetime

    try:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ParameterError(f"parameter {name!r} = {value!r}: expected a date as YYYY-MM-DD (or None for the latest evidence)") from None


def check_value(name: str, value: Any) -> None:
    """Refuse a value the parameter cannot take, naming the parameter, the
    value and the limit. ``None`` keeps the scenario's value."""
    from analysis.core.paths import parse_flag
    from analysis.model.scenarios import ASSUMPTIONS, FLAGS

    if value is None:
        return
    if name in REPORT_PARAMETERS:
        _check_folder_value(name, value)
    elif name == "as_of":
        _check_date_value(name, value)
    elif name == "history_draws" and (isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 100_000):
        raise ParameterError(f"parameter {name!r} = {value!r}: expected a whole number of draws from 100 to 100,000")
    elif name in FLAGS and isinstance(value, str):
        try:
            parse_flag(value)
        except ValueError as err:
            raise ParameterError(f"parameter {name!r} = {value!r}: {err}") from None
    elif name in ASSUMPTIONS:
        problem = ASSUMPTIONS[name](value)
        if problem:
            raise ParameterError(f"parameter {name!r}: {problem}")


def injected_names(history: list[str]) -> tuple[list[str], list[str]]:
    """From IPython's input history (``In``): the names of the last cell
    papermill injected and those the cell run just before it (the parameters
    cell) declares; ([], []) when none ran (JupyterLab, nbval)."""
    for position in range(len(history) - 1, -1, -1):
        source = history[position]
        if isinstance(source, str) and source.lstrip().startswith(INJECTED_HEADER):
            try:
                before = history[position - 1] if position else ""
                return assigned(source), declared(before) if isinstance(before, str) else []
            except SyntaxError:
                return [], []
    return [], []


def check_parameters(namespace: Mapping[str, Any]) -> None:
    """What the first code cell after the parameters cell calls with
    ``globals()``: refuse an injected parameter the parameters cell does not
    declare, then any declared parameter's bad value (see the module docstring)."""
    injected, parameters_cell = injected_names(list(namespace.get("In", []))[:-1])
    accepted = list(dict.fromkeys([*namespace.get("__annotations__", {}), *parameters_cell]))
    check_names(injected, accepted)
    for name in accepted:
        check_value(name, namespace.get(name))


def check_notebooks_take(notebooks: Iterable[Path], given: Iterable[str] = REPORT_PARAMETERS) -> None:
    """Before any run of ``reports``: every notebook declares what the builder
    passes it, else one line naming the notebook and the parameter."""
    given = list(given)
    for notebook in notebooks:
        check_names(given, accepted_parameters(notebook), where=f"{Path(notebook).name} (its parameters cell)")

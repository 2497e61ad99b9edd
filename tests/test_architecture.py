"""The layering of ARCHITECTURE.md, checked against every import of every module of analysis/.

The layer table is data in ARCHITECTURE.md (between the `layers` markers), read here: it is stated once."""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import paths

PACKAGE = Path(paths.__file__).resolve().parent
ARCHITECTURE = paths.PROJECT_ROOT / "ARCHITECTURE.md"


@dataclass(frozen=True)
class Row:
    layer: int
    only_by: frozenset[str]


def read_layers(text: str) -> dict[str, Row]:
    """Module name → its row of the layer table in ARCHITECTURE.md."""
    block = re.search(r"<!-- layers[^>]*-->(.*?)<!-- /layers -->", text, re.DOTALL)
    assert block, "ARCHITECTURE.md has no <!-- layers --> table"
    rows: dict[str, Row] = {}
    for line in block.group(1).strip().splitlines()[2:]:  # after the header and its rule
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 4, f"ARCHITECTURE.md: a layer row needs 4 cells: {line}"
        layer, module, _owns, only_by = cells
        name = module.strip("`")
        assert name not in rows, f"ARCHITECTURE.md: {name} has two rows"
        rows[name] = Row(int(layer.split()[0]), frozenset(re.findall(r"`([^`]+)`", only_by)))
    return rows


def package_modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Module name (dotted, relative to the package; a subpackage by its folder) → file."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _from_target(node: ast.ImportFrom, package_parts: list[str]) -> str | None:
    """The module a ``from ... import`` reads from, inside the package; None outside it."""
    if node.level:  # relative: from the module's own package, up level - 1 packages
        base = package_parts[: len(package_parts) - (node.level - 1)]
        return ".".join([*base, *([node.module] if node.module else [])])
    if node.module == "analysis" or (node.module or "").startswith("analysis."):
        return (node.module or "").removeprefix("analysis").lstrip(".")
    return None


def imported_modules(source: str, module: str, known: set[str]) -> list[tuple[int, str]]:
    """(line, module of the package) for every import in ``source``, function-level ones included.
    ``from analysis import name`` names a module when one has that name, else the package itself."""

    def resolve(dotted: str) -> str:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or "__init__"

    package_parts = module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(
                (node.lineno, resolve(alias.name.removeprefix("analysis").lstrip(".")))
                for alias in node.names
                if alias.name == "analysis" or alias.name.startswith("analysis.")
            )
        elif isinstance(node, ast.ImportFrom):
            target = _from_target(node, package_parts)
            if target is None:
                continue
            for alias in node.names:
                name = f"{target}.{alias.name}" if target else alias.name
                found.append((node.lineno, name if name in known else resolve(target)))
    return found


def violations(modules: dict[str, Path], rows: dict[str, Row]) -> list[str]:
    """One line per import that goes to a later layer, or to a module others may not import."""
    known = set(modules) | set(package_modules())
    problems = []
    for module, path in modules.items():
        for line, target in imported_modules(path.read_text(encoding="utf-8"), module, known):
            if target == module or target not in rows or module not in rows:
                continue  # a module without a row is reported by test_every_module_has_one_row
            file = f"analysis/{module.replace('.', '/')}.py" if path.name != "__init__.py" else path.relative_to(PACKAGE.parent)
            where = f"{file}:{line}: {module} (layer {rows[module].layer}) imports {target}"
            if rows[target].layer > rows[module].layer:
                problems.append(f"{where}, of the later layer {rows[target].layer}")
            if rows[target].only_by and module not in rows[target].only_by:
                problems.append(f"{where}, which only {', '.join(sorted(rows[target].only_by))} may import")
    return problems


ROWS = read_layers(ARCHITECTURE.read_text(encoding="utf-8"))
MODULES = package_modules()


def test_every_module_has_one_row():
    assert sorted(set(MODULES) - set(ROWS)) == [], "add a row for each to the layer table of ARCHITECTURE.md"
    assert sorted(set(ROWS) - set(MODULES)) == [], "ARCHITECTURE.md names modules that do not exist"
    for row in ROWS.values():
        assert row.only_by <= set(MODULES), row


def test_imports_point_only_to_earlier_layers():
    assert violations(MODULES, ROWS) == []


def test_shared_leaves_import_only_shared_leaves():
    shared = {name for name, row in ROWS.items() if row.layer == 0}
    assert {"errors", "paths", "_io", "_yaml", "scenarios", "formatting", "text", "vocabulary"} <= shared
    for module in sorted(shared):
        targets = {t for _, t in imported_modules(MODULES[module].read_text(encoding="utf-8"), module, set(MODULES))}
        assert targets <= shared, (module, targets - shared)


def test_notebooks_import_nothing_above_charts():
    """A notebook is a thin page over figures, display and charts: it never runs the pipeline or the report builder."""
    import nbformat

    charts = ROWS["charts"].layer
    for path in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            for _, target in imported_modules(source, "__notebook__", set(MODULES)):
                assert ROWS[target].layer <= charts and not ROWS[target].only_by, (path.name, target)


@pytest.mark.parametrize(
    "module, source, expected",
    [
        # A later layer, at module level or inside a function, in each import form.
        ("figures", "from analysis import charts", ["1: figures (layer 8) imports charts, of the later layer 9"]),
        ("model", "from analysis.charts import chart_to_svg", ["1: model (layer 6) imports charts, of the later layer 9"]),
        ("sources", "import re\nfrom .claims import read_claims", ["2: sources (layer 1) imports claims, of the later layer 3"]),
        ("errors", "from analysis import headline", ["1: errors (layer 0) imports __init__, of the later layer 11"]),
        # A module only the command line may import, from the same layer, an earlier or a later one.
        ("figures", "from analysis import pipeline", ["1: figures (layer 8) imports pipeline, which only __main__ may import"]),
        (
            "figures",
            "def f():\n    import analysis.reports",
            [
                "2: figures (layer 8) imports reports, of the later layer 10",
                "2: figures (layer 8) imports reports, which only __main__, screenshots may import",
            ],
        ),
    ],
)
def test_the_check_catches_a_wrong_import(tmp_path, module, source, expected):
    """The checker itself, on a module written here: each wrong import is named with its line."""
    fake = tmp_path / "analysis" / f"{module}.py"
    fake.parent.mkdir()
    fake.write_text(source + "\n", encoding="utf-8")
    found = violations({module: fake}, ROWS)
    assert found == [f"analysis/{module}.py:{problem}" for problem in expected]


def test_same_layer_and_earlier_imports_pass():
    fake_modules = {"claims": MODULES["claims"], "quantities": MODULES["quantities"], "sources": MODULES["sources"]}
    assert violations(fake_modules, ROWS) == []


#: Top folders whose files ARCHITECTURE.md names as files of the checkout; reports/ is built, not committed.
_CHECKED_FOLDERS = ("analysis/", "data/", "notebooks/", "scenarios/", "tests/")


def named_paths(text: str) -> list[str]:
    """The checkout paths a Markdown text names in backticks (placeholders
    such as ``<language>`` or ``NN-name`` left out: they name a kind of file)."""
    names = re.findall(r"`([^`\s]+)`", text)
    return [n for n in names if n.startswith(_CHECKED_FOLDERS) and "<" not in n and "NN" not in n]


def test_every_path_architecture_names_exists():
    root = paths.PROJECT_ROOT
    named = named_paths(ARCHITECTURE.read_text(encoding="utf-8"))
    assert "data/processed/" in named and "analysis/figures.yaml" in named  # the reader finds paths at all
    missing = [n for n in named if not (any(root.glob(n)) if "*" in n else (root / n).exists())]
    assert not missing, f"ARCHITECTURE.md names paths the checkout lacks: {missing}"


def test_a_named_path_the_checkout_lacks_is_found():
    assert named_paths("described in `data/raw/tables.yaml`, see `analysis/lang/<language>.yaml`, `make data`") == ["data/raw/tables.yaml"]


#: Public names only the tests call: left on purpose (issue 22 lists them apart from the dead code).
USED_ONLY_BY_TESTS = frozenset({"context_value", "example_parameters", "fleet_h100_equivalents", "open_from", "per_buyer", "simulate"})
#: Unused anywhere, tests included, found by the check below after issue 22's review; left for a decision.
UNUSED_LEFT = frozenset({"approved_by_month", "conditioning_table"})


def public_definitions(package: Path = PACKAGE) -> dict[str, int]:
    """Each public name defined at the top level of a module of the package
    (function, class or assigned constant), with how many modules define it."""
    defined: dict[str, int] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                names = [t.id for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)]
            else:
                continue
            for name in names:
                if not name.startswith("_"):
                    defined[name] = defined.get(name, 0) + 1
    return defined


def uses(names: set[str], files: list[Path]) -> dict[str, int]:
    """How often each name occurs as a word in the files (its definitions included)."""
    words = Counter(word for f in files for word in re.findall(r"\w+", f.read_text(encoding="utf-8", errors="replace")))
    return {name: words[name] for name in names}


def test_every_public_name_is_used_outside_the_tests():
    """Dead code: a public name of the package that no module, template, notebook,
    benchmark or setup file names beyond its own definition. A name defined in two
    modules counts once per definition (so this misses one of two same-named
    definitions being dead: a word search cannot tell them apart)."""
    root = paths.PROJECT_ROOT
    product = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    product += sorted((root / "notebooks").glob("*.ipynb")) + sorted((root / "benchmarks").rglob("*.py"))
    product += [root / "Makefile", root / "pyproject.toml"]
    defined = public_definitions()
    used = uses(set(defined), product)
    unused = {name for name, count in used.items() if count <= defined[name]}
    # This file names the listed names itself, so it is not a use.
    by_tests = uses(unused, sorted(p for p in (root / "tests").rglob("*.py") if p != Path(__file__)))
    only_tests = {name for name in unused if by_tests[name] > 0}
    dead = unused - only_tests
    assert not dead - UNUSED_LEFT, f"defined in analysis/ and used nowhere: remove {sorted(dead - UNUSED_LEFT)}"
    assert only_tests == USED_ONLY_BY_TESTS, (
        f"used only by tests: {sorted(only_tests)}; USED_ONLY_BY_TESTS says {sorted(USED_ONLY_BY_TESTS)}"
    )
    assert UNUSED_LEFT <= dead, f"UNUSED_LEFT names what is used or gone: take out {sorted(UNUSED_LEFT - dead)}"

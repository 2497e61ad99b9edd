"""The layering of ARCHITECTURE.md, checked against every import of every module of analysis/.

The layer table is data in ARCHITECTURE.md (between the `layers` markers), read here: it is
stated once. A row is a package (a folder of ``analysis/``) or one of the entry modules."""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.core import paths

PACKAGE = Path(paths.__file__).resolve().parents[1]
ARCHITECTURE = paths.PROJECT_ROOT / "ARCHITECTURE.md"


@dataclass(frozen=True)
class Row:
    layer: int
    only_by: frozenset[str]


def read_layers(text: str) -> dict[str, Row]:
    """Package name → its row of the layer table in ARCHITECTURE.md."""
    block = re.search(r"<!-- layers[^>]*-->(.*?)<!-- /layers -->", text, re.DOTALL)
    assert block, "ARCHITECTURE.md has no <!-- layers --> table"
    rows: dict[str, Row] = {}
    for line in block.group(1).strip().splitlines()[2:]:  # after the header and its rule
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 4, f"ARCHITECTURE.md: a layer row needs 4 cells: {line}"
        layer, package, _owns, only_by = cells
        name = package.strip("`")
        assert name not in rows, f"ARCHITECTURE.md: {name} has two rows"
        rows[name] = Row(int(layer.split()[0]), frozenset(re.findall(r"`([^`]+)`", only_by)))
    return rows


def package_modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Module name (dotted, relative to ``analysis``; a package by its folder) → file."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def stage(module: str) -> str:
    """The row a module belongs to: its package's folder, or the entry module itself."""
    return module.split(".")[0]


@dataclass(frozen=True)
class Import:
    line: int
    target: str  # the module of analysis/ it reads (dotted), "__init__" for the package itself
    imported: str  # what the line names, dotted: a module, or a module and a name taken from it


def _from_target(node: ast.ImportFrom, package_parts: list[str]) -> str | None:
    """The module a ``from ... import`` reads from, inside the package; None outside it."""
    if node.level:  # relative: from the module's own package, up level - 1 packages
        base = package_parts[: len(package_parts) - (node.level - 1)]
        return ".".join([*base, *([node.module] if node.module else [])])
    if node.module == "analysis" or (node.module or "").startswith("analysis."):
        return (node.module or "").removeprefix("analysis").lstrip(".")
    return None


def imports_of(source: str, module: str, known: set[str]) -> list[Import]:
    """Every import of the package in ``source``, function-level ones included.
    ``from analysis.pkg import name`` names a module when one has that name, else takes a name from ``pkg``."""

    def resolve(dotted: str) -> str:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or "__init__"

    package_parts = module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(
                Import(
                    node.lineno, resolve(alias.name.removeprefix("analysis").lstrip(".")), alias.name.removeprefix("analysis").lstrip(".")
                )
                for alias in node.names
                if alias.name == "analysis" or alias.name.startswith("analysis.")
            )
        elif isinstance(node, ast.ImportFrom):
            target = _from_target(node, package_parts)
            if target is None:
                continue
            for alias in node.names:
                dotted = f"{target}.{alias.name}" if target else alias.name
                found.append(Import(node.lineno, dotted if dotted in known else resolve(target), dotted))
    return found


def _is_private(item: Import) -> bool:
    """A name or module starting with ``_`` anywhere in what the import names."""
    return any(part.startswith("_") and not part.startswith("__") for part in item.imported.split("."))


def violations(modules: dict[str, Path], rows: dict[str, Row]) -> list[str]:
    """One line per import that goes to a later layer, to a package others may not import,
    or to a private name or module of another package."""
    known = set(modules) | set(package_modules())
    problems = []
    for module, path in modules.items():
        for item in imports_of(path.read_text(encoding="utf-8"), module, known):
            here, there = stage(module), stage(item.target)
            if item.target == module or here == there or there not in rows or here not in rows:
                continue  # a package without a row is reported by test_every_package_has_one_row
            file = path.relative_to(next(p for p in path.parents if p.name == "analysis")).as_posix()
            where = f"analysis/{file}:{item.line}: {module} ({here}, layer {rows[here].layer}) imports {item.target}"
            if rows[there].layer > rows[here].layer:
                problems.append(f"{where}, of the later layer {rows[there].layer}")
            if rows[there].only_by and here not in rows[there].only_by:
                problems.append(f"{where}, which only {', '.join(sorted(rows[there].only_by))} may import")
            if _is_private(item):
                problems.append(f"{where}: {item.imported} is private to {there}")
    return problems


def private_attributes(modules: dict[str, Path]) -> list[str]:
    """``module._name`` where ``module`` was imported from another package."""
    known = set(package_modules())
    problems = []
    for module, path in modules.items():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis"):
                for alias in node.names:
                    dotted = f"{(node.module or '').removeprefix('analysis').lstrip('.')}.{alias.name}".lstrip(".")
                    if dotted in known and stage(dotted) != stage(module):
                        aliases[alias.asname or alias.name] = dotted
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
            ):
                problems.append(f"{module}:{node.lineno}: {node.value.id}.{node.attr}, private to {stage(aliases[node.value.id])}")
    return problems


def cycles(modules: dict[str, Path]) -> list[list[str]]:
    """Every import cycle between modules (imports inside functions included), each as its path."""
    known = set(modules)
    graph = {m: sorted({i.target for i in imports_of(p.read_text(encoding="utf-8"), m, known)} - {m}) for m, p in modules.items()}
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in graph.get(module, []):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


ROWS = read_layers(ARCHITECTURE.read_text(encoding="utf-8"))
MODULES = package_modules()
STAGES = {stage(m) for m in MODULES}


def test_every_package_has_one_row():
    assert sorted(STAGES - set(ROWS)) == [], "add a row for each package to the layer table of ARCHITECTURE.md"
    assert sorted(set(ROWS) - STAGES) == [], "ARCHITECTURE.md names packages that do not exist"
    for row in ROWS.values():
        assert row.only_by <= STAGES, row


def test_the_folder_is_the_architecture():
    """No module sits loose in analysis/ beside the packages, but the two entry modules."""
    loose = sorted(m for m in MODULES if "." not in m and not PACKAGE.joinpath(m).is_dir())
    assert loose == ["__init__", "__main__"]


def test_every_module_is_named_in_its_row():
    """Each row lists its package's modules (``name``), so the table is a map of the folder."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for module in MODULES:
        if "." in module and not module.split(".")[-1].startswith("_"):
            package, name = module.split(".", 1)
            row = next(line for line in text.splitlines() if line.startswith("|") and f"| `{package}` |" in line)
            assert f"`{name}`" in row, f"ARCHITECTURE.md: the row of {package} does not name `{name}`"


def test_imports_point_only_to_earlier_layers_and_public_names():
    assert violations(MODULES, ROWS) == []
    assert private_attributes(MODULES) == []


def test_no_import_cycles():
    assert cycles(MODULES) == []


def test_core_imports_only_core():
    for module in (m for m in MODULES if stage(m) == "core"):
        targets = {stage(i.target) for i in imports_of(MODULES[module].read_text(encoding="utf-8"), module, set(MODULES))}
        assert targets <= {"core"}, (module, targets)


def test_notebooks_import_nothing_above_present():
    """A notebook is a thin page over the figures and the present package: it never runs the pipeline or the report builder."""
    import nbformat

    present = ROWS["present"].layer
    for path in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            for item in imports_of(source, "__notebook__", set(MODULES)):
                there = stage(item.target)
                assert ROWS[there].layer <= present and not ROWS[there].only_by and not _is_private(item), (path.name, item)


@pytest.mark.parametrize(
    "module, source, expected",
    [
        # A later layer, at module level or inside a function, in each import form.
        (
            "model.figures",
            "from analysis.present import charts",
            ["1: model.figures (model, layer 7) imports present.charts, of the later layer 8"],
        ),
        (
            "model.engine",
            "from analysis.present.charts import headline_ranges",
            ["1: model.engine (model, layer 7) imports present.charts, of the later layer 8"],
        ),
        (
            "sources.extract",
            "import re\nfrom ..evidence.claims import read_claims",
            ["2: sources.extract (sources, layer 3) imports evidence.claims, of the later layer 5"],
        ),
        ("core.errors", "from analysis import headline", ["1: core.errors (core, layer 0) imports __init__, of the later layer 10"]),
        # A package only the command line may import, from an earlier layer or a later one.
        (
            "model.figures",
            "from analysis.tables import pipeline",
            ["1: model.figures (model, layer 7) imports tables.pipeline, which only __main__ may import"],
        ),
        (
            "model.figures",
            "def f():\n    import analysis.reports.build",
            [
                "2: model.figures (model, layer 7) imports reports.build, of the later layer 9",
                "2: model.figures (model, layer 7) imports reports.build, which only __main__ may import",
            ],
        ),
        # A private name or module of another package.
        (
            "evidence.claims",
            "from analysis.quantities.matchers import _MONTH_WORDS",
            [
                "1: evidence.claims (evidence, layer 5) imports quantities.matchers: quantities.matchers._MONTH_WORDS is private to quantities"
            ],
        ),
        (
            "present.display",
            "from analysis.core._hidden import value",
            ["1: present.display (present, layer 8) imports core: core._hidden.value is private to core"],
        ),
    ],
)
def test_the_check_catches_a_wrong_import(tmp_path, module, source, expected):
    """The checker itself, on a module written here: each wrong import is named with its line."""
    fake = tmp_path / "analysis" / Path(*module.split(".")).with_suffix(".py")
    fake.parent.mkdir(parents=True)
    fake.write_text(source + "\n", encoding="utf-8")
    found = violations({module: fake}, ROWS)
    assert found == [f"analysis/{module.replace('.', '/')}.py:{problem}" for problem in expected]


def test_same_package_private_and_earlier_imports_pass(tmp_path):
    fake = tmp_path / "analysis" / "quantities" / "reader.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from analysis.quantities.matchers import _MONTH_WORDS\nfrom analysis.lang import vocabulary\n", encoding="utf-8")
    assert violations({"quantities.reader": fake}, ROWS) == []


def test_the_check_catches_a_private_attribute_and_a_cycle(tmp_path):
    a = tmp_path / "a.py"
    a.write_text("from analysis.present import display\nx = display._private\n", encoding="utf-8")
    assert private_attributes({"reports.fake": a}) == ["reports.fake:2: display._private, private to present"]
    one, two = tmp_path / "one.py", tmp_path / "two.py"
    one.write_text("def f():\n    from analysis.sources import two\n", encoding="utf-8")
    two.write_text("from analysis.sources.one import f\n", encoding="utf-8")
    assert cycles({"sources.one": one, "sources.two": two}) == [["sources.one", "sources.two", "sources.one"]]


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
    assert "data/processed/" in named and "analysis/metadata/figures.yaml" in named  # the reader finds paths at all
    missing = [n for n in named if not (any(root.glob(n)) if "*" in n else (root / n).exists())]
    assert not missing, f"ARCHITECTURE.md names paths the checkout lacks: {missing}"


def test_a_named_path_the_checkout_lacks_is_found():
    assert named_paths("described in `data/raw/tables.yaml`, see `analysis/lang/<language>.yaml`, `make data`") == ["data/raw/tables.yaml"]


def test_tests_mirror_the_packages():
    """``tests/<package>/`` for each package, and each ``test_<name>.py`` in it names a module
    of that package (``<name>`` itself, or ``<name>`` less a suffix such as ``_classes``)."""
    root = paths.PROJECT_ROOT / "tests"
    folders = {p.name for p in root.iterdir() if p.is_dir() and p.name not in ("fixtures", "__pycache__")}
    assert folders == {s for s in STAGES if PACKAGE.joinpath(s).is_dir()}
    for folder in sorted(folders):
        names = {m.split(".", 1)[1] for m in MODULES if stage(m) == folder and "." in m}
        for test in sorted(root.joinpath(folder).glob("test_*.py")):
            stem = test.stem.removeprefix("test_")
            assert stem in names or any(stem.startswith(f"{name}_") for name in names), f"{test}: names no module of analysis/{folder}/"


def test_every_module_with_logic_has_its_test_module():
    """Each module of a package that defines a function or class has ``tests/<package>/test_<module>.py``, with tests in it."""
    root = paths.PROJECT_ROOT / "tests"
    missing = []
    for module, path in MODULES.items():
        if "." not in module or module.split(".")[-1].startswith("_"):
            continue
        has_logic = any(isinstance(node, ast.FunctionDef | ast.ClassDef) for node in ast.parse(path.read_text(encoding="utf-8")).body)
        package, name = module.split(".", 1)
        test = root.joinpath(package, f"test_{name}.py")
        tests = test.is_file() and any(
            isinstance(node, ast.FunctionDef) and node.name.startswith("test_") for node in ast.parse(test.read_text(encoding="utf-8")).body
        )
        if has_logic and not tests:
            missing.append(f"tests/{package}/test_{name}.py")
    assert missing == []


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
    """How often each name occurs as a word in the files (its definitions and ``__all__`` entries included)."""
    words = Counter(word for f in files for word in re.findall(r"\w+", f.read_text(encoding="utf-8", errors="replace")))
    return {name: words[name] for name in names}


def test_every_public_name_is_used_outside_the_tests():
    """Dead code: a public name of the package that no module, template, notebook,
    benchmark or setup file names beyond its own definition (and its ``__all__`` entry).
    A name defined in two modules counts once per definition (so this misses one of
    two same-named definitions being dead: a word search cannot tell them apart)."""
    root = paths.PROJECT_ROOT
    product = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    product += sorted((root / "notebooks").glob("*.ipynb")) + sorted((root / "benchmarks").rglob("*.py"))
    product += [root / "Makefile", root / "pyproject.toml"]
    defined = public_definitions()
    listed = Counter(name for path in PACKAGE.rglob("*.py") for name in module_all(path))
    used = uses(set(defined), product)
    dead = sorted(name for name, count in used.items() if count <= defined[name] + listed[name])
    assert dead == [], f"defined in analysis/ and used nowhere but the tests: remove {dead}"


def module_all(path: Path) -> list[str]:
    """The names a module's ``__all__`` lists (empty when it has none)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return [elt.value for elt in getattr(node.value, "elts", []) if isinstance(elt, ast.Constant) and isinstance(elt.value, str)]
    return []


def test_every_module_lists_its_public_names():
    """``__all__`` in every module is exactly its public top-level definitions: what callers may import."""
    wrong = []
    for module, path in MODULES.items():
        if path.name == "__init__.py" and module != "__init__":
            continue  # a package's __init__ holds its docstring only
        defined = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                defined.update(t.id for t in targets if isinstance(t, ast.Name))
        public = {n for n in defined if not n.startswith("_")}
        if module == "__init__":
            public = {"headline"}  # the lazy public name
        if set(module_all(path)) != public:
            wrong.append(f"{module}: __all__ {sorted(module_all(path))} != {sorted(public)}")
    assert wrong == []


def test_package_inits_hold_no_code():
    """A package's ``__init__.py`` is its docstring: no re-exports, so a caller imports from the owner."""
    for path in sorted(PACKAGE.glob("*/__init__.py")):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr), path

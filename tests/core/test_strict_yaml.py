"""analysis.core.strict_yaml.load_yaml_strict: YAML's traps refused naming the
file and the key or line, numbers read as numbers, each file parsed once per
file state. (The scenario-level checks of the same traps stay in tests/test_safety_data.py.)"""

from __future__ import annotations

import pytest

from analysis.core import paths, strict_yaml
from analysis.core.errors import InputError
from analysis.core.files import atomic_write_text
from analysis.core.strict_yaml import load_yaml_strict


def test_a_yaml_file_is_parsed_once_and_each_caller_gets_its_own_copy(tmp_path, monkeypatch):
    path = tmp_path / "s.yaml"
    path.write_text("name: one\nassumptions:\n  pace: {value: 3, low: 1, high: 5}\n", encoding="utf-8")
    parsed = []
    real = strict_yaml._parse_strict
    monkeypatch.setattr(strict_yaml, "_parse_strict", lambda p: parsed.append(p) or real(p))
    first = load_yaml_strict(path)
    first["assumptions"]["pace"]["value"] = 99  # a caller that edits what it got
    assert load_yaml_strict(path) == {"name": "one", "assumptions": {"pace": {"value": 3, "low": 1, "high": 5}}}
    assert parsed == [path]
    atomic_write_text(path, "name: two\n")
    assert load_yaml_strict(path) == {"name": "two"}
    assert len(parsed) == 2


def test_a_refused_yaml_file_is_refused_every_time(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):  # nothing kept from a failed parse
        with pytest.raises(InputError, match="duplicate key"):
            load_yaml_strict(path)


def test_the_fast_strict_loader_reads_every_project_yaml_file_as_the_pure_python_one():
    """libyaml's parser (the fast path) against PyYAML's own, on the package's and the project's files."""
    import yaml

    files = [*sorted((paths.PROJECT_ROOT / "analysis").rglob("*.yaml")), *sorted(paths.SCENARIOS.glob("*.yaml"))]
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=strict_yaml._LOADER) == yaml.load(text, Loader=strict_yaml.StrictLoader), path


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: &x 1\nb: *x\n", "anchors and aliases"),
        ("b: {c: 2, c: 3}\n", "duplicate key"),
        ("a: {<<: {b: 1}}\n", "merge keys"),
        ("a: " + "[" * 65 + "]" * 65 + "\n", "nested more than 64 deep"),
        ("a: " + "[" * 200_000 + "\n", "nested more than 64 deep|maximum nesting depth"),  # refused before anything is composed
    ],
)
def test_yaml_traps_are_refused_naming_the_file_and_line(tmp_path, text, reason):
    path = tmp_path / "trap.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=reason) as refused:
        load_yaml_strict(path)
    assert str(refused.value).startswith(f"{path}: ") and "line 1" in str(refused.value)


def test_yaml_nested_to_the_limit_is_read(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 63 + "1" + "]" * 63 + "\n", encoding="utf-8")
    value = load_yaml_strict(path)["a"]
    for _ in range(63):
        value = value[0]
    assert value == 1


def test_exponents_without_a_dot_or_a_sign_are_numbers(tmp_path):
    import yaml

    text = "a: 1.7e10\nb: 2e5\nc: -3E-2\nd: 1_000\n"
    assert yaml.safe_load(text) == {"a": "1.7e10", "b": "2e5", "c": "-3E-2", "d": 1000}  # YAML 1.1 wants a dot in a float
    path = tmp_path / "numbers.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_yaml_strict(path) == {"a": 17_000_000_000.0, "b": 200_000.0, "c": -0.03, "d": 1000}
    assert isinstance(load_yaml_strict(path)["b"], float)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a:\n  b: [1, .nan]\n", "key 'a.b[1]': nan is not a finite number"),
        ("x: -.inf\n", "key 'x': -inf is not a finite number"),
        ("big: 1e999\n", "key 'big': inf is not a finite number"),
        ("n: 1" + "0" * 301 + "\n", "key 'n': 1" + "0" * 301 + " is too large a number"),
    ],
)
def test_a_number_that_is_not_finite_is_refused_naming_its_key_path(tmp_path, text, problem):
    path = tmp_path / "numbers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_yaml_strict(path)
    assert str(refused.value) == f"{path}: {problem}"


def test_a_duplicate_or_merge_key_names_its_own_line(tmp_path):
    duplicate = tmp_path / "duplicate.yaml"
    duplicate.write_text("a: 1\nb:\n  c: 1\n  c: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_yaml_strict(duplicate)
    assert str(refused.value) == f"{duplicate}: line 4: key 'c': duplicate key in the same mapping"
    merge = tmp_path / "merge.yaml"
    merge.write_text("a: 1\nb:\n  <<: {c: 1}\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_yaml_strict(merge)
    assert str(refused.value) == f"{merge}: line 3: merge keys (<<) are not allowed"


def test_text_that_is_not_yaml_is_refused_with_the_position_and_without_an_excerpt(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("a: [1, 2\n", encoding="utf-8")  # the list is never closed: the parser stops at the end, line 2
    with pytest.raises(InputError) as refused:
        load_yaml_strict(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: not valid YAML (") and message.endswith(", line 2, column 1)")
    assert "\n" not in message and "[1, 2" not in message


def test_a_missing_yaml_file_is_named(tmp_path):
    with pytest.raises(InputError) as refused:
        load_yaml_strict(tmp_path / "gone.yaml")
    assert str(refused.value) == f"{tmp_path / 'gone.yaml'}: file not found"

"""Strict YAML loading for project inputs (scenarios, ``tables.yaml``) and the
package's own YAML (``figures.yaml``, ``labels.yaml``, ``lang/*.yaml``).

:func:`load_yaml_strict` is ``yaml.safe_load`` with the traps of YAML closed,
each refused with an :class:`~analysis.core.errors.InputError` naming the file and
the key or line:

- **aliases and anchors** (``&a`` / ``*a``) are refused before anything is
  built, so an alias bomb ("billion laughs") cannot exhaust memory, and files
  larger than :data:`MAX_BYTES` are not parsed at all;
- **duplicate keys** in a mapping are refused instead of the last one winning;
- **non-finite numbers** (``.nan``, ``.inf``, ``1e999``) and integers too large
  for a float are refused: NaN passes every comparison, so it would pass every
  range check;
- **nesting** deeper than :data:`MAX_DEPTH` is refused from the parser's events,
  before anything is built;
- ``1.7e10`` and ``2e5`` are read as numbers (YAML 1.1, which PyYAML follows,
  would read them as strings because the exponent has no dot or sign).

The checks of anchors and depth read libyaml's events, then libyaml's parser
composes the document (PyYAML's pure-Python parser, ten times slower, where
PyYAML is built without libyaml), and each parsed file is kept per file state.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from analysis.core.errors import InputError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "StrictLoader", "load_yaml_strict", "parse_yaml_strict"]

#: Scenario and metadata files are a few kB; anything far larger is refused unread.
MAX_BYTES = 1_000_000


class _Refused(Exception):
    """Raised inside the loader; turned into an InputError naming the file."""


if TYPE_CHECKING:
    # The mixin is only ever mixed into a PyYAML loader: typed as its constructor,
    # mypy sees the methods it calls (``construct_object``, the next ``construct_mapping``).
    from yaml.constructor import SafeConstructor as _Constructor
else:
    _Constructor = object


class _StrictMappings(_Constructor):  # type: ignore[misc]  # PyYAML has no type stubs here: SafeConstructor is Any
    """Mappings without duplicate or merge keys, for either of PyYAML's parsers."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(f"line {key_node.start_mark.line + 1}: merge keys (<<) are not allowed")
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key; SafeConstructor reports it
                break
            if duplicate:
                raise _Refused(f"line {key_node.start_mark.line + 1}: key {key!r}: duplicate key in the same mapping")
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


class StrictLoader(_StrictMappings, yaml.SafeLoader):  # type: ignore[misc]  # PyYAML has no type stubs here: SafeLoader is Any
    """SafeLoader without aliases, anchors or duplicate keys, reading
    ``1.7e10``-style numbers as floats."""

    def compose_node(self, parent: yaml.Node | None, index: int | yaml.Node | None) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(f"line {event.start_mark.line + 1}: YAML anchors and aliases (& and *) are not allowed")
        return super().compose_node(parent, index)


StrictLoader.yaml_implicit_resolvers = {first: list(resolvers) for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)

#: Mappings and lists nested deeper than this are refused (the project's files nest five deep).
MAX_DEPTH = 64

if getattr(yaml, "__with_libyaml__", False):

    class _FastStrictLoader(_StrictMappings, yaml.CSafeLoader):  # type: ignore[misc]  # PyYAML has no type stubs here: CSafeLoader is Any
        """:class:`StrictLoader` on libyaml's parser (ten times faster), for a
        text :func:`_refuse_before_composing` has passed: libyaml composes in C,
        past the Python ``compose_node`` that refuses anchors."""

    _FastStrictLoader.yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers
    #: The loader that composes a document, and the one whose events are checked first.
    _LOADER: type = _FastStrictLoader
    _EVENTS: type = yaml.CSafeLoader
else:  # pragma: no cover  # PyYAML built without libyaml: the pure-Python loader refuses anchors itself
    _LOADER, _EVENTS = StrictLoader, yaml.SafeLoader


def _refuse_before_composing(text: str) -> None:
    """Refuse anchors, aliases and nesting deeper than :data:`MAX_DEPTH` from
    the parser's events, before any node is built (libyaml reads events
    without recursion, so a deeply nested text cannot exhaust the stack)."""
    depth = 0
    for event in yaml.parse(text, Loader=_EVENTS):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(f"line {event.start_mark.line + 1}: YAML anchors and aliases (& and *) are not allowed")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(f"line {event.start_mark.line + 1}: nested more than {MAX_DEPTH} deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _non_finite(value: Any, where: str = "") -> str | None:
    """The key path of the first non-finite number in ``value``, or None."""
    if isinstance(value, dict):
        for key, item in value.items():
            found = _non_finite(item, f"{where}.{key}" if where else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for position, item in enumerate(value):
            found = _non_finite(item, f"{where}[{position}]")
            if found:
                return found
    elif isinstance(value, float) and not math.isfinite(value):
        return f"key {where!r}: {value!r} is not a finite number"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 1e300:
        return f"key {where!r}: {value} is too large a number"
    return None


def _yaml_reason(err: yaml.YAMLError) -> str:
    """The parser's reason and position, without the excerpt of the file that
    PyYAML appends (the file may not be a project file at all)."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    reason = getattr(err, "problem", None) or getattr(err, "context", None) or type(err).__name__
    return f"{reason}, line {mark.line + 1}, column {mark.column + 1}" if mark else str(reason)


#: Documents already parsed in this process, by path and file state (:func:`load_yaml_strict`).
_PARSED: dict[tuple[str, int, int, int], Any] = {}


def load_yaml_strict(path: str | Path) -> Any:
    """Parse one YAML file strictly (see the module docstring), or fail with an
    InputError naming the file and the key or line.

    A file is parsed once per process while its inode, size and modification
    time stay the same, and each caller gets its own deep copy: a report
    reads its scenario and the package's labels dozens of times, and the
    strict loader is pure Python."""
    from analysis.core.memo import file_key, remembered

    path = Path(path)
    key = file_key(path)
    if key is None:  # the reading says why, naming the file
        return _parse_strict(path)
    return copy.deepcopy(remembered(_PARSED, key, lambda: _parse_strict(path)))


def _parse_strict(path: Path) -> Any:
    from analysis.core.files import read_text_file

    return parse_yaml_strict(read_text_file(path, max_bytes=MAX_BYTES, kind="YAML inputs"), str(path))


def parse_yaml_strict(text: str, source: str) -> Any:
    """Parse YAML text strictly, as :func:`load_yaml_strict` parses a file; an
    InputError names ``source`` (the file or what the text was made from)."""
    try:
        _refuse_before_composing(text)
        document = yaml.load(text, Loader=_LOADER)  # a SafeLoader, strict (StrictLoader)
    except _Refused as err:
        raise InputError(f"{source}: {err}") from None
    except yaml.YAMLError as err:
        raise InputError(f"{source}: not valid YAML ({_yaml_reason(err)})") from None
    except RecursionError:
        raise InputError(f"{source}: nested too deeply") from None
    problem = _non_finite(document)
    if problem:
        raise InputError(f"{source}: {problem}")
    return document

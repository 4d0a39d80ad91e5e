"""Safe YAML reading that keeps the line of every key and refuses hostile input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.errors import Diagnostic, ScenarioError, display_path

MAX_FILE_BYTES = 1 << 20
"""Largest file read (1 MiB): a scenario is a page of text, not a data set."""

MAX_NODES = 200_000
"""Most YAML nodes built from one file, aliases counted each time they are expanded."""

MAX_DEPTH = 64

Path_ = tuple[str | int, ...]
LineMap = dict[Path_, int]


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read one YAML file as plain Python data plus the line of every mapping key and item.

    Raises
    ------
    ScenarioError
        The file is missing, too large, not UTF-8, malformed, has duplicate keys, or expands
        to too many nodes.
    """
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError(
            [Diagnostic(name, None, "", f"cannot read: {error.strerror}")]
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        reason = f"file is {len(raw)} bytes; scenario files are limited to {MAX_FILE_BYTES}"
        raise ScenarioError([Diagnostic(name, None, "", reason)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 text (byte {error.start}: {error.reason})"
        raise ScenarioError([Diagnostic(name, None, "", reason)]) from None
    loader: yaml.SafeLoader | None = None
    try:
        loader = yaml.SafeLoader(text)  # the reader rejects control characters at once
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([Diagnostic(name, None, "", "file is empty; expected a mapping")])
        builder = _Builder(loader, name)
        data = builder.build(node, ())
    except yaml.YAMLError as error:
        raise ScenarioError([_yaml_problem(name, error)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.diagnostics:
        raise ScenarioError(builder.diagnostics)
    return data, builder.lines


def _yaml_problem(name: str, error: yaml.YAMLError) -> Diagnostic:
    if isinstance(error, yaml.reader.ReaderError):
        reason = f"character #x{error.character:04x} at position {error.position} is not allowed"
        return Diagnostic(name, None, "", f"malformed YAML: {reason}")
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    return Diagnostic(name, line, "", f"malformed YAML: {problem}")


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, name: str) -> None:
        self.loader = loader
        self.name = name
        self.lines: LineMap = {}
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or len(path) > MAX_DEPTH:
            reason = (
                f"too many or too deeply nested YAML nodes (limit {MAX_NODES} nodes, depth "
                f"{MAX_DEPTH}); runaway alias expansion is refused"
            )
            raise ScenarioError([Diagnostic(self.name, node.start_mark.line + 1, "", reason)])
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                where = ".".join(str(p) for p in path)
                if not isinstance(key_node, yaml.ScalarNode):
                    self._problem(line, where, "a mapping key must be a plain name")
                    continue
                # The key as written: YAML 1.1 would turn `no` or `on` into booleans.
                key = str(key_node.value)
                if key in result:
                    self._problem(line, _join(where, key), f"duplicate key {key!r}")
                    continue
                self.lines[(*path, key)] = line
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                self.lines[(*path, i)] = item.start_mark.line + 1
                items.append(self.build(item, (*path, i)))
            return items
        return self.loader.construct_object(node, deep=True)

    def _problem(self, line: int, path: str, reason: str) -> None:
        self.diagnostics.append(Diagnostic(self.name, line, path, reason))


def _join(prefix: str, key: object) -> str:
    return f"{prefix}.{key}" if prefix else str(key)

"""Safe YAML reading that keeps the line of every key and refuses hostile input.

Plain scalars are read with the YAML 1.2 core schema: ``3e-1``, ``.5``, ``+1.0`` and ``1E3`` are
numbers, ``true``/``false`` (any case form) the only booleans, and ``yes``, ``no``, ``on``,
``off`` or ``1:30`` stay strings. Dates written ``YYYY-MM-DD`` are read as dates. Merge keys
(``<<: *anchor``) merge a mapping or a list of mappings; keys written in the mapping itself win.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from sim.errors import Diagnostic, ScenarioError, display_path

MAX_FILE_BYTES = 1 << 20
"""Largest file read (1 MiB): a scenario is a page of text, not a data set."""

MAX_NODES = 200_000
"""Most YAML nodes built from one file, aliases counted each time they are expanded."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists, checked while the document is composed."""

MAX_INT_DIGITS = 100
"""Longest integer read (in digits); a larger one is refused, not converted."""

Path_ = tuple[str | int, ...]
LineMap = dict[Path_, int]

_TAG = "tag:yaml.org,2002:"
_COLLECTIONS = (_TAG + "map", _TAG + "seq")
_SURROGATE = re.compile("[\ud800-\udfff]")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {".inf": float("inf"), ".nan": float("nan")}


class _CoreResolver(BaseResolver):
    """Implicit tags of the YAML 1.2 core schema, plus dates and merge keys."""


for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", rf"^(?:{_INT.pattern})$", list("-+0123456789")),
    (
        "float",
        rf"^(?:{_FLOAT.pattern}|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
    ("timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", list("0123456789")),
    ("merge", r"^(?:<<)$", ["<"]),
):
    _CoreResolver.add_implicit_resolver(_TAG + _tag, re.compile(_pattern), _first)


class _Composing(Composer, _CoreResolver):
    """PyYAML's composer with the YAML 1.2 core resolver; the values are built by
    :class:`_Builder`, never by PyYAML's constructors."""

    name: str
    depth: int

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """PyYAML composes recursively: refuse nesting deeper than MAX_DEPTH before Python's
        recursion limit is reached (the parsers themselves are iterative)."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise ScenarioError([_too_deep(self.name, mark.line + 1 if mark else None)])
            return Composer.compose_node(self, parent, index)
        finally:
            self.depth -= 1


class _Loader(_Composing, Reader, Scanner, Parser):
    """Reading with PyYAML's pure-Python scanner and parser."""

    def __init__(self, text: str, name: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _CoreResolver.__init__(self)
        self.name = name
        self.depth = 0


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without LibYAML: the pure-Python parser does the same
    _FastLoader: type[_Loader] | None = None
else:

    class _CLoader(_Composing, CParser):
        """The same, with LibYAML's scanner and parser (about ten times as fast); the
        composer, the resolver and the values stay the pure-Python ones above."""

        def __init__(self, text: str, name: str) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            _CoreResolver.__init__(self)
            self.name = name
            self.depth = 0

    _FastLoader = _CLoader  # type: ignore[assignment]


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read one YAML file as plain Python data plus the line of every mapping key and item.

    Raises
    ------
    ScenarioError
        The file is missing, not a regular file, unreadable, too large, not UTF-8, malformed,
        nested too deeply, has duplicate keys, a value that cannot be read (an integer of more
        than :data:`MAX_INT_DIGITS` digits, an invalid date, a lone surrogate, an unknown tag),
        or expands to too many nodes.
    """
    name = display_path(path)
    text = _read_text(path, name)
    if _FastLoader is not None:
        try:
            return _parse(text, name, _FastLoader)
        except yaml.YAMLError:
            pass  # malformed: the pure-Python parser below says precisely what and where
    try:
        return _parse(text, name, _Loader)
    except yaml.YAMLError as error:
        raise ScenarioError([_yaml_problem(name, error)]) from None


def _parse(text: str, name: str, kind: type[_Composing]) -> tuple[Any, LineMap]:
    """Compose and build one document; YAML errors propagate, others are ScenarioErrors."""
    loader: Any = None
    try:
        loader = kind(text, name)  # type: ignore[call-arg]
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([Diagnostic(name, None, "", "file is empty; expected a mapping")])
        builder = _Builder(name)
        data = builder.build(node, ())
    finally:
        if loader is not None:
            loader.dispose()
    if builder.diagnostics:
        raise ScenarioError(builder.diagnostics)
    return data, builder.lines


def plain_scalar(text: str) -> Any:
    """A value written as a plain YAML scalar, read as a scenario file reads it (YAML 1.2
    core schema): for values given on the command line. Text that is not a valid value of
    its type (a 5,000-digit integer, a month 13) stays a string.

    Examples
    --------
    >>> [plain_scalar(t) for t in ("3e-1", ".5", "2", "true", "yes", "~", "neutral")]
    [0.3, 0.5, 2, True, 'yes', None, 'neutral']
    """
    tag = _CoreResolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    node = yaml.ScalarNode(tag, text)
    builder = _Builder("")
    value = builder._scalar(node, ())
    return text if builder.diagnostics else value


def _read_text(path: Path, name: str) -> str:
    """The file's text: a regular file of at most MAX_FILE_BYTES bytes of UTF-8."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        reason = "is a folder, not a file" if error.errno == 21 else _cannot_read(error)
        raise ScenarioError([Diagnostic(name, None, "", reason)]) from None
    try:
        status = os.fstat(descriptor)
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            raise ScenarioError([Diagnostic(name, None, "", "is a folder, not a file")])
        if not stat.S_ISREG(mode):
            reason = "is not a regular file (a device, pipe or socket)"
            raise ScenarioError([Diagnostic(name, None, "", reason)])
        if status.st_size > MAX_FILE_BYTES:
            raise ScenarioError([_too_large(name, status.st_size)])
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES and (chunk := os.read(descriptor, 1 << 16)):
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
    except OSError as error:
        raise ScenarioError([Diagnostic(name, None, "", _cannot_read(error))]) from None
    finally:
        os.close(descriptor)
    if len(raw) > MAX_FILE_BYTES:  # it grew after fstat
        raise ScenarioError([_too_large(name, len(raw))])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 text (byte {error.start}: {error.reason})"
        raise ScenarioError([Diagnostic(name, None, "", reason)]) from None


def _too_large(name: str, size: int) -> Diagnostic:
    reason = f"file is {size} bytes; scenario files are limited to {MAX_FILE_BYTES}"
    return Diagnostic(name, None, "", reason)


def _cannot_read(error: OSError) -> str:
    return f"cannot read: {error.strerror or error}"


def _too_deep(name: str, line: int | None) -> Diagnostic:
    reason = f"YAML nested more than {MAX_DEPTH} levels deep; a scenario never needs that"
    return Diagnostic(name, line, "", reason)


def _yaml_problem(name: str, error: yaml.YAMLError) -> Diagnostic:
    if isinstance(error, yaml.reader.ReaderError):
        reason = f"character #x{error.character:04x} at position {error.position} is not allowed"
        return Diagnostic(name, None, "", f"malformed YAML: {reason}")
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    shown = problem.encode("utf-8", "backslashreplace").decode("utf-8")
    return Diagnostic(name, line, "", f"malformed YAML: {shown}")


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: LineMap = {}
        self.diagnostics: list[Diagnostic] = []
        self.nodes = 0
        self.merging = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or len(path) > MAX_DEPTH:
            reason = (
                f"too many or too deeply nested YAML nodes (limit {MAX_NODES} nodes, depth "
                f"{MAX_DEPTH}); runaway alias expansion is refused"
            )
            raise ScenarioError([Diagnostic(self.name, node.start_mark.line + 1, "", reason)])
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _COLLECTIONS:
            where = ".".join(str(p) for p in path)
            kind = "mapping" if isinstance(node, yaml.MappingNode) else "sequence"
            reason = f"unsupported YAML tag {_printable(node.tag)} on a {kind}"
            self._problem(node.start_mark.line + 1, where, reason)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                self.lines[(*path, i)] = item.start_mark.line + 1
                items.append(self.build(item, (*path, i)))
            return items
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        """The mapping's own keys (a repeated one is a problem) and, where a merge key stands,
        the merged mappings' keys that the mapping does not give itself."""
        where = ".".join(str(p) for p in path)
        pairs: list[tuple[str | None, yaml.Node, yaml.Node]] = []
        own: set[str] = set()
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(line, where, "a mapping key must be a plain name")
            elif key_node.tag == _TAG + "merge":
                pairs.append((None, key_node, value_node))
            else:
                # The key as written: YAML 1.1 would turn `no` or `on` into booleans.
                key = str(key_node.value)
                if _SURROGATE.search(key):
                    self._problem(line, where, f"key {_printable(key)} {_SURROGATE_REASON}")
                elif key in own:
                    self._problem(line, _join(where, key), f"duplicate key {key!r}")
                else:
                    own.add(key)
                    pairs.append((key, key_node, value_node))
        result: dict[str, Any] = {}
        for own_key, key_node, value_node in pairs:
            if own_key is not None:
                self.lines[(*path, own_key)] = key_node.start_mark.line + 1
                result[own_key] = self.build(value_node, (*path, own_key))
            else:
                self._merge(result, own, value_node, path)
        return result

    def _merge(self, result: dict[str, Any], own: set[str], source: yaml.Node, path: Path_) -> None:
        sources = source.value if isinstance(source, yaml.SequenceNode) else [source]
        self.merging += 1
        for item in sources:
            self.nodes += 1
            if self.nodes > MAX_NODES or self.merging > MAX_DEPTH:
                reason = f"merge keys (<<) nested more than {MAX_DEPTH} deep or too many nodes"
                raise ScenarioError([Diagnostic(self.name, item.start_mark.line + 1, "", reason)])
            if not isinstance(item, yaml.MappingNode):
                reason = "a merge key (<<) takes a mapping or a list of mappings"
                self._problem(item.start_mark.line + 1, ".".join(map(str, path)), reason)
                continue
            kept, self.lines = self.lines, {}
            merged = self._mapping(item, path)
            lines, self.lines = self.lines, kept
            for key, value in merged.items():
                if key not in own and key not in result:
                    result[key] = value
                    depth = len(path)
                    self.lines.update((k, v) for k, v in lines.items() if k[depth] == key)
        self.merging -= 1

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        line = node.start_mark.line + 1 if node.start_mark is not None else 0
        where = ".".join(str(p) for p in path)
        tag = node.tag[len(_TAG) :] if node.tag.startswith(_TAG) else node.tag
        text = str(node.value)
        if _SURROGATE.search(text):
            self._problem(line, where, f"the text {_SURROGATE_REASON}")
            return text
        if tag == "str":
            return text
        if tag == "null":
            return None
        if tag == "bool" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if tag == "int" and _INT.fullmatch(text):
            digits = len(text.lstrip("+-"))
            if digits > MAX_INT_DIGITS:
                reason = f"integer of {digits} digits; at most {MAX_INT_DIGITS} are read"
                self._problem(line, where, reason)
                return 0
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
        if tag == "float":
            special = text.lower().lstrip("+-")
            if special in _SPECIAL_FLOATS:
                return (
                    -_SPECIAL_FLOATS[special] if text.startswith("-") else _SPECIAL_FLOATS[special]
                )
            if _FLOAT.fullmatch(text):
                return float(text)
        if tag == "timestamp":
            try:
                return datetime.date(*map(int, text.split("-")))
            except (ValueError, TypeError):  # a month 13, or !!timestamp on other text
                self._problem(line, where, f"{_printable(text)} is not a valid date (YYYY-MM-DD)")
                return text
        if tag in ("null", "bool", "int", "float"):
            reason = f"{_printable(text)} is not a valid {tag} (YAML 1.2 core schema)"
        else:
            reason = f"unsupported YAML tag {_printable(node.tag)} on {_printable(text)}"
        self._problem(line, where, reason)
        return text

    def _problem(self, line: int, path: str, reason: str) -> None:
        self.diagnostics.append(Diagnostic(self.name, line, path, reason))


_SURROGATE_REASON = (
    "holds a lone surrogate (an escape such as \\udc80), which is not a Unicode character"
)


def _printable(text: str, limit: int = 40) -> str:
    """A value for a message: quoted, surrogates escaped, cut to ``limit`` characters."""
    shown = text if len(text) <= limit else text[:limit] + "..."
    return repr(shown).encode("utf-8", "backslashreplace").decode("utf-8")


def _join(prefix: str, key: object) -> str:
    return f"{prefix}.{key}" if prefix else str(key)

"""Dotted paths into scenario documents, as `set:` and sweeps use them."""

from __future__ import annotations

import copy
from typing import Any

from sim.errors import Diagnostic
from sim.model.yamlio import Path_

Origin = dict[Path_, tuple[str, int]]
"""Where each key of a resolved document came from: (file, line)."""


def is_lever_value(dotted: str) -> bool:
    """Whether a dotted path is a lever's value (``levers.<name>.value``): levers reach only
    the war model's coefficients, never the value tables, red lines, consent, vetoes or
    powers."""
    parts = dotted.split(".")
    return len(parts) == 3 and parts[0] == "levers" and parts[2] == "value"


def set_path(data: dict[str, Any], dotted: str, value: Any) -> str | None:
    """Replace the value at a dotted path; return why it cannot be done, or None."""
    segments = dotted.split(".")
    if not dotted or any(not s for s in segments):
        return "empty path segment"
    node: Any = data
    for depth, name in enumerate(segments[:-1]):
        at = ".".join(segments[: depth + 1])
        inner = child(node, name)
        if inner is None:
            present = isinstance(node, dict) and name in node
            return f"{at!r} is not a mapping" if present else f"no such field {at!r}"
        node = inner
    last = segments[-1]
    if isinstance(node, dict):
        node[last] = copy.deepcopy(value)
        return None
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = copy.deepcopy(value)
        return None
    return f"{'.'.join(segments[:-1])!r} is not a mapping"


def child(node: Any, name: str) -> Any:
    """The mapping or list under ``name`` (a key, or a list index), or None."""
    if isinstance(node, dict):
        value = node.get(name)
        return value if isinstance(value, dict | list) else None
    if isinstance(node, list) and name.isdigit() and int(name) < len(node):
        item = node[int(name)]
        return item if isinstance(item, dict | list) else None
    return None


def segment(text: str) -> str | int:
    """A path segment as a document key: list indices are ints."""
    return int(text) if text.isdigit() else text


def document_paths(document: Any, prefix: str = "") -> list[str]:
    """Every dotted path a document holds (mappings and their keys, list items by index).

    Examples
    --------
    >>> document_paths({"levers": {"aid": {"value": 1}}, "tags": ["a"]})
    ['levers', 'levers.aid', 'levers.aid.value', 'tags', 'tags.0']
    """
    found: list[str] = []
    items = (
        document.items()
        if isinstance(document, dict)
        else enumerate(document)
        if isinstance(document, list)
        else ()
    )
    for key, value in items:
        dotted = f"{prefix}{key}"
        found.append(dotted)
        found += document_paths(value, dotted + ".")
    return found


def closest_path(dotted: str, document: dict[str, Any]) -> str | None:
    """The path of ``document`` closest in spelling to ``dotted`` (difflib's ratio of at least
    0.8, Ratcliff and Obershelp 1988), or None; ``dotted`` itself is never suggested.

    Examples
    --------
    >>> closest_path("levers.aid.valeu", {"levers": {"aid": {"value": 1}, "momentum": {}}})
    'levers.aid.value'
    >>> closest_path("nothing.like.it", {"levers": {"aid": {"value": 1}}}) is None
    True
    """
    import difflib

    candidates = [p for p in document_paths(document) if p != dotted]
    found = difflib.get_close_matches(dotted, candidates, n=1, cutoff=0.8)
    return found[0] if found else None


def blame_override(
    diagnostic: Diagnostic, overridden: list[str], document: dict[str, Any], source: str
) -> Diagnostic:
    """A problem at or below an overridden path, blamed on ``source`` (the command line)
    instead of a line of the scenario file; an unknown path gains the closest known one."""
    path = diagnostic.path
    hit = next((o for o in overridden if path == o or path.startswith(o + ".")), None)
    if hit is None:
        return diagnostic
    reason = diagnostic.reason
    if reason == "unknown key" or reason.startswith("no such field"):
        suggestion = closest_path(path, document)
        if suggestion is not None:
            reason = f"{reason}; did you mean {suggestion}?"
    return Diagnostic(source, None, path, reason)

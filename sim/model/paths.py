"""Dotted paths into scenario documents, as `set:` and sweeps use them."""

from __future__ import annotations

import copy
from typing import Any

from sim.model.yamlio import Path_

Origin = dict[Path_, tuple[str, int]]
"""Where each key of a resolved document came from: (file, line)."""


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

"""How typed results show themselves in a notebook, without the results importing the
renderers above them: the API layer registers a loader, and the first display runs it.

>>> from dataclasses import dataclass
>>> @dataclass
... class Point:
...     x: int
>>> as_html(Point(1))
'<pre>Point(x=1)</pre>'
>>> register(Point, lambda p: f"x is {p.x} & more")
>>> as_html(Point(1))
'<pre>x is 1 &amp; more</pre>'
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

_RENDERERS: dict[type, Callable[[Any], str]] = {}
_LOADERS: list[Callable[[], None]] = []


def register(kind: type, render: Callable[[Any], str]) -> None:
    """Show values of ``kind`` as ``render(value)`` (plain text)."""
    _RENDERERS[kind] = render


def register_loader(load: Callable[[], None]) -> None:
    """Run ``load`` (which calls :func:`register`) before the first display."""
    _LOADERS.append(load)


def as_text(value: object) -> str:
    """``value`` as its registered renderer shows it, else its ``repr``."""
    while _LOADERS:
        _LOADERS.pop(0)()
    render = _RENDERERS.get(type(value))
    return render(value) if render is not None else repr(value)


def as_html(value: object) -> str:
    """:func:`as_text` as preformatted, escaped HTML (a notebook's ``_repr_html_``)."""
    return f"<pre>{html.escape(as_text(value))}</pre>"

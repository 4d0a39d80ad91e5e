"""Which analyses a run computes: every one by default, else those ``--only`` (the API's
``only=``) or the scenario's ``analyses:`` names.

``space`` (the counts) is always computed: every other analysis is about that space, and the
outcome table starts with its counts. ``games`` brings ``bargaining`` with it: the compliance
games are played over the bargaining protocols' agreements. ``frontier`` and ``solutions`` come
from the same pass over the space as the counts; leaving them out shortens the output, while
leaving out ``proposals``, ``bargaining`` and ``games`` skips their work (and their imports).
"""

from __future__ import annotations

from collections.abc import Iterable

from sim.errors import InputError
from sim.model.schema import ANALYSES, Scenario

ALWAYS = ("space",)
"""Computed whatever is asked."""

REQUIRES = {"games": ("bargaining",)}
"""Analyses that need another one computed first."""

NOT_ASKED = "{name}: not computed (not asked for)"
"""How the output says what a selection left out."""


def closure(names: Iterable[str]) -> tuple[str, ...]:
    """The names, what they need and :data:`ALWAYS`, in :data:`ANALYSES` order."""
    chosen = set(names) | set(ALWAYS)
    for name in list(chosen):
        chosen.update(REQUIRES.get(name, ()))
    return tuple(name for name in ANALYSES if name in chosen)


def parse_only(text: str | Iterable[str], option: str = "--only") -> tuple[str, ...]:
    """Names given as ``a,b,c`` (or a list), checked and closed under what they need.

    Raises
    ------
    InputError
        Naming ``option``, the unknown name and the known ones.
    """
    raw = text.split(",") if isinstance(text, str) else list(text)
    names = [name.strip() for name in raw if name.strip()]
    known = ", ".join(ANALYSES)
    if not names:
        raise InputError(f"{option}: name at least one analysis (known: {known})")
    for name in names:
        if name not in ANALYSES:
            raise InputError(f"{option}: unknown analysis {name!r} (known: {known})")
    return closure(names)


def selected(only: tuple[str, ...] | None, scenario: Scenario) -> tuple[str, ...] | None:
    """The analyses to compute for ``scenario``: ``only`` if given, else its ``analyses:``,
    else None (every one)."""
    if only is not None:
        return closure(only)
    if scenario.analyses is not None:
        return closure(scenario.analyses)
    return None


def left_out(analyses: tuple[str, ...]) -> tuple[str, ...]:
    """The analyses a selection does not compute, in :data:`ANALYSES` order."""
    return tuple(name for name in ANALYSES if name not in analyses)

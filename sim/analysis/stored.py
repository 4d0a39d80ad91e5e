"""The typed outcome as a run folder stores it, and read back: :func:`outcome_to_json` and
:func:`outcome_from_json`.

Every field of :class:`~sim.analysis.outcome.Outcome` and of the dataclasses it holds is
written as its type annotation says, so that reading it back gives an equal outcome (every
renderer: the document, the table row, the text and the report, gives the same output; tested
on every fixture): numbers exactly (a float as its shortest exact decimal; NaN and the
infinities as the strings ``"nan"``, ``"inf"``, ``"-inf"``), arrays as their dtype, shape and
values, a verdict as its words, a member of a union of several dataclasses, or a game, with
its type's name (a game is read back as the registered kind of that name,
:data:`sim.analysis.games.GAMES`), and a bargaining solution by its key and name (read back as
the registered rule of that key, or, for a rule no longer registered, one that only names
itself).

The encoding follows the annotations, so a field added to an outcome dataclass is stored and
read back with no change here.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from enum import Enum
from typing import Any, Union

import numpy as np

from sim.analysis.games import outcome_classes
from sim.analysis.outcome import GameOutcome, Outcome
from sim.core.solutions import SolutionInputs, SolutionRule
from sim.errors import InputError

FORMAT = 1
"""The version of the stored form; a folder written in another is analysed again."""

ANALYSIS = "analysis.json"
"""The file of a run folder holding its outcomes, typed (``sim.runs.run.stored_outcomes``)."""

_HINTS: dict[type, dict[str, Any]] = {}


def _annotations(cls: type) -> dict[str, Any]:
    """The resolved type hints of a dataclass (names imported for annotations only, e.g.
    the games' profile type, resolved from the modules that define them)."""
    if cls not in _HINTS:
        from sim.games.crosscheck import CrossCheck
        from sim.games.game import MixedProfile

        # each class's fields resolve in its own module (a game's inherited ``game`` in the
        # module of NormalFormOutcome), with the names imported there for annotations only
        names = {"CrossCheck": CrossCheck, "MixedProfile": MixedProfile}
        _HINTS[cls] = typing.get_type_hints(cls, localns=names)
    return _HINTS[cls]


def _members(tp: Any) -> list[Any]:
    """The types of a union other than None, or ``[tp]``."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp]


def _float(value: float) -> float | str:
    value = float(value)
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _encode(value: Any, tp: Any) -> Any:
    if value is None:
        return None
    members = _members(tp)
    if len(members) > 1 or GameOutcome in members:  # tagged with the type's name
        return {"type": type(value).__name__, "value": _encode(value, type(value))}
    tp = members[0]
    origin = typing.get_origin(tp)
    if tp is SolutionRule:
        return {"key": value.key, "label": value.label}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _annotations(tp)
        return {f.name: _encode(getattr(value, f.name), hints[f.name]) for f in _fields(tp)}
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return [_encode(v, args[0]) for v in value]
        return [_encode(v, a) for v, a in zip(value, args, strict=True)]
    if origin is dict:
        _, item = typing.get_args(tp)
        return {str(k): _encode(v, item) for k, v in value.items()}
    if origin is np.ndarray:
        array = np.asarray(value)
        data = array.ravel().tolist()
        if array.dtype.kind == "f":
            data = [_float(v) for v in data]
        return {"dtype": array.dtype.str, "shape": list(array.shape), "data": data}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return value.value
    if tp is float:
        return _float(value)
    if tp in (int, bool, str):
        return tp(value)
    raise TypeError(f"cannot store a {tp!r}")


def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


def _unregistered(_: SolutionInputs) -> int | None:
    raise InputError("a stored solution whose rule is no longer registered cannot be applied")


def _decode(data: Any, tp: Any, path: str) -> Any:
    if data is None:
        if type(None) not in typing.get_args(tp) and tp is not type(None):
            raise ValueError(f"{path}: missing")
        return None
    members = _members(tp)
    if len(members) > 1 or GameOutcome in members:  # a game: by its registered name
        by_name = outcome_classes() if GameOutcome in members else {m.__name__: m for m in members}
        if not isinstance(data, dict) or data.get("type") not in by_name:
            raise ValueError(f"{path}: not one of {', '.join(by_name)}")
        return _decode(data["value"], by_name[data["type"]], path)
    tp = members[0]
    origin = typing.get_origin(tp)
    if tp is SolutionRule:
        registered = {rule.key: rule for rule in _rules()}
        key, label = str(data["key"]), str(data["label"])
        return registered.get(key) or SolutionRule(key, label, _unregistered)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise ValueError(f"{path}: not a mapping")
        hints = _annotations(tp)
        return tp(
            **{
                f.name: _decode(data.get(f.name), hints[f.name], f"{path}.{f.name}")
                for f in _fields(tp)
            }
        )
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(data, list):
            raise ValueError(f"{path}: not a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(v, args[0], f"{path}[{k}]") for k, v in enumerate(data))
        if len(data) != len(args):
            raise ValueError(f"{path}: {len(data)} items, not {len(args)}")
        pairs = enumerate(zip(data, args, strict=True))
        return tuple(_decode(v, a, f"{path}[{k}]") for k, (v, a) in pairs)
    if origin is dict:
        _, item = typing.get_args(tp)
        return {k: _decode(v, item, f"{path}.{k}") for k, v in data.items()}
    if origin is np.ndarray:
        dtype = np.dtype(data["dtype"])
        values = data["data"]
        if dtype.kind == "f":
            values = [float(v) for v in values]
        array = np.array(values, dtype=dtype).reshape(data["shape"])
        array.setflags(write=False)
        return array
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            raise ValueError(f"{path}: not a number")
        return float(data)
    if tp is bool:
        if not isinstance(data, bool):
            raise ValueError(f"{path}: not true or false")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise ValueError(f"{path}: not a whole number")
        return data
    if tp is str:
        if not isinstance(data, str):
            raise ValueError(f"{path}: not text")
        return data
    raise ValueError(f"{path}: cannot read a {tp!r}")


def _rules() -> tuple[SolutionRule, ...]:
    from sim.core import solutions

    return solutions.SOLUTION_RULES


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    """The outcome, every field, as JSON-ready data (:func:`outcome_from_json` reads it)."""
    return typing.cast(dict[str, Any], _encode(outcome, Outcome))


def outcome_from_json(data: Any, where: str) -> Outcome:
    """The outcome :func:`outcome_to_json` wrote.

    Raises
    ------
    InputError
        ``data`` is not a stored outcome (the message names ``where`` and the field).
    """
    try:
        return typing.cast(Outcome, _decode(data, Outcome, "outcome"))
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"{where}: not a stored outcome ({error})") from None

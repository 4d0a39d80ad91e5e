"""Reading other tools' files without trusting them: a size cap applied while reading (so that
``/dev/zero`` or a growing file is refused at once), strict numbers, and JSON without duplicate
keys, giant integers or runaway nesting.

Every error is an :class:`~sim.errors.InputError` naming the file and the reason.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import InputError, display_path

MAX_JSON_DEPTH = 64
"""Deepest nesting of JSON arrays and objects read; a GeniusWeb profile needs five levels."""

MAX_DIGITS = 100
"""Longest integer read from JSON (in digits); a longer one is refused, not converted."""

_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def read_capped(path: Path, limit: int, kind: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, read no further than that.

    A device, a pipe or a folder is refused before reading (a FIFO is opened without waiting
    for a writer); a file larger than ``limit`` is refused from its size, or after reading
    ``limit + 1`` bytes if it grows.

    Raises
    ------
    InputError
        The file is missing, unreadable, not a regular file or too large.
    """
    name = display_path(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        reason = (
            "is a folder, not a file" if error.errno == 21 else f"cannot read: {error.strerror}"
        )
        raise InputError(f"{name}: {reason}") from None
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise InputError(f"{name}: is a folder, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise InputError(f"{name}: is not a regular file (a device, pipe or socket)")
        if status.st_size > limit:
            raise InputError(_too_large(name, status.st_size, limit, kind))
        chunks: list[bytes] = []
        size = 0
        while size <= limit and (chunk := os.read(descriptor, 1 << 16)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise InputError(f"{name}: cannot read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if size > limit:  # it grew after fstat, or the system reports no size
        raise InputError(f"{name}: file is more than {limit} bytes; {kind} files are limited")
    return b"".join(chunks)


def _too_large(name: str, size: int, limit: int, kind: str) -> str:
    return f"{name}: file is {size} bytes; {kind} files are limited to {limit}"


def strict_number(text: str) -> float | None:
    """An ASCII decimal number (``0.5``, ``-3``, ``1e-3``) as a finite float; None for
    anything else, including what :func:`float` would also take: ``0_5``, full-width or other
    non-ASCII digits, ``inf``, ``nan``, surrounding spaces, and numbers beyond the doubles
    (``1e400``).

    Examples
    --------
    >>> [strict_number(t) for t in ("0.25", "0_5", "\\uff14", "1e400")]
    [0.25, None, None, None]
    """
    if not _DECIMAL.fullmatch(text) or len(text) > 400:
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped).

    Examples
    --------
    >>> json_depth(b'{"a": [1, {"b": "[[["}]}')
    3
    """
    bare = _STRINGS.sub(b'""', raw)
    codes = np.frombuffer(bare, dtype=np.uint8)
    steps = np.isin(codes, (ord("["), ord("{"))).astype(np.int64)
    steps -= np.isin(codes, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max(initial=0))


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


class _Refused(ValueError):
    pass


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"an integer of {len(text.lstrip('-'))} digits; at most {MAX_DIGITS}")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:40]} is beyond the range of doubles")
    return value


def _constant(text: str) -> float:
    raise _Refused(f"{text} is not a JSON number")


def read_json(path: Path, limit: int) -> Any:
    """Parse a JSON file of at most ``limit`` bytes (UTF-8) that has no key twice in an
    object, no integer longer than :data:`MAX_DIGITS` digits, no number beyond the doubles,
    no ``NaN``/``Infinity`` and no nesting deeper than :data:`MAX_JSON_DEPTH`.

    Raises
    ------
    InputError
        One message naming the file (and the line where the parser knows it) and the reason.
    """
    file = display_path(path)
    raw = read_capped(path, limit, "JSON")
    depth = json_depth(raw)
    if depth > MAX_JSON_DEPTH:
        raise InputError(
            f"{file}: JSON nested {depth} levels deep; at most {MAX_JSON_DEPTH} are read"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{file}: not UTF-8 text (byte {error.start}: {error.reason})") from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as error:
        raise InputError(
            f"{file}:{error.lineno}: malformed JSON: {error.msg} (column {error.colno})"
        ) from None
    except _Refused as error:
        raise InputError(f"{file}: {error}") from None
    except (ValueError, RecursionError) as error:  # the interpreter's own limits
        raise InputError(f"{file}: unreadable JSON: {error}") from None

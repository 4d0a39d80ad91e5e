"""Numbers as the outcome documents store them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def floats(values: Iterable[float]) -> tuple[float, ...]:
    """Numbers (e.g. a numpy array's) as a tuple of Python floats, as the outcome holds them."""
    return tuple(float(v) for v in values)


def rounded(value: float) -> float | None:
    """A number as the documents store it: 12 decimals, None for NaN."""
    return None if math.isnan(value) else round(float(value), 12)


def by_name(names: Sequence[str], values: Sequence[float]) -> dict[str, float | None]:
    return {name: rounded(v) for name, v in zip(names, values, strict=True)}

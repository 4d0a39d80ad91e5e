"""Plain-Python helpers shared by the brute-force oracles: no numpy, nothing from the engine."""

from __future__ import annotations

TOL = 1e-12
"""SPEC §1's tolerance for comparisons, as the engine's default."""


def dominates(a: list[float], b: list[float]) -> bool:
    """``a`` is at least ``b`` in every column (within TOL) and above it in one."""
    return all(x >= y - TOL for x, y in zip(a, b, strict=True)) and any(
        x > y + TOL for x, y in zip(a, b, strict=True)
    )


def pick(scores: list[tuple[float, int]]) -> int | None:
    """The bundle index of the best score; scores within TOL of it are ties, which go to the
    lowest index; None when there is nothing to pick."""
    if not scores:
        return None
    best = max(score for score, _ in scores)
    return min(index for score, index in scores if score >= best - TOL)

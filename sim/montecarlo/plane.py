"""Frontier and solutions of two veto parties for a whole block of draws at once.

With two veto parties the frontier of a set of utility pairs is found by one sort (first
party's utility descending, then the second's, then bundle index) and a running maximum of
the second party's utility: a pair is on the frontier when it beats every pair before it.
Exact duplicates fall behind their lowest-index twin and are left out, as SPEC §1's ties are.

SPEC §1 groups utilities within ``tol`` as identical (:mod:`sim.core.pareto` clusters each
column into tolerance classes). Draws in which two different acceptable utilities of a party
lie within ``tol`` of each other are flagged, and the caller computes those draws with the
core's own functions; in every other draw the classes are the distinct values, and this path
decides exactly as the core does. The solutions follow :mod:`sim.core.solutions`: objectives
within ``tol`` of the best tie and go to the lowest bundle index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class PlaneResult:
    """Per draw: frontier size, solution bundle indices (-1: none) and whether this path left
    the draw to the core (``to_core``: near ties; in the many-judge layer also a draw with more
    survivors than one pairwise comparison may hold), which the caller computes then."""

    frontier: NDArray[np.int64]
    solutions: NDArray[np.int64]
    to_core: NDArray[np.bool_]


def choose(
    objective: NDArray[np.float64],
    allowed: NDArray[np.bool_],
    indices: NDArray[np.int64],
    tol: float,
) -> NDArray[np.int64]:
    """Per row, the bundle index maximising ``objective`` among ``allowed`` columns, ties
    within ``tol`` to the lowest index; -1 where nothing is allowed (as ``best_row``)."""
    masked = np.where(allowed, objective, -np.inf)
    best = masked.max(axis=1, keepdims=True)
    near = allowed & (masked >= best - tol)
    big = np.iinfo(np.int64).max
    chosen = np.where(near, indices, big).min(axis=1)
    return np.where(allowed.any(axis=1), chosen, -1)


def plane_layer(
    columns: list[NDArray[np.float64]],
    valid: NDArray[np.bool_],
    indices: NDArray[np.int64],
    reservation: NDArray[np.float64],
    power: NDArray[np.float64],
    tol: float,
) -> PlaneResult:
    """Frontier size and the four solutions (Nash, KS, egalitarian, utilitarian) per draw.

    Parameters
    ----------
    columns
        Two ``(n, w)`` arrays: each veto party's utility of each draw's acceptable bundles,
        ``-inf`` where ``valid`` is False.
    valid
        ``(n, w)`` which slots hold an acceptable bundle.
    indices
        ``(n, w)`` the bundles' indices.
    reservation, power
        ``(n, 2)`` the veto parties' reservation values and powers in each draw.
    """
    n = valid.shape[0]
    near = np.zeros(n, dtype=np.bool_)
    with np.errstate(invalid="ignore"):
        for column in columns:
            ordered = np.sort(column, axis=1)
            gaps = np.diff(ordered, axis=1)
            near |= ((gaps > 0) & (gaps <= tol)).any(axis=1)
    rank = np.lexsort((indices, -columns[1], -columns[0]), axis=1)
    first = np.take_along_axis(columns[0], rank, axis=1)
    second = np.take_along_axis(columns[1], rank, axis=1)
    indices = np.take_along_axis(indices, rank, axis=1)
    valid = np.take_along_axis(valid, rank, axis=1)
    before = np.maximum.accumulate(second, axis=1)
    before = np.concatenate([np.full((n, 1), -np.inf), before[:, :-1]], axis=1)
    front = valid & (second > before)
    gain_first = first - reservation[:, :1]
    gain_second = second - reservation[:, 1:]
    positive = front & (gain_first > tol) & (gain_second > tol)
    with np.errstate(divide="ignore", invalid="ignore"):
        nash = (
            np.log(np.where(positive, gain_first, 1.0)) * power[:, :1]
            + np.log(np.where(positive, gain_second, 1.0)) * power[:, 1:]
        )
        span_first = np.where(front, first, -np.inf).max(axis=1, keepdims=True)
        span_first = span_first - reservation[:, :1]
        span_second = np.where(front, second, -np.inf).max(axis=1, keepdims=True)
        span_second = span_second - reservation[:, 1:]
        ratios = [
            np.where(span > tol, gain / np.where(span > tol, span, 1.0), np.inf)
            for gain, span in ((gain_first, span_first), (gain_second, span_second))
        ]
        ks = np.minimum(ratios[0], ratios[1])
        ks = np.where(np.isinf(ks) & (ks > 0), 0.0, ks)
    solutions = np.stack(
        [
            choose(nash, positive, indices, tol),
            choose(ks, front, indices, tol),
            choose(np.minimum(gain_first, gain_second), front, indices, tol),
            choose(first + second, front, indices, tol),
        ],
        axis=1,
    )
    return PlaneResult(front.sum(axis=1).astype(np.int64), solutions, near)

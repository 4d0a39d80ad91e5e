"""Frontier and solutions of any number of judges, with consent, for a whole block of draws.

The per-draw core (:func:`sim.core.pareto.distinct_pareto_front` and
:func:`sim.core.solutions.bargaining_solutions`) costs about a millisecond a draw, most of it
the overhead of many small array operations. Here the same decisions are taken for many draws
at once:

1. **Near ties.** As in :mod:`sim.montecarlo.plane`, a draw in which two different utilities
   of one judge lie within ``tol`` of each other is flagged and left to the core; in every
   other draw the tolerance classes are the distinct values, so dominance and identity are
   plain float comparisons.
2. **A first strike.** The row of largest sum covers every row that is at least as large in
   every column and smaller in one: those rows are dominated and are struck. The next row of
   largest sum not struck nor identical to a striker strikes again, and so on
   (:data:`STRIKES`); a row on the front, or identical to one, is never covered, so the front
   and its ties survive.
3. **Every pair of the rest.** The survivors of each draw (a few dozen where hundreds were
   acceptable) are compared pairwise: a row is on the front when no survivor dominates it, and
   listed when no identical survivor has a lower bundle index (SPEC §1's ties).
4. **The four solutions** of :data:`sim.montecarlo.static.PLANE_NAMES`, over the front, each
   as its rule in :mod:`sim.core.solutions` computes it (with consent: over each bundle's
   deciders), ties within ``tol`` to the lowest bundle index.

A block is taken :data:`PIECE_DRAWS` draws at a time; within a piece, draws are compared in
order of their number of survivors, in chunks whose pairwise comparison stays within
:data:`PAIR_CELLS` cells, so padding stays small. A draw with more than :data:`WIDEST`
survivors (many judges can put most bundles on the front) is left to the core, whose filter
does not compare every pair.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from sim.montecarlo.plane import PlaneResult, choose

STRIKES = (4, 28)
"""Rows of largest sum that strike the rows they cover, per draw: a few over every acceptable
bundle, then more over the (packed) survivors."""

PIECE_DRAWS = 128
"""Draws taken at once: their arrays stay in cache (a block of thousands of draws is
memory-bound)."""

PAIR_CELLS = 1 << 22
"""Most draw x row x row cells compared at once."""

WIDEST = math.isqrt(PAIR_CELLS)
"""Most survivors of one draw compared pairwise; a draw with more (many judges put most
bundles on the front) is left to the core, whose filter does not compare every pair."""

_Floats = NDArray[np.float64]


def near_ties(columns: list[_Floats], valid: NDArray[np.bool_], tol: float) -> NDArray[np.bool_]:
    """``(n,)`` draws in which two different valid utilities of one column (``(n, w)``
    each) lie within ``tol`` of each other."""
    near = np.zeros(valid.shape[0], dtype=np.bool_)
    with np.errstate(invalid="ignore"):
        for column in columns:
            ordered = np.sort(np.where(valid, column, -np.inf), axis=1)
            gaps = np.diff(ordered, axis=1)
            near |= ((gaps > 0) & (gaps <= tol)).any(axis=1)
    return near


def strike(columns: list[_Floats], valid: NDArray[np.bool_], strikers: int) -> NDArray[np.bool_]:
    """``(n, w)`` the valid rows no striker covers (step 2 of the module notes), for every draw
    at once: ``columns`` holds one ``(n, w)`` array of utilities per judge.

    A row at most the striker in every column and of smaller sum differs from it, so is
    covered; a covered row whose float sum rounds to the striker's is kept (and left to the
    pairwise comparison)."""
    n, w = valid.shape
    sums = columns[0].copy()
    for column in columns[1:]:
        sums += column
    pool = np.where(valid, sums, -np.inf)  # sums of the rows that may still strike
    live = valid.copy()
    draws = np.arange(n)
    under = np.empty((n, w), dtype=np.bool_)  # at most the striker in every column
    below = np.empty((n, w), dtype=np.bool_)
    step = np.empty((n, w), dtype=np.bool_)
    for _ in range(strikers):
        top = np.argmax(pool, axis=1)
        total = pool[draws, top][:, None]
        some = np.isfinite(total)
        if not some.any():
            break
        np.less_equal(columns[0], columns[0][draws, top][:, None], out=under)
        for column in columns[1:]:
            np.less_equal(column, column[draws, top][:, None], out=step)
            under &= step
        np.less(sums, total, out=below)  # smaller sum (never where no striker is left)
        below &= under
        live &= ~below
        np.less_equal(sums, total, out=step)  # struck, or the striker's twin
        step &= under
        np.copyto(pool, -np.inf, where=step)
    return live


def packed_slots(
    keep: NDArray[np.bool_],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.int64], int]:
    """Where each kept cell of ``(n, w)`` goes when every draw's kept cells are moved to the
    front of its row, in order: its draw and position, its slot, each draw's count, and the
    width of the packed rows (the largest count, at least 1)."""
    rows, positions = np.nonzero(keep)
    counts = np.bincount(rows, minlength=keep.shape[0]).astype(np.int64)
    slot = np.arange(rows.shape[0]) - (np.cumsum(counts) - counts)[rows]
    return rows, positions, slot, counts, max(1, int(counts.max(initial=0)))


def _compact(
    keep: NDArray[np.bool_], *arrays: NDArray[np.generic]
) -> tuple[NDArray[np.bool_], list[NDArray[np.generic]]]:
    """The kept slots of each draw moved to the front of rows of the largest count kept."""
    rows, positions, slot, _, width = packed_slots(keep)
    valid = np.zeros((keep.shape[0], width), dtype=np.bool_)
    valid[rows, slot] = True
    moved = []
    for array in arrays:
        out = np.zeros((keep.shape[0], width, *array.shape[2:]), dtype=array.dtype)
        out[rows, slot] = array[rows, positions]
        moved.append(out)
    return valid, moved


def front_layer(
    columns: list[_Floats],
    valid: NDArray[np.bool_],
    indices: NDArray[np.int64],
    reservation: _Floats,
    power: _Floats,
    tol: float,
    deciders: NDArray[np.bool_] | None = None,
    vetoes: NDArray[np.bool_] | None = None,
) -> PlaneResult:
    """Frontier size and the four solutions per draw, for ``J`` judges.

    Parameters
    ----------
    columns
        ``J`` arrays ``(n, w)``: each judge's utility of each draw's acceptable bundles.
    valid
        ``(n, w)`` which slots hold an acceptable bundle.
    indices
        ``(n, w)`` the bundles' indices.
    reservation, power
        ``(n, J)`` the judges' reservation values and powers in each draw.
    deciders
        ``(n, w, J)`` whose consent each bundle needs (None: every judge decides every
        bundle); ``vetoes`` ``(J,)`` which judges are veto parties.
    """
    n = valid.shape[0]
    if n > PIECE_DRAWS:  # a piece at a time: its arrays stay in cache
        pieces = [
            front_layer(
                [c[lo : lo + PIECE_DRAWS] for c in columns],
                valid[lo : lo + PIECE_DRAWS],
                indices[lo : lo + PIECE_DRAWS],
                reservation[lo : lo + PIECE_DRAWS],
                power[lo : lo + PIECE_DRAWS],
                tol,
                None if deciders is None else deciders[lo : lo + PIECE_DRAWS],
                vetoes,
            )
            for lo in range(0, n, PIECE_DRAWS)
        ]
        return PlaneResult(
            np.concatenate([p.frontier for p in pieces]),
            np.concatenate([p.solutions for p in pieces]),
            np.concatenate([p.to_core for p in pieces]),
        )
    m = len(columns)
    to_core = near_ties(columns, valid, tol)
    frontier = np.zeros(n, dtype=np.int64)
    solutions = np.full((n, 4), -1, dtype=np.int64)
    todo = np.flatnonzero(~to_core & valid.any(axis=1))
    if todo.shape[0] == 0:
        return PlaneResult(frontier, solutions, to_core)
    arrays: list[NDArray[np.generic]] = [c[todo] for c in columns] + [indices[todo]]
    if deciders is not None:
        arrays.append(deciders[todo])
    keep = valid[todo]
    for strikers in STRIKES:  # strike, then pack each draw's survivors to the left
        keep = strike([np.asarray(a, dtype=np.float64) for a in arrays[:m]], keep, strikers)
        keep, arrays = _compact(keep, *arrays)
    survivors = keep.sum(axis=1)
    wide = survivors > WIDEST  # their pairs would not fit: the core's tree filter takes them
    to_core[todo[wide]] = True
    order = np.flatnonzero(~wide)[np.argsort(survivors[~wide], kind="stable")]
    start = 0
    while start < order.shape[0]:
        stop = start + 1
        while stop < order.shape[0]:
            width = max(1, int(survivors[order[stop]]))
            if (stop - start + 1) * width * width > PAIR_CELLS:
                break
            stop += 1
        chunk = order[start:stop]
        width = max(1, int(survivors[chunk[-1]]))
        draws = todo[chunk]
        frontier[draws], solutions[draws] = _chunk(
            np.stack([a[chunk, :width] for a in arrays[:m]], axis=2).astype(np.float64),
            keep[chunk, :width],
            np.asarray(arrays[m][chunk, :width], dtype=np.int64),
            reservation[draws],
            power[draws],
            tol,
            None if deciders is None else np.asarray(arrays[m + 1][chunk, :width], dtype=np.bool_),
            vetoes,
        )
        start = stop
    return PlaneResult(frontier, solutions, to_core)


def _chunk(
    u: _Floats,
    valid: NDArray[np.bool_],
    keys: NDArray[np.int64],
    reservation: _Floats,
    power: _Floats,
    tol: float,
    deciders: NDArray[np.bool_] | None,
    vetoes: NDArray[np.bool_] | None,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The front and solutions of draws whose survivors are compared pairwise."""
    c, s, m = u.shape
    covers = np.empty((c, s, s), dtype=np.bool_)  # [a, b]: b >= a in every column
    beats = np.empty((c, s, s), dtype=np.bool_)  # [a, b]: b > a in some column
    step = np.empty((c, s, s), dtype=np.bool_)
    covers[:] = valid[:, None, :]  # only kept rows compare
    beats[:] = False
    for j in range(m):
        column = np.ascontiguousarray(u[:, :, j])
        np.greater_equal(column[:, None, :], column[:, :, None], out=step)
        covers &= step
        np.greater(column[:, None, :], column[:, :, None], out=step)
        beats |= step
    np.logical_and(covers, beats, out=step)
    dominated = step.any(axis=2)
    np.less(keys[:, None, :], keys[:, :, None], out=step)  # [a, b]: b has the lower index
    step &= covers
    step &= ~beats
    twin = step.any(axis=2)
    front = valid & ~dominated & ~twin
    gains = u - reservation[:, None, :]
    chosen = np.stack(
        [
            _nash(gains, front, keys, power, tol, deciders, vetoes),
            _kalai_smorodinsky(u, gains, front, keys, reservation, tol, deciders),
            _egalitarian(gains, front, keys, tol, deciders),
            _utilitarian(u, front, keys, tol, deciders, vetoes),
        ],
        axis=1,
    )
    return front.sum(axis=1).astype(np.int64), chosen


def _weighted(values: _Floats, weights: _Floats) -> _Floats:
    """``sum_j values[..., j] * weights[:, j]`` per draw, column by column."""
    total = values[:, :, 0] * weights[:, None, 0]
    for j in range(1, values.shape[2]):
        total = total + values[:, :, j] * weights[:, None, j]
    return total


def _nash(
    gains: _Floats,
    front: NDArray[np.bool_],
    keys: NDArray[np.int64],
    power: _Floats,
    tol: float,
    deciders: NDArray[np.bool_] | None,
    vetoes: NDArray[np.bool_] | None,
) -> NDArray[np.int64]:
    """:func:`sim.core.solutions.nash_bargaining_solution` per draw."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if deciders is None:
            allowed = front & (gains > tol).all(axis=2)
            logs = np.log(np.where(allowed[:, :, None], gains, 1.0))
            return choose(_weighted(logs, power), allowed, keys, tol)
        allowed = front & (~deciders | (gains > tol)).all(axis=2)
        logs = np.log(np.where(deciders & allowed[:, :, None], gains, 1.0))
        veto = np.ones(gains.shape[2], dtype=np.bool_) if vetoes is None else vetoes
        share = power[:, veto].sum(axis=1)[:, None] / _weighted(deciders.astype(np.float64), power)
        return choose(_weighted(logs, power) * share, allowed, keys, tol)


def _kalai_smorodinsky(
    u: _Floats,
    gains: _Floats,
    front: NDArray[np.bool_],
    keys: NDArray[np.int64],
    reservation: _Floats,
    tol: float,
    deciders: NDArray[np.bool_] | None,
) -> NDArray[np.int64]:
    """:func:`sim.core.solutions.kalai_smorodinsky_solution` per draw."""
    decide = front[:, :, None] if deciders is None else deciders & front[:, :, None]
    best = np.where(decide, u, -np.inf).max(axis=1)
    span = best - reservation
    used = span > tol
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(
            (deciders if deciders is not None else True) & used[:, None, :],
            gains / np.where(used, span, 1.0)[:, None, :],
            np.inf,
        )
    lowest = ratios.min(axis=2)
    objective = np.where(np.isposinf(lowest), 0.0, lowest)
    return choose(objective, front, keys, tol)


def _egalitarian(
    gains: _Floats,
    front: NDArray[np.bool_],
    keys: NDArray[np.int64],
    tol: float,
    deciders: NDArray[np.bool_] | None,
) -> NDArray[np.int64]:
    """:func:`sim.core.solutions.egalitarian_solution` per draw."""
    if deciders is None:
        return choose(gains.min(axis=2), front, keys, tol)
    lowest = np.where(deciders, gains, np.inf).min(axis=2)
    return choose(np.where(np.isposinf(lowest), 0.0, lowest), front, keys, tol)


def _utilitarian(
    u: _Floats,
    front: NDArray[np.bool_],
    keys: NDArray[np.int64],
    tol: float,
    deciders: NDArray[np.bool_] | None,
    vetoes: NDArray[np.bool_] | None,
) -> NDArray[np.int64]:
    """:func:`sim.core.solutions.utilitarian_solution` per draw."""
    if deciders is None:
        return choose(u.sum(axis=2), front, keys, tol)
    voters = u.shape[2] if vetoes is None else int(np.asarray(vetoes).sum())
    total = np.where(deciders, u, 0.0).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        objective = total * (voters / deciders.sum(axis=2))
    return choose(objective, front, keys, tol)

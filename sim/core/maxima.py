"""Maximal vectors of a set of distinct integer vectors, without comparing every pair.

The Pareto filter of :mod:`sim.core.pareto` turns utilities into integer tolerance-class
ranks, so dominance between distinct rank vectors is ``a >= b`` in every column. Two
algorithms find the rows no other row dominates:

- :func:`blocked_maxima`: rows in descending rank-sum order (a dominator has a strictly larger
  sum, so it comes first), settled a block at a time by comparing the block's survivors with
  every remaining row. Quadratic in the worst case; the leaf of the divide and conquer.
- :func:`maxima`: divide and conquer after Kung, Luccio & Preparata (1975), "On finding the
  maxima of a set of vectors", J. ACM 22(4): split the rows at the median of the first column;
  the maxima of the upper part are maxima of the whole; a maximum of the lower part survives
  unless some upper maximum covers it in the *other* columns (the first is already larger), a
  "covering" problem in one column fewer, solved by the same splitting (their "filter" step).
  Two columns are a sort and a running maximum, one column a maximum. Each step first drops
  rows outside the other set's bounding box (the ideal-point bound), and small problems go to
  the blocked comparison. ``O(n log^(m-2) n)`` comparisons for ``m >= 3`` columns.

Both are exact on integers: no tolerance enters here (it went into the ranks).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

_BLOCK = 1024
"""Rows compared at once in the blocked dominance test."""

_CELLS = 1 << 22
"""Largest ``rows x rows`` comparison held in memory at once (4 MiB of bools per column)."""

LEAF_ROWS = 1024
"""Sets this small are settled by :func:`blocked_maxima` inside :func:`maxima`."""

LEAF_PAIRS = 1 << 18
"""Covering problems with at most this many (candidate, coverer) pairs are compared directly."""

_Ints = NDArray[np.signedinteger[Any]]


def covered_blocked(candidates: _Ints, others: _Ints, *, same: bool = False) -> NDArray[np.bool_]:
    """``(c,)`` True where some row of ``others`` is >= the candidate in every column.

    Compares every pair, in blocks of at most ``_CELLS`` pairs. ``same`` says the two arrays
    are one set, so a row does not cover itself.
    """
    c, m = candidates.shape
    hit = np.zeros(c, dtype=np.bool_)
    if c == 0 or others.shape[0] == 0:
        return hit
    width = max(1, min(others.shape[0], _CELLS // min(c, _BLOCK)))
    height = max(1, _CELLS // width)
    for lo in range(0, c, height):
        rows = candidates[lo : lo + height]
        for start in range(0, others.shape[0], width):
            block = others[start : start + width]
            # Column by column on 2-D arrays: much faster than one 3-D comparison.
            covers = np.less_equal.outer(rows[:, 0], block[:, 0])
            for j in range(1, m):
                covers &= np.less_equal.outer(rows[:, j], block[:, j])
            if same:
                own = np.arange(max(lo, start), min(lo + rows.shape[0], start + block.shape[0]))
                covers[own - lo, own - start] = False
            hit[lo : lo + height] |= covers.any(axis=1)
    return hit


def _two_column_maxima(points: _Ints) -> NDArray[np.bool_]:
    """Kung, Luccio & Preparata (1975): sweep x downwards keeping the best y so far."""
    order = np.lexsort((-points[:, 1], -points[:, 0]))
    ys = points[order, 1]
    best_before = np.maximum.accumulate(np.r_[ys.min() - 1, ys[:-1]])
    mask = np.empty(points.shape[0], dtype=np.bool_)
    mask[order] = ys > best_before
    return mask


def blocked_maxima(points: _Ints) -> NDArray[np.bool_]:
    """``(n,)`` True for the rows of distinct integer vectors that no other row dominates.

    Rows are taken in descending rank-sum order; a block of the highest sums is settled among
    itself, then everything its survivors dominate is struck.

    Examples
    --------
    >>> blocked_maxima(np.array([[2, 0, 1], [1, 1, 1], [0, 0, 1], [0, 2, 0]])).tolist()
    [True, True, False, True]
    """
    g = points.shape[0]
    order = np.argsort(-points.sum(axis=1, dtype=np.int64), kind="stable")
    remaining = points[order]
    front: list[NDArray[np.intp]] = []
    block_size = 64
    while order.shape[0]:
        block = remaining[:block_size]
        alive = ~covered_blocked(block, block, same=True)
        front.append(order[:block_size][alive])
        order, remaining = order[block_size:], remaining[block_size:]
        if order.shape[0] and alive.any():
            keep = ~covered_blocked(remaining, block[alive])
            order, remaining = order[keep], remaining[keep]
        block_size = min(2 * block_size, _BLOCK)
    mask = np.zeros(g, dtype=np.bool_)
    if front:
        mask[np.concatenate(front)] = True
    return mask


def _split_value(column: _Ints) -> int:
    """A value ``v`` with rows on both sides of ``column >= v`` (the column is not constant)."""
    middle = column.shape[0] // 2
    value = int(np.partition(column, middle)[middle])
    lowest = int(column.min())
    if value == lowest:
        value = int(column[column > lowest].min())
    return value


def _covered_three(candidates: _Ints, others: _Ints) -> NDArray[np.bool_]:
    """``(c,)`` True where some row of ``others`` is >= the candidate in all three columns.

    A range tree (Bentley 1980, "Multidimensional divide-and-conquer", CACM 23(4)) over
    ``others`` sorted by the first column, built and queried one level at a time: a node holds
    a run of consecutive rows sorted by the second column with the running maximum of the third
    from the end. The rows at or above a candidate's first value form a suffix, which is at
    most one node per level; in that node, the rows at or above its second value are again a
    suffix, whose largest third value decides. Values must be non-negative.
    """
    c = candidates.shape[0]
    n = others.shape[0]
    hit = np.zeros(c, dtype=np.bool_)
    by_first = np.argsort(others[:, 0], kind="stable")
    seconds = others[by_first, 1].astype(np.int64)
    thirds = others[by_first, 2].astype(np.int64)
    second_span = int(seconds.max()) + 1
    third_span = int(thirds.max()) + 1
    # The rows at or above the candidate's first value: positions [cursor, n).
    cursor = np.searchsorted(others[by_first, 0], candidates[:, 0], side="left").astype(np.int64)
    pending = np.flatnonzero(cursor < n)
    query_second = candidates[:, 1].astype(np.int64)
    query_third = candidates[:, 2].astype(np.int64)
    positions = np.arange(n, dtype=np.int64)
    top = max(1, int(n - 1).bit_length())
    for level in range(top + 1):
        if pending.shape[0] == 0:
            break
        node = positions >> level
        keys = node * second_span + seconds[positions]
        arranged = np.argsort(keys, kind="stable")
        positions = positions[arranged]
        node = node[arranged]
        keys = keys[arranged]
        shifted = thirds[positions] - node * third_span
        best_third = np.maximum.accumulate(shifted[::-1])[::-1] + node * third_span
        at = cursor[pending]
        take = (at >> level) & 1 == 1 if level < top else at == 0
        asked = pending[take]
        asked_node = at[take] >> level
        found = np.searchsorted(keys, asked_node * second_span + query_second[asked], side="left")
        end = np.minimum((asked_node + 1) << level, n)
        inside = found < end
        yes = np.zeros(asked.shape[0], dtype=np.bool_)
        yes[inside] = best_third[found[inside]] >= query_third[asked[inside]]
        hit[asked[yes]] = True
        cursor[pending[take]] += 1 << level
        pending = pending[(~hit[pending]) & (cursor[pending] < n)]
    return hit


def covered(candidates: _Ints, others: _Ints) -> NDArray[np.bool_]:
    """``(c,)`` True where some row of ``others`` is >= the candidate in every column.

    The filter step of Kung, Luccio & Preparata (1975): split both sets at one value of the
    first column; an upper row cannot be covered by a lower one, a lower row is covered by an
    upper one exactly when the other columns say so.

    Examples
    --------
    >>> covered(np.array([[1, 1], [3, 0], [0, 3]]), np.array([[2, 2], [3, 0]])).tolist()
    [True, True, False]
    """
    c, m = candidates.shape
    hit = np.zeros(c, dtype=np.bool_)
    if c == 0 or others.shape[0] == 0:
        return hit
    if m == 0:
        hit[:] = True
        return hit
    # The ideal-point bound: a candidate above every other row in some column is never covered,
    # and a row below every candidate in some column covers nothing.
    reachable = (candidates <= others.max(axis=0)).all(axis=1)
    useful = (others >= candidates[reachable].min(axis=0, initial=np.iinfo(others.dtype).max)).all(
        axis=1
    )
    if not reachable.all() or not useful.all():
        if reachable.any() and useful.any():
            hit[reachable] = covered(candidates[reachable], others[useful])
        return hit
    if m == 1:
        return np.asarray(candidates[:, 0] <= others[:, 0].max())
    if m == 2:
        order = np.argsort(others[:, 0], kind="stable")
        firsts = others[order, 0]
        best_second = np.maximum.accumulate(others[order[::-1], 1])[::-1]
        start = np.searchsorted(firsts, candidates[:, 0], side="left")
        inside = start < firsts.shape[0]
        hit[inside] = best_second[start[inside]] >= candidates[inside, 1]
        return hit
    if c * others.shape[0] <= LEAF_PAIRS:
        return covered_blocked(candidates, others)
    if m == 3:
        return _covered_three(candidates, others)
    if candidates[:, 0].max() <= others[:, 0].min():
        return covered(candidates[:, 1:], others[:, 1:])
    value = _split_value(np.concatenate([candidates[:, 0], others[:, 0]]))
    upper = candidates[:, 0] >= value
    upper_others = others[:, 0] >= value
    lower_index = np.flatnonzero(~upper)
    hit[upper] = covered(candidates[upper], others[upper_others])
    lower = candidates[lower_index]
    lower_hit = covered(lower[:, 1:], others[upper_others, 1:])
    rest = ~lower_hit
    lower_hit[rest] = covered(lower[rest], others[~upper_others])
    hit[lower_index] = lower_hit
    return hit


def maxima(points: _Ints) -> NDArray[np.bool_]:
    """``(n,)`` True for the rows of distinct integer vectors that no other row dominates.

    Divide and conquer (Kung, Luccio & Preparata 1975); equal to :func:`blocked_maxima`.

    Examples
    --------
    >>> maxima(np.array([[2, 0, 1], [1, 1, 1], [0, 0, 1], [0, 2, 0]])).tolist()
    [True, True, False, True]
    """
    n, m = points.shape
    if n == 0:
        return np.zeros(0, dtype=np.bool_)
    if m == 0:
        return np.ones(n, dtype=np.bool_)
    if m == 1:
        return np.asarray(points[:, 0] == points[:, 0].max())
    if m == 2:
        return _two_column_maxima(points)
    if n <= LEAF_ROWS:
        return blocked_maxima(points)
    first = points[:, 0]
    if first.min() == first.max():
        # Distinct rows stay distinct without a constant column.
        return maxima(points[:, 1:])
    upper = first >= _split_value(first)
    upper_index = np.flatnonzero(upper)
    lower_index = np.flatnonzero(~upper)
    upper_points = points[upper_index]
    upper_alive = maxima(upper_points)
    lower_points = points[lower_index]
    lower_alive = maxima(lower_points)
    survivors = np.flatnonzero(lower_alive)
    lower_alive[survivors] = ~covered(lower_points[survivors, 1:], upper_points[upper_alive, 1:])
    mask = np.empty(n, dtype=np.bool_)
    mask[upper_index] = upper_alive
    mask[lower_index] = lower_alive
    return mask

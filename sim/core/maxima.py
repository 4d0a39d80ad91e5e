"""Maximal vectors of a set of distinct integer vectors, without comparing every pair.

The Pareto filter of :mod:`sim.core.pareto` turns utilities into integer tolerance-class
ranks, so dominance between distinct rank vectors is ``a >= b`` in every column. Two
algorithms find the rows no other row dominates:

- :func:`blocked_maxima`: rows in descending rank-sum order (a dominator has a strictly larger
  sum, so it comes first), settled a block at a time by comparing the block's survivors with
  every remaining row. Quadratic in the worst case; used for small sets and as a second opinion.
- :func:`maxima`: the divide and conquer of Kung, Luccio & Preparata (1975), "On finding the
  maxima of a set of vectors", J. ACM 22(4), over the cells of a k-d tree (Bentley 1975,
  "Multidimensional binary search trees used for associative searching", CACM 18(9)): rows are
  split at the median of one column after another; each leaf is settled by comparing its
  rows, then, level by level from the leaves up, the survivors of each node's two halves are
  checked against each other. That check walks pairs of sub-cells of the two halves together
  (a dual-tree traversal: Gray & Moore 2001, "'N-body' problems in statistical learning",
  NIPS 13) and drops a pair as soon as the bounding boxes say no row of one can cover a row of
  the other (the ideal-point bound); a whole cell is struck when one surviving row of the other
  half covers the upper corner of its box, and a row meets only those parts of a paired leaf
  whose boxes could cover it. Rows struck low in the tree take no further part, so mostly
  dominated sets shrink fast, and a set that is mostly front is compared only with the cells
  around each row. Before the tree, the row of largest sum strikes every row it covers.

Both are exact on integers: no tolerance enters here (it went into the ranks), and a pair is
dropped only when no row of one can cover a row of the other.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.core.distinct import distinct_indices

_BLOCK = 1024
"""Rows compared at once in the blocked dominance test."""

_CELLS = 1 << 22
"""Largest ``rows x rows`` comparison held in memory at once (4 MiB of bools per column)."""

LEAF_ROWS = 1024
"""Sets this small are settled by :func:`blocked_maxima` inside :func:`maxima`."""

TREE_LEAF = 32
"""Most rows in a leaf of the k-d tree of :func:`maxima` (at least half as many)."""

SUBLEAVES = 4
"""Parts of a leaf with their own bounding box, to skip most of a leaf's rows (a power of 2)."""

TREE_PAIRS = 1 << 16
"""Pairs of cells the traversal of :func:`maxima` examines at once (bounds its memory)."""

_Ints = NDArray[np.signedinteger[Any]]
_Index = NDArray[np.int64]


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


def _kd_order(values: _Ints, leaf_target: int) -> tuple[_Ints, _Index, int, int]:
    """Rows in k-d tree order: median splits, of columns 0, 1, ... in turn, down to leaves and
    on to :data:`SUBLEAVES` parts of each leaf.

    Returns the rows padded with zero rows to ``leaf << levels`` and reordered, the original
    row of each position (padding: ``>= n``), the leaf size and the number of levels above the
    leaves. A node at level ``k`` is a run of ``leaf << (levels - k)`` consecutive positions.
    """
    n, m = values.shape
    levels = 0
    while leaf_target << levels < n:
        levels += 1
    leaf = -(-n // (SUBLEAVES << levels)) * SUBLEAVES
    padded = np.zeros((leaf << levels, m), dtype=values.dtype)
    padded[:n] = values
    order = np.arange(padded.shape[0], dtype=np.int64)
    for level in range(levels + SUBLEAVES.bit_length() - 1):
        nodes = order.reshape(1 << level, -1)
        column = padded[nodes, level % m]
        split = np.argpartition(column, column.shape[1] // 2, axis=1)
        order = np.take_along_axis(nodes, split, axis=1).ravel()
    return padded[order], order, leaf, levels


def _settle_leaves(values: _Ints, leaf: int) -> None:
    """Zero every row that another row of its leaf covers."""
    m = values.shape[1]
    blocks = values.reshape(-1, leaf, m)
    own = np.arange(leaf)
    step = max(1, _CELLS // (leaf * leaf))
    for lo in range(0, blocks.shape[0], step):
        part = blocks[lo : lo + step]
        covers = part[:, :, None, 0] <= part[:, None, :, 0]  # [leaf, candidate, coverer]
        for j in range(1, m):
            covers &= part[:, :, None, j] <= part[:, None, :, j]
        covers[:, own, own] = False
        part[covers.any(axis=2)] = 0


class _Cells:
    """Per leaf of the tree: the bounding box of its alive rows, the upper corner of each of its
    ``parts`` and its alive row of largest sum; and the same combined up to any level."""

    def __init__(self, values: _Ints, leaf: int, levels: int, parts: int) -> None:
        count = values.shape[0] // leaf
        self.values, self.leaf, self.levels, self.parts = values, leaf, levels, parts
        self.upper = np.zeros((count, values.shape[1]), dtype=values.dtype)
        self.lower = np.zeros_like(self.upper)
        self.best = np.zeros(count, dtype=np.int64)
        self.best_sum = np.zeros(count, dtype=np.int64)
        self.part_upper = np.zeros((count, parts, values.shape[1]), dtype=values.dtype)

    def refresh(self, changed: _Index) -> None:
        """Summarise the ``changed`` leaves again."""
        m = self.values.shape[1]
        blocks = self.values.reshape(-1, self.leaf, m)[changed]
        alive = blocks[:, :, 0] > 0
        ceiling = np.iinfo(self.values.dtype).max
        sums = np.where(alive, blocks.sum(axis=2, dtype=np.int64), -1)
        parts = blocks.reshape(changed.shape[0], self.parts, self.leaf // self.parts, m)
        self.part_upper[changed] = parts.max(axis=2)
        self.upper[changed] = self.part_upper[changed].max(axis=1)
        self.lower[changed] = np.where(alive[:, :, None], blocks, ceiling).min(axis=1)
        self.best[changed] = changed * self.leaf + sums.argmax(axis=1)
        self.best_sum[changed] = sums.max(axis=1)

    def pyramid(self, top: int) -> tuple[list[_Ints], list[_Ints], list[_Index]]:
        """Upper corners, lower corners and best rows of the cells at levels ``top..levels``."""
        upper, lower, best, best_sum = self.upper, self.lower, self.best, self.best_sum
        uppers, lowers, bests = [upper], [lower], [best]
        for _ in range(self.levels - top):
            right = best_sum[1::2] > best_sum[0::2]
            best = np.where(right, best[1::2], best[0::2])
            best_sum = np.maximum(best_sum[0::2], best_sum[1::2])
            upper = np.maximum(upper[0::2], upper[1::2])
            lower = np.minimum(lower[0::2], lower[1::2])
            uppers.append(upper)
            lowers.append(lower)
            bests.append(best)
        return uppers[::-1], lowers[::-1], bests[::-1]


def _covered_in_leaves(
    candidates: _Ints, blocks: _Ints, part_upper: _Ints, other: _Index
) -> NDArray[np.bool_]:
    """``(c,)`` True where some row of leaf ``other[i]`` covers candidate ``i``: ``blocks`` are
    the leaves split into their parts, ``part_upper`` the parts' upper corners."""
    parts, size, m = blocks.shape[1:]
    hit = np.zeros(candidates.shape[0], dtype=np.bool_)
    step = max(1, _CELLS // (parts * size * m))
    for lo in range(0, candidates.shape[0], step):
        below = candidates[lo : lo + step]
        top = part_upper[other[lo : lo + step]]
        inside = top[:, :, 0] >= below[:, None, 0]
        for j in range(1, m):
            inside &= top[:, :, j] >= below[:, None, j]
        which, part = np.nonzero(inside)
        near = blocks[other[lo + which], part]
        covers = near[:, :, 0] >= below[which, :1]
        for j in range(1, m):
            covers &= near[:, :, j] >= below[which, j : j + 1]
        hit[lo + which[covers.any(axis=1)]] = True
    return hit


def _strike_in_leaves(cells: _Cells, a: _Index, b: _Index, upper: _Ints, best: _Index) -> _Index:
    """Zero the alive rows of leaves ``a`` that some row of the paired leaf ``b`` covers."""
    values, leaf = cells.values, cells.leaf
    m = values.shape[1]
    blocks = values.reshape(-1, leaf, m)
    step = max(1, _CELLS // (leaf * m))
    struck: list[_Index] = []
    parts = blocks.reshape(blocks.shape[0], cells.parts, leaf // cells.parts, m)
    for lo in range(0, a.shape[0], step):
        own = blocks[a[lo : lo + step]]
        top = upper[b[lo : lo + step]]
        # Alive rows inside the box of the other leaf.
        inside: NDArray[np.bool_] = (own[:, :, 0] > 0) & (own[:, :, 0] <= top[:, None, 0])
        for j in range(1, m):
            inside &= own[:, :, j] <= top[:, None, j]
        pair, slot = np.nonzero(inside)
        rows, other = a[lo + pair] * leaf + slot, b[lo + pair]
        # The other leaf's best row first: a row it covers needs no comparison with any leaf.
        hit = (own[pair, slot] <= values[best[other]]).all(axis=1)
        values[rows[hit]] = 0
        struck.append(rows[hit])
        rest = values[rows, 0] > 0
        rows, other = rows[rest], other[rest]
        hit = _covered_in_leaves(values[rows], parts, cells.part_upper, other)
        values[rows[hit]] = 0
        struck.append(rows[hit])
    return np.concatenate(struck) if struck else a[:0]


def _merge_halves(cells: _Cells, level: int) -> list[_Index]:
    """Strike the rows of each node at ``level`` that a row of the node's other half covers."""
    uppers, lowers, bests = cells.pyramid(level + 1)
    deepest = cells.levels - level - 1
    nodes = np.arange(1 << level, dtype=np.int64)
    stack = [(np.r_[2 * nodes, 2 * nodes + 1], np.r_[2 * nodes + 1, 2 * nodes], 0)]
    struck: list[_Index] = []
    while stack:
        a, b, depth = stack.pop()
        if a.shape[0] > TREE_PAIRS:
            stack.append((a[TREE_PAIRS:], b[TREE_PAIRS:], depth))
            a, b = a[:TREE_PAIRS], b[:TREE_PAIRS]
        keep = (uppers[depth][b] >= lowers[depth][a]).all(axis=1)
        a, b = a[keep], b[keep]
        whole = (cells.values[bests[depth][b]] >= uppers[depth][a]).all(axis=1)
        if whole.any():
            dead = np.zeros(uppers[depth].shape[0], dtype=np.bool_)
            dead[a[whole]] = True
            width = cells.leaf << (deepest - depth)
            rows = (np.flatnonzero(dead)[:, None] * width + np.arange(width)).ravel()
            cells.values[rows] = 0
            struck.append(rows)
            keep = ~dead[a]
            a, b = a[keep], b[keep]
        if depth == deepest:
            struck.append(_strike_in_leaves(cells, a, b, uppers[depth], bests[depth]))
        elif a.shape[0]:
            a = (2 * a[:, None] + np.array([0, 0, 1, 1])).ravel()
            b = (2 * b[:, None] + np.array([0, 1, 0, 1])).ravel()
            stack.append((a, b, depth + 1))
    return struck


def _tree_maxima(points: _Ints) -> NDArray[np.bool_]:
    """:func:`maxima` for three or more columns: the k-d tree merge of the module docstring.

    Values are shifted to start at 1, so a zero row is a struck (or padding) row: it covers no
    live row, and a whole cell is struck by zeroing its rows.
    """
    n = points.shape[0]
    low = points.min(axis=0).astype(np.int64)
    span = int((points.max(axis=0) - low).max()) + 1
    dtype = np.int32 if span < np.iinfo(np.int32).max else np.int64
    values, order, leaf, levels = _kd_order((points - low + 1).astype(dtype), TREE_LEAF)
    _settle_leaves(values, leaf)
    cells = _Cells(values, leaf, levels, SUBLEAVES)
    cells_count = values.shape[0] // leaf
    changed = np.arange(cells_count, dtype=np.int64)
    for level in range(levels - 1, -1, -1):
        cells.refresh(changed)
        struck = _merge_halves(cells, level)
        changed = (
            distinct_indices(np.concatenate(struck) // leaf, cells_count) if struck else changed[:0]
        )
    mask = np.zeros(n, dtype=np.bool_)
    mask[order[values[:, 0] > 0]] = True
    return mask


def maxima(points: _Ints) -> NDArray[np.bool_]:
    """``(n,)`` True for the rows of distinct integer vectors that no other row dominates.

    A sort for two columns, :func:`blocked_maxima` for small sets, else the k-d tree merge of
    the module docstring over the rows that the row of largest sum does not cover; all equal to
    :func:`blocked_maxima`.

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
    # The row of largest sum is a maximum (a dominator's sum is larger), and in a set with a
    # small front it covers most rows: those are struck before the tree is built.
    top = int(np.argmax(points.sum(axis=1, dtype=np.int64)))
    rest = ~(points <= points[top]).all(axis=1)
    rest[top] = True
    index = np.flatnonzero(rest)
    mask = np.zeros(n, dtype=np.bool_)
    small = index.shape[0] <= LEAF_ROWS
    mask[index] = blocked_maxima(points[index]) if small else _tree_maxima(points[index])
    return mask

"""Pareto dominance over rows of a utility matrix, with identical vectors grouped.

Rows are compared after each column is clustered into tolerance classes (values that chain
together with gaps of at most ``tol`` form one class), so "identical within ``tol``" is an
equivalence relation and dominance between classes is exact integer arithmetic. This matches
the plain tolerance definitions whenever values are either within ``tol`` of each other or
clearly further apart, which is the case for float sums of the same terms in another order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

DEFAULT_TOL = 1e-12
"""Utilities within this of each other count as identical (SPEC §1)."""

_BLOCK = 1024
"""Rows compared at once in the blocked dominance test for three or more columns."""

_CELLS = 1 << 22
"""Largest ``rows x rows x columns`` comparison held in memory at once (4 MiB of bools)."""


@dataclass(frozen=True)
class Groups:
    """Rows grouped by identical vectors.

    Attributes
    ----------
    rows
        ``(g,)`` one row per distinct vector: the member with the lowest key.
    multiplicity
        ``(g,)`` total count of the members (each row counts as its ``counts`` entry).
    labels
        ``(n,)`` group of every input row (a position in ``rows``).
    ranks
        ``(g, m)`` tolerance-class ranks of each distinct vector, column by column.
    """

    rows: NDArray[np.intp]
    multiplicity: NDArray[np.int64]
    labels: NDArray[np.intp]
    ranks: NDArray[np.int64]


@dataclass(frozen=True)
class DistinctFront:
    """The non-dominated distinct vectors of a set of rows.

    Attributes
    ----------
    rows
        ``(f,)`` for each non-dominated distinct vector the member with the lowest key,
        in ascending key order.
    multiplicity
        ``(f,)`` how many members share that vector (``ties = multiplicity - 1``).
    """

    rows: NDArray[np.intp]
    multiplicity: NDArray[np.int64]


def tolerance_ranks(points: NDArray[np.float64], tol: float = DEFAULT_TOL) -> NDArray[np.int64]:
    """Rank each column's values, giving values that chain within ``tol`` one rank.

    Examples
    --------
    >>> tolerance_ranks(np.array([[0.3], [0.1 + 0.2], [0.1]])).ravel().tolist()
    [1, 1, 0]
    """
    n, m = points.shape
    ranks = np.empty((n, m), dtype=np.int64)
    for j in range(m):
        order = np.argsort(points[:, j], kind="stable")
        ordered = points[order, j]
        step = np.empty(n, dtype=np.int64)
        step[:1] = 0
        step[1:] = np.diff(ordered) > tol
        ranks[order, j] = np.cumsum(step)
    return ranks


def _row_codes(ranks: NDArray[np.int64]) -> NDArray[np.int64]:
    """One integer per row, equal exactly when the rank rows are equal."""
    n, m = ranks.shape
    if m == 0:
        return np.zeros(n, dtype=np.int64)
    spans = [int(ranks[:, j].max(initial=0)) + 1 for j in range(m)]
    total = 1
    for span in spans:
        total *= span
    if total < 2**62:
        codes = np.zeros(n, dtype=np.int64)
        for j in range(m):
            codes = codes * spans[j] + ranks[:, j]
        return codes
    _, inverse = np.unique(ranks, axis=0, return_inverse=True)
    return inverse.reshape(n).astype(np.int64)


def group_identical(
    points: NDArray[np.float64],
    tol: float = DEFAULT_TOL,
    *,
    keys: NDArray[np.int64] | None = None,
    counts: NDArray[np.int64] | None = None,
) -> Groups:
    """Group rows whose vectors are identical within ``tol``.

    Parameters
    ----------
    points
        ``(n, m)`` vectors.
    tol
        Tolerance of identity.
    keys
        ``(n,)`` order among members (e.g. bundle indices); the lowest key represents a group.
        Defaults to the row number.
    counts
        ``(n,)`` multiplicity of each row; defaults to 1.

    Examples
    --------
    >>> g = group_identical(np.array([[1.0, 0.0], [0.5, 0.5], [1.0, 1e-14]]))
    >>> g.rows.tolist(), g.multiplicity.tolist(), g.labels.tolist()
    ([1, 0], [1, 2], [1, 0, 1])
    """
    n = points.shape[0]
    keys = np.arange(n, dtype=np.int64) if keys is None else np.asarray(keys, dtype=np.int64)
    counts = np.ones(n, dtype=np.int64) if counts is None else np.asarray(counts, dtype=np.int64)
    ranks = tolerance_ranks(points, tol)
    codes = _row_codes(ranks)
    order = np.lexsort((keys, codes))
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]) if n else order
    labels_sorted = np.cumsum(np.r_[0, (sorted_codes[1:] != sorted_codes[:-1])]) if n else order
    labels = np.empty(n, dtype=np.intp)
    labels[order] = labels_sorted
    multiplicity = (
        np.add.reduceat(counts[order], starts) if n else np.zeros(0, dtype=np.int64)
    ).astype(np.int64)
    rows = order[starts].astype(np.intp)
    return Groups(rows=rows, multiplicity=multiplicity, labels=labels, ranks=ranks[rows])


def _dominated_by(
    candidates: NDArray[np.signedinteger[Any]],
    others: NDArray[np.signedinteger[Any]],
    *,
    same: bool,
) -> NDArray[np.bool_]:
    """``(c,)`` True where some row of ``others`` is >= the candidate in every column.

    With distinct rows that means strict dominance; ``same`` says the two arrays are one
    set, so a row does not dominate itself.
    """
    c, m = candidates.shape
    hit = np.zeros(c, dtype=np.bool_)
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


def _front_mask(ranks: NDArray[np.int64]) -> NDArray[np.bool_]:
    """``(g,)`` True for the non-dominated rows of distinct integer vectors."""
    g, m = ranks.shape
    if g == 0:
        return np.zeros(0, dtype=np.bool_)
    if m == 0:
        return np.ones(g, dtype=np.bool_)
    if m == 1:
        return np.asarray(ranks[:, 0] == ranks[:, 0].max())
    if m == 2:
        # Kung, Luccio & Preparata (1975): sweep x downwards keeping the best y so far.
        order = np.lexsort((-ranks[:, 1], -ranks[:, 0]))
        ys = ranks[order, 1]
        best_before = np.maximum.accumulate(np.r_[-1, ys[:-1]])
        mask = np.empty(g, dtype=np.bool_)
        mask[order] = ys > best_before
        return mask
    # A dominator has a strictly larger rank sum, so it comes earlier in descending-sum order:
    # settle a block of the highest sums, then strike everything the block's survivors dominate.
    compact: NDArray[np.signedinteger[Any]] = ranks.astype(
        np.int32 if ranks.max() < 2**31 else np.int64
    )
    order = np.argsort(-compact.sum(axis=1, dtype=np.int64), kind="stable")
    remaining = compact[order]
    front: list[NDArray[np.intp]] = []
    block_size = 64
    while order.shape[0]:
        block = remaining[:block_size]
        alive = ~_dominated_by(block, block, same=True)
        front.append(order[:block_size][alive])
        order, remaining = order[block_size:], remaining[block_size:]
        if order.shape[0] and alive.any():
            keep = ~_dominated_by(remaining, block[alive], same=False)
            order, remaining = order[keep], remaining[keep]
        block_size = min(2 * block_size, _BLOCK)
    mask = np.zeros(g, dtype=np.bool_)
    mask[np.concatenate(front)] = True
    return mask


def distinct_pareto_front(
    points: NDArray[np.float64],
    tol: float = DEFAULT_TOL,
    *,
    keys: NDArray[np.int64] | None = None,
    counts: NDArray[np.int64] | None = None,
) -> DistinctFront:
    """Non-dominated distinct vectors, each by its lowest-key member, with multiplicities.

    Dominance: weakly better in every column and strictly better (beyond ``tol``) in one.

    Examples
    --------
    >>> pts = np.array([[0.2, 0.8], [0.5, 0.5], [0.4, 0.4], [0.2, 0.8]])
    >>> f = distinct_pareto_front(pts, keys=np.array([7, 3, 1, 5]))
    >>> f.rows.tolist(), f.multiplicity.tolist()
    ([1, 3], [1, 2])
    """
    groups = group_identical(points, tol, keys=keys, counts=counts)
    mask = _front_mask(groups.ranks)
    rows = groups.rows[mask]
    multiplicity = groups.multiplicity[mask]
    row_keys = np.arange(points.shape[0]) if keys is None else np.asarray(keys)
    order = np.argsort(row_keys[rows], kind="stable")
    return DistinctFront(rows=rows[order], multiplicity=multiplicity[order])


def pareto_front(points: NDArray[np.float64], tol: float = DEFAULT_TOL) -> NDArray[np.intp]:
    """Indices of the non-dominated rows of ``points`` (every member of a tied vector).

    Sort-based for two columns (Kung, Luccio & Preparata 1975); blocked pairwise comparison
    in descending rank-sum order for more.

    Examples
    --------
    >>> points = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.4], [0.5, 0.5], [0.5, 0.5]])
    >>> pareto_front(points).tolist()
    [0, 1, 3, 4]
    """
    groups = group_identical(points, tol)
    mask = _front_mask(groups.ranks)
    return np.flatnonzero(mask[groups.labels]).astype(np.intp)

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

from sim.core.maxima import maxima

DEFAULT_TOL = 1e-12
"""Utilities within this of each other count as identical (SPEC §1)."""


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
        order = np.argsort(points[:, j])  # equal values get one rank in any order
        ordered = points[order, j]
        step = np.empty(n, dtype=np.int64)
        step[:1] = 0
        step[1:] = np.diff(ordered) > tol
        ranks[order, j] = np.cumsum(step)
    return ranks


def _row_codes(ranks: NDArray[np.int64]) -> NDArray[np.int64]:
    """One integer per row, equal exactly when the rank rows are equal and ordered as the rows
    are lexicographically (a mixed-radix number, renumbered densely before it would overflow)."""
    n, m = ranks.shape
    codes = np.zeros(n, dtype=np.int64)
    span = 1
    for j in range(m):
        column_span = int(ranks[:, j].max(initial=0)) + 1
        if span * column_span >= 2**62:
            codes = np.unique(codes, return_inverse=True)[1].reshape(n).astype(np.int64)
            span = int(codes.max(initial=0)) + 1
        codes = codes * column_span + ranks[:, j]
        span *= column_span
    return codes


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


def _front_mask(ranks: NDArray[np.int64]) -> NDArray[np.bool_]:
    """``(g,)`` True for the non-dominated rows of distinct integer vectors."""
    compact: NDArray[np.signedinteger[Any]] = ranks.astype(
        np.int32 if ranks.max(initial=0) < 2**31 else np.int64
    )
    return maxima(compact)


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

    Sort-based for two columns, a divide and conquer over k-d tree cells for more (after Kung,
    Luccio & Preparata 1975; :mod:`sim.core.maxima`).

    Examples
    --------
    >>> points = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.4], [0.5, 0.5], [0.5, 0.5]])
    >>> pareto_front(points).tolist()
    [0, 1, 3, 4]
    """
    groups = group_identical(points, tol)
    mask = _front_mask(groups.ranks)
    return np.flatnonzero(mask[groups.labels]).astype(np.intp)

"""Meet in the middle: the issues split into two halves, each enumerated on its own.

A bundle's veto-utility vector is the sum of its two halves' vectors, so counting acceptable
bundles is counting pairs ``(a, b)`` with ``a + b >= floor`` in every coordinate, weighted by how
many half-bundles share each distinct half vector (Horowitz & Sahni 1974).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.pareto import group_identical
from sim.core.problem import Problem
from sim.core.space import decode
from sim.core.utility import bundle_utilities


@dataclass(frozen=True)
class Half:
    """The distinct veto-utility vectors of one half of the issues.

    Attributes
    ----------
    vectors
        ``(g, m)`` distinct vectors (exact float equality).
    multiplicity
        ``(g,)`` half-bundles giving each vector.
    labels
        ``(n,)`` vector of each half-bundle, half-bundles in mixed-radix order.
    radices
        Options per issue of this half.
    """

    vectors: NDArray[np.float64]
    multiplicity: NDArray[np.int64]
    labels: NDArray[np.intp]
    radices: tuple[int, ...]

    def option_counts(self, per_vector: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
        """Per issue of the half, the sum of ``per_vector`` over half-bundles taking each option."""
        weights = per_vector[self.labels].reshape(self.radices)
        axes = range(len(self.radices))
        return tuple(weights.sum(axis=tuple(a for a in axes if a != k)) for k in axes)


@dataclass(frozen=True)
class Halves:
    """The first issues (``first``) and the remaining ones (``second``)."""

    first: Half
    second: Half


def _half(problem: Problem, lo: int, hi: int, chunk_size: int) -> Half:
    sub = Problem(
        name=problem.name,
        issues=problem.issues[lo:hi],
        options=problem.options[lo:hi],
        parties=problem.parties,
        veto=problem.veto.copy(),
        power=problem.power.copy(),
        reservation=problem.reservation.copy(),
        tables=problem.tables[lo:hi],
        red_lines=problem.red_lines[lo:hi],
    )
    veto = problem.veto_indices
    vectors = np.empty((sub.size, veto.shape[0]))
    for start in range(0, sub.size, chunk_size):
        indices = np.arange(start, min(start + chunk_size, sub.size), dtype=np.int64)
        vectors[start : start + indices.shape[0]] = bundle_utilities(
            sub, decode(indices, sub.radices)
        )[:, veto]
    groups = group_identical(vectors, 0.0)
    radices = tuple(int(r) for r in sub.radices)
    return Half(vectors[groups.rows], groups.multiplicity, groups.labels, radices)


def enumerate_halves(problem: Problem, limit: int, chunk_size: int) -> Halves | None:
    """Split the issues where the larger half is smallest; None if it exceeds ``limit`` bundles.

    Examples
    --------
    >>> p = Problem("x", ("a", "b"), (("0", "1"), ("0", "1", "2")), ("p",), np.array([True]),
    ...     np.ones(1), np.zeros(1), (np.array([[0.5, 0.0]]), np.array([[0.5, 0.5, 0.0]])),
    ...     (np.zeros((1, 2), bool), np.zeros((1, 3), bool)))
    >>> h = enumerate_halves(p, 10, 4)
    >>> h.first.vectors.ravel().tolist(), h.second.multiplicity.tolist()
    ([0.0, 0.5], [1, 2])
    """
    radices = [int(r) for r in problem.radices]
    best_split, best_size = 0, None
    for split in range(len(radices) + 1):
        size = max(math.prod(radices[:split]), math.prod(radices[split:]))
        if best_size is None or size < best_size:
            best_split, best_size = split, size
    if best_size is None or best_size > limit:
        return None
    first = _half(problem, 0, best_split, chunk_size)
    return Halves(first, _half(problem, best_split, len(radices), chunk_size))


def pair_counts(
    first: Half,
    second: Half,
    floor: NDArray[np.float64],
    chunk_size: int,
    *,
    exclusions: bool = True,
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[int]]:
    """Check every pair of distinct half vectors, ``chunk_size`` pair-coordinates at a time.

    Returns
    -------
    per_first
        ``(g1,)`` bundles completing each first-half vector into an acceptable bundle.
    per_second
        ``(g2,)`` the same for each second-half vector.
    only
        Per coordinate, bundles failing that coordinate's floor and no other (zeros unless
        ``exclusions``).
    """
    m = floor.shape[0]
    a, b = first.vectors, second.vectors
    wa = first.multiplicity.astype(np.float64)
    wb = second.multiplicity.astype(np.float64)
    per_first = np.zeros(a.shape[0])
    per_second = np.zeros(b.shape[0])
    only = np.zeros(m)
    width = max(1, min(b.shape[0], chunk_size))
    height = max(1, chunk_size // width)
    for j in range(0, b.shape[0], width):
        for i in range(0, a.shape[0], height):
            rows, cols = wa[i : i + height], wb[j : j + width]
            fails = [
                np.add.outer(a[i : i + height, c], b[j : j + width, c]) < floor[c] for c in range(m)
            ]
            misses = np.zeros((rows.shape[0], cols.shape[0]), dtype=np.uint8)
            for failed in fails:
                misses += failed
            ok = (misses == 0).astype(np.float64)
            per_first[i : i + height] += ok @ cols
            per_second[j : j + width] += rows @ ok
            if not exclusions:
                continue
            if m > 1:
                single = misses == 1
                for c, failed in enumerate(fails):
                    only[c] += rows @ (single & failed).astype(np.float64) @ cols
            elif m == 1:
                only[0] += rows @ fails[0].astype(np.float64) @ cols
    return np.rint(per_first), np.rint(per_second), [round(x) for x in only]


def dominance_counts(
    vectors: NDArray[np.float64], weights: NDArray[np.int64], thresholds: NDArray[np.float64]
) -> NDArray[np.float64]:
    """For each threshold row, the total weight of vectors at or above it in every coordinate.

    One coordinate: sort and binary search. Two: the vectors sorted by the first coordinate,
    a prefix of them is decomposed into dyadic blocks and each block is searched on the
    second coordinate (a merge-sort tree, Bentley 1980), level by level, so the work is
    ``O((n + q) log^2 n)`` in numpy calls that each cover every query.

    Examples
    --------
    >>> v = np.array([[0.1, 0.9], [0.5, 0.5], [0.9, 0.1]])
    >>> dominance_counts(v, np.array([1, 2, 4]), np.array([[0.0, 0.0], [0.4, 0.4], [0.2, 0.2]]))
    array([7., 2., 2.])
    """
    n, m = vectors.shape
    w = weights.astype(np.float64)
    if m == 0 or n == 0:
        return np.full(thresholds.shape[0], w.sum())
    if m == 1:
        order = np.argsort(vectors[:, 0], kind="stable")
        at_or_above = np.r_[np.cumsum(w[order][::-1])[::-1], 0.0]
        return np.asarray(at_or_above[np.searchsorted(vectors[order, 0], thresholds[:, 0])])
    if m > 2:
        raise ValueError("dominance counting handles at most two coordinates")
    order = np.argsort(-vectors[:, 0], kind="stable")
    descending = -vectors[order, 0]
    second = vectors[order, 1]
    w = w[order]
    prefix = np.searchsorted(descending, -thresholds[:, 0], side="right")
    values = np.unique(second)
    rank = np.searchsorted(values, second)
    wanted = np.searchsorted(values, thresholds[:, 1])
    span = values.shape[0] + 1
    position = np.arange(n, dtype=np.int64)
    result = np.zeros(thresholds.shape[0])
    # Orders sorted by (block, rank) at the current level; a level's blocks are pairs of the
    # previous level's, so a stable sort of the previous order only merges sorted runs.
    point_order = position
    query_order = np.arange(thresholds.shape[0])
    level = 0
    while (1 << level) <= n:
        keys = (position >> level) * span + rank
        point_order = point_order[np.argsort(keys[point_order], kind="stable")]
        sorted_keys = keys[point_order]
        cumulative = np.r_[0.0, np.cumsum(w[point_order])]
        block = (prefix >> (level + 1)) << 1
        query_keys = block * span + wanted
        query_order = query_order[np.argsort(query_keys[query_order], kind="stable")]
        chosen = query_order[((prefix[query_order] >> level) & 1).astype(np.bool_)]
        lo = np.searchsorted(sorted_keys, query_keys[chosen])
        hi = np.searchsorted(sorted_keys, (block[chosen] + 1) * span)
        result[chosen] += cumulative[hi] - cumulative[lo]
        level += 1
    return np.rint(result)

"""The exact Pareto frontier of the acceptable set (SPEC §1), with tie counts.

Two methods give the same result. :func:`frontier_by_merge` never enumerates the space: since
utility is additive, the veto-utility vectors of the space are the Minkowski sum of the issues'
option vectors, and ``frontier(A + B)`` lies in ``frontier(A) + frontier(B)``; so issues are
added one at a time and dominated partial sums are dropped at each step. The frontier of the
acceptable set is the frontier of the feasible set intersected with the acceptable set, since
acceptability is a lower bound on every veto party's utility. :func:`frontier_by_enumeration`
evaluates every feasible bundle in chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.pareto import DEFAULT_TOL, distinct_pareto_front
from sim.core.problem import Problem
from sim.core.space import decode, encode
from sim.core.utility import acceptable, bundle_utilities
from sim.core.work import work_refusal

MAX_BUNDLES = 2**62
"""Largest outcome space handled: bundle indices stay within int64."""

FRONT_LIMIT = 2_000_000
"""Most distinct partial vectors the merge keeps before giving up (64 MB at 4 parties)."""

ENUMERATION_LIMIT = 10_000
"""Feasible spaces up to this size are enumerated when the method is chosen automatically."""

DEFAULT_CHUNK = 1 << 18
"""Bundles (or candidate partial sums) evaluated at once."""

_BOUND_SLACK = 1e-9
"""Extra margin when discarding partial sums that cannot reach a reservation (float noise)."""


_Part = tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]
"""Distinct veto-utility vectors, their lowest bundle index and their multiplicity."""


class SpaceTooLargeError(Exception):
    """The outcome space, or a frontier computation over it, is beyond what is handled."""


@dataclass(frozen=True)
class Frontier:
    """Frontier of the acceptable set.

    Attributes
    ----------
    indices
        ``(f,)`` bundle index (SPEC order) of each distinct frontier vector's lowest bundle,
        ascending.
    ties
        ``(f,)`` how many other acceptable bundles share that veto-utility vector.
    veto_utilities
        ``(f, n_veto)`` the veto parties' utilities, in ``problem.veto_indices`` order.
    method
        ``"merge"`` or ``"enumeration"``.
    """

    indices: NDArray[np.int64]
    ties: NDArray[np.int64]
    veto_utilities: NDArray[np.float64]
    method: str


def check_size(problem: Problem) -> None:
    """Raise :class:`SpaceTooLargeError` when bundle indices would not fit in int64."""
    if problem.size > MAX_BUNDLES:
        raise SpaceTooLargeError(
            f"the outcome space has {problem.size:,} bundles, more than 2**62 = {MAX_BUNDLES:,}"
        )


def feasible_reduction(problem: Problem) -> tuple[Problem, tuple[NDArray[np.int64], ...]]:
    """The problem restricted to options no veto party red-lines, and each issue's kept options.

    Every bundle of the reduced problem is feasible; mixed-radix order is preserved, so the
    lowest reduced index maps to the lowest original index.
    """
    kept = tuple(np.flatnonzero(allowed).astype(np.int64) for allowed in problem.feasible_options())
    reduced = Problem(
        name=problem.name,
        issues=problem.issues,
        options=tuple(
            tuple(names[i] for i in keep) for names, keep in zip(problem.options, kept, strict=True)
        ),
        parties=problem.parties,
        veto=problem.veto.copy(),
        power=problem.power.copy(),
        reservation=problem.reservation.copy(),
        tables=tuple(t[:, keep] for t, keep in zip(problem.tables, kept, strict=True)),
        red_lines=tuple(r[:, keep] for r, keep in zip(problem.red_lines, kept, strict=True)),
        consent=None
        if problem.consent is None
        else tuple(c[:, keep] for c, keep in zip(problem.consent, kept, strict=True)),
    )
    return reduced, kept


def original_indices(
    problem: Problem,
    reduced: Problem,
    kept: tuple[NDArray[np.int64], ...],
    indices: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Map bundle indices of :func:`feasible_reduction`'s problem back to ``problem``'s."""
    digits = decode(indices, reduced.radices)
    for k, keep in enumerate(kept):
        digits[:, k] = keep[digits[:, k]]
    return encode(digits, problem.radices)


def _streamed_front(parts: Iterator[_Part], m: int, tol: float) -> _Part:
    """Distinct front of the union of ``(vectors, keys, counts)`` parts, kept bounded.

    The front of a union lies in the union of the parts' fronts, and a front vector's tied
    members are never dominated, so multiplicities add up exactly.
    """
    vectors = np.zeros((0, m))
    keys = np.zeros(0, dtype=np.int64)
    counts = np.zeros(0, dtype=np.int64)
    pending = 0
    pieces = 0  # fronts concatenated in ``vectors`` since the last reduction
    for part_vectors, part_keys, part_counts in parts:
        if part_vectors.shape[0] == 0:
            continue
        _check_work(part_vectors)
        local = distinct_pareto_front(part_vectors, tol, keys=part_keys, counts=part_counts)
        vectors = np.concatenate([vectors, part_vectors[local.rows]])
        keys = np.concatenate([keys, part_keys[local.rows]])
        counts = np.concatenate([counts, local.multiplicity])
        pending += local.rows.shape[0]
        pieces += 1
        if pending > max(DEFAULT_CHUNK, vectors.shape[0] // 2):
            vectors, keys, counts = _reduce(vectors, keys, counts, tol)
            pending, pieces = 0, 1
    if pieces <= 1:
        # One part's front, or a front just reduced: filtering a front again changes nothing
        # (in a subset, tolerance classes only split, and the order of distinct ones is kept).
        _check_front_size(vectors.shape[0])
        return vectors, keys, counts
    return _reduce(vectors, keys, counts, tol)


def _check_work(vectors: NDArray[np.float64]) -> None:
    """Refuse a Pareto filter whose estimated work is beyond its limit (:mod:`sim.core.work`)."""
    reason = work_refusal(vectors.shape[0], vectors.shape[1])
    if reason:
        raise SpaceTooLargeError(reason)


def _check_front_size(size: int) -> None:
    if size > FRONT_LIMIT:
        raise SpaceTooLargeError(
            f"the frontier has more than {FRONT_LIMIT:,} distinct points ({size:,} so far)"
        )


def _reduce(
    vectors: NDArray[np.float64], keys: NDArray[np.int64], counts: NDArray[np.int64], tol: float
) -> _Part:
    _check_work(vectors)
    front = distinct_pareto_front(vectors, tol, keys=keys, counts=counts)
    _check_front_size(front.rows.shape[0])
    return vectors[front.rows], keys[front.rows], front.multiplicity


def _finish(
    problem: Problem,
    reduced: Problem,
    kept: tuple[NDArray[np.int64], ...],
    front: _Part,
    tol: float,
    method: str,
) -> Frontier:
    vectors, keys, counts = front
    veto = problem.veto_indices
    ok = (vectors >= problem.reservation[veto] - tol).all(axis=1)
    vectors, keys, counts = vectors[ok], keys[ok], counts[ok]
    indices = original_indices(problem, reduced, kept, keys)
    order = np.argsort(indices, kind="stable")
    return Frontier(indices[order], counts[order] - 1, vectors[order], method)


def _extended(
    partial: _Part, options: _Part, radix: int, margin: NDArray[np.float64], rows_per_part: int
) -> Iterator[_Part]:
    """Every partial sum plus every option, with index ``key * radix + option`` and the product
    of multiplicities, leaving out sums below ``-margin`` somewhere (hopeless)."""
    vectors, keys, counts = partial
    add, digit, multiplicity = options
    m = add.shape[1]
    for lo in range(0, vectors.shape[0], rows_per_part):
        sums = (vectors[lo : lo + rows_per_part, None, :] + add[None, :, :]).reshape(-1, m)
        part_keys = (keys[lo : lo + rows_per_part, None] * radix + digit).ravel()
        part_counts = (counts[lo : lo + rows_per_part, None] * multiplicity).ravel()
        hopeful = (sums + margin >= 0).all(axis=1)
        yield sums[hopeful], part_keys[hopeful], part_counts[hopeful]


MergeProgress = Callable[[int, int, int], None]
"""Called after each issue is merged: (issues merged, issues in all, partial frontier size)."""


def frontier_by_merge(
    problem: Problem,
    *,
    tol: float = DEFAULT_TOL,
    chunk_size: int = DEFAULT_CHUNK,
    progress: MergeProgress | None = None,
) -> Frontier:
    """Exact frontier by issue-by-issue Minkowski sums of veto-utility vectors.

    Each partial sum carries the lowest index of the partial bundles reaching it (first issue
    most significant) and their number. Partial sums that cannot reach every reservation even
    with the best remaining options are dropped too.

    Examples
    --------
    >>> p = Problem("x", ("a", "b"), (("0", "1"), ("0", "1")), ("p", "q"),
    ...     np.array([True, True]), np.ones(2), np.zeros(2),
    ...     (np.array([[0.5, 0.0], [0.0, 0.5]]), np.array([[0.5, 0.5], [0.5, 0.5]])),
    ...     (np.zeros((2, 2), bool), np.zeros((2, 2), bool)))
    >>> f = frontier_by_merge(p)
    >>> f.indices.tolist(), f.ties.tolist()
    ([0, 2], [1, 1])
    """
    check_size(problem)
    reduced, kept = feasible_reduction(problem)
    veto = problem.veto_indices
    m = veto.shape[0]
    floor = problem.reservation[veto] - tol - _BOUND_SLACK
    option_vectors = [np.ascontiguousarray(t[veto].T) for t in reduced.tables]
    best = [v.max(axis=0) if v.shape[0] else np.full(m, -np.inf) for v in option_vectors]
    still_to_come = np.cumsum([np.zeros(m), *best[::-1]], axis=0)[::-1][1:]
    vectors = np.zeros((1, m))
    keys = np.zeros(1, dtype=np.int64)
    counts = np.ones(1, dtype=np.int64)
    for k, options in enumerate(option_vectors):
        own = distinct_pareto_front(options, tol)
        add = options[own.rows]
        digit = own.rows.astype(np.int64)
        parts = _extended(
            (vectors, keys, counts),
            (add, digit, own.multiplicity),
            radix=int(reduced.radices[k]),
            margin=still_to_come[k] - floor,
            rows_per_part=max(1, chunk_size // max(1, add.shape[0])),
        )
        vectors, keys, counts = _streamed_front(parts, m, tol)
        if progress is not None:
            progress(k + 1, len(option_vectors), int(vectors.shape[0]))
    return _finish(problem, reduced, kept, (vectors, keys, counts), tol, "merge")


def frontier_by_enumeration(
    problem: Problem, *, tol: float = DEFAULT_TOL, chunk_size: int = DEFAULT_CHUNK
) -> Frontier:
    """Exact frontier by evaluating every feasible bundle, ``chunk_size`` at a time.

    Examples
    --------
    >>> p = Problem("x", ("a",), (("0", "1", "2"),), ("p", "q"), np.array([True, True]),
    ...     np.ones(2), np.array([0.2, 0.2]),
    ...     (np.array([[1.0, 0.5, 0.1], [0.0, 0.5, 0.9]]),), (np.zeros((2, 3), bool),))
    >>> frontier_by_enumeration(p).indices.tolist()
    [1]
    """
    check_size(problem)
    reduced, kept = feasible_reduction(problem)
    veto = problem.veto_indices

    def parts() -> Iterator[_Part]:
        for lo in range(0, reduced.size, chunk_size):
            indices = np.arange(lo, min(lo + chunk_size, reduced.size), dtype=np.int64)
            digits = decode(indices, reduced.radices)
            utilities = bundle_utilities(reduced, digits)
            ok = acceptable(reduced, digits, utilities, tol)
            yield utilities[ok][:, veto], indices[ok], np.ones(int(ok.sum()), dtype=np.int64)

    front = _streamed_front(parts(), veto.shape[0], tol)
    return _finish(problem, reduced, kept, front, tol, "enumeration")


def exact_frontier(
    problem: Problem,
    *,
    tol: float = DEFAULT_TOL,
    chunk_size: int = DEFAULT_CHUNK,
    progress: MergeProgress | None = None,
) -> Frontier:
    """The frontier by enumeration for small feasible spaces, else by merging issues
    (``progress`` is told of each issue merged)."""
    check_size(problem)
    feasible = 1
    for allowed in problem.feasible_options():
        feasible *= int(allowed.sum())
    if feasible <= ENUMERATION_LIMIT:
        return frontier_by_enumeration(problem, tol=tol, chunk_size=chunk_size)
    return frontier_by_merge(problem, tol=tol, chunk_size=chunk_size, progress=progress)

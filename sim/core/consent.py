"""The outcome space when parties without a veto must consent to what they deliver.

A party without a veto may hold consent over some options (``consent`` in the scenario): a
bundle taking one of them needs that party's consent. The deciders of a bundle ``b``,
``D(b)``, are the veto parties and every consent holder whose options ``b`` takes
(:func:`sim.core.utility.deciders`). The feasible set is unchanged (the veto parties' red
lines); a feasible bundle is acceptable when every decider meets its reservation (within
``tol``) and ``b`` takes none of that decider's red-lined options. The frontier is the Pareto
frontier of the acceptable set over the judges ``P`` (the veto parties and every consent
holder, in file order), with SPEC §1's ties.

Acceptability is no longer a lower bound on a fixed set of utilities, so the merge of
:mod:`sim.core.frontier` and the half-space counts of :mod:`sim.core.counting` do not apply;
this module enumerates the feasible bundles instead, :data:`CONSENT_LIMIT` at most, a chunk
at a time with array operations.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.budgets import env_limit
from sim.core.frontier import (
    DEFAULT_CHUNK,
    SpaceTooLargeError,
    _streamed_front,
    feasible_reduction,
    original_indices,
)
from sim.core.pareto import DEFAULT_TOL
from sim.core.problem import Problem
from sim.core.space import decode
from sim.core.utility import bundle_utilities, deciders, marked

CONSENT_LIMIT = 1 << 24
"""Most feasible bundles enumerated when the problem has consent (16,777,216)."""


@dataclass(frozen=True)
class ConsentSpace:
    """The acceptable set of a problem with consent, by enumeration.

    Attributes
    ----------
    judges
        The columns of ``P``: the veto parties and every consent holder, in file order.
    feasible, acceptable
        Exact sizes of the feasible and acceptable sets.
    indices, ties
        ``(f,)`` the frontier: the lowest bundle index of each distinct ``P``-utility vector
        that no acceptable bundle Pareto-dominates (ascending), and how many other acceptable
        bundles share it.
    option_counts
        Per issue, ``(n_options,)`` acceptable bundles taking each option.
    reservation_excludes
        Per judge: feasible bundles that need its consent, take none of its red-lined options,
        fail its reservation and that every other decider approves.
    red_lines_exclude
        Per judge: bundles that would be acceptable if its red lines alone were lifted, and are
        not now.
    """

    judges: NDArray[np.intp]
    feasible: int
    acceptable: int
    indices: NDArray[np.int64]
    ties: NDArray[np.int64]
    option_counts: tuple[NDArray[np.int64], ...]
    reservation_excludes: NDArray[np.int64]
    red_lines_exclude: NDArray[np.int64]


def _size(problem: Problem) -> int:
    total = 1
    for allowed in problem.feasible_options():
        total *= int(allowed.sum())
    return total


def check_consent_size(problem: Problem, limit: int | None = None) -> int:
    """The number of feasible bundles, or :class:`SpaceTooLargeError` above ``limit``
    (default ``$SIM_MAX_CONSENT``, else :data:`CONSENT_LIMIT`)."""
    limit = env_limit("SIM_MAX_CONSENT", CONSENT_LIMIT) if limit is None else limit
    size = _size(problem)
    if size > limit:
        raise SpaceTooLargeError(
            f"with consent (`consent:` on a party without a veto) the analysis enumerates the "
            f"feasible bundles: this problem has {size:,}, more than the limit of {limit:,} "
            "(raise it with $SIM_MAX_CONSENT)"
        )
    return size


MEMO_ROWS = 1 << 16
"""Most bundles a problem's memo keeps enumerations of, all its enumerations together (about
9 MB for the case): what does not depend on the reservations (digits, utilities, whose consent
each bundle needs, red lines hit). The variants of a sweep over levers share the problem's
arrays and its memo (:func:`sim.compile.compile_problem`), so they compute only the approvals
again; an enumeration beyond the budget is computed each time, as before."""


@dataclass(frozen=True)
class _Fixed:
    """What a chunk's bundles are, whatever the reservations."""

    indices: NDArray[np.int64]
    digits: NDArray[np.int64]
    utilities: NDArray[np.float64]
    needed: NDArray[np.bool_]
    hits: NDArray[np.bool_]


@dataclass(frozen=True)
class _Chunk(_Fixed):
    """One chunk of a reduced (all feasible) problem's bundles, with its approvals."""

    approved: NDArray[np.bool_]

    @property
    def refusals(self) -> NDArray[np.bool_]:
        """``(n, n_parties)`` the party decides the bundle and would not consent."""
        refused: NDArray[np.bool_] = self.needed & ~self.approved
        return refused


def _fixed(reduced: Problem, chunk_size: int) -> Iterator[_Fixed]:
    """Each chunk of ``reduced``'s bundles, in order, without its approvals."""
    for lo in range(0, reduced.size, chunk_size):
        indices = np.arange(lo, min(lo + chunk_size, reduced.size), dtype=np.int64)
        digits = decode(indices, reduced.radices)
        utilities = bundle_utilities(reduced, digits)
        hits = marked(reduced.red_lines, digits, reduced.n_parties)
        yield _Fixed(indices, digits, utilities, deciders(reduced, digits), hits)


def _chunks(
    reduced: Problem,
    reservation: NDArray[np.float64],
    tol: float,
    chunk_size: int,
    owner: Problem | None = None,
    key: object = None,
) -> Iterator[_Chunk]:
    """The bundles of ``reduced`` a chunk at a time: utilities, deciders and approvals (at
    ``reservation``, the reservations of the problem ``reduced`` stands for) as
    :mod:`sim.core.utility` computes them (the red lines' hits computed once). ``owner``: the
    problem ``reduced`` was derived from, ``key`` naming how; it keeps the fixed part in its
    memo, within :data:`MEMO_ROWS`."""
    fixed: Iterable[_Fixed] = _fixed(reduced, chunk_size)
    if owner is not None:
        entry = ("consent chunks", key, chunk_size)
        kept = owner.remembered("consent rows kept", lambda: [0])
        if entry not in owner.memo and kept[0] + reduced.size <= MEMO_ROWS:
            kept[0] += reduced.size
            owner.memo[entry] = tuple(fixed)
        fixed = owner.memo.get(entry, fixed)  # type: ignore[assignment]
    floor = reservation[None, :] - tol
    for f in fixed:
        approved = (f.utilities >= floor) & ~f.hits
        yield _Chunk(f.indices, f.digits, f.utilities, f.needed, f.hits, approved)


def _reduction(
    problem: Problem, key: object, derive: Callable[[], Problem] | None = None
) -> tuple[Problem, tuple[NDArray[np.int64], ...]]:
    """:func:`sim.core.frontier.feasible_reduction` of ``problem`` (or of the problem
    ``derive`` makes from its arrays, ``key`` naming how), kept in ``problem``'s memo. The
    reduced problem's reservations are those of whichever problem sharing the memo made it
    first: read the reservations from ``problem``."""
    return problem.remembered(
        ("feasible reduction", key), lambda: feasible_reduction(derive() if derive else problem)
    )


def _restricted(problem: Problem, masks: list[NDArray[np.bool_]]) -> Problem:
    """``problem`` with the options outside ``masks`` red-lined by every veto party: its
    feasible set is the feasible bundles taking only ``masks`` options, and nothing else about
    a bundle of that set changes (the added lines are on options no such bundle takes)."""
    return dataclasses.replace(
        problem,
        red_lines=tuple(
            lines | (problem.veto[:, None] & ~mask[None, :])
            for lines, mask in zip(problem.red_lines, masks, strict=True)
        ),
    )


def consent_space(
    problem: Problem,
    *,
    tol: float = DEFAULT_TOL,
    chunk_size: int = DEFAULT_CHUNK,
    limit: int | None = None,
) -> ConsentSpace:
    """Counts, frontier and binding constraints of a problem with consent, by enumerating
    its feasible bundles ``chunk_size`` at a time.

    Raises
    ------
    SpaceTooLargeError
        More than ``limit`` (default ``$SIM_MAX_CONSENT``, else :data:`CONSENT_LIMIT`)
        feasible bundles (or, lifting one veto party's red lines, bundles to enumerate).

    Examples
    --------
    One issue, a veto party ``p`` and a party ``q`` whose consent option ``b`` needs; ``q``
    refuses ``b`` (its reservation is 0.5, ``b`` gives it 0.2):

    >>> p = Problem("x", ("i",), (("a", "b", "c"),), ("p", "q"), np.array([True, False]),
    ...     np.ones(2), np.array([0.0, 0.5]),
    ...     (np.array([[0.1, 0.9, 0.5], [0.0, 0.2, 0.0]]),), (np.zeros((2, 3), bool),),
    ...     consent=(np.array([[False, False, False], [False, True, False]]),))
    >>> space = consent_space(p)
    >>> space.acceptable, space.indices.tolist(), space.reservation_excludes.tolist()
    (2, [2], [0, 1])
    """
    limit = env_limit("SIM_MAX_CONSENT", CONSENT_LIMIT) if limit is None else limit
    check_consent_size(problem, limit)
    reduced, kept = _reduction(problem, "feasible")
    judges = problem.judges
    veto = problem.veto
    acceptable = 0
    option_counts = [np.zeros(len(keep), dtype=np.int64) for keep in kept]
    reservation_excludes = np.zeros(judges.shape[0], dtype=np.int64)
    red_lines_exclude = np.zeros(judges.shape[0], dtype=np.int64)
    holder = ~veto[judges]

    def parts() -> Iterator[tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]]:
        nonlocal acceptable
        for chunk in _chunks(reduced, problem.reservation, tol, chunk_size, problem, "feasible"):
            refused = chunk.refusals
            count = refused.sum(axis=1)
            ok = count == 0
            acceptable += int(ok.sum())
            for k, counts in enumerate(option_counts):
                counts += np.bincount(chunk.digits[ok, k], minlength=counts.shape[0])
            alone = (count == 1)[:, None] & refused[:, judges]
            hit = chunk.hits[:, judges]
            reservation_excludes[:] += (alone & ~hit).sum(axis=0)
            meets = chunk.utilities[:, judges] >= problem.reservation[judges] - tol
            red_lines_exclude[:] += (alone & hit & meets & holder).sum(axis=0)
            vectors, keys = chunk.utilities[ok][:, judges], chunk.indices[ok]
            if vectors.shape[0]:
                elite.update(vectors)
                keep = ~elite.dominates(vectors)
                vectors, keys = vectors[keep], keys[keep]
            yield vectors, keys, np.ones(keys.shape[0], dtype=np.int64)

    elite = _Elite(judges.shape[0])
    _, keys, counts = _streamed_front(parts(), judges.shape[0], tol)
    indices = original_indices(problem, reduced, kept, keys)
    order = np.argsort(indices, kind="stable")
    for c, party in enumerate(judges.tolist()):
        if veto[party]:
            red_lines_exclude[c] = _lifted(problem, party, tol, chunk_size, limit)
    full_counts = []
    for k, keep in enumerate(kept):
        counts_k = np.zeros(int(problem.radices[k]), dtype=np.int64)
        counts_k[keep] = option_counts[k]
        full_counts.append(counts_k)
    return ConsentSpace(
        judges=judges,
        feasible=reduced.size,
        acceptable=acceptable,
        indices=indices[order],
        ties=counts[order] - 1,
        option_counts=tuple(full_counts),
        reservation_excludes=reservation_excludes,
        red_lines_exclude=red_lines_exclude,
    )


PRUNE_MARGIN = 1e-9
"""A vector below an acceptable one by more than this in every column is dropped before the
exact front is taken: it can be neither on the frontier nor tied with a point on it."""


class _Elite:
    """A few acceptable vectors that dominate much of the rest: for fixed positive weightings
    (each column alone, all equally, and a few seeded mixes), the best vector seen so far."""

    def __init__(self, m: int) -> None:
        mixes = np.random.default_rng(0).uniform(0.1, 1.0, size=(8, m))
        self.weights = np.concatenate([np.eye(m), np.ones((1, m)), mixes]).T
        self.best = np.zeros((0, m))

    def update(self, vectors: NDArray[np.float64]) -> None:
        scores = np.ascontiguousarray((vectors @ self.weights).T)
        pool = np.concatenate([self.best, vectors[scores.argmax(axis=1)]])
        self.best = np.unique(pool[np.argmax(pool @ self.weights, axis=0)], axis=0)

    def dominates(self, vectors: NDArray[np.float64]) -> NDArray[np.bool_]:
        """``(n,)`` True where some elite vector exceeds the row by the margin everywhere."""
        out = np.zeros(vectors.shape[0], dtype=np.bool_)
        for best in self.best:
            out |= (vectors < best - PRUNE_MARGIN).all(axis=1)
        return out


def _lifted(problem: Problem, party: int, tol: float, chunk_size: int, limit: int) -> int:
    """Bundles acceptable once veto party ``party``'s red lines are lifted that take one of
    them (so are not acceptable now). The bundles feasible without its red lines are
    enumerated once (those that take none of them are the feasible set, already within the
    limit), and those taking one of its red-lined options counted; the limit applies to the
    latter: for each issue ``k``, the bundles whose first option on ``party``'s red lines is on
    issue ``k``."""
    size, reduced, taken = problem.remembered(
        ("lifted reduction", party), lambda: _lifted_reduction(problem, party)
    )
    if size > limit:
        raise SpaceTooLargeError(
            f"with consent (`consent:` on a party without a veto) the analysis enumerates, for "
            f"each veto party, the bundles its red lines exclude: those of "
            f"{problem.parties[party]!r} number {size:,}, more than the limit of {limit:,} "
            "(raise it with $SIM_MAX_CONSENT)"
        )
    if size == 0:
        return 0
    total = 0
    chunks = _chunks(reduced, problem.reservation, tol, chunk_size, problem, ("lifted", party))
    for number, chunk in enumerate(chunks):

        def takes_one(chunk: _Chunk = chunk) -> NDArray[np.bool_]:
            takes = np.zeros(chunk.indices.shape[0], dtype=np.bool_)
            for k, lined in enumerate(taken):
                if lined.any():
                    takes |= lined[chunk.digits[:, k]]
            return takes

        takes = (
            problem.remembered(("lifted takes", party, chunk_size, number), takes_one)
            if reduced.size <= MEMO_ROWS  # a byte a bundle, at most this many per party
            else takes_one()
        )
        total += int((takes & ~chunk.refusals.any(axis=1)).sum())
    return total


def _lifted_reduction(problem: Problem, party: int) -> tuple[int, Problem, list[NDArray[np.bool_]]]:
    """For :func:`_lifted`: how many bundles it enumerates (those feasible without
    ``party``'s red lines that take one of them), the problem reduced to the bundles feasible
    without them, and per issue which of its options are on them."""
    lines = tuple(table.copy() for table in problem.red_lines)
    for table in lines:
        table[party] = False
    relaxed = dataclasses.replace(problem, red_lines=lines)
    allowed = relaxed.feasible_options()
    own = [table[party] for table in problem.red_lines]
    size = 0
    for k in range(len(allowed)):
        part = 1
        for j, (a, o) in enumerate(zip(allowed, own, strict=True)):
            part *= int((a & ~o if j < k else a & o if j == k else a).sum())
        size += part
    reduced, kept = feasible_reduction(relaxed)
    return size, reduced, [o[keep] for o, keep in zip(own, kept, strict=True)]


def some_completion_acceptable(
    problem: Problem,
    allowed: list[NDArray[np.bool_]],
    *,
    tol: float = DEFAULT_TOL,
    chunk_size: int = DEFAULT_CHUNK,
    limit: int | None = None,
) -> bool:
    """Whether some bundle taking only ``allowed`` options (per issue) is acceptable: feasible,
    and approved by every party whose consent it needs. Enumerates the feasible ones.

    Examples
    --------
    >>> p = Problem("x", ("i",), (("a", "b"),), ("p", "q"), np.array([True, False]),
    ...     np.ones(2), np.array([0.0, 0.5]), (np.array([[0.1, 0.9], [0.0, 0.2]]),),
    ...     (np.zeros((2, 2), bool),), consent=(np.array([[False, False], [False, True]]),))
    >>> some_completion_acceptable(p, [np.array([False, True])])
    False
    >>> some_completion_acceptable(p, [np.array([True, True])])
    True
    """
    masks = [a & f for a, f in zip(allowed, problem.feasible_options(), strict=True)]
    key = ("within", tuple(m.tobytes() for m in masks))
    reduced, _ = _reduction(problem, key, lambda: _restricted(problem, masks))
    check_consent_size(reduced, limit)  # all feasible: as many as the restricted problem's
    return any(
        not chunk.refusals.any(axis=1).all()
        for chunk in _chunks(reduced, problem.reservation, tol, chunk_size, problem, key)
    )


def consented_front(
    problem: Problem,
    *,
    tol: float = DEFAULT_TOL,
    chunk_size: int = DEFAULT_CHUNK,
    limit: int | None = None,
) -> NDArray[np.int64]:
    """Bundle indices (ascending) of the veto parties' Pareto frontier over the feasible
    bundles that every consent holder they need approves (the bargaining candidates of a
    large space with consent; without consent, the frontier of the feasible set)."""
    check_consent_size(problem, limit)
    reduced, kept = _reduction(problem, "feasible")
    veto = problem.veto_indices

    def parts() -> Iterator[tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]]:
        for chunk in _chunks(reduced, problem.reservation, tol, chunk_size):
            holders = chunk.refusals & ~problem.veto[None, :]
            ok = ~holders.any(axis=1) & (chunk.utilities[:, veto] >= -tol).all(axis=1)
            yield (
                chunk.utilities[ok][:, veto],
                chunk.indices[ok],
                np.ones(int(ok.sum()), dtype=np.int64),
            )

    _, keys, _ = _streamed_front(parts(), veto.shape[0], tol)
    return np.sort(original_indices(problem, reduced, kept, keys))

"""The bargaining-space analysis of a problem: counts, frontier, solutions, binding constraints."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.consent import consent_space
from sim.core.counting import DEFAULT_SAMPLES, Count, count_space
from sim.core.frontier import DEFAULT_CHUNK, MergeProgress, check_size, exact_frontier
from sim.core.pareto import DEFAULT_TOL
from sim.core.problem import Problem
from sim.core.solutions import SolutionRule, Solutions, bargaining_solutions, registered_rules
from sim.core.space import decode
from sim.core.utility import bundle_utilities, deciders


@dataclass(frozen=True)
class FrontierTable:
    """The frontier as listed in the outcome document.

    Attributes
    ----------
    indices
        ``(f,)`` bundle indices, ascending (the lowest of each tied group).
    ties
        ``(f,)`` other acceptable bundles with the same veto-utility vector.
    utilities
        ``(f, n_parties)`` every party's utility, veto or not.
    size
        Frontier points before any truncation.
    truncated
        True when ``frontier_limit`` cut the listing short.
    method
        ``"merge"`` or ``"enumeration"``.
    """

    indices: NDArray[np.int64]
    ties: NDArray[np.int64]
    utilities: NDArray[np.float64]
    size: int
    truncated: bool
    method: str


@dataclass(frozen=True)
class Binding:
    """Which veto-party constraints shape the acceptable set (``problem.veto_indices`` order).

    A constraint binds when lifting it alone would enlarge the acceptable set:
    ``reservation_excludes[i]`` counts feasible bundles that every other veto party accepts
    and that fail only party *i*'s reservation; ``red_lines_exclude[i]`` counts bundles that
    would be acceptable if party *i*'s red lines alone were lifted. For an estimated count,
    True is certain (a sampled bundle witnesses it) and False means none was sampled.
    """

    reservation_binds: NDArray[np.bool_]
    red_lines_bind: NDArray[np.bool_]
    reservation_excludes: tuple[Count, ...]
    red_lines_exclude: tuple[Count, ...]


@dataclass(frozen=True)
class Analysis:
    """Everything SPEC §1 and §3 say about a problem's outcome space.

    Attributes
    ----------
    veto
        Veto party positions in ``problem.parties``; arrays "per veto party" follow this order.
        With consent (``problem.consent``) these are the judges ``P``: the veto parties and
        every consent holder, in file order (:attr:`Problem.judges`); every array "per veto
        party" then has an entry per judge.
    bundles, feasible
        Exact sizes of the space and of the feasible set (Python ints).
    acceptable
        Size of the acceptable set (ZOPA), exact or a Monte Carlo estimate with a 95% interval.
    frontier
        The Pareto frontier of the acceptable set on the veto parties' utilities.
    solutions
        The bundle of each solution rule (by default Nash, Kalai-Smorodinsky, egalitarian and
        utilitarian), None where none exists;
        each carries every party's utility and each veto party's slack (gain).
    best_acceptable
        ``(n_veto,)`` each veto party's best utility over the acceptable set (the ``I_i`` of
        Kalai-Smorodinsky; a consent holder's ``I_i`` counts only the bundles that need it);
        NaN when the set is empty.
    option_shares
        Per issue, ``(n_options,)`` share of acceptable bundles taking each option; estimated
        when ``acceptable`` is; zeros when the set is empty (or no draw was acceptable).
    binding
        Which reservations and red lines bind.
    """

    veto: NDArray[np.intp]
    bundles: int
    feasible: int
    acceptable: Count
    frontier: FrontierTable
    solutions: Solutions
    best_acceptable: NDArray[np.float64]
    option_shares: tuple[NDArray[np.float64], ...]
    binding: Binding


def _at_least(count: Count, floor: int) -> Count:
    """An estimate raised to a known lower bound (exact counts are left alone)."""
    if count.exact or (count.value >= floor and count.low >= floor):
        return count
    return dataclasses.replace(
        count, value=max(count.value, floor), low=max(count.low, floor), high=max(count.high, floor)
    )


def analyse(
    problem: Problem,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    rng: np.random.Generator | None = None,
    frontier_limit: int | None = None,
    tol: float = DEFAULT_TOL,
    samples: int = DEFAULT_SAMPLES,
    rules: tuple[SolutionRule, ...] | None = None,
    progress: MergeProgress | None = None,
) -> Analysis:
    """Analyse the outcome space of ``problem`` (SPEC §1).

    The frontier is always exact: by enumeration for small feasible spaces, otherwise by
    merging issues (:func:`sim.core.frontier.frontier_by_merge`). Counts are exact up to the
    limits in :mod:`sim.core.counting`, then Monte Carlo estimates drawn from ``rng``.

    Memory is bounded by the chunking: ``chunk_size`` bundles or pairs at a time (a few tens of
    MB at the default), half-spaces of at most ``counting.HALF_LIMIT`` bundles (about 250 MB
    with their grouping and sorting, as measured on an exact count of 1e12 bundles) and at most
    ``frontier.FRONT_LIMIT`` partial frontier points (beyond which
    :class:`~sim.core.frontier.SpaceTooLargeError` is raised); the peak stays under about
    500 MB with the defaults.

    Parameters
    ----------
    problem
        The compiled problem.
    chunk_size
        Bundles, pairs or draws evaluated at once.
    rng
        For Monte Carlo estimates only; ``None`` means ``numpy.random.default_rng(0)``.
    frontier_limit
        List at most this many frontier points (lowest bundle indices first); the solutions
        and ``best_acceptable`` still use the whole frontier.
    tol
        Tolerance of SPEC §1's comparisons (reservations, identical vectors, ties).
    samples
        Monte Carlo draws per estimate.
    rules
        The bargaining solutions to compute (default: the four of SPEC §1).
    progress
        Told of each issue merged when the frontier is found by merging (a long analysis).

    A problem with consent (``problem.consent``) is analysed by enumerating its feasible
    bundles (:mod:`sim.core.consent`); every count is then exact.

    Raises
    ------
    SpaceTooLargeError
        When the space exceeds 2**62 bundles or its frontier exceeds ``FRONT_LIMIT`` points;
        with consent, when it has more than ``consent.CONSENT_LIMIT`` feasible bundles.

    Examples
    --------
    >>> p = Problem("split", ("share",), (("a", "b", "c"),), ("p", "q"),
    ...     np.array([True, True]), np.ones(2), np.array([0.2, 0.2]),
    ...     (np.array([[0.0, 0.5, 1.0], [1.0, 0.5, 0.0]]),), (np.zeros((2, 3), bool),))
    >>> a = analyse(p)
    >>> a.acceptable.value, a.frontier.indices.tolist(), a.solutions.nash.index
    (1, [1], 1)
    """
    rules = registered_rules() if rules is None else rules
    check_size(problem)
    if problem.consent is not None:
        return _analyse_consent(problem, chunk_size, frontier_limit, tol, rules)
    veto = problem.veto_indices
    frontier = exact_frontier(problem, tol=tol, chunk_size=chunk_size, progress=progress)
    utilities = bundle_utilities(problem, decode(frontier.indices, problem.radices))
    solutions = bargaining_solutions(
        utilities, frontier.indices, veto, problem.reservation, problem.power, tol, rules
    )
    counts = count_space(problem, rng=rng, tol=tol, chunk_size=chunk_size, samples=samples)
    listed = int(frontier.ties.sum()) + frontier.indices.shape[0]
    acceptable = _at_least(counts.acceptable, listed)
    if frontier.indices.shape[0]:
        best = frontier.veto_utilities.max(axis=0)
    else:
        best = np.full(veto.shape[0], np.nan)
        acceptable = Count(0, 0, 0, True, "frontier")
    shown = frontier.indices.shape[0] if frontier_limit is None else max(0, frontier_limit)
    table = FrontierTable(
        indices=frontier.indices[:shown],
        ties=frontier.ties[:shown],
        utilities=utilities[:shown],
        size=frontier.indices.shape[0],
        truncated=shown < frontier.indices.shape[0],
        method=frontier.method,
    )
    binding = Binding(
        reservation_binds=np.array([c.value > 0 for c in counts.reservation_excludes], bool),
        red_lines_bind=np.array([c.value > 0 for c in counts.red_lines_exclude], bool),
        reservation_excludes=counts.reservation_excludes,
        red_lines_exclude=counts.red_lines_exclude,
    )
    shares = counts.option_shares
    if acceptable.value == 0:
        shares = tuple(np.zeros_like(share) for share in shares)
    return Analysis(
        veto=veto,
        bundles=counts.bundles,
        feasible=counts.feasible,
        acceptable=acceptable,
        frontier=table,
        solutions=solutions,
        best_acceptable=best,
        option_shares=shares,
        binding=binding,
    )


def _analyse_consent(
    problem: Problem,
    chunk_size: int,
    frontier_limit: int | None,
    tol: float,
    rules: tuple[SolutionRule, ...],
) -> Analysis:
    """:func:`analyse` of a problem with consent, by enumeration (:mod:`sim.core.consent`)."""
    space = consent_space(problem, tol=tol, chunk_size=chunk_size)
    judges = space.judges
    digits = decode(space.indices, problem.radices)
    utilities = bundle_utilities(problem, digits)
    needed = deciders(problem, digits)[:, judges]
    solutions = bargaining_solutions(
        utilities,
        space.indices,
        judges,
        problem.reservation,
        problem.power,
        tol,
        rules,
        deciders=needed,
        vetoes=problem.veto[judges],
    )
    found = space.indices.shape[0]
    if found:
        best = np.where(needed, utilities[:, judges], -np.inf).max(axis=0)
        best = np.where(np.isneginf(best), np.nan, best)
    else:
        best = np.full(judges.shape[0], np.nan)
    shown = found if frontier_limit is None else max(0, frontier_limit)
    table = FrontierTable(
        indices=space.indices[:shown],
        ties=space.ties[:shown],
        utilities=utilities[:shown],
        size=found,
        truncated=shown < found,
        method="enumeration",
    )
    total = space.acceptable
    shares = tuple(
        counts / total if total else np.zeros(counts.shape[0]) for counts in space.option_counts
    )
    binding = Binding(
        reservation_binds=space.reservation_excludes > 0,
        red_lines_bind=space.red_lines_exclude > 0,
        reservation_excludes=tuple(_exact(int(n)) for n in space.reservation_excludes),
        red_lines_exclude=tuple(_exact(int(n)) for n in space.red_lines_exclude),
    )
    return Analysis(
        veto=judges,
        bundles=problem.size,
        feasible=space.feasible,
        acceptable=_exact(total),
        frontier=table,
        solutions=solutions,
        best_acceptable=best,
        option_shares=shares,
        binding=binding,
    )


def _exact(value: int) -> Count:
    return Count(value, value, value, True, "enumeration")

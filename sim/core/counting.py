"""How many bundles the space, the feasible set and the acceptable set (ZOPA) hold.

The feasible count is exact (a product of per-issue counts). The acceptable count is found by
splitting the issues into two halves (meet in the middle): each half's veto-utility vectors
are enumerated with their multiplicities and the pairs whose sum meets every reservation are
counted, by checking every pair in chunks (``enumeration``) or, for one or two veto parties,
by sorted dominance counting (``meet_in_the_middle``). Beyond both, a seeded Monte Carlo
estimate with a 95% Wilson (1927) interval is given and labelled as such.

Policy, with the limits below: every feasible space of up to ``ENUMERATION_PAIRS`` (5e8)
bundles is enumerated exactly, and larger ones too when identical half vectors bring the pairs
under that limit; with one or two veto parties, halves of up to ``HALF_LIMIT`` bundles (spaces
up to about 4e12) are counted exactly by dominance counting; otherwise the count is estimated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.frontier import DEFAULT_CHUNK, check_size, feasible_reduction
from sim.core.halves import Halves, dominance_counts, enumerate_halves, pair_counts
from sim.core.pareto import DEFAULT_TOL
from sim.core.problem import Problem
from sim.core.utility import bundle_utilities

ENUMERATION_PAIRS = 500_000_000
"""Most pairs of distinct half vectors checked one by one (about 300-500 million pairs a second
on one core, so at most 1-2 s per count)."""

HALF_LIMIT = 1 << 21
"""Most bundles in one half for an exact count (vectors of about 64 MB at 4 parties)."""

DEFAULT_SAMPLES = 1_000_000
"""Monte Carlo draws when no exact method applies."""

_Z95 = 1.959963984540054


@dataclass(frozen=True)
class Count:
    """A number of bundles, exact or estimated.

    ``low``/``high`` bound a 95% confidence interval (equal to ``value`` when exact);
    ``method`` is ``"product"``, ``"enumeration"``, ``"meet_in_the_middle"`` or
    ``"monte_carlo"``.
    """

    value: int
    low: int
    high: int
    exact: bool
    method: str


@dataclass(frozen=True)
class SpaceCounts:
    """Counts over the outcome space.

    Attributes
    ----------
    bundles, feasible
        Exact sizes of the space and of the feasible set.
    acceptable
        Size of the acceptable set (the ZOPA).
    option_shares
        Per issue, ``(n_options,)`` share of acceptable bundles taking each option (zeros when
        the ZOPA is empty); estimated when ``acceptable`` is.
    reservation_excludes
        Per veto party (``problem.veto_indices`` order): feasible bundles that every other veto
        party accepts and that fail only this party's reservation.
    red_lines_exclude
        Per veto party: bundles that would be acceptable if only this party's red lines were
        lifted, and are not now.
    """

    bundles: int
    feasible: int
    acceptable: Count
    option_shares: tuple[NDArray[np.float64], ...]
    reservation_excludes: tuple[Count, ...]
    red_lines_exclude: tuple[Count, ...]


def _exact(value: int, method: str) -> Count:
    return Count(value, value, value, True, method)


def wilson_count(hits: int, draws: int, population: int, method: str = "monte_carlo") -> Count:
    """Estimate of ``population * p`` from ``hits`` of ``draws``, with a 95% Wilson interval.

    Examples
    --------
    >>> c = wilson_count(50, 100, 1000)
    >>> c.value, c.low < 500 < c.high, c.exact
    (500, True, False)
    """
    if draws == 0:
        return Count(0, 0, population, False, method)
    p = hits / draws
    z2 = _Z95**2 / draws
    centre = (p + z2 / 2) / (1 + z2)
    half = _Z95 * np.sqrt(p * (1 - p) / draws + z2 / (4 * draws)) / (1 + z2)
    low = max(0, int(np.floor(population * max(0.0, centre - half))))
    high = min(population, int(np.ceil(population * min(1.0, centre + half))))
    return Count(round(population * p), low, high, False, method)


@dataclass(frozen=True)
class _Tally:
    acceptable: Count
    option_counts: tuple[NDArray[np.float64], ...]
    reservation_excludes: tuple[Count, ...]


def _exact_tally(
    halves: Halves, floor: NDArray[np.float64], chunk_size: int, *, detail: bool
) -> _Tally | None:
    """Exact counts from the two halves, or None when no exact method fits.

    Without ``detail`` only the total is computed (option counts and exclusions left empty).
    """
    a, b = halves.first, halves.second
    m = floor.shape[0]
    pairs = a.vectors.shape[0] * b.vectors.shape[0]
    only: list[int] = []
    option_counts: tuple[NDArray[np.float64], ...] = ()
    if pairs <= ENUMERATION_PAIRS:
        per_a, per_b, only = pair_counts(a, b, floor, chunk_size, exclusions=detail)
        method = "enumeration"
        if detail:
            option_counts = a.option_counts(per_a) + b.option_counts(per_b)
    elif m <= 2:
        per_a = dominance_counts(b.vectors, b.multiplicity, floor - a.vectors)
        method = "meet_in_the_middle"
        if detail:
            per_b = dominance_counts(a.vectors, a.multiplicity, floor - b.vectors)
            option_counts = a.option_counts(per_a) + b.option_counts(per_b)
            base = round(float(per_a @ a.multiplicity))
            for i in range(m):
                rest = np.arange(m) != i
                relaxed = dominance_counts(
                    b.vectors[:, rest], b.multiplicity, floor[rest] - a.vectors[:, rest]
                )
                only.append(round(float(relaxed @ a.multiplicity)) - base)
    else:
        return None
    total = round(float(per_a @ a.multiplicity))
    return _Tally(_exact(total, method), option_counts, tuple(_exact(n, method) for n in only))


def _sampled_tally(
    reduced: Problem,
    floor: NDArray[np.float64],
    samples: int,
    rng: np.random.Generator,
    chunk_size: int,
    marked: tuple[NDArray[np.bool_], ...] | None = None,
) -> _Tally:
    """Monte Carlo counts from uniform draws over ``reduced``'s (all feasible) bundles.

    With ``marked``, only draws taking some marked option count as hits.
    """
    veto = reduced.veto_indices
    m = veto.shape[0]
    hits = 0
    only = np.zeros(m, dtype=np.int64)
    option_counts = [np.zeros(int(r)) for r in reduced.radices]
    for lo in range(0, samples, chunk_size):
        n = min(chunk_size, samples - lo)
        digits = np.stack([rng.integers(0, int(r), size=n) for r in reduced.radices], axis=1)
        meets = bundle_utilities(reduced, digits)[:, veto] >= floor
        misses = m - meets.sum(axis=1)
        if marked is not None:
            hit_marked = np.zeros(n, dtype=np.bool_)
            for k, mark in enumerate(marked):
                hit_marked |= mark[digits[:, k]]
            misses = np.where(hit_marked, misses, m + 1)
        ok = misses == 0
        hits += int(ok.sum())
        only += ((misses == 1)[:, None] & ~meets).sum(axis=0)
        for k, counts in enumerate(option_counts):
            counts += np.bincount(digits[ok, k], minlength=counts.shape[0])
    population = reduced.size
    acceptable = wilson_count(hits, samples, population)
    scale = acceptable.value / hits if hits else 0.0
    return _Tally(
        acceptable,
        tuple(c * scale for c in option_counts),
        tuple(wilson_count(int(n), samples, population) for n in only),
    )


@dataclass
class _Settings:
    tol: float
    chunk_size: int
    samples: int
    rng: np.random.Generator | None
    method: str

    def generator(self) -> np.random.Generator:
        """The source of the draws, ``numpy.random.default_rng(0)`` if none was given, made on
        first use: an exact count neither draws nor imports ``numpy.random``."""
        if self.rng is None:
            self.rng = np.random.default_rng(0)
        return self.rng


def _tally(
    problem: Problem,
    settings: _Settings,
    marked: tuple[NDArray[np.bool_], ...] | None = None,
) -> tuple[_Tally, tuple[NDArray[np.int64], ...]]:
    """Counts over ``problem``.

    ``marked`` (per issue, over all options) asks for the total only: an exact tally counts
    every acceptable bundle, a Monte Carlo one only those taking some marked option.
    """
    reduced, kept = feasible_reduction(problem)
    veto = problem.veto_indices
    floor = problem.reservation[veto] - settings.tol
    method, chunk_size = settings.method, settings.chunk_size
    if reduced.size == 0:
        empty = _exact(0, "product")
        zeros = tuple(np.zeros(keep.shape[0]) for keep in kept)
        return _Tally(empty, zeros, tuple(empty for _ in veto)), kept
    if method != "monte_carlo":
        halves = enumerate_halves(reduced, HALF_LIMIT, chunk_size)
        if halves is not None:
            exact = _exact_tally(halves, floor, chunk_size, detail=marked is None)
            if exact is not None:
                return exact, kept
        if method != "auto":
            raise ValueError(f"no exact method fits this space ({reduced.size:,} bundles)")
    if marked is not None:
        marked = tuple(mark[keep] for mark, keep in zip(marked, kept, strict=True))
    sampled = _sampled_tally(
        reduced, floor, settings.samples, settings.generator(), chunk_size, marked
    )
    return sampled, kept


def _red_lines_exclude(problem: Problem, party: int, base: Count, settings: _Settings) -> Count:
    """Bundles that would be acceptable if ``party``'s red lines alone were lifted."""
    lifted = tuple(lines.copy() for lines in problem.red_lines)
    for lines in lifted:
        lines[party] = False
    relaxed = dataclasses.replace(problem, red_lines=lifted)
    if all(
        np.array_equal(a, b)
        for a, b in zip(relaxed.feasible_options(), problem.feasible_options(), strict=True)
    ):
        return _exact(0, "product")  # other veto parties reject the same options anyway
    own_lines = tuple(lines[party] for lines in problem.red_lines)
    tally, _ = _tally(relaxed, settings, own_lines)
    if tally.acceptable.exact and base.exact:
        return _exact(tally.acceptable.value - base.value, tally.acceptable.method)
    if tally.acceptable.exact:  # an estimate of the difference needs draws marked by the lines
        tally, _ = _tally(relaxed, dataclasses.replace(settings, method="monte_carlo"), own_lines)
    return tally.acceptable


def count_space(
    problem: Problem,
    *,
    rng: np.random.Generator | None = None,
    tol: float = DEFAULT_TOL,
    chunk_size: int = DEFAULT_CHUNK,
    samples: int = DEFAULT_SAMPLES,
    method: str = "auto",
) -> SpaceCounts:
    """Count the space, the feasible set and the acceptable set, and who constrains it.

    Parameters
    ----------
    problem
        The compiled problem.
    rng
        Source of the Monte Carlo draws, used only when no exact method fits; ``None`` means
        ``numpy.random.default_rng(0)``.
    tol
        A utility within ``tol`` below a reservation still meets it.
    chunk_size
        Pairs (or draws) evaluated at once; bounds the working memory.
    samples
        Monte Carlo draws per estimate.
    method
        ``"auto"``; ``"exact"`` (raise ValueError when no exact method fits) or
        ``"monte_carlo"`` to force one.

    Examples
    --------
    >>> p = Problem("x", ("a", "b"), (("0", "1"), ("0", "1", "2")), ("p", "q"),
    ...     np.array([True, True]), np.ones(2), np.array([0.5, 0.2]),
    ...     (np.array([[0.5, 0.0], [0.0, 0.5]]), np.array([[0.5, 0.25, 0.0], [0.0, 0.25, 0.5]])),
    ...     (np.zeros((2, 2), bool), np.array([[False, False, True], [False, False, False]])))
    >>> c = count_space(p)
    >>> c.bundles, c.feasible, c.acceptable.value, c.acceptable.method
    (6, 4, 2, 'enumeration')
    >>> [s.tolist() for s in c.option_shares]
    [[0.5, 0.5], [0.5, 0.5, 0.0]]
    """
    check_size(problem)
    settings = _Settings(tol, chunk_size, samples, rng, method)
    base, kept = _tally(problem, settings)
    total = base.acceptable.value
    shares = []
    for k, counts in enumerate(base.option_counts):
        share = np.zeros(problem.radices[k])
        if total > 0:
            share[kept[k]] = counts / counts.sum()
        shares.append(share)
    red_lines = tuple(
        _red_lines_exclude(problem, int(i), base.acceptable, settings) for i in problem.veto_indices
    )
    feasible = 1
    for keep in kept:
        feasible *= keep.shape[0]
    return SpaceCounts(
        bundles=problem.size,
        feasible=feasible,
        acceptable=base.acceptable,
        option_shares=tuple(shares),
        reservation_excludes=base.reservation_excludes,
        red_lines_exclude=red_lines,
    )

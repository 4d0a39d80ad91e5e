"""The static layer over a block of draws at once: zone, acceptable count, frontier, the four
solutions and the proposal verdicts.

A draw changes numbers, not structure: the issues, options, red lines and vetoes are fixed, so
the feasible bundles are the same in every draw. The weighted value tables and reservation
values of the whole block come from compile's own functions over the block's draws
(:func:`sim.compile.value_tables`, :func:`sim.compile.reservation_of` with the drawn
:class:`~sim.compile.Values`); the veto parties' utilities of every feasible bundle are
the sum of two half-space tables (the first issues and the rest), one array operation for the
block. The frontier of each draw's acceptable set and the solutions on it reuse the core's
:func:`~sim.core.pareto.distinct_pareto_front` and
:func:`~sim.core.solutions.bargaining_solutions`, so they follow SPEC §1's ties exactly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.analysis.analyse import allowed_options
from sim.analysis.strategy import candidates, feasible_bundles
from sim.compile import (
    Values,
    compile_problem,
    compiled_tables,
    imposed_utilities,
    interaction_layout,
    lever_values,
    reservation_of,
)
from sim.core.pareto import DEFAULT_TOL, distinct_pareto_front
from sim.core.problem import Problem
from sim.core.solutions import bargaining_solutions, registered_rules
from sim.core.space import decode, encode
from sim.core.utility import ACCEPT_TOL, bundle_utilities, consent_parts, refused_by_consent
from sim.core.verdict import (
    TermBounds,
    Verdict,
    consent_components,
    option_starts,
    side_by_side,
    term_bounds,
)
from sim.errors import InputError
from sim.model.resolve import LoadedScenario
from sim.model.schema import Scenario
from sim.montecarlo.budget import check_structure
from sim.montecarlo.front import front_layer, packed_slots
from sim.montecarlo.judgments import Judgment
from sim.montecarlo.plane import plane_layer

VERDICTS = (Verdict.REJECTS, Verdict.ACCEPTS, Verdict.SOME, Verdict.NO_RESERVATION)
"""Verdict codes: position in this tuple."""
VERDICT_WORDS = ("rejects", "accepts", "some", "not_consulted")
"""Each verdict code in tables (``some``: accepts under some completions of open issues)."""

FEASIBLE_LIMIT = 1 << 24
"""Most feasible bundles a scenario may have (a draw's utilities of them take 128 MB a party)."""

BLOCK_CELLS = 1 << 22
"""Draw x bundle x veto-party cells evaluated at once (32 MB of utilities)."""

Column = NDArray[np.float64] | float


@dataclass(frozen=True)
class Structure:
    """What is fixed across draws: the compiled scenario, its feasible bundles and proposals.

    Attributes
    ----------
    scenario, problem
        The scenario as stated and its compiled problem.
    judgments
        The fields that vary, in the column order of drawn blocks.
    kept
        Per issue, the feasible option indices (no veto party red-lines them).
    split
        The first ``split`` issues form the first half-space.
    first, second
        ``(F1, split)`` and ``(F2, k - split)`` option digits of the half-spaces' bundles.
    bundles
        ``(F1 * F2,)`` indices of the feasible bundles, ascending.
    proposals
        Proposal ids and, per compiled issue, the options their terms allow (a composite
        issue's options where the terms fix some of its members).
    consent
        With consent (``problem.consent``): per half-space, ``(F_half, n_parties)`` whether a
        bundle taking that half needs the party's consent, and whether it takes one of the
        party's red-lined options (both fixed across draws); None without consent.
    """

    scenario: Scenario
    problem: Problem
    judgments: tuple[Judgment, ...]
    kept: tuple[NDArray[np.int64], ...]
    split: int
    first: NDArray[np.int64]
    second: NDArray[np.int64]
    bundles: NDArray[np.int64]
    proposals: tuple[tuple[str, tuple[NDArray[np.bool_], ...]], ...]
    consent: ConsentHalves | None = None

    @property
    def solution_names(self) -> tuple[str, ...]:
        """The keys of the solution rules registered now (:func:`registered_rules`)."""
        return tuple(rule.key for rule in registered_rules())


PLANE_NAMES = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
"""The solutions the two-party plane layer computes for a whole block; with any other set of
rules registered, every draw goes to the per-draw core (:func:`_core_draw`)."""


@dataclass(frozen=True)
class ConsentHalves:
    """Per half-space (first, second), ``(F_half, n_parties)``: the half's options need the
    party's consent (``needs``), take one of its red-lined options (``hits``); ``packed``:
    ``needs`` with each row's parties as the bits of one integer (None beyond 64 parties)."""

    needs: tuple[NDArray[np.bool_], NDArray[np.bool_]]
    hits: tuple[NDArray[np.bool_], NDArray[np.bool_]]
    packed: tuple[NDArray[np.uint64], NDArray[np.uint64]] | None = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        first, second = packed_bits(self.needs[0]), packed_bits(self.needs[1])
        packed = None if first is None or second is None else (first, second)
        object.__setattr__(self, "packed", packed)

    def deciders(self, positions: NDArray[np.int64], size: int) -> NDArray[np.bool_]:
        """``(..., n_parties)`` whose consent the feasible bundles at ``positions`` (into
        ``Structure.bundles``; ``size`` bundles in the second half) need, beyond vetoes."""
        return self.deciders_at(*np.divmod(positions, size))

    def deciders_at(
        self,
        first_at: NDArray[np.int64],
        second_at: NDArray[np.int64],
        parties: NDArray[np.int64] | None = None,
    ) -> NDArray[np.bool_]:
        """:meth:`deciders` of the bundles made of the first half's ``first_at`` and the
        second half's ``second_at``; of the columns ``parties`` only, if given."""
        if self.packed is None:
            first, second = self.needs
            needed: NDArray[np.bool_] = first[first_at] | second[second_at]
            return needed if parties is None else needed[..., parties]
        columns = np.arange(self.needs[0].shape[1]) if parties is None else parties
        bits = self.packed[0].take(first_at) | self.packed[1].take(second_at)
        shifted = bits[..., None] >> np.asarray(columns, dtype=np.uint64)
        return np.asarray(shifted & np.uint64(1), dtype=np.bool_)


def packed_bits(flags: NDArray[np.bool_]) -> NDArray[np.uint64] | None:
    """``(F, P)`` flags as ``(F,)`` integers, column ``p`` in bit ``p``; None if ``P > 64``."""
    if flags.shape[1] > 64:
        return None
    weights = np.left_shift(np.uint64(1), np.arange(flags.shape[1], dtype=np.uint64))
    bits = np.where(flags, weights[None, :], np.uint64(0))
    return np.asarray(np.bitwise_or.reduce(bits, axis=1, initial=np.uint64(0)), dtype=np.uint64)


def _consent_halves(
    problem: Problem, first: NDArray[np.int64], second: NDArray[np.int64], split: int
) -> ConsentHalves | None:
    consent = problem.consent
    if consent is None:
        return None
    halves = ((first, range(split)), (second, range(split, len(problem.issues))))
    needs, hits = [], []
    for digits, issues in halves:
        need = np.zeros((digits.shape[0], problem.n_parties), dtype=np.bool_)
        hit = np.zeros_like(need)
        for column, k in enumerate(issues):
            need |= consent[k].T[digits[:, column]]
            hit |= problem.red_lines[k].T[digits[:, column]]
        needs.append(need & ~problem.veto[None, :])
        hits.append(hit)
    return ConsentHalves((needs[0], needs[1]), (hits[0], hits[1]))


def _product(kept: tuple[NDArray[np.int64], ...]) -> NDArray[np.int64]:
    if not kept:
        return np.zeros((1, 0), dtype=np.int64)
    radices = np.array([k.shape[0] for k in kept], dtype=np.int64)
    digits = decode(np.arange(int(np.prod(radices)), dtype=np.int64), radices)
    for j, keep in enumerate(kept):
        digits[:, j] = keep[digits[:, j]]
    return digits


def build_structure(loaded: LoadedScenario, judgments: tuple[Judgment, ...]) -> Structure:
    """Compile once; the feasible bundles split into two half-spaces of similar size.

    Raises
    ------
    InputError
        The scenario has interaction terms (not supported by the vectorised layer yet) or more
        than :data:`FEASIBLE_LIMIT` feasible bundles.
    """
    scenario = loaded.scenario
    problem = compile_problem(scenario)
    kept = tuple(np.flatnonzero(a).astype(np.int64) for a in problem.feasible_options())
    sizes = [k.shape[0] for k in kept]
    feasible = 1
    for size in sizes:
        feasible *= size
    if feasible > FEASIBLE_LIMIT:
        raise InputError(
            f"{scenario.name}: `sim uncertainty` enumerates the feasible bundles in every draw; "
            f"this scenario has {feasible:,}, more than {FEASIBLE_LIMIT:,}"
        )
    check_structure(scenario.name, feasible, len(sizes), len(problem.judges))
    total = float(np.prod(sizes)) if sizes else 1.0
    split = min(range(len(sizes) + 1), key=lambda s: abs(float(np.prod(sizes[:s])) ** 2 - total))
    first, second = _product(kept[:split]), _product(kept[split:])
    digits = np.concatenate(
        [np.repeat(first, second.shape[0], axis=0), np.tile(second, (first.shape[0], 1))], axis=1
    )
    bundles = encode(digits, problem.radices) if digits.shape[1] else np.zeros(1, np.int64)
    proposals = tuple(
        (pid, tuple(allowed_options(problem, proposal.terms, f"proposals.{pid}")))
        for pid, proposal in scenario.proposals.items()
    )
    return Structure(
        scenario,
        problem,
        judgments,
        kept,
        split,
        first,
        second,
        bundles,
        proposals,
        _consent_halves(problem, first, second, split),
    )


def drawn_values(structure: Structure, drawn: NDArray[np.float64]) -> Values:
    """The value source of a block: the judgments' drawn columns (``drawn``: ``(D, J)`` in
    ``structure.judgments`` order), every other field as stated."""
    return Values({j.path: drawn[:, i] for i, j in enumerate(structure.judgments)})


def block_arrays(
    structure: Structure, drawn: NDArray[np.float64]
) -> tuple[list[NDArray[np.float64]], NDArray[np.float64], NDArray[np.float64]]:
    """Per draw, the weighted value tables ``(D, n_parties, n_options)`` per issue, the
    reservation values ``(D, n_parties)`` and the powers ``(D, n_parties)``: compile's
    :func:`~sim.compile.value_tables` and :func:`~sim.compile.reservation_of` over the block's
    draws (a war valued over its outcomes' terms needs every party's drawn table)."""
    s, problem, n = structure.scenario, structure.problem, drawn.shape[0]
    values = drawn_values(structure, drawn)
    levers = lever_values(s, values)
    issues, options = problem.bundle_issues, problem.bundle_options
    layout = interaction_layout(s, issues, options)
    tables = compiled_tables(s, issues, options, layout, values, n)
    imposed = imposed_utilities(s, problem, tables)
    reservation = np.empty((n, problem.n_parties))
    power = np.empty((n, problem.n_parties))
    for i, (pid, party) in enumerate(s.parties.items()):
        power[:, i] = values.get(f"parties.{pid}.power", party.power)
        reservation[:, i] = reservation_of(s, problem, pid, values, levers, imposed)
    return tables, reservation, power


GATHER_DRAWS = 64
"""Most draws whose candidates' utilities are gathered at once: a few megabytes for the case,
which stay in cache (gathered for a whole block, the arrays are memory-bound and slower than
one draw at a time)."""

GATHER_CELLS = 1 << 19
"""Most draw x bundle x party utilities gathered at once (4 MB): fewer draws at a time for a
large space, one at a time beyond (as :func:`~sim.analysis.strategy.candidates` would)."""


@dataclass(frozen=True, eq=False)
class Candidates:
    """The bargaining candidates of draws ``start`` to ``stop`` of a block, as
    :func:`~sim.analysis.strategy.candidates` gives each draw's: ``indices`` ``(m,)``, every
    party's utility of them ``(stop - start, m, n_parties)``, and ``keep`` ``(stop - start,
    m)`` the ones each draw keeps (those no consent holder refuses; None: all)."""

    start: int
    stop: int
    indices: NDArray[np.int64]
    utilities: NDArray[np.float64]
    keep: NDArray[np.bool_] | None

    def of(self, draw: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """The candidates of draw ``draw`` (of the block) and their utilities."""
        k = draw - self.start
        if self.keep is None:
            return self.indices, self.utilities[k]
        return self.indices[self.keep[k]], self.utilities[k][self.keep[k]]


def candidate_pieces(
    problem: Problem,
    tables: list[NDArray[np.float64]],
    reservation: NDArray[np.float64],
    power: NDArray[np.float64],
) -> Iterator[Candidates]:
    """The bargaining candidates of every draw of a block (``tables``, ``reservation`` and
    ``power``: :func:`block_arrays`), a piece of draws at a time: every feasible bundle
    (:func:`~sim.analysis.strategy.feasible_bundles`) with every party's utility, gathered
    up to :data:`GATHER_DRAWS` draws and :data:`GATHER_CELLS` values at a time, the same
    floats as each draw's own problem gives; with consent, the ones a consent holder would
    refuse in a draw marked (:func:`~sim.core.utility.refused_by_consent` over the draws).
    Where candidates come from the frontier (a space too large), one draw at a time, as
    :func:`~sim.analysis.strategy.candidates` takes it."""
    n = reservation.shape[0]
    bundles = feasible_bundles(problem)
    if bundles is None:
        for d in range(n):
            drawn = dataclasses.replace(
                problem,
                tables=tuple(np.ascontiguousarray(t[d]) for t in tables),
                reservation=reservation[d].copy(),
                power=power[d].copy(),
            )
            indices, utilities, _ = candidates(drawn)
            yield Candidates(d, d + 1, indices, utilities[None], None)
        return
    indices, digits = bundles
    parts = None if problem.consent is None else consent_parts(problem, digits)
    cells = indices.shape[0] * problem.n_parties
    step = max(1, min(GATHER_DRAWS, GATHER_CELLS // max(1, cells)))
    for start in range(0, n, step):
        stop = min(n, start + step)
        utilities = bundle_utilities(problem, digits, [t[start:stop] for t in tables])
        keep = (
            None
            if parts is None
            else ~refused_by_consent(
                problem, digits, utilities, parts=parts, reservation=reservation[start:stop]
            )
        )
        yield Candidates(start, stop, indices, utilities, keep)


def per_draw(
    pieces: Iterable[Candidates],
) -> Iterator[tuple[int, NDArray[np.int64], NDArray[np.float64]]]:
    """Each draw's number, candidates and their utilities, from :func:`candidate_pieces`."""
    for piece in pieces:
        for d in range(piece.start, piece.stop):
            yield d, *piece.of(d)


MEASURES = ("surplus", "utility_low", "utility_high", "reservations")
"""The per-draw measures of the zone (:class:`ZoneMeasures`), by field name."""


@dataclass(frozen=True, eq=False)
class ZoneMeasures:
    """Per draw, what the zone is worth (:func:`sim.montecarlo.static.zone_measures`).

    Attributes
    ----------
    surplus
        ``(N,)`` the zone's joint surplus: the largest sum of the veto parties' utilities
        above their reservations over the acceptable bundles (NaN without a zone).
    utility_low, utility_high
        ``(N, J)`` each judge's (``problem.judges``) least and greatest utility in the zone.
    reservations
        ``(N, J)`` each judge's drawn reservation utility.
    """

    surplus: NDArray[np.float64]
    utility_low: NDArray[np.float64]
    utility_high: NDArray[np.float64]
    reservations: NDArray[np.float64]


@dataclass(frozen=True)
class BlockResult:
    """The static layer of a block of ``D`` draws.

    Attributes
    ----------
    acceptable
        ``(D,)`` number of acceptable bundles.
    frontier
        ``(D,)`` number of distinct frontier points.
    solutions
        ``(D, 4)`` bundle index of Nash, KS, egalitarian and utilitarian; -1 where none.
    verdicts
        ``(D, n_proposals, n_parties)`` verdict codes (positions in :data:`VERDICTS`).
    bundle_counts
        ``(F,)`` in how many of the block's draws each feasible bundle is acceptable.
    completable
        ``(D, n_proposals)`` some completion of the proposal's terms is acceptable to every
        judge (with consent, see :func:`sim.core.consent.some_completion_acceptable`): the
        proposal's terms meet the zone.
    measures
        What the zone is worth in each draw (:class:`ZoneMeasures`).
    """

    acceptable: NDArray[np.int64]
    frontier: NDArray[np.int64]
    solutions: NDArray[np.int64]
    verdicts: NDArray[np.int8]
    bundle_counts: NDArray[np.int64]
    completable: NDArray[np.bool_]
    measures: ZoneMeasures

    def take(self, rows: NDArray[np.intp]) -> BlockResult:
        """The draws ``rows`` (in that order; a row may repeat), ``bundle_counts`` kept as it
        is (the caller counted each draw as often as it appears)."""
        m = self.measures
        return BlockResult(
            self.acceptable[rows],
            self.frontier[rows],
            self.solutions[rows],
            self.verdicts[rows],
            self.bundle_counts,
            self.completable[rows],
            ZoneMeasures(
                m.surplus[rows], m.utility_low[rows], m.utility_high[rows], m.reservations[rows]
            ),
        )


def distinct_rows(
    arrays: list[NDArray[np.float64]], n: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The first of each set of rows that are the same, bit for bit, in every array (leading
    axis ``n``), ascending, and for each row the position of its set's first among them."""
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    key = np.concatenate(
        [np.ascontiguousarray(a.reshape(n, -1), dtype=np.float64).view(np.uint64) for a in arrays],
        axis=1,
    )
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    return first[order].astype(np.intp), rank[inverse.reshape(-1)].astype(np.intp)


def _half_sums(
    tables: list[NDArray[np.float64]], issues: range, digits: NDArray[np.int64], party: int
) -> NDArray[np.float64]:
    """``(D, F_half)`` one party's utility of each bundle of a half-space, issue by issue."""
    n = tables[0].shape[0] if tables else 0
    sums = np.zeros((n, digits.shape[0]))
    for column, k in enumerate(issues):
        sums += tables[k][:, party, digits[:, column]]
    return sums


def evaluate_block(
    structure: Structure, drawn: NDArray[np.float64], tol: float = DEFAULT_TOL
) -> BlockResult:
    """The static layer of every draw of a block (rows of ``drawn``, columns of judgments).

    A veto party's utility of a feasible bundle is its first-half sum plus its second-half
    sum; only the acceptable bundles' utilities are gathered, into ``(D, width)`` arrays
    padded with ``-inf`` (``width``: the most acceptable bundles of any draw of the block).
    With consent, the same for every judge (veto parties and consent holders); a consent
    holder's reservation and red lines count where a bundle needs its consent.

    Draws whose compiled numbers (value tables, reservations, powers) are the same bit for
    bit are evaluated once (:func:`distinct_rows`): the one-at-a-time design of the
    sensitivity analysis moves one judgment at a time, and a third of its rows move only
    what the static layer does not read (a discount, a drift).
    """
    tables, reservation, power = block_arrays(structure, drawn)
    first, where = distinct_rows([*tables, reservation, power], drawn.shape[0])
    if first.shape[0] == drawn.shape[0]:
        return _evaluate(structure, tables, reservation, power, tol, None)
    counted = np.bincount(where, minlength=first.shape[0]).astype(np.int64)
    once = [t[first] for t in tables], reservation[first], power[first]
    return _evaluate(structure, *once, tol, counted).take(where)


def _evaluate(
    structure: Structure,
    tables: list[NDArray[np.float64]],
    reservation: NDArray[np.float64],
    power: NDArray[np.float64],
    tol: float,
    counted: NDArray[np.int64] | None,
) -> BlockResult:
    """:func:`evaluate_block` of draws given by their compiled numbers; ``counted``: how many
    draws each stands for (None: one each), for the bundles' acceptable counts."""
    problem = structure.problem
    n = reservation.shape[0]
    veto = problem.judges
    split, k = structure.split, len(problem.issues)
    halves = [
        (
            _half_sums(tables, range(split), structure.first, int(v)),
            _half_sums(tables, range(split, k), structure.second, int(v)),
        )
        for v in veto
    ]
    grid = np.ones((n, structure.first.shape[0], structure.second.shape[0]), dtype=np.bool_)
    consent = structure.consent
    for c, (head, tail) in enumerate(halves):
        floor = reservation[:, veto[c]] - ACCEPT_TOL
        meets = head[:, :, None] + tail[:, None, :] >= floor[:, None, None]
        if consent is None or problem.veto[veto[c]]:
            grid &= meets
            continue
        j = int(veto[c])
        needed = consent.needs[0][:, j, None] | consent.needs[1][None, :, j]
        hit = consent.hits[0][:, j, None] | consent.hits[1][None, :, j]
        grid &= ~needed[None] | (meets & ~hit[None])
    ok: NDArray[np.bool_] = grid.reshape(n, -1)
    rows, positions, slot, acceptable, width = packed_slots(ok)
    position = np.zeros((n, width), dtype=np.int64)
    position[rows, slot] = positions
    valid = np.zeros((n, width), dtype=np.bool_)
    valid[rows, slot] = True
    size = structure.second.shape[0]
    first_at, second_at = np.divmod(position, size)  # each kept bundle's two halves
    if ok.shape[1] == 0:  # no feasible bundle: nothing to gather
        columns = [np.full((n, width), -np.inf) for _ in halves]
        indices = np.full((n, width), -1, dtype=np.int64)
    else:
        draw = np.arange(n)[:, None]
        in_head = first_at + draw * structure.first.shape[0]  # flat, into (n, F_first)
        in_tail = second_at + draw * size
        columns = [
            np.where(valid, head.take(in_head) + tail.take(in_tail), -np.inf)
            for head, tail in halves
        ]
        indices = structure.bundles[position]
    surplus, low, high = zone_measures(columns, valid, reservation[:, veto], problem.veto[veto])
    frontier = np.zeros(n, dtype=np.int64)
    names = structure.solution_names
    solutions = np.full((n, len(names)), -1, dtype=np.int64)
    by_core = acceptable > 0
    if veto.shape[0] == 2 and consent is None and names == PLANE_NAMES:
        plane = plane_layer(columns, valid, indices, reservation[:, veto], power[:, veto], tol)
        frontier, solutions = plane.frontier, plane.solutions
        by_core &= plane.to_core
    elif names == PLANE_NAMES and by_core.any():  # any judges, with consent: in one pass
        rows = np.flatnonzero(by_core)
        deciders_all = None
        if consent is not None:
            deciders_all = consent.deciders_at(first_at[rows], second_at[rows], veto)
            deciders_all |= problem.veto[veto][None, None, :]
        layer = front_layer(
            [c[rows] for c in columns],
            valid[rows],
            indices[rows],
            reservation[rows][:, veto],
            power[rows][:, veto],
            tol,
            deciders_all,
            problem.veto[veto] if consent is not None else None,
        )
        frontier[rows], solutions[rows] = layer.frontier, layer.solutions
        by_core[rows] = layer.to_core
    for d in np.flatnonzero(by_core):
        count = int(acceptable[d])
        vectors = np.stack([c[d, :count] for c in columns], axis=1)
        deciders = None
        if consent is not None:
            needed = consent.deciders_at(first_at[d, :count], second_at[d, :count], veto)
            deciders = needed | problem.veto[veto][None, :]
        frontier[d], solutions[d] = _core_draw(
            vectors,
            indices[d, :count],
            reservation[d, veto],
            power[d, veto],
            tol,
            deciders,
            problem.veto[veto],
            names,
        )
    verdicts = proposal_verdicts(structure, tables, reservation)
    completable = np.ones((n, len(structure.proposals)), dtype=np.bool_)
    if structure.proposals:
        for p, (_, allowed) in enumerate(structure.proposals):
            takes_first = np.ones(structure.first.shape[0], dtype=np.bool_)
            takes_second = np.ones(structure.second.shape[0], dtype=np.bool_)
            for issue, mask in enumerate(allowed):
                if issue < split:
                    takes_first &= mask[structure.first[:, issue]]
                else:
                    takes_second &= mask[structure.second[:, issue - split]]
            takes = takes_first[None, :, None] & takes_second[None, None, :]
            completable[:, p] = (grid & takes).any(axis=(1, 2))
    return BlockResult(
        acceptable,
        frontier,
        solutions,
        verdicts,
        (ok.sum(axis=0) if counted is None else counted @ ok).astype(np.int64),
        completable,
        ZoneMeasures(surplus, low, high, reservation[:, veto]),
    )


def zone_measures(
    columns: list[NDArray[np.float64]],
    valid: NDArray[np.bool_],
    reservation: NDArray[np.float64],
    vetoes: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The zone's joint surplus ``(D,)`` and each judge's least and greatest utility in it
    ``(D, J)``, from the judges' utilities of each draw's acceptable bundles (``columns``,
    ``(D, width)`` each, ``valid`` where a slot holds a bundle) and their reservations
    ``(D, J)``; the surplus sums the veto parties' (``vetoes``) utilities above reservation.
    NaN where a draw has no acceptable bundle."""
    n, width = valid.shape
    some = valid.any(axis=1)
    total = np.zeros((n, width))
    low = np.full((n, len(columns)), np.nan)
    high = np.full((n, len(columns)), np.nan)
    for c, column in enumerate(columns):
        if vetoes[c]:
            total += column - reservation[:, c, None]
        low[some, c] = np.where(valid, column, np.inf).min(axis=1)[some]
        high[some, c] = column.max(axis=1)[some]
    surplus = np.full(n, np.nan)
    surplus[some] = np.where(valid, total, -np.inf).max(axis=1)[some]
    return surplus, low, high


def _core_draw(
    vectors: NDArray[np.float64],
    keys: NDArray[np.int64],
    reservation: NDArray[np.float64],
    power: NDArray[np.float64],
    tol: float,
    deciders: NDArray[np.bool_] | None = None,
    vetoes: NDArray[np.bool_] | None = None,
    names: tuple[str, ...] = PLANE_NAMES,
) -> tuple[int, list[int]]:
    """Frontier size and solutions of one draw by the core's own functions (``deciders``:
    with consent, whose consent each bundle needs, over the columns)."""
    front = distinct_pareto_front(vectors, tol, keys=keys)
    chosen = bargaining_solutions(
        vectors[front.rows],
        keys[front.rows],
        np.arange(vectors.shape[1]),
        reservation,
        power,
        tol,
        deciders=None if deciders is None else deciders[front.rows],
        vetoes=vetoes if deciders is not None else None,
    ).as_dict()
    found = [chosen.get(name) for name in names]
    return int(front.rows.shape[0]), [-1 if s is None else s.index for s in found]


def proposal_verdicts(
    structure: Structure, tables: list[NDArray[np.float64]], reservation: NDArray[np.float64]
) -> NDArray[np.int8]:
    """Verdict codes ``(D, n_proposals, n_parties)`` as :func:`sim.core.verdict.judge_terms`
    decides them, from the same bounds (:func:`sim.core.verdict.term_bounds`, over the draw
    axis): open issues bound the utility by their worst and best (red-line free) options. A
    consent holder is judged over the completions that need its consent, a union of products
    (:func:`sim.core.verdict.consent_components`): it accepts (rejects) where it accepts
    (rejects) each product, and is not consulted where none needs it."""
    problem = structure.problem
    n = reservation.shape[0]
    codes = np.empty((n, len(structure.proposals), problem.n_parties), dtype=np.int8)
    holders = set(problem.consent_holders.tolist())
    values, lines = side_by_side(tables), side_by_side(problem.red_lines)
    starts = option_starts(problem.radices)
    for p, (_, masks) in enumerate(structure.proposals):
        allowed = list(masks)
        for i in range(problem.n_parties):
            parts = consent_components(problem, allowed, i) if i in holders else None

            def code_of(part: list[NDArray[np.bool_]], i: int = i) -> NDArray[np.int8]:
                bounds = term_bounds(values[:, i], lines[i], np.concatenate(part), starts)
                return _verdict_code(bounds, reservation[:, i])

            if parts is None:
                codes[:, p, i] = code_of(allowed)
            elif not parts:
                codes[:, p, i] = 3
            else:
                each = np.stack([code_of(part) for part in parts])
                code = np.full(n, 2, dtype=np.int8)
                code[(each == 0).all(axis=0)] = 0
                code[(each == 1).all(axis=0)] = 1
                codes[:, p, i] = code
    return codes


def _verdict_code(bounds: TermBounds, r: NDArray[np.float64]) -> NDArray[np.int8]:
    """A party's verdict code in each draw from its bounds over the draws (reservation ``r``):
    the decision of :func:`sim.core.verdict.judge_allowed`."""
    n = r.shape[0]
    if bounds.hit.any() or bounds.blocked.any():
        return np.zeros(n, dtype=np.int8)
    code = np.full(n, 2, dtype=np.int8)
    code[bounds.high < r - ACCEPT_TOL] = 0
    if not bounds.possible.any():
        code[bounds.low >= r - ACCEPT_TOL] = 1
    code[np.isnan(r)] = 3
    return code


def block_size(structure: Structure) -> int:
    """Draws per block so that a block's utilities, and its value tables (every party's value
    of every compiled option: a composite issue may have millions of options while few bundles
    are feasible), each stay within :data:`BLOCK_CELLS` cells."""
    problem = structure.problem
    cells = max(
        structure.bundles.shape[0] * max(1, int(problem.judges.shape[0])),
        problem.n_parties * int(problem.radices.sum()),
    )
    return int(max(1, min(4096, BLOCK_CELLS // max(1, cells))))


def accepted_by_all(
    verdicts: NDArray[np.int8], completable: NDArray[np.bool_] | None, problem: Problem
) -> NDArray[np.bool_]:
    """``(N, n_proposals)`` from verdict codes ``(N, n_proposals, n_parties)``: every veto party
    accepts (every completion), and some completion is acceptable (``completable``, with
    consent; None: not needed)."""
    accepts = verdicts[:, :, problem.veto_indices] == VERDICTS.index(Verdict.ACCEPTS)
    every: NDArray[np.bool_] = np.all(accepts, axis=2)
    if completable is not None and problem.consent is not None:
        every &= completable
    return every

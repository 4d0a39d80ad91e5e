"""One negotiation on a scenario: seat the agents, play the protocol, measure the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.agents.agents import AgentKind, Seat, equilibrium_plan
from sim.agents.protocols import (
    MEDIATOR,
    PROTOCOLS,
    Played,
    ProtocolKey,
    single_text,
    stacked_alternating_offers,
)
from sim.agents.result import NegotiationResult, Point, Summary, TraceEntry
from sim.agents.table import Table
from sim.analysis.strategy import CANDIDATE_LIMIT, candidates
from sim.compile import compile_problem
from sim.core.pareto import pareto_front
from sim.core.problem import Problem
from sim.core.solutions import nash_bargaining_solution
from sim.core.utility import ACCEPT_TOL
from sim.errors import InputError, display_path
from sim.model.resolve import LoadedScenario

MAX_ROUNDS = 100_000
"""The longest deadline accepted (rounds)."""


def table_of(loaded: LoadedScenario, problem: Problem | None = None) -> Table:
    """The table of a scenario: the bargaining model's candidates (feasible bundles that no
    party whose consent they need would refuse), the veto parties as negotiators.

    Raises
    ------
    InputError
        Fewer than two veto parties, more feasible bundles than the bargaining model
        enumerates (:data:`~sim.analysis.strategy.CANDIDATE_LIMIT`), or none on the table.
    """
    scenario = loaded.scenario
    if problem is None:
        problem = compile_problem(scenario)
    where = display_path(loaded.path)
    veto = tuple(int(v) for v in problem.veto_indices)
    if len(veto) < 2:
        raise InputError(
            f"{where}: parties: a negotiation needs at least two veto parties; "
            f"{scenario.name} has {len(veto)}"
        )
    feasible = 1
    for allowed in problem.feasible_options():
        feasible *= int(allowed.sum())
    if feasible > CANDIDATE_LIMIT:
        raise InputError(
            f"{where}: issues: a negotiation enumerates the feasible bundles: {feasible:,}, "
            f"more than the limit of {CANDIDATE_LIMIT:,}"
        )
    indices, utilities, _ = candidates(problem)
    if indices.shape[0] == 0:
        raise InputError(f"{where}: red_lines: no feasible bundle to negotiate over")
    discounts = np.array([scenario.parties[problem.parties[i]].discount for i in veto])
    return Table(
        indices=indices,
        utilities=utilities,
        parties=veto,
        names=problem.parties,
        reservation=problem.reservation,
        discounts=discounts,
        radices=problem.radices,
        scenario=scenario.name,
        issues=problem.bundle_issues,
        options=problem.bundle_options,
    )


def check_rounds(rounds: int) -> None:
    """Refuse a deadline below 1 round or above :data:`MAX_ROUNDS`."""
    if rounds < 1:
        raise InputError(f"--rounds: the deadline must be at least 1 round, got {rounds}")
    if rounds > MAX_ROUNDS:
        raise InputError(f"--rounds: {rounds:,} rounds, more than the limit of {MAX_ROUNDS:,}")


def check_protocol(protocol: str) -> ProtocolKey:
    for key in PROTOCOLS:
        if key == protocol:
            return key
    raise InputError(f"--protocol: unknown protocol {protocol!r} (known: {', '.join(PROTOCOLS)})")


def play(
    table: Table,
    kinds: Sequence[AgentKind],
    *,
    rounds: int,
    seed: int = 0,
    protocol: ProtocolKey = "stacked",
    order: tuple[int, ...] | None = None,
) -> Played:
    """Seat ``kinds[k]`` at the k-th negotiating party (file order) and play.

    ``order`` is the turn order (columns; default file order). Each agent and the mediator
    draw from their own generator, spawned from ``seed``.
    """
    check_rounds(rounds)
    if len(kinds) != len(table.parties):
        raise InputError(
            f"--agents: {table.scenario} has {len(table.parties)} negotiating (veto) parties "
            f"({', '.join(table.names[c] for c in table.parties)}); {len(kinds)} agents given"
        )
    turn_order = table.parties if order is None else order
    streams = np.random.SeedSequence(seed).spawn(len(kinds) + 1)
    by_column = dict(zip(table.parties, kinds, strict=True))
    agents = [
        by_column[column].build(
            Seat(table, column, seat, turn_order, rounds, np.random.default_rng(streams[seat]))
        )
        for seat, column in enumerate(turn_order)
    ]
    if protocol == "stacked":
        return stacked_alternating_offers(agents, turn_order, rounds)
    return single_text(agents, turn_order, rounds, table, np.random.default_rng(streams[-1]))


@dataclass(frozen=True, eq=False)
class Landmarks:
    """What an outcome is measured against, per table, turn order and deadline."""

    frontier: NDArray[np.float64]
    nash: int | None
    equilibrium: int | None
    equilibrium_turn: int | None
    equilibrium_utilities: NDArray[np.float64]


def landmarks(table: Table, order: tuple[int, ...], rounds: int) -> Landmarks:
    """The Pareto frontier of the acceptable bundles on the table and its Nash point (over
    the negotiating parties, SPEC §1's rules), and the equilibrium of stacked alternating
    offers with this order and deadline (:func:`~sim.agents.agents.equilibrium_plan`)."""
    key = ("landmarks", order, rounds)
    if key in table.cache:
        found: Landmarks = table.cache[key]
        return found
    columns = list(table.parties)
    u = table.utilities[:, columns]
    reservation = table.reservation[columns]
    acceptable = np.flatnonzero((u >= reservation - ACCEPT_TOL).all(axis=1))
    front = acceptable[pareto_front(u[acceptable])] if acceptable.size else acceptable
    power = np.ones(len(columns))
    pick = nash_bargaining_solution(u[front], table.indices[front], reservation, power)
    plan = equilibrium_plan(table, order, rounds)
    if plan.bundle is not None:
        at = table.position(plan.bundle)
        assert at is not None
        eq_utilities = u[at]
    else:
        at, eq_utilities = None, reservation
    found = Landmarks(
        u[front],
        None if pick is None else int(front[pick]),
        at,
        plan.agreement_period,
        np.asarray(eq_utilities, dtype=np.float64),
    )
    table.cache[key] = found
    return found


def summarise(table: Table, played: Played) -> Summary:
    """The outcome of a play and its distances (see :class:`~sim.agents.result.Summary`)."""
    columns = list(table.parties)
    reservation = table.reservation[columns]
    if played.agreement is not None:
        outcome = table.utilities[played.agreement, columns]
    else:
        outcome = reservation
    marks = landmarks(table, played.order, played.rounds)
    to_frontier = (
        float(np.sqrt(((marks.frontier - outcome) ** 2).sum(axis=1)).min())
        if marks.frontier.shape[0]
        else None
    )
    to_nash = (
        None
        if marks.nash is None
        else float(np.linalg.norm(table.utilities[marks.nash, columns] - outcome))
    )
    return Summary(
        agreed=played.agreement is not None,
        agreed_round=played.agreed_round,
        agreement=None if played.agreement is None else int(table.indices[played.agreement]),
        utilities=tuple(float(x) for x in outcome),
        welfare=float(outcome.sum()),
        to_frontier=to_frontier,
        to_nash=to_nash,
        to_equilibrium=float(np.linalg.norm(marks.equilibrium_utilities - outcome)),
    )


def _points(table: Table, positions: list[int | None]) -> list[Point]:
    """Bundles at table positions (None: the disagreement point) as points, in words."""
    columns = list(table.parties)
    at = [p for p in positions if p is not None]
    words = iter(table.terms(at))
    indices = iter(table.indices[at].tolist())
    utilities = iter(table.utilities[np.asarray(at, dtype=np.intp)][:, columns].tolist())
    disagreement = tuple(float(x) for x in table.reservation[columns])
    return [
        Point(None, (), disagreement)
        if p is None
        else Point(next(indices), next(words), tuple(next(utilities)))
        for p in positions
    ]


def describe(
    table: Table, played: Played, kinds: Sequence[AgentKind], seed: int
) -> NegotiationResult:
    """The full typed result of a play: the trace in words, the outcome and its distances."""
    names = table.names
    marks = landmarks(table, played.order, played.rounds)
    n = len(played.order)
    *offers, agreement, nash, equilibrium = _points(
        table,
        [*(m.position for m in played.moves), played.agreement, marks.nash, marks.equilibrium],
    )
    trace = tuple(
        TraceEntry(
            m.turn,
            m.round,
            "mediator" if m.proposer == MEDIATOR else names[m.proposer],
            offer,
            tuple(names[c] for c in m.accepted_by),
            None if m.rejected_by is None else names[m.rejected_by],
        )
        for m, offer in zip(played.moves, offers, strict=True)
    )
    return NegotiationResult(
        scenario=table.scenario,
        protocol=played.protocol,
        rounds=played.rounds,
        seed=seed,
        parties=tuple(names[c] for c in table.parties),
        agents=tuple(k.key for k in kinds),
        order=tuple(names[c] for c in played.order),
        table_size=table.size,
        trace=trace,
        summary=summarise(table, played),
        agreement=None if played.agreement is None else agreement,
        reservations=tuple(float(table.reservation[c]) for c in table.parties),
        nash=None if marks.nash is None else nash,
        equilibrium=equilibrium,
        equilibrium_round=None if marks.equilibrium_turn is None else marks.equilibrium_turn // n,
    )


def negotiate(
    loaded: LoadedScenario,
    kinds: Sequence[AgentKind],
    *,
    rounds: int = 100,
    seed: int = 0,
    protocol: str = "stacked",
) -> NegotiationResult:
    """Play one negotiation on a scenario and describe it (the library call behind
    ``sim negotiate``)."""
    key = check_protocol(protocol)
    check_rounds(rounds)
    table = table_of(loaded)
    played = play(table, kinds, rounds=rounds, seed=seed, protocol=key)
    return describe(table, played, kinds, seed)

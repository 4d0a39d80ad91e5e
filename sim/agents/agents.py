"""Negotiating agents: what a party offers and what it accepts, turn by turn.

Writing a new agent
-------------------
Subclass :class:`Agent` and write two methods; the protocol calls them with the
:class:`Turn` (round, relative time, the offers so far) and a table position::

    class Splitter(Agent):
        '''Offers the bundle nearest the middle of its range; accepts above its reservation.'''

        def propose(self, turn: Turn) -> int:
            middle = (self.seat.reservation + self.seat.best) / 2
            return self.seat.ladder.lowest_at_or_above(middle)

        def respond(self, turn: Turn, offer: int) -> bool:
            return bool(self.seat.utilities[offer] >= self.seat.reservation)

``self.seat`` (a :class:`Seat`) holds the party's utilities over the table, its reservation,
its best utility, its sorted :class:`~sim.agents.table.Ladder`, a seeded
``numpy.random.Generator`` and the table itself. Give it a key in :data:`AGENTS` (or pass an
:class:`AgentKind` to :func:`sim.agents.negotiate.negotiate`) to use it from the command line.

Time-based concession follows Faratin, Sierra and Jennings (1998) in the polynomial form of
NegMAS's time-based negotiators: the aspiration ``a(t) = r + (h - r)(1 - t^e)`` with relative
time ``t = (round + 1) / (rounds + 1)``, ``r`` the reservation and ``h`` the best utility on the
table (``h = r`` when nothing on the table reaches ``r``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim.agents.table import LEVEL_TOL, Ladder, Table
from sim.core.bargaining import BargainingResult, rotating_offers
from sim.core.pareto import pareto_front
from sim.errors import InputError

BOULWARE, LINEAR, CONCEDER = 4.0, 1.0, 0.25
"""The exponents ``e`` of the named time-based agents."""

ACCEPT_PROBABILITY = 0.5
"""How often the random agent accepts an offer at or above its reservation."""

EQUILIBRIUM_LIMIT = 1_000_000_000
"""Most turns x bundles on the table the equilibrium plan is computed for (about 10 s)."""


@dataclass(frozen=True)
class Offer:
    """One offer made: in which turn and round, by which seat, which table position."""

    turn: int
    round: int
    seat: int
    position: int


@dataclass(frozen=True)
class Turn:
    """What a party knows when it is its turn.

    Attributes
    ----------
    round
        ``0 .. rounds - 1``; in a round every party has one turn.
    rounds
        The deadline: after this many rounds without agreement each party gets its
        reservation.
    turn
        The turn number from 0 (``round * n_parties + seat`` in stacked alternating offers).
    history
        The offers made so far, oldest first (read-only).
    """

    round: int
    rounds: int
    turn: int
    history: Sequence[Offer] = ()

    @property
    def time(self) -> float:
        """Relative time ``(round + 1) / (rounds + 1)``, as NegMAS's time-based negotiators."""
        return (self.round + 1) / (self.rounds + 1)


@dataclass(frozen=True, eq=False)
class Seat:
    """One party at the table in one negotiation.

    Attributes
    ----------
    table
        The table (every party's utilities over the bundles on offer).
    column
        The party's column in ``table.utilities``.
    seat
        Its place in the turn order.
    order
        The negotiating parties' columns in turn order.
    rounds
        The deadline in rounds.
    rng
        This party's own seeded generator.
    """

    table: Table
    column: int
    seat: int
    order: tuple[int, ...]
    rounds: int
    rng: np.random.Generator

    @property
    def ladder(self) -> Ladder:
        return self.table.ladder(self.column)

    @property
    def utilities(self) -> NDArray[np.float64]:
        return self.ladder.utilities

    @property
    def reservation(self) -> float:
        return float(self.table.reservation[self.column])

    @property
    def best(self) -> float:
        return self.ladder.best


class Agent:
    """A negotiating strategy for one party: subclass and write :meth:`propose` and
    :meth:`respond`."""

    def __init__(self, seat: Seat) -> None:
        self.seat = seat

    def propose(self, turn: Turn) -> int:
        """The table position to offer now."""
        raise NotImplementedError

    def respond(self, turn: Turn, offer: int) -> bool:
        """Whether to accept the offer at table position ``offer``."""
        raise NotImplementedError


class TimeBased(Agent):
    """Concedes with time: aspiration ``r + (h - r)(1 - t^e)``; offers the bundle with the
    lowest own utility at or above it (ties: lowest bundle index), accepts at or above it.
    ``e = 4`` boulware, ``1`` linear, ``0.25`` conceder (Faratin et al. 1998)."""

    def __init__(self, seat: Seat, exponent: float) -> None:
        super().__init__(seat)
        self.exponent = exponent
        self._low = seat.reservation
        self._span = max(seat.best - self._low, 0.0)

    def aspiration(self, turn: Turn) -> float:
        return float(self._low + self._span * (1.0 - turn.time**self.exponent))

    def propose(self, turn: Turn) -> int:
        return self.seat.ladder.lowest_at_or_above(self.aspiration(turn))

    def respond(self, turn: Turn, offer: int) -> bool:
        return bool(self.seat.utilities[offer] >= self.aspiration(turn) - LEVEL_TOL)


class HardLiner(Agent):
    """Offers its best bundle (ties: lowest bundle index) and accepts nothing less."""

    def propose(self, turn: Turn) -> int:
        return self.seat.ladder.lowest_at_or_above(self.seat.best)

    def respond(self, turn: Turn, offer: int) -> bool:
        return bool(self.seat.utilities[offer] >= self.seat.best - LEVEL_TOL)


class TitForTat(Agent):
    """Relative tit-for-tat (Axelrod 1984; Faratin et al. 1998): starts at its best and,
    whenever another party makes a new offer, lowers its own target by what that offer
    conceded in this party's utility over the same party's previous offer (divided by the
    number of other parties); a retraction raises the target. The target stays within
    ``[min(r, h), h]``. Offers the lowest own utility at or above the target, accepts at or
    above it."""

    def __init__(self, seat: Seat) -> None:
        super().__init__(seat)
        self.target = seat.best
        self._seen = 0
        self._last: dict[int, float] = {}
        self._others = max(len(seat.order) - 1, 1)
        self._low = min(seat.reservation, seat.best)

    def _update(self, history: Sequence[Offer]) -> None:
        u = self.seat.utilities
        for offer in history[self._seen :]:
            if offer.seat == self.seat.seat:
                continue
            mine = float(u[offer.position])
            if offer.seat in self._last:
                conceded = mine - self._last[offer.seat]
                self.target = min(
                    max(self.target - conceded / self._others, self._low), self.seat.best
                )
            self._last[offer.seat] = mine
        self._seen = len(history)

    def propose(self, turn: Turn) -> int:
        self._update(turn.history)
        return self.seat.ladder.lowest_at_or_above(self.target)

    def respond(self, turn: Turn, offer: int) -> bool:
        self._update(turn.history)
        return bool(self.seat.utilities[offer] >= self.target - LEVEL_TOL)


class RandomAgent(Agent):
    """Offers a bundle drawn uniformly (its seeded generator) among those at or above its
    reservation (all of them when there is none); accepts an offer at or above its
    reservation with probability :data:`ACCEPT_PROBABILITY`."""

    def __init__(self, seat: Seat) -> None:
        super().__init__(seat)
        above = np.flatnonzero(seat.utilities >= seat.reservation - LEVEL_TOL)
        self._choices = above if above.size else np.arange(seat.utilities.shape[0])

    def propose(self, turn: Turn) -> int:
        return int(self._choices[self.seat.rng.integers(self._choices.shape[0])])

    def respond(self, turn: Turn, offer: int) -> bool:
        if self.seat.utilities[offer] < self.seat.reservation - LEVEL_TOL:
            return False
        return bool(self.seat.rng.random() < ACCEPT_PROBABILITY)


def equilibrium_plan(table: Table, order: tuple[int, ...], rounds: int) -> BargainingResult:
    """The subgame-perfect equilibrium of stacked alternating offers as the bargaining model
    solves it (:func:`sim.core.bargaining.rotating_offers`, Baron and Ferejohn 1989 with
    unanimity): one period per turn (``rounds * n`` of them), proposers in turn order, each
    party's flow while there is no agreement its reservation, its discount per turn its
    scenario discount. Computed once per table, order and deadline, over the negotiating
    parties' Pareto front of the table only: a proposer's choice (its best bundle among those
    the responders accept, ties to the highest sum of the responders' utilities, then the
    lowest index) is never Pareto-dominated, since a bundle dominating it would be accepted
    too and be better for the proposer or the responders; and a dominated bundle is acceptable
    only if its dominator is. So the plan is the same (tested against the whole table).

    Raises
    ------
    InputError
        More than :data:`EQUILIBRIUM_LIMIT` turns x bundles.
    """
    key = ("equilibrium", order, rounds)
    cached = table.cache.get(key)
    if cached is None:
        turns = rounds * len(order)
        if turns * table.size > EQUILIBRIUM_LIMIT:
            raise InputError(
                f"--rounds: the equilibrium of {rounds:,} rounds ({turns:,} turns) over "
                f"{table.size:,} bundles on the table is {turns * table.size:,} cells, more "
                f"than the limit of {EQUILIBRIUM_LIMIT:,}; give fewer rounds"
            )
        positions = [table.parties.index(c) for c in order]
        flows = np.repeat(table.reservation[list(order)][None, :], turns, axis=0)
        front = pareto_front(table.utilities[:, list(order)])
        cached = rotating_offers(
            table.utilities[front],
            table.indices[front],
            list(order),
            flows,
            table.discounts[positions],
            order=list(order),
        )
        table.cache[key] = cached
    assert isinstance(cached, BargainingResult)
    return cached


class Equilibrium(Agent):
    """Plays its part of the subgame-perfect equilibrium (:func:`equilibrium_plan`): in turn
    ``k`` it offers the equilibrium offer of period ``k`` (its best bundle when the plan lets
    the period pass), and accepts an offer made in turn ``p`` when it gives at least its
    continuation value ``C(p)``."""

    def __init__(self, seat: Seat) -> None:
        super().__init__(seat)
        self.plan = equilibrium_plan(seat.table, seat.order, seat.rounds)
        self._side = seat.seat

    def propose(self, turn: Turn) -> int:
        period = self.plan.path[min(turn.turn, len(self.plan.path) - 1)]
        if period.agreed and period.offer is not None:
            at = self.seat.table.position(period.offer)
            if at is not None:
                return at
        return self.seat.ladder.lowest_at_or_above(self.seat.best)

    def respond(self, turn: Turn, offer: int) -> bool:
        made = turn.history[-1].turn if turn.history else turn.turn
        period = self.plan.path[min(made, len(self.plan.path) - 1)]
        demand = period.continuation[self._side]
        return bool(self.seat.utilities[offer] >= demand - LEVEL_TOL)


@dataclass(frozen=True)
class AgentKind:
    """A named agent: its key (as given to ``--agents``) and how to seat it."""

    key: str
    build: Callable[[Seat], Agent] = field(compare=False)
    description: str = field(default="", compare=False)


def time_based(exponent: float, key: str | None = None) -> AgentKind:
    """A time-based agent with exponent ``e > 0``."""
    if not exponent > 0 or not np.isfinite(exponent):
        raise InputError(
            f"--agents: a time-based agent's exponent must be a finite number > 0, got {exponent:g}"
        )
    return AgentKind(
        key or f"time:{exponent:g}",
        lambda seat: TimeBased(seat, exponent),
        f"time-based concession, aspiration 1 - t^{exponent:g}",
    )


AGENTS: dict[str, AgentKind] = {
    "boulware": time_based(BOULWARE, "boulware"),
    "linear": time_based(LINEAR, "linear"),
    "conceder": time_based(CONCEDER, "conceder"),
    "tit-for-tat": AgentKind("tit-for-tat", TitForTat, "relative tit-for-tat in own utility"),
    "hardliner": AgentKind("hardliner", HardLiner, "offers its best, accepts nothing less"),
    "random": AgentKind("random", RandomAgent, "random offers above its reservation"),
    "equilibrium": AgentKind("equilibrium", Equilibrium, "the bargaining model's equilibrium"),
}
"""Every agent by key, declared once (``time:E`` adds a time-based agent with exponent E)."""


def agent_kind(key: str) -> AgentKind:
    """The agent a key names: a key of :data:`AGENTS`, or ``time:E`` with ``E > 0``.

    Raises
    ------
    InputError
        An unknown key, or an exponent that is not a number > 0.

    Examples
    --------
    >>> agent_kind("boulware").key, agent_kind("time:2").key
    ('boulware', 'time:2')
    """
    name = key.strip()
    if name in AGENTS:
        return AGENTS[name]
    if name.startswith("time:"):
        text = name.removeprefix("time:")
        try:
            exponent = float(text)
        except ValueError:
            raise InputError(f"--agents: {name!r}: the exponent {text!r} is not a number") from None
        return time_based(exponent)
    known = ", ".join([*AGENTS, "time:E"])
    raise InputError(f"--agents: unknown agent {name!r} (known: {known})")


def agent_kinds(text: str) -> tuple[AgentKind, ...]:
    """Agents from a comma-separated list (``--agents``)."""
    keys = [k for k in text.split(",") if k.strip()]
    if not keys:
        raise InputError("--agents: no agent given (e.g. --agents boulware,linear)")
    return tuple(agent_kind(k) for k in keys)

"""Negotiation protocols: stacked alternating offers and a mediated single text.

Both play over a :class:`~sim.agents.table.Table`, so red lines and consent are respected as
in the bargaining model: only feasible bundles that no party whose consent they need would
refuse are ever offered or signed.

Stacked alternating offers (Aydoğan et al. 2017, the SAOP of NegMAS and Genius), ``n >= 2``
parties in a fixed order. In round ``r`` every party has one turn, in order. The first turn of
the negotiation is an offer. In a later turn the party answers the standing offer: it accepts,
or it rejects it and makes its own offer, which becomes the standing offer. An offer is agreed
when every other party has accepted it, one turn after another. After ``rounds`` rounds without
agreement the negotiation breaks down and each party gets its reservation.

Mediated single text (Raiffa 1982; Klein et al. 2003): a mediator holds one text (it starts
from a bundle drawn with the mediator's generator). In round ``r`` it proposes a neighbour of
the text (one issue changed, drawn with its generator; a random bundle on the table when
:data:`NEIGHBOUR_TRIES` draws find none on it). Each party answers whether the new text is
better than the current one: yes when it gives the party at least the current text's utility,
or when the party's ``respond`` accepts it. The text changes when every party says yes. Then
every party is asked whether it accepts the text as the agreement (``respond``); when all do,
it is agreed in round ``r``. After ``rounds`` rounds without agreement each party gets its
reservation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from sim.agents.agents import Agent, Offer, Turn
from sim.agents.table import LEVEL_TOL, Table
from sim.core.space import decode, encode

ProtocolKey = Literal["stacked", "mediated"]
PROTOCOLS: tuple[ProtocolKey, ...] = ("stacked", "mediated")
"""Every negotiation protocol, declared once."""

MEDIATOR = -1
"""The proposer column recorded for the mediator's texts."""

NEIGHBOUR_TRIES = 16


@dataclass(frozen=True)
class Move:
    """One offer (or mediator's text) and how it was answered.

    Attributes
    ----------
    turn, round
        When it was made.
    proposer
        The proposing party's column (:data:`MEDIATOR` for the mediator).
    position
        The table position offered.
    accepted_by
        Columns that accepted it (stacked: in turn; mediated: voted for it), in order.
    rejected_by
        The column that rejected it (stacked: the party who then made the next offer;
        mediated: the first who voted against), or None.
    """

    turn: int
    round: int
    proposer: int
    position: int
    accepted_by: tuple[int, ...]
    rejected_by: int | None


@dataclass(frozen=True)
class Played:
    """What a protocol produced: every move, and the agreement (table position) or None."""

    protocol: ProtocolKey
    order: tuple[int, ...]
    rounds: int
    moves: tuple[Move, ...]
    agreement: int | None
    agreed_round: int | None
    agreed_turn: int | None


def stacked_alternating_offers(
    agents: Sequence[Agent], order: tuple[int, ...], rounds: int
) -> Played:
    """Play stacked alternating offers among ``agents`` (in turn order; ``order`` their
    columns) for at most ``rounds`` rounds (see the module notes)."""
    n = len(agents)
    history: list[Offer] = []
    moves: list[Move] = []
    standing: Offer | None = None
    accepted: list[int] = []
    turn = 0
    for round_ in range(rounds):
        for seat, agent in enumerate(agents):
            now = Turn(round_, rounds, turn, history)
            if standing is not None:
                if agent.respond(now, standing.position):
                    accepted.append(order[seat])
                    if len(accepted) == n - 1:
                        moves.append(_move(standing, order, accepted, None))
                        return Played(
                            "stacked", order, rounds, tuple(moves), standing.position, round_, turn
                        )
                    turn += 1
                    continue
                moves.append(_move(standing, order, accepted, order[seat]))
            standing = Offer(turn, round_, seat, int(agent.propose(now)))
            history.append(standing)
            accepted = []
            turn += 1
    if standing is not None:
        moves.append(_move(standing, order, accepted, None))
    return Played("stacked", order, rounds, tuple(moves), None, None, None)


def _move(offer: Offer, order: tuple[int, ...], accepted: list[int], rejected: int | None) -> Move:
    return Move(
        offer.turn, offer.round, order[offer.seat], offer.position, tuple(accepted), rejected
    )


def single_text(
    agents: Sequence[Agent],
    order: tuple[int, ...],
    rounds: int,
    table: Table,
    rng: np.random.Generator,
) -> Played:
    """Play the mediated single-text protocol (see the module notes); ``rng`` is the
    mediator's generator."""
    u = table.utilities
    text = int(rng.integers(table.size))
    history: list[Offer] = []
    moves: list[Move] = []
    for round_ in range(rounds):
        now = Turn(round_, rounds, round_, history)
        proposal = _neighbour(table, text, rng)
        yes: list[int] = []
        no: int | None = None
        for seat, agent in enumerate(agents):
            column = order[seat]
            better = u[proposal, column] >= u[text, column] - LEVEL_TOL
            if better or agent.respond(now, proposal):
                yes.append(column)
            elif no is None:
                no = column
        moves.append(Move(round_, round_, MEDIATOR, proposal, tuple(yes), no))
        history.append(Offer(round_, round_, MEDIATOR, proposal))
        if no is None:
            text = proposal
        if all(agent.respond(now, text) for agent in agents):
            return Played("mediated", order, rounds, tuple(moves), text, round_, round_)
    return Played("mediated", order, rounds, tuple(moves), None, None, None)


def _neighbour(table: Table, text: int, rng: np.random.Generator) -> int:
    """A bundle on the table one issue away from ``text`` (drawn), else a random one."""
    radices = table.radices
    movable = np.flatnonzero(radices > 1)
    if movable.size:
        digits = decode(table.indices[[text]], radices)
        for _ in range(NEIGHBOUR_TRIES):
            k = int(movable[rng.integers(movable.size)])
            step = 1 + int(rng.integers(int(radices[k]) - 1))
            moved = digits.copy()
            moved[0, k] = (moved[0, k] + step) % radices[k]
            at = table.position(int(encode(moved, radices)[0]))
            if at is not None:
                return at
    return int(rng.integers(table.size))

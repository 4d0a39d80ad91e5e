"""The typed result of one negotiation, and its JSON form (``to_json``/``from_json``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA = "sim.negotiation/1"
"""The ``schema`` key of a negotiation document."""


@dataclass(frozen=True)
class Point:
    """A bundle (or the disagreement point, ``index`` None) in the negotiating parties'
    utility space."""

    index: int | None
    terms: tuple[tuple[str, str], ...]
    utilities: tuple[float, ...]

    def to_json(self, parties: tuple[str, ...]) -> dict[str, Any]:
        return {
            "index": self.index,
            "bundle": dict(self.terms) if self.index is not None else None,
            "utilities": dict(zip(parties, self.utilities, strict=True)),
        }

    @staticmethod
    def from_json(document: dict[str, Any], parties: tuple[str, ...]) -> Point:
        bundle = document["bundle"] or {}
        return Point(
            document["index"],
            tuple((str(k), str(v)) for k, v in bundle.items()),
            tuple(float(document["utilities"][p]) for p in parties),
        )


@dataclass(frozen=True)
class TraceEntry:
    """One offer (or mediator's text) in words: when, by whom, which bundle, each
    negotiating party's utility of it, and how it was answered."""

    turn: int
    round: int
    proposer: str
    offer: Point
    accepted_by: tuple[str, ...]
    rejected_by: str | None

    def to_json(self, parties: tuple[str, ...]) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "round": self.round,
            "proposer": self.proposer,
            **self.offer.to_json(parties),
            "accepted_by": list(self.accepted_by),
            "rejected_by": self.rejected_by,
        }

    @staticmethod
    def from_json(document: dict[str, Any], parties: tuple[str, ...]) -> TraceEntry:
        return TraceEntry(
            int(document["turn"]),
            int(document["round"]),
            str(document["proposer"]),
            Point.from_json(document, parties),
            tuple(document["accepted_by"]),
            document["rejected_by"],
        )


@dataclass(frozen=True)
class Summary:
    """The numbers of one negotiation (a tournament row without the trace).

    Attributes
    ----------
    agreed
        Whether an agreement was reached before the deadline.
    agreed_round
        Its round (0-based), or None.
    agreement
        The agreed bundle's index, or None.
    utilities
        Each negotiating party's utility of the outcome: of the agreement, or its reservation
        after a breakdown.
    welfare
        Their sum.
    to_frontier
        Euclidean distance of the outcome from the nearest point of the Pareto frontier of the
        bundles on the table that every negotiating party finds acceptable (None if none is).
    to_nash
        Euclidean distance from the Nash point among them (None if there is none).
    to_equilibrium
        Euclidean distance from the equilibrium outcome of stacked alternating offers with
        the same turn order and deadline (the reference for both protocols).
    """

    agreed: bool
    agreed_round: int | None
    agreement: int | None
    utilities: tuple[float, ...]
    welfare: float
    to_frontier: float | None
    to_nash: float | None
    to_equilibrium: float


@dataclass(frozen=True)
class NegotiationResult:
    """One negotiation, offer by offer, against the frontier, the Nash point and the
    equilibrium.

    Attributes
    ----------
    scenario, protocol, rounds, seed
        What was played: the scenario's name, ``stacked`` or ``mediated``, the deadline in
        rounds and the seed of every random draw.
    parties
        The negotiating parties (the veto parties, file order); every per-party tuple is in
        this order.
    agents
        The agent key playing each party.
    order
        The turn order (party ids).
    table_size
        How many bundles were on the table.
    trace
        Every offer, in order.
    summary
        The outcome's numbers.
    agreement
        The agreed bundle in words, or None.
    reservations
        Each party's reservation (its outcome after a breakdown).
    nash
        The Nash point (None if no bundle gives every party a positive gain).
    equilibrium
        The equilibrium outcome (index None: no agreement by the deadline, reservations).
    equilibrium_round
        The round of the equilibrium agreement, or None.
    """

    scenario: str
    protocol: str
    rounds: int
    seed: int
    parties: tuple[str, ...]
    agents: tuple[str, ...]
    order: tuple[str, ...]
    table_size: int
    trace: tuple[TraceEntry, ...]
    summary: Summary
    agreement: Point | None
    reservations: tuple[float, ...]
    nash: Point | None
    equilibrium: Point
    equilibrium_round: int | None

    def to_json(self) -> dict[str, Any]:
        """The negotiation document (JSON types only; bundles named by their terms)."""
        s, parties = self.summary, self.parties
        return {
            "schema": SCHEMA,
            "scenario": self.scenario,
            "protocol": self.protocol,
            "rounds": self.rounds,
            "seed": self.seed,
            "parties": list(parties),
            "agents": dict(zip(parties, self.agents, strict=True)),
            "order": list(self.order),
            "table_size": self.table_size,
            "agreed": s.agreed,
            "agreed_round": s.agreed_round,
            "agreement": None if self.agreement is None else self.agreement.to_json(parties),
            "utilities": dict(zip(parties, s.utilities, strict=True)),
            "welfare": s.welfare,
            "reservations": dict(zip(parties, self.reservations, strict=True)),
            "distance": {
                "frontier": s.to_frontier,
                "nash": s.to_nash,
                "equilibrium": s.to_equilibrium,
            },
            "nash": None if self.nash is None else self.nash.to_json(parties),
            "equilibrium": {
                **self.equilibrium.to_json(parties),
                "round": self.equilibrium_round,
            },
            "trace": [entry.to_json(parties) for entry in self.trace],
        }

    @staticmethod
    def from_json(document: dict[str, Any]) -> NegotiationResult:
        """Read a negotiation document back (the inverse of :meth:`to_json`)."""
        parties = tuple(document["parties"])
        distance = document["distance"]
        agreement = document["agreement"]
        summary = Summary(
            bool(document["agreed"]),
            document["agreed_round"],
            None if agreement is None else agreement["index"],
            tuple(float(document["utilities"][p]) for p in parties),
            float(document["welfare"]),
            distance["frontier"],
            distance["nash"],
            float(distance["equilibrium"]),
        )
        nash = document["nash"]
        return NegotiationResult(
            document["scenario"],
            document["protocol"],
            int(document["rounds"]),
            int(document["seed"]),
            parties,
            tuple(document["agents"][p] for p in parties),
            tuple(document["order"]),
            int(document["table_size"]),
            tuple(TraceEntry.from_json(e, parties) for e in document["trace"]),
            summary,
            None if agreement is None else Point.from_json(agreement, parties),
            tuple(float(document["reservations"][p]) for p in parties),
            None if nash is None else Point.from_json(nash, parties),
            Point.from_json(document["equilibrium"], parties),
            document["equilibrium"]["round"],
        )


def summary_row(parties: tuple[str, ...], summary: Summary) -> dict[str, Any]:
    """The metrics of one negotiation as table cells (no clock times, no paths)."""
    row: dict[str, Any] = {
        "agreed": summary.agreed,
        "agreed_round": summary.agreed_round,
        "agreement": summary.agreement,
    }
    row.update({f"utility_{p}": u for p, u in zip(parties, summary.utilities, strict=True)})
    row.update(
        welfare=summary.welfare,
        to_frontier=summary.to_frontier,
        to_nash=summary.to_nash,
        to_equilibrium=summary.to_equilibrium,
    )
    return row

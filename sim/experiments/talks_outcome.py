"""Why talks fail, typed: private information, commitment problems, divergent expectations.

Built by :func:`sim.experiments.talks.analyse_talks` for a scenario whose war model declares
``private`` (docs/strategic.md); rendered by :mod:`sim.report.document`, :mod:`sim.report.row`
and :mod:`sim.report.outcome_text`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.experiments.outcome import Bundle


@dataclass(frozen=True)
class TalksProtocol:
    """Agreement over time under one protocol: by month, the probability of agreement so far
    and the terms offered on the path (None: no offer that month)."""

    key: str
    title: str
    information: str
    """``complete``, or what is private (e.g. ``private: b's cost (one-sided screening)``)."""
    p_agreement_by: tuple[float, ...]
    expected_month: float | None
    """Expected month of agreement, given agreement by the horizon (None: none)."""
    p_breakdown: float
    """Probability of no agreement by the horizon."""
    offers: tuple[Bundle | None, ...]
    fighting: tuple[tuple[str, int | None], ...] | None = None
    """With complete information and an agreement: per veto party, the first month in which
    it would rather fight than keep the agreed bundle as the odds drift (None: never)."""

    @property
    def durable(self) -> bool | None:
        """Whether the agreed bundle holds at every month (None: no agreement, or private
        information)."""
        return None if self.fighting is None else all(m is None for _, m in self.fighting)

    def p_agreement(self, month: int) -> float:
        """Probability of agreement by ``month`` (the horizon's value beyond it)."""
        return self.p_agreement_by[min(month, len(self.p_agreement_by) - 1)]


@dataclass(frozen=True)
class CurvePoint:
    """One point of the risk–return trade-off of a single offer."""

    p_breakdown: float
    bundle: Bundle
    proposer_utility: float
    responder_utility: float
    expected_utility: float


@dataclass(frozen=True)
class PrivateInformation:
    """What the screening model says about one privately informed veto party."""

    party: str
    proposer: str
    field: str
    types: tuple[float, ...]
    weights: tuple[float, ...]
    one_offer: Bundle | None
    one_offer_breakdown: float
    one_offer_value: float
    curve: tuple[CurvePoint, ...]
    solved: str
    """What is solved exactly, and how."""


@dataclass(frozen=True)
class Durable:
    """Today's zone against the war values of every later month (Powell 2006)."""

    candidates: str
    today: int
    durable: int
    holding: tuple[int, ...]
    loss_months: tuple[int, ...]
    commitment_problem: bool
    shortfall: float | None


@dataclass(frozen=True)
class Expectations:
    """The zone as each war side sees it, and the optimism that empties it."""

    sides: tuple[str, str]
    joint: int
    perceived: tuple[int, int]
    optimism_threshold: float | None


@dataclass(frozen=True)
class TalksOutcome:
    """Why talks fail: agreement over time per protocol, private information, durability and
    expectations."""

    protocols: tuple[TalksProtocol, ...]
    private: PrivateInformation | None
    durable: Durable
    expectations: Expectations | None
    notes: tuple[str, ...]

    @property
    def headline(self) -> TalksProtocol | None:
        """The protocol the outcome table reports: the one with private information if any,
        else the first."""
        for protocol in self.protocols:
            if protocol.information != "complete":
                return protocol
        return self.protocols[0] if self.protocols else None

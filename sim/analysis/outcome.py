"""The typed outcome of one scenario: everything `sim run` reports, as frozen dataclasses.

:func:`sim.analysis.analyse.analyse_scenario` builds an :class:`Outcome`; the JSON
document, the outcome-table row, the terminal tables and the reports are renderers of it
(:mod:`sim.report`). Utilities are tuples in the order of ``Outcome.parties``; values per veto
party follow ``Outcome.veto_parties`` (with consent, ``Outcome.judges``: the veto parties and
every consent holder, in file order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from numpy.typing import NDArray

from sim.core.problem import Problem
from sim.core.solutions import SolutionRule
from sim.core.space import decode
from sim.core.verdict import Verdict
from sim.display import as_html

if TYPE_CHECKING:  # in annotations only: a run without games does not import the games
    from sim.games.crosscheck import CrossCheck
    from sim.games.game import MixedProfile


@dataclass(frozen=True)
class Bundle:
    """A bundle: its index (SPEC §1 order) and its terms, issue by issue, in words."""

    index: int
    terms: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, problem: Problem, index: int) -> Bundle:
        return cls.many(problem, [index])[0]

    @classmethod
    def many(cls, problem: Problem, indices: Sequence[int]) -> tuple[Bundle, ...]:
        """The bundles of ``indices``, decoded together (a frontier's thousands at once)."""
        digits = decode(np.array(indices, dtype=np.int64), problem.bundle_radices).tolist()
        issues = tuple(zip(problem.bundle_issues, problem.bundle_options, strict=True))
        return tuple(
            cls(
                int(index),
                tuple((issue, options[d]) for (issue, options), d in zip(issues, row, strict=True)),
            )
            for index, row in zip(indices, digits, strict=True)
        )

    def as_dict(self) -> dict[str, str]:
        return dict(self.terms)

    def words(self) -> str:
        """``issue=option; ...``, as in table cells."""
        return "; ".join(f"{issue}={option}" for issue, option in self.terms)

    def __repr__(self) -> str:
        return f"Bundle({self.index}: {self.words()})"


@dataclass(frozen=True)
class Space:
    """Sizes of the space, the feasible set and the acceptable set (the zone of agreement).

    ``acceptable`` is exact unless ``exact`` is False: then it is a Monte Carlo estimate with a
    95% interval ``[low, high]`` found by ``method``.
    """

    bundles: int
    feasible: int
    acceptable: int
    exact: bool
    method: str
    low: int
    high: int

    @property
    def share(self) -> float:
        """Acceptable bundles as a share of all bundles."""
        return self.acceptable / self.bundles


@dataclass(frozen=True)
class FrontierPoint:
    bundle: Bundle
    ties: int
    utilities: tuple[float, ...]
    consent: tuple[str, ...] = ()
    """The parties without a veto whose consent the bundle needs."""


@dataclass(frozen=True)
class SolutionOutcome:
    """One bargaining solution: ``point`` is None where the solution does not exist."""

    rule: SolutionRule
    point: SolutionPoint | None


@dataclass(frozen=True)
class SolutionPoint:
    bundle: Bundle
    utilities: tuple[float, ...]
    slack: tuple[float, ...]
    """Per veto party (with consent: per judge): utility minus reservation."""
    consent: tuple[str, ...] = ()
    """The parties without a veto whose consent the bundle needs."""


@dataclass(frozen=True)
class Binding:
    """Per veto party (with consent: per judge): whether its reservation, and its red lines,
    bind the zone."""

    reservation: tuple[bool, ...]
    red_lines: tuple[bool, ...]


@dataclass(frozen=True)
class Stance:
    """One party's verdict on a named proposal (open issues judged over every completion; a
    consent holder's over the completions that need its consent: ``consent`` says whether
    ``"all"``, ``"some"`` or ``"none"`` do, None for a party that holds no consent)."""

    party: str
    veto: bool
    verdict: Verdict
    utility_low: float
    utility_high: float
    reason: str
    consent: str | None = None


@dataclass(frozen=True)
class ProposalOutcome:
    """A named proposal of the scenario and every party's verdict on it."""

    id: str
    title: str
    terms: tuple[tuple[str, str], ...]
    stances: tuple[Stance, ...]
    completable: bool | None = None
    """With consent: whether some completion of the terms is acceptable (every party whose
    consent it needs approves it); None for a scenario without consent."""

    @property
    def rejected_by(self) -> tuple[str, ...]:
        """The veto parties that reject every completion, and the consent holders that reject
        terms every completion of which needs their consent."""
        return tuple(
            s.party
            for s in self.stances
            if s.verdict is Verdict.REJECTS and (s.veto or s.consent == "all")
        )

    @property
    def verdict(self) -> str:
        """``acceptable`` (every veto party accepts every completion and, with consent, some
        completion is acceptable), ``rejected`` (a veto party rejects every completion, or no
        completion is acceptable) or ``open`` (otherwise)."""
        vetoes = [s for s in self.stances if s.veto]
        if self.rejected_by or self.completable is False:
            return "rejected"
        if all(s.verdict is Verdict.ACCEPTS for s in vetoes):
            return "acceptable"
        return "open"


@dataclass(frozen=True)
class Protocol:
    """A bargaining protocol, declared once in :data:`sim.analysis.strategy.PROTOCOLS`.

    ``ordered`` protocols are named after the party that proposes first.
    """

    key: str
    label: str
    ordered: bool

    def column(self, first: str) -> str:
        """The protocol's name in outcome-table columns."""
        return f"{self.key}_{first}_first" if self.ordered else self.key

    def title(self, first: str) -> str:
        """The protocol in words."""
        return f"{self.label} ({first} first)" if self.ordered else self.label


@dataclass(frozen=True)
class Step:
    """The equilibrium plan of one period (what happens if the period is reached)."""

    period: int
    proposer: str
    offer: Bundle | None
    agreed: bool
    continuation: tuple[float, ...]
    value: tuple[float, ...]


@dataclass(frozen=True)
class BargainingOutcome:
    """The subgame-perfect equilibrium of one protocol: agreement period and terms, or None."""

    protocol: Protocol
    parties: tuple[str, ...]
    """The veto parties in the order of each step's ``continuation`` and ``value``."""
    first: str
    """Who proposes in period 0."""
    agreement_period: int | None
    agreed: Bundle | None
    utilities: tuple[float, ...] | None
    path: tuple[Step, ...]

    @property
    def column(self) -> str:
        return self.protocol.column(self.first)

    @property
    def title(self) -> str:
        return self.protocol.title(self.first)


@dataclass(frozen=True, eq=False)
class Bargaining:
    """Bargaining over time: the war values per period and every protocol's equilibrium."""

    parties: tuple[str, ...]
    veto: tuple[str, ...]
    horizon: int
    war_values: NDArray[np.float64]
    """``(horizon + 1, n_veto)`` each veto party's war value per period."""
    discounts: tuple[float, ...]
    results: tuple[BargainingOutcome, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class NormalFormGame:
    """A solved game in normal form, of any number of players.

    ``payoffs`` has shape ``(n, s_1, ..., s_n)``: ``payoffs[p][k_1, ..., k_n]`` is player
    ``p``'s payoff when each player ``i`` plays its strategy ``k_i`` (two players: ``p``'s
    payoff when the row player plays ``k_1`` and the column player ``k_2``). ``equilibria``
    are every equilibrium found, each with its regret from the independent best-response check
    (the largest gain any player has from deviating; verified when within ``tolerance``);
    ``complete`` says whether that is every equilibrium (two players: every extreme one) and
    ``not_computed`` what was not, and why. ``eliminated`` names each player's strategies
    removed as strictly dominated before solving (two players; none otherwise), and
    ``degenerate`` whether the game left is degenerate (two players; None: not determined).
    """

    name: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: NDArray[np.float64]
    equilibria: tuple[MixedProfile, ...]
    method: str
    complete: bool
    not_computed: str
    tolerance: float
    eliminated: tuple[tuple[str, ...], ...]
    degenerate: bool | None
    bundle: Bundle | None
    note: str
    cross_check: CrossCheck | None = None


class GameOutcome:
    """A solved game of a scenario: every game's outcome class derives from this one (a
    frozen dataclass registered as a :class:`~sim.analysis.games.GameKind`)."""

    __slots__ = ()

    @property
    def normal_form(self) -> NormalFormGame | None:
        """The game in normal form (None: a game that is not, e.g. a sequential one)."""
        return None


@dataclass(frozen=True, eq=False)
class NormalFormOutcome(GameOutcome):
    """A game in normal form; what a kind of game adds follows ``game``."""

    game: NormalFormGame

    @property
    def normal_form(self) -> NormalFormGame:
        return self.game


@dataclass(frozen=True, eq=False)
class ComplianceOutcome(NormalFormOutcome):
    """The compliance game among the veto parties over an agreed bundle: is mutual compliance
    the only equilibrium? ``self_enforcing`` is None when it could not be decided
    (``game.note`` says why)."""

    self_enforcing: bool | None


@dataclass(frozen=True, eq=False)
class StrategicGame(NormalFormOutcome):
    """A game given as such (e.g. read from a Gambit ``.nfg`` file)."""

    source: str


@dataclass(frozen=True, eq=False)
class PositionsOutcome(NormalFormOutcome):
    """The positions game among the veto parties; ``settled`` holds, for every profile of
    positions (one strategy index per player, in the payoff array's order), the bundle settled
    on (None: a standoff, war)."""

    settled: tuple[tuple[tuple[int, ...], Bundle | None], ...]


@dataclass(frozen=True)
class PolicyOutcome:
    policy: str
    target: str | None
    credible: bool
    refusal_values: tuple[float, ...]
    settlement: Bundle | None
    settlement_utilities: tuple[float, ...] | None
    threat_carried_out: bool
    changes_anything: bool
    mediator_payoff: float


@dataclass(frozen=True)
class LeverageOutcome(GameOutcome):
    """The leverage game, solved by backward induction: each policy and the mediator's choice."""

    policies: tuple[PolicyOutcome, ...]
    choice: str

    @property
    def credible_threats(self) -> tuple[str, ...]:
        return tuple(p.policy for p in self.policies if p.target and p.credible)


G = TypeVar("G", bound=GameOutcome)


@dataclass(frozen=True, eq=False)
class Games:
    """The games built from a scenario, and what was not built and why."""

    scenario: str
    parties: tuple[str, ...]
    veto: tuple[str, ...]
    games: tuple[GameOutcome, ...]
    not_built: tuple[str, ...]

    def of_kind(self, kind: type[G]) -> tuple[G, ...]:
        return tuple(g for g in self.games if isinstance(g, kind))

    def __repr__(self) -> str:
        return f"Games({self.scenario}: {len(self.games)} games, {len(self.not_built)} not built)"


@dataclass(frozen=True, eq=False)
class Outcome:
    """Everything `sim run` reports about one scenario."""

    scenario: str
    title: str
    parties: tuple[str, ...]
    veto_parties: tuple[str, ...]
    issues: tuple[tuple[str, tuple[str, ...]], ...]
    reservations: tuple[float, ...]
    """Per veto party."""
    space: Space
    frontier: tuple[FrontierPoint, ...]
    frontier_size: int
    frontier_truncated: bool
    frontier_limit: int | None
    solutions: tuple[SolutionOutcome, ...]
    best_acceptable: tuple[float, ...]
    option_shares: tuple[tuple[str, tuple[float, ...]], ...]
    binding: Binding
    proposals: tuple[ProposalOutcome, ...]
    bargaining: Bargaining
    games: Games
    consent_parties: tuple[str, ...] = ()
    """The parties without a veto whose consent some bundle needs (``consent:``)."""
    analyses: tuple[str, ...] | None = None
    """The analyses computed when a selection (``--only``, ``analyses:``) left some out; None
    when every one was (see :mod:`sim.analysis.selection`)."""
    talks: TalksOutcome | None = None
    """Why talks fail (docs/strategic.md), when the war model declares ``private``."""

    @property
    def judges(self) -> tuple[str, ...]:
        """The parties the frontier compares, in file order: the veto parties and every
        consent holder. ``reservations``, ``best_acceptable``, ``binding`` and each
        solution's ``slack`` have an entry per judge."""
        return tuple(p for p in self.parties if p in self.veto_parties or p in self.consent_parties)

    def solution(self, key: str) -> SolutionPoint | None:
        """The bundle of the solution ``key`` (e.g. ``"nash"``), None where none exists."""
        for s in self.solutions:
            if s.rule.key == key:
                return s.point
        raise KeyError(f"no solution {key!r}: {', '.join(s.rule.key for s in self.solutions)}")

    @property
    def agreements(self) -> tuple[BargainingOutcome, ...]:
        return tuple(r for r in self.bargaining.results if r.agreed is not None)

    def __repr__(self) -> str:
        space = self.space
        nash = self.solution("nash") if any(s.rule.key == "nash" for s in self.solutions) else None
        return (
            f"Outcome({self.scenario}: {space.acceptable:,} of {space.bundles:,} bundles "
            f"acceptable, frontier {self.frontier_size}, "
            f"nash {nash.bundle.index if nash else None}, "
            f"{len(self.agreements)}/{len(self.bargaining.results)} protocols agree)"
        )

    def _repr_html_(self) -> str:
        return as_html(self)


# Why talks fail, typed: private information, commitment problems, divergent expectations.
# Built by sim.analysis.talks.analyse_talks for a scenario whose war model declares
# ``private`` (docs/strategic.md).
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
class InformedOneOffer:
    """One side's single offer when both war sides' values are private: it knows its own type
    and offers per type; the trade-off curve is the same for each of its types."""

    proposer: str
    responder: str
    offers: tuple[tuple[Bundle | None, float], ...]
    """Each distinct offer (None: no offer, war) with the probability the proposer makes it."""
    p_breakdown: float
    """Probability of war, over both sides' types."""
    expected_utility: float
    """The proposer's, over its types."""
    curve: tuple[CurvePoint, ...]
    """The curve's expected utility is that of the proposer's stated value of war."""

    @property
    def modal(self) -> Bundle | None:
        """The offer the proposer makes most often (the first of those tied)."""
        return max(self.offers, key=lambda o: o[1])[0]


@dataclass(frozen=True)
class BothPrivate:
    """Private information on both war sides: independent types, each side's one offer."""

    sides: tuple[str, str]
    fields: tuple[str, str]
    types: tuple[tuple[float, ...], tuple[float, ...]]
    weights: tuple[tuple[float, ...], tuple[float, ...]]
    offers: tuple[InformedOneOffer, InformedOneOffer]
    solved: str
    """What is solved exactly, and how (and what is not)."""


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
    both: BothPrivate | None = None
    """Both war sides informed: each side's one offer (``private`` is None then)."""

    @property
    def headline(self) -> TalksProtocol | None:
        """The protocol the outcome table reports: the one with private information if any,
        else the first."""
        for protocol in self.protocols:
            if protocol.information != "complete":
                return protocol
        return self.protocols[0] if self.protocols else None

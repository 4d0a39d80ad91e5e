"""Why talks fail: the three mechanisms of docs/strategic.md applied to a compiled scenario.

- private information (``war.private``): one-offer and month-by-month screening
  (:mod:`sim.core.screening`), the uninformed veto party proposing; with both war sides
  informed, the one offer by each side in turn (independent types);
- commitment problems: the durable zone as the war's odds drift (:mod:`sim.core.commitment`);
- divergent expectations: perceived zones and the optimism threshold
  (:mod:`sim.core.expectations`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.analysis.outcome import (
    BothPrivate,
    Bundle,
    CurvePoint,
    Durable,
    Expectations,
    InformedOneOffer,
    PrivateInformation,
    Protocol,
    TalksOutcome,
    TalksProtocol,
)
from sim.compile import (
    STATED,
    Column,
    Values,
    belief_of,
    evaluate,
    lever_values,
    own_chance,
    stakes_of,
)
from sim.core.bargaining import BargainingResult, rotating_offers
from sim.core.commitment import Durability, durability, first_month_fighting
from sim.core.distributions import quantiles as truncated_quantiles
from sim.core.expectations import optimism_threshold, perceived_zones
from sim.core.problem import Problem
from sim.core.screening import (
    InformedOffer,
    OneOffer,
    Screening,
    ScreeningInput,
    informed_offer,
    one_offer,
    screening,
)
from sim.core.timeline import war_path, war_present_value
from sim.core.utility import ACCEPT_TOL
from sim.model.schema import PrivateValue, Scenario, WarReservation

PRIVATE_RANGE = (0.0, 1.0)
"""The range a private cost or chance of prevailing is truncated to."""


@dataclass(frozen=True)
class WarInputs:
    """The war model's numbers, side 0 then side 1 (``war.sides``): each side's reading of
    the chance that side 0 prevails in period 0, the drift, the horizon, and each side's
    stakes and costs."""

    beliefs: tuple[float, float]
    drift: float
    horizon: int
    win: tuple[float, float]
    lose: tuple[float, float]
    cost: tuple[float, float]
    cost_growth: tuple[float, float]

    def path(self) -> NDArray[np.float64]:
        """``(horizon + 1, 2)`` both sides' war values per period (:func:`war_path`)."""
        return war_path(
            list(self.beliefs),
            self.drift,
            self.horizon,
            list(self.win),
            list(self.lose),
            list(self.cost),
            list(self.cost_growth),
        )


Pair = tuple[Column, Column]


@dataclass(frozen=True, eq=False)
class WarColumns:
    """The war model's numbers as :class:`WarInputs` holds them, each a float where it is
    stated and ``(D,)`` draws where it varies."""

    beliefs: Pair
    drift: Column
    horizon: int
    win: Pair
    lose: Pair
    cost: Pair
    cost_growth: Pair

    def at(self, draw: int) -> WarInputs:
        """The numbers of draw ``draw``."""

        def one(value: Column) -> float:
            return float(np.asarray(value)[draw]) if np.ndim(value) else float(value)

        def two(pair: Pair) -> tuple[float, float]:
            return one(pair[0]), one(pair[1])

        return WarInputs(
            two(self.beliefs),
            one(self.drift),
            self.horizon,
            two(self.win),
            two(self.lose),
            two(self.cost),
            two(self.cost_growth),
        )

    def pair(self, name: str, draws: int) -> NDArray[np.float64]:
        """``(draws, 2)`` the pair ``name`` (``beliefs``, ``win``, ...) of every draw."""
        first, second = getattr(self, name)
        return np.stack(
            [np.broadcast_to(np.asarray(v, dtype=np.float64), (draws,)) for v in (first, second)],
            axis=-1,
        )

    def paths(self, draws: int) -> NDArray[np.float64]:
        """``(draws, horizon + 1, 2)`` both sides' war values per period of every draw: the
        :meth:`WarInputs.path` of each, computed at once."""
        drift = np.broadcast_to(np.asarray(self.drift, dtype=np.float64), (draws,))
        return war_path(
            self.pair("beliefs", draws),
            drift,
            self.horizon,
            self.pair("win", draws),
            self.pair("lose", draws),
            self.pair("cost", draws),
            self.pair("cost_growth", draws),
        )


def war_columns(
    scenario: Scenario,
    problem: Problem,
    values: Values = STATED,
    imposed: Mapping[str, NDArray[np.float64]] | None = None,
) -> WarColumns | None:
    """The war model's numbers, stated or drawn (with ``imposed``,
    :func:`sim.compile.imposed_utilities` of the same draws), as :func:`sim.compile.belief_of`
    and :func:`sim.compile.stakes_of` give them; None unless both sides' reservations come
    from the war model."""
    war = scenario.war
    if war is None:
        return None
    forms = [scenario.parties[s].reservation for s in war.sides]
    stated = [r for r in forms if isinstance(r, WarReservation)]
    if len(stated) != len(forms):
        return None
    levers = lever_values(scenario, values)
    stakes = [
        stakes_of(scenario, problem, s, f, values, imposed)
        for s, f in zip(war.sides, stated, strict=True)
    ]
    where = [f"parties.{s}.reservation" for s in war.sides]

    def per_side(name: str) -> Pair:
        first, second = (
            values.form(f"{w}.{name}", getattr(f, name), levers)
            for w, f in zip(where, stated, strict=True)
        )
        return first, second

    return WarColumns(
        (
            belief_of(scenario, war.sides[0], values, levers),
            belief_of(scenario, war.sides[1], values, levers),
        ),
        values.form("war.drift", war.drift, levers),
        war.horizon,
        (stakes[0][0], stakes[1][0]),
        (stakes[0][1], stakes[1][1]),
        per_side("cost"),
        per_side("cost_growth"),
    )


def war_inputs(
    scenario: Scenario,
    problem: Problem,
    values: Values = STATED,
    imposed: Mapping[str, NDArray[np.float64]] | None = None,
    draw: int = 0,
) -> WarInputs | None:
    """The war model's numbers (:func:`war_columns`; of draw ``draw`` when drawn), or None
    unless both sides' reservations come from it."""
    columns = war_columns(scenario, problem, values, imposed)
    return None if columns is None else columns.at(draw)


def type_grid(
    scenario: Scenario, party: str, private: PrivateValue
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The private value's types and prior weights: ``grid`` equally likely quantiles
    ``(k + 1/2) / grid`` of the belief, truncated to [0, 1] (a ``jitter`` or ``relative``
    spread is a uniform around the stated value, as in SPEC §6)."""
    name, params = private.belief.kind()
    if isinstance(params, float):
        stated = stated_private(scenario, party, private.field)
        spread = params if name == "jitter" else abs(stated) * params
        name, bounds = "uniform", [stated - spread, stated + spread]
    else:
        bounds = list(params)
    levels = (np.arange(private.grid) + 0.5) / private.grid
    types = np.clip(
        truncated_quantiles(name, tuple(bounds), *PRIVATE_RANGE, levels), *PRIVATE_RANGE
    )
    return types, np.full(private.grid, 1.0 / private.grid)


def stated_private(scenario: Scenario, party: str, field: str) -> float:
    """The stated value of a private field: the war form's cost, or the side's own chance of
    prevailing in period 0."""
    if field == "cost":
        reservation = scenario.parties[party].reservation
        assert isinstance(reservation, WarReservation)
        return evaluate(reservation.cost, scenario)
    return own_chance(scenario, party)


def type_paths(
    inputs: WarInputs, side: int, field: str, types: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``(K, horizon + 1)`` the informed side's war value per period, for each type: the war
    model's path (:func:`war_path`, all types at once) with its cost, or its own chance of
    prevailing, replaced by the type's value."""
    beliefs = np.tile(np.array(inputs.beliefs), (types.size, 1))
    cost = np.tile(np.array(inputs.cost), (types.size, 1))
    if field == "cost":
        cost[:, side] = types
    else:  # its own chance of prevailing, as the chance that side 0 prevails
        beliefs[:, side] = types if side == 0 else 1.0 - types
    paths = war_path(
        beliefs, inputs.drift, inputs.horizon, inputs.win, inputs.lose, cost, inputs.cost_growth
    )
    return np.ascontiguousarray(paths[:, :, side])


@dataclass(frozen=True, eq=False)
class TalksNumbers:
    """The numeric results of :func:`talks_numbers`, before bundles are named.

    ``informed`` and ``proposer`` are party columns (None without one informed side);
    ``complete`` is the game with the proposer's offers under complete information, ``screened``
    and ``single`` the same game with the informed side's value private (over time, and one
    offer); ``both`` the one offer of each war side in turn when both sides are informed
    (side 0 proposing, then side 1); ``expectations`` is ``(joint, side 0's view, side 1's
    view, optimism threshold)``.
    """

    informed: int | None
    proposer: int | None
    complete: BargainingResult | None
    screened: Screening | None
    single: OneOffer | None
    lasting: Durability
    expectations: tuple[int, int, int, float | None] | None
    both: tuple[InformedOffer, InformedOffer] | None = None


def talks_numbers(
    scenario: Scenario,
    problem: Problem,
    inputs: WarInputs | None,
    veto: NDArray[np.intp],
    flows: NDArray[np.float64],
    discounts: NDArray[np.float64],
    indices: NDArray[np.int64],
    utilities: NDArray[np.float64],
) -> TalksNumbers:
    """Screening (one informed war side, two veto parties), durability and expectations of one
    scenario: the war model's numbers ``inputs``, the timeline ``veto``/``flows``/``discounts``
    and the bargaining candidates. (Over the draws of a block:
    :func:`sim.montecarlo.talks.talks_block`.)"""
    war = scenario.war
    assert war is not None and war.private is not None
    lasting = durability(utilities[:, veto], flows)
    expectations = _expectations(scenario, problem, veto, flows, utilities, inputs)
    if not private_games(scenario, inputs, veto):
        return TalksNumbers(None, None, None, None, None, lasting, expectations)
    assert inputs is not None
    if len(war.private) == 2:
        both = both_informed(scenario, problem, inputs, veto, discounts, indices, utilities)
        return TalksNumbers(None, None, None, None, None, lasting, expectations, both)
    uninformed, informed, game = screening_game(
        scenario, problem, inputs, veto, flows, discounts, indices, utilities
    )
    columns = [int(veto[uninformed]), int(veto[informed])]
    mine, theirs, _, _, paths, weights, delta, _ = (np.asarray(a) for a in game)
    screened = screening(*game)
    complete = rotating_offers(
        utilities, indices, columns, flows[:, [uninformed, informed]], delta, order=[columns[0]]
    )
    present = war_present_value(paths.T, np.full(paths.shape[0], delta[1]))
    proposer_war = float(war_present_value(flows[:, [uninformed]], delta[:1])[0])
    single = one_offer(mine, theirs, indices, proposer_war, present, weights)
    return TalksNumbers(columns[1], columns[0], complete, screened, single, lasting, expectations)


def private_games(scenario: Scenario, inputs: object, veto: NDArray[np.intp]) -> bool:
    """Whether offers are made under private information: the war model declares a private
    value, its numbers are known (``inputs``: its :class:`WarInputs` or
    :class:`WarColumns`, None without them) and two parties hold a veto."""
    war = scenario.war
    return bool(war is not None and war.private and inputs is not None and len(veto) == 2)


def screening_game(
    scenario: Scenario,
    problem: Problem,
    inputs: WarInputs,
    veto: NDArray[np.intp],
    flows: NDArray[np.float64],
    discounts: NDArray[np.float64],
    indices: NDArray[np.int64],
    utilities: NDArray[np.float64],
) -> tuple[int, int, ScreeningInput]:
    """One war side's value private: the uninformed and the informed veto party (positions in
    ``veto``) and the arguments of :func:`~sim.core.screening.screening`, the uninformed
    party proposing."""
    war = scenario.war
    assert war is not None and war.private is not None
    party, declared = next(iter(war.private.items()))
    informed = int(np.flatnonzero(veto == problem.parties.index(party))[0])
    uninformed = 1 - informed
    columns = [int(veto[uninformed]), int(veto[informed])]
    delta = discounts[[uninformed, informed]]
    types, weights = type_grid(scenario, party, declared)
    paths = type_paths(inputs, war.sides.index(party), declared.field, types)
    mine, theirs = utilities[:, columns[0]], utilities[:, columns[1]]
    game = (mine, theirs, indices, flows[:, uninformed], paths, weights, delta, types)
    return uninformed, informed, game


def both_informed(
    scenario: Scenario,
    problem: Problem,
    inputs: WarInputs,
    veto: NDArray[np.intp],
    discounts: NDArray[np.float64],
    indices: NDArray[np.int64],
    utilities: NDArray[np.float64],
) -> tuple[InformedOffer, InformedOffer]:
    """Both war sides' values private (independent types): the one offer of each side in
    turn, proposing with its own type known and the other's believed."""
    war = scenario.war
    assert war is not None and war.private is not None
    values = []
    for k, side in enumerate(war.sides):
        declared = war.private[side]
        types, weights = type_grid(scenario, side, declared)
        column = int(np.flatnonzero(veto == problem.parties.index(side))[0])
        paths = type_paths(inputs, k, declared.field, types)
        present = war_present_value(paths.T, np.full(paths.shape[0], discounts[column]))
        values.append((problem.parties.index(side), present, weights))
    offers = []
    for k in range(2):
        (mine, own_war, own_weights), (theirs, war_values, weights) = values[k], values[1 - k]
        offers.append(
            informed_offer(
                utilities[:, mine],
                utilities[:, theirs],
                indices,
                own_war,
                own_weights,
                war_values,
                weights,
            )
        )
    return offers[0], offers[1]


def analyse_talks(
    scenario: Scenario,
    problem: Problem,
    veto: NDArray[np.intp],
    flows: NDArray[np.float64],
    discounts: NDArray[np.float64],
    inputs: WarInputs | None,
    indices: NDArray[np.int64],
    utilities: NDArray[np.float64],
    source: str,
    results: Sequence[tuple[Protocol, BargainingResult]],
) -> TalksOutcome | None:
    """The analysis of why talks fail, or None unless the war model declares ``private``.

    ``veto``, ``flows``, ``discounts`` and ``inputs`` (the war model's numbers) are the
    timeline of the strategic layer (per veto party); ``indices``/``utilities`` the bargaining
    candidates (``source`` says which);
    ``results`` every protocol already played with complete information.
    """
    war = scenario.war
    if war is None or war.private is None:
        return None
    named: dict[int, Bundle] = {}

    def bundle(index: int | None) -> Bundle | None:
        if index is None:
            return None
        if index not in named:
            named[index] = Bundle.of(problem, index)
        return named[index]

    def fighting(r: BargainingResult) -> tuple[tuple[str, int | None], ...] | None:
        if r.utilities is None:
            return None
        months = first_month_fighting(np.asarray(r.utilities)[veto], flows)
        return tuple((problem.parties[int(v)], m) for v, m in zip(veto, months, strict=True))

    protocols = []
    for protocol, r in results:
        first = problem.parties[r.path[0].proposer]
        protocols.append(
            _complete(protocol.column(first), protocol.title(first), r, bundle, fighting(r))
        )
    numbers = talks_numbers(scenario, problem, inputs, veto, flows, discounts, indices, utilities)
    notes = []
    private = None
    both: BothPrivate | None = None
    if numbers.screened is not None:
        assert numbers.complete is not None and numbers.single is not None
        assert numbers.informed is not None and numbers.proposer is not None
        party, proposer = problem.parties[numbers.informed], problem.parties[numbers.proposer]
        field = war.private[party].field
        protocols.append(
            _complete(
                PROTOCOL_KEY_COMPLETE,
                f"{proposer} proposes every month",
                numbers.complete,
                bundle,
                fighting(numbers.complete),
            )
        )
        protocols.append(
            _screened(
                f"{proposer} proposes every month, {party}'s {field} private",
                f"private: {party}'s {field} (one-sided screening, {proposer} uninformed)",
                numbers.screened,
                bundle,
            )
        )
        single = numbers.single
        private = PrivateInformation(
            party,
            proposer,
            field,
            tuple(numbers.screened.types.tolist()),
            tuple(numbers.screened.weights.tolist()),
            bundle(single.offer),
            single.p_breakdown,
            single.expected_utility,
            tuple(
                CurvePoint(p, Bundle.of(problem, b), up, ur, eu)
                for p, b, up, ur, eu in single.curve
            ),
            SOLVED_EXACTLY,
        )
    elif numbers.both is not None:
        both = _both(scenario, numbers.both, bundle)
        protocols.extend(_one_offer_protocol(o, both, war.horizon) for o in both.offers)
    elif war.private:
        notes.append("private information is analysed for two veto parties that are war sides")
    lasting = numbers.lasting
    durable = Durable(
        source,
        lasting.today,
        int(lasting.durable.sum()),
        tuple(int(h) for h in lasting.holding),
        lasting.loss_months,
        lasting.commitment_problem,
        lasting.shortfall,
    )
    expectations = None
    if numbers.expectations is not None:
        joint, seen0, seen1, threshold = numbers.expectations
        expectations = Expectations((war.sides[0], war.sides[1]), joint, (seen0, seen1), threshold)
    return TalksOutcome(tuple(protocols), private, durable, expectations, tuple(notes), both)


PROTOCOL_KEY_COMPLETE = "proposer"

SOLVED_EXACTLY = (
    "one informed veto party: the perfect Bayesian equilibrium of offers by the uninformed "
    "party each month, by backward induction over the type grid (the belief a truncation of "
    "the prior, weaker types accepting first); the one-offer model exactly, per bundle"
)

SOLVED_BOTH = (
    "both war sides informed, their types independent: each side's single take-it-or-leave-it "
    "offer exactly, per type of the proposer (its offer maximises its expected utility given "
    "the probability that the other side's type accepts); offers over the horizon with two "
    "informed sides are not solved"
)


Named = Callable[[int | None], Bundle | None]


def _both(
    scenario: Scenario, offers: tuple[InformedOffer, InformedOffer], bundle: Named
) -> BothPrivate:
    """The typed result of each war side's one offer with both sides informed."""
    war = scenario.war
    assert war is not None and war.private is not None
    sides = (war.sides[0], war.sides[1])
    grids = [type_grid(scenario, side, war.private[side]) for side in sides]
    typed = []
    for k, o in enumerate(offers):
        mean_war = float(o.weights @ o.war)
        curve = []
        for breakdown, index, mine, theirs, p_accept in o.curve:
            named = bundle(index)
            assert named is not None
            value = p_accept * mine + (1.0 - p_accept) * mean_war
            curve.append(CurvePoint(breakdown, named, mine, theirs, value))
        typed.append(
            InformedOneOffer(
                sides[k],
                sides[1 - k],
                tuple((bundle(b), share) for b, share in o.offer_shares()),
                o.p_breakdown,
                o.expected_utility,
                tuple(curve),
            )
        )
    return BothPrivate(
        sides,
        (war.private[sides[0]].field, war.private[sides[1]].field),
        (tuple(grids[0][0].tolist()), tuple(grids[1][0].tolist())),
        (tuple(grids[0][1].tolist()), tuple(grids[1][1].tolist())),
        (typed[0], typed[1]),
        SOLVED_BOTH,
    )


def _one_offer_protocol(o: InformedOneOffer, both: BothPrivate, horizon: int) -> TalksProtocol:
    """A single offer as agreement over time: in month 0 with the probability it is accepted,
    never after (a rejection is war); the terms are the offer most of the proposer's types
    make (``talks.private_both`` gives them all)."""
    agreed = 1.0 - o.p_breakdown
    private = " and ".join(f"{s}'s {f}" for s, f in zip(both.sides, both.fields, strict=True))
    return TalksProtocol(
        f"one_offer_{o.proposer}",
        f"{o.proposer} makes one offer, {private} private",
        f"private: {private} (one offer, independent types)",
        (agreed,) * (horizon + 1),
        0.0 if agreed > 0.0 else None,
        o.p_breakdown,
        (o.modal,) + (None,) * horizon,
    )


def _complete(
    key: str,
    title: str,
    r: BargainingResult,
    bundle: Named,
    fighting: tuple[tuple[str, int | None], ...] | None,
) -> TalksProtocol:
    """A complete-information result as agreement over time: certain at its period."""
    horizon = len(r.path) - 1
    by = tuple(
        1.0 if r.agreement_period is not None and t >= r.agreement_period else 0.0
        for t in range(horizon + 1)
    )
    offers = tuple(
        bundle(r.bundle) if t == r.agreement_period else None for t in range(horizon + 1)
    )
    return TalksProtocol(
        key,
        title,
        "complete",
        by,
        None if r.agreement_period is None else float(r.agreement_period),
        0.0 if r.agreement_period is not None else 1.0,
        offers,
        fighting,
    )


def _screened(title: str, information: str, s: Screening, bundle: Named) -> TalksProtocol:
    return TalksProtocol(
        "screening",
        title,
        information,
        tuple(float(p) for p in s.p_agreement_by),
        s.expected_month,
        s.p_breakdown,
        tuple(bundle(o) for o in s.offers),
    )


def _expectations(
    scenario: Scenario,
    problem: Problem,
    veto: NDArray[np.intp],
    flows: NDArray[np.float64],
    utilities: NDArray[np.float64],
    inputs: WarInputs | None,
) -> tuple[int, int, int, float | None] | None:
    """Perceived zones (joint, side 0's view, side 1's view) and the optimism threshold in
    month 0, when both war sides are veto parties valuing war with the war model."""
    found = (
        None
        if inputs is None
        else expectation_candidates(scenario, problem, veto, flows, utilities)
    )
    if found is None:
        return None
    assert inputs is not None
    ok, columns = found
    sides = utilities[ok][:, columns]
    b0, b1 = inputs.beliefs
    joint, seen0, seen1 = perceived_zones(sides, [b0, b1], inputs.win, inputs.lose, inputs.cost)
    threshold = optimism_threshold(sides, [b0, 1.0 - b1], inputs.win, inputs.lose, inputs.cost)
    return joint, seen0, seen1, threshold


def expectation_candidates(
    scenario: Scenario,
    problem: Problem,
    veto: NDArray[np.intp],
    flows: NDArray[np.float64],
    utilities: NDArray[np.float64],
) -> tuple[NDArray[np.bool_], list[int]] | None:
    """The candidates the perceived zones and the optimism threshold are taken over, those
    every other veto party accepts in month 0 (``(n,)``; ``(D, n)`` with ``flows``
    ``(D, T + 1, V)`` and ``utilities`` ``(D, n, n_parties)``, many draws at once), and the
    two war sides' party columns; None unless both war sides are veto parties."""
    war = scenario.war
    if war is None:
        return None
    columns = [problem.parties.index(s) for s in war.sides]
    if not all(c in veto for c in columns):
        return None
    others = [k for k, v in enumerate(veto) if int(v) not in columns]
    ok = np.ones(utilities.shape[:-1], dtype=np.bool_)
    for k in others:
        ok &= utilities[..., veto[k]] >= flows[..., 0, k, None] - ACCEPT_TOL
    return ok, columns

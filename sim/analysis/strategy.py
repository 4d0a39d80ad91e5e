"""The strategic layer of a scenario: war over time, bargaining over time, and the games."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.analysis.outcome import Protocol, TalksOutcome
from sim.analysis.talks import WarColumns, WarInputs, analyse_talks, war_inputs
from sim.compile import STATED, Values, compile_problem, evaluate, war_stakes
from sim.core.bargaining import (
    BargainingResult,
    alternating_offers,
    mediated,
    rotating_offers,
)
from sim.core.composite import Layout, compose
from sim.core.consent import consented_front
from sim.core.frontier import exact_frontier
from sim.core.problem import Problem
from sim.core.solutions import best_row
from sim.core.space import decode, encode
from sim.core.timeline import war_present_value
from sim.core.utility import ACCEPT_TOL, bundle_utilities, consent_parts, refused_by_consent
from sim.games.budget import GameTooLargeError
from sim.games.compliance import ComplianceModel, ComplianceResult, compliance_game
from sim.games.game import SolvedGame
from sim.games.leverage import LeverageResult, Settlement, Threat, solve_leverage
from sim.games.positions import positions_game
from sim.model.resolve import LoadedScenario
from sim.model.schema import Scenario

CANDIDATE_LIMIT = 2_000_000
"""Feasible bundles enumerated as bargaining candidates; larger spaces use their frontier."""

DEFAULT_HORIZON = 24

Tables = tuple[NDArray[np.float64], ...]

ALTERNATING = Protocol("alternating", "alternating", ordered=True)
"""Alternating offers between two veto parties (Rubinstein 1982), once per first proposer."""
ROTATING = Protocol("rotating", "rotating offers", ordered=True)
"""Rotating offers among any number of veto parties, every other one must accept (Baron and
Ferejohn 1989 with a unanimity rule), in the scenario's proposer order."""
MEDIATED = Protocol("mediated", "mediated", ordered=False)
"""A mediator proposes in every period; any number of veto parties."""
PROTOCOLS = (ALTERNATING, ROTATING, MEDIATED)
"""Every bargaining protocol, declared once (see docs/architecture.md)."""


@dataclass(frozen=True, eq=False)
class Timeline:
    """Per period ``t = 0..T``: each veto party's war value; its discount factor; and the
    present value of fighting on along the whole path (the war payoff of the games)."""

    veto: NDArray[np.intp]
    flows: NDArray[np.float64]
    discounts: NDArray[np.float64]
    present: NDArray[np.float64]
    inputs: WarInputs | None = None
    """The war model's numbers the war sides' flows come from (None without them)."""


@dataclass(frozen=True, eq=False)
class Strategy:
    """Everything the strategic layer says about one scenario."""

    timeline: Timeline
    bargaining: tuple[BargainingResult, ...]
    protocols: tuple[Protocol, ...]
    """The protocol of each bargaining result."""
    compliance: tuple[ComplianceResult, ...]
    """The compliance game between the two veto parties over each agreed bundle."""
    positions: tuple[SolvedGame, NDArray[np.int64]] | None
    leverage: LeverageResult | None
    notes: tuple[str, ...]
    skipped: tuple[str, ...] = ()
    """What was not built for this scenario, and why."""
    many_sided: ManySided | None = None
    """The games among three or more veto parties (None with fewer)."""
    talks: TalksOutcome | None = None
    """Why talks fail (docs/strategic.md), when the war model declares ``private``."""


def timeline(
    scenario: Scenario,
    problem: Problem,
    values: Values = STATED,
    imposed: Mapping[str, NDArray[np.float64]] | None = None,
    draw: int = 0,
    columns: WarColumns | None = None,
) -> Timeline:
    """War values per period: the war sides from the war model, others at their reservation.

    ``values``: the stated values, or drawn columns of which draw ``draw`` is taken (the
    problem is then that draw's, and ``imposed`` :func:`sim.compile.imposed_utilities` of the
    draws), as :func:`sim.analysis.talks.war_inputs` reads them; ``columns``: the
    :func:`~sim.analysis.talks.war_columns` of those draws, when the caller keeps them."""
    veto = problem.veto_indices
    inputs = (
        war_inputs(scenario, problem, values, imposed, draw)
        if columns is None
        else columns.at(draw)
    )
    paths = None if inputs is None else inputs.path()
    flows = war_flows(scenario, problem, problem.reservation, paths)
    discounts = np.array(
        [
            values.at(f"parties.{name}.discount", scenario.parties[name].discount, draw)
            for name in (problem.parties[i] for i in veto)
        ]
    )
    return Timeline(veto, flows, discounts, war_present_value(flows, discounts), inputs)


def veto_discounts(
    scenario: Scenario, problem: Problem, values: Values, draws: int
) -> NDArray[np.float64]:
    """``(draws, V)`` each veto party's discount factor in every draw (as :func:`timeline`
    reads it, one draw at a time)."""
    names = [problem.parties[i] for i in problem.veto_indices]
    discounts = np.empty((draws, len(names)))
    for column, name in enumerate(names):
        discounts[:, column] = values.get(
            f"parties.{name}.discount", scenario.parties[name].discount
        )
    return discounts


def war_flows(
    scenario: Scenario,
    problem: Problem,
    reservation: NDArray[np.float64],
    paths: NDArray[np.float64] | None,
) -> NDArray[np.float64]:
    """``(T + 1, V)`` each veto party's war value per period: the war sides' from the war
    model's ``paths`` (``(T + 1, 2)``, :meth:`~sim.analysis.talks.WarInputs.path`; None
    without one), every other veto party its ``reservation`` (``(n_parties,)``) in every
    period. Many draws at once: ``reservation`` ``(D, n_parties)`` and ``paths``
    ``(D, T + 1, 2)`` give ``(D, T + 1, V)``."""
    veto = problem.veto_indices
    war = scenario.war
    horizon = war.horizon if war is not None else DEFAULT_HORIZON
    flows = np.repeat(reservation[..., None, veto], horizon + 1, axis=-2)
    if war is not None and paths is not None:
        for column, side in enumerate(war.sides):
            position = np.flatnonzero(veto == problem.parties.index(side))
            if position.size:  # a war side without a veto does not bargain
                flows[..., position[0]] = paths[..., column]
    return flows


def prevail_path(scenario: Scenario, side: str) -> NDArray[np.float64]:
    """Per period, the probability that ``side`` prevails (constant 0.5 without a war model)."""
    war = scenario.war
    if war is None:
        return np.full(DEFAULT_HORIZON + 1, 0.5)
    steps = np.arange(war.horizon + 1, dtype=np.float64)
    linear = evaluate(war.prevail, scenario) + evaluate(war.drift, scenario) * steps
    first: NDArray[np.float64] = np.clip(linear, 0.0, 1.0)
    return first if war.sides[0] == side else 1.0 - first


def _feasible_key(problem: Problem) -> tuple[tuple[bytes, ...], bytes] | None:
    """What :func:`_feasible_bundles` enumerates the feasible bundles from (each issue's
    allowed options and the radices, as bytes); None when there are more than
    :data:`CANDIDATE_LIMIT`."""
    allowed = problem.feasible_options()
    count = 1
    for a in allowed:
        count *= int(a.sum())
    if count > CANDIDATE_LIMIT:
        return None
    return tuple(a.tobytes() for a in allowed), problem.radices.tobytes()


def feasible_bundles(problem: Problem) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
    """The feasible bundles (indices ascending, and their option digits) that
    :func:`candidates` enumerates; None when there are more than :data:`CANDIDATE_LIMIT`
    (it takes the frontier then)."""
    feasible = _feasible_key(problem)
    return None if feasible is None else _feasible_bundles(*feasible)


def candidates(problem: Problem) -> tuple[NDArray[np.int64], NDArray[np.float64], str]:
    """Bundles the bargaining protocols choose among: every feasible bundle when few enough,
    else the veto parties' Pareto frontier of the feasible set. With consent, bundles that a
    party whose consent they need would refuse (below its reservation, which does not change
    over time, or on its red line) are left out. (A block of draws at once:
    :func:`sim.montecarlo.static.candidate_pieces`.)"""
    feasible = _feasible_key(problem)
    if feasible is not None:
        indices, digits = _feasible_bundles(*feasible)
        utilities = bundle_utilities(problem, digits)
        if problem.consent is None:
            return indices, utilities, "feasible set"
        parts = _consent_parts(problem, digits, feasible)
        keep = ~refused_by_consent(problem, digits, utilities, parts=parts)
        return (
            indices[keep],
            utilities[keep],
            "feasible bundles every party whose consent they need approves",
        )
    if problem.consent is not None:
        consented = consented_front(problem)
        return (
            consented,
            bundle_utilities(problem, decode(consented, problem.radices)),
            "Pareto frontier of the feasible bundles every party whose consent they need approves",
        )
    floor = dataclasses.replace(problem, reservation=np.zeros(problem.n_parties))
    front = exact_frontier(floor)
    return (
        front.indices,
        bundle_utilities(problem, decode(front.indices, problem.radices)),
        ("Pareto frontier of the feasible set"),
    )


_PARTS: dict[tuple[object, ...], tuple[NDArray[np.bool_], NDArray[np.bool_]]] = {}


def _consent_parts(
    problem: Problem, digits: NDArray[np.int64], feasible: tuple[object, ...]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """:func:`~sim.core.utility.consent_parts` of the feasible bundles (``digits``, the
    bundles of :func:`_feasible_bundles` of the key ``feasible``), kept for the draws of a
    scenario (the same red lines, consent and bundles in every draw; two kept, as
    :func:`_feasible_bundles`)."""
    key = (
        feasible,
        problem.veto.tobytes(),
        *((t.shape, t.tobytes()) for t in problem.red_lines),
        *((t.shape, t.tobytes()) for t in problem.consent or ()),
    )
    if key not in _PARTS:
        while len(_PARTS) >= 2:
            _PARTS.pop(next(iter(_PARTS)))
        _PARTS[key] = consent_parts(problem, digits)
    return _PARTS[key]


@functools.lru_cache(maxsize=2)
def _feasible_bundles(
    allowed: tuple[bytes, ...], radices: bytes
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every bundle of the allowed options (one boolean mask per issue, as bytes), ascending,
    and its option digits; computed once for the draws of a scenario, whose red lines are
    the same in every draw (read-only arrays). Two are kept (the Monte Carlo loops run one
    scenario at a time): at most ``CANDIDATE_LIMIT`` bundles each, about 200 MB for twelve
    issues."""
    masks = [np.frombuffer(a, dtype=np.bool_) for a in allowed]
    digits = np.stack(np.meshgrid(*[np.flatnonzero(m) for m in masks], indexing="ij"), -1)
    digits = digits.reshape(-1, len(masks)).astype(np.int64)
    indices = encode(digits, np.frombuffer(radices, dtype=np.int64))
    order = np.argsort(indices)
    indices, digits = indices[order], digits[order]
    indices.setflags(write=False)
    digits.setflags(write=False)
    return indices, digits


@dataclass(frozen=True, eq=False)
class Seats:
    """Who bargains: the scenario, its compiled problem and the mediator's column, if any."""

    scenario: Scenario
    problem: Problem
    mediator: int | None

    @property
    def veto(self) -> list[int]:
        return [int(v) for v in self.problem.veto_indices]


@dataclass(frozen=True, eq=False)
class Setting(Seats):
    """What a protocol is played over: the seats, the war over time and the bargaining
    candidates (indices and utilities)."""

    line: Timeline
    indices: NDArray[np.int64]
    utilities: NDArray[np.float64]


@dataclass(frozen=True)
class Play:
    """How the analysis plays a protocol: ``why_not(seats)`` is None where it applies (else
    the reason, in words after the protocol's label), ``by_default(seats)`` whether it is
    played when the scenario lists no protocols, ``orders(seats)`` the proposers' party
    columns in turn of each run (one result each; empty for a protocol without proposers),
    and ``solve(setting, order)`` one run."""

    protocol: Protocol
    why_not: Callable[[Seats], str | None]
    by_default: Callable[[Seats], bool]
    orders: Callable[[Seats], list[list[int]]]
    solve: Callable[[Setting, list[int]], BargainingResult]

    def name(self, seats: Seats, order: list[int]) -> str:
        """A run's name in outcome-table columns."""
        return self.protocol.column(seats.problem.parties[order[0]] if order else "")


def _alternating(s: Setting, order: list[int]) -> BargainingResult:
    columns = [s.veto.index(p) for p in order]
    return alternating_offers(
        s.utilities, s.indices, order, s.line.flows[:, columns], s.line.discounts[columns]
    )


def _rotating_order(s: Seats) -> list[list[int]]:
    rules = s.scenario.bargaining
    named = rules.order if rules is not None and rules.order else None
    return [[s.problem.parties.index(p) for p in named] if named else s.veto]


def _rotating(s: Setting, order: list[int]) -> BargainingResult:
    return rotating_offers(
        s.utilities, s.indices, s.veto, s.line.flows, s.line.discounts, order=order
    )


def _mediated(s: Setting, order: list[int]) -> BargainingResult:
    assert s.mediator is not None
    return mediated(s.utilities, s.indices, s.veto, s.mediator, s.line.flows, s.line.discounts)


PLAYS: tuple[Play, ...] = (
    Play(
        ALTERNATING,
        lambda s: (
            None
            if len(s.veto) == 2
            else f"needs exactly two veto parties; this scenario has {len(s.veto)}"
        ),
        lambda s: True,
        lambda s: [s.veto, s.veto[::-1]],
        _alternating,
    ),
    Play(
        ROTATING,
        lambda s: None if len(s.veto) >= 2 else "needs at least two veto parties",
        lambda s: len(s.veto) >= 3,
        _rotating_order,
        _rotating,
    ),
    Play(
        MEDIATED,
        lambda s: (
            None if s.mediator is not None else "needs a mediator: name one under leverage.mediator"
        ),
        lambda s: True,
        lambda s: [[]],
        _mediated,
    ),
)
"""How each protocol of :data:`PROTOCOLS` is played, in the order the outcome lists them: a
new protocol is its descriptor, its solver and its entry here."""


def planned_runs(seats: Seats) -> tuple[list[tuple[Play, list[int]]], list[str]]:
    """Every protocol run the scenario plays (the protocol and its proposers' order), and why
    each protocol it does not play is left out; what :func:`bargain` plays and what the
    Monte Carlo draws play (:func:`sim.montecarlo.strategic.protocol_runs`)."""
    runs: list[tuple[Play, list[int]]] = []
    skipped: list[str] = []
    rules = seats.scenario.bargaining
    listed = None if rules is None or rules.protocols is None else set(rules.protocols)
    for play in PLAYS:
        why = play.why_not(seats)
        wanted = play.by_default(seats) if listed is None else play.protocol.key in listed
        if why is None and wanted:
            runs += [(play, order) for order in play.orders(seats)]
        elif listed is not None and play.protocol.key not in listed:
            skipped.append(
                f"{play.protocol.label}: ruled out by the scenario (bargaining.protocols)"
            )
        elif why is not None and (listed is not None or play.by_default(seats)):
            skipped.append(f"{play.protocol.label} {why}")
    return runs, skipped


def bargain(setting: Setting) -> tuple[list[BargainingResult], list[Protocol], list[str]]:
    """Every protocol the scenario plays, and why each one it does not play is left out."""
    runs, skipped = planned_runs(setting)
    results = [play.solve(setting, order) for play, order in runs]
    return results, [play.protocol for play, _ in runs], skipped


def analyse_strategy(
    loaded: LoadedScenario, problem: Problem | None = None, *, with_games: bool = True
) -> Strategy:
    """War over time, bargaining over time (every protocol that applies), and the
    compliance, positions and leverage games of a scenario (``problem``: the scenario already
    compiled, if it is; ``with_games``: False leaves the games out)."""
    scenario = loaded.scenario
    if problem is None:
        problem = compile_problem(scenario)
    line = timeline(scenario, problem)
    veto = [int(v) for v in line.veto]
    indices, utilities, source = candidates(problem)
    notes = [f"bargaining candidates: the {source} ({indices.shape[0]} bundles)"]
    mediator = mediator_column(scenario, problem)
    results, protocols, skipped = bargain(
        Setting(scenario, problem, mediator, line, indices, utilities)
    )
    if not with_games:
        return Strategy(
            line, tuple(results), tuple(protocols), (), None, None, tuple(notes), tuple(skipped)
        )
    reservation = problem.reservation[line.veto]
    accepted = (utilities[:, line.veto] >= reservation - ACCEPT_TOL).all(axis=1)
    games = _compliance_games(scenario, problem, results, line)
    many = _many_sided_games(scenario, problem, results, line, indices, utilities, mediator)
    skipped += many.skipped
    positions = None
    if len(veto) == 2:
        players = (problem.parties[veto[0]], problem.parties[veto[1]])
        positions = positions_game(
            players,
            utilities[accepted][:, veto],
            indices[accepted],
            reservation,
            utilities[accepted, mediator] if mediator is not None else None,
        )
    leverage = None
    if scenario.leverage is not None and len(veto) == 2:
        leverage = _leverage(loaded, problem, line, indices, utilities)
    elif scenario.leverage is not None:
        skipped.append(
            f"the leverage game needs exactly two veto parties; this scenario has {len(veto)}"
        )
    if scenario.compliance is None:
        skipped.append("no compliance section: the compliance game is not built")
    elif len(veto) >= 3 and not many.compliance and any(r.bundle is not None for r in results):
        skipped.append(
            "the compliance game among all veto parties needs compliance.gain, exposure and "
            "penalty for every veto party"
        )
    talks = analyse_talks(
        scenario,
        problem,
        line.veto,
        line.flows,
        line.discounts,
        line.inputs,
        indices,
        utilities,
        source,
        list(zip(protocols, results, strict=True)),
    )
    return Strategy(
        line,
        tuple(results),
        tuple(protocols),
        games,
        positions,
        leverage,
        tuple(notes),
        tuple(skipped),
        many,
        talks,
    )


@dataclass(frozen=True, eq=False)
class ManySided:
    """The games among three or more veto parties: compliance over each agreed bundle, and
    the positions game with the settled bundle of each profile (-1: war); ``skipped`` says
    which were left out as too large."""

    compliance: tuple[ComplianceResult, ...] = ()
    positions: tuple[SolvedGame, NDArray[np.int64]] | None = None
    skipped: tuple[str, ...] = ()


def _many_sided_games(
    scenario: Scenario,
    problem: Problem,
    results: list[BargainingResult],
    line: Timeline,
    indices: NDArray[np.int64],
    utilities: NDArray[np.float64],
    mediator: int | None,
) -> ManySided:
    veto = [int(v) for v in line.veto]
    if len(veto) < 3:
        return ManySided()
    from sim.games.compliance import players_refusal

    reservation = problem.reservation[line.veto]
    accepted = (utilities[:, line.veto] >= reservation - ACCEPT_TOL).all(axis=1)
    players = tuple(problem.parties[v] for v in veto)
    skipped: tuple[str, ...] = ()
    try:
        positions: tuple[SolvedGame, NDArray[np.int64]] | None = positions_game(
            players,
            utilities[accepted][:, veto],
            indices[accepted],
            reservation,
            utilities[accepted, mediator] if mediator is not None else None,
        )
    except GameTooLargeError as error:  # documented fallback: the game is left out, by name
        positions, skipped = None, (str(error),)
    model = compliance_model(scenario, problem, veto)
    if model is not None and (too_many := players_refusal(len(veto))):
        model, skipped = None, (*skipped, too_many)  # left out, by name, as the positions game
    compliance = []
    if model is not None:
        for bundle in sorted({r.bundle for r in results if r.bundle is not None}):
            digits = decode(np.array([bundle]), problem.radices)
            agreement = bundle_utilities(problem, digits)[0, veto]
            compliance.append(
                compliance_game(model, players, bundle, digits[0], agreement, line.present)
            )
    return ManySided(tuple(compliance), positions, skipped)


def mediator_column(scenario: Scenario, problem: Problem) -> int | None:
    """The mediator's party column (``leverage.mediator``), if the scenario names one."""
    if scenario.leverage is not None:
        return problem.parties.index(scenario.leverage.mediator)
    return None


def _compliance_games(
    scenario: Scenario,
    problem: Problem,
    results: list[BargainingResult],
    line: Timeline,
) -> tuple[ComplianceResult, ...]:
    model = compliance_model(scenario, problem)
    if model is None or len(line.veto) > 2 or not all(problem.veto[list(model.sides)]):
        return ()  # three or more veto parties play the compliance game among them all
    bundles = sorted({r.bundle for r in results if r.bundle is not None})
    players = (problem.parties[model.sides[0]], problem.parties[model.sides[1]])
    columns = [int(np.flatnonzero(line.veto == s)[0]) for s in model.sides]
    games = []
    for bundle in bundles:
        digits = decode(np.array([bundle]), problem.radices)
        agreement = bundle_utilities(problem, digits)[0, list(model.sides)]
        games.append(
            compliance_game(model, players, bundle, digits[0], agreement, line.present[columns])
        )
    return tuple(games)


def option_tables(
    problem: Problem,
    declared: dict[str, dict[str, float]],
    prefix: str = "",
    values: Values = STATED,
    draws: int | None = None,
) -> Tables:
    """Per compiled issue, each option's declared contribution (0 where none is declared),
    summed over a composite issue's members. ``draws``: with a leading axis of that many
    draws, each declared contribution drawn (``<prefix>.<issue>.<option>``) or stated."""
    per_issue = []
    for k, issue in enumerate(problem.bundle_issues):
        options = problem.bundle_options[k]
        table = np.zeros(((draws,) if draws is not None else ()) + (len(options),))
        for o, option in enumerate(options):
            if option in declared.get(issue, {}):
                table[..., o] = values.get(f"{prefix}.{issue}.{option}", declared[issue][option])
        per_issue.append(table)
    return tuple(compose(Layout(problem.blocks, problem.bundle_radices), per_issue))


def compliance_model(
    scenario: Scenario, problem: Problem, sides: Sequence[int] | None = None
) -> ComplianceModel | None:
    """The compliance parameters of the players ``sides`` (party columns; by default the two
    war sides) as arrays, or None if the scenario does not give them all."""
    c = scenario.compliance
    if sides is None:
        if scenario.war is None:
            return None
        sides = [problem.parties.index(side) for side in scenario.war.sides]
    names = [problem.parties[v] for v in sides]
    if c is None or not all(n in c.gain and n in c.exposure and n in c.penalty for n in names):
        return None
    return ComplianceModel(
        sides=tuple(int(v) for v in sides),
        gain=np.array([c.gain[n] for n in names]),
        exposure=np.array([c.exposure[n] for n in names]),
        penalty=np.array([c.penalty[n] for n in names]),
        detection_base=c.detection,
        detection_tables=option_tables(problem, c.detection_options),
        protection_tables=tuple(option_tables(problem, c.protection.get(n, {})) for n in names),
    )


def _leverage(
    loaded: LoadedScenario,
    problem: Problem,
    line: Timeline,
    indices: NDArray[np.int64],
    utilities: NDArray[np.float64],
) -> LeverageResult:
    """The leverage game; every war payoff is the present value of fighting on along the war
    path of the scenario (or of the scenario as the policy changes it: validated at load for a
    scenario loaded from its file, here for one derived from another, e.g. a sweep point)."""
    scenario = loaded.scenario
    lev = scenario.leverage
    assert lev is not None
    veto = problem.veto_indices
    mediator = problem.parties.index(lev.mediator)
    patience = scenario.parties[lev.mediator].discount

    def mediator_war(s: Scenario, compiled: Problem) -> float:
        p = prevail_path(s, lev.backs)
        cost = evaluate(lev.war.cost, s) + evaluate(lev.war.cost_growth, s) * np.arange(p.size)
        win, lose = lev.war.win, lev.war.lose
        if win is None or lose is None:
            win, lose = war_stakes(s, compiled, lev.mediator, lev.war, backs=lev.backs)
        flows = p * win + (1.0 - p) * lose - cost
        return float(war_present_value(flows[:, None], [patience])[0])

    def settle(refusal: NDArray[np.float64]) -> Settlement | None:
        ok: NDArray[np.bool_] = np.all(utilities[:, veto] >= refusal - ACCEPT_TOL, axis=1)
        pick = best_row(utilities[:, mediator], indices, ok, 1e-12)
        return None if pick is None else (int(indices[pick]), utilities[pick])

    status_quo = Threat("none", None, line.present, mediator_war(scenario, problem), 0.0)
    threats = []
    for name, policy in lev.policies.items():
        pressured = loaded.policy_variants.get(name) or (
            loaded.raw().with_overrides(policy.set).scenario
        )
        compiled = compile_problem(pressured)
        refusal = timeline(pressured, compiled).present
        target = int(np.flatnonzero(veto == problem.parties.index(policy.target))[0])
        threats.append(
            Threat(name, target, refusal, mediator_war(pressured, compiled), policy.value)
        )
    return solve_leverage(status_quo, threats, mediator, settle)

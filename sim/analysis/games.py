"""The games of a scenario, each declared once: :data:`GAMES`.

A game's :class:`GameKind` says how it is built from an analysed scenario (``build``), what
its document says beyond its normal form (``document``, SPEC §5) and which columns it adds to
the outcome table (``row``, ``columns``). Everything else reads the registry: the outcome
document, the outcome table and its schema, the stored run (``analysis.json`` names a game by
its outcome class) and, through the outcome's :class:`~sim.analysis.outcome.NormalFormGame`,
the terminal text, the report, the figure and the ``.nfg`` export.

Adding a game: its module (its outcome class, a frozen dataclass deriving from
:class:`~sim.analysis.outcome.NormalFormOutcome` or
:class:`~sim.analysis.outcome.GameOutcome`, and its :class:`GameKind`) and its entry in
:data:`GAMES`. A game in normal form needs no renderer of its own; one that says more (a
verdict, a sequential game) gives its text in :mod:`sim.report.games_text`
(``tests/integration/test_new_game.py`` adds one in a test module).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from sim.analysis.numbers import by_name, floats, rounded
from sim.analysis.outcome import (
    Bundle,
    ComplianceOutcome,
    GameOutcome,
    Games,
    LeverageOutcome,
    NormalFormGame,
    NormalFormOutcome,
    Outcome,
    PolicyOutcome,
    PositionsOutcome,
    StrategicGame,
)
from sim.core.problem import Problem
from sim.model.resolve import LoadedScenario

if TYPE_CHECKING:  # imported where used: a run without games needs none of them
    from sim.analysis.strategy import Strategy
    from sim.games.game import SolvedGame

LEVERAGE_CONCEPT = "subgame perfect equilibrium (backward induction)"


@dataclass(frozen=True, eq=False)
class GameSetting:
    """What a game is built from: the scenario, its compiled problem and its strategic
    analysis (war over time, the bargaining protocols' results, the candidates' games), and
    whether nashpy's second opinion on two-player games was asked for."""

    loaded: LoadedScenario
    problem: Problem
    strategy: Strategy
    cross_check: bool = False


@dataclass(frozen=True)
class GameKind:
    """One kind of game.

    ``outcome``: its outcome class (stored under its name). ``build``: its games in a scenario
    (None: not built from scenarios, e.g. a game read from a file). ``document``: its document
    (None: the document of its normal form). ``row``: the outcome table's columns it adds,
    given the outcome and its games of this kind (None: none); ``columns``: which of them hold
    words (the others are numbers).
    """

    key: str
    outcome: type[GameOutcome]
    build: Callable[[GameSetting], Sequence[GameOutcome]] | None = None
    document: Callable[[Any, Games], dict[str, Any]] | None = None
    row: Callable[[Outcome, tuple[Any, ...]], dict[str, Any]] | None = None
    columns: tuple[str, ...] = ()


def normal_form(
    problem: Problem | None, solved: SolvedGame, cross_check: bool = False
) -> NormalFormGame:
    """A solved game, of two players or more, with its bundle in words (``problem``: the
    scenario it was built from, if any; for two players nashpy's second opinion if asked)."""
    game, solution = solved.game, solved.solution
    check = None
    if cross_check and len(game.players) == 2:
        from sim.games.crosscheck import nashpy_cross_check

        check = nashpy_cross_check(game.payoffs[0], game.payoffs[1], solution)
    eliminated = solution.eliminated or tuple(() for _ in game.players)
    return NormalFormGame(
        name=game.name,
        players=game.players,
        strategies=game.strategies,
        payoffs=game.payoffs,
        equilibria=solution.equilibria,
        method=solution.method,
        complete=solution.complete,
        not_computed=solution.not_computed,
        tolerance=solution.tol,
        eliminated=tuple(
            tuple(labels[i] for i in removed)
            for labels, removed in zip(game.strategies, eliminated, strict=True)
        ),
        degenerate=solution.degenerate,
        bundle=None
        if solved.bundle is None or problem is None
        else Bundle.of(problem, solved.bundle),
        note=solved.note,
        cross_check=check,
    )


def settled_bundles(
    problem: Problem, settled: ArrayLike
) -> tuple[tuple[tuple[int, ...], Bundle | None], ...]:
    """The bundle settled on for every profile of positions (an index array with one axis
    per player, -1 for a standoff), profiles in the array's order."""
    return tuple(
        (tuple(int(i) for i in profile), None if index < 0 else Bundle.of(problem, int(index)))
        for profile, index in np.ndenumerate(np.asarray(settled))
    )


def normal_form_document(game: NormalFormGame) -> dict[str, Any]:
    """A game in normal form, of any number of players (SPEC §5): ``payoffs[p]`` has one axis
    per player; every equilibrium found, each with its regret and check; ``complete`` says
    whether that is every one (two players: every extreme equilibrium)."""
    doc: dict[str, Any] = {
        "name": game.name,
        "players": list(game.players),
        "strategies": [list(s) for s in game.strategies],
        "payoffs": np.round(game.payoffs, 12).tolist(),
        "solution_concept": "Nash equilibrium",
        "method": game.method,
        "complete": game.complete,
        "not_computed": game.not_computed or None,
        "degenerate": game.degenerate,
        "equilibria": [
            {
                "strategies": [np.round(x, 12).tolist() for x in e.strategies],
                "payoffs": [round(v, 12) for v in e.payoffs],
                "method": game.method,
                "regret": e.regret,
                "verified": e.verified,
            }
            for e in game.equilibria
        ],
        "tolerance": game.tolerance,
        "eliminated": [list(labels) for labels in game.eliminated],
    }
    if game.bundle is not None:
        doc["bundle"] = game.bundle.as_dict()
        doc["bundle_index"] = game.bundle.index
    if game.note:
        doc["note"] = game.note
    if game.cross_check is not None:
        check = game.cross_check
        doc["cross_check"] = {
            "method": check.method,
            "equilibria": check.equilibria,
            "agrees": check.agrees,
            "error": check.error,
        }
    return doc


# ---- compliance: is mutual compliance the only equilibrium over each agreed bundle ----------


def _compliance(setting: GameSetting) -> list[GameOutcome]:
    strategy, problem = setting.strategy, setting.problem
    many = strategy.many_sided.compliance if strategy.many_sided is not None else ()
    return [
        ComplianceOutcome(normal_form(problem, c.game, setting.cross_check), c.self_enforcing)
        for c in (*strategy.compliance, *many)
    ]


def _compliance_document(game: ComplianceOutcome, _: Games) -> dict[str, Any]:
    return {**normal_form_document(game.game), "self_enforcing": game.self_enforcing}


def _compliance_row(outcome: Outcome, games: tuple[ComplianceOutcome, ...]) -> dict[str, Any]:
    """Per agreed bundle of the bargaining protocols: yes / no (None when there is no
    agreement or no compliance game)."""
    verdicts = {g.game.bundle.index: g.self_enforcing for g in games if g.game.bundle is not None}
    agreed = [r.agreed.index for r in outcome.bargaining.results if r.agreed is not None]
    if not agreed or not verdicts:
        return {"self_enforcing": None}
    words = {True: "yes", False: "no", None: "unknown"}
    return {"self_enforcing": " ".join(words[verdicts.get(i, False)] for i in agreed)}


# ---- positions: each veto party's demand, and the bundle each profile settles on ------------


def _positions(setting: GameSetting) -> list[GameOutcome]:
    strategy, problem = setting.strategy, setting.problem
    many = strategy.many_sided.positions if strategy.many_sided is not None else None
    return [
        PositionsOutcome(
            normal_form(problem, solved, setting.cross_check), settled_bundles(problem, settled)
        )
        for solved, settled in (g for g in (strategy.positions, many) if g is not None)
    ]


def _positions_document(game: PositionsOutcome, _: Games) -> dict[str, Any]:
    return {
        **normal_form_document(game.game),
        "settlements": [
            {
                "profile": [game.game.strategies[p][k] for p, k in enumerate(profile)],
                "bundle": None if bundle is None else bundle.as_dict(),
            }
            for profile, bundle in game.settled
        ],
    }


# ---- leverage: the mediator's policy, solved by backward induction --------------------------


def _leverage(setting: GameSetting) -> list[GameOutcome]:
    strategy, problem = setting.strategy, setting.problem
    result = strategy.leverage
    if result is None:
        return []
    veto = [problem.parties[i] for i in strategy.timeline.veto]
    return [
        LeverageOutcome(
            policies=tuple(
                PolicyOutcome(
                    policy=o.name,
                    target=veto[o.target] if o.target is not None else None,
                    credible=o.credible,
                    refusal_values=floats(o.refusal_values),
                    settlement=None
                    if o.settlement is None
                    else Bundle.of(problem, o.settlement[0]),
                    settlement_utilities=None if o.settlement is None else floats(o.settlement[1]),
                    threat_carried_out=o.executed,
                    changes_anything=o.effective,
                    mediator_payoff=float(o.mediator_payoff),
                )
                for o in result.outcomes
            ),
            choice=result.chosen.name,
        )
    ]


def _leverage_document(game: LeverageOutcome, games: Games) -> dict[str, Any]:
    return {
        "name": "leverage",
        "solution_concept": LEVERAGE_CONCEPT,
        "policies": [
            {
                "policy": p.policy,
                "target": p.target,
                "credible": p.credible,
                "refusal_values": by_name(games.veto, p.refusal_values),
                "settlement": None
                if p.settlement is None or p.settlement_utilities is None
                else {
                    "index": p.settlement.index,
                    "bundle": p.settlement.as_dict(),
                    "utilities": by_name(games.parties, p.settlement_utilities),
                },
                "threat_carried_out": p.threat_carried_out,
                "changes_anything": p.changes_anything,
                "mediator_payoff": rounded(p.mediator_payoff),
            }
            for p in game.policies
        ],
        "choice": game.choice,
    }


def _leverage_row(_: Outcome, games: tuple[LeverageOutcome, ...]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for game in games:
        row["leverage_choice"] = game.choice
        row["credible_threats"] = " ".join(game.credible_threats)
    return row


def _strategic_document(game: StrategicGame, _: Games) -> dict[str, Any]:
    return {**normal_form_document(game.game), "source": game.source}


GAMES: tuple[GameKind, ...] = (
    GameKind(
        "compliance",
        ComplianceOutcome,
        _compliance,
        _compliance_document,
        _compliance_row,
        ("self_enforcing",),
    ),
    GameKind("positions", PositionsOutcome, _positions, _positions_document),
    GameKind(
        "leverage",
        LeverageOutcome,
        _leverage,
        _leverage_document,
        _leverage_row,
        ("leverage_choice", "credible_threats"),
    ),
    GameKind("strategic", StrategicGame, document=_strategic_document),
)
"""Every kind of game, in the order a scenario's games are listed (see docs/architecture.md)."""


def kind_of(game: GameOutcome) -> GameKind:
    """The kind of a game's outcome."""
    for kind in GAMES:
        if type(game) is kind.outcome:
            return kind
    raise TypeError(f"{type(game).__name__} is not a registered game (sim.analysis.games.GAMES)")


def outcome_classes() -> dict[str, type[GameOutcome]]:
    """Every registered game's outcome class by its name (how a stored run names a game)."""
    return {kind.outcome.__name__: kind.outcome for kind in GAMES}


def game_document(game: GameOutcome, games: Games) -> dict[str, Any]:
    """One game in the shape of SPEC §5, whatever its number of players."""
    kind = kind_of(game)
    if kind.document is not None:
        return kind.document(game, games)
    assert isinstance(game, NormalFormOutcome), f"{kind.key}: a game not in normal form"
    return normal_form_document(game.game)


def games_document(games: Games) -> dict[str, Any]:
    """The games of a scenario and all their equilibria (SPEC §5)."""
    return {
        "scenario": games.scenario,
        "games": [game_document(g, games) for g in games.games],
        "not_built": list(games.not_built),
    }


def games_row(outcome: Outcome) -> dict[str, Any]:
    """The outcome table's columns of every kind of game, in the registry's order."""
    row: dict[str, Any] = {}
    for kind in GAMES:
        if kind.row is not None:
            mine = tuple(g for g in outcome.games.games if type(g) is kind.outcome)
            row.update(kind.row(outcome, mine))
    return row


def text_columns() -> tuple[str, ...]:
    """The outcome table's columns of words that the games add."""
    return tuple(c for kind in GAMES for c in kind.columns)


def games_outcome(
    loaded: LoadedScenario, problem: Problem, strategy: Strategy, cross_check: bool = False
) -> Games:
    """The games of a scenario, solved (every kind in :data:`GAMES` that builds from
    scenarios, in order), and what was not built."""
    setting = GameSetting(loaded, problem, strategy, cross_check)
    games = [g for kind in GAMES if kind.build is not None for g in kind.build(setting)]
    veto = tuple(problem.parties[i] for i in strategy.timeline.veto)
    return Games(loaded.scenario.name, problem.parties, veto, tuple(games), strategy.skipped)

"""Bargaining over time and compliance per draw: the analysis's own protocols, war over time
and compliance games, fed each draw's problem without re-validating the scenario.

A draw's problem is the compiled problem with the draw's tables, reservation values and powers
(the structure is unchanged); its war over time is :func:`sim.analysis.strategy.timeline` of
the draw's values; the protocols are played by :func:`sim.analysis.strategy.bargain`, as
:func:`~sim.analysis.strategy.analyse_strategy` plays them (:func:`protocol_runs` names them:
alternating offers with either of two veto parties first, rotating offers among three or more
or where ``bargaining.protocols`` lists them, and the mediated protocol when the scenario names
a mediator, less those ``bargaining.protocols`` leaves out); the candidates leave out what a
consent holder whose consent a bundle needs refuses in that draw; the agreed bundles'
compliance games (between the two war sides, or among every veto party when there are three or
more) use the draw's compliance numbers. :func:`strategic_block` runs one draw at a time (a
few milliseconds a draw for the case): it is the oracle of the vectorised
:mod:`sim.montecarlo.induction`, which the runs use for two veto parties.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.analysis.strategy import (
    Seats,
    Setting,
    bargain,
    compliance_model,
    mediator_column,
    option_tables,
    planned_runs,
    timeline,
)
from sim.analysis.talks import war_columns
from sim.compile import Values, imposed_utilities
from sim.core.problem import Problem
from sim.core.space import decode
from sim.core.utility import bundle_utilities
from sim.games.compliance import ComplianceModel, compliance_game, players_refusal
from sim.model.schema import Scenario
from sim.montecarlo.document import BargainingOdds, Difference, Periods, ProtocolOdds
from sim.montecarlo.static import (
    Structure,
    block_arrays,
    candidate_pieces,
    drawn_values,
    per_draw,
)
from sim.montecarlo.summary import paired, wilson


@dataclass(frozen=True)
class StrategicBlock:
    """Per draw and protocol run: agreement period (-1: none within the horizon), agreed
    bundle (-1: none) and whether it is self-enforcing (1, 0; -1: no agreement or no
    compliance game)."""

    names: tuple[str, ...]
    period: NDArray[np.int64]
    bundle: NDArray[np.int64]
    self_enforcing: NDArray[np.int8]


@dataclass(frozen=True)
class Run:
    """One protocol run: its outcome-table name, its protocol, and the proposers' party
    columns in turn (alternating and rotating offers; empty for the mediated protocol)."""

    name: str
    kind: str
    order: tuple[int, ...]


def protocol_runs(structure: Structure) -> tuple[Run, ...]:
    """The protocol runs of a scenario, in the order
    :func:`~sim.analysis.strategy.analyse_strategy` plays them
    (:func:`~sim.analysis.strategy.planned_runs`): alternating offers (two veto parties,
    each side first), rotating offers (three or more veto parties, or where
    ``bargaining.protocols`` lists them; in ``bargaining.order``), the mediated protocol (with
    a mediator); a protocol ``bargaining.protocols`` leaves out is not played."""
    scenario, problem = structure.scenario, structure.problem
    mediator = mediator_column(scenario, problem)
    seats = Seats(scenario, problem, mediator)
    runs, _ = planned_runs(seats)
    return tuple(
        Run(play.name(seats, order), play.protocol.key, tuple(order)) for play, order in runs
    )


def protocol_names(structure: Structure) -> tuple[str, ...]:
    """The protocol runs of a scenario, as :func:`analyse_strategy` plays them."""
    return tuple(run.name for run in protocol_runs(structure))


ComplianceColumns = tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    tuple[NDArray[np.float64], ...],
    tuple[tuple[NDArray[np.float64], ...], ...],
]
"""Per draw: gain, exposure, penalty ``(n, players)``, detection base ``(n,)``, and per issue
the options' contributions to detection and to each player's protection ``(n, n_options)``."""


def compliance_columns(
    model: ComplianceModel,
    scenario: Scenario,
    problem: Problem,
    at: Values,
    n: int,
) -> ComplianceColumns:
    """Per draw, the compliance game's drawn numbers: ``gain``, ``exposure`` and ``penalty``
    ``(n, players)`` (the players in ``model.sides`` order: the two war sides, or every veto
    party), ``detection`` ``(n,)`` (the base), and the options' contributions to detection and
    to each player's protection, per compiled issue ``(n, n_options)``
    (:func:`~sim.analysis.strategy.option_tables` over the draws); each the stated value where
    it does not vary."""
    c = scenario.compliance
    assert c is not None
    sides = [problem.parties[s] for s in model.sides]

    def column(path: str, stated: float) -> NDArray[np.float64]:
        return np.broadcast_to(np.asarray(at.get(path, stated), dtype=np.float64), (n,))

    def per_side(name: str, stated: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.stack(
            [column(f"compliance.{name}.{side}", float(stated[k])) for k, side in enumerate(sides)],
            axis=1,
        )

    return (
        per_side("gain", model.gain),
        per_side("exposure", model.exposure),
        per_side("penalty", model.penalty),
        column("compliance.detection", model.detection_base),
        option_tables(problem, c.detection_options, "compliance.detection_options", at, n),
        tuple(
            option_tables(
                problem, c.protection.get(side, {}), f"compliance.protection.{side}", at, n
            )
            for side in sides
        ),
    )


def drawn_compliance(model: ComplianceModel, columns: ComplianceColumns, d: int) -> ComplianceModel:
    """The compliance model of draw ``d`` (``columns`` from :func:`compliance_columns`)."""
    gain, exposure, penalty, detection, options, protection = columns
    # one table per player: a pair for the two war sides, n for every veto party
    per_player: Any = tuple(tuple(t[d].copy() for t in side) for side in protection)
    return dataclasses.replace(
        model,
        gain=gain[d].copy(),
        exposure=exposure[d].copy(),
        penalty=penalty[d].copy(),
        detection_base=float(detection[d]),
        detection_tables=tuple(t[d].copy() for t in options),
        protection_tables=per_player,
    )


def strategic_block(structure: Structure, drawn: NDArray[np.float64]) -> StrategicBlock:
    """Bargaining over time and compliance for every draw of a block: each draw's problem and
    war over time (:func:`~sim.analysis.strategy.timeline` of the draw) played by the
    analysis's own protocols (:func:`~sim.analysis.strategy.bargain`), and each agreed bundle's
    compliance game with the draw's compliance numbers: between the two war sides, or among
    every veto party when there are three or more, as :func:`analyse_strategy` plays it."""
    scenario, problem = structure.scenario, structure.problem
    runs = protocol_runs(structure)
    names = tuple(run.name for run in runs)
    n = drawn.shape[0]
    period = np.full((n, len(names)), -1, dtype=np.int64)
    bundle = np.full((n, len(names)), -1, dtype=np.int64)
    enforcing = np.full((n, len(names)), -1, dtype=np.int8)
    tables, reservation, power = block_arrays(structure, drawn)
    at = drawn_values(structure, drawn)
    imposed = imposed_utilities(scenario, problem, tables)
    veto = [int(v) for v in problem.veto_indices]
    mediator = mediator_column(scenario, problem)
    stated = None  # the two war sides, or every veto party (as analyse_strategy builds it)
    if len(veto) == 2:
        stated = compliance_model(scenario, problem)
        if stated is not None and not all(problem.veto[list(stated.sides)]):
            stated = None
    elif len(veto) >= 3 and not players_refusal(len(veto)):  # as analyse_strategy leaves it out
        stated = compliance_model(scenario, problem, veto)
    columns = None if stated is None else compliance_columns(stated, scenario, problem, at, n)
    war = war_columns(scenario, problem, at, imposed)  # the war model's numbers of every draw
    for d, indices, utilities in per_draw(candidate_pieces(problem, tables, reservation, power)):
        drawn_problem = dataclasses.replace(
            problem,
            tables=tuple(np.ascontiguousarray(t[d]) for t in tables),
            reservation=reservation[d].copy(),
            power=power[d].copy(),
        )
        line = timeline(scenario, drawn_problem, at, imposed, d, war)
        results, protocols, _ = bargain(
            Setting(scenario, drawn_problem, mediator, line, indices, utilities)
        )
        if [p.key for p in protocols] != [run.kind for run in runs]:
            raise AssertionError(
                f"{scenario.name}: draw {d} played {[p.key for p in protocols]}, "
                f"the table has {[run.kind for run in runs]}"
            )
        judged: dict[int, bool | None] = {}
        for r, result in enumerate(results):
            if result.bundle is None:
                continue
            period[d, r] = result.agreement_period if result.agreement_period is not None else -1
            bundle[d, r] = result.bundle
            if columns is None:
                continue
            if result.bundle not in judged:
                digits = decode(np.array([result.bundle]), problem.radices)
                assert stated is not None
                model = drawn_compliance(stated, columns, d)
                judged[result.bundle] = compliance_game(
                    model,
                    tuple(problem.parties[s] for s in model.sides),
                    result.bundle,
                    digits[0],
                    bundle_utilities(drawn_problem, digits)[0, list(model.sides)],
                    line.present[[veto.index(s) for s in model.sides]],
                ).self_enforcing
            verdict = judged[result.bundle]
            enforcing[d, r] = -1 if verdict is None else int(verdict)
    return StrategicBlock(names, period, bundle, enforcing)


def bargaining_summary(block: StrategicBlock) -> BargainingOdds:
    """The share of draws agreeing within the horizon under some protocol and the month of the
    earliest agreement; per protocol run the same and the share whose agreed bundle is
    self-enforcing."""
    n = block.period.shape[0]
    agreed = block.period >= 0
    any_agreed = agreed.any(axis=1)
    never = np.iinfo(np.int64).max
    earliest = (
        np.where(agreed, block.period, never).min(axis=1)[any_agreed]
        if block.period.shape[1]
        else np.zeros(0, dtype=np.int64)
    )
    protocols = {
        name: ProtocolOdds(
            wilson(int(agreed[:, r].sum()), n),
            _periods(block.period[agreed[:, r], r], n),
            wilson(int((block.self_enforcing[:, r] == 1).sum()), n),
        )
        for r, name in enumerate(block.names)
    }
    return BargainingOdds(n, wilson(int(any_agreed.sum()), n), _periods(earliest, n), protocols)


def _periods(periods: NDArray[np.int64], n: int) -> Periods:
    """Median agreement month and the share of all draws agreeing in each month."""
    found, counts = np.unique(periods, return_counts=True)
    return Periods(
        float(np.median(periods)) if periods.shape[0] else None,
        {str(int(p)): float(c / n) for p, c in zip(found, counts, strict=True)},
    )


def bargaining_versus(
    child: StrategicBlock, parent: StrategicBlock
) -> dict[str, dict[str, Difference]]:
    """Paired differences of agreement and self-enforcement, protocol by protocol."""
    out: dict[str, dict[str, Difference]] = {}
    n = min(child.period.shape[0], parent.period.shape[0])
    for r, name in enumerate(child.names):
        if name in parent.names:
            q = parent.names.index(name)
            out[name] = {
                "p_agreement": paired(child.period[:n, r] >= 0, parent.period[:n, q] >= 0),
                "p_self_enforcing": paired(
                    child.self_enforcing[:n, r] == 1, parent.self_enforcing[:n, q] == 1
                ),
            }
    return out

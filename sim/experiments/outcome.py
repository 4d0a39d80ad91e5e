"""The outcome document (SPEC §3 and §5) and the outcome-table row of one scenario."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.compile import compile_problem
from sim.core.analysis import Analysis, analyse
from sim.core.bargaining import BargainingResult
from sim.core.composite import Layout
from sim.core.problem import Problem
from sim.core.space import decode
from sim.experiments.strategy import Strategy, analyse_strategy
from sim.games.crosscheck import nashpy_cross_check
from sim.games.game import SolvedGame
from sim.model.resolve import LoadedScenario

SOLUTIONS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


def bundle_words(problem: Problem, index: int) -> dict[str, str]:
    """A bundle as the scenario's issues and options."""
    digits = decode(np.array([index], dtype=np.int64), problem.bundle_radices)[0]
    return {
        issue: problem.bundle_options[k][int(d)]
        for k, (issue, d) in enumerate(zip(problem.bundle_issues, digits, strict=True))
    }


def source_shares(
    problem: Problem, shares: tuple[NDArray[np.float64], ...]
) -> list[NDArray[np.float64]]:
    """Per scenario issue, the share of acceptable bundles taking each option (composite
    issues' shares summed over the options of their other members)."""
    layout = Layout(problem.blocks, problem.bundle_radices)
    out: list[NDArray[np.float64]] = []
    for c, block in enumerate(layout.blocks):
        if len(block) == 1:
            out.append(shares[c])
            continue
        digits = layout.member_digits(c)
        for j, k in enumerate(block):
            size = int(layout.radices[k])
            counts = np.bincount(digits[:, j], weights=shares[c], minlength=size)
            out.append(counts.astype(np.float64))
    return out


def _round(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 12)


def _utilities(problem: Problem, values: NDArray[np.float64]) -> dict[str, float | None]:
    return {p: _round(v) for p, v in zip(problem.parties, values, strict=True)}


def outcome_document(
    loaded: LoadedScenario,
    *,
    frontier_limit: int | None = None,
) -> dict[str, Any]:
    """Analyse a scenario and describe the result as the outcome document."""
    scenario = loaded.scenario
    problem = compile_problem(scenario)
    analysis = analyse(problem, frontier_limit=frontier_limit)
    veto = [problem.parties[i] for i in analysis.veto]
    document: dict[str, Any] = {
        "scenario": scenario.name,
        "title": scenario.label(),
        "parties": list(problem.parties),
        "veto_parties": veto,
        "issues": {
            issue: list(opts)
            for issue, opts in zip(problem.bundle_issues, problem.bundle_options, strict=True)
        },
        "reservations": {
            p: _round(problem.reservation[i]) for p, i in zip(veto, analysis.veto, strict=True)
        },
        "space": _space(analysis),
        "frontier": [
            {
                "index": int(i),
                "ties": int(t),
                "bundle": bundle_words(problem, int(i)),
                "utilities": _utilities(problem, u),
            }
            for i, t, u in zip(
                analysis.frontier.indices,
                analysis.frontier.ties,
                analysis.frontier.utilities,
                strict=True,
            )
        ],
        "solutions": _solutions(problem, analysis, veto),
        "best_acceptable": {
            p: _round(v) for p, v in zip(veto, analysis.best_acceptable, strict=True)
        },
        "option_shares": {
            issue: {o: _round(s) for o, s in zip(problem.bundle_options[k], shares, strict=True)}
            for k, (issue, shares) in enumerate(
                zip(
                    problem.bundle_issues,
                    source_shares(problem, analysis.option_shares),
                    strict=True,
                )
            )
        },
        "binding": {
            p: {
                "reservation": bool(analysis.binding.reservation_binds[j]),
                "red_lines": bool(analysis.binding.red_lines_bind[j]),
            }
            for j, p in enumerate(veto)
        },
    }
    if frontier_limit is not None:
        document["frontier_truncated"] = analysis.frontier.truncated
        document["frontier_size"] = analysis.frontier.size
    strategy = analyse_strategy(loaded, problem)
    document["equilibria"] = games_document(scenario.name, problem, strategy)
    document["bargaining"] = bargaining_document(problem, strategy)
    return document


def _space(analysis: Analysis) -> dict[str, Any]:
    count = analysis.acceptable
    space: dict[str, Any] = {
        "bundles": analysis.bundles,
        "feasible": analysis.feasible,
        "acceptable": count.value,
    }
    if not count.exact:
        space["acceptable_estimate"] = {"method": count.method, "ci95": [count.low, count.high]}
    return space


def _solutions(problem: Problem, analysis: Analysis, veto: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, solution in analysis.solutions.as_dict().items():
        if solution is None:
            result[name] = None
            continue
        result[name] = {
            "index": solution.index,
            "bundle": bundle_words(problem, solution.index),
            "utilities": _utilities(problem, solution.utilities),
            "slack": {p: _round(g) for p, g in zip(veto, solution.gains, strict=True)},
        }
    return result


def game_document(problem: Problem, game: SolvedGame, cross_check: bool = False) -> dict[str, Any]:
    """One game in the shape of SPEC §5."""
    a, b = game.payoffs
    doc: dict[str, Any] = {
        "name": game.name,
        "players": list(game.players),
        "strategies": [list(s) for s in game.strategies],
        "payoffs": [np.round(a, 12).tolist(), np.round(b, 12).tolist()],
        "degenerate": game.solution.degenerate,
        "equilibria": [
            {
                "strategies": [np.round(x, 12).tolist() for x in e.strategies],
                "payoffs": [round(v, 12) for v in e.payoffs],
                "method": e.method,
                "verified": e.verified,
            }
            for e in game.solution.equilibria
        ],
        "tolerance": game.solution.tol,
        "eliminated": [
            [game.strategies[p][i] for i in game.solution.eliminated[p]] for p in (0, 1)
        ],
    }
    if game.bundle is not None:
        doc["bundle"] = bundle_words(problem, game.bundle)
        doc["bundle_index"] = game.bundle
    if game.note:
        doc["note"] = game.note
    if cross_check:
        check = nashpy_cross_check(a, b, game.solution)
        doc["cross_check"] = {
            "method": check.method,
            "equilibria": check.equilibria,
            "agrees": check.agrees,
            "error": check.error,
        }
    return doc


def games_document(
    name: str, problem: Problem, strategy: Strategy, cross_check: bool = False
) -> dict[str, Any]:
    """The games of a scenario and all their equilibria (SPEC §5)."""
    games = []
    for game, self_enforcing, _ in strategy.compliance:
        doc = game_document(problem, game, cross_check)
        doc["self_enforcing"] = self_enforcing
        games.append(doc)
    if strategy.positions is not None:
        game, settled = strategy.positions
        doc = game_document(problem, game, cross_check)
        doc["settlements"] = [
            [bundle_words(problem, int(i)) if i >= 0 else None for i in row] for row in settled
        ]
        games.append(doc)
    if strategy.leverage is not None:
        games.append(_leverage_document(problem, strategy))
    return {"scenario": name, "games": games, "not_built": list(strategy.skipped)}


def _leverage_document(problem: Problem, strategy: Strategy) -> dict[str, Any]:
    result = strategy.leverage
    assert result is not None
    veto = [problem.parties[i] for i in strategy.timeline.veto]
    policies = []
    for o in result.outcomes:
        policies.append(
            {
                "policy": o.name,
                "target": veto[o.target] if o.target is not None else None,
                "credible": o.credible,
                "refusal_values": {
                    p: _round(v) for p, v in zip(veto, o.refusal_values, strict=True)
                },
                "settlement": None
                if o.settlement is None
                else {
                    "index": o.settlement[0],
                    "bundle": bundle_words(problem, o.settlement[0]),
                    "utilities": _utilities(problem, o.settlement[1]),
                },
                "threat_carried_out": o.executed,
                "changes_anything": o.effective,
                "mediator_payoff": _round(o.mediator_payoff),
            }
        )
    return {
        "name": "leverage",
        "solution_concept": "subgame perfect equilibrium (backward induction)",
        "policies": policies,
        "choice": result.chosen.name,
    }


def _bargaining_result(problem: Problem, r: BargainingResult) -> dict[str, Any]:
    veto = [problem.parties[i] for i in r.veto]
    order = (
        "mediated"
        if r.protocol == "mediated"
        else f"alternating ({problem.parties[r.veto[0]]} first)"
    )
    return {
        "protocol": order,
        "agreement_period": r.agreement_period,
        "bundle": None if r.bundle is None else bundle_words(problem, r.bundle),
        "index": r.bundle,
        "utilities": None if r.utilities is None else _utilities(problem, np.array(r.utilities)),
        "path": [
            {
                "period": p.period,
                "proposer": problem.parties[p.proposer],
                "offer": p.offer,
                "agreed": p.agreed,
                "continuation": {v: _round(c) for v, c in zip(veto, p.continuation, strict=True)},
                "value": {v: _round(c) for v, c in zip(veto, p.value, strict=True)},
            }
            for p in r.path
        ],
    }


def bargaining_document(problem: Problem, strategy: Strategy) -> dict[str, Any]:
    veto = [problem.parties[i] for i in strategy.timeline.veto]
    return {
        "horizon": int(strategy.timeline.flows.shape[0] - 1),
        "war_values": {
            v: [_round(x) for x in strategy.timeline.flows[:, j]] for j, v in enumerate(veto)
        },
        "discounts": {v: float(d) for v, d in zip(veto, strategy.timeline.discounts, strict=True)},
        "results": [_bargaining_result(problem, r) for r in strategy.bargaining],
        "notes": list(strategy.notes),
        "not_built": list(strategy.skipped),
    }

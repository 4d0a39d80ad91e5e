"""Analysing a loaded scenario into its typed :class:`~sim.analysis.outcome.Outcome`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.analysis.games import games_outcome
from sim.analysis.numbers import floats
from sim.analysis.outcome import (
    Bargaining,
    BargainingOutcome,
    Binding,
    Bundle,
    FrontierPoint,
    Games,
    Outcome,
    ProposalOutcome,
    Protocol,
    SolutionOutcome,
    SolutionPoint,
    Space,
    Stance,
    Step,
)
from sim.analysis.selection import NOT_ASKED, selected
from sim.compile import compile_problem
from sim.core.analysis import Analysis, analyse
from sim.core.composite import Layout, compiled_masks
from sim.core.frontier import DEFAULT_CHUNK, MergeProgress, check_size
from sim.core.problem import Problem
from sim.core.solutions import SolutionRule
from sim.core.space import decode
from sim.core.utility import deciders
from sim.core.work import work_refusal
from sim.errors import InputError, display_path
from sim.model.resolve import LoadedScenario

if TYPE_CHECKING:  # imported where used: `--only space,frontier,solutions` needs none of them
    from sim.analysis.strategy import Strategy
    from sim.core.bargaining import BargainingResult


@dataclass(frozen=True)
class AnalysisOptions:
    """How to analyse a scenario.

    Attributes
    ----------
    frontier_limit
        List at most this many frontier bundles (None: all); solutions use the whole frontier.
    rules
        The bargaining solutions to compute (None: the registry,
        :data:`sim.core.solutions.SOLUTION_RULES`, as it stands when the analysis runs).
    cross_check
        Also solve each game with nashpy's vertex enumeration and compare (imports nashpy).
    max_space
        The largest analysis allowed, in feasible bundles times veto parties (default
        :data:`MAX_SPACE`, or ``$SIM_MAX_SPACE``): a larger one is refused before any work.
    progress
        Told of each issue merged while the frontier of a large space is found.
    only
        The analyses to compute (names of :data:`sim.model.schema.ANALYSES`; None: the
        scenario's ``analyses:``, else every one); see :mod:`sim.analysis.selection`.
    """

    frontier_limit: int | None = None
    rules: tuple[SolutionRule, ...] | None = None
    cross_check: bool = False
    max_space: int | None = None
    progress: MergeProgress | None = None
    only: tuple[str, ...] | None = None


def analyse_scenario(
    loaded: LoadedScenario,
    options: AnalysisOptions = AnalysisOptions(),
    problem: Problem | None = None,
) -> Outcome:
    """The whole analysis of one scenario: space, frontier, solutions, proposals' verdicts,
    bargaining over time and the games (``problem``: the scenario already compiled, if it is).
    """
    scenario = loaded.scenario
    problem = compile_problem(scenario) if problem is None else problem
    check_size(problem)  # beyond any method: not a limit to raise
    check_space(display_path(loaded.path), problem, options.max_space)
    analysis = analyse(
        problem,
        frontier_limit=options.frontier_limit,
        rules=options.rules,
        progress=options.progress,
    )
    chosen = selected(options.only, scenario)

    def wants(name: str) -> bool:
        return chosen is None or name in chosen

    strategy: Strategy | None = None
    if wants("bargaining"):
        from sim.analysis.strategy import analyse_strategy

        strategy = analyse_strategy(loaded, problem, with_games=wants("games"))
    veto = tuple(problem.parties[i] for i in problem.veto_indices)
    needs = _consent_needed(problem)
    return Outcome(
        scenario=scenario.name,
        title=scenario.label(),
        parties=problem.parties,
        veto_parties=veto,
        issues=tuple(zip(problem.bundle_issues, problem.bundle_options, strict=True)),
        reservations=floats(problem.reservation[analysis.veto]),
        space=_space(analysis),
        frontier=_frontier_points(problem, analysis, needs) if wants("frontier") else (),
        frontier_size=analysis.frontier.size,
        frontier_truncated=analysis.frontier.truncated,
        frontier_limit=options.frontier_limit,
        solutions=tuple(
            SolutionOutcome(
                rule,
                None
                if s is None
                else SolutionPoint(
                    Bundle.of(problem, s.index),
                    floats(s.utilities),
                    floats(s.gains),
                    needs(s.index),
                ),
            )
            for rule, s in zip(analysis.solutions.rules, analysis.solutions.chosen, strict=True)
            if wants("solutions")
        ),
        best_acceptable=floats(analysis.best_acceptable),
        option_shares=tuple(
            (issue, floats(shares))
            for issue, shares in zip(
                problem.bundle_issues, source_shares(problem, analysis.option_shares), strict=True
            )
        ),
        binding=Binding(
            tuple(bool(b) for b in analysis.binding.reservation_binds),
            tuple(bool(b) for b in analysis.binding.red_lines_bind),
        ),
        proposals=proposal_outcomes(loaded, problem) if wants("proposals") else (),
        bargaining=_no_bargaining(problem)
        if strategy is None
        else bargaining_outcome(problem, strategy),
        games=games_outcome(loaded, problem, strategy, options.cross_check)
        if strategy is not None and wants("games")
        else _no_games(scenario.name, problem, () if strategy is None else strategy.skipped),
        consent_parties=tuple(problem.parties[i] for i in problem.consent_holders),
        analyses=chosen,
        talks=None if strategy is None else strategy.talks,
    )


def _frontier_points(
    problem: Problem, analysis: Analysis, needs: Callable[[int], tuple[str, ...]]
) -> tuple[FrontierPoint, ...]:
    """The frontier's bundles as listed (their terms decoded together)."""
    frontier = analysis.frontier
    indices = frontier.indices.tolist()
    return tuple(
        FrontierPoint(bundle, int(t), floats(u), needs(i))
        for bundle, i, t, u in zip(
            Bundle.many(problem, indices), indices, frontier.ties, frontier.utilities, strict=True
        )
    )


def _no_bargaining(problem: Problem) -> Bargaining:
    """Bargaining left out by a selection of analyses: no protocol, and a note saying so."""
    veto = problem.veto_indices
    return Bargaining(
        parties=problem.parties,
        veto=tuple(problem.parties[i] for i in veto),
        horizon=0,
        war_values=np.zeros((0, veto.shape[0])),
        discounts=(),
        results=(),
        notes=(NOT_ASKED.format(name="bargaining"),),
    )


def _no_games(name: str, problem: Problem, skipped: tuple[str, ...]) -> Games:
    """Games left out by a selection of analyses: none, and what was not built says why
    (``skipped``: the protocols the bargaining left out, and why)."""
    veto = tuple(problem.parties[i] for i in problem.veto_indices)
    return Games(name, problem.parties, veto, (), (*skipped, NOT_ASKED.format(name="games")))


def _consent_needed(problem: Problem) -> Callable[[int], tuple[str, ...]]:
    """The parties without a veto whose consent a bundle (by index) needs."""
    holders = problem.consent_holders
    known: dict[int, tuple[str, ...]] = problem.remembered("consent needed", dict)  # by bundle

    def needed(index: int) -> tuple[str, ...]:
        if holders.shape[0] == 0:
            return ()
        if index not in known:
            digits = decode(np.array([index], dtype=np.int64), problem.radices)
            row = deciders(problem, digits)[0]
            known[index] = tuple(problem.parties[i] for i in holders if row[i])
        return known[index]

    return needed


MAX_SPACE = 10**13
"""Feasible bundles times veto parties beyond which an analysis is refused unless the limit is
raised (``--max-space``, ``$SIM_MAX_SPACE``): the exact frontier of 10^12 feasible bundles and
four veto parties (benchmarks/bench_engine.py) takes about 2 s of CPU time, with five about 60 s."""


def max_space(given: int | None = None) -> int:
    """The space limit in force: ``given``, else ``$SIM_MAX_SPACE``, else :data:`MAX_SPACE`."""
    if given is not None:
        return given
    text = os.environ.get("SIM_MAX_SPACE", "").strip()
    if not text:
        return MAX_SPACE
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"SIM_MAX_SPACE: {text!r} is not a whole number") from None
    if value < 1:
        raise InputError(f"SIM_MAX_SPACE: must be at least 1, got {value}")
    return value


def check_space(name: str, problem: Problem, limit: int | None = None) -> None:
    """Refuse, before any work, an analysis larger than the limit (feasible bundles times
    veto parties).

    Raises
    ------
    InputError
        Naming the scenario, its size, the limit and how to raise it.
    """
    feasible = 1
    for allowed in problem.feasible_options():
        feasible *= int(allowed.sum())
    size = feasible * max(1, int(problem.veto.sum()))
    bound = max_space(limit)
    if size > bound:
        raise InputError(
            f"{name}: {feasible:,} feasible bundles x {int(problem.veto.sum())} veto parties "
            f"= {size:,}, more than the analysis limit of {bound:,}; raise it with --max-space "
            "(or SIM_MAX_SPACE)"
        )
    # the frontier's largest Pareto filter, at most a chunk of bundles at once (sim.core.work)
    reason = work_refusal(min(feasible, DEFAULT_CHUNK), len(problem.judges))
    if reason:
        raise InputError(f"{name}: {reason}")


def _space(analysis: Analysis) -> Space:
    count = analysis.acceptable
    return Space(
        analysis.bundles,
        analysis.feasible,
        count.value,
        count.exact,
        count.method,
        count.low,
        count.high,
    )


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


def allowed_options(
    problem: Problem, terms: dict[str, str], option: str = "--bundle"
) -> list[NDArray[np.bool_]]:
    """The options each (compiled) issue may take under terms naming the scenario's issues
    (issues the terms leave out are open)."""
    issues, options = problem.bundle_issues, problem.bundle_options
    masks = [np.ones(len(o), dtype=np.bool_) for o in options]
    for issue, choice in terms.items():
        if issue not in issues:
            raise InputError(f"{option}: unknown issue {issue!r} (known: {', '.join(issues)})")
        k = issues.index(issue)
        if choice not in options[k]:
            known = ", ".join(options[k])
            raise InputError(
                f"{option}: unknown option {choice!r} for issue {issue!r} (known: {known})"
            )
        masks[k] = np.arange(len(options[k])) == options[k].index(choice)
    return compiled_masks(Layout(problem.blocks, problem.bundle_radices), masks)


def proposal_outcomes(loaded: LoadedScenario, problem: Problem) -> tuple[ProposalOutcome, ...]:
    """Every party's verdict on each named proposal of the scenario."""
    from sim.core.consent import some_completion_acceptable
    from sim.core.verdict import judge_allowed

    out = []
    for pid, proposal in loaded.scenario.proposals.items():
        allowed = allowed_options(problem, proposal.terms)
        verdicts = judge_allowed(problem, allowed)
        out.append(
            ProposalOutcome(
                pid,
                proposal.title or pid,
                tuple(proposal.terms.items()),
                tuple(
                    Stance(
                        v.party,
                        v.veto,
                        v.verdict,
                        v.utility_low,
                        v.utility_high,
                        v.reason,
                        v.consent,
                    )
                    for v in verdicts
                ),
                None if problem.consent is None else some_completion_acceptable(problem, allowed),
            )
        )
    return tuple(out)


def _bargaining_result(
    problem: Problem, protocol: Protocol, r: BargainingResult
) -> BargainingOutcome:
    named: dict[int, Bundle] = {}  # a path offers the same few bundles period after period

    def bundle(index: int | None) -> Bundle | None:
        if index is None:
            return None
        if index not in named:
            named[index] = Bundle.of(problem, index)
        return named[index]

    return BargainingOutcome(
        protocol=protocol,
        parties=tuple(problem.parties[i] for i in r.veto),
        first=problem.parties[r.path[0].proposer],
        agreement_period=r.agreement_period,
        agreed=bundle(r.bundle),
        utilities=r.utilities,
        path=tuple(
            Step(
                p.period,
                problem.parties[p.proposer],
                bundle(p.offer),
                p.agreed,
                p.continuation,
                p.value,
            )
            for p in r.path
        ),
    )


def bargaining_outcome(problem: Problem, strategy: Strategy) -> Bargaining:
    line = strategy.timeline
    return Bargaining(
        parties=problem.parties,
        veto=tuple(problem.parties[i] for i in line.veto),
        horizon=int(line.flows.shape[0] - 1),
        war_values=line.flows,
        discounts=floats(line.discounts),
        results=tuple(
            _bargaining_result(problem, protocol, r)
            for protocol, r in zip(strategy.protocols, strategy.bargaining, strict=True)
        ),
        notes=strategy.notes,
    )

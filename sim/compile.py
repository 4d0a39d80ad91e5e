"""Compile a resolved scenario into the numeric :class:`~sim.core.problem.Problem`.

This is the boundary between the file format (pydantic) and the numeric core (numpy only).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.composite import Layout, compiled_masks, compose, composite_names, join_spans
from sim.core.problem import Problem
from sim.core.war import war_value
from sim.core.war_terms import allowed_for_winner, imposed_terms, terms_utilities
from sim.errors import InputError
from sim.model.schema import LinearForm, Scenario, WarReservation


def evaluate(form: float | LinearForm, scenario: Scenario) -> float:
    """Value of a number or linear form ``base + sum(coef * lever value)``."""
    if isinstance(form, LinearForm):
        return form.base + sum(c * scenario.levers[k].value for k, c in form.effects.items())
    return float(form)


@dataclass(frozen=True)
class ReservationBreakdown:
    """How a war-derived reservation value comes about (Fearon 1995)."""

    prevail: float
    win: float
    lose: float
    cost: float
    value: float


def belief(scenario: Scenario, side: str) -> float:
    """The probability, as ``side`` sees it, that ``war.sides[0]`` prevails in period 0."""
    war = scenario.war
    assert war is not None
    form = war.beliefs.get(side, war.prevail)
    return float(np.clip(evaluate(form, scenario), 0.0, 1.0))


def own_chance(scenario: Scenario, side: str) -> float:
    """The probability, as ``side`` sees it, that ``side`` itself prevails in period 0."""
    war = scenario.war
    assert war is not None
    first = belief(scenario, side)
    return first if war.sides[0] == side else 1.0 - first


def imposed_bundles(scenario: Scenario, problem: Problem) -> dict[str, NDArray[np.int64]]:
    """Per war side that ``war.outcomes`` names, the compiled option digits of the terms it
    imposes if it prevails (completed by its own preferences; :mod:`sim.core.war_terms`)."""
    war = scenario.war
    if war is None or not war.outcomes:
        return {}
    layout = Layout(problem.blocks, problem.bundle_radices)
    out = {}
    for side, terms in war.outcomes.items():
        masks: list[NDArray[np.bool_]] = [
            np.ones(len(o), dtype=np.bool_) for o in problem.bundle_options
        ]
        fixed = [False] * len(masks)
        for issue, option in terms.items():
            k = problem.bundle_issues.index(issue)
            masks[k] = np.arange(len(masks[k])) == problem.bundle_options[k].index(option)
            fixed[k] = True
        compiled = compiled_masks(layout, masks)
        touched = [
            any(fixed[k] for k in block) for block in layout.blocks
        ]  # a compiled issue is fixed (in part) when the terms fix one of its members
        w = problem.parties.index(side)
        allowed = allowed_for_winner(
            [m if t else None for m, t in zip(compiled, touched, strict=True)],
            [r[w] for r in problem.red_lines],
        )
        out[side] = imposed_terms([t[w] for t in problem.tables], allowed)
    return out


def war_stakes(
    scenario: Scenario,
    problem: Problem,
    party: str,
    stated: WarReservation,
    backs: str | None = None,
) -> tuple[float, float]:
    """A party's utility of winning and of losing the war: as stated, or (where left out) its
    own utility of the terms its side (for a party that does not fight: the side it ``backs``)
    or the other side would impose."""
    war = scenario.war
    if stated.win is not None and stated.lose is not None:
        return stated.win, stated.lose
    assert war is not None
    i = problem.parties.index(party)
    ours = party if party in war.sides else (backs or war.sides[0])
    theirs = war.sides[1] if ours == war.sides[0] else war.sides[0]
    utility = {side: float(u[i]) for side, u in _imposed_utilities(scenario, problem).items()}
    win = stated.win if stated.win is not None else utility[ours]
    lose = stated.lose if stated.lose is not None else utility[theirs]
    return win, lose


def _imposed_utilities(scenario: Scenario, problem: Problem) -> dict[str, NDArray[np.float64]]:
    """Every party's utility of the terms each side would impose (:func:`imposed_bundles`),
    computed once per problem and set of war outcomes."""
    war = scenario.war
    outcomes = () if war is None else tuple((s, tuple(t.items())) for s, t in war.outcomes.items())
    key = ("imposed utilities", outcomes)
    if key not in problem.memo:
        problem.memo[key] = {
            side: terms_utilities(problem.tables, digits)
            for side, digits in imposed_bundles(scenario, problem).items()
        }
    found = problem.memo[key]
    assert isinstance(found, dict)
    return found


def reservation_breakdown(
    scenario: Scenario, party: str, problem: Problem | None = None
) -> ReservationBreakdown | None:
    """The terms of a party's war-derived reservation, or None if it is given as a number
    (``problem``: the scenario compiled, if it is)."""
    reservation = scenario.parties[party].reservation
    if not isinstance(reservation, WarReservation) or scenario.war is None:
        return None
    prevail = own_chance(scenario, party)
    cost = evaluate(reservation.cost, scenario)
    if problem is None:
        problem = compile_problem(scenario)
    win, lose = war_stakes(scenario, problem, party, reservation)
    value = float(war_value(prevail, win, lose, cost))
    return ReservationBreakdown(prevail, win, lose, cost, value)


def _reservations(scenario: Scenario, problem: Problem) -> NDArray[np.float64]:
    """Every party's reservation utility; NaN for a non-veto party that gives none."""
    values = []
    for party, spec in scenario.parties.items():
        if spec.reservation is None:
            values.append(float("nan"))
        elif isinstance(spec.reservation, WarReservation):
            breakdown = reservation_breakdown(scenario, party, problem)
            values.append(float("nan") if breakdown is None else breakdown.value)
        else:
            values.append(float(spec.reservation))
    return np.array(values, dtype=np.float64)


def reservation_value(scenario: Scenario, party: str) -> float:
    """A party's reservation utility; NaN for a non-veto party that gives none."""
    problem = compile_problem(scenario)
    return float(problem.reservation[problem.parties.index(party)])


def _consent(
    scenario: Scenario, issues: tuple[str, ...], options: tuple[tuple[str, ...], ...]
) -> list[NDArray[np.bool_]] | None:
    """Per issue, ``(n_parties, n_options)``: the options a bundle needs each party's consent
    for (``consent.terms``); None when no party has a consent section."""
    if not any(p.consent is not None for p in scenario.parties.values()):
        return None
    out = [np.zeros((len(scenario.parties), len(o)), dtype=np.bool_) for o in options]
    for i, party in enumerate(scenario.parties.values()):
        if party.consent is None:
            continue
        for issue, option in party.consent.pairs():
            k = issues.index(issue)
            if option is None:
                out[k][i, :] = True
            else:
                out[k][i, options[k].index(option)] = True
    return out


def compile_problem(scenario: Scenario) -> Problem:
    """Arrays of weighted values, red lines, reservations, powers and vetoes.

    Interaction terms join the issues they span into composite issues
    (:mod:`sim.core.composite`), so that utility stays a sum over the compiled issues.

    Raises
    ------
    InputError
        The scenario is a spatial reading alone (no issues or parties to bargain over).
    """
    if not scenario.issues or not scenario.parties:
        raise InputError(
            f"scenario {scenario.name!r}: issues: none (a spatial reading alone); "
            "forecast it with `sim spatial`"
        )
    issues = tuple(scenario.issues)
    options = tuple(tuple(issue.options) for issue in scenario.issues.values())
    parties = tuple(scenario.parties)
    tables = [np.zeros((len(parties), len(opts))) for opts in options]
    red_lines = [np.zeros((len(parties), len(opts)), dtype=np.bool_) for opts in options]
    consent = _consent(scenario, issues, options)
    for i, party in enumerate(scenario.parties.values()):
        total = sum(party.weights.values())
        for issue, weight in party.weights.items():
            k = issues.index(issue)
            valued = party.values.get(issue, {})
            tables[k][i] = [weight / total * valued.get(o, 0.0) for o in options[k]]
        for line in party.red_lines:
            k = issues.index(line.issue)
            for option in line.options:
                red_lines[k][i, options[k].index(option)] = True
    problem = Problem(
        name=scenario.name,
        issues=issues,
        options=options,
        parties=parties,
        veto=np.array([p.veto for p in scenario.parties.values()], dtype=np.bool_),
        power=np.array([p.power for p in scenario.parties.values()], dtype=np.float64),
        reservation=np.full(len(parties), np.nan),  # set below, from the compiled tables
        tables=tuple(tables),
        red_lines=tuple(red_lines),
        consent=None if consent is None else tuple(consent),
    )
    terms = [(i, t) for i, p in enumerate(scenario.parties.values()) for t in p.interactions]
    if not terms:
        return _with_reservations(scenario, problem)
    radices = np.array([len(o) for o in options], dtype=np.int64)
    spans = [
        (min(issues.index(k) for k in t.when), max(issues.index(k) for k in t.when))
        for _, t in terms
    ]
    layout = join_spans(radices, spans, issues)
    joined = compose(layout, tables)
    for i, term in terms:
        first = issues.index(next(iter(term.when)))
        c = next(c for c, block in enumerate(layout.blocks) if first in block)
        digits = layout.member_digits(c)
        match = np.ones(digits.shape[0], dtype=np.bool_)
        for issue, option in term.when.items():
            column = layout.blocks[c].index(issues.index(issue))
            match &= digits[:, column] == options[issues.index(issue)].index(option)
        joined[c][i, match] += term.value
    names, labels = composite_names(layout, issues, options)
    composed = dataclasses.replace(
        problem,
        issues=names,
        options=labels,
        tables=tuple(joined),
        red_lines=tuple(np.asarray(r, dtype=np.bool_) for r in compose(layout, red_lines, "any")),
        consent=None
        if consent is None
        else tuple(np.asarray(c, dtype=np.bool_) for c in compose(layout, consent, "any")),
        source_issues=issues,
        source_options=options,
        source_blocks=layout.blocks,
    )
    return _with_reservations(scenario, composed)


def _with_reservations(scenario: Scenario, problem: Problem) -> Problem:
    """The problem with its reservations set (keeping what was computed from its arrays)."""
    done = dataclasses.replace(problem, reservation=_reservations(scenario, problem))
    done.memo.update(problem.memo)
    return done


def war_value_gap(scenario: Scenario, problem: Problem) -> tuple[float, float] | None:
    """The two war sides' period-0 war values summed, and the most any feasible bundle gives
    them together; None unless both are veto parties whose reservations come from the war
    model. A sum above the best joint value means that war creates value, the opposite of the
    premise of a bargaining model of war (Fearon 1995): no bundle can then satisfy both."""
    war = scenario.war
    if war is None:
        return None
    columns = [problem.parties.index(side) for side in war.sides]
    if not all(
        problem.veto[c]
        and isinstance(scenario.parties[problem.parties[c]].reservation, WarReservation)
        for c in columns
    ):
        return None
    best = 0.0
    for table, allowed in zip(problem.tables, problem.feasible_options(), strict=True):
        if not allowed.any():
            return None  # no feasible bundle at all: nothing to compare with
        best += float(table[columns].sum(axis=0)[allowed].max())
    return float(problem.reservation[columns].sum()), best


def war_value_warning(scenario: Scenario, problem: Problem, tol: float = 1e-9) -> str | None:
    """A warning, in words, when the war sides' war values exceed the best joint value."""
    gap = war_value_gap(scenario, problem)
    if gap is None or gap[0] <= gap[1] + tol:
        return None
    war_sum, best = gap
    return (
        f"{scenario.name}: war creates value: the war sides' war values sum to {war_sum:.3f}, "
        f"more than the {best:.3f} the best feasible bundle gives them together "
        f"(gap {war_sum - best:.3f}); no bundle can satisfy both sides"
    )

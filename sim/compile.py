"""Compile a resolved scenario into the numeric :class:`~sim.core.problem.Problem`.

This is the boundary between the file format (pydantic) and the numeric core (numpy only).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from sim.core.composite import compose, composite_names, join_spans
from sim.core.problem import Problem
from sim.core.war import war_value
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


def reservation_breakdown(scenario: Scenario, party: str) -> ReservationBreakdown | None:
    """The terms of a party's war-derived reservation, or None if it is given as a number."""
    reservation = scenario.parties[party].reservation
    if not isinstance(reservation, WarReservation) or scenario.war is None:
        return None
    first = float(np.clip(evaluate(scenario.war.prevail, scenario), 0.0, 1.0))
    prevail = first if scenario.war.sides[0] == party else 1.0 - first
    cost = evaluate(reservation.cost, scenario)
    value = float(war_value(prevail, reservation.win, reservation.lose, cost))
    return ReservationBreakdown(prevail, reservation.win, reservation.lose, cost, value)


def reservation_value(scenario: Scenario, party: str) -> float:
    """A party's reservation utility; NaN for a non-veto party that gives none."""
    reservation = scenario.parties[party].reservation
    if reservation is None:
        return float("nan")
    breakdown = reservation_breakdown(scenario, party)
    return breakdown.value if breakdown is not None else float(reservation)  # type: ignore[arg-type]


def compile_problem(scenario: Scenario) -> Problem:
    """Arrays of weighted values, red lines, reservations, powers and vetoes.

    Interaction terms join the issues they span into composite issues
    (:mod:`sim.core.composite`), so that utility stays a sum over the compiled issues.
    """
    issues = tuple(scenario.issues)
    options = tuple(tuple(issue.options) for issue in scenario.issues.values())
    parties = tuple(scenario.parties)
    tables = [np.zeros((len(parties), len(opts))) for opts in options]
    red_lines = [np.zeros((len(parties), len(opts)), dtype=np.bool_) for opts in options]
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
        reservation=np.array([reservation_value(scenario, p) for p in parties]),
        tables=tuple(tables),
        red_lines=tuple(red_lines),
    )
    terms = [(i, t) for i, p in enumerate(scenario.parties.values()) for t in p.interactions]
    if not terms:
        return problem
    radices = np.array([len(o) for o in options], dtype=np.int64)
    spans = [
        (min(issues.index(k) for k in t.when), max(issues.index(k) for k in t.when))
        for _, t in terms
    ]
    layout = join_spans(radices, spans)
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
    return dataclasses.replace(
        problem,
        issues=names,
        options=labels,
        tables=tuple(joined),
        red_lines=tuple(np.asarray(r, dtype=np.bool_) for r in compose(layout, red_lines, "any")),
        source_issues=issues,
        source_options=options,
        source_blocks=layout.blocks,
    )

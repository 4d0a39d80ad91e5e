"""Compile a resolved scenario into the numeric :class:`~sim.core.problem.Problem`.

This is the boundary between the file format (pydantic) and the numeric core (numpy only).

The numbers come from a value source (:class:`Values`): the stated values (:data:`STATED`),
or drawn columns with a leading draw axis, as :mod:`sim.montecarlo` draws them. The functions
that take one (:func:`value_tables`, :func:`belief_of`, :func:`stakes_of`,
:func:`reservation_of`, :func:`imposed_utilities`) are the one computation of these numbers:
:func:`compile_problem` calls them with the stated values, the Monte Carlo blocks with their
draws, so a draw's numbers are those of the scenario with the drawn values set.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.composite import Layout, compiled_masks, compose, composite_names, join_spans
from sim.core.problem import Problem
from sim.core.war import war_value
from sim.core.war_terms import allowed_for_winner, imposed_terms, terms_utilities
from sim.errors import InputError
from sim.model.schema import LinearForm, Scenario, WarReservation

Column = NDArray[np.float64] | float
"""A number of the scenario: a float where it is stated, ``(D,)`` draws where it varies."""


class Values:
    """Where a scenario's numbers come from: each field its stated value, unless ``columns``
    gives its draws.

    ``columns`` maps a field's path as uncertainty names it (``parties.ru.weights.nato``,
    ``levers.aid.value``, ``war.prevail.base``) to its ``(D,)`` draws. The stated values
    (:data:`STATED`, no columns) are the one-draw case: the functions of this module then
    compute with floats, as :func:`compile_problem` does.
    """

    def __init__(self, columns: Mapping[str, NDArray[np.float64]] | None = None) -> None:
        self.columns = dict(columns or {})

    def get(self, path: str, stated: float) -> Column:
        """The field's draws, or its stated value."""
        return self.columns.get(path, stated)

    def at(self, path: str, stated: float, draw: int) -> float:
        """The field's value in draw ``draw``: drawn, or its stated value."""
        column = self.columns.get(path)
        return float(stated) if column is None else float(column[draw])

    def form(self, path: str, form: float | LinearForm, levers: Mapping[str, Column]) -> Column:
        """A number or linear form ``base + sum(coef * lever value)`` (``levers``:
        :func:`lever_values`), each coefficient drawn or stated."""
        if not isinstance(form, LinearForm):
            return self.get(path, float(form))
        total: Column = 0.0
        for lever, coefficient in form.effects.items():
            total = total + self.get(f"{path}.effects.{lever}", coefficient) * levers[lever]
        return self.get(f"{path}.base", form.base) + total


STATED = Values()
"""The stated values: the scenario as written (one draw)."""


def lever_values(scenario: Scenario, values: Values = STATED) -> dict[str, Column]:
    """Every lever's value (drawn or stated)."""
    return {k: values.get(f"levers.{k}.value", lever.value) for k, lever in scenario.levers.items()}


def evaluate(form: float | LinearForm, scenario: Scenario) -> float:
    """Value of a number or linear form ``base + sum(coef * lever value)``, as stated."""
    return float(STATED.form("", form, lever_values(scenario)))


@dataclass(frozen=True)
class ReservationBreakdown:
    """How a war-derived reservation value comes about (Fearon 1995)."""

    prevail: float
    win: float
    lose: float
    cost: float
    value: float


def belief_of(
    scenario: Scenario,
    side: str,
    values: Values = STATED,
    levers: Mapping[str, Column] | None = None,
) -> Column:
    """The probability, as ``side`` sees it, that ``war.sides[0]`` prevails in period 0
    (``war.beliefs.<side>``, else ``war.prevail``), clipped to [0, 1]."""
    war = scenario.war
    assert war is not None
    levers = lever_values(scenario, values) if levers is None else levers
    if side in war.beliefs:
        value = values.form(f"war.beliefs.{side}", war.beliefs[side], levers)
    else:
        value = values.form("war.prevail", war.prevail, levers)
    clipped: Column = np.clip(value, 0.0, 1.0)
    return clipped


def belief(scenario: Scenario, side: str) -> float:
    """The probability, as ``side`` sees it, that ``war.sides[0]`` prevails in period 0."""
    return float(belief_of(scenario, side))


def own_chance_of(
    scenario: Scenario,
    side: str,
    values: Values = STATED,
    levers: Mapping[str, Column] | None = None,
) -> Column:
    """The probability, as ``side`` sees it, that ``side`` itself prevails in period 0."""
    war = scenario.war
    assert war is not None
    first = belief_of(scenario, side, values, levers)
    return first if war.sides[0] == side else 1.0 - first


def own_chance(scenario: Scenario, side: str) -> float:
    """The probability, as ``side`` sees it, that ``side`` itself prevails in period 0."""
    return float(own_chance_of(scenario, side))


def imposed_bundles(
    scenario: Scenario,
    problem: Problem,
    tables: tuple[NDArray[np.float64], ...] | list[NDArray[np.float64]] | None = None,
) -> dict[str, NDArray[np.int64]]:
    """Per war side that ``war.outcomes`` names, the compiled option digits ``(..., n_issues)``
    of the terms it imposes if it prevails, completed by its own preferences
    (:mod:`sim.core.war_terms`) in ``tables`` (per compiled issue ``(..., n_parties,
    n_options)``; default the problem's own)."""
    war = scenario.war
    if war is None or not war.outcomes:
        return {}
    tables = problem.tables if tables is None else tables
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
        out[side] = imposed_terms([t[..., w, :] for t in tables], allowed)
    return out


def imposed_utilities(
    scenario: Scenario,
    problem: Problem,
    tables: tuple[NDArray[np.float64], ...] | list[NDArray[np.float64]] | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Per war side that ``war.outcomes`` names, every party's utility ``(..., n_parties)`` of
    the terms that side imposes (:func:`imposed_bundles`) in ``tables`` (default the
    problem's own, computed once per problem and set of war outcomes)."""
    if tables is not None:
        return {
            side: terms_utilities(tables, digits)
            for side, digits in imposed_bundles(scenario, problem, tables).items()
        }
    war = scenario.war
    outcomes = () if war is None else tuple((s, tuple(t.items())) for s, t in war.outcomes.items())
    return problem.remembered(
        ("imposed utilities", outcomes),
        lambda: imposed_utilities(scenario, problem, problem.tables),
    )


def stakes_of(
    scenario: Scenario,
    problem: Problem,
    party: str,
    stated: WarReservation,
    values: Values = STATED,
    imposed: Mapping[str, NDArray[np.float64]] | None = None,
    backs: str | None = None,
) -> tuple[Column, Column]:
    """A party's utility of winning and of losing the war: drawn or stated where the file gives
    it, else its utility of the terms its side (for a party that does not fight: the side it
    ``backs``, else ``war.sides[0]``) or the other side would impose (``imposed``:
    :func:`imposed_utilities` of the same values; computed from the problem when not given)."""
    war = scenario.war
    assert war is not None
    where = f"parties.{party}.reservation"
    ours = party if party in war.sides else (backs or war.sides[0])
    theirs = war.sides[1] if ours == war.sides[0] else war.sides[0]
    column = problem.parties.index(party)

    def utility(side: str) -> Column:
        table = imposed_utilities(scenario, problem) if imposed is None else imposed
        found: Column = table[side][..., column]
        return found

    win = values.get(f"{where}.win", stated.win) if stated.win is not None else utility(ours)
    lose = values.get(f"{where}.lose", stated.lose) if stated.lose is not None else utility(theirs)
    return win, lose


def war_stakes(
    scenario: Scenario,
    problem: Problem,
    party: str,
    stated: WarReservation,
    backs: str | None = None,
) -> tuple[float, float]:
    """A party's utility of winning and of losing the war as stated (:func:`stakes_of`)."""
    win, lose = stakes_of(scenario, problem, party, stated, backs=backs)
    return float(win), float(lose)


def _war_reservation(
    scenario: Scenario,
    problem: Problem,
    party: str,
    values: Values,
    levers: Mapping[str, Column],
    imposed: Mapping[str, NDArray[np.float64]] | None,
) -> tuple[Column, Column, Column, Column, Column]:
    """A war-derived reservation's chance of prevailing, stakes, cost and value."""
    stated = scenario.parties[party].reservation
    war = scenario.war
    assert isinstance(stated, WarReservation)
    if war is None:  # validation forbids it
        raise InputError(
            f"{scenario.name}: parties.{party}.reservation: a war-derived reservation needs "
            "a war model"
        )
    prevail = own_chance_of(scenario, party, values, levers)
    cost = values.form(f"parties.{party}.reservation.cost", stated.cost, levers)
    win, lose = stakes_of(scenario, problem, party, stated, values, imposed)
    return prevail, win, lose, cost, war_value(prevail, win, lose, cost)


def reservation_of(
    scenario: Scenario,
    problem: Problem,
    party: str,
    values: Values = STATED,
    levers: Mapping[str, Column] | None = None,
    imposed: Mapping[str, NDArray[np.float64]] | None = None,
) -> Column:
    """A party's reservation utility: drawn or stated, or its war value (Fearon 1995); NaN
    for a party that gives none (``imposed``: :func:`imposed_utilities` of the same values)."""
    stated = scenario.parties[party].reservation
    if stated is None:
        return float("nan")
    if not isinstance(stated, WarReservation):
        return values.get(f"parties.{party}.reservation", float(stated))
    levers = lever_values(scenario, values) if levers is None else levers
    return _war_reservation(scenario, problem, party, values, levers, imposed)[4]


def reservation_breakdown(
    scenario: Scenario, party: str, problem: Problem | None = None
) -> ReservationBreakdown | None:
    """The terms of a party's war-derived reservation, or None if it is given as a number
    (``problem``: the scenario compiled, if it is)."""
    reservation = scenario.parties[party].reservation
    if not isinstance(reservation, WarReservation) or scenario.war is None:
        return None
    if problem is None:
        problem = compile_problem(scenario)
    terms = _war_reservation(scenario, problem, party, STATED, lever_values(scenario), None)
    return ReservationBreakdown(*(float(t) for t in terms))


def _reservations(scenario: Scenario, problem: Problem) -> NDArray[np.float64]:
    """Every party's reservation utility; NaN for a non-veto party that gives none."""
    levers = lever_values(scenario)
    return np.array(
        [reservation_of(scenario, problem, p, STATED, levers) for p in scenario.parties],
        dtype=np.float64,
    )


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


def value_tables(
    scenario: Scenario,
    issues: tuple[str, ...],
    options: tuple[tuple[str, ...], ...],
    values: Values = STATED,
    draws: int = 1,
) -> list[NDArray[np.float64]]:
    """Per issue, every party's weighted values ``(draws, n_parties, n_options)``: weight over
    the party's total weight times the option's value (0 where the party values none)."""
    tables = [np.zeros((draws, len(scenario.parties), len(o))) for o in options]
    for i, (pid, party) in enumerate(scenario.parties.items()):
        where = f"parties.{pid}"
        weights = {k: values.get(f"{where}.weights.{k}", w) for k, w in party.weights.items()}
        total: Column = 0.0
        for weight in weights.values():
            total = total + weight
        for issue, weight in weights.items():
            k = issues.index(issue)
            valued = party.values.get(issue, {})
            for o, option in enumerate(options[k]):
                if option in valued:
                    value = values.get(f"{where}.values.{issue}.{option}", valued[option])
                    tables[k][:, i, o] = weight / total * value
    return tables


def interaction_layout(
    scenario: Scenario, issues: tuple[str, ...], options: tuple[tuple[str, ...], ...]
) -> Layout | None:
    """The composite issues the interaction terms join (each term's span of issues, in file
    order), or None without interaction terms."""
    terms = [t for p in scenario.parties.values() for t in p.interactions]
    if not terms:
        return None
    radices = np.array([len(o) for o in options], dtype=np.int64)
    spans = [
        (min(issues.index(k) for k in t.when), max(issues.index(k) for k in t.when)) for t in terms
    ]
    return join_spans(radices, spans, issues)


def compiled_tables(
    scenario: Scenario,
    issues: tuple[str, ...],
    options: tuple[tuple[str, ...], ...],
    layout: Layout | None,
    values: Values = STATED,
    draws: int = 1,
) -> list[NDArray[np.float64]]:
    """Per compiled issue, every party's weighted values ``(draws, n_parties, n_options)``:
    :func:`value_tables`, joined into the composite issues of ``layout``
    (:func:`interaction_layout`) with each interaction term's value (drawn or stated) added
    where its options meet."""
    tables = value_tables(scenario, issues, options, values, draws)
    if layout is None:
        return tables
    joined = compose(layout, tables)
    for i, (pid, party) in enumerate(scenario.parties.items()):
        for j, term in enumerate(party.interactions):
            first = issues.index(next(iter(term.when)))
            c = next(c for c, block in enumerate(layout.blocks) if first in block)
            digits = layout.member_digits(c)
            match = np.ones(digits.shape[0], dtype=np.bool_)
            for issue, option in term.when.items():
                column = layout.blocks[c].index(issues.index(issue))
                match &= digits[:, column] == options[issues.index(issue)].index(option)
            value = values.get(f"parties.{pid}.interactions.{j}.value", term.value)
            joined[c][:, i, match] += np.asarray(value)[..., None]
    return joined


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
    global _LAST_ARRAYS
    last = _LAST_ARRAYS
    if (
        last is not None
        and last[0] is scenario.issues
        and last[1] is scenario.parties
        and last[2].name == scenario.name
    ):
        return _with_reservations(scenario, last[2])
    issues = tuple(scenario.issues)
    options = tuple(tuple(issue.options) for issue in scenario.issues.values())
    parties = tuple(scenario.parties)
    layout = interaction_layout(scenario, issues, options)
    tables = tuple(t[0] for t in compiled_tables(scenario, issues, options, layout))
    red_lines = [np.zeros((len(parties), len(opts)), dtype=np.bool_) for opts in options]
    consent = _consent(scenario, issues, options)
    for i, party in enumerate(scenario.parties.values()):
        for line in party.red_lines:
            k = issues.index(line.issue)
            for option in line.options:
                red_lines[k][i, options[k].index(option)] = True
    composite = layout is not None
    names, labels = (issues, options)
    if layout is not None:
        names, labels = composite_names(layout, issues, options)
        red_lines = [np.asarray(r, dtype=np.bool_) for r in compose(layout, red_lines, "any")]
        if consent is not None:
            consent = [np.asarray(c, dtype=np.bool_) for c in compose(layout, consent, "any")]
    problem = Problem(
        name=scenario.name,
        issues=names,
        options=labels,
        parties=parties,
        veto=np.array([p.veto for p in scenario.parties.values()], dtype=np.bool_),
        power=np.array([p.power for p in scenario.parties.values()], dtype=np.float64),
        reservation=np.full(len(parties), np.nan),  # set below, from the compiled tables
        tables=tables,
        red_lines=tuple(red_lines),
        consent=None if consent is None else tuple(consent),
        source_issues=issues if composite else None,
        source_options=options if composite else None,
        source_blocks=layout.blocks if layout is not None else None,
    )
    _LAST_ARRAYS = (scenario.issues, scenario.parties, problem)
    return _with_reservations(scenario, problem)


_LAST_ARRAYS: tuple[object, object, Problem] | None = None
"""The arrays of the scenario compiled last, by the very ``issues`` and ``parties`` objects
they were compiled from (the models are frozen and sim never changes a validated scenario's
mappings; this keeps them alive, so ``is`` cannot be fooled by a reused id). Only they and the
name reach the arrays: the variants a sweep over levers or a leverage policy derives share both
objects with their base (:meth:`sim.model.resolve.RawScenario.lever_variant`), so they are
compiled once, and the problems share one memo (:attr:`sim.core.problem.Problem.memo`)."""


def _with_reservations(scenario: Scenario, problem: Problem) -> Problem:
    """The problem with its reservations set, sharing the memo of what was computed from its
    arrays."""
    done = dataclasses.replace(problem, reservation=_reservations(scenario, problem))
    object.__setattr__(done, "memo", problem.memo)
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

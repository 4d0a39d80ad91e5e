"""Compiling a scenario: normalised weighted tables, red lines, war-derived reservations."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.compile import compile_problem, reservation_breakdown
from sim.core.space import decode
from sim.core.utility import acceptable, bundle_utilities, feasible
from sim.model import load_scenario


def test_tables_are_normalised_weighted_values(toy_folder: Path) -> None:
    problem = compile_problem(load_scenario(toy_folder / "base.yaml").scenario)
    a = problem.parties.index("a")
    # weights 2 and 2 normalise to 0.5 each
    np.testing.assert_allclose(problem.tables[0][a], [0.0, 0.25, 0.5])
    np.testing.assert_allclose(problem.tables[1][a], [0.0, 0.5])
    c = problem.parties.index("c")
    np.testing.assert_allclose(problem.tables[1][c], [0.0, 0.0])  # unweighted issue
    assert problem.red_lines[1][a].tolist() == [True, False]
    assert problem.veto.tolist() == [True, True, False]
    assert problem.power.tolist() == [1.0, 2.0, 1.0]
    assert np.isnan(problem.reservation[c])


def test_war_reservation_matches_fearon_by_hand(toy_folder: Path) -> None:
    base = load_scenario(toy_folder / "base.yaml").scenario
    child = load_scenario(toy_folder / "child.yaml").scenario
    # base: p_a = 0.7 - 0.2 * 1.0 = 0.5 ; child: aid 0 -> p_a = 0.7
    assert abs(reservation_breakdown(base, "a").value - (0.5 * 0.9 + 0.5 * 0.1 - 0.1)) < 1e-12
    expected = {"a": 0.7 * 0.9 + 0.3 * 0.1 - 0.1, "b": 0.3 * 0.8 + 0.7 * 0.0 - 0.05}
    problem = compile_problem(child)
    for party, value in expected.items():
        assert abs(problem.reservation[problem.parties.index(party)] - value) < 1e-12


def test_utilities_against_the_formula(toy_folder: Path) -> None:
    scenario = load_scenario(toy_folder / "base.yaml").scenario
    problem = compile_problem(scenario)
    digits = decode(np.arange(problem.size), problem.radices)
    utilities = bundle_utilities(problem, digits)
    issues = list(scenario.issues)
    for b, row in enumerate(digits):
        for i, (pid, party) in enumerate(scenario.parties.items()):
            total = sum(party.weights.values())
            expected = sum(
                weight
                / total
                * party.values[issue][
                    list(scenario.issues[issue].options)[row[issues.index(issue)]]
                ]
                for issue, weight in party.weights.items()
            )
            assert abs(utilities[b, i] - expected) < 1e-12, (b, pid)
    # status=aligned is a red line of veto party a
    assert feasible(problem, digits).tolist() == [d[1] == 1 for d in digits]
    ok = acceptable(problem, digits, utilities)
    veto = problem.veto_indices
    by_hand = [
        bool(
            feasible(problem, digits)[b] and (utilities[b, veto] >= problem.reservation[veto]).all()
        )
        for b in range(problem.size)
    ]
    assert ok.tolist() == by_hand

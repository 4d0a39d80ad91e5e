from __future__ import annotations

import numpy as np
import pytest

from sim.core.analysis import analyse
from sim.core.problem import Problem
from sim.core.solutions import (
    bargaining_solutions,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_bargaining_solution,
    utilitarian_solution,
)

STEP = 0.01


def split(reservation: tuple[float, float], power: tuple[float, float]) -> Problem:
    """One issue splitting a unit: option j gives x = j/100 to the first party, 1 - x to the
    second; the frontier is the line u1 + u2 = 1."""
    x = np.round(np.arange(101) * STEP, 2)
    return Problem(
        name="split",
        issues=("share",),
        options=(tuple(f"x{j}" for j in range(101)),),
        parties=("first", "second"),
        veto=np.array([True, True]),
        power=np.array(power, dtype=np.float64),
        reservation=np.array(reservation, dtype=np.float64),
        tables=(np.stack([x, 1.0 - x]),),
        red_lines=(np.zeros((2, 101), dtype=bool),),
    )


@pytest.mark.parametrize(
    ("reservation", "power"),
    [
        ((0.0, 0.0), (1.0, 1.0)),
        ((0.1, 0.3), (1.0, 1.0)),
        ((0.2, 0.1), (3.0, 1.0)),
        ((0.05, 0.4), (1.0, 2.5)),
        ((0.3, 0.3), (0.5, 4.0)),
    ],
)
def test_nash_on_a_linear_frontier_matches_the_closed_form(
    reservation: tuple[float, float], power: tuple[float, float]
) -> None:
    # Maximise a1 ln(x - d1) + a2 ln(1 - x - d2): x* = d1 + a1 (1 - d1 - d2) / (a1 + a2).
    d1, d2 = reservation
    share = power[0] / sum(power)
    expected = d1 + share * (1 - d1 - d2)
    result = analyse(split(reservation, power))
    assert result.solutions.nash is not None
    assert abs(result.solutions.nash.utilities[0] - expected) <= STEP
    assert result.solutions.nash.gains == pytest.approx(
        result.solutions.nash.utilities - np.array(reservation), abs=1e-12
    )


@pytest.mark.parametrize("reservation", [(0.0, 0.0), (0.1, 0.3), (0.25, 0.05), (0.4, 0.4)])
def test_kalai_smorodinsky_coincides_with_symmetric_nash_on_a_linear_frontier(
    reservation: tuple[float, float],
) -> None:
    # Ideal point (1 - d2, 1 - d1): equal relative gains give x = (1 + d1 - d2) / 2.
    d1, d2 = reservation
    result = analyse(split(reservation, (1.0, 1.0)))
    ks, nash = result.solutions.kalai_smorodinsky, result.solutions.nash
    assert ks is not None and nash is not None
    assert abs(ks.utilities[0] - (1 + d1 - d2) / 2) <= STEP / 2 + 1e-12
    assert ks.index == nash.index
    assert result.best_acceptable == pytest.approx([1 - d2, 1 - d1], abs=1e-12)


def test_ties_go_to_the_lowest_bundle_index() -> None:
    utilities = np.array([[0.6, 0.4], [0.4, 0.6], [0.5, 0.5]])
    indices = np.array([8, 3, 5])
    d = np.zeros(2)
    # Nash product 0.24 at the first two; egalitarian 0.4 at them too.
    assert nash_bargaining_solution(utilities[:2], indices[:2], d, np.ones(2)) == 1
    assert utilitarian_solution(utilities, indices) == 1  # all sum to 1: lowest index 3
    noisy = utilities + np.array([[1e-14, 0.0], [0.0, 0.0], [0.0, 0.0]])
    assert utilitarian_solution(noisy, indices) == 1
    assert egalitarian_solution(utilities[:2], indices[:2], d) == 1


def test_nash_needs_every_gain_strictly_positive() -> None:
    utilities = np.array([[0.7, 0.3], [0.5, 0.3 + 1e-15]])
    reservation = np.array([0.2, 0.3])
    assert nash_bargaining_solution(utilities, np.arange(2), reservation, np.ones(2)) is None
    assert egalitarian_solution(utilities, np.arange(2), reservation) == 0


def test_kalai_smorodinsky_leaves_out_parties_without_room() -> None:
    # Party 1's best acceptable utility equals its reservation: only party 0's ratio counts.
    utilities = np.array([[0.9, 0.3], [0.6, 0.3]])
    assert kalai_smorodinsky_solution(utilities, np.arange(2), np.array([0.2, 0.3])) == 0
    single = np.array([[0.3, 0.3]])
    assert kalai_smorodinsky_solution(single, np.array([4]), np.array([0.3, 0.3])) == 0


def test_empty_frontier_has_no_solution() -> None:
    empty = np.zeros((0, 2))
    none = np.zeros(0, dtype=np.int64)
    d = np.zeros(2)
    assert nash_bargaining_solution(empty, none, d, np.ones(2)) is None
    assert kalai_smorodinsky_solution(empty, none, d) is None
    assert egalitarian_solution(empty, none, d) is None
    assert utilitarian_solution(empty, none) is None


def test_solutions_report_every_party_and_ignore_non_veto_parties_in_objectives() -> None:
    # Columns: veto party 0, non-veto party 1 (whose utility must not sway anything), veto 2.
    utilities = np.array([[0.9, 1.0, 0.2], [0.5, 0.0, 0.5], [0.2, 1.0, 0.9]])
    solutions = bargaining_solutions(
        utilities,
        np.array([0, 1, 2]),
        np.array([0, 2]),
        np.array([0.1, np.nan, 0.1]),
        np.array([1.0, 7.0, 1.0]),
    )
    assert solutions.utilitarian is not None and solutions.utilitarian.index == 0
    assert solutions.egalitarian is not None and solutions.egalitarian.index == 1
    assert solutions.nash is not None and solutions.nash.index == 1
    assert solutions.nash.utilities.tolist() == [0.5, 0.0, 0.5]
    assert solutions.nash.gains == pytest.approx([0.4, 0.4])
    assert set(solutions.as_dict()) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}


def test_power_shifts_the_nash_solution() -> None:
    utilities = np.array([[0.8, 0.2], [0.5, 0.5], [0.2, 0.8]])
    d = np.zeros(2)
    assert nash_bargaining_solution(utilities, np.arange(3), d, np.array([1.0, 1.0])) == 1
    assert nash_bargaining_solution(utilities, np.arange(3), d, np.array([5.0, 1.0])) == 0

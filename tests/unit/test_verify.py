"""Independent best-response check."""

from __future__ import annotations

import numpy as np
import pytest

from sim.games.verify import is_equilibrium, is_probability_vector, max_regret

PENNIES = np.array([[1.0, -1.0], [-1.0, 1.0]])


def test_matching_pennies_uniform_is_the_equilibrium() -> None:
    half = np.array([0.5, 0.5])
    assert is_equilibrium(PENNIES, -PENNIES, half, half, 1e-9)
    assert max_regret(PENNIES, -PENNIES, half, half) == pytest.approx((0.0, 0.0), abs=1e-15)


def test_profitable_deviation_is_measured() -> None:
    x, y = np.array([1.0, 0.0]), np.array([0.6, 0.4])
    # Row payoff 0.2 vs best 0.2; column gets -0.2 but column 1 would give +1.
    row_regret, column_regret = max_regret(PENNIES, -PENNIES, x, y)
    assert row_regret == pytest.approx(0.0)
    assert column_regret == pytest.approx(1.2)
    assert not is_equilibrium(PENNIES, -PENNIES, x, y, 1e-9)


def test_tolerance_is_absolute_in_payoff_units() -> None:
    A = np.array([[1.0], [1.0 + 1e-7]])
    B = np.zeros((2, 1))
    x, y = np.array([1.0, 0.0]), np.array([1.0])
    assert max_regret(A, B, x, y)[0] == pytest.approx(1e-7)
    assert is_equilibrium(A, B, x, y, 1e-6)
    assert not is_equilibrium(A, B, x, y, 1e-8)


@pytest.mark.parametrize(
    "x",
    [[0.5, 0.6], [1.1, -0.1], [np.nan, 1.0], [1.0], [1.0, 0.0, 0.0]],
)
def test_non_distributions_are_rejected(x: list[float]) -> None:
    assert not is_probability_vector(x, 2)
    assert not is_equilibrium(np.zeros((2, 2)), np.zeros((2, 2)), x, [0.5, 0.5], 1e-9)


def test_rounding_within_tolerance_is_accepted() -> None:
    assert is_probability_vector([0.5 + 1e-12, 0.5, -1e-13], 3)


def test_malformed_game_is_rejected() -> None:
    assert not is_equilibrium(np.zeros((2, 2)), np.zeros((2, 3)), [1, 0], [1, 0], 1e-9)
    A = np.array([[np.inf, 0.0], [0.0, 0.0]])
    assert not is_equilibrium(A, A, [0, 1], [0, 1], 1e-9)

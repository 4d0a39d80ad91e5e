"""Iterated elimination of strictly dominated strategies."""

from __future__ import annotations

import numpy as np
import pytest

from sim.games.dominance import iterated_strict_dominance, strictly_dominated


def test_prisoners_dilemma_keeps_only_defect() -> None:
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    rows, columns = iterated_strict_dominance(A, A.T)
    assert rows.tolist() == [1]
    assert columns.tolist() == [1]


def test_elimination_is_iterated() -> None:
    # Column 2 is dominated by column 1 for the column player; only then is row 1
    # dominated by row 0 (it wins only against column 2); then column 1 beats column 0.
    A = np.array([[2.0, 2.0, 0.0], [1.0, 1.0, 5.0]])
    B = np.array([[1.0, 2.0, 0.0], [3.0, 1.0, 0.0]])
    rows, columns = iterated_strict_dominance(A, B)
    assert rows.tolist() == [0]
    assert columns.tolist() == [1]


def test_ties_and_weak_dominance_are_kept() -> None:
    A = np.array([[1.0, 1.0], [1.0, 0.0]])  # row 0 only weakly dominates row 1
    rows, columns = iterated_strict_dominance(A, A)
    assert rows.tolist() == [0, 1]
    assert columns.tolist() == [0, 1]


def test_margin_within_tolerance_is_not_strict() -> None:
    A = np.array([[1.0 + 1e-12, 2.0 + 1e-12], [1.0, 2.0]])
    assert strictly_dominated(A, 1e-9).tolist() == [False, False]
    assert strictly_dominated(A, 0.0).tolist() == [False, True]


def test_domination_by_mixture_only_is_not_removed() -> None:
    # Row 2 is dominated by the mixture (1/2, 1/2) of rows 0 and 1 but by neither alone.
    A = np.array([[4.0, 0.0], [0.0, 4.0], [1.0, 1.0]])
    rows, _ = iterated_strict_dominance(A, np.zeros_like(A))
    assert rows.tolist() == [0, 1, 2]


def test_mismatched_shapes_are_rejected() -> None:
    with pytest.raises(ValueError, match="equal shape"):
        iterated_strict_dominance(np.zeros((2, 2)), np.zeros((2, 3)))

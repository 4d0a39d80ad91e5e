from __future__ import annotations

import numpy as np
import pytest

from sim.core.maxima import blocked_maxima, covered, covered_blocked, maxima


def naive_maxima(points: np.ndarray) -> list[bool]:
    """Rows no other row is >= in every column (rows are distinct)."""
    return [int((points >= p).all(axis=1).sum()) == 1 for p in points]


def near_simplex(rng: np.random.Generator, n: int, m: int, grid: int) -> np.ndarray:
    """Distinct integer points close to a simplex face: a large share of them are maxima."""
    raw = rng.random((n, m))
    points = np.round(grid * (raw / raw.sum(axis=1, keepdims=True) - 0.05 * rng.random((n, 1))))
    unique = np.unique(points.astype(np.int32) + grid, axis=0)
    return unique[rng.permutation(unique.shape[0])]


def test_hand_example() -> None:
    points = np.array([[3, 0, 0, 1], [2, 2, 2, 2], [1, 1, 1, 1], [2, 2, 2, 3], [0, 0, 4, 0]])
    assert maxima(points).tolist() == [True, False, False, True, True]
    assert maxima(points).tolist() == naive_maxima(points)


@pytest.mark.parametrize("columns", [3, 4, 5, 6])
def test_divide_and_conquer_equals_the_pairwise_filter_on_large_fronts(columns: int) -> None:
    rng = np.random.default_rng(columns)
    points = near_simplex(rng, 6000, columns, 400)
    expected = blocked_maxima(points)
    assert expected.sum() > 500  # a large front: the range tree and the recursion both run
    assert maxima(points).tolist() == expected.tolist()


def test_equal_first_columns_and_few_values() -> None:
    rng = np.random.default_rng(11)
    points = np.unique(rng.integers(0, 4, size=(3000, 5)), axis=0)
    points = np.vstack([points, points + np.array([0, 0, 0, 0, 9])])  # equal in four columns
    assert maxima(points).tolist() == naive_maxima(points)


def test_covering_of_large_sets_equals_every_pair() -> None:
    rng = np.random.default_rng(5)
    for columns in (3, 4, 5):
        candidates = near_simplex(rng, 3000, columns, 300)
        others = near_simplex(rng, 3000, columns, 300)
        assert covered(candidates, others).tolist() == covered_blocked(candidates, others).tolist()


def test_degenerate_shapes() -> None:
    assert maxima(np.zeros((0, 4), dtype=np.int32)).tolist() == []
    assert maxima(np.zeros((3, 0), dtype=np.int32)).tolist() == [True] * 3
    assert maxima(np.array([[1], [4], [2]])).tolist() == [False, True, False]
    assert covered(np.zeros((2, 3), dtype=np.int32), np.zeros((0, 3), dtype=np.int32)).tolist() == [
        False,
        False,
    ]

from __future__ import annotations

import numpy as np
import pytest

from sim.core import maxima as maxima_module
from sim.core.maxima import blocked_maxima, covered_blocked, maxima


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
def test_tree_merge_equals_the_pairwise_filter_on_large_fronts(columns: int) -> None:
    rng = np.random.default_rng(columns)
    points = near_simplex(rng, 6000, columns, 400)
    expected = blocked_maxima(points)
    assert expected.sum() > 500  # a large front: every level of the tree has rows to compare
    assert maxima(points).tolist() == expected.tolist()


def test_tree_merge_of_a_mostly_dominated_set() -> None:
    """Most rows are dominated (a thick shell under the front): whole cells are struck."""
    rng = np.random.default_rng(9)
    raw = rng.random((20000, 4))
    shell = raw / raw.sum(axis=1, keepdims=True) * rng.uniform(0.5, 1.0, size=(20000, 1))
    points = np.unique(np.round(shell * 10000).astype(np.int64), axis=0)
    expected = blocked_maxima(points)
    assert expected.mean() < 0.2
    assert maxima(points).tolist() == expected.tolist()


@pytest.mark.parametrize(("leaf", "pairs", "parts"), [(1, 1, 1), (2, 3, 2), (5, 64, 1), (8, 5, 4)])
def test_tiny_leaves_and_pair_batches_change_nothing(
    leaf: int, pairs: int, parts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Leaves of a row or two make every comparison a cross-half one; batches of a few pairs
    split the traversal many times; leaves of several parts skip parts by their boxes."""
    rng = np.random.default_rng(leaf)
    points = near_simplex(rng, 3000, 5, 300)
    expected = blocked_maxima(points)
    monkeypatch.setattr(maxima_module, "TREE_LEAF", leaf)
    monkeypatch.setattr(maxima_module, "TREE_PAIRS", pairs)
    monkeypatch.setattr(maxima_module, "SUBLEAVES", parts)
    assert maxima(points).tolist() == expected.tolist()


def test_equal_first_columns_and_few_values() -> None:
    rng = np.random.default_rng(11)
    points = np.unique(rng.integers(0, 4, size=(3000, 5)), axis=0)
    points = np.vstack([points, points + np.array([0, 0, 0, 0, 9])])  # equal in four columns
    assert maxima(points).tolist() == naive_maxima(points)


@pytest.mark.parametrize("columns", [3, 6])
def test_a_small_front_mostly_struck_by_the_row_of_largest_sum(columns: int) -> None:
    rng = np.random.default_rng(columns)
    points = np.unique(rng.integers(0, 10**6, size=(3000, columns)), axis=0)
    top = points[points.sum(axis=1).argmax()]
    assert (points <= top).all(axis=1).mean() > 0.3  # most rows (3 columns) or a third (6)
    assert maxima(points).tolist() == naive_maxima(points)


def test_values_beyond_int32_and_below_zero() -> None:
    rng = np.random.default_rng(4)
    points = np.unique(rng.integers(-(2**40), 2**40, size=(3000, 3)), axis=0)
    points[:, 1] = points[:, 1] // 2**30  # ties in one column
    points = np.unique(points, axis=0)
    assert maxima(points).tolist() == blocked_maxima(points).tolist()


def test_degenerate_shapes() -> None:
    assert maxima(np.zeros((0, 4), dtype=np.int32)).tolist() == []
    assert maxima(np.zeros((3, 0), dtype=np.int32)).tolist() == [True] * 3
    assert maxima(np.array([[1], [4], [2]])).tolist() == [False, True, False]
    assert covered_blocked(
        np.zeros((2, 3), dtype=np.int32), np.zeros((0, 3), dtype=np.int32)
    ).tolist() == [False, False]

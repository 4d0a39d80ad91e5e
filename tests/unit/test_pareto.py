from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from sim.core.pareto import (
    distinct_pareto_front,
    group_identical,
    pareto_front,
    tolerance_ranks,
)


def naive_front(points: NDArray[np.float64]) -> list[int]:
    """Rows no other row weakly dominates with a strict improvement (exact values)."""
    front = []
    for j, p in enumerate(points):
        better = (points >= p).all(axis=1) & (points > p).any(axis=1)
        if not better.any():
            front.append(j)
    return front


def test_two_party_front_keeps_the_staircase() -> None:
    points = np.array([[0.1, 0.9], [0.5, 0.5], [0.4, 0.4], [0.9, 0.1], [0.5, 0.2]])
    assert pareto_front(points).tolist() == [0, 1, 3]


def test_identical_vectors_are_all_on_the_front_but_listed_once() -> None:
    points = np.array([[0.5, 0.5], [1.0, 0.0], [0.5, 0.5], [0.2, 0.2], [0.5, 0.5]])
    assert pareto_front(points).tolist() == [0, 1, 2, 4]
    front = distinct_pareto_front(points, keys=np.array([9, 3, 4, 0, 7]))
    assert front.rows.tolist() == [1, 2]  # keys 3 and 4: the lowest key of each vector
    assert front.multiplicity.tolist() == [1, 3]


def test_differences_within_tolerance_are_ties_and_beyond_it_are_not() -> None:
    noise = np.array([[0.1 + 0.2, 0.7], [0.3, 0.7]])  # 0.1 + 0.2 != 0.3 in floats
    assert distinct_pareto_front(noise).multiplicity.tolist() == [2]
    apart = np.array([[0.3 + 1e-9, 0.7], [0.3, 0.7]])
    assert distinct_pareto_front(apart).rows.tolist() == [0]
    assert distinct_pareto_front(apart).multiplicity.tolist() == [1]


def test_tolerance_ranks_chain_close_values_together() -> None:
    column = np.array([[0.5], [0.5 + 4e-13], [0.2], [0.5 + 8e-13], [0.9]])
    assert tolerance_ranks(column).ravel().tolist() == [1, 1, 0, 1, 2]


def test_group_identical_counts_weights_and_labels_every_row() -> None:
    points = np.array([[1.0, 2.0], [0.0, 0.0], [1.0, 2.0]])
    groups = group_identical(points, keys=np.array([5, 1, 2]), counts=np.array([10, 1, 3]))
    assert groups.rows.tolist() == [1, 2]
    assert groups.multiplicity.tolist() == [1, 13]
    assert groups.labels.tolist() == [1, 0, 1]


@pytest.mark.parametrize("columns", [1, 2, 3, 4, 5])
def test_front_matches_naive_dominance(columns: int) -> None:
    rng = np.random.default_rng(columns)
    for trial in range(20):
        n = int(rng.integers(1, 300))
        grid = [2, 5, 1000][trial % 3]  # coarse grids force ties and equal coordinates
        points = rng.integers(0, grid + 1, size=(n, columns)) / grid
        assert pareto_front(points).tolist() == naive_front(points)


def test_blocked_path_over_many_blocks_matches_naive() -> None:
    rng = np.random.default_rng(7)
    # Points near a simplex face: a large front, several thousand rows, many blocks.
    raw = rng.random((5000, 3))
    points = np.round(raw / raw.sum(axis=1, keepdims=True) - 0.05 * rng.random((5000, 1)), 3)
    expected = naive_front(points)
    assert len(expected) > 1000
    assert pareto_front(points).tolist() == expected


def test_distinct_front_of_exact_duplicates_counts_multiplicities() -> None:
    points = np.repeat(np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 0.5], [0.5, 0.5, 0.5]]), 4, axis=0)
    front = distinct_pareto_front(points, counts=np.arange(1, 13))
    assert front.rows.tolist() == [0, 4, 8]
    assert front.multiplicity.tolist() == [1 + 2 + 3 + 4, 5 + 6 + 7 + 8, 9 + 10 + 11 + 12]


def test_degenerate_shapes() -> None:
    assert pareto_front(np.zeros((0, 2))).tolist() == []
    assert distinct_pareto_front(np.zeros((4, 0))).multiplicity.tolist() == [4]
    assert pareto_front(np.array([[0.2], [0.7], [0.7]])).tolist() == [1, 2]

"""Distance to the frontier against a plain loop."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.distance import frontier_distance


@pytest.mark.parametrize("seed", range(30))
def test_against_a_loop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    front = rng.integers(0, 5, size=(int(rng.integers(1, 8)), 2)) / 4.0
    indices = np.sort(rng.choice(1000, size=front.shape[0], replace=False))
    point = rng.integers(0, 5, size=2) / 4.0
    got = frontier_distance(front, indices, point)
    dominating = [
        j for j in range(front.shape[0]) if all(front[j] >= point) and any(front[j] > point)
    ]
    assert got.dominated_by == len(dominating)
    assert got.improvement == pytest.approx(max(min(front[j] - point) for j in range(len(front))))
    if dominating:
        best = max(min(front[j] - point) for j in dominating)
        expected = min(indices[j] for j in dominating if min(front[j] - point) == best)
        assert got.best_index == expected
    else:
        assert got.best_index is None


def test_empty_frontier() -> None:
    got = frontier_distance(np.empty((0, 2)), np.empty(0, dtype=np.int64), np.array([0.5, 0.5]))
    assert got.best_index is None and np.isnan(got.improvement)

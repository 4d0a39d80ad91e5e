"""The optimism threshold of many draws at once equals each draw's alone: each draw with its
own utilities, chances, stakes and kept candidates (the Monte Carlo path of why talks fail)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.expectations import optimism_threshold, optimism_thresholds


def random_case(seed: int) -> tuple[np.ndarray, ...]:
    """Twelve draws of coarse numbers, so that zones are empty, thresholds undefined (None)
    and ties all occur: utilities ``(12, n, 2)``, chances, win, lose and cost ``(12, 2)``,
    and the kept candidates ``(12, n)``."""
    rng = np.random.default_rng(seed)
    draws, n = 12, int(rng.integers(0, 12))
    u = rng.integers(0, 9, (draws, n, 2)) / 8
    chances = rng.integers(0, 9, (draws, 2)) / 8
    win = rng.choice([1.0, 0.75, 0.5], (draws, 2))
    lose = rng.choice([0.0, 0.25, 0.5], (draws, 2))
    cost = rng.integers(0, 4, (draws, 2)) / 16
    keep = rng.random((draws, n)) < 0.6
    return u, chances, win, lose, cost, keep


def each_draw_alone(thresholds_of, seed: int) -> None:  # type: ignore[no-untyped-def]
    """``thresholds_of`` (:func:`optimism_thresholds` or a mutant) against
    :func:`optimism_threshold` of each draw's kept candidates."""
    u, chances, win, lose, cost, keep = random_case(seed)
    found = thresholds_of(u, chances, win, lose, cost, keep=keep)
    assert found.shape == (u.shape[0],)
    for d in range(u.shape[0]):
        alone = optimism_threshold(u[d][keep[d]], chances[d], win[d], lose[d], cost[d])
        assert np.array_equal(found[d], np.nan if alone is None else alone, equal_nan=True), d


@pytest.mark.parametrize("seed", range(30))
def test_many_draws_at_once_equal_each_draw_alone(seed: int) -> None:
    each_draw_alone(optimism_thresholds, seed)


def test_the_check_sees_every_case() -> None:
    """The random draws hold empty zones (0), undefined thresholds (None) and positive ones."""
    seen = set()
    for seed in range(30):
        u, chances, win, lose, cost, keep = random_case(seed)
        for t in optimism_thresholds(u, chances, win, lose, cost, keep=keep):
            seen.add("none" if np.isnan(t) else "zero" if t == 0 else "positive")
    assert seen == {"none", "zero", "positive"}


def test_the_check_catches_a_threshold_that_ignores_the_kept_candidates() -> None:
    """Mutation: every candidate counted, kept or not."""

    def every_candidate(u, chances, win, lose, cost, keep=None):  # type: ignore[no-untyped-def]
        return optimism_thresholds(u, chances, win, lose, cost)

    caught = 0
    for seed in range(30):
        try:
            each_draw_alone(every_candidate, seed)
        except AssertionError:
            caught += 1
    assert caught > 20

"""The war path against direct computation."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.timeline import war_path, war_present_value


def test_war_path_follows_the_drifting_lottery() -> None:
    path = war_path(0.2, 0.3, 4, win=[1.0, 0.9], lose=[0.1, 0.0], cost=[0.05, 0.1])
    assert path.shape == (5, 2)
    for t in range(5):
        p = min(max(0.2 + 0.3 * t, 0.0), 1.0)
        side_a = p * 1.0 + (1 - p) * 0.1 - 0.05
        side_b = (1 - p) * 0.9 + p * 0.0 - 0.1
        expected = [min(max(side_a, 0.0), 1.0), min(max(side_b, 0.0), 1.0)]
        np.testing.assert_allclose(path[t], expected, atol=1e-12)
    assert path[4, 1] == 0.0  # p clipped to 1, B's value clipped to 0


def test_war_path_with_negative_drift_and_zero_horizon() -> None:
    np.testing.assert_allclose(
        war_path(0.9, -0.5, 2, [1, 1], [0, 0], [0, 0]), [[0.9, 0.1], [0.4, 0.6], [0.0, 1.0]]
    )
    assert war_path(0.3, 0.1, 0, [1, 1], [0, 0], [0, 0]).shape == (1, 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"horizon": -1}, "horizon"),
        ({"win": [1.0, 1.0, 1.0]}, "win"),
        ({"cost": 0.1}, "cost"),
    ],
)
def test_war_path_rejects_bad_input(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "prevail0": 0.5,
        "drift": 0.0,
        "horizon": 2,
        "win": [1, 1],
        "lose": [0, 0],
        "cost": [0, 0],
    } | kwargs
    with pytest.raises(ValueError, match=message):
        war_path(**arguments)  # type: ignore[arg-type]


def test_many_paths_at_once_are_each_path_alone() -> None:
    """Every argument with a leading axis of draws (as the Monte Carlo blocks call it): each
    path equals the one-at-a-time path float for float, and so do its present values."""
    rng = np.random.default_rng(7)
    n, horizon = 9, 6
    beliefs = rng.uniform(0, 1, (n, 2))
    drift = rng.uniform(-0.1, 0.1, n)
    win, lose = rng.uniform(0.5, 1, (n, 2)), rng.uniform(0, 0.5, (n, 2))
    cost, growth = rng.uniform(0, 0.2, (n, 2)), rng.uniform(0, 0.02, (n, 2))
    discounts = rng.uniform(0.8, 0.99, (n, 2))
    paths = war_path(beliefs, drift, horizon, win, lose, cost, growth)
    assert paths.shape == (n, horizon + 1, 2)
    present = war_present_value(paths, discounts)
    for d in range(n):
        one = war_path(beliefs[d], drift[d], horizon, win[d], lose[d], cost[d], growth[d])
        assert paths[d].tolist() == one.tolist(), d
        assert present[d].tolist() == war_present_value(one, discounts[d]).tolist(), d
    # the oracle sees a path that ignores its draw's drift
    assert not np.array_equal(paths, war_path(beliefs, drift[0], horizon, win, lose, cost, growth))


def test_present_value_by_hand() -> None:
    """``(1 - δ)(w0 + δ w1) + δ² w1`` for a two-period path."""
    value = war_present_value([[0.2], [0.6]], [0.5])
    assert value.tolist() == pytest.approx([0.5 * (0.2 + 0.5 * 0.6) + 0.25 * 0.6])

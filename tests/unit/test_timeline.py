"""The war path against direct computation."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.timeline import war_path


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

"""The war path and the two closed forms (Fearon 1995, Powell 2006) against direct computation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.core.timeline import commitment_problem, fearon_range, war_path


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


@pytest.mark.parametrize(("p", "cost_a", "cost_b"), [(0.6, 0.1, 0.15), (0.3, 0.0, 0.2)])
def test_fearon_range_is_the_set_both_prefer_to_war(p: float, cost_a: float, cost_b: float) -> None:
    low, high = fearon_range(p, cost_a, cost_b)
    splits = np.linspace(0.0, 1.0, 100_001)
    both = (splits >= p - cost_a - 1e-12) & (1 - splits >= 1 - p - cost_b - 1e-12)
    assert splits[both].min() == pytest.approx(low, abs=1e-5)
    assert splits[both].max() == pytest.approx(high, abs=1e-5)


def test_closed_forms_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="p must"):
        fearon_range(1.2, 0.1, 0.1)
    with pytest.raises(ValueError, match="costs"):
        fearon_range(0.5, -0.1, 0.1)
    with pytest.raises(ValueError, match="delta"):
        commitment_problem(0.2, 0.5, 1.0, 0.1, 0.1)
    with pytest.raises(ValueError, match="p_next"):
        commitment_problem(0.2, 1.5, 0.5, 0.1, 0.1)


def peace_exists(p: float, p_next: float, delta: float, cost_a: float, cost_b: float) -> bool:
    """Two-period backward induction in Powell's (2006) model, without the closed form.

    A pie of 1 per period, discounted sums, war locks in shares ``p_t`` for ever and costs
    each side a one-off amount. Period 1 (power ``p_next`` for good): a constant split ``y``
    (A's share) is accepted by both iff each gets at least its war payoff. Period 0: a split
    ``x0`` followed by such a ``y`` must give each at least its period-0 war payoff.
    """
    forever = 1.0 / (1.0 - delta)
    # Period 1: the interval of A's shares both accept.
    y_low = max(0.0, (p_next * forever - cost_a) / forever)
    y_high = min(1.0, 1.0 - ((1 - p_next) * forever - cost_b) / forever)
    if y_low > y_high + 1e-12:
        return False
    # Period 0: B's peaceful payoffs span [x0 = 1, y = y_high] .. [x0 = 0, y = y_low].
    b_least = 0.0 + delta * (1.0 - y_high) * forever
    b_most = 1.0 + delta * (1.0 - y_low) * forever
    b_needs = (1 - p) * forever - cost_b
    a_needs = p * forever - cost_a
    # A and B share forever in total: A is satisfied iff B gets at most forever - a_needs.
    return max(b_least, b_needs) <= min(b_most, forever - a_needs) + 1e-12


def test_commitment_problem_matches_backward_induction() -> None:
    grid = np.linspace(0.0, 1.0, 11).tolist()
    outcomes = {True: 0, False: 0}
    for p, p_next, delta, cost_a, cost_b in itertools.product(
        grid, grid, [0.3, 0.6, 0.9, 0.95], [0.0, 0.05, 0.5, 2.0], [0.0, 0.1, 0.7, 3.0]
    ):
        if p_next < p:
            continue
        gap = (delta * p_next - p) / (1 - delta) - (cost_b + delta * cost_a)
        if abs(gap) < 1e-9:
            continue  # on the boundary: B is indifferent
        fights = commitment_problem(p, p_next, delta, cost_a, cost_b)
        assert fights == (not peace_exists(p, p_next, delta, cost_a, cost_b)), (
            p,
            p_next,
            delta,
            cost_a,
            cost_b,
        )
        outcomes[fights] += 1
    assert outcomes[True] > 50 and outcomes[False] > 50


def test_commitment_problem_never_when_power_does_not_shift_up() -> None:
    assert not commitment_problem(0.7, 0.7, 0.99, 0.0, 0.0)
    assert not commitment_problem(0.7, 0.2, 0.99, 0.0, 0.0)

"""Bargaining over time against closed forms and hand-computed games.

Oracles: Rubinstein's (1982) split, Fearon's (1995) bargaining range, and a game with a
shifting balance of power solved by hand. Brute force on random games is in
``tests/property/test_bargaining_property.py``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from numpy.typing import NDArray

from sim.core.bargaining import BargainingError, alternating_offers, mediated
from sim.core.timeline import war_path


def split(n_options: int) -> NDArray[np.float64]:
    """A unit pie on a grid: column 0 is A's share ``x``, column 1 is B's ``1 - x``, column 2
    a mediator who prefers splits near one half."""
    x = np.linspace(0.0, 1.0, n_options)
    return np.stack([x, 1.0 - x, 1.0 - np.abs(x - 0.5)], axis=1)


@pytest.mark.parametrize(
    ("delta_1", "delta_2"), [(0.9, 0.9), (0.5, 0.8), (0.8, 0.5), (0.95, 0.6), (0.3, 0.3)]
)
@pytest.mark.parametrize("first", [0, 1])
def test_rubinstein_split(delta_1: float, delta_2: float, first: int) -> None:
    """The first proposer ``f`` (other party ``o``) gets ``(1 - δ_o) / (1 - δ_1 δ_2)``.

    Bound. With no war value the responder's continuation is ``δ_R`` times its share as
    next proposer, so the proposer's share in ``t`` is ``x(t) = 1 - δ_R x(t + 1)``, ``x(T) = 1``.
    Two steps give ``x(t) - x* = δ_1 δ_2 (x(t + 2) - x*)``: the horizon error is at most
    ``(δ_1 δ_2)^floor(T / 2)``. On a grid of step ``h`` the proposer takes the largest grid share
    the responder accepts, losing less than ``h`` per period on top of ``δ_R`` times the next
    period's error: at most ``h (1 + δ_o) / (1 - δ_1 δ_2)`` in all. Each proposer prefers its
    offer to waiting whenever ``h <= 1 - max δ``, so agreement is immediate (and in every period).
    """
    horizon, n_options = 400, 1001
    step = 1.0 / (n_options - 1)
    order = [first, 1 - first]
    deltas = np.array([delta_1, delta_2])[order]
    result = alternating_offers(
        split(n_options)[:, :2],
        np.arange(n_options),
        order,
        np.zeros((horizon + 1, 2)),
        deltas,
    )
    other = deltas[1]
    expected = (1 - other) / (1 - delta_1 * delta_2)
    bound = step * (1 + other) / (1 - delta_1 * delta_2) + (delta_1 * delta_2) ** (horizon // 2)
    assert result.agreement_period == 0
    assert result.utilities is not None and result.bundle is not None
    assert abs(result.utilities[first] - expected) <= bound + 1e-12
    assert result.utilities[1 - first] == pytest.approx(1 - result.utilities[first], abs=1e-12)
    assert result.bundle == round(result.utilities[0] / step)
    assert all(period.agreed for period in result.path)
    assert [period.proposer for period in result.path[:3]] == [first, 1 - first, first]


def rising_power(discounts: list[float]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A's chance of prevailing 0.2, 0.5, 0.8 in periods 0, 1, 2; war costs each side 0.1.

    War flows: A (0.1, 0.4, 0.7), B (0.7, 0.4, 0.1).
    """
    flows = war_path(0.2, 0.3, 2, win=[1, 1], lose=[0, 0], cost=[0.1, 0.1])
    np.testing.assert_allclose(flows, [[0.1, 0.7], [0.4, 0.4], [0.7, 0.1]], atol=1e-12)
    return flows, np.array(discounts)


def test_delay_alternating_offers_with_rising_power() -> None:
    """Patient rising A (δ 0.9), impatient declining B (δ 0.5), A proposes in 0 and 2.

    By hand. V(3) = w(2) = (0.7, 0.1).
    t = 2: C = (0.7, 0.1); A offers x = 0.9 (B's 0.1 is just acceptable) and 0.9 >= 0.7: deal.
    t = 1: C = (0.1·0.4 + 0.9·0.9, 0.5·0.4 + 0.5·0.1) = (0.85, 0.25), sum 1.1 > 1: B's best
           acceptable offer is x = 0.85, leaving B 0.15 < 0.25: the period passes.
    t = 0: C = (0.1·0.1 + 0.9·0.85, 0.5·0.7 + 0.5·0.25) = (0.775, 0.475), sum 1.25 > 1: A's best
           acceptable offer is x = 0.52 < 0.775: the period passes. Agreement in period 2.
    """
    flows, deltas = rising_power([0.9, 0.5])
    result = alternating_offers(split(101)[:, :2], np.arange(101), [0, 1], flows, deltas)
    assert result.agreement_period == 2
    assert result.bundle == 90
    assert result.utilities == pytest.approx((0.9, 0.1), abs=1e-12)
    assert [p.offer for p in result.path] == [52, 85, 90]
    assert [p.agreed for p in result.path] == [False, False, True]
    assert [p.proposer for p in result.path] == [0, 1, 0]
    expected_c = [(0.775, 0.475), (0.85, 0.25), (0.7, 0.1)]
    expected_v = [(0.775, 0.475), (0.85, 0.25), (0.9, 0.1)]
    for period, c, v in zip(result.path, expected_c, expected_v, strict=True):
        assert period.continuation == pytest.approx(c, abs=1e-12)
        assert period.value == pytest.approx(v, abs=1e-12)
    np.testing.assert_allclose(result.values(), expected_v, atol=1e-12)


def test_equal_patience_removes_the_delay() -> None:
    """Same war path, both δ = 0.9. By hand: t = 2 deal x = 0.9, V = (0.9, 0.1);
    t = 1: C = (0.85, 0.13), B offers x = 0.85 and keeps 0.15 >= 0.13: deal, V = (0.85, 0.15);
    t = 0: C = (0.1·0.1 + 0.9·0.85, 0.1·0.7 + 0.9·0.15) = (0.775, 0.205); A offers x = 0.79."""
    flows, deltas = rising_power([0.9, 0.9])
    result = alternating_offers(split(101)[:, :2], np.arange(101), [0, 1], flows, deltas)
    assert (result.agreement_period, result.bundle) == (0, 79)
    assert result.path[0].continuation == pytest.approx((0.775, 0.205), abs=1e-12)


def test_delay_mediated_with_rising_power() -> None:
    """The mediator likes splits near one half. By hand: t = 2: C = (0.7, 0.1), acceptable
    x in [0.7, 0.9], mediator picks 0.7, V = (0.7, 0.3); t = 1: C = (0.67, 0.35), needs
    x >= 0.67 and x <= 0.65: none; t = 0: C = (0.613, 0.525): none. Agreement in period 2."""
    flows, deltas = rising_power([0.9, 0.5])
    result = mediated(split(101), np.arange(101), [0, 1], 2, flows, deltas)
    assert (result.agreement_period, result.bundle) == (2, 70)
    assert result.utilities == pytest.approx((0.7, 0.3, 0.8), abs=1e-12)
    assert [p.offer for p in result.path] == [None, None, 70]
    assert [p.proposer for p in result.path] == [2, 2, 2]
    expected_c = [(0.613, 0.525), (0.67, 0.35), (0.7, 0.1)]
    for period, c in zip(result.path, expected_c, strict=True):
        assert period.continuation == pytest.approx(c, abs=1e-12)


@pytest.mark.parametrize(
    ("p", "cost_a", "cost_b"),
    [("0.6", "0.1", "0.15"), ("0.6123", "0.0456", "0.0789"), ("0.05", "0.2", "0.1")],
)
@pytest.mark.parametrize("deltas", [(0.2, 0.9), (0.9, 0.2)])
def test_fearon_range_on_the_grid(
    p: str, cost_a: str, cost_b: str, deltas: tuple[float, float]
) -> None:
    """One period (T = 0), war values p - c_A and 1 - p - c_B: the splits both accept are
    the grid points in Fearon's range. Its ends are found by the four proposers' choices."""
    exact = [Fraction(v) for v in (p, cost_a, cost_b)]  # Fearon's range (p - c_A, p + c_B)
    k_low = max(0, math.ceil((exact[0] - exact[1]) * 1000))
    k_high = min(1000, math.floor((exact[0] + exact[2]) * 1000))
    flows = war_path(float(exact[0]), 0.0, 0, [1, 1], [0, 0], [float(exact[1]), float(exact[2])])
    utilities = split(1001)
    ids = np.arange(1001)
    a_first = alternating_offers(utilities[:, :2], ids, [0, 1], flows, deltas)
    b_first = alternating_offers(utilities[:, :2], ids, [1, 0], flows[:, ::-1], deltas[::-1])
    assert (a_first.bundle, b_first.bundle) == (k_high, k_low)
    for favour, expected in ((utilities[:, 0], k_high), (utilities[:, 1], k_low)):
        with_mediator = np.column_stack([utilities[:, :2], favour])
        assert mediated(with_mediator, ids, [0, 1], 2, flows, deltas).bundle == expected


def test_tie_breaks_alternating() -> None:
    """A is indifferent between rows 0..2; B prefers rows 1 and 2 equally; row 2 has the
    lower bundle index."""
    u = np.array([[0.6, 0.3], [0.6, 0.4], [0.6, 0.4], [0.5, 0.5]])
    result = alternating_offers(u, np.array([4, 9, 7, 1]), [0, 1], np.zeros((1, 2)), [0.5, 0.5])
    assert (result.agreement_period, result.bundle) == (0, 7)
    assert result.utilities == pytest.approx((0.6, 0.4))


def test_tie_breaks_mediated_and_three_veto_parties() -> None:
    u = np.array(
        [[0.5, 0.5, 0.5, 1.0], [0.6, 0.6, 0.6, 1.0], [0.9, 0.9, 0.0, 1.0], [0.7, 0.7, 0.7, 0.2]]
    )
    result = mediated(u, np.array([8, 6, 2, 3]), [0, 1, 2], 3, np.full((2, 3), 0.4), [0.5] * 3)
    # rows 0, 1 and 2 tie for the mediator; party 2 rejects row 2 (the lowest index)
    assert (result.agreement_period, result.bundle) == (0, 6)
    assert len(result.path[0].value) == 3
    with pytest.raises(BargainingError, match="exactly 2"):
        alternating_offers(u, np.arange(4), [0, 1, 2], np.zeros((1, 3)), [0.5] * 3)


def test_no_agreement_when_war_beats_every_candidate() -> None:
    u = np.array([[0.5, 0.5], [0.7, 0.3]])
    flows = np.array([[0.6, 0.45], [0.6, 0.45]])
    for result in (
        alternating_offers(u, np.arange(2), [0, 1], flows, [0.9, 0.8]),
        mediated(np.column_stack([u, [1.0, 1.0]]), np.arange(2), [0, 1], 2, flows, [0.9, 0.8]),
    ):
        assert (result.agreement_period, result.bundle, result.utilities) == (None, None, None)
        assert not any(period.agreed for period in result.path)
        np.testing.assert_allclose(result.values(), flows, atol=1e-12)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"utilities": np.zeros(3)}, "utilities"),
        ({"utilities": np.full((3, 3), np.nan)}, "utilities"),
        ({"indices": np.arange(2)}, "indices"),
        ({"indices": np.zeros(3)}, "indices"),
        ({"veto": [0, 0]}, "distinct"),
        ({"veto": [0, 5]}, "columns"),
        ({"war_flows": np.zeros((2, 3))}, "war_flows"),
        ({"discounts": [0.5, 1.0]}, "discounts"),
        ({"mediator": 1}, "mediator"),
    ],
)
def test_bad_input_raises_bargaining_error(change: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "utilities": np.ones((3, 3)),
        "indices": np.arange(3),
        "veto": [0, 1],
        "mediator": 2,
        "war_flows": np.zeros((2, 2)),
        "discounts": [0.5, 0.5],
    } | change
    with pytest.raises(BargainingError, match=message):
        mediated(**arguments)  # type: ignore[arg-type]

"""Rotating offers among n veto parties against the closed form of the unanimity game.

Oracle: the stationary split of Baron & Ferejohn's (1989) unanimity game with rotating
proposers, common discount ``δ`` and no war value: the proposer gets ``x* = (1 - δ) / (1 - δ^n)``
and the responder who proposes ``k`` periods later ``δ^k x*``. Brute force on random tiny games
and the equality with alternating offers are in ``tests/property/test_multilateral_property.py``.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest
from numpy.typing import NDArray

from sim.core.bargaining import BargainingError, alternating_offers, rotating_offers


def divisions(parties: int, steps: int) -> NDArray[np.float64]:
    """Every division of a unit pie among ``parties`` in shares that are multiples of
    ``1 / steps`` (stars and bars), one row per division."""
    rows = []
    for bars in combinations(range(steps + parties - 1), parties - 1):
        edges = (-1, *bars, steps + parties - 1)
        rows.append([edges[k + 1] - edges[k] - 1 for k in range(parties)])
    return np.array(rows, dtype=np.float64) / steps


def horizon_error(delta: float, parties: int, periods_left: int) -> float:
    """``|a(t) - x*|`` for the proposer of a period with ``periods_left = T - t``, pie continuous.

    Derivation. Write ``a(t)`` for the proposer's share in ``t`` when every responder gets
    exactly its continuation: ``Σ_{k<n} δ^k a(t + k) = 1`` for ``t <= T`` with ``a(s) = 0`` for
    ``s > T``. Subtracting the equation at ``t + 1`` times ``δ`` gives
    ``a(t) = (1 - δ) + δ^n a(t + n)`` for ``t < T``; iterating ``M = ceil((T - t) / n)`` times
    reaches ``t + M n`` in ``[T, T + n)``, where ``a`` is 1 (at ``T``) or 0, so
    ``a(t) - x* = δ^{M n} (a(t + M n) - x*)``, at most ``δ^{M n}`` in absolute value.
    """
    return delta ** (parties * math.ceil(periods_left / parties))


def grid_error(delta: float, parties: int, step: float) -> float:
    """Extra error of the proposer's share on a grid of step ``h``.

    Derivation. A responder accepts its continuation ``δ V_j(t + 1)`` rounded up to the grid
    (``ACCEPT_TOL`` aside), so the responder proposing ``k`` periods later gets
    ``δ^k a(t + k)`` plus at most ``h (1 + δ + ... + δ^{k-1})``; summed over ``k = 1..n-1``
    these excesses ``η(t)`` lie in ``[-1e-11, H)`` with ``H = h Σ_k (1 - δ^k) / (1 - δ)``.
    The recursion above becomes ``a(t) = (1 - δ) - η(t) + δ η(t + 1) + δ^n a(t + n)``, so the
    grid adds at most ``H / (1 - δ^n)`` to the horizon error.
    """
    excess = step * sum((1 - delta**k) / (1 - delta) for k in range(1, parties))
    return excess / (1 - delta**parties) + 1e-10


@pytest.mark.parametrize(
    ("parties", "steps", "delta", "horizon"),
    [(3, 240, 0.8, 60), (3, 240, 0.6, 30), (4, 60, 0.5, 24), (5, 40, 0.4, 24)],
)
def test_unanimity_split(parties: int, steps: int, delta: float, horizon: int) -> None:
    shares = divisions(parties, steps)
    assert len(shares) == math.comb(steps + parties - 1, parties - 1)
    step = 1.0 / steps
    # Immediate agreement in every period needs (n - 1) h <= 1 - δ (see grid_error).
    assert (parties - 1) * step <= 1 - delta
    order = list(range(parties))[::-1]  # the last party proposes first
    result = rotating_offers(
        shares,
        np.arange(len(shares)),
        list(range(parties)),
        np.zeros((horizon + 1, parties)),
        np.full(parties, delta),
        order=order,
    )
    assert result.agreement_period == 0
    assert all(period.agreed for period in result.path)
    assert [p.proposer for p in result.path[: parties + 1]] == [*order, order[0]]
    assert result.utilities is not None
    stationary = (1 - delta) / (1 - delta**parties)
    grid = grid_error(delta, parties, step)
    for k, party in enumerate(order):
        # The responder proposing k periods later gets δ^k times the proposer's share in k,
        # plus its grid rounding h (1 + ... + δ^{k-1}).
        bound = delta**k * (horizon_error(delta, parties, horizon - k) + grid)
        bound += step * (1 - delta**k) / (1 - delta)
        assert abs(result.utilities[party] - delta**k * stationary) <= bound, (k, party)
    # The bound is tight enough to tell every party's share from the next one's.
    assert grid + horizon_error(delta, parties, horizon) < stationary * (1 - delta) / 2
    assert sum(result.utilities) == pytest.approx(1.0, abs=1e-12)


def test_closed_form_of_the_finite_horizon() -> None:
    """The horizon bound is exact on the continuous pie: check it by iterating the recursion."""
    for parties, delta, horizon in [(3, 0.9, 20), (4, 0.5, 9), (2, 0.8, 7)]:
        share = [0.0] * (horizon + parties + 1)
        for t in range(horizon, -1, -1):
            share[t] = 1 - sum(delta**k * share[t + k] for k in range(1, parties))
        stationary = (1 - delta) / (1 - delta**parties)
        for t in range(horizon + 1):
            bound = horizon_error(delta, parties, horizon - t)
            assert abs(share[t] - stationary) <= bound * max(stationary, 1 - stationary) + 1e-12
            if (horizon - t) % parties == 0:  # the bound is attained
                assert share[t] - stationary == pytest.approx(bound * (1 - stationary))


def test_two_parties_is_alternating_offers() -> None:
    x = np.linspace(0.0, 1.0, 101)
    utilities = np.stack([x, 1 - x, 1 - np.abs(x - 0.3)], axis=1)
    flows = np.array([[0.2, 0.3], [0.25, 0.3], [0.3, 0.2], [0.1, 0.5]])
    for veto in ([0, 1], [1, 0]):
        expected = alternating_offers(utilities, np.arange(101), veto, flows, [0.8, 0.6])
        got = rotating_offers(utilities, np.arange(101), veto, flows, [0.8, 0.6])
        assert got.protocol == "rotating"
        assert (got.agreement_period, got.bundle, got.utilities, got.path) == (
            expected.agreement_period,
            expected.bundle,
            expected.utilities,
            expected.path,
        )


def test_ties_go_to_the_responders_total_then_the_lowest_index() -> None:
    """One period, three parties, every responder accepts anything: the proposer 0 is
    indifferent among bundles 5, 8 and 2; 8 and 2 give the responders 0.9 in all."""
    utilities = np.array(
        [
            [0.7, 0.4, 0.4],  # bundle 5: responders' total 0.8
            [0.7, 0.6, 0.3],  # bundle 8: 0.9
            [0.7, 0.1, 0.8],  # bundle 2: 0.9
            [0.6, 1.0, 1.0],  # bundle 1: the proposer likes it less
        ]
    )
    result = rotating_offers(
        utilities, np.array([5, 8, 2, 1]), [0, 1, 2], np.zeros((1, 3)), [0.9, 0.9, 0.9]
    )
    assert (result.agreement_period, result.bundle) == (0, 2)


def test_a_proposer_that_prefers_to_wait() -> None:
    """Party 2's war flow 0.8 exceeds all it can get: nobody settles while 2 can refuse.

    Responders' demands in the last period are their war flows; no candidate meets party 2's
    0.8 but bundle 0, which party 0 rejects (0.1 < 0.5): war to the horizon.
    """
    utilities = np.array([[0.1, 0.9, 0.85], [0.6, 0.6, 0.3]])
    flows = np.array([[0.5, 0.5, 0.8]] * 3)
    result = rotating_offers(utilities, np.arange(2), [0, 1, 2], flows, [0.9, 0.9, 0.9])
    assert (result.agreement_period, result.bundle, result.utilities) == (None, None, None)
    assert [p.agreed for p in result.path] == [False, False, False]
    np.testing.assert_allclose(result.values(), flows, atol=1e-12)


@pytest.mark.parametrize(
    ("veto", "order", "message"),
    [
        ([0], None, "at least 2 veto parties"),
        ([0, 1, 2], [0, 3], "proposer order must name veto parties"),
        ([0, 1, 2], [], "proposer order must name veto parties"),
    ],
)
def test_bad_input(veto: list[int], order: list[int] | None, message: str) -> None:
    utilities = np.zeros((2, 4))
    with pytest.raises(BargainingError, match=message):
        rotating_offers(
            utilities, np.arange(2), veto, np.zeros((2, len(veto))), [0.9] * len(veto), order
        )

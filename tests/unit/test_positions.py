"""The positions game against a direct construction from its definition."""

from __future__ import annotations

import numpy as np

from sim.games.positions import demand_levels, positions_game
from sim.games.verify import is_equilibrium


def test_split_positions_by_hand() -> None:
    # a split of a unit pie on a grid; reservations 0.2 and 0.3
    x = np.linspace(0, 1, 11)
    utilities = np.stack([x, 1 - x], axis=1)
    keep = (utilities[:, 0] >= 0.2 - 1e-12) & (utilities[:, 1] >= 0.3 - 1e-12)
    game, settled = positions_game(
        ("p", "q"), utilities[keep], np.flatnonzero(keep), np.array([0.2, 0.3]), None
    )
    a, b = game.payoffs
    levels_p = demand_levels(utilities[keep, 0], 3)
    levels_q = demand_levels(utilities[keep, 1], 3)
    # inverted-CDF quantiles of {0.2, ..., 0.7} at 1, 1/2, 0 and of {0.3, ..., 0.8}
    np.testing.assert_allclose(levels_p, [0.7, 0.4, 0.2])
    np.testing.assert_allclose(levels_q, [0.8, 0.5, 0.3])
    for r, dp in enumerate(levels_p):
        for c, dq in enumerate(levels_q):
            compatible = dp + dq <= 1 + 1e-12
            if compatible:
                # without a mediator, the settlement maximises the sum of gains: all tie on a
                # split, so the lowest bundle index (smallest x) meeting both demands
                meets = [i for i in np.flatnonzero(keep) if x[i] >= dp - 1e-12]
                expected = min(i for i in meets if 1 - x[i] >= dq - 1e-12)
                assert settled[r, c] == expected
                assert a[r, c] == x[expected]
            else:
                assert settled[r, c] == -1
                assert (a[r, c], b[r, c]) == (0.2, 0.3)
    for e in game.solution.equilibria:
        assert is_equilibrium(a, b, e.strategies[0], e.strategies[1], 1e-9)


def test_no_acceptable_bundle_means_war() -> None:
    game, settled = positions_game(
        ("p", "q"), np.empty((0, 2)), np.empty(0, dtype=np.int64), np.array([0.4, 0.5]), None
    )
    assert settled.tolist() == [[-1]]
    (e,) = game.solution.equilibria
    assert e.payoffs == (0.4, 0.5)

"""The positions game: each veto side picks how much it demands, from hard-line to conciliatory.

Position ``k`` of a side is a demand level: quantile ``1 - k / (K - 1)`` of its utilities
over the acceptable bundles (the hard line demands its best acceptable utility, the most
conciliatory position the least it would accept). When both demands can be met by some
acceptable bundle, the sides settle on the mediated bundle among those (the mediator's
favourite; without a mediator, the one maximising the sum of the sides' gains), else the
war goes on and each gets its reservation value.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.distinct import distinct_values
from sim.core.solutions import best_row
from sim.games.game import SolvedGame, solve_game

LABELS = {2: ("hard-line", "conciliatory"), 3: ("hard-line", "middle", "conciliatory")}


def demand_levels(utilities: NDArray[np.float64], positions: int) -> NDArray[np.float64]:
    """Distinct demand levels, from the highest to the lowest acceptable utility.

    Examples
    --------
    >>> demand_levels(np.array([0.2, 0.4, 0.6, 0.8, 1.0]), 3).tolist()
    [1.0, 0.6, 0.2]
    >>> demand_levels(np.array([0.5, 0.5]), 3).tolist()
    [0.5]
    """
    quantiles = np.linspace(1.0, 0.0, positions)
    levels = np.quantile(utilities, quantiles, method="inverted_cdf")
    # sums equal but for float noise are one level
    return distinct_values(np.round(levels, 12))[::-1]


def positions_game(
    players: tuple[str, str],
    utilities: NDArray[np.float64],
    indices: NDArray[np.int64],
    reservation: NDArray[np.float64],
    mediator_utility: NDArray[np.float64] | None,
    positions: int = 3,
    tol: float = 1e-12,
) -> tuple[SolvedGame, NDArray[np.int64]]:
    """Build and solve the game over the acceptable bundles given.

    Parameters
    ----------
    utilities
        ``(n, 2)`` the two sides' utilities of each acceptable bundle.
    indices
        ``(n,)`` their bundle indices (ties go to the lowest).
    reservation
        ``(2,)`` the sides' war payoffs.
    mediator_utility
        ``(n,)`` or None.

    Returns
    -------
    The solved game and, per cell, the settled bundle index (-1 for war).
    """
    if utilities.shape[0] == 0:
        a = np.array([[reservation[0]]])
        b = np.array([[reservation[1]]])
        game = solve_game(
            "positions",
            players,
            (("any",), ("any",)),
            a,
            b,
            note="no acceptable bundle: every position leads to war",
        )
        return game, np.array([[-1]], dtype=np.int64)
    levels = [demand_levels(utilities[:, s], positions) for s in (0, 1)]
    gains = utilities - reservation
    score = mediator_utility if mediator_utility is not None else gains.sum(axis=1)
    rows, cols = len(levels[0]), len(levels[1])
    a, b = np.empty((rows, cols)), np.empty((rows, cols))
    settled = np.full((rows, cols), -1, dtype=np.int64)
    for r, d0 in enumerate(levels[0]):
        for c, d1 in enumerate(levels[1]):
            meets = (utilities[:, 0] >= d0 - tol) & (utilities[:, 1] >= d1 - tol)
            pick = best_row(score, indices, meets, tol)
            if pick is None:
                a[r, c], b[r, c] = reservation
                continue
            settled[r, c] = indices[pick]
            a[r, c], b[r, c] = utilities[pick]
    labels = tuple(_labels(level) for level in levels)
    game = solve_game("positions", players, (labels[0], labels[1]), a, b)
    return game, settled


def _labels(levels: NDArray[np.float64]) -> tuple[str, ...]:
    names = LABELS.get(len(levels), tuple(f"demand_{i}" for i in range(len(levels))))
    return tuple(f"{name} (>= {level:.3f})" for name, level in zip(names, levels, strict=True))

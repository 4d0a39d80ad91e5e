"""The positions game: each veto party picks how much it demands, from hard-line to conciliatory.

The players are the veto parties, two or more. Position ``k`` of a party is a demand level:
quantile ``1 - k / (K - 1)`` of its utilities over the acceptable bundles (the hard line
demands its best acceptable utility, the most conciliatory position the least it would
accept). When some acceptable bundle meets every demand, the parties settle on the mediated
bundle among those (the mediator's favourite; without a mediator, the one maximising the sum
of the parties' gains over their reservations; ties to the lowest bundle index), else the war
goes on and each gets its reservation value. Equilibria: :func:`sim.games.game.solve_game`
(two players: every extreme equilibrium; more: pure exactly, mixed by support enumeration).
"""

from __future__ import annotations

from itertools import product

import numpy as np
from numpy.typing import NDArray

from sim.core.distinct import distinct_values
from sim.core.solutions import best_row
from sim.games.budget import GameTooLargeError, profiles_refusal
from sim.games.game import Game, SolvedGame, solve_game

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


def positions_payoffs(
    utilities: NDArray[np.float64],
    indices: NDArray[np.int64],
    reservation: NDArray[np.float64],
    mediator_utility: NDArray[np.float64] | None,
    positions: int = 3,
    tol: float = 1e-12,
) -> tuple[list[NDArray[np.float64]], NDArray[np.float64], NDArray[np.int64]]:
    """Each player's demand levels, the ``(n, K_1, ..., K_n)`` payoffs and the settled bundle
    per cell (-1 for war), over the acceptable bundles given (``utilities`` is ``(m, n)``).

    Raises
    ------
    GameTooLargeError
        The game has more strategy profiles than ``$SIM_MAX_PROFILES`` (checked before any
        payoff is computed).

    Examples
    --------
    Three parties, two acceptable bundles; both hard lines at once cannot be met.

    >>> u = np.array([[0.9, 0.5, 0.6], [0.5, 0.9, 0.6]])
    >>> levels, payoffs, settled = positions_payoffs(u, np.array([4, 7]), np.zeros(3), None, 2)
    >>> [x.tolist() for x in levels]
    [[0.9, 0.5], [0.9, 0.5], [0.6]]
    >>> settled[:, :, 0].tolist()
    [[-1, 4], [7, 4]]
    """
    n = utilities.shape[1]
    levels = [demand_levels(utilities[:, k], positions) for k in range(n)]
    too_large = profiles_refusal(tuple(len(level) for level in levels), "the positions game")
    if too_large:
        raise GameTooLargeError(too_large)
    score = mediator_utility if mediator_utility is not None else (utilities - reservation).sum(1)
    shape = tuple(len(level) for level in levels)
    cells = int(np.prod(shape))
    payoffs = np.empty((n, cells))
    settled = np.full(cells, -1, dtype=np.int64)
    # meets[k][j] marks the bundles that meet player k's demand level j
    meets = [utilities[:, k][None, :] >= level[:, None] - tol for k, level in enumerate(levels)]
    for flat, cell in enumerate(product(*[range(size) for size in shape])):  # C order
        allowed = meets[0][cell[0]].copy()
        for k in range(1, n):
            allowed &= meets[k][cell[k]]
        pick = best_row(score, indices, allowed, tol)
        if pick is None:
            payoffs[:, flat] = reservation
        else:
            settled[flat] = indices[pick]
            payoffs[:, flat] = utilities[pick]
    return levels, payoffs.reshape(n, *shape), settled.reshape(shape)


def positions_game(
    players: tuple[str, ...],
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
    players
        The ``n`` veto parties' names.
    utilities
        ``(m, n)`` their utilities of each acceptable bundle.
    indices
        ``(m,)`` the bundles' indices (ties go to the lowest).
    reservation
        ``(n,)`` the parties' war payoffs.
    mediator_utility
        ``(m,)`` or None.

    Returns
    -------
    The solved game and, per cell, the settled bundle index (-1 for war).
    """
    n = len(players)
    if utilities.ndim != 2 or utilities.shape[1] != n or reservation.shape != (n,):
        raise ValueError(f"positions game: utilities must be (m, {n}), reservation ({n},)")
    if utilities.shape[0] == 0:
        payoffs = np.asarray(reservation, dtype=np.float64).reshape(n, *(1,) * n)
        game = Game("positions", players, (("any",),) * n, payoffs)
        note = "no acceptable bundle: every position leads to war"
        return solve_game(game, note=note), np.full((1,) * n, -1, dtype=np.int64)
    levels, payoffs, settled = positions_payoffs(
        utilities, indices, reservation, mediator_utility, positions, tol
    )
    labels = tuple(position_labels(level) for level in levels)
    return solve_game(Game("positions", players, labels, payoffs)), settled


def position_labels(levels: NDArray[np.float64]) -> tuple[str, ...]:
    """Position names with their demand levels."""
    names = LABELS.get(len(levels), tuple(f"demand_{i}" for i in range(len(levels))))
    return tuple(f"{name} (>= {level:.3f})" for name, level in zip(names, levels, strict=True))

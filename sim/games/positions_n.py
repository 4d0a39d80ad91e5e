"""The positions game among any number of veto parties: how much does each demand?

The game of :mod:`sim.games.positions` with ``n`` players: player ``k``'s position is a demand
level, from its best acceptable utility (hard line) down to the least it would accept
(:func:`sim.games.positions.demand_levels`). When some acceptable bundle meets every demand,
the parties settle on the mediator's favourite among those (without a mediator, the one
maximising the sum of the parties' gains over their reservations; ties to the lowest bundle
index), else the war goes on and each gets its reservation value. With two players the
payoffs are those of :func:`sim.games.positions.positions_game`. Equilibria:
:func:`sim.games.nplayer.solve_nplayer` (pure exactly; mixed by the method stated there).
"""

from __future__ import annotations

from itertools import product

import numpy as np
from numpy.typing import NDArray

from sim.core.solutions import best_row
from sim.games.budget import GameTooLargeError, profiles_refusal
from sim.games.nplayer import NPlayerGame, SolvedNPlayerGame, solve_nplayer
from sim.games.positions import LABELS, demand_levels


def positions_payoffs_n(
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
    >>> levels, payoffs, settled = positions_payoffs_n(u, np.array([4, 7]), np.zeros(3), None, 2)
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


def positions_game_n(
    players: tuple[str, ...],
    utilities: NDArray[np.float64],
    indices: NDArray[np.int64],
    reservation: NDArray[np.float64],
    mediator_utility: NDArray[np.float64] | None,
    positions: int = 3,
    tol: float = 1e-12,
) -> tuple[SolvedNPlayerGame, NDArray[np.int64]]:
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
        game = NPlayerGame("positions", players, (("any",),) * n, payoffs)
        solved = SolvedNPlayerGame(
            game, solve_nplayer(game), None, "no acceptable bundle: every position leads to war"
        )
        return solved, np.full((1,) * n, -1, dtype=np.int64)
    levels, payoffs, settled = positions_payoffs_n(
        utilities, indices, reservation, mediator_utility, positions, tol
    )
    labels = tuple(_labels(level) for level in levels)
    game = NPlayerGame("positions", players, labels, payoffs)
    return SolvedNPlayerGame(game, solve_nplayer(game)), settled


def _labels(levels: NDArray[np.float64]) -> tuple[str, ...]:
    """Position names with their demand, as in the two-player game."""
    names = LABELS.get(len(levels), tuple(f"demand_{i}" for i in range(len(levels))))
    return tuple(f"{name} (>= {level:.3f})" for name, level in zip(names, levels, strict=True))

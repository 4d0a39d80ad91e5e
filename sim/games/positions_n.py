"""The positions game among any number of veto parties: how much does each demand?

The game of :mod:`sim.games.positions` with ``n`` players: player ``k``'s position is a demand
level, from its best acceptable utility (hard line) down to the least it would accept
(:func:`sim.games.positions.demand_levels`). When some acceptable bundle meets every demand,
the parties settle on the mediator's favourite among those (without a mediator, the one
maximising the sum of the parties' gains over their reservations; ties to the lowest bundle
index), else the war goes on and each gets its reservation value. With two players the
payoffs are those of :func:`sim.games.positions.positions_game` (one builder,
:func:`sim.games.positions.positions_payoffs`). Equilibria:
:func:`sim.games.game.solve_game` (pure exactly; mixed by the method stated there).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.games.game import Game, SolvedGame, solve_game
from sim.games.positions import position_labels, positions_payoffs


def positions_game_n(
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

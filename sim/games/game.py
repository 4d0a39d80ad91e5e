"""A two-player game in normal form, solved: labels, payoffs and every extreme equilibrium."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.games.equilibria import EquilibriumSet, all_equilibria


@dataclass(frozen=True, eq=False)
class SolvedGame:
    """A bimatrix game with its labelled strategies and all its extreme equilibria.

    ``payoffs[p][r, c]`` is player ``p``'s payoff when the row player plays ``r`` and the
    column player ``c`` (SPEC §5).
    """

    name: str
    players: tuple[str, str]
    strategies: tuple[tuple[str, ...], tuple[str, ...]]
    payoffs: tuple[NDArray[np.float64], NDArray[np.float64]]
    solution: EquilibriumSet
    bundle: int | None = None
    note: str = ""


def solve_game(
    name: str,
    players: tuple[str, str],
    strategies: tuple[tuple[str, ...], tuple[str, ...]],
    row_payoffs: NDArray[np.float64],
    column_payoffs: NDArray[np.float64],
    *,
    bundle: int | None = None,
    note: str = "",
    tol: float = 1e-9,
) -> SolvedGame:
    """Build and solve a game (vertex enumeration after dominance elimination)."""
    a = np.asarray(row_payoffs, dtype=np.float64)
    b = np.asarray(column_payoffs, dtype=np.float64)
    solution = all_equilibria(a, b, tol=tol, eliminate_dominated=True)
    return SolvedGame(name, players, strategies, (a, b), solution, bundle, note)


def pure_profile(game: SolvedGame, row: int, column: int, tol: float = 1e-9) -> bool:
    """Whether the game's only equilibrium is the pure profile (row, column)."""
    equilibria = game.solution.equilibria
    if len(equilibria) != 1:
        return False
    x, y = equilibria[0].strategies
    return bool(x[row] >= 1.0 - tol and y[column] >= 1.0 - tol)


def is_pure_equilibrium(game: SolvedGame, row: int, column: int, tol: float = 1e-9) -> bool:
    """Whether the pure profile (row, column) is an equilibrium (no profitable deviation)."""
    a, b = game.payoffs
    return bool(a[row, column] >= a[:, column].max() - tol and b[row, column] >= b[row].max() - tol)

"""An optional second opinion: the same games solved by nashpy's vertex enumeration.

nashpy's ``vertex_enumeration`` always terminates (it enumerates polytope vertices with
scipy's half-space intersection) but compares labels with loose float tolerances and cannot
handle a player with a single strategy; its answer is reported next to ours, never used in
its place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.games.game import Solution


@dataclass(frozen=True)
class CrossCheck:
    """What nashpy found: its equilibria count, whether the sets agree, or why it could not run."""

    method: str
    equilibria: int | None
    agrees: bool | None
    error: str | None = None


def nashpy_cross_check(
    row_payoffs: NDArray[np.float64],
    column_payoffs: NDArray[np.float64],
    ours: Solution,
    tol: float = 1e-6,
) -> CrossCheck:
    """Solve with ``nashpy.Game.vertex_enumeration`` and compare equilibrium sets within ``tol``."""
    import nashpy  # imported here: a second opinion is asked for rarely, and nashpy loads scipy

    method = "nashpy.vertex_enumeration"
    if min(row_payoffs.shape) < 2:
        return CrossCheck(method, None, None, "nashpy needs at least two strategies a player")
    try:
        theirs = [
            np.concatenate([np.asarray(x, float), np.asarray(y, float)])
            for x, y in nashpy.Game(row_payoffs, column_payoffs).vertex_enumeration()
        ]
    except Exception as error:  # a failure of the second opinion is reported, not raised
        return CrossCheck(method, None, None, f"{type(error).__name__}: {error}")
    mine = [np.concatenate(e.strategies) for e in ours.equilibria]
    unique: list[NDArray[np.float64]] = []
    for profile in theirs:
        if not any(np.allclose(profile, u, atol=tol) for u in unique):
            unique.append(profile)
    agrees = len(unique) == len(mine) and all(
        any(np.allclose(m, t, atol=tol) for t in unique) for m in mine
    )
    return CrossCheck(method, len(unique), agrees)

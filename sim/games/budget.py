"""How much work a game may take, estimated before the work starts (see docs/reliability.md).

* ``SIM_MAX_VERTEX_SYSTEMS`` (default 5,000,000): square subsystems vertex enumeration of a
  two-player game solves, ``C(m + n, m)`` for an ``m x n`` game after dominated strategies
  are removed (von Stengel 2007, §3.5: one per pair of label sets of equal size). 12 x 12 is
  2.7 million; 16 x 16 would be 601 million. Beyond it the game is refused
  (:class:`GameTooLargeError`).
* ``SIM_MAX_PROFILES`` (default 200,000): strategy profiles (cells) of a game of three or more
  players that the analysis builds (3 positions each: 11 players). Beyond it the game is not
  built, and the scenario's output says so.
* ``SIM_MAX_CHECK_CELLS`` (default 100,000,000): payoff cells read to verify equilibria
  (each equilibrium of an ``n``-player game with ``c`` profiles reads ``n c``). Beyond it only
  the first equilibria within it are listed and checked, and the result says how many were
  left out.
"""

from __future__ import annotations

import math

from sim.budgets import env_limit
from sim.errors import SimError

MAX_VERTEX_SYSTEMS = 5_000_000
MAX_PROFILES = 200_000
MAX_CHECK_CELLS = 100_000_000


class GameTooLargeError(SimError):
    """A game whose exact solution would exceed its budget (the message says how to raise it)."""


def vertex_systems(rows: int, columns: int) -> int:
    """Square subsystems vertex enumeration solves for an ``rows x columns`` game.

    Examples
    --------
    >>> vertex_systems(12, 12), vertex_systems(16, 16)
    (2704156, 601080390)
    """
    return math.comb(rows + columns, rows)


def check_vertex_systems(rows: int, columns: int) -> None:
    """Refuse a two-player game too large for vertex enumeration.

    Raises
    ------
    GameTooLargeError
        ``C(rows + columns, rows)`` exceeds ``$SIM_MAX_VERTEX_SYSTEMS``.
    """
    allowed = env_limit("SIM_MAX_VERTEX_SYSTEMS", MAX_VERTEX_SYSTEMS)
    needed = vertex_systems(rows, columns)
    if needed > allowed:
        raise GameTooLargeError(
            f"a {rows} x {columns} game (after removing dominated strategies): vertex "
            f"enumeration would solve {needed:,} linear systems, more than the limit of "
            f"{allowed:,} (raise it with $SIM_MAX_VERTEX_SYSTEMS)"
        )


def profiles_refusal(shape: tuple[int, ...], what: str) -> str:
    """Why a game of this shape is not built ("" when it fits ``$SIM_MAX_PROFILES``)."""
    allowed = env_limit("SIM_MAX_PROFILES", MAX_PROFILES)
    cells = math.prod(shape)
    if cells <= allowed:
        return ""
    return (
        f"{what}: {len(shape)} players with {' x '.join(map(str, shape))} = "
        f"{cells:,} strategy profiles, more than the limit of {allowed:,} "
        "(raise it with $SIM_MAX_PROFILES)"
    )


def checkable(candidates: int, players: int, cells: int) -> int:
    """How many of ``candidates`` equilibria fit ``$SIM_MAX_CHECK_CELLS`` (at least one)."""
    allowed = env_limit("SIM_MAX_CHECK_CELLS", MAX_CHECK_CELLS)
    return max(1, min(candidates, allowed // max(1, players * cells)))

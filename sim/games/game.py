"""Games in normal form, of any number of players: the one game type and its one solver.

``payoffs[i][s_1, ..., s_n]`` is player ``i``'s payoff when each player ``k`` plays its pure
strategy ``s_k``: an array of shape ``(n, s_1, ..., s_n)`` (two players: ``payoffs[p][r, c]``,
the row player first, SPEC §5).

- Pure equilibria are enumerated exactly for any ``n`` (:func:`pure_equilibria`).
- Mixed equilibria (:func:`solve_game`): for two players every extreme equilibrium by
  vertex enumeration after iterated strict dominance
  (:func:`sim.games.equilibria.all_equilibria`), complete; for three or more players support
  enumeration (:mod:`sim.games.support`), which states whether it is complete and, where it is
  not, what was not computed and why.
- Every equilibrium reported is checked by :func:`verify_profile`, a best-response (regret)
  test that shares no code with the solvers (Nash 1951).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.games.budget import checkable
from sim.games.equilibria import all_equilibria
from sim.games.verify import verify_profile


@dataclass(frozen=True, eq=False)
class Game:
    """A game in normal form: ``payoffs`` of shape ``(n, s_1, ..., s_n)``.

    Raises
    ------
    ValueError
        If the labels do not match the payoff array's shape or a payoff is not finite.
    """

    name: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: NDArray[np.float64]

    def __post_init__(self) -> None:
        n = len(self.players)
        shape = tuple(len(labels) for labels in self.strategies)
        if n < 1 or len(self.strategies) != n or self.payoffs.shape != (n, *shape):
            raise ValueError(
                f"game {self.name!r}: payoffs of shape {self.payoffs.shape} do not match "
                f"{n} players with {shape} strategies"
            )
        if min(shape) < 1 or not np.isfinite(self.payoffs).all():
            raise ValueError(f"game {self.name!r}: every player needs a strategy; finite payoffs")


@dataclass(frozen=True, eq=False)
class MixedProfile:
    """A Nash equilibrium: one probability vector per player, expected payoffs, check.

    ``regret`` is the largest gain any player gets by deviating to a pure strategy, from
    :func:`verify_profile`; ``verified`` is ``regret <= tol`` of the solution.
    """

    strategies: tuple[NDArray[np.float64], ...]
    payoffs: tuple[float, ...]
    regret: float
    verified: bool

    @property
    def pure(self) -> tuple[int, ...] | None:
        """The pure profile, if every player puts probability one on one strategy."""
        picks = [int(np.argmax(s)) for s in self.strategies]
        if all(s[k] >= 1.0 - 1e-9 for s, k in zip(self.strategies, picks, strict=True)):
            return tuple(picks)
        return None


@dataclass(frozen=True, eq=False)
class Solution:
    """The equilibria of a game, how they were found, and whether the list is complete.

    Attributes
    ----------
    pure
        Every pure equilibrium (exact for any number of players).
    equilibria
        Every equilibrium found, pure ones included, each verified.
    method
        ``"vertex_enumeration"`` (two players) or ``"support_enumeration"``.
    complete
        Whether ``equilibria`` is every equilibrium (two players: every extreme equilibrium).
    not_computed
        Empty when complete; else what was not computed and why.
    tol
        Absolute payoff tolerance of the best-response check.
    eliminated
        Per player, the strategies removed as strictly dominated before solving (two
        players; none otherwise).
    degenerate
        Two players: whether the game left after elimination is degenerate (its equilibria
        may form continua, whose extreme points are listed); None with more players.
    """

    pure: tuple[tuple[int, ...], ...]
    equilibria: tuple[MixedProfile, ...]
    method: str
    complete: bool
    not_computed: str
    tol: float
    eliminated: tuple[tuple[int, ...], ...] = ()
    degenerate: bool | None = None

    def only(self, profile: tuple[int, ...]) -> bool:
        """Whether the pure ``profile`` is the game's only equilibrium."""
        return len(self.equilibria) == 1 and self.equilibria[0].pure == profile


@dataclass(frozen=True, eq=False)
class SolvedGame:
    """A game with its solution; ``bundle`` is the agreed bundle it is about, if any."""

    game: Game
    solution: Solution
    bundle: int | None = None
    note: str = ""

    @property
    def name(self) -> str:
        return self.game.name

    @property
    def players(self) -> tuple[str, ...]:
        return self.game.players

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        return self.game.strategies

    @property
    def payoffs(self) -> NDArray[np.float64]:
        return self.game.payoffs


def pure_equilibria(payoffs: ArrayLike, tol: float = 1e-9) -> list[tuple[int, ...]]:
    """Every pure Nash equilibrium, in lexicographic order.

    A profile is an equilibrium when each player's payoff there is within ``tol`` of the
    maximum over its own axis (its best deviation), for all players at once.

    Examples
    --------
    Three players who each want to match the majority: all-0 and all-1.

    >>> s = np.indices((2, 2, 2))
    >>> majority = (s.sum(axis=0) >= 2).astype(float)
    >>> u = np.stack([np.where(s[i] == majority, 1.0, 0.0) for i in range(3)])
    >>> pure_equilibria(u)
    [(0, 0, 0), (1, 1, 1)]
    """
    u = np.asarray(payoffs, dtype=np.float64)
    best = np.ones(u.shape[1:], dtype=np.bool_)
    for i in range(u.shape[0]):
        best &= u[i] >= u[i].max(axis=i, keepdims=True) - tol
    return [tuple(int(k) for k in row) for row in np.argwhere(best)]


def expected_payoffs(payoffs: ArrayLike, profile: Sequence[ArrayLike]) -> NDArray[np.float64]:
    """``(n,)`` expected payoff of each player under a mixed profile."""
    u = np.asarray(payoffs, dtype=np.float64)
    value = u
    for k in range(len(profile) - 1, -1, -1):  # contract the last player's axis first
        value = value @ np.asarray(profile[k], dtype=np.float64)
    return np.asarray(value, dtype=np.float64)


def payoff_tolerance(payoffs: NDArray[np.float64], tol: float) -> float:
    """``tol`` in payoff units: scaled by the largest absolute payoff (at least 1)."""
    return tol * max(1.0, float(np.abs(payoffs).max()))


def solve_game(
    game: Game, *, bundle: int | None = None, note: str = "", tol: float = 1e-9
) -> SolvedGame:
    """Every equilibrium of ``game`` the methods can find, and whether that is all of them.

    The one solver entry, whatever the number of players. Pure equilibria exactly. Two
    players: every extreme equilibrium by vertex enumeration after iterated strict dominance
    (:func:`sim.games.equilibria.all_equilibria`), complete. Three or more: support
    enumeration (:func:`sim.games.support.support_enumeration`), which says what it did not
    compute. Each equilibrium is checked by :func:`verify_profile`.

    Examples
    --------
    >>> u = np.array([[[3.0, 0.0], [0.0, 2.0]], [[2.0, 0.0], [0.0, 3.0]]])
    >>> game = Game("sexes", ("a", "b"), (("x", "y"), ("x", "y")), u)
    >>> solution = solve_game(game).solution
    >>> solution.pure, len(solution.equilibria), solution.complete, solution.degenerate
    (((0, 0), (1, 1)), 3, True, False)
    """
    return SolvedGame(game, _solve(game, tol), bundle, note)


def _solve(game: Game, tol: float) -> Solution:
    u = game.payoffs
    payoff_tol = payoff_tolerance(u, tol)
    pure = tuple(pure_equilibria(u, payoff_tol))
    if u.shape[0] == 1:
        return collect_equilibria(u, pure, [], "pure_enumeration", True, "", payoff_tol)
    if u.shape[0] == 2:
        found = all_equilibria(u[0], u[1], tol=tol, eliminate_dominated=True)
        equilibria = tuple(
            MixedProfile(e.strategies, e.payoffs, e.regret, e.verified) for e in found.equilibria
        )
        rows, columns = found.eliminated
        return Solution(
            pure,
            equilibria,
            found.method,
            True,
            "",
            found.tol,
            (tuple(int(i) for i in rows), tuple(int(i) for i in columns)),
            found.degenerate,
        )

    from sim.games.support import support_enumeration  # loads scipy's linprog: 3+ players only

    profiles, not_computed = support_enumeration(u, payoff_tol)
    return collect_equilibria(
        u, pure, profiles, "support_enumeration", not not_computed, not_computed, payoff_tol
    )


def collect_equilibria(
    u: NDArray[np.float64],
    pure: tuple[tuple[int, ...], ...],
    profiles: Sequence[Sequence[NDArray[np.float64]]],
    method: str,
    complete: bool,
    not_computed: str,
    payoff_tol: float,
) -> Solution:
    """Pure equilibria first, then the others found, each checked by :func:`verify_profile`
    and listed once."""
    checked = checkable(len(pure) + len(profiles), u.shape[0], u[0].size)
    if checked < len(pure) + len(profiles):
        left_out = (
            f"{len(pure) + len(profiles):,} equilibria found ({len(pure):,} pure); only the "
            f"first {checked:,} are listed and checked, within the limit of payoff cells read "
            "(raise it with $SIM_MAX_CHECK_CELLS)"
        )
        not_computed = f"{not_computed}; {left_out}" if not_computed else left_out
        complete = False
    candidates: list[list[NDArray[np.float64]]] = []
    for cell in pure[:checked]:
        candidates.append([np.eye(size)[k] for size, k in zip(u.shape[1:], cell, strict=True)])
    candidates.extend(
        [np.asarray(p, dtype=np.float64) for p in profile]
        for profile in profiles[: checked - len(candidates)]
    )
    kept: list[MixedProfile] = []
    distinct = min(len(pure), checked)  # pure profiles are distinct cells: no need to compare
    for position, candidate in enumerate(candidates):
        flat = np.concatenate(candidate)
        if position >= distinct and any(
            np.abs(flat - np.concatenate(k.strategies)).max() <= 1e-7 for k in kept
        ):
            continue
        regret = verify_profile(u, candidate, payoff_tol)
        for p in candidate:
            p.setflags(write=False)
        kept.append(
            MixedProfile(
                tuple(candidate),
                tuple(expected_payoffs(u, candidate).tolist()),
                regret,
                regret <= payoff_tol,
            )
        )
    return Solution(pure, tuple(kept), method, complete, not_computed, payoff_tol)

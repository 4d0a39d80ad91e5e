"""The compliance game: once a bundle is agreed, does each veto party keep it?

Each of the ``n`` parties (two: the war sides; more: every veto party) complies or violates.
Player ``i``'s payoff, with ``q`` the detection probability of the bundle's enforcement terms
and ``π_i`` the protection the bundle gives ``i``:

- everybody complies: ``agreement_i``;
- ``i`` complies, somebody else violates: ``war_i - exposure_i (1 - π_i)``;
- ``i`` is the only violator: ``war_i + gain_i - q penalty_i`` (the first-strike gain is
  earned against a deal everybody else keeps);
- ``i`` violates and so does somebody else: ``war_i - q penalty_i`` (the war resumes).

The bundle is self-enforcing when all-comply is the game's only equilibrium (cf. Fearon 1998,
"Bargaining, enforcement and international cooperation").

Equilibria. Two players: every extreme equilibrium by vertex enumeration
(:func:`sim.games.game.solve_game`). Three or more: exactly, from the game's structure.
Player ``i``'s gain from complying is ``A_i P_i + B_i (1 - P_i)`` with
``A_i = agreement_i - (war_i + gain_i - q penalty_i)``,
``B_i = q penalty_i - exposure_i (1 - π_i)`` and ``P_i`` the probability that nobody else
violates. Pure profiles are enumerated exactly. A mixing player's gain must be
zero, but it is the constant ``B_i`` when somebody violates for sure (``P_i = 0``) and
``A_i`` when it is the only mixer and nobody violates (``P_i = 1``); so when no ``A_i`` or
``B_i`` is zero, a mixed equilibrium has a set ``M`` of two or more mixers and everybody
else complies. Each mixer needs ``P_i = π*_i = B_i / (B_i - A_i)``; writing ``c_j`` for ``j``'s
probability of complying and ``P = Π_M c_j``, ``c_i = P / π*_i`` and ``P^{|M| - 1} = Π_M π*_i``:
one solution at most per ``M``, kept when every ``c_i`` is in ``(0, 1)`` and no complier gains
by violating. The list is then complete. If some ``A_i`` or ``B_i`` is zero (within
tolerance) continua of equilibria may appear: the verdict is still given when all-comply is
not an equilibrium or another equilibrium was found (not self-enforcing), and is otherwise
"not computed". Each equilibrium is checked by :func:`sim.games.verify.verify_profile`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.games.budget import GameTooLargeError
from sim.games.game import (
    Game,
    Solution,
    SolvedGame,
    collect_equilibria,
    payoff_tolerance,
    pure_equilibria,
    solve_game,
)

STRATEGIES = ("comply", "violate")

MAX_PLAYERS = 12
"""Players at most (the structured solver tries ``3^n`` splits)."""


def players_refusal(players: int) -> str:
    """Why the compliance game among ``players`` veto parties is not built ("" when it is)."""
    if players <= MAX_PLAYERS:
        return ""
    return (
        f"the compliance game: {players} players, more than {MAX_PLAYERS} (its solver tries "
        f"3^n splits of the players: {3**players:,})"
    )


@dataclass(frozen=True, eq=False)
class ComplianceModel:
    """Numeric compliance parameters of the ``n`` players (player ``k`` is party ``sides[k]``).

    ``detection_tables[k][o]`` and ``protection_tables[s][k][o]`` are the contributions of
    option ``o`` of issue ``k``.
    """

    sides: tuple[int, ...]
    gain: NDArray[np.float64]
    exposure: NDArray[np.float64]
    penalty: NDArray[np.float64]
    detection_base: float
    detection_tables: tuple[NDArray[np.float64], ...]
    protection_tables: tuple[tuple[NDArray[np.float64], ...], ...]

    def detection(self, digits: NDArray[np.int64]) -> float:
        """Probability that a violation of the bundle is detected, clipped to [0, 1]."""
        total = self.detection_base + sum(
            t[d] for t, d in zip(self.detection_tables, digits, strict=True)
        )
        return float(np.clip(total, 0.0, 1.0))

    def protection(self, side: int, digits: NDArray[np.int64]) -> float:
        """The protection the bundle gives player ``side``, clipped to [0, 1]."""
        tables = self.protection_tables[side]
        return float(np.clip(sum(t[d] for t, d in zip(tables, digits, strict=True)), 0.0, 1.0))


@dataclass(frozen=True, eq=False)
class ComplianceResult:
    """The solved game, the verdict and the detection probability.

    ``self_enforcing`` is None when it is not computed (``game.note`` says why).
    """

    game: SolvedGame
    self_enforcing: bool | None
    detection: float


def compliance_payoffs(
    agreement: ArrayLike,
    war: ArrayLike,
    gain: ArrayLike,
    exposure: ArrayLike,
    penalty: ArrayLike,
    protection: ArrayLike,
    detection: float,
) -> NDArray[np.float64]:
    """``(n, 2, ..., 2)`` payoffs; strategy 0 complies, 1 violates (see the module notes).

    Examples
    --------
    >>> u = compliance_payoffs([1, 1, 1], [0, 0, 0], [0.5] * 3, [0.4] * 3, [1] * 3,
    ...                        [0.5] * 3, 0.2)
    >>> u[0, 0, 0, 0], u[0, 1, 0, 0], u[0, 0, 1, 0], u[0, 1, 0, 1]
    (np.float64(1.0), np.float64(0.3), np.float64(-0.2), np.float64(-0.2))
    """
    values = [np.asarray(v, dtype=np.float64) for v in (agreement, war, gain, exposure, penalty)]
    agreed, fight, first_strike, exposed, fine = values
    shielded = np.asarray(protection, dtype=np.float64)
    n = agreed.shape[0]
    moves = np.indices((2,) * n)  # moves[k][profile] = 1 if k violates
    violators = moves.sum(axis=0)
    payoffs = np.empty((n, *(2,) * n))
    for i in range(n):
        others = violators - moves[i]
        payoffs[i] = np.where(
            moves[i] == 0,
            np.where(others == 0, agreed[i], fight[i] - exposed[i] * (1.0 - shielded[i])),
            np.where(others == 0, fight[i] + first_strike[i], fight[i]) - detection * fine[i],
        )
    return payoffs


def compliance_game(
    model: ComplianceModel,
    players: tuple[str, ...],
    bundle: int,
    digits: NDArray[np.int64],
    agreement: NDArray[np.float64],
    war: NDArray[np.float64],
    tol: float = 1e-9,
) -> ComplianceResult:
    """The solved compliance game among ``len(players)`` veto parties and its verdict.

    ``agreement`` and ``war`` are the players' utilities of the bundle and of fighting on
    (present value), in ``model.sides`` order.
    """
    n = len(players)
    if too_many := players_refusal(n):
        raise GameTooLargeError(too_many)
    if n < 2 or len(model.sides) != n:
        raise ValueError("compliance game needs two players or more, one per side")
    q = model.detection(digits)
    protection = np.array([model.protection(k, digits) for k in range(n)])
    payoffs = compliance_payoffs(
        agreement, war, model.gain, model.exposure, model.penalty, protection, q
    )
    game = Game("compliance", players, (STRATEGIES,) * n, payoffs)
    if n == 2:
        solution = solve_game(game, tol=tol).solution
    else:
        solution = _structured(game, agreement, war, model, protection, q, tol)
    verdict, why = _verdict(solution, n)
    mutual = "is" if (0,) * n in solution.pure else "is not"
    note = f"detection {q:.3f}; mutual compliance {mutual} an equilibrium"
    if why:
        note += f"; self-enforcement not computed: {why}"
    return ComplianceResult(SolvedGame(game, solution, bundle, note), verdict, q)


def _verdict(solution: Solution, n: int) -> tuple[bool | None, str]:
    """Self-enforcing iff all-comply is the only equilibrium; None where that is unknown."""
    comply = (0,) * n
    if not all(e.verified for e in solution.equilibria):
        return None, "a profile found failed the best-response check"
    others = [e for e in solution.equilibria if e.pure != comply]
    if comply not in solution.pure or others:
        return False, ""
    if solution.complete:
        return True, ""
    return None, solution.not_computed


def _structured(
    game: Game,
    agreement: NDArray[np.float64],
    war: NDArray[np.float64],
    model: ComplianceModel,
    protection: NDArray[np.float64],
    q: float,
    tol: float,
) -> Solution:
    """Every equilibrium from the gains ``A_i``, ``B_i`` of complying (module notes)."""
    u = game.payoffs
    n = u.shape[0]
    payoff_tol = payoff_tolerance(u, tol)
    quiet = np.asarray(agreement - (war + model.gain - q * model.penalty), dtype=np.float64)
    fought = np.asarray(q * model.penalty - model.exposure * (1.0 - protection), dtype=np.float64)
    pure = tuple(pure_equilibria(u, payoff_tol))
    degenerate = bool((np.abs(quiet) <= payoff_tol).any() or (np.abs(fought) <= payoff_tol).any())
    profiles = []
    for split in product((0, 1, 2), repeat=n):  # 0 complies, 1 mixes, 2 violates
        mixers = [i for i in range(n) if split[i] == 1]
        if len(mixers) < 2 or 2 in split:
            continue  # pure, one mixer or a sure violator: a mixer's gain is constant there
        with np.errstate(divide="ignore", invalid="ignore"):  # A_i = B_i: i never mixes
            target = fought[mixers] / (fought[mixers] - quiet[mixers])  # the P_i it needs
        if not np.all((target > 0) & (target < 1)):
            continue
        everyone = float(np.prod(target)) ** (1.0 / (len(mixers) - 1))
        comply = everyone / target  # each mixer's probability of complying
        if not np.all((comply > 0) & (comply < 1)):
            continue
        strategies = [np.array([1.0, 0.0]) for _ in range(n)]
        for i, c in zip(mixers, comply, strict=True):
            strategies[i] = np.array([c, 1.0 - c])
        compliers = [i for i in range(n) if split[i] == 0]
        if all(quiet[k] * everyone + fought[k] * (1 - everyone) >= -payoff_tol for k in compliers):
            profiles.append(strategies)
    why = (
        "a gain from complying is zero, so equilibria may form continua that this "
        "method does not enumerate"
        if degenerate
        else ""
    )
    method = "compliance_structure"
    return collect_equilibria(u, pure, profiles, method, not degenerate, why, payoff_tol)

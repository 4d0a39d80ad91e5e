"""The compliance game: once a bundle is agreed, does each side keep it?

Each war side chooses to comply or violate. A side that violates while the other complies
gets its war value plus a first-strike ``gain`` less ``penalty`` times the probability that
the violation is detected; the side that kept the deal gets its war value less its
``exposure``, reduced by the ``protection`` the bundle gives it. If both violate, the war
resumes and both bear the expected penalty. The agreement is self-enforcing when mutual
compliance is the game's only equilibrium (cf. Fearon 1998, "Bargaining, enforcement and
international cooperation"; the enforcement terms of the bundle set ``detection``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.games.game import Game, SolvedGame, solve_game

STRATEGIES = ("comply", "violate")


@dataclass(frozen=True, eq=False)
class ComplianceModel:
    """Numeric compliance parameters for the two war sides (index 0 = row player).

    ``detection_tables[k][o]`` and ``protection_tables[s][k][o]`` are the contributions of
    option ``o`` of issue ``k``.
    """

    sides: tuple[int, int]
    gain: NDArray[np.float64]
    exposure: NDArray[np.float64]
    penalty: NDArray[np.float64]
    detection_base: float
    detection_tables: tuple[NDArray[np.float64], ...]
    protection_tables: tuple[tuple[NDArray[np.float64], ...], tuple[NDArray[np.float64], ...]]

    def detection(self, digits: NDArray[np.int64]) -> float:
        """Probability that a violation of the bundle is detected, clipped to [0, 1]."""
        total = self.detection_base + sum(
            t[d] for t, d in zip(self.detection_tables, digits, strict=True)
        )
        return float(np.clip(total, 0.0, 1.0))

    def protection(self, side: int, digits: NDArray[np.int64]) -> float:
        tables = self.protection_tables[side]
        return float(np.clip(sum(t[d] for t, d in zip(tables, digits, strict=True)), 0.0, 1.0))


def compliance_payoffs_n(
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
    >>> u = compliance_payoffs_n([1, 1, 1], [0, 0, 0], [0.5] * 3, [0.4] * 3, [1] * 3,
    ...                          [0.5] * 3, 0.2)
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


def compliance_payoffs(
    model: ComplianceModel,
    digits: NDArray[np.int64],
    agreement: NDArray[np.float64],
    war: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Both payoff matrices (rows: the first side's comply/violate) and the detection: the
    two-player case of :func:`compliance_payoffs_n`.

    ``agreement`` and ``war`` are the two sides' utilities of the bundle and of fighting on.
    """
    q = model.detection(digits)
    protection = [model.protection(side, digits) for side in (0, 1)]
    payoffs = compliance_payoffs_n(
        agreement, war, model.gain, model.exposure, model.penalty, protection, q
    )
    return payoffs[0], payoffs[1], q


def compliance_game(
    model: ComplianceModel,
    players: tuple[str, str],
    bundle: int,
    digits: NDArray[np.int64],
    agreement: NDArray[np.float64],
    war: NDArray[np.float64],
) -> tuple[SolvedGame, bool, float]:
    """The solved compliance game, whether the bundle is self-enforcing, and the detection."""
    a, b, q = compliance_payoffs(model, digits, agreement, war)
    game = Game("compliance", players, (STRATEGIES, STRATEGIES), np.stack([a, b]))
    solved = solve_game(game, bundle=bundle)
    mutual = "is" if (0, 0) in solved.solution.pure else "is not"
    note = f"detection {q:.3f}; mutual compliance {mutual} an equilibrium"
    return SolvedGame(game, solved.solution, bundle, note), solved.solution.only((0, 0)), q

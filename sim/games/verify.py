"""Independent best-response check of a strategy profile, in a game of any number of players.

Deliberately shares no code with the equilibrium solvers: a profile is a Nash equilibrium
when each strategy is a probability vector and no pure strategy earns any player more than
the profile does (Nash 1951). One check (:func:`regrets`) serves every game; the bimatrix
forms (:func:`max_regret`, :func:`is_equilibrium`) are its two-player case.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike


def is_probability_vector(strategy: ArrayLike, size: int, tol: float = 1e-9) -> bool:
    """Whether ``strategy`` is a finite vector of ``size`` entries >= -tol summing to 1 ± tol.

    Examples
    --------
    >>> is_probability_vector([0.5, 0.5], 2), is_probability_vector([1.2, -0.2], 2)
    (True, False)
    """
    p = np.asarray(strategy, dtype=np.float64)
    return bool(
        p.shape == (size,)
        and np.all(np.isfinite(p))
        and np.all(p >= -tol)
        and abs(float(p.sum()) - 1.0) <= tol
    )


def regrets(payoffs: ArrayLike, profile: Sequence[ArrayLike]) -> list[float]:
    """Each player's largest gain from deviating from ``profile`` to a pure strategy.

    ``payoffs`` is ``(n, s_1, ..., s_n)``: ``payoffs[i]`` is player ``i``'s payoff of each
    pure profile. For player ``i`` the payoffs are averaged over every other player's
    strategy, one axis at a time, and each pure strategy is compared with ``i``'s own mixture.

    Examples
    --------
    >>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> regrets(np.stack([A, -A]), [[1.0, 0.0], [0.5, 0.5]])
    [0.0, 1.0]
    """
    u = np.asarray(payoffs, dtype=np.float64)
    mixes = [np.asarray(p, dtype=np.float64) for p in profile]
    out = []
    for i in range(u.shape[0]):
        against = u[i]
        for k in sorted(range(u.shape[0]), reverse=True):  # sum out every axis but i's
            if k != i:
                against = np.tensordot(against, mixes[k], axes=([k], [0]))
        out.append(float(against.max() - against @ mixes[i]))
    return out


def verify_profile(payoffs: ArrayLike, profile: Sequence[ArrayLike], tol: float = 1e-9) -> float:
    """Largest gain any player gets by deviating from ``profile`` to a pure strategy
    (:func:`regrets`, at least 0): ``profile`` is an equilibrium within ``tol`` exactly when
    the result is ``<= tol``; a profile that is not one finite probability vector (within
    ``tol``) per player gets ``inf``.

    Examples
    --------
    Matching pennies among the first two of three players (the third is a dummy).

    >>> pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> u = np.stack([np.repeat(pennies[:, :, None], 2, axis=2),
    ...               np.repeat(-pennies[:, :, None], 2, axis=2), np.zeros((2, 2, 2))])
    >>> verify_profile(u, [[0.5, 0.5], [0.5, 0.5], [1.0, 0.0]])
    0.0
    >>> verify_profile(u, [[1.0, 0.0], [0.5, 0.5], [1.0, 0.0]])
    1.0
    """
    u = np.asarray(payoffs, dtype=np.float64)
    if len(profile) != u.shape[0]:
        return math.inf
    for k, p in enumerate(profile):
        if not is_probability_vector(p, u.shape[k + 1], tol):
            return math.inf
    return max(0.0, *regrets(u, profile))


def max_regret(
    row_payoffs: ArrayLike, column_payoffs: ArrayLike, x: ArrayLike, y: ArrayLike
) -> tuple[float, float]:
    """Largest gain either player of a bimatrix game gets by deviating to a pure strategy
    (:func:`regrets` of two players).

    Parameters
    ----------
    row_payoffs, column_payoffs
        ``(m, n)`` payoff matrices ``A`` and ``B``.
    x, y
        Mixed strategies of the row ``(m,)`` and column ``(n,)`` player.

    Returns
    -------
    ``(max_i (A y)_i - x·A y, max_j (xᵀB)_j - xᵀB y)``; both are ``<= 0`` up to rounding
    exactly when ``(x, y)`` is a Nash equilibrium.

    Examples
    --------
    >>> A = np.array([[1, -1], [-1, 1]])
    >>> max_regret(A, -A, [1, 0], [0.5, 0.5])
    (0.0, 1.0)
    """
    row, column = regrets(np.stack([np.asarray(row_payoffs), np.asarray(column_payoffs)]), [x, y])
    return row, column


def is_equilibrium(
    row_payoffs: ArrayLike, column_payoffs: ArrayLike, x: ArrayLike, y: ArrayLike, tol: float
) -> bool:
    """Whether ``(x, y)`` is a Nash equilibrium of ``(A, B)`` within ``tol``.

    ``x`` and ``y`` must be probability vectors within ``tol`` and no pure strategy may
    gain more than ``tol`` (absolute, in payoff units) over the profile's payoff.

    Examples
    --------
    Matching pennies: only the uniform profile is an equilibrium.

    >>> A = np.array([[1, -1], [-1, 1]])
    >>> is_equilibrium(A, -A, [0.5, 0.5], [0.5, 0.5], 1e-9)
    True
    >>> is_equilibrium(A, -A, [1, 0], [0.5, 0.5], 1e-9)
    False
    """
    A = np.asarray(row_payoffs, dtype=np.float64)
    B = np.asarray(column_payoffs, dtype=np.float64)
    if A.ndim != 2 or A.shape != B.shape or not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        return False
    return verify_profile(np.stack([A, B]), [x, y], tol) <= tol

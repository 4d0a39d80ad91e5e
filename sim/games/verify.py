"""Independent best-response check of a strategy profile in a bimatrix game.

Deliberately shares no code with the equilibrium enumerator: a profile is a Nash
equilibrium when each strategy is a probability vector and no pure strategy earns either
player more than the profile does (Nash 1951).
"""

from __future__ import annotations

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


def max_regret(
    row_payoffs: ArrayLike, column_payoffs: ArrayLike, x: ArrayLike, y: ArrayLike
) -> tuple[float, float]:
    """Largest gain either player gets by deviating to a pure strategy.

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
    A = np.asarray(row_payoffs, dtype=np.float64)
    B = np.asarray(column_payoffs, dtype=np.float64)
    row_strategy = np.asarray(x, dtype=np.float64)
    column_strategy = np.asarray(y, dtype=np.float64)
    against_y = A @ column_strategy
    against_x = row_strategy @ B
    return (
        float(against_y.max() - row_strategy @ against_y),
        float(against_x.max() - against_x @ column_strategy),
    )


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
    m, n = A.shape
    if not (is_probability_vector(x, m, tol) and is_probability_vector(y, n, tol)):
        return False
    row_regret, column_regret = max_regret(A, B, x, y)
    return row_regret <= tol and column_regret <= tol

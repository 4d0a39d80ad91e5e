"""Iterated elimination of strictly dominated pure strategies in a bimatrix game."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def strictly_dominated(payoffs: NDArray[np.float64], tol: float) -> NDArray[np.bool_]:
    """Rows of ``payoffs`` strictly dominated by another row.

    Row ``r`` is dominated when some row ``s`` pays more than ``r + tol`` against
    every column.

    Examples
    --------
    >>> strictly_dominated(np.array([[3.0, 0.0], [5.0, 1.0]]), 1e-9).tolist()
    [True, False]
    """
    gain = payoffs[:, None, :] - payoffs[None, :, :]  # gain[s, r, c] = M[s, c] - M[r, c]
    return np.asarray(np.all(gain > tol, axis=2).any(axis=0), dtype=np.bool_)


def iterated_strict_dominance(
    row_payoffs: ArrayLike, column_payoffs: ArrayLike, *, tol: float = 1e-9
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Strategies that survive iterated elimination of strictly dominated strategies.

    Domination is by pure strategies only (a strategy dominated by a mixture but by no
    pure strategy is kept), and a margin of at most ``tol`` does not count as strict, so
    ties never remove a strategy. Each round removes every dominated row and column at
    once; for strict dominance the surviving set does not depend on the order of
    elimination (Gilboa, Kalai & Zemel 1990), and no Nash equilibrium is lost.

    Parameters
    ----------
    row_payoffs, column_payoffs
        ``(m, n)`` payoff matrices of the row and column player.
    tol
        Absolute margin a dominating strategy must exceed.

    Returns
    -------
    Sorted indices of the kept rows and of the kept columns.

    Examples
    --------
    Prisoner's dilemma: only "defect" survives for each player.

    >>> A = np.array([[3, 0], [5, 1]])
    >>> rows, columns = iterated_strict_dominance(A, A.T)
    >>> rows.tolist(), columns.tolist()
    ([1], [1])
    """
    A = np.asarray(row_payoffs, dtype=np.float64)
    B = np.asarray(column_payoffs, dtype=np.float64)
    if A.ndim != 2 or A.shape != B.shape:
        raise ValueError(f"payoff matrices must be 2-D of equal shape, got {A.shape}, {B.shape}")
    rows = np.arange(A.shape[0], dtype=np.intp)
    columns = np.arange(A.shape[1], dtype=np.intp)
    while True:
        window = np.ix_(rows, columns)
        dominated_rows = strictly_dominated(A[window], tol)
        dominated_columns = strictly_dominated(B[window].T, tol)
        if not (dominated_rows.any() or dominated_columns.any()):
            return rows, columns
        rows = rows[~dominated_rows]
        columns = columns[~dominated_columns]

"""Iterated elimination of strictly dominated pure strategies, in a game of any number of
players (:func:`undominated`); :func:`iterated_strict_dominance` is its bimatrix form."""

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


def undominated(payoffs: NDArray[np.float64], tol: float) -> list[NDArray[np.intp]]:
    """Per player, the pure strategies left by iterated elimination of strict dominance.

    ``payoffs`` is ``(n, s_1, ..., s_n)``. Strategy ``r`` of player ``i`` is removed when
    another pure strategy pays ``i`` more than ``r + tol`` against every profile of the
    others' remaining strategies; players are visited in turn until nothing changes (for
    strict dominance the surviving set does not depend on the order of elimination: Gilboa,
    Kalai & Zemel 1990).

    Examples
    --------
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])
    >>> [k.tolist() for k in undominated(np.stack([A, A.T]), 1e-9)]
    [[1], [1]]
    """
    n = payoffs.shape[0]
    kept = [np.arange(size, dtype=np.intp) for size in payoffs.shape[1:]]
    changed = True
    while changed:
        changed = False
        for i in range(n):
            own = np.moveaxis(payoffs[i][np.ix_(*kept)], i, 0).reshape(len(kept[i]), -1)
            dominated = strictly_dominated(own, tol)
            if dominated.any():
                kept[i] = kept[i][~dominated]
                changed = True
    return kept


def iterated_strict_dominance(
    row_payoffs: ArrayLike, column_payoffs: ArrayLike, *, tol: float = 1e-9
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Strategies that survive iterated elimination of strictly dominated strategies.

    Domination is by pure strategies only (a strategy dominated by a mixture but by no
    pure strategy is kept), and a margin of at most ``tol`` does not count as strict, so
    ties never remove a strategy: the two-player case of :func:`undominated`. No Nash
    equilibrium is lost.

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
    rows, columns = undominated(np.stack([A, B]), tol)
    return rows, columns

"""The compromise (weighted mean), the weighted median and the Condorcet winner by pairwise
votes, over the last axis (actors), with any leading axes (dimensions, draws).

References: the compromise model is the capability x salience weighted mean (Bueno de
Mesquita 1994, p. 78; Thomson et al. 2006, "The European Union Decides"); the weighted
median and the pairwise vote are Black's (1948) median voter on one dimension.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def weighted_mean(x: Array, w: Array) -> Array:
    """``sum(w * x) / sum(w)`` over the last axis (the compromise model).

    Examples
    --------
    >>> float(weighted_mean(np.array([4.0, 10.0]), np.array([1.0, 3.0])))
    8.5
    """
    out: Array = np.sum(w * x, axis=-1) / np.sum(w, axis=-1)
    return out


def weighted_median(x: Array, w: Array) -> Array:
    """The lower weighted median over the last axis: the smallest position at which the
    cumulative weight (positions in increasing order) reaches half the total.

    Examples
    --------
    >>> float(weighted_median(np.array([4.0, 7.0, 10.0]), np.array([1.0, 1.0, 3.0])))
    10.0
    >>> float(weighted_median(np.array([4.0, 10.0]), np.array([1.0, 1.0])))
    4.0
    """
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    cum = np.cumsum(np.take_along_axis(np.broadcast_to(w, x.shape), order, axis=-1), axis=-1)
    half = 0.5 * cum[..., -1:]
    first = np.argmax(cum >= half * (1.0 - 1e-12), axis=-1)
    return np.take_along_axis(xs, first[..., None], axis=-1)[..., 0]


def pairwise_votes(x: Array, w: Array) -> Array:
    """``(..., n, n)`` net votes for actor ``j``'s position against ``k``'s:
    ``V[j, k] = sum_i w_i (|x_i - x_k| - |x_i - x_j|)`` (each voter backs the nearer one,
    with weight times margin, as in Scholz et al. 2011)."""
    loss = np.sum(w[..., :, None] * np.abs(x[..., :, None] - x[..., None, :]), axis=-2)
    out: Array = loss[..., None, :] - loss[..., :, None]
    return out


def condorcet_winner(x: Array, w: Array) -> Array:
    """The actor position that beats every other in pairwise votes (:func:`pairwise_votes`),
    found as the one with the largest total net vote; ties go to the lowest position.

    On one dimension with these votes it is a weighted median (Black 1948).

    Examples
    --------
    >>> float(condorcet_winner(np.array([4.0, 7.0, 10.0]), np.array([1.0, 1.0, 3.0])))
    10.0
    """
    total = np.sum(pairwise_votes(x, w), axis=-1)
    best = np.max(total, axis=-1, keepdims=True)
    tied = total >= best - 1e-12 * (1.0 + np.abs(best))
    out: Array = np.min(np.where(tied, x, np.inf), axis=-1)
    return out

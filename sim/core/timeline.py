"""The war option over time: a drifting balance of power and the present value of fighting on.

Side 0 is A and side 1 is B throughout; ``p`` is the probability that A prevails.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.core.war import war_value


def war_path(
    prevail0: float | ArrayLike,
    drift: float | ArrayLike,
    horizon: int,
    win: ArrayLike,
    lose: ArrayLike,
    cost: ArrayLike,
    cost_growth: ArrayLike = (0.0, 0.0),
) -> NDArray[np.float64]:
    """Each side's per-period war value in periods ``0..horizon``.

    Side 0 prevails in period ``t`` with probability ``p_t = clip(prevail0 + drift * t, 0, 1)``
    and side 1 with ``1 - p_t``; with two numbers ``prevail0 = (a, b)``, side 0 sees its own
    chance as ``clip(a + drift * t, 0, 1)`` and side 1 its own as ``1 - clip(b + drift * t,
    0, 1)`` (beliefs that differ: mutual optimism when the two chances sum to more than one).
    Side ``i`` values the war at
    ``war_value(p_i, win[i], lose[i], cost[i] + cost_growth[i] * t)`` (Fearon 1995, see
    :func:`~sim.core.war.war_value`): the cost of fighting may grow as the war wears on.

    Parameters
    ----------
    prevail0, drift
        Side 0's chance of prevailing in period 0 (one number, or as each side sees it; or
        ``(..., 2)`` for many paths at once) and its change per period (or ``(...)``).
    horizon
        Last period ``T`` (>= 0).
    win, lose, cost
        Length-2 arrays: each side's utility of prevailing, of losing, and its cost of war
        (or ``(..., 2)``, for many paths at once).
    cost_growth
        Length 2 (or ``(..., 2)``): each side's increase of that cost per period.

    Returns
    -------
    ``(horizon + 1, 2)`` array; row ``t`` holds both sides' war values in period ``t``
    (``(..., horizon + 1, 2)`` with leading axes in any argument: many paths, the same
    arithmetic on each).

    Examples
    --------
    >>> war_path(0.5, 0.25, 3, [1, 1], [0, 0], [0.1, 0.1]).round(2).tolist()
    [[0.4, 0.4], [0.65, 0.15], [0.9, 0.0], [0.9, 0.0]]
    >>> war_path(0.5, 0.0, 2, [1, 1], [0, 0], [0.1, 0.1], [0.1, 0.0]).round(2).tolist()
    [[0.4, 0.4], [0.3, 0.4], [0.2, 0.4]]
    >>> war_path([0.6, 0.3], 0.0, 0, [1, 1], [0, 0], [0.0, 0.0]).round(2).tolist()
    [[0.6, 0.7]]
    """
    if horizon < 0:
        raise ValueError(f"horizon must be >= 0, got {horizon}")
    sides = [np.asarray(a, dtype=np.float64) for a in (win, lose, cost, cost_growth)]
    for name, array in zip(("win", "lose", "cost", "cost_growth"), sides, strict=True):
        if array.shape[-1:] != (2,):
            raise ValueError(f"{name} must have shape (2,) or (..., 2), got {array.shape}")
    win2, lose2, cost2, growth2 = (a[..., None, :] for a in sides)  # (..., 1, 2)
    periods = np.arange(horizon + 1, dtype=np.float64)[:, None]  # (T + 1, 1)
    given = np.asarray(prevail0, dtype=np.float64)
    start = np.broadcast_to(given, (*given.shape[:-1], 2) if given.ndim else (2,))
    change = np.asarray(drift, dtype=np.float64)[..., None, None]
    seen = np.clip(start[..., None, :] + change * periods, 0.0, 1.0)
    chances = np.stack([seen[..., 0], 1.0 - seen[..., 1]], axis=-1)
    return war_value(chances, win2, lose2, cost2 + growth2 * periods)


def war_present_value(flows: ArrayLike, discounts: ArrayLike) -> NDArray[np.float64]:
    """Each side's normalised present value of fighting on along a war path.

    ``(1 - δ) Σ_{t=0..T} δ^t w(t) + δ^(T+1) w(T)``: the flows of periods ``0..T``, then the
    last period's flow for ever, as in :mod:`sim.core.bargaining` when no agreement is ever
    reached. A constant path is worth its flow. ``flows`` is ``(T + 1, k)`` and ``discounts``
    ``(k,)``, or ``(..., T + 1, k)`` and ``(..., k)`` for many paths at once.

    Examples
    --------
    >>> war_present_value([[0.4, 0.6], [0.4, 0.6]], [0.9, 0.5]).tolist()
    [0.4, 0.6]
    >>> float(war_present_value([[0.0], [1.0]], [0.5])[0])
    0.5
    """
    w = np.asarray(flows, dtype=np.float64)
    delta = np.asarray(discounts, dtype=np.float64)
    periods = np.arange(w.shape[-2])[:, None]
    weights = (1.0 - delta[..., None, :]) * delta[..., None, :] ** periods
    last = delta ** w.shape[-2] * w[..., -1, :]
    return np.asarray((weights * w).sum(axis=-2) + last, dtype=np.float64)

"""The war option over time: a drifting balance of power and two closed forms.

Side 0 is A and side 1 is B throughout; ``p`` is the probability that A prevails.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.core.war import war_value


def war_path(
    prevail0: float | ArrayLike,
    drift: float,
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
        ``(..., 2)`` for many paths at once) and its change per period.
    horizon
        Last period ``T`` (>= 0).
    win, lose, cost
        Length-2 arrays: each side's utility of prevailing, of losing, and its cost of war
        (``cost`` may be ``(..., 2)``, for many paths at once).
    cost_growth
        Length 2: each side's increase of that cost per period.

    Returns
    -------
    ``(horizon + 1, 2)`` array; row ``t`` holds both sides' war values in period ``t``
    (``(..., horizon + 1, 2)`` with leading axes in ``prevail0`` or ``cost``).

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
        if array.shape[-1:] != (2,) or (name != "cost" and array.ndim != 1):
            raise ValueError(f"{name} must have shape (2,), got {array.shape}")
    win2, lose2, cost2, growth2 = sides
    periods = np.arange(horizon + 1, dtype=np.float64)
    given = np.asarray(prevail0, dtype=np.float64)
    start = np.broadcast_to(given, (*given.shape[:-1], 2) if given.ndim else (2,))
    seen = np.clip(start[..., None, :] + drift * periods[:, None], 0.0, 1.0)
    chances = np.stack([seen[..., 0], 1.0 - seen[..., 1]], axis=-1)
    return war_value(chances, win2, lose2, cost2[..., None, :] + growth2 * periods[:, None])


def fearon_range(p: float, cost_a: float, cost_b: float) -> tuple[float, float]:
    """The splits both sides prefer to war: ``(p - cost_a, p + cost_b)``.

    Fearon (1995), "Rationalist explanations for war", §2: A and B divide a unit pie, ``x``
    is A's share, war gives A ``p - cost_a`` and B ``1 - p - cost_b``. A prefers ``x`` to war
    iff ``x >= p - cost_a``, B iff ``1 - x >= 1 - p - cost_b``; with positive costs the range
    is never empty. The bounds are not clipped: intersect with ``[0, 1]`` for feasible splits.

    Examples
    --------
    >>> fearon_range(0.6, 0.1, 0.15)
    (0.5, 0.75)
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if cost_a < 0 or cost_b < 0:
        raise ValueError(f"costs must be >= 0, got {cost_a}, {cost_b}")
    return (p - cost_a, p + cost_b)


def commitment_problem(p: float, p_next: float, delta: float, cost_a: float, cost_b: float) -> bool:
    """Whether the declining side B fights now rather than face a stronger A.

    Powell (2006), "War as a commitment problem", §2, in its two-period reading: A and B
    divide a pie of 1 per period with common discount ``delta``; payoffs are discounted sums.
    A prevails with probability ``p`` in period 0 and ``p_next`` from period 1 on (A rising
    when ``p_next > p``). War ends bargaining: it locks in the per-period shares ``p_t``,
    ``1 - p_t`` for ever and each side pays a one-off cost when it starts (``cost_a``,
    ``cost_b``, in units of one period's pie; a per-period cost ``k`` is ``k / (1 - delta)``).
    The most B can get in peace is the whole period-0 pie and then everything A cannot claim
    by threatening war from period 1, ``p_next / (1 - delta) - cost_a``. B fights iff
    its war payoff ``(1 - p) / (1 - delta) - cost_b`` exceeds that, which simplifies to::

        (delta * p_next - p) / (1 - delta) > cost_b + delta * cost_a

    Never true when ``p_next <= p``.

    Examples
    --------
    >>> commitment_problem(0.2, 0.8, 0.9, 0.5, 0.5)
    True
    >>> commitment_problem(0.4, 0.5, 0.9, 0.5, 0.5)
    False
    """
    for name, value in (("p", p), ("p_next", p_next)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {value}")
    if not 0.0 < delta < 1.0:
        raise ValueError(f"delta must be in (0, 1), got {delta}")
    if cost_a < 0 or cost_b < 0:
        raise ValueError(f"costs must be >= 0, got {cost_a}, {cost_b}")
    return bool((delta * p_next - p) / (1.0 - delta) > cost_b + delta * cost_a)


def war_present_value(flows: ArrayLike, discounts: ArrayLike) -> NDArray[np.float64]:
    """Each side's normalised present value of fighting on along a war path.

    ``(1 - δ) Σ_{t=0..T} δ^t w(t) + δ^(T+1) w(T)``: the flows of periods ``0..T``, then the
    last period's flow for ever, as in :mod:`sim.core.bargaining` when no agreement is ever
    reached. A constant path is worth its flow.

    Examples
    --------
    >>> war_present_value([[0.4, 0.6], [0.4, 0.6]], [0.9, 0.5]).tolist()
    [0.4, 0.6]
    >>> float(war_present_value([[0.0], [1.0]], [0.5])[0])
    0.5
    """
    w = np.asarray(flows, dtype=np.float64)
    delta = np.asarray(discounts, dtype=np.float64)
    periods = np.arange(w.shape[0])[:, None]
    weights = (1.0 - delta) * delta**periods
    return np.asarray((weights * w).sum(axis=0) + delta ** w.shape[0] * w[-1], dtype=np.float64)

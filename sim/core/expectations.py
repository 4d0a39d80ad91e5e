"""Divergent expectations: each side's view of the zone, and how much optimism closes it.

Two war sides value fighting on as Fearon's (1995, §"Disagreements about relative power")
lottery ``w_i = clip(q_i win_i + (1 - q_i) lose_i - cost_i, 0, 1)``, ``q_i`` being side ``i``'s
own chance of prevailing as *it* sees it (``war.beliefs``). When the chances the two sides see
sum to more than one (mutual optimism), the zone shrinks; past some optimism it is empty
although war is costly for both.

*Perceived zones.* Side ``i`` believes both sides' war values follow its own reading of the
odds; the *joint* zone uses each side's own belief for its own war value (the zone as it is).

*Optimism threshold.* Each side overstates its own chance by ``d >= 0``: ``q_i + d``. A
candidate ``b`` leaves the zone at the least ``d`` for which some side's war value exceeds
``u_i(b) + tol``; the zone empties at the largest such ``d`` over the candidates. Each war
value is piecewise linear in ``d``, so the crossing is solved in closed form.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.core.utility import ACCEPT_TOL
from sim.core.war import war_value


def perceived_zones(
    utilities: ArrayLike,
    beliefs: ArrayLike,
    win: ArrayLike,
    lose: ArrayLike,
    cost: ArrayLike,
    tol: float = ACCEPT_TOL,
) -> tuple[int, int, int]:
    """How many candidates the joint zone, side 0's view and side 1's view hold.

    Parameters
    ----------
    utilities
        ``(n, 2)`` each candidate's utility to the two sides.
    beliefs
        ``(2,)`` the probability that side 0 prevails, as side 0 and as side 1 see it.
    win, lose, cost
        ``(2,)`` each side's utility of prevailing, of losing, and its cost of war.

    Examples
    --------
    Both sides see a 0.6 chance of prevailing: each sees the share 0.6 (or 0.4) as a deal,
    and no share satisfies both.

    >>> x = np.linspace(0, 1, 11)
    >>> perceived_zones(np.stack([x, 1 - x], 1), [0.6, 0.4], [1, 1], [0, 0], [0.05, 0.05])
    (0, 1, 1)
    """
    u = np.asarray(utilities, dtype=np.float64)
    seen = np.asarray(beliefs, dtype=np.float64)

    def count(first: float, second: float) -> int:
        chances = np.array([first, 1.0 - second])
        values = war_value(chances, np.asarray(win), np.asarray(lose), np.asarray(cost))
        return int((u >= values - tol).all(axis=1).sum())

    return (
        count(seen[0], seen[1]),
        count(seen[0], seen[0]),
        count(seen[1], seen[1]),
    )


def leaving_optimism(
    utilities: ArrayLike,
    chances: ArrayLike,
    win: ArrayLike,
    lose: ArrayLike,
    cost: ArrayLike,
    tol: float = ACCEPT_TOL,
) -> NDArray[np.float64]:
    """Per candidate, the optimism ``d`` at which it leaves the zone (0 if outside it already,
    ``inf`` if no optimism removes it).

    ``utilities`` is ``(n, 2)`` (or ``(..., n, 2)``, many draws at once), ``chances`` each
    side's own chance of prevailing as it sees it, ``(2,)`` (or broadcast against
    ``utilities``, e.g. ``(..., 1, 2)``), like ``win``, ``lose`` and ``cost``.

    Examples
    --------
    >>> leaving_optimism([[0.5, 0.5], [0.7, 0.2]], [0.5, 0.5], [1, 1], [0, 0], [0.1, 0.1],
    ...                  tol=0.0).round(12).tolist()
    [0.1, 0.0]
    """
    u = np.asarray(utilities, dtype=np.float64)
    q = np.asarray(chances, dtype=np.float64)
    hi, lo, c = (np.asarray(a, dtype=np.float64) for a in (win, lose, cost))
    target = u + tol  # a side leaves once its war value exceeds this
    now = war_value(q, hi, lo, c)
    slope = hi - lo
    most = np.clip(hi - c, 0.0, 1.0)  # the war value once the side is sure to prevail
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = (target - lo + c) / slope - np.clip(q, 0.0, 1.0)
    crossing = np.where((slope > 0) & (most > target), np.maximum(crossing, 0.0), np.inf)
    per_side = np.where(now > target, 0.0, crossing)
    return np.asarray(per_side.min(axis=-1), dtype=np.float64)


def optimism_threshold(
    utilities: ArrayLike,
    chances: ArrayLike,
    win: ArrayLike,
    lose: ArrayLike,
    cost: ArrayLike,
    tol: float = ACCEPT_TOL,
) -> float | None:
    """The least optimism ``d`` (each side overstating its own chance by ``d``) beyond which
    no candidate is acceptable: 0 when the zone is already empty, None when no optimism
    empties it (a side's war value cannot exceed what some candidate gives it).

    Examples
    --------
    Costs of 0.1 each around even odds: each side may overstate its chance by 0.1.

    >>> x = np.linspace(0, 1, 11)
    >>> round(optimism_threshold(np.stack([x, 1 - x], 1), [0.5, 0.5], [1, 1], [0, 0],
    ...                          [0.1, 0.1], tol=0.0), 12)
    0.1
    """
    top = float(optimism_thresholds(utilities, chances, win, lose, cost, tol=tol))
    return None if np.isnan(top) else top


def optimism_thresholds(
    utilities: ArrayLike,
    chances: ArrayLike,
    win: ArrayLike,
    lose: ArrayLike,
    cost: ArrayLike,
    keep: ArrayLike | None = None,
    tol: float = ACCEPT_TOL,
) -> NDArray[np.float64]:
    """:func:`optimism_threshold` of many draws at once: ``utilities`` ``(..., n, 2)``, the
    chances and each side's stakes ``(..., 2)``, and ``keep`` ``(..., n)`` the candidates of
    each draw (all without it); ``(...)`` thresholds, NaN where no optimism empties the zone.

    >>> u = np.array([[[0.5, 0.5], [0.9, 0.9]], [[0.3, 0.6], [0.2, 0.2]]])
    >>> optimism_thresholds(u, [[0.5, 0.5], [0.5, 0.5]], [1, 1], [0, 0], [0.1, 0.1],
    ...                     keep=[[True, False], [False, False]], tol=0.0).round(12).tolist()
    [0.1, 0.0]
    """
    q = np.asarray(chances, dtype=np.float64)[..., None, :]
    hi, lo, c = (np.asarray(a, dtype=np.float64)[..., None, :] for a in (win, lose, cost))
    leave = leaving_optimism(utilities, q, hi, lo, c, tol)
    if keep is not None:
        leave = np.where(np.asarray(keep, dtype=np.bool_), leave, -np.inf)
    top = leave.max(axis=-1, initial=-np.inf)  # -inf: no candidate, the zone is empty
    found = np.where(np.isneginf(top), 0.0, top)
    return np.asarray(np.where(np.isposinf(found), np.nan, found), dtype=np.float64)

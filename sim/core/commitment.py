"""Commitment problems under shifting power: which deals still hold as the war's odds drift.

A settlement on bundle ``b`` gives veto party ``i`` the utility ``u_i(b)`` in every period. In
month ``t`` the party could go back to war, worth ``w_i(t)`` to it then (the war model's flow,
with the balance of power ``p_t = p_0 + drift * t``). The deal holds only if every veto party
prefers it to fighting in every month of the horizon: ``u_i(b) >= w_i(t) - tol`` for all ``i``
and ``t`` (Powell 2006, "War as a commitment problem", §2, in its per-period reading: a
rising side cannot promise today not to use the power it will have tomorrow, so a division
that it will want to overturn later cannot be signed now). Month 0 is today's zone of
agreement; the *durable zone* is the part of it acceptable in every later month.

For a divisible good with A's share ``x``, war flows ``p_t - c_A`` and ``1 - p_t - c_B``, the
durable zone is ``max_t p_t - c_A <= x <= min_t p_t + c_B``: it is empty, although today's
zone ``[p_0 - c_A, p_0 + c_B]`` is not, exactly when the shift of power over the horizon
exceeds the sum of the costs, ``max_t p_t - min_t p_t > c_A + c_B``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.core.utility import ACCEPT_TOL


@dataclass(frozen=True, eq=False)
class Durability:
    """Today's zone against the war values of every later month.

    Attributes
    ----------
    durable
        ``(n,)`` whether each candidate is acceptable in every month ``0..T``.
    holding
        ``(T + 1,)`` how many of today's acceptable candidates are acceptable in every month
        up to ``t``.
    loss_months
        The months in which today's zone loses candidates.
    shortfall
        Over today's acceptable candidates, the least of their largest deficit
        ``max_{t, i} (w_i(t) - u_i(b))``: above 0 iff none is durable (None: no zone today).
    """

    durable: NDArray[np.bool_]
    holding: NDArray[np.int64]
    loss_months: tuple[int, ...]
    shortfall: float | None

    @property
    def today(self) -> int:
        """Size of today's zone (month 0)."""
        return int(self.holding[0])

    @property
    def commitment_problem(self) -> bool:
        """Today's zone is not empty but no bundle in it holds at every later month."""
        return self.today > 0 and int(self.holding[-1]) == 0


def durability(utilities: ArrayLike, war_values: ArrayLike, tol: float = ACCEPT_TOL) -> Durability:
    """Which candidates stay acceptable as the war values move.

    Parameters
    ----------
    utilities
        ``(n, V)`` each candidate's utility to each veto party.
    war_values
        ``(T + 1, V)`` each veto party's war value per month.
    tol
        A utility within ``tol`` of a war value meets it.

    Examples
    --------
    A pie in tenths; A's odds rise from 0.5 to 0.7, costs 0.05 each: today's zone
    ``[0.45, 0.55]`` holds 0.5 only, which A wants to overturn from month 1 on; at month 2
    it falls 0.15 short of A's war value.

    >>> x = np.linspace(0, 1, 11)
    >>> p = np.array([0.5, 0.6, 0.7])
    >>> d = durability(np.stack([x, 1 - x], 1), np.stack([p - 0.05, 1 - p - 0.05], 1))
    >>> d.holding.tolist(), d.loss_months, d.commitment_problem, round(d.shortfall, 12)
    ([1, 0, 0], (1,), True, 0.15)
    """
    u = np.asarray(utilities, dtype=np.float64)
    w = np.asarray(war_values, dtype=np.float64)
    if u.ndim != 2 or w.ndim != 2 or u.shape[1] != w.shape[1] or w.shape[0] < 1:
        raise ValueError(
            f"utilities (n, V) and war values (T + 1, V) expected: {u.shape}, {w.shape}"
        )
    months = w.shape[0]
    first = first_failing(u, w, tol)
    counts = u.shape[0] - np.cumsum(np.bincount(first, minlength=months + 1)[:months])
    losses = tuple(int(t) for t in np.flatnonzero(np.diff(counts) < 0) + 1)
    today = first > 0
    # the largest deficit over months and parties: subtracting is monotone in the war value,
    # so each party's largest war value gives the largest deficit exactly
    worst = (w.max(axis=0) - u).max(axis=1)
    shortfall = float(worst[today].min()) if today.any() else None
    durable = first == months
    return Durability(durable, counts, losses, shortfall)


def first_failing(
    utilities: ArrayLike, war_values: ArrayLike, tol: float = ACCEPT_TOL
) -> NDArray[np.int64]:
    """Each candidate's first failing month: the first month in which some veto party's war
    value exceeds its utility by more than ``tol`` (``T + 1``: none, it holds throughout).

    ``utilities`` is ``(..., n, V)`` and ``war_values`` ``(..., T + 1, V)``, with the same
    leading axes (many draws at once, each with its own war values); the result is
    ``(..., n)``. For one party, that month is the first whose running largest ``w_i - tol``
    exceeds ``u_i``: a sorted search of every candidate at once, draw by draw.

    Examples
    --------
    >>> first_failing([[0.5, 0.5], [0.3, 0.7]], [[0.45, 0.45], [0.55, 0.35]]).tolist()
    [1, 0]
    >>> first_failing([[[0.5, 0.5]], [[0.9, 0.9]]], [[[0.4, 0.4]], [[0.4, 0.4]]]).tolist()
    [[1], [1]]
    """
    u = np.asarray(utilities, dtype=np.float64)
    w = np.asarray(war_values, dtype=np.float64)
    if u.ndim < 2 or w.shape[:-2] != u.shape[:-2] or w.shape[-1] != u.shape[-1]:
        raise ValueError(
            f"utilities (..., n, V) and war values (..., T + 1, V) expected: {u.shape}, {w.shape}"
        )
    highest = np.maximum.accumulate(w - tol, axis=-2)
    first = np.full(u.shape[:-1], w.shape[-2], dtype=np.int64)
    for draw in np.ndindex(u.shape[:-2]):
        for i in range(u.shape[-1]):
            found = np.searchsorted(highest[draw][:, i], u[draw][:, i], side="right")
            np.minimum(first[draw], found, out=first[draw])
    return first


def commitment_problems(
    first: ArrayLike, months: int, keep: ArrayLike | None = None
) -> NDArray[np.bool_]:
    """``(...)`` whether a commitment problem exists (as :attr:`Durability.commitment_problem`)
    from ``(..., n)`` first failing months (:func:`first_failing`) over ``months`` months:
    some candidate (of those ``keep`` marks) is acceptable today, and none in every month.

    >>> commitment_problems([[1, 0], [3, 1], [0, 0]], 3).tolist()
    [True, False, False]
    """
    f = np.asarray(first)
    kept = np.ones(f.shape, dtype=np.bool_) if keep is None else np.asarray(keep, dtype=np.bool_)
    today = ((f > 0) & kept).any(axis=-1)
    return np.asarray(today & ~((f == months) & kept).any(axis=-1), dtype=np.bool_)


def first_month_fighting(
    utility: ArrayLike, war_values: ArrayLike, tol: float = ACCEPT_TOL
) -> tuple[int | None, ...]:
    """Per veto party, the first month whose war value exceeds its utility of one bundle by
    more than ``tol`` (None: it prefers the bundle in every month): when it would rather
    overturn the deal.

    Examples
    --------
    >>> first_month_fighting([0.5, 0.5], [[0.45, 0.45], [0.55, 0.35], [0.65, 0.25]])
    (1, None)
    """
    u = np.asarray(utility, dtype=np.float64)
    w = np.asarray(war_values, dtype=np.float64)
    worse = w > u[None, :] + tol
    return tuple(int(np.argmax(column)) if column.any() else None for column in worse.T)

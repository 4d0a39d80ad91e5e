"""Bargaining over time: the subgame-perfect equilibrium of a finite-horizon game.

The model
---------
Periods ``t = 0..T``. A settlement on candidate bundle ``b`` gives party ``i`` the flow
``u_i(b)`` in every period from then on. Each period without agreement gives each veto party
its war flow ``w_i(t)``. Veto party ``i`` discounts by ``δ_i`` in ``(0, 1)`` and values a
stream at the normalised sum ``(1 - δ_i) Σ_t δ_i^t flow_t``, so agreeing on ``b`` in period ``t``
is worth ``u_i(b)`` in period-``t`` units. If there is no agreement by ``T`` the war goes on
for ever at ``w_i(T)``: ``V_i(T + 1) = w_i(T)``. Backward induction from ``T`` to 0 uses the
continuation ``C_i(t) = (1 - δ_i) w_i(t) + δ_i V_i(t + 1)``, what ``i`` gets if period ``t``
passes without agreement; ``V_i(t)`` is ``i``'s value at the start of period ``t``.

Alternating offers (Rubinstein 1982, finite horizon), two veto parties: ``veto[t % 2]``
proposes in period ``t``. It picks the candidate it likes best among those with
``u_R(b) >= C_R(t) - tol`` (the responder accepts when indifferent); ties in its utility
(within 1e-12) go to the higher responder utility (within 1e-12), then the lowest bundle
index. If that candidate gives it at least ``C_P(t) - tol`` the deal is made and
``V(t) = u(b)``; otherwise it makes no acceptable offer and ``V(t) = C(t)``.

Rotating offers (Baron & Ferejohn 1989, with a unanimity rule and a finite horizon), any
number ``n >= 2`` of veto parties: ``order[t % len(order)]`` proposes in period ``t`` (by
default the ``veto`` order) and every other veto party ``j`` must accept
(``u_j(b) >= C_j(t) - tol``). The proposer picks the acceptable candidate it likes best; ties
in its utility (within 1e-12) go to the highest sum of the responders' utilities (within
1e-12), then the lowest bundle index. With two parties the sum is the one responder's
utility, so the protocol is alternating offers exactly. The deal is made if it gives the
proposer at least ``C_P(t) - tol``.

Mediated: a non-veto mediator proposes in every period the candidate it likes best among
those every veto party accepts (``u_i(b) >= C_i(t) - tol`` for all veto ``i``), ties (within
1e-12) to the lowest bundle index; if there is none the period passes. Any number of veto
parties.

Strategies depend on the period only, so play from period 0 agrees in the first period whose
plan is a deal. Each period's plan is computed with array operations over all candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.core.utility import ACCEPT_TOL

TIE_TOL = 1e-12
"""Utilities within this of the best count as tied."""

ProtocolName = Literal["alternating", "rotating", "mediated"]
"""The bargaining protocols solved here."""

_NO_INDEX = np.iinfo(np.int64).max

_Plan = Callable[[int, NDArray[np.float64]], tuple[int, int | None, bool]]
"""A period's plan from its continuation values: proposer, candidate position, agreed."""


class BargainingError(ValueError):
    """Inputs that do not define a bargaining game (shapes, parties, discounts, protocol)."""


@dataclass(frozen=True)
class Period:
    """The equilibrium plan in one period (what happens if the period is reached).

    Attributes
    ----------
    period
        ``t``.
    proposer
        Column of the party that proposes: a veto party, or the mediator.
    offer
        Bundle index of the proposer's best candidate among those the responders accept,
        or None if no candidate is acceptable to them.
    agreed
        Whether ``offer`` is made and accepted in ``t`` (False when the proposer prefers to
        let the period pass).
    continuation
        ``C_i(t)`` per veto party, in ``veto`` order: its value if ``t`` passes unsettled,
        the least it accepts.
    value
        ``V_i(t)`` per veto party: its equilibrium value at the start of ``t``.
    """

    period: int
    proposer: int
    offer: int | None
    agreed: bool
    continuation: tuple[float, ...]
    value: tuple[float, ...]


@dataclass(frozen=True)
class BargainingResult:
    """The subgame-perfect equilibrium of a bargaining game.

    Attributes
    ----------
    protocol
        ``"alternating"``, ``"rotating"`` or ``"mediated"``.
    veto
        Columns of the veto parties, in the order used by ``Period.continuation``/``value``.
    agreement_period
        First period of agreement on the equilibrium path, or None (war to the horizon).
    bundle
        The agreed bundle index, or None.
    utilities
        Every party's utility of the agreed bundle (all columns), or None.
    path
        The plan in each period ``0..T``.
    """

    protocol: ProtocolName
    veto: tuple[int, ...]
    agreement_period: int | None
    bundle: int | None
    utilities: tuple[float, ...] | None
    path: tuple[Period, ...]

    def values(self) -> NDArray[np.float64]:
        """``(T + 1, n_veto)`` array of ``V_i(t)``."""
        return np.array([step.value for step in self.path], dtype=np.float64)


def alternating_offers(
    utilities: ArrayLike,
    indices: ArrayLike,
    veto: Sequence[int],
    war_flows: ArrayLike,
    discounts: ArrayLike,
    tol: float = ACCEPT_TOL,
) -> BargainingResult:
    """Alternating offers between two veto parties, ``veto[0]`` proposing first.

    Parameters
    ----------
    utilities
        ``(n_candidates, n_parties)`` utility of each candidate bundle to each party.
    indices
        ``(n_candidates,)`` distinct bundle indices of the candidates (ties break on these).
    veto
        The two veto parties' columns; ``veto[t % 2]`` proposes in period ``t``.
    war_flows
        ``(T + 1, 2)`` war flow ``w_i(t)`` per period and veto party (``veto`` order).
    discounts
        ``(2,)`` discount factors in ``(0, 1)``.
    tol
        A utility within ``tol`` of a continuation value meets it.

    Examples
    --------
    Splitting a pie in tenths, one period, no war value: the proposer takes it all.

    >>> x = np.linspace(0, 1, 11)
    >>> result = alternating_offers(np.stack([x, 1 - x], axis=1), np.arange(11), [0, 1],
    ...                             np.zeros((1, 2)), [0.9, 0.9])
    >>> result.agreement_period, result.bundle, result.utilities
    (0, 10, (1.0, 0.0))
    """
    u, bundle_ids, parties, flows, delta = _validated(
        utilities, indices, veto, war_flows, discounts
    )
    if len(parties) != 2:
        raise BargainingError(f"alternating offers needs exactly 2 veto parties, got {parties}")
    columns = [np.ascontiguousarray(u[:, i]) for i in parties]

    def plan(t: int, continuation: NDArray[np.float64]) -> tuple[int, int | None, bool]:
        side = t % 2
        mine, theirs = columns[side], columns[1 - side]
        acceptable = theirs >= continuation[1 - side] - tol
        if not acceptable.any():
            return parties[side], None, False
        best = np.where(acceptable, mine, -np.inf).max()
        tied = acceptable & (mine >= best - TIE_TOL)
        tied &= theirs >= np.where(tied, theirs, -np.inf).max() - TIE_TOL
        position = int(np.where(tied, bundle_ids, _NO_INDEX).argmin())
        return parties[side], position, bool(best >= continuation[side] - tol)

    return _solve("alternating", u, bundle_ids, parties, flows, delta, plan)


def rotating_offers(
    utilities: ArrayLike,
    indices: ArrayLike,
    veto: Sequence[int],
    war_flows: ArrayLike,
    discounts: ArrayLike,
    order: Sequence[int] | None = None,
    tol: float = ACCEPT_TOL,
) -> BargainingResult:
    """Rotating proposers with a unanimity rule among any number ``n >= 2`` of veto parties.

    The finite-horizon Baron & Ferejohn (1989) game in which every veto party must consent:
    in period ``t`` the veto party ``order[t % len(order)]`` proposes the candidate it likes
    best among those every other veto party accepts; ties in its utility go to the highest
    sum of the responders' utilities, then the lowest bundle index (see the module notes).
    With two parties and the default order this is :func:`alternating_offers` exactly.

    Parameters
    ----------
    utilities, indices, tol
        As in :func:`alternating_offers`.
    veto
        The ``n >= 2`` veto parties' columns, in the order of ``war_flows``, ``discounts``
        and the result's ``Period.continuation``/``value``.
    war_flows
        ``(T + 1, n)`` war flow ``w_i(t)`` per period and veto party (``veto`` order).
    discounts
        ``(n,)`` discount factors in ``(0, 1)``.
    order
        The proposers' cycle, as veto party columns (each a member of ``veto``; a party may
        appear more than once to propose more often); default ``veto``.

    Raises
    ------
    BargainingError
        Inputs that do not define the game, or an ``order`` naming a non-veto column.

    Examples
    --------
    Three parties split a pie in sixths with no war value: in the last period the proposer
    takes it all, as every responder accepts nothing.

    >>> shares = np.array([(a, b, 6 - a - b) for a in range(7) for b in range(7 - a)]) / 6
    >>> result = rotating_offers(shares, np.arange(len(shares)), [0, 1, 2], np.zeros((1, 3)),
    ...                          [0.9, 0.9, 0.9], order=[2, 0, 1])
    >>> result.agreement_period, result.path[0].proposer, result.utilities
    (0, 2, (0.0, 0.0, 1.0))
    """
    u, bundle_ids, parties, flows, delta = _validated(
        utilities, indices, veto, war_flows, discounts
    )
    if len(parties) < 2:
        raise BargainingError(f"rotating offers needs at least 2 veto parties, got {parties}")
    proposers = parties if order is None else tuple(int(i) for i in order)
    if not proposers or any(p not in parties for p in proposers):
        raise BargainingError(
            f"proposer order must name veto parties {parties} only, got {proposers}"
        )
    # Per proposer: its column, its responders' utilities and their sum (fixed over time).
    slots = {}
    for proposer in set(proposers):
        side = parties.index(proposer)
        others = [k for k in range(len(parties)) if k != side]
        responders = [np.ascontiguousarray(u[:, parties[k]]) for k in others]
        slots[proposer] = (
            side,
            np.array(others),
            np.ascontiguousarray(u[:, proposer]),
            responders,
            u[:, [parties[k] for k in others]].sum(axis=1),
        )

    def plan(t: int, continuation: NDArray[np.float64]) -> tuple[int, int | None, bool]:
        proposer = proposers[t % len(proposers)]
        side, others, mine, theirs, theirs_total = slots[proposer]
        acceptable = _accepted(theirs, continuation[others] - tol)
        if not acceptable.any():
            return proposer, None, False
        best = np.where(acceptable, mine, -np.inf).max()
        tied = acceptable & (mine >= best - TIE_TOL)
        tied &= theirs_total >= np.where(tied, theirs_total, -np.inf).max() - TIE_TOL
        position = int(np.where(tied, bundle_ids, _NO_INDEX).argmin())
        return proposer, position, bool(best >= continuation[side] - tol)

    return _solve("rotating", u, bundle_ids, parties, flows, delta, plan)


def mediated(
    utilities: ArrayLike,
    indices: ArrayLike,
    veto: Sequence[int],
    mediator: int,
    war_flows: ArrayLike,
    discounts: ArrayLike,
    tol: float = ACCEPT_TOL,
) -> BargainingResult:
    """A mediator proposes every period; any number of veto parties.

    Parameters are those of :func:`alternating_offers`, with ``veto`` of any length >= 1,
    ``war_flows`` of shape ``(T + 1, len(veto))`` and ``mediator`` the column of a non-veto
    party whose utility the mediator maximises.

    Examples
    --------
    >>> u = np.array([[0.9, 0.1, 0.0], [0.5, 0.5, 1.0], [0.1, 0.9, 0.5]])
    >>> result = mediated(u, np.array([7, 3, 5]), [0, 1], 2, np.full((2, 2), 0.2), [0.9, 0.9])
    >>> result.agreement_period, result.bundle
    (0, 3)
    """
    u, bundle_ids, parties, flows, delta = _validated(
        utilities, indices, veto, war_flows, discounts
    )
    if not 0 <= mediator < u.shape[1] or mediator in parties:
        raise BargainingError(f"mediator must be a non-veto party column, got {mediator}")
    veto_utilities = [np.ascontiguousarray(u[:, i]) for i in parties]
    favour = np.ascontiguousarray(u[:, mediator])

    def plan(t: int, continuation: NDArray[np.float64]) -> tuple[int, int | None, bool]:
        acceptable = _accepted(veto_utilities, continuation - tol)
        if not acceptable.any():
            return mediator, None, False
        best = np.where(acceptable, favour, -np.inf).max()
        tied = acceptable & (favour >= best - TIE_TOL)
        position = int(np.where(tied, bundle_ids, _NO_INDEX).argmin())
        return mediator, position, True

    return _solve("mediated", u, bundle_ids, parties, flows, delta, plan)


def _accepted(
    columns: Sequence[NDArray[np.float64]], demands: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Candidates whose utility column ``k`` is at least ``demands[k]`` for every ``k``.

    Column by column on contiguous arrays: much faster than ``(u >= d).all(axis=1)``.
    """
    acceptable: NDArray[np.bool_] = columns[0] >= demands[0]
    for column, demand in zip(columns[1:], demands[1:], strict=True):
        acceptable &= column >= demand
    return acceptable


def _solve(
    protocol: ProtocolName,
    u: NDArray[np.float64],
    bundle_ids: NDArray[np.int64],
    parties: tuple[int, ...],
    flows: NDArray[np.float64],
    delta: NDArray[np.float64],
    plan: _Plan,
) -> BargainingResult:
    """Backward induction from ``T`` to 0; the earliest period with a deal is the agreement."""
    horizon = flows.shape[0] - 1
    value = flows[horizon].copy()  # V(T + 1): war for ever at w(T)
    steps: list[Period] = []
    first: tuple[int, int] | None = None  # (period, candidate position) of the earliest deal
    for t in range(horizon, -1, -1):
        continuation = (1.0 - delta) * flows[t] + delta * value
        proposer, position, agreed = plan(t, continuation)
        offer = None if position is None else int(bundle_ids[position])
        if agreed and position is not None:
            value = u[position, list(parties)]
            first = (t, position)
        else:
            value = continuation
        steps.append(
            Period(t, proposer, offer, agreed, tuple(continuation.tolist()), tuple(value.tolist()))
        )
    path = tuple(reversed(steps))
    if first is None:
        return BargainingResult(protocol, parties, None, None, None, path)
    period, position = first
    return BargainingResult(
        protocol, parties, period, int(bundle_ids[position]), tuple(u[position].tolist()), path
    )


def _validated(
    utilities: ArrayLike,
    indices: ArrayLike,
    veto: Sequence[int],
    war_flows: ArrayLike,
    discounts: ArrayLike,
) -> tuple[
    NDArray[np.float64],
    NDArray[np.int64],
    tuple[int, ...],
    NDArray[np.float64],
    NDArray[np.float64],
]:
    u = np.asarray(utilities, dtype=np.float64)
    bundle_ids = np.asarray(indices)
    flows = np.asarray(war_flows, dtype=np.float64)
    delta = np.asarray(discounts, dtype=np.float64)
    parties = tuple(int(i) for i in veto)
    if u.ndim != 2 or not np.isfinite(u).all():
        raise BargainingError(f"utilities must be a finite 2-d array, got shape {u.shape}")
    if bundle_ids.shape != (u.shape[0],) or not np.issubdtype(bundle_ids.dtype, np.integer):
        raise BargainingError(f"indices must be {u.shape[0]} integers, got {bundle_ids.shape}")
    if not parties or len(set(parties)) != len(parties):
        raise BargainingError(f"veto parties must be distinct and non-empty, got {parties}")
    if any(not 0 <= i < u.shape[1] for i in parties):
        raise BargainingError(f"veto columns must be in [0, {u.shape[1]}), got {parties}")
    if flows.ndim != 2 or flows.shape[0] < 1 or flows.shape[1] != len(parties):
        raise BargainingError(f"war_flows must be (T + 1, {len(parties)}), got {flows.shape}")
    if not np.isfinite(flows).all():
        raise BargainingError("war_flows must be finite")
    if delta.shape != (len(parties),) or not ((delta > 0) & (delta < 1)).all():
        raise BargainingError(f"discounts must be {len(parties)} values in (0, 1), got {delta}")
    return u, bundle_ids.astype(np.int64, copy=False), parties, flows, delta

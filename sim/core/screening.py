"""Bargaining with one-sided private information: an uninformed proposer screens the types.

The model
---------
Two veto parties bargain over a finite set of candidate bundles. The *proposer* P knows its
own value of fighting on; the *responder* R's value of fighting on is private: R is one of
``K`` types ``k = 0..K-1`` with prior weights ``π_k``, type ``k`` having the war flow
``w_k(t)`` in period ``t``. Types are ordered by resolve: ``w_k(t)`` is nondecreasing in
``k`` in every period (a lower cost of war, or better odds, is a higher flow).

Periods, flows and discounting are those of :mod:`sim.core.bargaining`: agreeing on ``b`` in
period ``t`` is worth ``u_i(b)`` in period-``t`` units; a period without agreement gives the
flow ``(1 - δ_i) w_i(t)``; after the horizon ``T`` the war goes on for ever at ``w_i(T)``.
In every period P offers one candidate (or none); every type accepts or rejects.

One offer (take it or leave it). Fearon (1995, §"Private information and incentives to
misrepresent"): P makes a single offer; type ``k`` accepts ``b`` iff
``u_R(b) >= d_k - tol``, where ``d_k`` is its value of fighting on; rejection means war. P
maximises ``Pr(accept | b) u_P(b) + (1 - Pr(accept | b)) d_P``: a better offer for itself
costs it a higher risk of war (the risk–return trade-off).

Offers over the horizon. The finite-horizon screening game of Fudenberg, Levine and Tirole
(1985) and Powell (1996, 2004): in the perfect Bayesian equilibrium computed here, weaker
types accept earlier (the *skimming* property: if a type accepts, every type with a lower
war flow accepts too), so P's belief after ``t`` rejections is the prior truncated to the
types ``j..K-1`` still holding out. The state is ``(t, j)``; P chooses the cutoff ``m > j``
(types ``j..m-1`` accept) and the bundle it likes best among those inducing exactly that
cutoff, or no offer (``m = j``). Write ``V_k(t, j)`` for type ``k``'s value and ``U(t, j)``
for P's; after the horizon ``V_k(T + 1, j) = w_k(T)`` and ``U(T + 1, j) = f_P(T)``. With
``s(m) = min(m, K - 1)`` (a rejection everyone was meant to accept is read as the most
resolved type) the type's value of rejecting is

    R_k(t, m) = (1 - δ_R) w_k(t) + δ_R V_k(t + 1, s(m)),

and a bundle induces cutoff ``m`` iff ``R_{m-1}(t, m) - tol <= u_R(b) < R_m(t, m) - tol``
(the last type accepts, the next one rejects; ``R_K = +∞``). P's value of the cutoff is

    Π(j, m) u_P(b_m) + (1 - Π(j, m)) [(1 - δ_P) f_P(t) + δ_P U(t + 1, s(m))],

with ``Π(j, m) = (F_m - F_j) / (F_K - F_j)`` (``F`` the cumulative prior). Ties between
bundles follow :func:`sim.core.bargaining.rotating_offers` (P's utility within 1e-12, then
R's, then the lowest bundle index); ties between cutoffs go to the larger cutoff (more
agreement); P makes an offer when it is worth at least its value of waiting less ``tol``.
Among several responses consistent with an offer, P's preferred one is played (a
proposer-optimal selection). With one type this is :func:`~sim.core.bargaining.rotating_offers`
with P proposing in every period, exactly.

Everything is computed by backward induction over ``(t, j)`` with array operations:
``O(T K^2)`` for the values and ``O(T K log n)`` for the offers (a sparse table of range
maxima over the candidates sorted by R's utility).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.core.bargaining import TIE_TOL
from sim.core.utility import ACCEPT_TOL

TYPE_LIMIT = 2000
"""Most types a grid may hold: the backward induction keeps ``K x K`` values per period
(2,000 types: about 32 MB per array)."""


class ScreeningError(ValueError):
    """Inputs that do not define a screening game."""


@dataclass(frozen=True, eq=False)
class Screening:
    """The perfect Bayesian equilibrium of the screening game, along its path.

    Attributes
    ----------
    types
        ``(K,)`` the type values, ordered by resolve (nondecreasing war flows).
    weights
        ``(K,)`` their prior probabilities (summing to 1).
    offers
        Per period ``0..T``: the bundle index P offers on the path, or None (no offer, or
        every type has already agreed).
    agreement
        ``(T + 1,)`` probability (before any offer) that agreement comes in period ``t``.
    holdouts
        Per period: the lowest type still holding out when the period starts (``K``: none).
    proposer_value
        ``U(0, 0)``: P's expected value of the game.
    """

    types: NDArray[np.float64]
    weights: NDArray[np.float64]
    offers: tuple[int | None, ...]
    agreement: NDArray[np.float64]
    holdouts: tuple[int, ...]
    proposer_value: float

    @property
    def p_agreement_by(self) -> NDArray[np.float64]:
        """``(T + 1,)`` probability of agreement in period ``t`` or earlier."""
        return np.asarray(np.minimum(np.cumsum(self.agreement), 1.0), dtype=np.float64)

    @property
    def p_breakdown(self) -> float:
        """Probability of no agreement by the horizon."""
        return float(max(0.0, 1.0 - self.agreement.sum()))

    @property
    def expected_month(self) -> float | None:
        """Expected period of agreement given agreement by the horizon (None: none)."""
        total = float(self.agreement.sum())
        if total <= 0.0:
            return None
        periods = np.arange(self.agreement.size, dtype=np.float64)
        mean = float((periods * self.agreement).sum() / total)
        # a mean of periods lies within them; rounding may step past the last (3 * 0.2 / 0.2)
        return min(max(mean, 0.0), float(self.agreement.size - 1))


@dataclass(frozen=True, eq=False)
class OneOffer:
    """Fearon's take-it-or-leave-it offer under private information.

    Attributes
    ----------
    offer
        The bundle index P offers (None: no offer beats war for P).
    p_breakdown
        Probability that the offer is rejected (war).
    expected_utility
        P's expected utility of its offer (or its war value).
    curve
        The risk–return trade-off: per number ``m = 1..K`` of accepting types (the ``m``
        least resolved) that some bundle makes accept exactly, ``(p_breakdown, bundle, u_P,
        u_R, expected utility)`` of P's best such bundle.
    """

    offer: int | None
    p_breakdown: float
    expected_utility: float
    curve: tuple[tuple[float, int, float, float, float], ...]


class _Best:
    """P's best candidate among those whose R-utility lies in ``[lo, hi)``, for many ranges
    and several games at once: the games' candidates concatenated (game by game), sorted by
    R's utility within each game, ranked in each game's P order with the games kept apart, and
    one sparse table of range maxima of the rank (Bender and Farach-Colton 2000); a range
    never leaves its game's segment."""

    def __init__(
        self,
        proposer: list[NDArray[np.float64]],
        responder: list[NDArray[np.float64]],
        ids: list[NDArray[np.int64]],
    ) -> None:
        sizes = np.array([x.size for x in proposer])
        self.offsets = np.concatenate([[0], np.cumsum(sizes)])
        game = np.repeat(np.arange(sizes.size), sizes)
        self.proposer = np.concatenate(proposer)
        self.responder = np.concatenate(responder)
        self.ids = np.concatenate(ids)
        # P's order within each game: its utility, then R's (each grouped within TIE_TOL),
        # then the lowest index; games apart
        level_p = _levels(self.proposer, game)
        self.by_responder = np.lexsort((self.responder, game))  # stable: R's order per game
        level_r = _levels(self.responder, game, self.by_responder)
        rank = np.empty(self.ids.size, dtype=np.int64)
        rank[np.lexsort((-self.ids, level_r, level_p, game))] = np.arange(self.ids.size)
        self.sorted_responder = self.responder[self.by_responder]
        self.position_of_rank = self.by_responder[np.argsort(rank[self.by_responder])]
        table = [rank[self.by_responder]]
        span = 1
        while 2 * span <= sizes.max():
            previous = table[-1]
            table.append(np.maximum(previous[:-span], previous[span:]))
            span *= 2
        self.table = table

    def best(self, lo: NDArray[np.float64], hi: NDArray[np.float64]) -> NDArray[np.int64]:
        """Per game (rows) and range, the position (in the concatenated candidates) of P's
        best candidate whose R-utility lies in ``[lo, hi)``, -1 where none."""
        left = np.empty(lo.shape, dtype=np.int64)
        right = np.empty(lo.shape, dtype=np.int64)
        for g in range(lo.shape[0]):
            start, stop = self.offsets[g], self.offsets[g + 1]
            segment = self.sorted_responder[start:stop]
            left[g] = np.searchsorted(segment, lo[g], side="left") + start
            right[g] = np.searchsorted(segment, hi[g], side="left") + start
        size = right - left
        found = size > 0
        level = np.zeros_like(size)
        level[found] = np.floor(np.log2(size[found])).astype(np.int64)
        out = np.full(lo.shape, -1, dtype=np.int64)
        for k in np.unique(level[found]):
            rows = found & (level == k)
            row = self.table[int(k)]
            top = np.maximum(row[left[rows]], row[right[rows] - (1 << int(k))])
            out[rows] = self.position_of_rank[top]
        return out


def _levels(
    values: NDArray[np.float64],
    game: NDArray[np.int64] | None = None,
    order: NDArray[np.int64] | None = None,
) -> NDArray[np.int64]:
    """Dense ranks of ``values`` in which values within TIE_TOL of the next lower one tie,
    within each ``game`` (ranks of later games start above those of earlier ones); ``order``
    is ``np.lexsort((values, game))`` when the caller has it."""
    if game is None:
        game = np.zeros(values.size, dtype=np.int64)
    if order is None:
        order = np.lexsort((values, game))
    steps = (np.diff(values[order]) > TIE_TOL) | (np.diff(game[order]) != 0)
    levels = np.empty(values.size, dtype=np.int64)
    levels[order] = np.concatenate([[0], np.cumsum(steps)])
    return levels


def type_order(
    type_flows: ArrayLike, weights: ArrayLike, types: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Types sorted by resolve, identical flow paths merged (weights summed), types without
    weight left out.

    Returns ``(flows (K', T + 1), weights (K',), types (K',))``; raises
    :class:`ScreeningError` when the flows do not order the types the same way in every
    period (the skimming property needs one order).

    Examples
    --------
    >>> f, w, v = type_order([[0.3, 0.4], [0.1, 0.2], [0.3, 0.4]], [0.2, 0.5, 0.3], [1, 2, 3])
    >>> f.tolist(), w.tolist(), v.tolist()
    ([[0.1, 0.2], [0.3, 0.4]], [0.5, 0.5], [2.0, 1.0])
    """
    flows = np.asarray(type_flows, dtype=np.float64)
    prior = np.asarray(weights, dtype=np.float64)
    values = np.asarray(types, dtype=np.float64)
    if flows.ndim != 2 or flows.shape[0] != prior.size or values.shape != prior.shape:
        raise ScreeningError(
            f"type flows must be (K, T + 1) with K weights and values, got {flows.shape}, "
            f"{prior.shape}, {values.shape}"
        )
    if prior.size == 0 or prior.size > TYPE_LIMIT:
        raise ScreeningError(f"the type grid must hold 1 to {TYPE_LIMIT} types, got {prior.size}")
    if not (np.isfinite(flows).all() and np.isfinite(prior).all()) or (prior < 0).any():
        raise ScreeningError("type flows and weights must be finite, weights >= 0")
    if prior.sum() <= 0:
        raise ScreeningError("type weights must not all be 0")
    held = prior > 0  # a type without weight never moves the belief
    flows, prior, values = flows[held], prior[held], values[held]
    order = np.lexsort(flows.T[::-1])
    flows, prior, values = flows[order], prior[order], values[order]
    if (np.diff(flows, axis=0) < 0).any():
        raise ScreeningError(
            "the types' war flows cross over time: no one order of resolve (skimming needs one)"
        )
    new = np.concatenate([[True], (np.diff(flows, axis=0) != 0).any(axis=1)])
    group = np.cumsum(new) - 1
    merged = np.zeros(int(group[-1]) + 1)
    np.add.at(merged, group, prior)
    return flows[new], merged / merged.sum(), values[new]


def screening(
    proposer_utility: ArrayLike,
    responder_utility: ArrayLike,
    indices: ArrayLike,
    proposer_flows: ArrayLike,
    type_flows: ArrayLike,
    weights: ArrayLike,
    discounts: ArrayLike,
    types: ArrayLike | None = None,
    tol: float = ACCEPT_TOL,
) -> Screening:
    """The screening game over periods ``0..T`` (see the module notes).

    Parameters
    ----------
    proposer_utility, responder_utility
        ``(n,)`` each candidate's utility to P and to R.
    indices
        ``(n,)`` distinct bundle indices of the candidates (ties break on these).
    proposer_flows
        ``(T + 1,)`` P's war flow per period.
    type_flows
        ``(K, T + 1)`` each type's war flow per period.
    weights
        ``(K,)`` the prior over types (normalised here).
    discounts
        ``(δ_P, δ_R)`` in ``(0, 1)``.
    types
        ``(K,)`` the types' values, reported back in resolve order (default ``0..K-1``).
    tol
        A utility within ``tol`` of a value of rejecting (or waiting) meets it.

    Examples
    --------
    Splitting a pie in hundredths: R's war flow is 0.2 or 0.5, equally likely, over one
    period. P asks for 0.8 (the weak type accepts, the strong one fights) rather than 0.5.

    >>> x = np.linspace(0, 1, 101)
    >>> s = screening(x, 1 - x, np.arange(101), [0.3], [[0.2], [0.5]], [0.5, 0.5], [0.9, 0.9])
    >>> s.offers, s.agreement.tolist(), s.p_breakdown
    ((80,), [0.5], 0.5)
    """
    return screening_many(
        [
            (
                proposer_utility,
                responder_utility,
                indices,
                proposer_flows,
                type_flows,
                weights,
                discounts,
                types,
            )
        ],
        tol,
    )[0]


ScreeningInput = tuple[
    ArrayLike, ArrayLike, ArrayLike, ArrayLike, ArrayLike, ArrayLike, ArrayLike, ArrayLike | None
]
"""The arguments of :func:`screening` before ``tol``, for one game."""

BATCH_CELLS = 2_000_000
"""Most ``games x types x types`` values the batched induction holds per array (about 16 MB)."""

BATCH_CANDIDATES = 4_000_000
"""Most candidates (over the games) one batch sorts for its range queries (about 100 MB)."""


Prepared = tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.int64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
    NDArray[np.float64],
]
"""The validated arguments of one game (:func:`_validated`)."""


def screening_many(games: Sequence[ScreeningInput], tol: float = ACCEPT_TOL) -> list[Screening]:
    """:func:`screening` for many games at once (e.g. the draws of a Monte Carlo block).

    The backward induction runs over a leading game axis: games whose type grids have the same
    size after :func:`type_order` are solved together, in batches of at most
    :data:`BATCH_CELLS` values per array and :data:`BATCH_CANDIDATES` candidates. Each game's
    result equals :func:`screening` of that game alone, float for float (it is this function
    with one game).
    """
    prepared = [_validated(*game) for game in games]
    results: list[Screening | None] = [None] * len(prepared)
    by_size: dict[int, list[int]] = {}
    for g, game in enumerate(prepared):
        by_size.setdefault(game[4].shape[0], []).append(g)
    for size, members in by_size.items():
        step = max(1, BATCH_CELLS // (size * size))
        chunk: list[int] = []
        held = 0
        for position, g in enumerate(members):
            chunk.append(g)
            held += prepared[g][0].size
            if len(chunk) == step or held >= BATCH_CANDIDATES or position == len(members) - 1:
                found = _induction([prepared[m] for m in chunk], tol)
                for m, result in zip(chunk, found, strict=True):
                    results[m] = result
                chunk, held = [], 0
    return [r for r in results if r is not None]


def _induction(games: list[Prepared], tol: float) -> list[Screening]:
    """The backward induction of the module notes for games with the same number of types
    ``K`` and periods, array operations over a leading game axis ``G``."""
    a = [g[0] for g in games]
    r = [g[1] for g in games]
    ids = [g[2] for g in games]
    f = np.stack([g[3] for g in games])  # (G, T + 1)
    flows = np.stack([g[4] for g in games])  # (G, K, T + 1)
    prior = np.stack([g[5] for g in games])  # (G, K)
    delta = np.stack([g[7] for g in games])  # (G, 2)
    n_games, n_types, periods = flows.shape
    horizon = periods - 1
    d_p, d_r = delta[:, 0], delta[:, 1]
    cumulative = np.concatenate([np.zeros((n_games, 1)), np.cumsum(prior, axis=1)], axis=1)
    states = np.arange(n_types)
    cutoffs = np.arange(1, n_types + 1)
    following = np.minimum(np.arange(n_types + 1), n_types - 1)  # s(m) for m = 0..K
    # share[g, j, m - 1] = Π(j, m) for m > j
    mass = cumulative[:, n_types][:, None] - cumulative[:, :n_types]  # (G, K)
    share = (cumulative[:, None, 1:] - cumulative[:, :n_types, None]) / mass[:, :, None]
    complement = 1.0 - share
    later = cutoffs[None, :] > states[:, None]
    best = _Best(a, r, ids)
    a_all, r_all = best.proposer, best.responder
    rows = np.arange(n_games)[:, None]

    values_next = np.repeat(flows[:, :, horizon][:, :, None], n_types, axis=2)  # V_k(T + 1, j)
    proposer_next = np.repeat(f[:, horizon][:, None], n_types, axis=1)  # U(T + 1, j)
    plans: list[tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.int64]]] = []
    for t in range(horizon, -1, -1):
        later_values = np.concatenate([values_next, values_next[:, :, -1:]], axis=2)  # s(m)
        reject = (1.0 - d_r)[:, None, None] * flows[:, :, t][:, :, None] + d_r[
            :, None, None
        ] * later_values
        wait = (1.0 - d_p)[:, None] * f[:, t][:, None] + d_p[:, None] * proposer_next[
            :, following
        ]  # (G, K + 1)
        lo = reject[:, cutoffs - 1, cutoffs] - tol
        hi = np.concatenate(
            [reject[:, cutoffs[:-1], cutoffs[:-1]] - tol, np.full((n_games, 1), np.inf)], axis=1
        )
        position = best.best(lo, hi)  # (G, K) positions in the concatenated candidates
        exists = position >= 0
        safe = np.maximum(position, 0)
        offer_r = np.where(exists, r_all[safe], 0.0)
        # P's value of each cutoff some bundle induces, per state; the largest cutoff among
        # those within TIE_TOL of the best (only the induced cutoffs: often few)
        columns = np.flatnonzero(exists.any(axis=0))
        if columns.size:
            value = (
                share[:, :, columns] * a_all[safe[:, columns]][:, None, :]
                + complement[:, :, columns] * wait[:, columns + 1][:, None, :]
            )
            valid = later[None, :, columns] & exists[:, None, columns]
            value = np.where(valid, value, -np.inf)
            top = value.max(axis=2)
            tied = value >= top[:, :, None] - TIE_TOL
            pick = columns.size - 1 - np.argmax(tied[:, :, ::-1], axis=2)
            chosen = columns[pick]  # column m - 1
            picked = np.take_along_axis(value, pick[:, :, None], axis=2)[:, :, 0]
        else:
            top = np.full((n_games, n_types), -np.inf)
            chosen = np.broadcast_to(states, (n_games, n_types))
            picked = top
        makes = np.isfinite(top) & (top >= wait[:, :n_types] - tol)
        cutoff = np.where(makes, chosen + 1, states[None, :])
        proposer_next = np.where(makes, picked, wait[:, :n_types])
        accepts = makes[:, None, :] & (states[None, :, None] < cutoff[:, None, :])
        last = np.maximum(cutoff - 1, 0)
        rejecting = np.take_along_axis(
            reject, np.broadcast_to(cutoff[:, None, :], (n_games, n_types, n_types)), axis=2
        )
        values_next = np.where(accepts, offer_r[rows, last][:, None, :], rejecting)
        plans.append((cutoff, makes, position[rows, last]))
    plans.reverse()

    results = []
    for g in range(n_games):
        offers: list[int | None] = []
        agreement = np.zeros(horizon + 1)
        holdouts = []
        j = 0
        for t, (cutoff, makes, position) in enumerate(plans):
            holdouts.append(j)
            if j >= n_types or not makes[g, j]:
                offers.append(None)
                continue
            offers.append(int(best.ids[position[g, j]]))
            total = cumulative[g, n_types]
            agreement[t] = (cumulative[g, cutoff[g, j]] - cumulative[g, j]) / total
            j = int(cutoff[g, j])
        results.append(
            Screening(
                games[g][6],
                games[g][5],
                tuple(offers),
                agreement,
                tuple(holdouts),
                float(proposer_next[g, 0]),
            )
        )
    return results


def one_offer(
    proposer_utility: ArrayLike,
    responder_utility: ArrayLike,
    indices: ArrayLike,
    proposer_war: float,
    type_war: ArrayLike,
    weights: ArrayLike,
    tol: float = ACCEPT_TOL,
) -> OneOffer:
    """Fearon's (1995) take-it-or-leave-it offer with the responder's war value private.

    Parameters
    ----------
    proposer_utility, responder_utility, indices, tol
        As in :func:`screening`.
    proposer_war
        P's value of war (what rejection gives it).
    type_war
        ``(K,)`` each type's value of war.
    weights
        ``(K,)`` the prior over types.

    Examples
    --------
    A unit pie in hundredths, P's war value 0.3, R's 0.2 or 0.5: asking 0.8 risks war with
    probability 1/2 and is worth 0.55 to P; asking 0.5 is safe and worth 0.5.

    >>> x = np.linspace(0, 1, 101)
    >>> o = one_offer(x, 1 - x, np.arange(101), 0.3, [0.2, 0.5], [0.5, 0.5])
    >>> o.offer, o.p_breakdown, round(o.expected_utility, 12)
    (80, 0.5, 0.55)
    >>> [(p, b) for p, b, *_ in o.curve]
    [(0.5, 80), (0.0, 50)]
    """
    curve = _curve(proposer_utility, responder_utility, indices, type_war, weights, tol)
    return _pick(curve, float(proposer_war), tol)


@dataclass(frozen=True, eq=False)
class InformedOffer:
    """One take-it-or-leave-it offer when the proposer's value of war is private too.

    Types are independent: the proposer knows its own type and the prior over the responder's,
    the responder its own. Each proposer type makes the offer :func:`one_offer` gives with its
    own value of war; the risk–return trade-off (which bundles make which responder types
    accept) does not depend on the proposer's type.

    Attributes
    ----------
    offers
        Per proposer type (in the order given): the bundle index it offers, or None.
    weights
        ``(K_P,)`` the prior over the proposer's types (normalised).
    breakdowns
        ``(K_P,)`` per proposer type, the probability its offer is rejected (1: no offer).
    values
        ``(K_P,)`` per proposer type, its expected utility.
    war
        ``(K_P,)`` per proposer type, its value of war.
    curve
        Per number of accepting responder types that some bundle makes accept exactly,
        ``(p_breakdown, bundle, u_P, u_R, Pr(accept))`` of P's best such bundle (the same for
        every proposer type).
    """

    offers: tuple[int | None, ...]
    weights: NDArray[np.float64]
    breakdowns: NDArray[np.float64]
    values: NDArray[np.float64]
    war: NDArray[np.float64]
    curve: tuple[tuple[float, int, float, float, float], ...]

    @property
    def p_breakdown(self) -> float:
        """Probability of war over both sides' types."""
        return float(self.weights @ self.breakdowns)

    @property
    def expected_utility(self) -> float:
        """The proposer's expected utility over its types."""
        return float(self.weights @ self.values)

    def offer_shares(self) -> tuple[tuple[int | None, float], ...]:
        """Each distinct offer (None: no offer) with the probability the proposer makes it, in
        the order the types first make it."""
        shares: dict[int | None, float] = {}
        for offer, weight in zip(self.offers, self.weights.tolist(), strict=True):
            shares[offer] = shares.get(offer, 0.0) + weight
        return tuple(shares.items())


def informed_offer(
    proposer_utility: ArrayLike,
    responder_utility: ArrayLike,
    indices: ArrayLike,
    proposer_war: ArrayLike,
    proposer_weights: ArrayLike,
    type_war: ArrayLike,
    weights: ArrayLike,
    tol: float = ACCEPT_TOL,
) -> InformedOffer:
    """Fearon's one offer with both sides' values of war private and independent.

    ``proposer_war``/``proposer_weights`` are the proposer's types (its value of war) and their
    prior; the rest as in :func:`one_offer`, which this is for every proposer type (with one
    proposer type, exactly).

    Examples
    --------
    A unit pie in hundredths, R's war value 0.2 or 0.5: a proposer whose war is worth 0.3 asks
    0.8 (war with probability 1/2); one whose war is worth 0.1 prefers the safe 0.5.

    >>> x = np.linspace(0, 1, 101)
    >>> o = informed_offer(x, 1 - x, np.arange(101), [0.3, 0.1], [1, 1], [0.2, 0.5], [1, 1])
    >>> o.offers, o.breakdowns.tolist(), o.p_breakdown
    ((80, 50), [0.5, 0.0], 0.25)
    """
    own = np.asarray(proposer_war, dtype=np.float64)
    prior = np.asarray(proposer_weights, dtype=np.float64)
    if own.ndim != 1 or own.shape != prior.shape or own.size == 0 or own.size > TYPE_LIMIT:
        raise ScreeningError(
            f"the proposer's types must be (K,) values and weights, 1 to {TYPE_LIMIT}, got "
            f"{own.shape} and {prior.shape}"
        )
    if not (np.isfinite(own).all() and np.isfinite(prior).all()) or (prior < 0).any():
        raise ScreeningError("the proposer's war values and weights must be finite, weights >= 0")
    if prior.sum() <= 0:
        raise ScreeningError("the proposer's type weights must not all be 0")
    curve = _curve(proposer_utility, responder_utility, indices, type_war, weights, tol)
    picks = [_pick(curve, float(w), tol) for w in own]
    return InformedOffer(
        tuple(o.offer for o in picks),
        prior / prior.sum(),
        np.array([o.p_breakdown for o in picks]),
        np.array([o.expected_utility for o in picks]),
        own.copy(),
        curve,
    )


def _curve(
    proposer_utility: ArrayLike,
    responder_utility: ArrayLike,
    indices: ArrayLike,
    type_war: ArrayLike,
    weights: ArrayLike,
    tol: float,
) -> tuple[tuple[float, int, float, float, float], ...]:
    """The risk–return trade-off: per number ``m`` of accepting types that some bundle makes
    accept exactly, ``(1 - Pr(accept), bundle, u_P, u_R, Pr(accept))`` of P's best such bundle
    (the last entry is completed by :func:`_pick` with P's value of war)."""
    a, r, ids, _, flows, prior, _, _ = _validated(
        proposer_utility,
        responder_utility,
        indices,
        [0.0],
        np.asarray(type_war, dtype=np.float64)[:, None],
        weights,
        [0.5, 0.5],
        None,
    )
    war = flows[:, 0]
    n_types = war.size
    cumulative = np.concatenate([[0.0], np.cumsum(prior)])
    lo = war - tol
    hi = np.append(war[1:] - tol, np.inf)
    position = _Best([a], [r], [ids]).best(lo[None, :], hi[None, :])[0]
    curve: list[tuple[float, int, float, float, float]] = []
    for m in range(1, n_types + 1):
        k = int(position[m - 1])
        if k < 0:
            continue  # no bundle is accepted by exactly these types
        p_accept = float(cumulative[m] / cumulative[n_types])
        curve.append((1.0 - p_accept, int(ids[k]), float(a[k]), float(r[k]), p_accept))
    return tuple(curve)


def _pick(
    curve: tuple[tuple[float, int, float, float, float], ...], war_value: float, tol: float
) -> OneOffer:
    """P's best point of the trade-off given its value of war: the largest expected utility,
    ties (within TIE_TOL) to the larger cutoff; no offer unless it is worth at least war less
    ``tol``."""
    points = []
    best: tuple[float, int | None, float] = (war_value, None, 1.0)
    top = -np.inf
    for breakdown, bundle, mine, theirs, p_accept in curve:
        value = p_accept * mine + (1.0 - p_accept) * war_value
        points.append((breakdown, bundle, mine, theirs, value))
        if value >= top - TIE_TOL:  # ties go to the larger cutoff, as in screening
            top = max(top, value)
            if value >= war_value - tol:
                best = (value, bundle, breakdown)
            else:
                best = (war_value, None, 1.0)
    return OneOffer(best[1], best[2], best[0], tuple(points))


def _validated(
    proposer_utility: ArrayLike,
    responder_utility: ArrayLike,
    indices: ArrayLike,
    proposer_flows: ArrayLike,
    type_flows: ArrayLike,
    weights: ArrayLike,
    discounts: ArrayLike,
    types: ArrayLike | None,
) -> Prepared:
    a = np.asarray(proposer_utility, dtype=np.float64)
    r = np.asarray(responder_utility, dtype=np.float64)
    ids = np.asarray(indices)
    f = np.asarray(proposer_flows, dtype=np.float64)
    flows = np.asarray(type_flows, dtype=np.float64)
    delta = np.asarray(discounts, dtype=np.float64)
    if a.ndim != 1 or a.shape != r.shape or ids.shape != a.shape or a.size == 0:
        raise ScreeningError(f"utilities and indices must be (n,), got {a.shape}, {r.shape}")
    if not (np.isfinite(a).all() and np.isfinite(r).all()):
        raise ScreeningError("utilities must be finite")
    if not np.issubdtype(ids.dtype, np.integer) or np.unique(ids).size != ids.size:
        raise ScreeningError("indices must be distinct integers")
    if flows.ndim != 2 or f.shape != (flows.shape[1],) or not np.isfinite(f).all():
        raise ScreeningError(
            f"proposer flows must be (T + 1,) = {flows.shape[1:]}, finite; got {f.shape}"
        )
    if delta.shape != (2,) or not ((delta > 0) & (delta < 1)).all():
        raise ScreeningError(f"discounts must be two values in (0, 1), got {delta}")
    values = np.arange(flows.shape[0], dtype=np.float64) if types is None else types
    flows, prior, ordered = type_order(flows, weights, values)
    return a, r, ids.astype(np.int64), f, flows, prior, ordered, delta

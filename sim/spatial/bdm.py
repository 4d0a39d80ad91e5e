"""Bueno de Mesquita's expected-utility model, as formulated by Scholz, Calbert and Smith
(2011), with the choices its published ports differ on as options (docs/spatial.md).

Each dimension is played separately (BDM's model is one issue at a time). Arrays are
``(d, n)`` (dimensions, actors) and pairwise arrays ``(d, n, n)`` with the challenger ``i``
first and the target ``j`` second.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from sim.spatial.median import condorcet_winner, weighted_mean

Array = NDArray[np.float64]

NO_OFFER, CONFLICT, COMPROMISE, CAPITULATION = 0, 1, 2, 3
OFFER_KINDS = ("none", "conflict", "compromise", "capitulation")


@dataclass(frozen=True)
class BdmOptions:
    """The model's settings; every one the sources leave open (docs/spatial.md, "BDM").

    Attributes
    ----------
    rounds
        Most rounds of challenges (default 50).
    tol
        Positions have stopped moving when no actor moves more than ``tol`` times the range.
    group
        The group's position ``mu`` in the utilities of better and worse and as the forecast:
        ``median`` (the Condorcet winner by pairwise votes, BDM 1994) or ``mean`` (the
        capability x salience weighted mean).
    probability
        ``votes`` (each third party votes with weight ``c s`` times its margin, over the sum of
        absolute votes: Scholz et al. 2011) or ``count`` (each third party backs the
        nearer position with weight ``c s``, whatever its margin).
    q, t
        ``Q``: probability that, without a challenge, the status quo holds; ``T``: that it
        then gets better rather than worse (default 1 and 1: the better/worse terms drop out).
    security
        Risk comes from the security of each actor's position: ``others`` (the sum of what the
        others expect from challenging it, BDM 1985) or ``own`` (the sum of what it expects
        from challenging the others).
    perception
        Whose risk exponent prices the target's expected utility of challenging back: ``each``
        (the target's own) or ``challenger`` (the challenger's, as one port does).
    scale_range
        The range that normalises distances: ``scale`` (the declared scale) or ``positions``
        (the spread of the initial positions).
    voters
        Who votes in the probability of success (its denominator): ``all`` actors, ``i`` and
        ``j`` included (default), or ``third`` parties only.
    conflict
        Who prevails when both sides expect to gain: ``expected`` (the challenger, if it
        expects more than the target does: Scholz et al. 2011) or ``probability``
        (the challenger, if its probability of success is above one half).
    """

    rounds: int = 50
    tol: float = 1e-6
    group: Literal["median", "mean"] = "median"
    probability: Literal["votes", "count"] = "votes"
    q: float = 1.0
    t: float = 1.0
    security: Literal["others", "own"] = "others"
    perception: Literal["each", "challenger"] = "each"
    scale_range: Literal["scale", "positions"] = "scale"
    conflict: Literal["expected", "probability"] = "expected"
    voters: Literal["all", "third"] = "all"


@dataclass(frozen=True)
class BdmRound:
    """One round on every dimension: what each actor expected, offered and accepted.

    ``risk`` is ``(d, n)`` exponents ``r_i``; ``expected[d, i, j]`` is ``EU_i`` of challenging
    ``j``; ``offers`` the kind of ``i``'s offer to ``j`` (``OFFER_KINDS``); ``proposed`` the
    position ``j`` would move to (NaN without an offer); ``accepted[d, j]`` the challenger
    whose offer ``j`` took (-1: none); ``after`` the positions at the end of the round.
    """

    group: Array
    probability: Array
    risk: Array
    expected: Array
    offers: NDArray[np.int8]
    proposed: Array
    accepted: NDArray[np.int64]
    after: Array


@dataclass(frozen=True)
class BdmTrace:
    """Positions ``(rounds + 1, d, n)`` and group positions ``(rounds + 1, d)`` from the
    start, each round's detail, and whether positions stopped moving before the last round."""

    positions: Array
    group: Array
    rounds: tuple[BdmRound, ...]
    converged: bool


def group_position(x: Array, w: Array, group: str) -> Array:
    """``(d,)`` the group's position: the Condorcet winner or the weighted mean."""
    return condorcet_winner(x, w) if group == "median" else weighted_mean(x, w)


def success_probability(
    x: Array, w: Array, how: str = "votes", third_parties_only: bool = False
) -> Array:
    """``(d, n, n)`` probability that ``i``'s position prevails over ``j``'s, from every
    actor's support (Scholz et al. 2011); 0.5 where the positions coincide. With
    ``third_parties_only``, ``i`` and ``j`` themselves do not vote.

    ``votes``: ``P = sum_k max(v_k, 0) / sum_k |v_k|`` with
    ``v_k = w_k (|x_k - x_j| - |x_k - x_i|)``. The absolute sum uses
    ``||x_k - x_j| - |x_k - x_i|| = min(|x_i - x_j|, |2 x_k - x_i - x_j|)`` and prefix sums
    over the sorted positions (``O(n^2 log n)`` per dimension instead of ``n^3``).
    """
    d, n = x.shape
    if n <= BATCH_ACTORS:
        return _probability_rows(x, w, how, third_parties_only)
    out = np.empty((d, n, n))
    for k in range(d):
        out[k] = _probability_1d(x[k], w[k], how, third_parties_only)
    return out


BATCH_ACTORS = 8
"""Up to this many actors, :func:`success_probability` computes every dimension at once
(:func:`_probability_rows`); its sums then run in the same order as one dimension at a time,
so the two agree to the last bit (tested)."""


def _probability_rows(x: Array, w: Array, how: str, third_parties_only: bool) -> Array:
    """:func:`_probability_1d` for every row (dimension) of ``x`` and ``w`` at once; the
    searches over the sorted positions are counts, as there are few actors."""
    d, n = x.shape
    out = np.full((d, n, n), 0.5)
    if n < 2:
        return out
    order = np.argsort(x, axis=1, kind="stable")
    xs, ws = np.take_along_axis(x, order, 1), np.take_along_axis(w, order, 1)
    zero = np.zeros((d, 1))
    cw = np.concatenate((zero, np.cumsum(ws, axis=1)), axis=1)
    cx = np.concatenate((zero, np.cumsum(ws * xs, axis=1)), axis=1)
    total = cw[:, -1:]

    def below(values: Array) -> NDArray[np.intp]:  # searchsorted(xs, values, side="left")
        return np.asarray((xs[:, None, :] < values[:, :, None]).sum(axis=2), dtype=np.intp)

    def upto(values: Array) -> NDArray[np.intp]:  # searchsorted(xs, values, side="right")
        return np.asarray((xs[:, None, :] <= values[:, :, None]).sum(axis=2), dtype=np.intp)

    def at(table: Array, index: NDArray[np.intp]) -> Array:
        return np.take_along_axis(table, index, axis=1)

    ii, jj = _pairs(n)
    xi, xj = x[:, ii], x[:, jj]
    s = xi + xj
    mid = 0.5 * s
    at_mid = below(mid)
    if how == "count":
        near_low = at(cw, at_mid)
        near_high = total - at(cw, upto(mid))
        for_i = np.where(xi < xj, near_low, near_high)
        denom = near_low + near_high
        if third_parties_only:
            for_i = np.maximum(for_i - w[:, ii], 0.0)
            denom = np.maximum(denom - w[:, ii] - w[:, jj], 0.0)
        ok = (denom > 1e-12 * (1.0 + total)) & (xi != xj)
        p = np.where(ok, for_i / np.where(ok, denom, 1.0), 0.5)
    else:
        le, lt = upto(x), below(x)
        first = xi <= xj
        le_lo = np.where(first, le[:, ii], le[:, jj])
        lt_hi = np.where(first, lt[:, jj], lt[:, ii])
        w_le_lo, x_le_lo, w_lt_hi, x_lt_hi = (
            at(cw, le_lo),
            at(cx, le_lo),
            at(cw, lt_hi),
            at(cx, lt_hi),
        )
        w_lt_mid, x_lt_mid = at(cw, at_mid), at(cx, at_mid)
        loss = np.sum(w[:, :, None] * np.abs(x[:, :, None] - x[:, None, :]), axis=1)
        signed = loss[:, jj] - loss[:, ii]
        gap = np.abs(xi - xj)
        inside = np.maximum(w_lt_hi - w_le_lo, 0.0)
        left = s * (w_lt_mid - w_le_lo) - 2.0 * (x_lt_mid - x_le_lo)
        right = 2.0 * (x_lt_hi - x_lt_mid) - s * (w_lt_hi - w_lt_mid)
        absolute = gap * (total - inside) + np.maximum(left, 0.0) + np.maximum(right, 0.0)
        if third_parties_only:
            absolute = np.maximum(absolute - (w[:, ii] + w[:, jj]) * gap, 0.0)
            signed = signed - (w[:, ii] - w[:, jj]) * gap
        eps = 1e-12 * (1.0 + total * (1.0 + np.max(gap, axis=1, keepdims=True)))
        ok = absolute > eps
        p = np.where(ok, 0.5 * (absolute + signed) / np.where(ok, absolute, 1.0), 0.5)
    out[:, ii, jj] = p
    out[:, jj, ii] = 1.0 - p
    return out


@functools.lru_cache(maxsize=64)
def _pairs(n: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The index pairs ``i < j`` of ``n`` actors (computed once per ``n``, read-only)."""
    ii, jj = np.triu_indices(n, 1)
    ii.flags.writeable = False
    jj.flags.writeable = False
    return ii, jj


def _probability_1d(x: Array, w: Array, how: str, third_parties_only: bool) -> Array:
    """One dimension; each pair once (``i < j``), as ``P_ji = 1 - P_ij``."""
    n = x.shape[0]
    out = np.full((n, n), 0.5)
    if n < 2:
        return out
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cw = np.concatenate(([0.0], np.cumsum(ws)))
    cx = np.concatenate(([0.0], np.cumsum(ws * xs)))
    total = cw[-1]
    ii, jj = _pairs(n)
    xi, xj = x[ii], x[jj]
    s = xi + xj
    mid = 0.5 * s
    at_mid = np.searchsorted(xs, mid, side="left")  # positions strictly below the midpoint
    if how == "count":
        near_low = cw[at_mid]
        near_high = total - cw[np.searchsorted(xs, mid, side="right")]
        low_is_i = xi < xj
        for_i = np.where(low_is_i, near_low, near_high)
        denom = near_low + near_high
        if third_parties_only:  # i backs itself, j itself (their positions differ here)
            for_i = np.maximum(for_i - w[ii], 0.0)
            denom = np.maximum(denom - w[ii] - w[jj], 0.0)
        ok = (denom > 1e-12 * (1.0 + total)) & (xi != xj)
        p = np.where(ok, for_i / np.where(ok, denom, 1.0), 0.5)
    else:
        # each actor's rank: positions <= it and positions < it (a pair's ends are actors)
        le = np.searchsorted(xs, x, side="right")
        lt = np.searchsorted(xs, x, side="left")
        first = xi <= xj
        le_lo = np.where(first, le[ii], le[jj])
        lt_hi = np.where(first, lt[jj], lt[ii])
        w_le_lo, x_le_lo, w_lt_hi, x_lt_hi = cw[le_lo], cx[le_lo], cw[lt_hi], cx[lt_hi]
        w_lt_mid, x_lt_mid = cw[at_mid], cx[at_mid]
        loss = np.sum(w[:, None] * np.abs(x[:, None] - x[None, :]), axis=0)
        signed = loss[jj] - loss[ii]  # sum_k v_k for i over j
        gap = np.abs(xi - xj)
        inside = np.maximum(w_lt_hi - w_le_lo, 0.0)
        left = s * (w_lt_mid - w_le_lo) - 2.0 * (x_lt_mid - x_le_lo)
        right = 2.0 * (x_lt_hi - x_lt_mid) - s * (w_lt_hi - w_lt_mid)
        absolute = gap * (total - inside) + np.maximum(left, 0.0) + np.maximum(right, 0.0)
        if third_parties_only:  # i's own vote is w_i |x_i - x_j| for i, j's the same for j
            absolute = np.maximum(absolute - (w[ii] + w[jj]) * gap, 0.0)
            signed = signed - (w[ii] - w[jj]) * gap
        eps = 1e-12 * (1.0 + total * (1.0 + float(np.max(gap))))
        ok = absolute > eps
        p = np.where(ok, 0.5 * (absolute + signed) / np.where(ok, absolute, 1.0), 0.5)
    out[ii, jj] = p
    out[jj, ii] = 1.0 - p
    return out


def expected_utility(
    x: Array,
    salience: Array,
    p: Array,
    mu: Array,
    span: Array,
    r: Array | None,
    q: float,
    t: float,
) -> Array:
    """``(d, n, n)`` ``EU_i`` of challenging ``j`` (Scholz et al. 2011; docs/spatial.md):

    ``EU = s_j (P U_s + (1 - P) U_f) + (1 - s_j) U_s - Q U_sq - (1 - Q)(T U_b + (1 - T) U_w)``

    with ``U_s = 2 - 4 (0.5 - 0.5 D)^r``, ``U_f = 2 - 4 (0.5 + 0.5 D)^r``,
    ``U_b = 2 - 4 (0.5 - 0.25 (G + D))^r``, ``U_w = 2 - 4 (0.5 + 0.25 (G + D))^r``,
    ``U_sq = 2 - 4 (0.5)^r``, ``D = |x_i - x_j| / range``, ``G = |x_i - mu| / range``; ``r``
    broadcasts to ``(d, n, n)`` (the exponent pricing each pair; None: risk neutral,
    ``r = 1``). Zero where ``x_i = x_j``.
    """
    delta = np.abs(x[:, :, None] - x[:, None, :]) / span[:, None, None]

    def u(base: Array) -> Array:
        base = np.clip(base, 0.0, None)
        return 2.0 - 4.0 * (base if r is None else np.power(base, r))

    u_s, u_f = u(0.5 - 0.5 * delta), u(0.5 + 0.5 * delta)
    s_j = salience[:, None, :]
    eu = s_j * (p * u_s + (1.0 - p) * u_f) + (1.0 - s_j) * u_s
    eu -= q * u(np.full((1, 1, 1), 0.5))
    if q != 1.0:
        g = (np.abs(x - mu[:, None]) / span[:, None])[:, :, None]
        u_b, u_w = u(0.5 - 0.25 * (g + delta)), u(0.5 + 0.25 * (g + delta))
        eu -= (1.0 - q) * (t * u_b + (1.0 - t) * u_w)
    return np.where(delta > 0.0, eu, 0.0)


def risk_exponents(security: Array) -> Array:
    """``(d, n)`` ``r_i = (1 - R_i / 3) / (1 + R_i / 3)`` with
    ``R_i = (2 S_i - max S - min S) / (max S - min S)`` (0 when every ``S`` is equal), so
    ``r`` lies in [0.5, 2] (Bueno de Mesquita 1985; Scholz et al. 2011)."""
    top = np.max(security, axis=-1, keepdims=True)
    bottom = np.min(security, axis=-1, keepdims=True)
    spread = top - bottom
    ok = spread > 1e-12 * (1.0 + np.abs(top))
    big_r = np.where(ok, (2.0 * security - top - bottom) / np.where(ok, spread, 1.0), 0.0)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def bdm_round(
    x: Array, salience: Array, capability: Array, span: Array, options: BdmOptions
) -> BdmRound:
    """One round: group position, probabilities, risk, expected utilities, offers (conflict,
    compromise, capitulation; Scholz et al. 2011), each target taking the offer that
    moves it least (ties: the first challenger)."""
    w = capability * salience
    mu = group_position(x, w, options.group)
    p = success_probability(x, w, options.probability, options.voters == "third")
    neutral = expected_utility(x, salience, p, mu, span, None, options.q, options.t)
    sums = neutral.sum(axis=-2) if options.security == "others" else neutral.sum(axis=-1)
    r = risk_exponents(sums)
    own = expected_utility(x, salience, p, mu, span, r[:, :, None], options.q, options.t)
    if options.perception == "each":
        back = np.swapaxes(own, -1, -2)
    else:  # j's expected utility of challenging i, priced with i's exponent
        by_target = expected_utility(x, salience, p, mu, span, r[:, None, :], options.q, options.t)
        back = np.swapaxes(by_target, -1, -2)
    a, b = own, back
    offers = np.zeros(a.shape, dtype=np.int8)
    prevails = (a > b) if options.conflict == "expected" else (p > 0.5)
    offers[(a > 0) & (b > 0) & prevails] = CONFLICT
    offers[(a > 0) & (b < 0) & (a > -b)] = COMPROMISE
    offers[(a > 0) & (b < 0) & (a <= -b)] = CAPITULATION
    xi, xj = x[:, :, None], x[:, None, :]
    share = np.where(offers == COMPROMISE, -b / np.where(a > 0, a, 1.0), 1.0)
    proposed = np.where(offers != NO_OFFER, xj + (xi - xj) * share, np.nan)
    movement = np.where(offers != NO_OFFER, np.abs(proposed - xj), np.inf)
    best = np.argmin(movement, axis=-2)  # per target, the least movement (first on ties)
    has = np.isfinite(np.min(movement, axis=-2))
    accepted = np.where(has, best, -1)
    taken = np.take_along_axis(proposed, best[:, None, :], axis=-2)[:, 0, :]
    after = np.where(has, taken, x)
    return BdmRound(mu, p, r, own, offers, proposed, accepted, after)


def run_bdm(
    positions: Array, salience: Array, capability: Array, span: Array, options: BdmOptions
) -> BdmTrace:
    """Rounds of :func:`bdm_round`; a dimension stops once no position on it moved more
    than ``tol`` times its range in a round (each dimension is its own game, so running
    dimensions together equals running them one at a time), and every dimension stops after
    ``options.rounds`` rounds. ``positions`` and ``salience`` are ``(d, n)``, ``capability``
    ``(n,)`` or ``(d, n)``, ``span`` ``(d,)`` the range normalising distances. A round's
    detail lists offers only on the dimensions still playing."""
    x = positions.astype(np.float64)
    capability = np.broadcast_to(capability, x.shape)
    w = capability * salience
    history, groups, rounds = [x], [group_position(x, w, options.group)], []
    playing = np.ones(x.shape[0], dtype=bool)
    for _ in range(options.rounds):
        if not playing.any():
            break
        live = np.flatnonzero(playing)
        part = bdm_round(x[live], salience[live], capability[live], span[live], options)
        detail = _widen(part, live, x, w, options)
        rounds.append(detail)
        moved = np.max(np.abs(detail.after - x), axis=-1) / span
        x = detail.after
        history.append(x)
        groups.append(group_position(x, w, options.group))
        playing &= moved > options.tol
    return BdmTrace(np.stack(history), np.stack(groups), tuple(rounds), not playing.any())


def _widen(
    part: BdmRound, live: NDArray[np.int64], x: Array, w: Array, options: BdmOptions
) -> BdmRound:
    """A round played on the dimensions ``live`` as a round of every dimension: the others
    keep their positions, with no offers (NaN where there is nothing to report)."""
    d, n = x.shape
    if len(live) == d:
        return part
    group = group_position(x, w, options.group)
    group[live] = part.group
    probability = np.full((d, n, n), np.nan)
    risk = np.full((d, n), np.nan)
    expected = np.zeros((d, n, n))
    offers = np.zeros((d, n, n), dtype=np.int8)
    proposed = np.full((d, n, n), np.nan)
    accepted = np.full((d, n), -1, dtype=np.int64)
    after = x.copy()
    for full, piece in (
        (probability, part.probability), (risk, part.risk), (expected, part.expected),
        (offers, part.offers), (proposed, part.proposed), (accepted, part.accepted),
        (after, part.after),
    ):  # fmt: skip
        full[live] = piece
    return BdmRound(group, probability, risk, expected, offers, proposed, accepted, after)

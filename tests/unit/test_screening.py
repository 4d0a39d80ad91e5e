"""Screening under one-sided private information: oracles that share no code with the engine.

- Fearon (1995): the take-it-or-leave-it offer for a divisible good with uniformly distributed
  private costs, in closed form (discrete uniform grid, and its continuous limit);
- a brute-force search of the perfect Bayesian equilibrium over every offer and every set of
  accepting types (any subset, not only truncations) on tiny type grids;
- the complete-information result (rotating offers with the uninformed party proposing in every
  period) exactly, when every type is the same.
"""

from __future__ import annotations

import itertools
import math
from functools import cache

import numpy as np
import pytest

import sim.core.screening as screening_module
from sim.core.bargaining import rotating_offers
from sim.core.screening import ScreeningError, one_offer, screening, type_order

TOL = 1e-9


def fearon_discrete(p: float, cost_a: float, c_lo: float, step: float, n_types: int):
    """A proposes the split x (its share) of a unit pie; B's cost is c_lo + k * step,
    k = 0..K-1, each with probability 1/K; B accepts x iff 1 - x >= 1 - p - c, i.e.
    c >= x - p. Offering x_k = p + c_k (the cheapest offer type k accepts) is accepted by the
    K - k types k..K-1, so A's expected utility is

        EU(k) = ((K - k) (p + c_lo + k step) + k (p - cost_a)) / K,

    a concave quadratic in k, maximal at k* = (K step - c_lo - cost_a) / (2 step) (Fearon 1995,
    §"Private information", discretised). Returns (k*, x*, breakdown, EU) for integer k*."""
    k_star = (n_types * step - c_lo - cost_a) / (2 * step)
    assert abs(k_star - round(k_star)) < 1e-12, "choose parameters with an integer k*"
    k = round(k_star)
    x = p + c_lo + k * step
    value = ((n_types - k) * (p + c_lo + k * step) + k * (p - cost_a)) / n_types
    return k, x, k / n_types, value


def pie(n: int):
    x = np.arange(n + 1) / n
    return x, 1.0 - x, np.arange(n + 1)


def test_one_offer_matches_fearon_closed_form_to_1e9():
    # A's chance 0.4, its cost 0.04; B's cost uniform on {0.0, 0.01, ..., 0.39} (40 types)
    p, cost_a, c_lo, step, n_types = 0.4, 0.04, 0.0, 0.01, 40
    k, x, breakdown, value = fearon_discrete(p, cost_a, c_lo, step, n_types)
    a, r, ids = pie(1000)  # the divisible good in thousandths (every threshold is a split)
    costs = c_lo + step * np.arange(n_types)
    result = one_offer(a, r, ids, p - cost_a, 1.0 - p - costs, np.ones(n_types))
    assert k == 18  # (40 * 0.01 - 0.04) / 0.02: the 18 least costly types fight
    assert result.offer is not None
    assert abs(a[result.offer] - x) <= 1e-9
    assert abs(result.p_breakdown - breakdown) <= 1e-9
    assert abs(result.expected_utility - value) <= 1e-9


def test_one_offer_tends_to_the_continuous_fearon_offer():
    # cost ~ U[0, h]: x* = p + (h - c_A) / 2, war with probability (h - c_A) / (2 h)
    p, cost_a, h = 0.3, 0.1, 0.5
    a, r, ids = pie(20000)
    for n_types in (50, 500):
        costs = h * (np.arange(n_types) + 0.5) / n_types
        result = one_offer(a, r, ids, p - cost_a, 1.0 - p - costs, np.ones(n_types))
        assert result.offer is not None
        gap = abs(a[result.offer] - (p + (h - cost_a) / 2))
        assert gap <= 2 * h / n_types
        assert abs(result.p_breakdown - (h - cost_a) / (2 * h)) <= 2 / n_types


def test_one_offer_curve_trades_terms_for_risk():
    a, r, ids = pie(1000)
    costs = 0.01 * np.arange(40)
    result = one_offer(a, r, ids, 0.35, 0.6 - costs, np.ones(40))
    risks = [c[0] for c in result.curve]
    terms = [c[2] for c in result.curve]
    assert risks == sorted(risks, reverse=True)  # more types accept, less risk ...
    assert terms == sorted(terms, reverse=True)  # ... for worse terms for the proposer
    top = max(c[4] for c in result.curve)
    tied = [c for c in result.curve if c[4] >= top - 1e-12]  # here two cutoffs tie ...
    assert len(tied) == 2 and tied[-1][1] == result.offer  # ... and the safer one is played


def test_fearon_oracle_fails_on_a_wrong_acceptance_rule(monkeypatch):
    """Mutation: types that accept only offers strictly better than war (not at indifference,
    as Fearon's model has it) move the offer off the closed form."""
    original = screening_module._Best.best

    def strictly(self, lo, hi):
        return original(self, lo + 2 * TOL, hi)

    monkeypatch.setattr(screening_module._Best, "best", strictly)
    a, r, ids = pie(1000)
    costs = 0.01 * np.arange(40)
    result = one_offer(a, r, ids, 0.36, 0.6 - costs, np.ones(40))
    _, _, _, value = fearon_discrete(0.4, 0.04, 0.0, 0.01, 40)
    assert result.offer is None or abs(result.expected_utility - value) > 1e-9


# --- brute force over the perfect Bayesian equilibrium --------------------------------------


def brute_force(a, r, ids, f, flows, prior, d_p, d_r, tol=TOL):
    """Perfect Bayesian equilibrium by exhaustive search: in every state (period, set of types
    still holding out: any subset) the proposer tries every bundle with every set of types that
    could accept it consistently (each accepter weakly prefers accepting, each other type
    strictly prefers rejecting, given the continuation that rejection leads to) and no offer;
    it plays its best. Plain Python; assumes generic numbers (no ties)."""
    n_types, horizon = len(prior), len(f) - 1

    @cache
    def solve(t, holding):
        if t > horizon:
            return f[horizon], tuple(flows[k][horizon] for k in range(n_types)), ()
        total = sum(prior[k] for k in holding)
        waiting = solve(t + 1, holding)
        wait_value = (1 - d_p) * f[t] + d_p * waiting[0]
        best = None
        for b in range(len(a)):
            for size in range(1, len(holding) + 1):
                for accept in itertools.combinations(holding, size):
                    rest = tuple(k for k in holding if k not in accept)
                    after = solve(t + 1, rest if rest else (max(holding, key=_key(flows)),))
                    reject = [(1 - d_r) * flows[k][t] + d_r * after[1][k] for k in range(n_types)]
                    if not all(r[b] >= reject[k] - tol for k in accept):
                        continue
                    if not all(r[b] < reject[k] - tol for k in rest):
                        continue
                    share = sum(prior[k] for k in accept) / total
                    value = share * a[b] + (1 - share) * ((1 - d_p) * f[t] + d_p * after[0])
                    if best is None or value > best[0]:
                        best = (value, b, accept, reject, after)
        if best is None or best[0] < wait_value - tol:
            values = tuple((1 - d_r) * flows[k][t] + d_r * waiting[1][k] for k in range(n_types))
            return wait_value, values, (None, (), waiting)
        value, b, accept, reject, after = best
        values = tuple(
            r[b] if (k in accept or (k not in holding and r[b] >= reject[k] - tol)) else reject[k]
            for k in range(n_types)
        )
        return value, values, (b, accept)

    value = solve(0, tuple(range(n_types)))[0]
    # the path: offers and the probability of agreement in each period
    holding, offers, agreement = tuple(range(n_types)), [], []
    for t in range(horizon + 1):
        if not holding:
            offers.append(None)
            agreement.append(0.0)
            continue
        plan = solve(t, holding)[2]
        if plan[0] is None:
            offers.append(None)
            agreement.append(0.0)
            continue
        b, accept = plan
        offers.append(int(ids[b]))
        agreement.append(sum(prior[k] for k in accept) / sum(prior))
        holding = tuple(k for k in holding if k not in accept)
    return value, offers, agreement


def _key(flows):
    return lambda k: tuple(flows[k])


def random_instance(rng, n_bundles, n_types, horizon):
    a = rng.random(n_bundles)
    r = rng.random(n_bundles)
    ids = rng.permutation(100)[:n_bundles]
    f = rng.random(horizon + 1) * 0.5
    base = rng.random(horizon + 1) * 0.3
    steps = rng.random((n_types, horizon + 1)) * 0.3
    flows = base[None, :] + np.cumsum(steps, axis=0)  # nondecreasing in the type
    prior = rng.random(n_types) + 0.1
    d_p, d_r = rng.uniform(0.5, 0.95, 2)
    return a, r, ids, f, flows, prior, d_p, d_r


@pytest.mark.parametrize("seed", range(60))
def test_screening_equals_brute_force_on_tiny_type_grids(seed):
    rng = np.random.default_rng(seed)
    n_types = 2 + seed % 2
    horizon = 1 + seed % 3
    a, r, ids, f, flows, prior, d_p, d_r = random_instance(rng, 5, n_types, horizon)
    result = screening(a, r, ids, f, flows, prior, [d_p, d_r])
    value, offers, agreement = brute_force(
        tuple(a), tuple(r), tuple(ids), tuple(f), tuple(map(tuple, flows)), tuple(prior), d_p, d_r
    )
    assert abs(result.proposer_value - value) <= 1e-9
    assert list(result.offers) == offers
    assert np.allclose(result.agreement, agreement, atol=1e-12)


def test_brute_force_finds_delay_the_engine_must_match():
    """Some tiny instances agree after period 0 with positive probability: the oracle covers
    screening over time, not only one-shot offers."""
    delayed = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        a, r, ids, f, flows, prior, d_p, d_r = random_instance(rng, 5, 2 + seed % 2, 1 + seed % 3)
        _, _, agreement = brute_force(
            tuple(a), tuple(r), tuple(ids), tuple(f), tuple(map(tuple, flows)), tuple(prior),
            d_p, d_r,
        )  # fmt: skip
        delayed += any(p > 0 for p in agreement[1:])
    assert delayed >= 5


def test_brute_force_catches_offers_that_ignore_the_next_type(monkeypatch):
    """Mutation: choosing, for a cutoff, the proposer's best bundle among all those the last
    accepting type takes (not only those the next type rejects) miscounts who accepts; the
    brute force tells the difference."""
    original = screening_module._Best.best

    def at_least(self, lo, hi):
        return original(self, lo, np.full_like(hi, np.inf))

    monkeypatch.setattr(screening_module._Best, "best", at_least)
    differ = 0
    for seed in range(30):
        rng = np.random.default_rng(seed)
        a, r, ids, f, flows, prior, d_p, d_r = random_instance(rng, 5, 3, 2)
        wrong = screening(a, r, ids, f, flows, prior, [d_p, d_r])
        value, _, _ = brute_force(
            tuple(a), tuple(r), tuple(ids), tuple(f), tuple(map(tuple, flows)), tuple(prior),
            d_p, d_r,
        )  # fmt: skip
        differ += abs(wrong.proposer_value - value) > 1e-9
    assert differ > 0


# --- zero spread: the complete-information result, exactly -----------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_zero_spread_is_rotating_offers_with_the_uninformed_party_proposing(seed):
    rng = np.random.default_rng(seed)
    n, horizon = 200, 12
    u = rng.random((n, 2))
    ids = rng.permutation(10 * n)[:n]
    flows = np.sort(rng.random((horizon + 1, 2)) * 0.6, axis=0)[:: 1 if seed % 2 else -1]
    delta = rng.uniform(0.5, 0.99, 2)
    complete = rotating_offers(u, ids, [0, 1], flows, delta, order=[0])
    copies = 1 + seed % 4  # identical types: a spread of zero
    result = screening(
        u[:, 0], u[:, 1], ids, flows[:, 0], np.repeat(flows[:, 1][None, :], copies, 0),
        np.ones(copies), delta,
    )  # fmt: skip
    values = complete.values()
    assert result.proposer_value == values[0, 0]
    if complete.agreement_period is None:
        assert result.agreement.sum() == 0.0
        assert all(o is None for o in result.offers)
    else:
        t = complete.agreement_period
        assert result.agreement.tolist() == [1.0 if s == t else 0.0 for s in range(horizon + 1)]
        assert result.offers[t] == complete.bundle
        assert result.expected_month == t and result.p_breakdown == 0.0


def test_zero_spread_check_catches_a_wrong_tie_rule(monkeypatch):
    """Mutation: ties in the proposer's utility broken towards the lowest bundle index only
    (not the responder's utility first) differ from rotating offers on a pie with ties."""
    monkeypatch.setattr(screening_module, "_levels", lambda v, *_: np.zeros(v.size, dtype=np.int64))
    u = np.array([[0.5, 0.2], [0.5, 0.4], [0.2, 0.9]])
    flows = np.full((2, 2), 0.1)
    complete = rotating_offers(u, np.arange(3), [0, 1], flows, [0.9, 0.9], order=[0])
    result = screening(
        u[:, 0], u[:, 1], np.arange(3), flows[:, 0], flows[:, 1][None], [1], [0.9, 0.9]
    )
    assert result.offers[0] != complete.bundle


# --- the range query, vectorised against one at a time ----------------------------------------


def test_range_best_equals_a_plain_scan():
    """Three games at once (300, 40 and 1 candidates): per game and range, the plain scan of
    that game's candidates (P's utility, then R's, then the lowest index, ties within 1e-12)."""
    rng = np.random.default_rng(3)
    sizes = (300, 40, 1)
    a = [np.round(rng.random(n), 2) for n in sizes]  # many ties
    r = [np.round(rng.random(n), 2) for n in sizes]
    ids = [rng.permutation(n) for n in sizes]
    best = screening_module._Best(a, r, ids)
    lo = rng.random((3, 500))
    hi = lo + rng.random((3, 500)) * 0.5
    got = best.best(lo, hi)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    for g, n in enumerate(sizes):
        for k in range(500):
            inside = [i for i in range(n) if lo[g, k] <= r[g][i] < hi[g, k]]
            if not inside:
                assert got[g, k] == -1
                continue
            top = max(a[g][i] for i in inside)
            tied = [i for i in inside if a[g][i] >= top - 1e-12]
            top_r = max(r[g][i] for i in tied)
            tied = [i for i in tied if r[g][i] >= top_r - 1e-12]
            assert got[g, k] - offsets[g] == min(tied, key=lambda i: ids[g][i])


@pytest.mark.parametrize("candidates", [4_000_000, 60])
def test_many_games_at_once_equal_each_game_alone(candidates, monkeypatch):
    """The batched induction (games of different candidate counts, discounts, priors and type
    counts, solved together where their grids have the same size; also in batches cut at 60
    candidates) against each game solved alone: the same floats."""
    monkeypatch.setattr(screening_module, "BATCH_CANDIDATES", candidates)
    rng = np.random.default_rng(11)
    games = []
    for _ in range(25):
        n, n_types, horizon = int(rng.integers(3, 40)), int(rng.integers(1, 5)), 3
        a, r = rng.random(n), rng.random(n)
        ids = rng.choice(1000, size=n, replace=False)
        f = rng.random(horizon + 1) * 0.4
        flows = np.sort(rng.random((n_types, 1)) * 0.6, axis=0) + np.linspace(0, 0.1, horizon + 1)
        prior = rng.integers(1, 4, n_types).astype(float)
        delta = rng.uniform(0.3, 0.95, 2)
        games.append((a, r, ids, f, flows, prior, delta, None))
    together = screening_module.screening_many(games)
    assert len({g[4].shape[0] for g in games}) > 1
    for game, got in zip(games, together, strict=True):
        alone = screening(*game)
        assert got.offers == alone.offers and got.holdouts == alone.holdouts
        assert np.array_equal(got.agreement, alone.agreement)
        assert got.proposer_value == alone.proposer_value
        assert np.array_equal(got.types, alone.types)


def test_one_offer_is_screening_over_one_period():
    rng = np.random.default_rng(5)
    a, r = rng.random(400), rng.random(400)
    war = np.sort(rng.random(30)) * 0.6
    one = one_offer(a, r, np.arange(400), 0.2, war, np.ones(30))
    many = screening(a, r, np.arange(400), [0.2], war[:, None], np.ones(30), [0.9, 0.9])
    assert many.offers[0] == one.offer
    assert math.isclose(many.p_breakdown, one.p_breakdown, abs_tol=1e-12)


# --- bad input --------------------------------------------------------------------------------


def test_crossing_type_flows_are_refused():
    with pytest.raises(ScreeningError, match="cross"):
        type_order([[0.1, 0.5], [0.2, 0.3]], [1, 1], [0, 1])


def test_a_grid_beyond_the_limit_is_refused_at_once():
    n = screening_module.TYPE_LIMIT + 1
    with pytest.raises(ScreeningError, match="1 to"):
        type_order(np.zeros((n, 2)), np.ones(n), np.arange(n))


def test_types_without_weight_change_nothing():
    rng = np.random.default_rng(11)
    a, r, ids, f, flows, prior, d_p, d_r = random_instance(rng, 40, 4, 3)
    kept = screening(a, r, ids, f, flows[[0, 2]], prior[[0, 2]], [d_p, d_r])
    zeroed = screening(a, r, ids, f, flows, prior * np.array([1, 0, 1, 0]), [d_p, d_r])
    assert kept.proposer_value == zeroed.proposer_value and kept.offers == zeroed.offers
    assert np.array_equal(kept.agreement, zeroed.agreement)


# --- both sides informed: one offer by a proposer that knows its own type --------------------


def one_offer_brute_force(a, r, own_war, type_war, weights, tol=TOL):
    """Every bundle tried: Pr(accept b) counts the responder types with u_R(b) >= d_k - tol;
    the proposer of war value ``own_war`` keeps the best expected utility (ties within 1e-12
    to the safer offer), or war. Returns (expected utility, probability of war)."""
    weights = np.asarray(weights, dtype=float) / np.sum(weights)
    best, breakdown = own_war, 1.0
    for mine, theirs in zip(a, r, strict=True):
        p_accept = float(
            sum(w for w, d in zip(weights, type_war, strict=True) if theirs >= d - tol)
        )
        if p_accept == 0.0:
            continue
        value = p_accept * mine + (1.0 - p_accept) * own_war
        if value > best + 1e-12 or (abs(value - best) <= 1e-12 and 1.0 - p_accept < breakdown):
            best, breakdown = value, 1.0 - p_accept
    return best, breakdown


def test_informed_offer_matches_fearon_per_proposer_type_to_1e9():
    # B's cost uniform on {0, 0.01, ..., 0.39}; A's cost private too, 0.00, 0.02, 0.04 or 0.06:
    # each A type makes Fearon's discrete offer for its own cost, k* = (0.4 - c_A) / 0.02
    p, step, n_types = 0.4, 0.01, 40
    own_costs = np.array([0.0, 0.02, 0.04, 0.06])
    a, r, ids = pie(1000)
    costs = step * np.arange(n_types)
    result = screening_module.informed_offer(
        a, r, ids, p - own_costs, np.ones(4), 1.0 - p - costs, np.ones(n_types)
    )
    expected_breakdown = 0.0
    for c_a, offer, breakdown, value in zip(
        own_costs, result.offers, result.breakdowns, result.values, strict=True
    ):
        _, x, closed_breakdown, closed_value = fearon_discrete(p, c_a, 0.0, step, n_types)
        assert offer is not None and abs(a[offer] - x) <= 1e-9
        assert abs(breakdown - closed_breakdown) <= 1e-9
        assert abs(value - closed_value) <= 1e-9
        expected_breakdown += closed_breakdown / 4
    assert abs(result.p_breakdown - expected_breakdown) <= 1e-9  # (20 + 19 + 18 + 17) / 160
    assert dict(result.offer_shares()) == {o: 0.25 for o in result.offers}


def test_informed_offer_equals_a_brute_force_over_every_bundle():
    rng = np.random.default_rng(7)
    for _ in range(30):
        n, n_types, n_own = int(rng.integers(5, 60)), int(rng.integers(1, 8)), 5
        a, r = rng.random(n), rng.random(n)
        type_war = np.sort(rng.random(n_types))
        weights = rng.integers(1, 4, n_types).astype(float)
        own_war, own_weights = rng.random(n_own) * 0.8, rng.integers(1, 3, n_own).astype(float)
        result = screening_module.informed_offer(
            a, r, np.arange(n), own_war, own_weights, type_war, weights
        )
        total = 0.0
        for k, war in enumerate(own_war):
            value, breakdown = one_offer_brute_force(a, r, war, type_war, weights)
            assert abs(result.values[k] - value) <= 1e-12
            assert abs(result.breakdowns[k] - breakdown) <= 1e-12
            total += own_weights[k] * breakdown
        assert abs(result.p_breakdown - total / own_weights.sum()) <= 1e-12


def test_informed_offer_with_one_proposer_type_is_one_offer_exactly():
    rng = np.random.default_rng(3)
    a, r = rng.random(300), rng.random(300)
    war = np.sort(rng.random(20))
    single = one_offer(a, r, np.arange(300), 0.25, war, np.ones(20))
    informed = screening_module.informed_offer(
        a, r, np.arange(300), [0.25], [1.0], war, np.ones(20)
    )
    assert informed.offers == (single.offer,)
    assert informed.p_breakdown == single.p_breakdown
    assert informed.expected_utility == single.expected_utility
    assert informed.curve[0][:4] == single.curve[0][:4]


def test_informed_offer_oracle_fails_on_a_proposer_that_ignores_its_type(monkeypatch):
    """Mutation: every proposer type using the first type's value of war (as if its own value
    were public) moves the other types' offers off Fearon's closed form."""
    original = screening_module._pick

    def first_type(curve, war_value, tol):
        return original(curve, 0.4, tol)

    monkeypatch.setattr(screening_module, "_pick", first_type)
    a, r, ids = pie(1000)
    result = screening_module.informed_offer(
        a, r, ids, 0.4 - np.array([0.0, 0.06]), [1, 1], 0.6 - 0.01 * np.arange(40), np.ones(40)
    )
    _, _, closed_breakdown, _ = fearon_discrete(0.4, 0.06, 0.0, 0.01, 40)
    assert abs(result.breakdowns[1] - closed_breakdown) > 1e-9


def test_informed_offer_refuses_bad_proposer_types():
    a, r, ids = pie(10)
    for own, weights in (([], []), ([0.1], [1, 2]), ([np.nan], [1]), ([0.1], [-1]), ([0.1], [0])):
        with pytest.raises(ScreeningError):
            screening_module.informed_offer(a, r, ids, own, weights, [0.2], [1])


def test_the_expected_month_lies_within_the_periods_despite_rounding() -> None:
    """3 * 0.2 / 0.2 is 3.0000000000000004 in floats: the mean month is kept within 0..T (a
    property test found a screening path agreeing only in the last month)."""
    from sim.core.screening import Screening

    def month(agreement: list[float]) -> float | None:
        result = Screening(np.zeros(1), np.ones(1), (None,) * len(agreement),
                           np.array(agreement), (0,) * len(agreement), 0.0)  # fmt: skip
        return result.expected_month

    assert month([0.0, 0.0, 0.0, 0.2]) == 3.0
    assert month([0.1, 0.0, 0.0, 0.1]) == pytest.approx(1.5)
    assert month([0.0, 0.0]) is None

"""Bargaining among several veto parties against independent oracles on random tiny games.

- Rotating offers with two parties is alternating offers exactly (every period, both orders).
- Rotating offers with three parties and mediated bargaining with three and four veto parties
  match a brute force written here: a recursion from period 0 forwards that asks what the
  game is worth if period ``t`` is reached (memoised), values passing a period by summing the
  discounted war flows explicitly until the next agreement, and picks the offer by sorting
  the candidates on an explicit key. It shares no code with ``sim.core.bargaining``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from sim.core.bargaining import (
    BargainingResult,
    alternating_offers,
    mediated,
    rotating_offers,
)

TOL = 1e-12
LEVELS = [0.0, 0.25, 0.5, 0.75, 1.0]
FLOWS = [0.0, 0.1, 0.25, 0.5, 0.6, 0.75]


@dataclass
class Game:
    utilities: list[list[float]]
    indices: list[int]
    veto: list[int]
    order: list[int]  # proposers' cycle (rotating) or [mediator] (mediated)
    flows: list[list[float]]
    discounts: list[float]


@st.composite
def games(draw: st.DrawFn, n_veto: int, with_mediator: bool, max_horizon: int = 4) -> Game:
    n_parties = draw(st.integers(n_veto + int(with_mediator), n_veto + 1 + int(with_mediator)))
    n_candidates = draw(st.integers(1, 6))
    horizon = draw(st.integers(0, max_horizon))
    utilities = draw(
        st.lists(
            st.lists(st.sampled_from(LEVELS), min_size=n_parties, max_size=n_parties),
            min_size=n_candidates,
            max_size=n_candidates,
        )
    )
    indices = draw(
        st.lists(st.integers(0, 60), min_size=n_candidates, max_size=n_candidates, unique=True)
    )
    columns = draw(st.permutations(range(n_parties)))
    veto = list(columns[:n_veto])
    if with_mediator:
        order = [columns[n_veto]]
    else:
        cycle = draw(st.lists(st.sampled_from(veto), min_size=1, max_size=2 * n_veto))
        order = draw(st.sampled_from([list(veto), list(draw(st.permutations(veto))), cycle]))
    flows = draw(
        st.lists(
            st.lists(st.sampled_from(FLOWS), min_size=n_veto, max_size=n_veto),
            min_size=horizon + 1,
            max_size=horizon + 1,
        )
    )
    discounts = draw(
        st.lists(st.sampled_from([0.25, 0.5, 0.75, 0.9]), min_size=n_veto, max_size=n_veto)
    )
    return Game(utilities, indices, veto, order, flows, discounts)


Row = tuple[int, int | None, bool, list[float], list[float]]


def brute_force(game: Game, mediator: bool) -> list[Row]:
    """Per period: proposer, offer (bundle index), agreed, continuation C_i(t), value V_i(t)."""
    u, ids, veto, flows, delta = game.utilities, game.indices, game.veto, game.flows, game.discounts
    horizon, n = len(flows) - 1, len(veto)

    @cache
    def deal(t: int) -> int | None:
        """The candidate agreed if period ``t`` is reached, or None."""
        return reached(t)[1] if reached(t)[2] else None

    def passing(i: int, t: int) -> float:
        """Party ``i``'s value if ``t`` passes unsettled: discounted flows until the next deal."""
        total = 0.0
        for k in range(t, horizon + 1):
            if k > t and deal(k) is not None:
                return total + delta[i] ** (k - t) * u[deal(k)][veto[i]]  # type: ignore[index]
            total += (1 - delta[i]) * delta[i] ** (k - t) * flows[k][i]
        return total + delta[i] ** (horizon + 1 - t) * flows[horizon][i]

    @cache
    def reached(t: int) -> tuple[int, int | None, bool]:
        demand = [passing(i, t) for i in range(n)]
        if mediator:
            proposer = game.order[0]
            ok = [
                c for c in range(len(u)) if all(u[c][veto[i]] >= demand[i] - TOL for i in range(n))
            ]
            if not ok:
                return proposer, None, False
            top = max(u[c][proposer] for c in ok)
            chosen = min((c for c in ok if u[c][proposer] >= top - TOL), key=lambda c: ids[c])
            return proposer, chosen, True
        proposer = game.order[t % len(game.order)]
        me = veto.index(proposer)
        others = [i for i in range(n) if i != me]
        ok = [c for c in range(len(u)) if all(u[c][veto[i]] >= demand[i] - TOL for i in others)]
        if not ok:
            return proposer, None, False
        top = max(u[c][proposer] for c in ok)
        mine = [c for c in ok if u[c][proposer] >= top - TOL]
        total = {c: sum(u[c][veto[i]] for i in others) for c in mine}
        best_total = max(total.values())
        chosen = min((c for c in mine if total[c] >= best_total - TOL), key=lambda c: ids[c])
        return proposer, chosen, u[chosen][proposer] >= demand[me] - TOL

    table: list[Row] = []
    for t in range(horizon + 1):
        proposer, chosen, agreed = reached(t)
        demand = [passing(i, t) for i in range(n)]
        value = [u[chosen][v] for v in veto] if agreed and chosen is not None else demand
        table.append((proposer, None if chosen is None else ids[chosen], agreed, demand, value))
    return table


def check(result: BargainingResult, game: Game, mediator: bool) -> None:
    expected = brute_force(game, mediator)
    assert result.veto == tuple(game.veto)
    assert len(result.path) == len(expected)
    for period, (proposer, offer, agreed, continuation, value) in zip(
        result.path, expected, strict=True
    ):
        assert (period.proposer, period.offer, period.agreed) == (proposer, offer, agreed)
        np.testing.assert_allclose(period.continuation, continuation, atol=1e-9)
        np.testing.assert_allclose(period.value, value, atol=1e-9)
    deals = [t for t, row in enumerate(expected) if row[2]]
    event("no agreement" if not deals else "agreement in 0" if deals[0] == 0 else "delay")
    if not deals:
        assert (result.agreement_period, result.bundle, result.utilities) == (None, None, None)
        return
    first = deals[0]
    assert (result.agreement_period, result.bundle) == (first, expected[first][1])
    assert result.utilities == tuple(game.utilities[game.indices.index(result.bundle)])


def solve(game: Game, protocol: str) -> BargainingResult:
    u = np.array(game.utilities)
    ids = np.array(game.indices, dtype=np.int64)
    flows, delta = np.array(game.flows), np.array(game.discounts)
    if protocol == "mediated":
        return mediated(u, ids, game.veto, game.order[0], flows, delta)
    if protocol == "rotating":
        return rotating_offers(u, ids, game.veto, flows, delta, order=game.order)
    return alternating_offers(u, ids, game.veto, flows, delta)


@settings(max_examples=150, deadline=None)
@given(games(n_veto=3, with_mediator=False))
def test_rotating_three_parties_matches_brute_force(game: Game) -> None:
    result = solve(game, "rotating")
    assert result.protocol == "rotating"
    check(result, game, mediator=False)


@settings(max_examples=60, deadline=None)
@given(games(n_veto=4, with_mediator=False, max_horizon=3))
def test_rotating_four_parties_matches_brute_force(game: Game) -> None:
    check(solve(game, "rotating"), game, mediator=False)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([3, 4]).flatmap(lambda n: games(n_veto=n, with_mediator=True)))
def test_mediated_three_and_four_parties_match_brute_force(game: Game) -> None:
    result = solve(game, "mediated")
    event(f"{len(game.veto)} veto parties")
    assert result.protocol == "mediated"
    check(result, game, mediator=True)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 30),
    st.integers(0, 6),
    st.sampled_from([0.3, 0.6, 0.9, 0.97]),
    st.sampled_from([0.3, 0.6, 0.9, 0.97]),
    st.integers(0, 2**32 - 1),
    st.booleans(),
    st.booleans(),
)
def test_two_parties_rotating_is_alternating(
    n_candidates: int,
    horizon: int,
    delta_0: float,
    delta_1: float,
    seed: int,
    coarse: bool,
    swap: bool,
) -> None:
    """Equal results, every period, for both proposer orders; coarse utilities make ties."""
    rng = np.random.default_rng(seed)
    if coarse:
        utilities = rng.integers(0, 5, (n_candidates, 3)) / 4
        flows = rng.integers(0, 4, (horizon + 1, 2)) / 4
    else:
        utilities = rng.uniform(0, 1, (n_candidates, 3))
        flows = rng.uniform(0, 0.6, (horizon + 1, 2))
    indices = rng.choice(10 * n_candidates, n_candidates, replace=False)
    veto, delta = [0, 2], np.array([delta_0, delta_1])
    if swap:  # party 2 proposes first: give the order only, keep veto's column order
        expected = alternating_offers(utilities, indices, veto[::-1], flows[:, ::-1], delta[::-1])
        got = rotating_offers(utilities, indices, veto, flows, delta, order=veto[::-1])
        assert got.veto == tuple(veto)
        assert (got.agreement_period, got.bundle, got.utilities) == (
            expected.agreement_period,
            expected.bundle,
            expected.utilities,
        )
        for mine, theirs in zip(got.path, expected.path, strict=True):
            assert (mine.period, mine.proposer, mine.offer, mine.agreed) == (
                theirs.period,
                theirs.proposer,
                theirs.offer,
                theirs.agreed,
            )
            assert mine.continuation == theirs.continuation[::-1]
            assert mine.value == theirs.value[::-1]
    else:
        expected = alternating_offers(utilities, indices, veto, flows, delta)
        got = rotating_offers(utilities, indices, veto, flows, delta)
        assert (got.veto, got.agreement_period, got.bundle, got.utilities, got.path) == (
            expected.veto,
            expected.agreement_period,
            expected.bundle,
            expected.utilities,
            expected.path,
        )
    event("agreement" if got.bundle is not None else "no agreement")

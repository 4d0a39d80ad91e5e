"""Both bargaining protocols against a brute-force recursion on random tiny games.

The brute force loops over periods and candidates in plain Python and values a period that
passes by summing the discounted flows explicitly up to the next planned agreement (or for
ever at the last war flow), instead of the one-step recursion used by the code under test.
Utilities, war flows and discounts come from coarse grids, so ties are frequent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from sim.core.bargaining import BargainingResult, alternating_offers, mediated

TOL = 1e-12
LEVELS = [0.0, 0.25, 0.5, 0.75, 1.0]


@dataclass
class Game:
    utilities: list[list[float]]
    indices: list[int]
    veto: list[int]
    mediator: int | None
    flows: list[list[float]]
    discounts: list[float]


@st.composite
def games(draw: st.DrawFn, mediated_game: bool) -> Game:
    n_veto = draw(st.integers(2, 3)) if mediated_game else 2
    n_parties = draw(st.integers(n_veto + int(mediated_game), n_veto + 2))
    n_candidates = draw(st.integers(1, 6))
    horizon = draw(st.integers(0, 5))
    level = st.sampled_from(LEVELS)
    utilities = draw(
        st.lists(
            st.lists(level, min_size=n_parties, max_size=n_parties),
            min_size=n_candidates,
            max_size=n_candidates,
        )
    )
    indices = draw(
        st.lists(st.integers(0, 60), min_size=n_candidates, max_size=n_candidates, unique=True)
    )
    order = draw(st.permutations(range(n_parties)))
    veto = list(order[:n_veto])
    mediator = order[n_veto] if mediated_game else None
    flows = draw(
        st.lists(
            st.lists(
                st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.6, 0.75]), min_size=n_veto, max_size=n_veto
            ),
            min_size=horizon + 1,
            max_size=horizon + 1,
        )
    )
    discounts = draw(
        st.lists(st.sampled_from([0.25, 0.5, 0.75, 0.9]), min_size=n_veto, max_size=n_veto)
    )
    return Game(utilities, indices, veto, mediator, flows, discounts)


def best(candidates: list[int], score: list[float]) -> list[int]:
    """The candidates whose score is within the tie tolerance of the top score."""
    top = max(score[c] for c in candidates)
    return [c for c in candidates if score[c] >= top - TOL]


def brute_force(game: Game) -> list[tuple[int, int | None, bool, list[float], list[float]]]:
    """Per period: proposer, offer (bundle index), agreed, continuation C_i(t), value V_i(t)."""
    u, ids, veto, flows, delta = game.utilities, game.indices, game.veto, game.flows, game.discounts
    horizon = len(flows) - 1
    plan: dict[int, int | None] = {}  # period -> candidate agreed in it, if any

    def passing_value(i: int, t: int) -> float:
        """Veto party ``i``'s value if period ``t`` passes unsettled, by explicit summation."""
        total = 0.0
        for k in range(t, horizon + 1):
            if k > t and plan[k] is not None:
                return total + delta[i] ** (k - t) * u[plan[k]][veto[i]]  # type: ignore[index]
            total += (1 - delta[i]) * delta[i] ** (k - t) * flows[k][i]
        return total + delta[i] ** (horizon + 1 - t) * flows[horizon][i]

    table = []
    for t in range(horizon, -1, -1):
        continuation = [passing_value(i, t) for i in range(len(veto))]
        if game.mediator is None:
            side = t % 2
            proposer = veto[side]
            column, other = veto[side], veto[1 - side]
            acceptable = [c for c in range(len(u)) if u[c][other] >= continuation[1 - side] - TOL]
            chosen = None
            if acceptable:
                mine = [row[column] for row in u]
                theirs = [row[other] for row in u]
                tied = best(best(acceptable, mine), theirs)
                chosen = min(tied, key=lambda c: ids[c])
            agreed = chosen is not None and u[chosen][column] >= continuation[side] - TOL
        else:
            proposer = game.mediator
            acceptable = [
                c
                for c in range(len(u))
                if all(u[c][veto[i]] >= continuation[i] - TOL for i in range(len(veto)))
            ]
            chosen = None
            if acceptable:
                favour = [row[game.mediator] for row in u]
                chosen = min(best(acceptable, favour), key=lambda c: ids[c])
            agreed = chosen is not None
        plan[t] = chosen if agreed else None
        value = [u[chosen][v] for v in veto] if agreed and chosen is not None else continuation
        offer = None if chosen is None else ids[chosen]
        table.append((proposer, offer, agreed, continuation, value))
    return table[::-1]


def check(result: BargainingResult, game: Game) -> None:
    expected = brute_force(game)
    assert len(result.path) == len(expected)
    for period, (proposer, offer, agreed, continuation, value) in zip(
        result.path, expected, strict=True
    ):
        assert (period.proposer, period.offer, period.agreed) == (proposer, offer, agreed)
        np.testing.assert_allclose(period.continuation, continuation, atol=1e-9)
        np.testing.assert_allclose(period.value, value, atol=1e-9)
    deals = [t for t, row in enumerate(expected) if row[2]]
    event("no agreement" if not deals else "agreement in 0" if deals[0] == 0 else "delay")
    if deals:
        first = deals[0]
        assert result.agreement_period == first
        assert result.bundle == expected[first][1]
        row = game.utilities[game.indices.index(expected[first][1])]  # type: ignore[arg-type]
        assert result.utilities == tuple(row)
    else:
        assert (result.agreement_period, result.bundle, result.utilities) == (None, None, None)
    # Nobody ends below perpetual war: each side can always refuse.
    for t, period in enumerate(result.path):
        for i, v in enumerate(period.value):
            d = game.discounts[i]
            war = sum((1 - d) * d ** (k - t) * game.flows[k][i] for k in range(t, len(game.flows)))
            war += d ** (len(game.flows) - t) * game.flows[-1][i]
            assert v >= war - 1e-9


@settings(max_examples=150, deadline=None)
@given(games(mediated_game=False))
def test_alternating_offers_matches_brute_force(game: Game) -> None:
    result = alternating_offers(
        np.array(game.utilities),
        np.array(game.indices, dtype=np.int64),
        game.veto,
        np.array(game.flows),
        np.array(game.discounts),
    )
    assert result.protocol == "alternating"
    check(result, game)


@settings(max_examples=150, deadline=None)
@given(games(mediated_game=True))
def test_mediated_matches_brute_force(game: Game) -> None:
    assert game.mediator is not None
    result = mediated(
        np.array(game.utilities),
        np.array(game.indices, dtype=np.int64),
        game.veto,
        game.mediator,
        np.array(game.flows),
        np.array(game.discounts),
    )
    assert result.protocol == "mediated"
    check(result, game)

"""The compliance and positions games with any number of veto parties.

Oracles: payoffs written out by hand from the rules (two players: and the verdict of a 2x2
analysis by hand); the closed form of the
symmetric compliance game; the general support enumeration on three players; brute-force
settlements per cell by loops; the independent regret check on every equilibrium.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from sim.games.compliance import ComplianceModel, compliance_game, compliance_payoffs
from sim.games.game import solve_game
from sim.games.positions import demand_levels, positions_game
from sim.games.verify import verify_profile
from tests.unit.test_compliance import equilibria_2x2


def model_n(
    gain: list[float], exposure: list[float], penalty: list[float], base: float, shield: float
) -> ComplianceModel:
    """One issue, two options: option 1 shields the last player by ``shield``."""
    n = len(gain)
    protection = tuple((np.array([0.0, shield if k == n - 1 else 0.0]),) for k in range(n))
    return ComplianceModel(
        tuple(range(n)),
        np.array(gain),
        np.array(exposure),
        np.array(penalty),
        base,
        (np.array([0.0, 0.1]),),
        protection,
    )


def test_payoffs_by_hand() -> None:
    """Three parties, detection 0.2 + 0.1 (option 1), the last one half shielded."""
    m = model_n([0.3, 0.2, 0.1], [0.4, 0.4, 0.6], [0.5, 1.0, 0.2], 0.2, 0.5)
    agreement, war = np.array([0.8, 0.7, 0.6]), np.array([0.4, 0.3, 0.2])
    result = compliance_game(m, ("a", "b", "c"), 9, np.array([1]), agreement, war)
    u = result.game.game.payoffs
    q = 0.3
    assert result.detection == pytest.approx(q)
    np.testing.assert_allclose(u[:, 0, 0, 0], agreement)
    # a alone violates: it gains 0.3 less 0.3 * 0.5; b and c are exposed (c only half)
    np.testing.assert_allclose(u[:, 1, 0, 0], [0.4 + 0.3 - 0.15, 0.3 - 0.4, 0.2 - 0.3])
    # a and c violate: both pay the expected penalty, no gain; b is exposed
    np.testing.assert_allclose(u[:, 1, 0, 1], [0.4 - 0.15, 0.3 - 0.4, 0.2 - 0.06])
    np.testing.assert_allclose(u[:, 1, 1, 1], [0.4 - 0.15, 0.3 - 0.3, 0.2 - 0.06], atol=1e-12)
    assert result.game.game.strategies == (("comply", "violate"),) * 3


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.2, 0.3, 0.45]), min_size=8, max_size=8),
    st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), min_size=4, max_size=4),
    st.integers(0, 1),
)
# a tie within rounding: the first side's violation pays 0.25 + 0.1 - 0.5 * 0.2, one ulp
# below its 0.25 for complying, so all-comply is not the only equilibrium
@example([0.1, 0.0, 0.0, 0.0, 0.2, 0.1, 0.3, 0.0], [0.25, 0.0, 0.25, 0.0], 1)
def test_two_players_against_the_rules_and_a_2x2_analysis(
    parameters: list[float], values: list[float], option: int
) -> None:
    """Two players: the payoffs written out from the rules, and the verdict of a 2x2 analysis
    by hand (pure equilibria by definition, a mixed one by indifference) wherever no two
    payoffs it compares are within rounding of each other; coarse values make such ties."""
    gain, exposure, penalty = parameters[0:2], parameters[2:4], parameters[4:6]
    base, shield = parameters[6], parameters[7] * 2
    pair = ComplianceModel(
        (0, 1),
        np.array(gain),
        np.array(exposure),
        np.array(penalty),
        base,
        (np.array([0.0, 0.2]),),
        ((np.zeros(2),), (np.array([0.0, shield]),)),
    )
    digits = np.array([option])
    agreement, war = np.array(values[:2]), np.array(values[2:])
    result = compliance_game(pair, ("a", "b"), 3, digits, agreement, war)
    a, b = result.game.payoffs
    q = pair.detection(digits)
    np.testing.assert_allclose(a, two_by_two(0, values, gain, exposure, penalty, q, 0.0))
    np.testing.assert_allclose(
        b, two_by_two(1, values, gain, exposure, penalty, q, shield * option)
    )
    assert result.detection == q
    assert result.game.solution.complete
    compared = [a[0] - a[1], b[:, 0] - b[:, 1]]
    if all(np.abs(c).min() > 1e-9 for c in compared):
        pure, mixed = equilibria_2x2(a, b)
        assert result.self_enforcing == (pure == {(0, 0)} and not mixed)
    elif values == [0.25, 0.0, 0.25, 0.0] and option == 1 and parameters[0] == 0.1:
        assert result.self_enforcing is False  # the example below: violating ties complying


def two_by_two(
    side: int,
    values: list[float],
    gain: list[float],
    exposure: list[float],
    penalty: list[float],
    q: float,
    shield: float,
) -> NDArray[np.float64]:
    """Player ``side``'s payoffs (rows: player 0 complies / violates; columns: player 1),
    written out from the rules of the game."""
    agreed, war = values[side], values[2 + side]
    out = np.empty((2, 2))
    for r, c in product(range(2), range(2)):
        own, other = (r, c) if side == 0 else (c, r)
        if own == 0:
            out[r, c] = agreed if other == 0 else war - exposure[side] * (1 - shield)
        else:
            out[r, c] = war - q * penalty[side] + (gain[side] if other == 0 else 0.0)
    return out


def symmetric(n: int, quiet: float, fought: float) -> NDArray[np.float64]:
    """Parameters giving every player complying-gains ``A = quiet``, ``B = fought``: war 0,
    no gain or protection, penalty 1, detection 0.5, exposure ``0.5 - B``, agreement
    ``A - 0.5``."""
    return compliance_payoffs(
        [quiet - 0.5] * n, [0.0] * n, [0.0] * n, [0.5 - fought] * n, [1.0] * n, [0.0] * n, 0.5
    )


@pytest.mark.parametrize("n", [3, 4, 5])
def test_symmetric_closed_form(n: int) -> None:
    """``A = 1 > 0 > B = -1``: by hand, all-comply (a lone violator loses ``A``), all-violate
    (a lone complier facing violators loses ``|B|``) and, for every set ``M`` of two or more
    mixers with the rest complying, ``c^{|M| - 1} = π* = 1/2``; a complier's gain there is
    ``A P + B (1 - P) = 2 P - 1 < 0`` with ``P = c^{|M|} < 1/2`` unless nobody complies.
    So exactly one mixed equilibrium: everybody complies with probability ``2^{-1/(n-1)}``."""
    m = ComplianceModel(
        tuple(range(n)),
        np.zeros(n),
        np.full(n, 1.5),
        np.ones(n),
        0.5,
        (np.zeros(1),),
        tuple((np.zeros(1),) for _ in range(n)),
    )
    players = tuple(f"p{k}" for k in range(n))
    result = compliance_game(m, players, 0, np.array([0]), np.full(n, 0.5), np.zeros(n))
    np.testing.assert_allclose(result.game.game.payoffs, symmetric(n, 1.0, -1.0))
    solution = result.game.solution
    assert solution.complete and solution.method == "compliance_structure"
    assert solution.pure == ((0,) * n, (1,) * n)
    assert len(solution.equilibria) == 3
    c = 2.0 ** (-1.0 / (n - 1))
    mixed = solution.equilibria[2]
    np.testing.assert_allclose(np.array(mixed.strategies), [[c, 1 - c]] * n, atol=1e-12)
    assert mixed.verified
    assert result.self_enforcing is False


@pytest.mark.parametrize("n", [3, 4, 6])
def test_compliance_strictly_dominant_is_self_enforcing(n: int) -> None:
    """``A = 0.3``, ``B = 0.2``: complying is strictly dominant for everybody."""
    u = symmetric(n, 0.3, 0.2)
    m = ComplianceModel(
        tuple(range(n)),
        np.zeros(n),
        np.full(n, 0.3),
        np.ones(n),
        0.5,
        (np.zeros(1),),
        tuple((np.zeros(1),) for _ in range(n)),
    )
    result = compliance_game(
        m, tuple(str(k) for k in range(n)), 0, np.array([0]), np.full(n, -0.2), np.zeros(n)
    )
    np.testing.assert_allclose(result.game.game.payoffs, u)
    assert result.self_enforcing is True
    assert result.game.solution.complete
    assert [e.pure for e in result.game.solution.equilibria] == [(0,) * n]


def random_model(rng: np.random.Generator, n: int) -> tuple[ComplianceModel, NDArray, NDArray]:
    m = ComplianceModel(
        tuple(range(n)),
        rng.uniform(0, 0.5, n),
        rng.uniform(0, 0.6, n),
        rng.uniform(0, 1, n),
        float(rng.uniform(0, 0.5)),
        (np.array([0.0, 0.3]),),
        tuple((np.array([0.0, rng.uniform(0, 1)]),) for _ in range(n)),
    )
    return m, rng.uniform(0.3, 0.9, n), rng.uniform(0.2, 0.7, n)


@pytest.mark.parametrize("seed", range(40))
def test_three_players_agree_with_support_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m, agreement, war = random_model(rng, 3)
    result = compliance_game(m, ("a", "b", "c"), 1, np.array([seed % 2]), agreement, war)
    general = solve_game(result.game.game).solution
    structured = result.game.solution
    assert structured.complete and general.complete
    ours = [np.concatenate(e.strategies) for e in structured.equilibria]
    theirs = [np.concatenate(e.strategies) for e in general.equilibria]
    assert len(ours) == len(theirs)
    assert all(any(np.abs(a - b).max() <= 1e-9 for b in theirs) for a in ours)
    expected = (0, 0, 0) in general.pure and len(general.equilibria) == 1
    assert result.self_enforcing == expected


@pytest.mark.parametrize("seed", range(30))
def test_four_and_five_players_contain_what_support_enumeration_finds(seed: int) -> None:
    """Support enumeration does not solve four mixers, but what it finds must be listed."""
    rng = np.random.default_rng(100 + seed)
    n = 4 + seed % 2
    m, agreement, war = random_model(rng, n)
    players = tuple(str(k) for k in range(n))
    result = compliance_game(m, players, 1, np.array([seed % 2]), agreement, war)
    u = result.game.game.payoffs
    ours = [np.concatenate(e.strategies) for e in result.game.solution.equilibria]
    for e in solve_game(result.game.game).solution.equilibria:
        assert any(np.abs(np.concatenate(e.strategies) - a).max() <= 1e-9 for a in ours)
    for e in result.game.solution.equilibria:
        assert verify_profile(u, e.strategies) <= 1e-9
    assert result.game.solution.complete


def test_degenerate_compliance_says_not_computed() -> None:
    """``B = 0`` for everybody (exposure equals the expected penalty) and ``A > 0``: all-comply
    is an equilibrium; nothing else is pure; continua are possible, so no verdict."""
    n = 3
    m = ComplianceModel(
        tuple(range(n)),
        np.zeros(n),
        np.full(n, 0.5),
        np.ones(n),
        0.5,
        (np.zeros(1),),
        tuple((np.zeros(1),) for _ in range(n)),
    )
    result = compliance_game(m, ("a", "b", "c"), 0, np.array([0]), np.full(n, 0.2), np.zeros(n))
    solution = result.game.solution
    assert not solution.complete
    if result.self_enforcing is None:
        assert "not computed" in result.game.note
    else:  # another equilibrium was found: a definite "no"
        assert result.self_enforcing is False
        assert len(solution.equilibria) > 1


def loop_positions(
    utilities: NDArray,
    indices: NDArray,
    reservation: NDArray,
    mediator: NDArray | None,
    levels: list[list[float]],
) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """Settlement and payoffs per cell from the definition, by loops."""
    settled, payoffs = {}, {}
    for cell in product(*[range(len(level)) for level in levels]):
        best = None
        for row in range(len(indices)):
            if all(utilities[row, k] >= levels[k][cell[k]] - 1e-12 for k in range(len(cell))):
                score = mediator[row] if mediator is not None else sum(utilities[row] - reservation)
                key = (-score, indices[row])
                if (
                    best is None
                    or key[0] < best[0] - 1e-12
                    or (abs(key[0] - best[0]) <= 1e-12 and key[1] < best[1])
                ):
                    best = (key[0], key[1], row)
        if best is None:
            settled[cell], payoffs[cell] = -1, list(reservation)
        else:
            settled[cell], payoffs[cell] = best[1], list(utilities[best[2]])
    return settled, payoffs


@pytest.mark.parametrize("seed", range(30))
def test_positions_against_loops(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 2 + seed % 3
    rows = int(rng.integers(1, 12))
    utilities = rng.integers(0, 6, (rows, n)) / 5
    indices = rng.choice(100, rows, replace=False)
    reservation = rng.integers(0, 3, n) / 10
    mediator = rng.integers(0, 4, rows) / 3 if seed % 2 else None
    players = tuple(f"p{k}" for k in range(n))
    solved, settled = positions_game(players, utilities, indices, reservation, mediator)
    u = solved.game.payoffs
    levels = [demand_levels(utilities[:, k], 3).tolist() for k in range(n)]
    assert u.shape == (n, *[len(level) for level in levels])
    expected_settled, expected_payoffs = loop_positions(
        utilities, indices, reservation, mediator, levels
    )
    for cell, bundle in expected_settled.items():
        assert settled[cell] == bundle
        np.testing.assert_allclose(u[(slice(None), *cell)], expected_payoffs[cell])
    for e in solved.solution.equilibria:
        assert e.verified and verify_profile(u, e.strategies) <= 1e-9
    if n == 2:  # two players: every extreme equilibrium, by vertex enumeration
        assert solved.solution.method == "vertex_enumeration" and solved.solution.complete


def test_positions_without_acceptable_bundle() -> None:
    solved, settled = positions_game(
        ("a", "b", "c"),
        np.zeros((0, 3)),
        np.zeros(0, dtype=np.int64),
        np.array([0.1, 0.2, 0.3]),
        None,
    )
    assert settled.shape == (1, 1, 1) and settled[0, 0, 0] == -1
    np.testing.assert_allclose(solved.game.payoffs[:, 0, 0, 0], [0.1, 0.2, 0.3])
    assert solved.solution.pure == ((0, 0, 0),)
    assert "every position leads to war" in solved.note


def test_nplayer_game_rejects_a_bad_positions_shape() -> None:
    with pytest.raises(ValueError, match="positions game"):
        positions_game(("a", "b"), np.zeros((2, 3)), np.arange(2), np.zeros(2), None)

"""Games with any number of players against independent oracles.

Oracles: pure equilibria and regrets computed here by explicit loops over profiles; the
two-player vertex enumeration; hand-derived three-player games (Jordan's 1993 cyclic matching
pennies, the volunteer's dilemma of Diekmann 1985, pure coordination); Wilson's (1971) oddness
theorem (a nondegenerate game has an odd number of equilibria) on random games; and, where
installed, pygambit's polynomial support enumeration.
"""

from __future__ import annotations

import math
from itertools import product

import numpy as np
import pytest
from numpy.typing import NDArray

from sim.games.equilibria import all_equilibria
from sim.games.game import (
    Game,
    pure_equilibria,
    solve_game,
    verify_profile,
)


def game(payoffs: NDArray[np.float64]) -> Game:
    n = payoffs.shape[0]
    labels = tuple(tuple(f"s{k}" for k in range(size)) for size in payoffs.shape[1:])
    return Game("test", tuple(f"p{i}" for i in range(n)), labels, payoffs)


def loop_payoff(u: NDArray[np.float64], player: int, own: int, profile: list[NDArray]) -> float:
    """``player``'s expected payoff from pure ``own`` against the others' mixtures, by loops."""
    total = 0.0
    for cell in product(*[range(size) for size in u.shape[1:]]):
        if cell[player] != own:
            continue
        weight = 1.0
        for k, p in enumerate(profile):
            if k != player:
                weight *= p[cell[k]]
        total += weight * u[(player, *cell)]
    return total


def loop_regret(u: NDArray[np.float64], profile: list[NDArray]) -> float:
    regret = 0.0
    for i, mix in enumerate(profile):
        values = [loop_payoff(u, i, s, profile) for s in range(len(mix))]
        regret = max(regret, max(values) - sum(p * v for p, v in zip(mix, values, strict=True)))
    return regret


def loop_pure(u: NDArray[np.float64], tol: float) -> list[tuple[int, ...]]:
    found = []
    for cell in product(*[range(size) for size in u.shape[1:]]):
        stable = True
        for i, size in enumerate(u.shape[1:]):
            for other in range(size):
                deviation = list(cell)
                deviation[i] = other
                if u[(i, *deviation)] > u[(i, *cell)] + tol:
                    stable = False
        if stable:
            found.append(cell)
    return found


def profiles_of(solution_equilibria: tuple) -> list[NDArray[np.float64]]:  # type: ignore[type-arg]
    return [np.concatenate(e.strategies) for e in solution_equilibria]


def same_sets(found: list[NDArray], expected: list[NDArray], atol: float = 1e-7) -> bool:
    return len(found) == len(expected) and all(
        any(np.abs(f - e).max() <= atol for f in found) for e in expected
    )


@pytest.mark.parametrize("seed", range(30))
def test_pure_equilibria_match_loops(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5))
    shape = tuple(int(s) for s in rng.integers(1, 4, n))
    u = rng.integers(0, 3, (n, *shape)).astype(float)  # coarse: many ties
    assert pure_equilibria(u, 1e-9) == loop_pure(u, 1e-9)


@pytest.mark.parametrize("seed", range(40))
def test_two_players_agree_with_vertex_enumeration(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    shape = tuple(int(s) for s in rng.integers(1, 5, 2))
    u = rng.integers(-2, 3, (2, *shape)).astype(float) if seed % 2 else rng.normal(size=(2, *shape))
    extreme = all_equilibria(u[0], u[1])
    pure_extreme = sorted(
        (int(np.argmax(x)), int(np.argmax(y)))
        for x, y in (e.strategies for e in extreme.equilibria)
        if x.max() >= 1 - 1e-9 and y.max() >= 1 - 1e-9
    )
    solution = solve_game(game(u)).solution
    assert list(solution.pure) == pure_extreme
    assert solution.complete and solution.method == extreme.method
    expected = [np.concatenate(e.strategies) for e in extreme.equilibria]
    assert same_sets(profiles_of(solution.equilibria), expected)
    assert all(e.verified for e in solution.equilibria)


@pytest.mark.parametrize("seed", range(20))
def test_verify_profile_matches_loops(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    n = int(rng.integers(2, 5))
    shape = tuple(int(s) for s in rng.integers(1, 4, n))
    u = rng.normal(size=(n, *shape))
    profile = [rng.dirichlet(np.ones(size)) for size in shape]
    assert verify_profile(u, profile) == pytest.approx(loop_regret(u, profile), abs=1e-12)


def test_verify_profile_refuses_what_is_not_a_profile() -> None:
    u = np.zeros((3, 2, 2, 2))
    assert verify_profile(u, [[0.5, 0.5]] * 2) == math.inf  # a player missing
    assert verify_profile(u, [[0.5, 0.5], [0.7, 0.7], [1, 0]]) == math.inf  # sums to 1.4
    assert verify_profile(u, [[1.5, -0.5], [1, 0], [1, 0]]) == math.inf  # negative
    assert verify_profile(u, [[1, 0, 0], [1, 0], [1, 0]]) == math.inf  # wrong length


def jordan_pennies() -> NDArray[np.float64]:
    """Player 0 wants to match 1, 1 wants to match 2, 2 wants to mismatch 0 (Jordan 1993).

    No pure equilibrium (the best replies cycle); the unique equilibrium is uniform: if any
    player leaned one way, the chain of best replies would undo it.
    """
    s = np.indices((2, 2, 2))
    return np.stack(
        [
            np.where(s[0] == s[1], 1.0, -1.0),
            np.where(s[1] == s[2], 1.0, -1.0),
            np.where(s[2] != s[0], 1.0, -1.0),
        ]
    )


def test_three_player_matching_pennies() -> None:
    solution = solve_game(game(jordan_pennies())).solution
    assert solution.pure == ()
    assert solution.complete and solution.not_computed == ""
    assert solution.method == "support_enumeration"
    assert len(solution.equilibria) == 1
    (only,) = solution.equilibria
    np.testing.assert_allclose(np.concatenate(only.strategies), 0.5, atol=1e-12)
    np.testing.assert_allclose(only.payoffs, 0.0, atol=1e-12)
    assert only.verified and only.regret <= 1e-12


def volunteers_dilemma(n: int, benefit: float, cost: float) -> NDArray[np.float64]:
    """Strategy 1 volunteers at ``cost``; everybody gets ``benefit`` if somebody volunteers."""
    s = np.indices((2,) * n)
    anyone = s.sum(axis=0) > 0
    return np.stack([np.where(anyone, benefit, 0.0) - cost * s[i] for i in range(n)])


def test_volunteers_dilemma() -> None:
    """Hand-derived, ``b = 1``, ``c = 1/4``: three pure equilibria (exactly one volunteers);
    for each player who stays out for sure, the other two volunteer with probability
    ``1 - c / b = 3/4`` (each indifferent when the other fails with probability ``c / b``; the
    one out gains ``b (c/b)^2 - c < 0`` by volunteering); and the symmetric equilibrium with
    ``(1 - p)^2 = c / b``, ``p = 1/2``. Seven in all; a nondegenerate game, so complete."""
    solution = solve_game(game(volunteers_dilemma(3, 1.0, 0.25))).solution
    assert solution.complete
    assert set(solution.pure) == {(1, 0, 0), (0, 1, 0), (0, 0, 1)}
    expected = [np.concatenate([np.eye(2)[k] for k in cell]) for cell in solution.pure]
    for out in range(3):
        mix = [np.array([0.25, 0.75])] * 3
        mix[out] = np.array([1.0, 0.0])
        expected.append(np.concatenate(mix))
    expected.append(np.full(6, 0.5))
    assert same_sets(profiles_of(solution.equilibria), expected, atol=1e-9)


def test_pure_coordination() -> None:
    """Everybody gets 1 if all three choose alike, else 0: all-0, all-1 (a lone deviant can
    always join the majority) and the uniform profile (gain of 1 over 0 is ``p_j p_k - (1 - p_j)
    (1 - p_k) = p_j + p_k - 1``, zero for every pair only at one half)."""
    s = np.indices((2, 2, 2))
    same = ((s[0] == s[1]) & (s[1] == s[2])).astype(float)
    solution = solve_game(game(np.stack([same] * 3))).solution
    assert solution.pure == ((0, 0, 0), (1, 1, 1))
    assert solution.complete
    expected = [np.array([1.0, 0, 1, 0, 1, 0]), np.array([0.0, 1, 0, 1, 0, 1]), np.full(6, 0.5)]
    assert same_sets(profiles_of(solution.equilibria), expected)


@pytest.mark.parametrize("seed", range(60))
def test_random_three_player_games(seed: int) -> None:
    """Random continuous payoffs are nondegenerate with probability one: the enumeration must
    say it is complete (at most one player with three strategies), and then the number of
    equilibria is odd (Wilson 1971)."""
    rng = np.random.default_rng(300 + seed)
    shape = [(2, 2, 2), (3, 2, 2), (2, 3, 2), (2, 2, 3)][seed % 4]
    u = rng.uniform(-1.0, 1.0, (3, *shape))
    solution = solve_game(game(u)).solution
    assert solution.complete, solution.not_computed
    assert len(solution.equilibria) % 2 == 1
    assert list(solution.pure) == loop_pure(u, solution.tol)
    for e in solution.equilibria:
        assert e.verified
        assert loop_regret(u, list(e.strategies)) <= 1e-9


@pytest.mark.parametrize("seed", range(15))
def test_larger_games_verify_everything_and_say_what_is_missing(seed: int) -> None:
    rng = np.random.default_rng(400 + seed)
    shape = [(2, 3, 2), (3, 3, 3), (2, 2, 2, 2)][seed % 3]
    u = rng.uniform(-1.0, 1.0, (len(shape), *shape))
    solution = solve_game(game(u)).solution
    assert list(solution.pure) == loop_pure(u, solution.tol)
    for e in solution.equilibria:
        assert e.verified and loop_regret(u, list(e.strategies)) <= 1e-9
    if not solution.complete:
        assert solution.not_computed.startswith("some mixed equilibria not computed: ")
    else:
        assert solution.not_computed == ""
    if len(shape) == 4 or shape == (3, 3, 3):  # supports with more mixers than solved
        assert not solution.complete


def test_dominated_strategies_are_removed_first() -> None:
    """Append to matching pennies a third strategy for player 0 that is strictly worse than its
    first: the uniform equilibrium stays the only one, and the enumeration stays complete."""
    u = jordan_pennies()
    worse = u[:, :1] - 1.0
    worse[1:] = u[1:, :1]  # the others' payoffs against it: as against strategy 0
    extended = np.concatenate([u, worse], axis=1)
    solution = solve_game(game(extended)).solution
    assert solution.complete and len(solution.equilibria) == 1
    np.testing.assert_allclose(solution.equilibria[0].strategies[0], [0.5, 0.5, 0.0], atol=1e-12)


def test_degenerate_games_are_not_called_complete() -> None:
    """Player 2 is a dummy (all its payoffs zero): it may mix any way in the pennies game
    between 0 and 1, a continuum of equilibria."""
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    u = np.stack(
        [
            np.repeat(pennies[:, :, None], 2, axis=2),
            np.repeat(-pennies[:, :, None], 2, axis=2),
            np.zeros((2, 2, 2)),
        ]
    )
    solution = solve_game(game(u)).solution
    assert not solution.complete
    assert "degenerate" in solution.not_computed
    assert all(e.verified for e in solution.equilibria)


def test_game_shape_is_checked() -> None:
    with pytest.raises(ValueError, match="do not match"):
        Game("g", ("a", "b", "c"), (("x", "y"),) * 3, np.zeros((3, 2, 2)))
    with pytest.raises(ValueError, match="finite"):
        Game("g", ("a",), (("x",),), np.array([[np.nan]]))


def test_pygambit_finds_nothing_we_miss() -> None:
    """Every equilibrium of pygambit's polynomial support enumeration is among ours (it can
    list fewer: in some nondegenerate games it misses a totally mixed equilibrium that the
    oddness theorem and our regret check confirm)."""
    gambit = pytest.importorskip("pygambit", reason="pygambit is an optional cross-check")
    rng = np.random.default_rng(7)
    import tempfile
    from pathlib import Path

    for _ in range(8):
        u = rng.integers(-9, 10, (3, 2, 2, 2)).astype(float)
        numbers = []
        for cell in product(range(2), repeat=3):
            numbers += [str(int(u[(i, *cell[::-1])])) for i in range(3)]
        text = 'NFG 1 R "t" { "a" "b" "c" } { 2 2 2 }\n\n' + " ".join(numbers) + "\n"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "game.nfg"
            path.write_text(text)
            loaded = gambit.read_nfg(str(path))
            theirs = gambit.nash.enumpoly_solve(loaded).equilibria
        ours = profiles_of(solve_game(game(u)).solution.equilibria)
        for equilibrium in theirs:
            flat = np.array([v for p in loaded.players for _, v in equilibrium[p]], dtype=float)
            assert any(np.abs(flat - mine).max() <= 1e-6 for mine in ours)

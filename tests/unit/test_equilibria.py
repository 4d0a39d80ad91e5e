"""Extreme equilibria against closed forms and nashpy's enumerators."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import nashpy as nash
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import sim.games.equilibria as equilibria_module
from sim.games.equilibria import EquilibriumSet, all_equilibria
from sim.games.verify import is_equilibrium

Profile = tuple[tuple[float, ...], tuple[float, ...]]


def profiles(found: EquilibriumSet) -> list[Profile]:
    return [(tuple(e.strategies[0]), tuple(e.strategies[1])) for e in found.equilibria]


def same_profiles(actual: Iterable[Profile], expected: Iterable[Profile], tol: float) -> bool:
    """Whether two collections of profiles are equal as sets, entries matched within tol."""
    left = [np.concatenate(p) for p in actual]
    right = [np.concatenate(p) for p in expected]
    if len(left) != len(right):
        return False
    unmatched = list(right)
    for point in left:
        hits = [i for i, other in enumerate(unmatched) if np.abs(point - other).max() <= tol]
        if not hits:
            return False
        unmatched.pop(hits[0])
    return True


def assert_all_verified(
    A: NDArray[np.float64], B: NDArray[np.float64], found: EquilibriumSet
) -> None:
    for e in found.equilibria:
        assert e.verified
        assert is_equilibrium(A, B, *e.strategies, 1e-9)
        assert e.payoffs == pytest.approx(
            (e.strategies[0] @ A @ e.strategies[1], e.strategies[0] @ B @ e.strategies[1])
        )


def test_matching_pennies_unique_mixed() -> None:
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    found = all_equilibria(A, -A)
    assert same_profiles(profiles(found), [((0.5, 0.5), (0.5, 0.5))], 1e-12)
    assert found.equilibria[0].payoffs == pytest.approx((0.0, 0.0), abs=1e-12)
    assert not found.degenerate
    assert found.method == "vertex_enumeration"
    assert_all_verified(A, -A, found)


def test_battle_of_the_sexes_two_pure_one_mixed() -> None:
    A = np.array([[3.0, 0.0], [0.0, 2.0]])
    B = np.array([[2.0, 0.0], [0.0, 3.0]])
    found = all_equilibria(A, B)
    expected = [((1, 0), (1, 0)), ((0, 1), (0, 1)), ((0.6, 0.4), (0.4, 0.6))]
    assert same_profiles(profiles(found), expected, 1e-12)
    payoffs = np.array(sorted(e.payoffs for e in found.equilibria))
    np.testing.assert_allclose(payoffs, [[1.2, 1.2], [2.0, 3.0], [3.0, 2.0]], atol=1e-12)
    assert not found.degenerate
    assert_all_verified(A, B, found)


def test_prisoners_dilemma_found_after_elimination() -> None:
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    found = all_equilibria(A, A.T)
    assert found.eliminated[0].tolist() == [0]
    assert found.eliminated[1].tolist() == [0]
    assert same_profiles(profiles(found), [((0, 1), (0, 1))], 0.0)
    assert found.equilibria[0].payoffs == (1.0, 1.0)
    assert_all_verified(A, A.T, found)


def test_rock_paper_scissors_uniform() -> None:
    A = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
    found = all_equilibria(A, -A)
    third = (1 / 3, 1 / 3, 1 / 3)
    assert same_profiles(profiles(found), [(third, third)], 1e-12)
    assert not found.degenerate


def test_coordination_with_ties_lists_extreme_points() -> None:
    # Row 0 and column 0 are weakly dominant. Equilibria: row 0 with any column mix, and
    # column 0 with any row mix; the extreme points are the three pure profiles below.
    A = np.array([[1.0, 1.0], [1.0, 0.0]])
    found = all_equilibria(A, A)
    expected = [((1, 0), (1, 0)), ((1, 0), (0, 1)), ((0, 1), (1, 0))]
    assert same_profiles(profiles(found), expected, 1e-12)
    assert found.degenerate
    assert found.eliminated[0].size == 0 and found.eliminated[1].size == 0
    assert_all_verified(A, A, found)


def test_degenerate_continuum_extreme_points() -> None:
    # Against x = (1, 0, 0) the column player is indifferent, and row 0 is a best reply
    # to y = (1 - t, t) iff 3 >= 2 + 3t and 3 >= 6t, i.e. t <= 1/3: a segment of
    # equilibria from y = (1, 0) to y = (2/3, 1/3). The other equilibrium makes both
    # players indifferent on rows {1, 2} and both columns.
    A = np.array([[3.0, 3.0], [2.0, 5.0], [0.0, 6.0]])
    B = np.array([[3.0, 3.0], [2.0, 6.0], [3.0, 1.0]])
    found = all_equilibria(A, B)
    expected = [
        ((1, 0, 0), (1, 0)),
        ((1, 0, 0), (2 / 3, 1 / 3)),
        ((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3)),
    ]
    assert same_profiles(profiles(found), expected, 1e-12)
    assert found.degenerate
    assert_all_verified(A, B, found)


def test_indifferent_players_give_every_pure_profile() -> None:
    found = all_equilibria(np.ones((2, 3)), np.ones((2, 3)))
    expected = [(tuple(np.eye(2)[i]), tuple(np.eye(3)[j])) for i in range(2) for j in range(3)]
    assert same_profiles(profiles(found), expected, 0.0)
    assert found.degenerate


def test_a_tie_within_rounding_is_a_tie() -> None:
    # The column player's second column is strictly dominated; against the first, the row
    # player's two rows pay 0.25 and 0.25 + 0.1 - 0.1, one ulp less: indifferent within
    # the tolerance, so every mixture of the rows is an equilibrium (extremes: both rows),
    # as it is with the exact tie. Stretching the ulp to the unit interval made row 0 a
    # strict best reply and lost the second extreme point.
    below = 0.25 + 0.1 - 0.5 * 0.2
    assert 0.25 - 1e-15 < below < 0.25
    A = np.array([[0.25, 0.25], [below, 0.15]])
    B = np.array([[0.0, -0.05], [0.0, -0.05]])
    expected = [((1, 0), (1, 0)), ((0, 1), (1, 0))]
    for row_payoffs in (A, np.where(A == below, 0.25, A)):
        found = all_equilibria(row_payoffs, B)
        assert same_profiles(profiles(found), expected, 1e-12)
        assert_all_verified(row_payoffs, B, found)


def test_degeneracy_hidden_in_a_dominated_strategy() -> None:
    # Against (1/2, 1/2) all three columns are best replies, but row 0 strictly
    # dominates row 1, so the game left after elimination is nondegenerate.
    A = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    B = np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])
    reduced = all_equilibria(A, B)
    full = all_equilibria(A, B, eliminate_dominated=False)
    for found in (reduced, full):
        assert same_profiles(profiles(found), [((1, 0), (0, 0, 1))], 1e-12)
    assert not reduced.degenerate
    assert full.degenerate


def test_single_strategy_games() -> None:
    found = all_equilibria([[2.0, 7.0, 7.0]], [[1.0, 4.0, 4.0]])
    assert same_profiles(profiles(found), [((1,), (0, 1, 0)), ((1,), (0, 0, 1))], 1e-12)
    assert found.degenerate
    assert same_profiles(profiles(all_equilibria([[5.0]], [[-1.0]])), [((1,), (1,))], 0.0)


def test_support_enumeration_misses_an_equilibrium() -> None:
    # Unique equilibrium on rows {1, 2} and columns {1, 2}: x_1 = 0.99 / 3.99 makes the
    # column player indifferent and y_1 = 8.01 / 12.98 makes the row player indifferent.
    # nashpy 0.0.43 support_enumeration returns nothing: a forced zero of the
    # indifference solution comes out as -1e-16 and fails its `prob >= 0` test.
    A = np.array([[2.96, -5.01, -4.00], [-3.01, -3.99, 3.02], [4.05, 0.98, -4.99]])
    B = np.array([[-3.98, -2.02, -1.05], [1.05, -0.02, -3.02], [-3.96, 2.01, 3.00]])
    found = all_equilibria(A, B)
    x = (0.0, 0.99 / 3.99, 3.00 / 3.99)
    y = (0.0, 8.01 / 12.98, 4.97 / 12.98)
    assert same_profiles(profiles(found), [(x, y)], 1e-12)
    assert_all_verified(A, B, found)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        missed = list(nash.Game(A, B).support_enumeration())
    assert missed == []
    from_vertices = list(nash.Game(A - A.min() + 1, B - B.min() + 1).vertex_enumeration())
    assert same_profiles(profiles(found), from_vertices, 1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_random_games_match_nashpy_vertex_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m, n = rng.integers(2, 6, size=2)
    A = rng.integers(-5, 6, size=(m, n)) + rng.uniform(-0.01, 0.01, size=(m, n))
    B = rng.integers(-5, 6, size=(m, n)) + rng.uniform(-0.01, 0.01, size=(m, n))
    found = all_equilibria(A, B)
    oracle = list(nash.Game(A - A.min() + 1, B - B.min() + 1).vertex_enumeration())
    assert same_profiles(profiles(found), oracle, 1e-8)
    assert not found.degenerate
    assert len(found.equilibria) % 2 == 1  # nondegenerate games have an odd number
    assert_all_verified(A, B, found)


def test_failed_check_is_flagged_not_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    A = np.array([[3.0, 0.0], [0.0, 2.0]])
    B = np.array([[2.0, 0.0], [0.0, 3.0]])
    monkeypatch.setattr(equilibria_module, "verify_profile", lambda *args: 1.0)
    found = all_equilibria(A, B)
    assert len(found.equilibria) == 3
    assert not any(e.verified for e in found.equilibria)
    assert all(e.regret == 1.0 for e in found.equilibria)


def test_results_are_immutable() -> None:
    found = all_equilibria([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="read-only"):
        found.equilibria[0].strategies[0][0] = 0.5


@pytest.mark.parametrize(
    ("A", "B", "reason"),
    [
        (np.zeros((2, 2)), np.zeros((2, 3)), "equal shape"),
        (np.zeros(3), np.zeros(3), "2-D"),
        (np.zeros((0, 2)), np.zeros((0, 2)), "non-empty"),
        (np.array([[np.nan, 0.0]]), np.zeros((1, 2)), "finite"),
    ],
)
def test_malformed_games_are_rejected(
    A: NDArray[np.float64], B: NDArray[np.float64], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        all_equilibria(A, B)


def _same_sets(a: EquilibriumSet, b: EquilibriumSet) -> bool:
    """Equal to the last bit: strategies, payoffs, checks, degeneracy and what was
    eliminated."""
    return (
        len(a.equilibria) == len(b.equilibria)
        and all(
            all(np.array_equal(s, t) for s, t in zip(e.strategies, f.strategies, strict=True))
            and e.payoffs == f.payoffs
            and (e.verified, e.regret, e.method) == (f.verified, f.regret, f.method)
            for e, f in zip(a.equilibria, b.equilibria, strict=True)
        )
        and a.degenerate == b.degenerate
        and all(np.array_equal(s, t) for s, t in zip(a.eliminated, b.eliminated, strict=True))
        and (a.method, a.tol) == (b.method, b.tol)
    )


def by_vertex_enumeration(A: NDArray[np.float64], B: NDArray[np.float64]) -> EquilibriumSet:
    """``all_equilibria`` with the dominance-solved shortcut switched off."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(equilibria_module, "_dominance_solved", lambda *args: None)
        return all_equilibria(A, B)


@settings(max_examples=200, deadline=None)
@given(
    m=st.integers(1, 4),
    n=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from([1e-12, 1.0, 1e6]),
)
def test_a_dominance_solved_game_is_answered_as_vertex_enumeration_answers_it(
    m: int, n: int, seed: int, scale: float
) -> None:
    """A game that iterated dominance leaves with one profile skips vertex enumeration; the
    answer is the same to the last bit (with the shortcut switched off for comparison)."""
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(m, n)) * scale, rng.normal(size=(m, n)) * scale
    r, c = rng.integers(m), rng.integers(n)
    A[r] = A.max(axis=0) + scale  # row r strictly dominant for the row player
    B[:, c] = B.max(axis=1) + scale  # column c strictly dominant for the column player
    fast = all_equilibria(A, B)
    assert _same_sets(fast, by_vertex_enumeration(A, B))
    if scale >= 1.0:  # dominance beyond the tolerance: one pure equilibrium, (r, c)
        assert len(fast.equilibria) == 1
        assert fast.equilibria[0].strategies[0][r] == fast.equilibria[0].strategies[1][c] == 1.0


def test_a_wrong_shortcut_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above can fail: a shortcut that calls the game degenerate, or plays
    another column, differs from vertex enumeration."""
    A, B = np.array([[3.0, 0.0], [5.0, 1.0]]), np.array([[3.0, 5.0], [0.0, 1.0]])
    general = by_vertex_enumeration(A, B)
    assert _same_sets(all_equilibria(A, B), general)
    monkeypatch.setattr(
        equilibria_module,
        "_dominance_solved",
        lambda rows, columns, m, n: ([(np.eye(m)[rows[0]], np.eye(n)[columns[0]])], True),
    )
    assert not _same_sets(all_equilibria(A, B), general)
    monkeypatch.setattr(
        equilibria_module,
        "_dominance_solved",
        lambda rows, columns, m, n: ([(np.eye(m)[rows[0]], np.eye(n)[1 - columns[0]])], False),
    )
    assert not _same_sets(all_equilibria(A, B), general)

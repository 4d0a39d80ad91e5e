from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from sim.core import counting
from sim.core.counting import count_space, wilson_count
from sim.core.frontier import SpaceTooLargeError
from sim.core.halves import dominance_counts
from sim.core.problem import Problem
from tests.problems import problem_from_tables

make = problem_from_tables


def random_problem(rng: np.random.Generator, parties: int, radices: list[int]) -> Problem:
    weights = rng.random((parties, len(radices)))
    weights /= weights.sum(axis=1, keepdims=True)
    tables = [
        weights[:, [k]] * rng.integers(0, 1001, (parties, r)) / 1000 for k, r in enumerate(radices)
    ]
    red_lines = [rng.random((parties, r)) < 0.1 for r in radices]
    return make(tables, list(0.2 + 0.4 * rng.random(parties)), red_lines=red_lines)


def brute_force(problem: Problem) -> tuple[int, list[NDArray[np.float64]], list[int], list[int]]:
    """Acceptable count, option shares and the two exclusion counts, by numpy over all bundles."""
    grids = np.meshgrid(*[np.arange(r) for r in problem.radices], indexing="ij")
    digits = np.stack([g.ravel() for g in grids], axis=1)
    utility = sum(t.T[digits[:, k]] for k, t in enumerate(problem.tables))
    meets = utility >= problem.reservation - 1e-12
    hits = np.stack(
        [
            np.any([lines[i, digits[:, k]] for k, lines in enumerate(problem.red_lines)], axis=0)
            for i in range(problem.n_parties)
        ],
        axis=1,
    )
    ok = meets.all(axis=1) & ~hits.any(axis=1)
    shares = [
        np.bincount(digits[ok, k], minlength=r) / max(1, ok.sum())
        for k, r in enumerate(problem.radices)
    ]
    only_reservation = [
        int(((~meets[:, i]) & np.delete(meets, i, axis=1).all(axis=1) & ~hits.any(axis=1)).sum())
        for i in range(problem.n_parties)
    ]
    only_red_lines = [
        int((meets.all(axis=1) & hits[:, i] & ~np.delete(hits, i, axis=1).any(axis=1)).sum())
        for i in range(problem.n_parties)
    ]
    return int(ok.sum()), shares, only_reservation, only_red_lines


def test_hand_counts_with_red_lines() -> None:
    red = [np.zeros((2, 2), bool), np.array([[False, False, True], [False, False, False]])]
    problem = make(
        [np.array([[0.5, 0.0], [0.0, 0.5]]), np.array([[0.5, 0.25, 0.0], [0.0, 0.25, 0.5]])],
        [0.5, 0.2],
        red_lines=red,
    )
    counts = count_space(problem)
    assert (counts.bundles, counts.feasible, counts.acceptable.value) == (6, 4, 2)
    assert counts.acceptable.exact and counts.acceptable.low == counts.acceptable.high == 2
    # Lifting party 0's red line admits (option 0, option 2): utilities 0.5 and 0.5.
    assert [c.value for c in counts.red_lines_exclude] == [1, 0]
    # (0, 0) gives 1.0 / 0.0: only party 1's reservation excludes it; (1, 1) fails party 0's.
    assert [c.value for c in counts.reservation_excludes] == [1, 1]


@pytest.mark.parametrize("parties", [1, 2, 3, 4])
def test_exact_methods_match_brute_force(parties: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(parties)
    for _ in range(8):
        radices = [int(r) for r in rng.integers(2, 6, size=int(rng.integers(1, 6)))]
        problem = random_problem(rng, parties, radices)
        expected, shares, only_reservation, only_red_lines = brute_force(problem)
        methods = [count_space(problem)]
        if parties <= 2:
            monkeypatch.setattr(counting, "ENUMERATION_PAIRS", 0)
            methods.append(count_space(problem))
            monkeypatch.undo()
        for counts in methods:
            assert counts.acceptable.exact
            assert counts.acceptable.value == expected
            for got, want in zip(counts.option_shares, shares, strict=True):
                assert got == pytest.approx(want, abs=1e-12)
            assert [c.value for c in counts.reservation_excludes] == only_reservation
            assert [c.value for c in counts.red_lines_exclude] == only_red_lines
        if parties <= 2 and methods[-1].feasible:
            assert methods[-1].acceptable.method == "meet_in_the_middle"


def test_split_issue_closed_form() -> None:
    x = np.linspace(0.0, 1.0, 101)
    problem = make([np.stack([x, 1 - x])], [0.25, 0.35])
    # Acceptable: 0.25 <= x <= 0.65 on the grid of hundredths.
    assert count_space(problem).acceptable.value == 41


def test_exact_count_of_a_large_space_by_polynomial_coefficients() -> None:
    issues, reservation = 22, 0.4  # 3**22 ~ 3.1e10 bundles
    share = np.array([[0.0, 0.5, 1.0], [1.0, 0.5, 0.0]]) / issues
    counts = count_space(make([share] * issues, [reservation, reservation]))
    # Ways to reach digit total t are the coefficients of (1 + z + z^2)^issues.
    ways = [1]
    for _ in range(issues):
        ways = [
            sum(ways[t - d] for d in range(3) if 0 <= t - d < len(ways))
            for t in range(len(ways) + 2)
        ]
    low, high = 2 * issues * reservation, 2 * issues * (1 - reservation)
    expected = sum(w for t, w in enumerate(ways) if low - 1e-9 <= t <= high + 1e-9)
    assert counts.bundles == 3**issues
    assert counts.acceptable.exact and counts.acceptable.value == expected


def test_meet_in_the_middle_on_distinct_values_agrees_with_pair_enumeration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    problem = random_problem(rng, 2, [7, 6, 8, 5, 7])
    enumerated = count_space(problem)
    monkeypatch.setattr(counting, "ENUMERATION_PAIRS", 0)
    sorted_counts = count_space(problem)
    assert enumerated.acceptable.method == "enumeration"
    assert sorted_counts.acceptable.method == "meet_in_the_middle"
    assert sorted_counts.acceptable.value == enumerated.acceptable.value
    assert [c.value for c in sorted_counts.reservation_excludes] == [
        c.value for c in enumerated.reservation_excludes
    ]
    assert sorted_counts.option_shares[2] == pytest.approx(enumerated.option_shares[2], abs=1e-12)


def test_monte_carlo_interval_contains_the_exact_count() -> None:
    rng = np.random.default_rng(8)
    problem = random_problem(rng, 3, [6, 5, 7, 4, 6])
    exact = count_space(problem).acceptable
    estimate = count_space(
        problem, method="monte_carlo", rng=np.random.default_rng(2024), samples=20_000
    )
    assert exact.exact and not estimate.acceptable.exact
    assert estimate.acceptable.method == "monte_carlo"
    assert estimate.acceptable.low <= exact.value <= estimate.acceptable.high
    assert estimate.acceptable.high - estimate.acceptable.low < 0.1 * estimate.feasible
    exact_shares = count_space(problem).option_shares
    for got, want in zip(estimate.option_shares, exact_shares, strict=True):
        assert got == pytest.approx(want, abs=0.03)


def test_estimates_are_reproducible_from_the_seed() -> None:
    problem = random_problem(np.random.default_rng(1), 2, [5, 5, 5])
    first = count_space(problem, method="monte_carlo", rng=np.random.default_rng(9), samples=5000)
    again = count_space(problem, method="monte_carlo", rng=np.random.default_rng(9), samples=5000)
    assert first.acceptable == again.acceptable


def test_many_parties_beyond_enumeration_fall_back_to_an_estimate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = random_problem(np.random.default_rng(4), 3, [4, 4, 4])
    monkeypatch.setattr(counting, "ENUMERATION_PAIRS", 0)
    counts = count_space(problem, samples=2000)
    assert not counts.acceptable.exact and counts.acceptable.method == "monte_carlo"
    with pytest.raises(ValueError, match="no exact method"):
        count_space(problem, method="exact")


def test_spaces_beyond_int64_are_refused() -> None:
    problem = make([np.array([[0.0, 1.0]])] * 63, [0.0])
    with pytest.raises(SpaceTooLargeError, match="2\\*\\*62"):
        count_space(problem)


def test_wilson_interval() -> None:
    none = wilson_count(0, 1000, 10**6)
    assert (none.value, none.low) == (0, 0) and 0 < none.high < 4000
    half = wilson_count(500, 1000, 1000)
    assert half.value == 500 and half.low == pytest.approx(469, abs=1)
    assert half.high == pytest.approx(531, abs=1)
    assert not half.exact


@pytest.mark.parametrize("columns", [0, 1, 2])
def test_dominance_counts_match_a_direct_check(columns: int) -> None:
    rng = np.random.default_rng(columns)
    points = rng.integers(0, 6, size=(300, columns)) / 5
    weights = rng.integers(1, 5, size=300)
    thresholds = rng.integers(-1, 7, size=(200, columns)) / 5
    expected = [int(weights[(points >= t).all(axis=1)].sum()) for t in thresholds]
    assert dominance_counts(points, weights, thresholds).tolist() == expected
    everything = dominance_counts(points, weights, thresholds - 9)
    assert everything.tolist() == [weights.sum()] * 200


def test_monte_carlo_exclusion_counts_track_the_exact_ones() -> None:
    problem = random_problem(np.random.default_rng(12), 3, [6, 5, 7, 4, 6])
    exact = count_space(problem)
    estimate = count_space(
        problem, method="monte_carlo", rng=np.random.default_rng(31), samples=40_000
    )
    pairs = [*zip(exact.reservation_excludes, estimate.reservation_excludes, strict=True)]
    pairs += [*zip(exact.red_lines_exclude, estimate.red_lines_exclude, strict=True)]
    assert any(e.method == "monte_carlo" for _, e in pairs)
    for known, sampled in pairs:
        if sampled.method == "product":  # lifting the lines changes nothing: exactly zero
            assert known.value == sampled.value == 0
            continue
        assert not sampled.exact
        # Within two interval widths, i.e. about four standard errors.
        assert abs(sampled.value - known.value) <= 2 * (sampled.high - sampled.low)

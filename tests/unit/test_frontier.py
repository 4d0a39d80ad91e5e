from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from sim.core import frontier as frontier_module
from sim.core.frontier import (
    SpaceTooLargeError,
    exact_frontier,
    feasible_reduction,
    frontier_by_enumeration,
    frontier_by_merge,
    original_indices,
)
from sim.core.problem import Problem
from sim.core.space import decode, encode
from tests.problems import problem_from_tables

make = problem_from_tables


def random_problem(rng: np.random.Generator, parties: int, radices: list[int]) -> Problem:
    weights = rng.random((parties, len(radices)))
    weights /= weights.sum(axis=1, keepdims=True)
    grid = int(rng.choice([2, 4, 1000]))
    tables = [
        weights[:, [k]] * rng.integers(0, grid + 1, (parties, r)) / grid
        for k, r in enumerate(radices)
    ]
    red_lines = [rng.random((parties, r)) < 0.08 for r in radices]
    return make(tables, list(rng.random(parties) * 0.6), red_lines=red_lines)


def split_sum_problem(issues: int, reservation: float) -> Problem:
    """``issues`` equal-weight issues, each splitting a unit: options x = 0, 1/2, 1 for the first
    party and 1 - x for the second, so every bundle is on the frontier line u1 + u2 = 1."""
    share = np.array([[0.0, 0.5, 1.0], [1.0, 0.5, 0.0]]) / issues
    return make([share] * issues, [reservation, reservation])


def test_hand_example_with_ties_red_lines_and_a_non_veto_party() -> None:
    tables = [
        np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 0.5], [0.3, 0.0, 0.0]]),
        np.array([[0.25, 0.5], [0.25, 0.0], [0.0, 0.7]]),
    ]
    red = [np.zeros((3, 3), bool), np.zeros((3, 2), bool)]
    red[0][2, 0] = True  # a red line of the non-veto party binds no one
    problem = make(tables, [0.2, 0.2, float("nan")], veto=[True, True, False], red_lines=red)
    result = frontier_by_merge(problem)
    # Bundle index: utilities of p0/p1.  0: .75/.25  1: 1/0  2: .75/.25  3: 1/0  4: .25/.75
    # 5: .5/.5.  Bundles 1 and 3 fail p1's reservation; the rest are mutually undominated.
    assert result.indices.tolist() == [0, 4, 5]
    assert result.ties.tolist() == [1, 0, 0]
    assert result.veto_utilities.tolist() == [[0.75, 0.25], [0.25, 0.75], [0.5, 0.5]]


def test_merge_equals_enumeration_on_random_spaces() -> None:
    rng = np.random.default_rng(11)
    for _ in range(40):
        parties = int(rng.integers(2, 5))
        radices = [int(r) for r in rng.integers(2, 7, size=int(rng.integers(1, 7)))]
        problem = random_problem(rng, parties, radices)
        merged, enumerated = frontier_by_merge(problem), frontier_by_enumeration(problem)
        assert merged.indices.tolist() == enumerated.indices.tolist()
        assert merged.ties.tolist() == enumerated.ties.tolist()
        assert np.array_equal(merged.veto_utilities, enumerated.veto_utilities)
        assert (merged.method, enumerated.method) == ("merge", "enumeration")


def test_small_chunks_give_the_same_frontier() -> None:
    rng = np.random.default_rng(5)
    problem = random_problem(rng, 3, [5, 4, 6, 3])
    whole = frontier_by_merge(problem)
    for method in (frontier_by_merge, frontier_by_enumeration):
        chunked = method(problem, chunk_size=7)
        assert chunked.indices.tolist() == whole.indices.tolist()
        assert chunked.ties.tolist() == whole.ties.tolist()


def test_closed_form_ties_on_a_three_billion_bundle_space() -> None:
    issues = 20  # 3**20 ~ 3.5e9 bundles
    result = frontier_by_merge(split_sum_problem(issues, 0.0))
    # Every bundle lies on u1 + u2 = 1: one frontier point per total t = sum of digits
    # (0..2*issues), tied with every other way of writing t as a sum of digits in {0, 1, 2}.
    assert result.indices.shape[0] == 2 * issues + 1
    for total in range(2 * issues + 1):
        # The lowest index puts the large digits last (the first issue is most significant).
        digits = [0] * issues
        rest = total
        for k in range(issues - 1, -1, -1):
            digits[k] = min(2, rest)
            rest -= digits[k]
        lowest = encode(np.array([digits]), np.full(issues, 3))[0]
        row = int(np.flatnonzero(result.indices == lowest)[0])
        ways = sum(
            math.comb(issues, twos) * math.comb(issues - twos, total - 2 * twos)
            for twos in range(total // 2 + 1)
            if total - 2 * twos <= issues - twos
        )
        assert result.ties[row] == ways - 1
        assert result.veto_utilities[row, 0] == pytest.approx(total / (2 * issues), abs=1e-12)


def test_reservations_cut_the_frontier_to_the_acceptable_part() -> None:
    result = frontier_by_merge(split_sum_problem(4, 0.3))
    # The first party gets t/8 of the unit for digit total t; both need at least 0.3.
    shares = sorted(result.veto_utilities[:, 0].tolist())
    assert shares == pytest.approx([3 / 8, 4 / 8, 5 / 8], abs=1e-12)


def test_empty_zone_gives_an_empty_frontier() -> None:
    assert frontier_by_merge(split_sum_problem(3, 0.6)).indices.shape[0] == 0
    assert frontier_by_enumeration(split_sum_problem(3, 0.6)).indices.shape[0] == 0
    red = [np.array([[True, False], [False, True]])]
    blocked = make([np.array([[0.0, 1.0], [1.0, 0.0]])], [0.0, 0.0], red_lines=red)
    assert frontier_by_merge(blocked).indices.shape[0] == 0


def test_only_veto_parties_decide_dominance() -> None:
    tables = [np.array([[1.0, 1.0], [0.0, 1.0]])]
    problem = make(tables, [0.0, 0.0], veto=[True, False])
    result = frontier_by_merge(problem)
    assert result.indices.tolist() == [0] and result.ties.tolist() == [1]


def test_original_indices_undo_the_feasible_reduction() -> None:
    red = [np.array([[False, True, False]]), np.array([[True, False, False, False]])]
    problem = make([np.zeros((1, 3)), np.zeros((1, 4))], [0.0], red_lines=red)
    reduced, kept = feasible_reduction(problem)
    assert reduced.radices.tolist() == [2, 3]
    indices = original_indices(problem, reduced, kept, np.arange(6))
    feasible = [
        encode(np.array([d]), problem.radices)[0] for d in itertools.product([0, 2], [1, 2, 3])
    ]
    assert indices.tolist() == feasible
    assert decode(indices, problem.radices)[:, 0].tolist() == [0, 0, 0, 2, 2, 2]


def test_automatic_choice_depends_on_the_feasible_size(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = split_sum_problem(3, 0.0)
    assert exact_frontier(problem).method == "enumeration"
    monkeypatch.setattr(frontier_module, "ENUMERATION_LIMIT", 10)
    assert exact_frontier(problem).method == "merge"


def test_spaces_beyond_int64_indices_are_refused() -> None:
    problem = make([np.array([[0.0, 1.0]])] * 63, [0.0])
    with pytest.raises(SpaceTooLargeError, match="9,223,372,036,854,775,808"):
        frontier_by_merge(problem)


def test_an_oversized_frontier_raises_instead_of_exhausting_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(frontier_module, "FRONT_LIMIT", 5)
    with pytest.raises(SpaceTooLargeError, match="more than 5"):
        frontier_by_merge(split_sum_problem(6, 0.0))

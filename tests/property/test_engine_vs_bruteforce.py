"""The engine against a plain-Python reference that enumerates every bundle (SPEC §1).

The reference shares no code with the engine: its own loop over bundles, utility sum,
dominance test, grouping of identical vectors and solution objectives.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from unittest import mock

import pytest
from bruteforce import TOL
from bruteforce import dominates as _dominates
from bruteforce import pick as _pick
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import problems

from sim.core import counting, maxima
from sim.core.analysis import analyse
from sim.core.counting import count_space
from sim.core.frontier import frontier_by_enumeration, frontier_by_merge
from sim.core.problem import Problem


@dataclass
class Reference:
    feasible: int
    acceptable: int
    shares: list[list[float]]
    frontier: list[tuple[int, int]]
    utilities: dict[int, list[float]]
    solutions: dict[str, int | None]
    reservation_excludes: list[int]
    red_lines_exclude: list[int]


def reference(problem: Problem) -> Reference:
    parties = range(len(problem.parties))
    veto = [i for i in parties if problem.veto[i]]
    reservation = [float(problem.reservation[i]) for i in veto]
    radices = [len(options) for options in problem.options]
    rows = []
    for index, bundle in enumerate(itertools.product(*[range(r) for r in radices])):
        utility = [0.0 for _ in parties]
        for i in parties:
            for k, option in enumerate(bundle):
                utility[i] += float(problem.tables[k][i][option])
        hits = [any(problem.red_lines[k][i][o] for k, o in enumerate(bundle)) for i in veto]
        meets = [utility[i] >= r - TOL for i, r in zip(veto, reservation, strict=True)]
        rows.append((index, bundle, utility, hits, meets))
    feasible = [row for row in rows if not any(row[3])]
    accepted = [row for row in feasible if all(row[4])]
    shares = [[0.0] * r for r in radices]
    for _, bundle, *_ in accepted:
        for k, option in enumerate(bundle):
            shares[k][option] += 1 / len(accepted)
    vectors = {row[0]: [row[2][i] for i in veto] for row in accepted}
    members = [
        index
        for index, vector in vectors.items()
        if not any(_dominates(other, vector) for other in vectors.values())
    ]
    groups: list[list[int]] = []
    for index in sorted(members):
        for group in groups:
            if all(
                abs(x - y) <= TOL for x, y in zip(vectors[group[0]], vectors[index], strict=True)
            ):
                group.append(index)
                break
        else:
            groups.append([index])
    listed = [group[0] for group in groups]
    gains = {
        index: [u - r for u, r in zip(vectors[index], reservation, strict=True)] for index in listed
    }
    ideal = [max(vectors[index][j] for index in listed) for j in range(len(veto))] if listed else []
    spans = [(j, ideal[j] - reservation[j]) for j in range(len(ideal))]
    used = [(j, span) for j, span in spans if span > TOL]
    powers = [float(problem.power[i]) for i in veto]
    solutions = {
        "nash": _pick(
            [
                (sum(p * math.log(g) for p, g in zip(powers, gains[index], strict=True)), index)
                for index in listed
                if all(g > TOL for g in gains[index])
            ]
        ),
        "kalai_smorodinsky": _pick(
            [
                (min((gains[index][j] / span for j, span in used), default=0.0), index)
                for index in listed
            ]
        ),
        "egalitarian": _pick([(min(gains[index], default=0.0), index) for index in listed]),
        "utilitarian": _pick([(sum(vectors[index]), index) for index in listed]),
    }
    reservation_excludes = [
        sum(1 for row in feasible if not row[4][j] and all(row[4][:j] + row[4][j + 1 :]))
        for j in range(len(veto))
    ]
    red_lines_exclude = [
        sum(
            1 for row in rows if all(row[4]) and row[3][j] and not any(row[3][:j] + row[3][j + 1 :])
        )
        for j in range(len(veto))
    ]
    return Reference(
        feasible=len(feasible),
        acceptable=len(accepted),
        shares=shares,
        frontier=[(group[0], len(group) - 1) for group in groups],
        utilities={index: rows[index][2] for index in listed},
        solutions=solutions,
        reservation_excludes=reservation_excludes,
        red_lines_exclude=red_lines_exclude,
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_analysis_matches_brute_force(problem: Problem) -> None:
    expected = reference(problem)
    result = analyse(problem)
    assert result.bundles == math.prod(len(o) for o in problem.options)
    assert result.feasible == expected.feasible
    assert result.acceptable.exact
    assert result.acceptable.value == expected.acceptable
    frontier = list(
        zip(result.frontier.indices.tolist(), result.frontier.ties.tolist(), strict=True)
    )
    assert frontier == expected.frontier
    for index, utilities in zip(
        result.frontier.indices.tolist(), result.frontier.utilities, strict=True
    ):
        assert utilities.tolist() == expected.utilities[index]
    merged = frontier_by_merge(problem)
    assert (
        list(zip(merged.indices.tolist(), merged.ties.tolist(), strict=True)) == expected.frontier
    )
    for k, shares in enumerate(result.option_shares):
        assert shares.tolist() == pytest.approx(expected.shares[k], abs=1e-12)
    for name, index in expected.solutions.items():
        solution = getattr(result.solutions, name)
        assert (solution.index if solution is not None else None) == index, name
    assert [c.value for c in result.binding.reservation_excludes] == expected.reservation_excludes
    assert [c.value for c in result.binding.red_lines_exclude] == expected.red_lines_exclude


@settings(max_examples=100, deadline=None)
@given(problems())
def test_merge_and_enumeration_agree(problem: Problem) -> None:
    merged = frontier_by_merge(problem)
    enumerated = frontier_by_enumeration(problem)
    assert merged.indices.tolist() == enumerated.indices.tolist()
    assert merged.ties.tolist() == enumerated.ties.tolist()
    assert merged.veto_utilities.tolist() == enumerated.veto_utilities.tolist()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_parties=6), st.sampled_from([(1, 1), (2, 1), (2, 2), (3, 1)]))
def test_frontier_through_the_tree_filter_matches_brute_force(
    problem: Problem, shape: tuple[int, int]
) -> None:
    """Every filter of three or more columns through the k-d tree merge (its leaves shrunk to a
    few rows in one or two parts, the traversal cut into batches of a few pairs), 2-6 parties."""
    leaf, parts = shape
    expected = reference(problem).frontier
    with (
        mock.patch.object(maxima, "LEAF_ROWS", 2),
        mock.patch.object(maxima, "TREE_LEAF", leaf),
        mock.patch.object(maxima, "TREE_PAIRS", 3),
        mock.patch.object(maxima, "SUBLEAVES", parts),
    ):
        for method in (frontier_by_merge, frontier_by_enumeration):
            found = method(problem)
            assert list(zip(found.indices.tolist(), found.ties.tolist(), strict=True)) == expected


@settings(max_examples=80, deadline=None)
@given(problems(max_parties=2))
def test_meet_in_the_middle_counts_match_brute_force(problem: Problem) -> None:
    expected = reference(problem)
    with mock.patch.object(counting, "ENUMERATION_PAIRS", 0):
        result = count_space(problem)
    if expected.feasible:
        assert result.acceptable.method == "meet_in_the_middle"
    assert result.acceptable.value == expected.acceptable
    for k, shares in enumerate(result.option_shares):
        assert shares.tolist() == pytest.approx(expected.shares[k], abs=1e-12)
    assert [c.value for c in result.reservation_excludes] == expected.reservation_excludes
    assert [c.value for c in result.red_lines_exclude] == expected.red_lines_exclude

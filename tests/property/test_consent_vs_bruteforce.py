"""The analysis of problems with consent against a plain-Python reference over every bundle.

The reference shares no code with the engine: its own loop over bundles, utility sum, set of
deciders ``D(b)``, acceptability, dominance test over the judges ``P``, grouping of identical
vectors and the solutions' objectives over ``D(b)`` (docs/scenario-format.md, "Meaning").
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import pytest
from bruteforce import TOL
from bruteforce import dominates as _dominates
from bruteforce import pick as _pick
from hypothesis import HealthCheck, given, settings
from strategies import consent_problems

from sim.core.analysis import analyse
from sim.core.problem import Problem


@dataclass
class Reference:
    judges: list[int]
    feasible: int
    acceptable: int
    shares: list[list[float]]
    frontier: list[tuple[int, int]]
    utilities: dict[int, list[float]]
    solutions: dict[str, int | None]
    gains: dict[int, list[float]]
    best: list[float]
    reservation_excludes: list[int]
    red_lines_exclude: list[int]


def reference(problem: Problem) -> Reference:
    parties = range(len(problem.parties))
    veto = [i for i in parties if problem.veto[i]]
    consent = problem.consent or ()
    holders = [
        i for i in parties if not problem.veto[i] and any(bool(table[i].any()) for table in consent)
    ]
    judges = sorted(veto + holders)
    reservation = [float(r) for r in problem.reservation]
    radices = [len(options) for options in problem.options]

    def deciders(bundle: tuple[int, ...]) -> list[int]:
        needed = [j for j in holders if any(consent[k][j][o] for k, o in enumerate(bundle))]
        return sorted(veto + needed)

    def lines(i: int, bundle: tuple[int, ...]) -> bool:
        return any(problem.red_lines[k][i][o] for k, o in enumerate(bundle))

    rows = []
    for index, bundle in enumerate(itertools.product(*[range(r) for r in radices])):
        utility = [0.0 for _ in parties]
        for i in parties:
            for k, option in enumerate(bundle):
                utility[i] += float(problem.tables[k][i][option])
        rows.append((index, bundle, utility))

    def refusals(bundle: tuple[int, ...], utility: list[float], lifted: int = -1) -> list[int]:
        return [
            i
            for i in deciders(bundle)
            if utility[i] < reservation[i] - TOL or (i != lifted and lines(i, bundle))
        ]

    feasible = [row for row in rows if not any(lines(i, row[1]) for i in veto)]
    accepted = [row for row in feasible if not refusals(row[1], row[2])]
    shares = [[0.0] * r for r in radices]
    for _, bundle, _ in accepted:
        for k, option in enumerate(bundle):
            shares[k][option] += 1 / len(accepted)
    vectors = {row[0]: [row[2][i] for i in judges] for row in accepted}
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
    utility = {index: rows[index][2] for index in listed}
    decide = {index: deciders(rows[index][1]) for index in listed}
    gain = {index: {i: utility[index][i] - reservation[i] for i in judges} for index in listed}
    ideal = {}
    for i in judges:
        seen = [utility[index][i] for index in listed if i in decide[index]]
        if seen:
            ideal[i] = max(seen)
    used = {i: ideal[i] - reservation[i] for i in ideal if ideal[i] - reservation[i] > TOL}
    power = [float(p) for p in problem.power]
    veto_power = sum(power[i] for i in veto)

    def nash(index: int) -> float:
        d = decide[index]
        total = sum(power[i] * math.log(gain[index][i]) for i in d)
        return total * (veto_power / sum(power[i] for i in d))

    solutions = {
        "nash": _pick([(nash(x), x) for x in listed if all(gain[x][i] > TOL for i in decide[x])]),
        "kalai_smorodinsky": _pick(
            [
                (min((gain[x][i] / used[i] for i in decide[x] if i in used), default=0.0), x)
                for x in listed
            ]
        ),
        "egalitarian": _pick([(min(gain[x][i] for i in decide[x]), x) for x in listed]),
        "utilitarian": _pick(
            [
                (sum(utility[x][i] for i in decide[x]) * len(veto) / len(decide[x]), x)
                for x in listed
            ]
        ),
    }
    reservation_excludes = []
    red_lines_exclude = []
    for j in judges:
        only = [row for row in feasible if refusals(row[1], row[2]) == [j]]
        reservation_excludes.append(sum(1 for row in only if not lines(j, row[1])))
        if j in veto:
            others = [i for i in veto if i != j]
            relaxed = [row for row in rows if not any(lines(i, row[1]) for i in others)]
            red_lines_exclude.append(
                sum(
                    1
                    for row in relaxed
                    if lines(j, row[1]) and not refusals(row[1], row[2], lifted=j)
                )
            )
        else:
            red_lines_exclude.append(
                sum(1 for row in only if lines(j, row[1]) and row[2][j] >= reservation[j] - TOL)
            )
    return Reference(
        judges=judges,
        feasible=len(feasible),
        acceptable=len(accepted),
        shares=shares,
        frontier=[(group[0], len(group) - 1) for group in groups],
        utilities=utility,
        solutions=solutions,
        gains={x: [gain[x][i] for i in judges] for x in listed},
        best=[ideal.get(i, math.nan) for i in judges],
        reservation_excludes=reservation_excludes,
        red_lines_exclude=red_lines_exclude,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consent_problems())
def test_consent_analysis_matches_brute_force(problem: Problem) -> None:
    expected = reference(problem)
    result = analyse(problem)
    assert result.veto.tolist() == expected.judges
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
        assert utilities.tolist() == pytest.approx(expected.utilities[index], abs=1e-12)
    for k, shares in enumerate(result.option_shares):
        assert shares.tolist() == pytest.approx(expected.shares[k], abs=1e-12)
    for name, index in expected.solutions.items():
        solution = result.solutions.get(name)
        assert (solution.index if solution is not None else None) == index, name
        if solution is not None:
            assert solution.gains.tolist() == pytest.approx(expected.gains[index], abs=1e-12)
    assert result.best_acceptable.tolist() == pytest.approx(expected.best, abs=1e-12, nan_ok=True)
    assert [c.value for c in result.binding.reservation_excludes] == expected.reservation_excludes
    assert [c.value for c in result.binding.red_lines_exclude] == expected.red_lines_exclude


@settings(max_examples=60, deadline=None)
@given(consent_problems())
def test_chunks_do_not_change_the_analysis(problem: Problem) -> None:
    """The enumeration a few bundles at a time gives the same frontier, ties and counts."""
    whole, chunked = analyse(problem), analyse(problem, chunk_size=3)
    assert chunked.frontier.indices.tolist() == whole.frontier.indices.tolist()
    assert chunked.frontier.ties.tolist() == whole.frontier.ties.tolist()
    assert chunked.acceptable == whole.acceptable
    assert [s and s.index for s in chunked.solutions.chosen] == [
        s and s.index for s in whole.solutions.chosen
    ]

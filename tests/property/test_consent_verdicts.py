"""Verdicts on partial terms with consent against an enumeration of their completions.

A consent holder is judged over the completions that need its consent: it accepts when it
approves all of them (utility at or above its reservation, none of its red lines), rejects
when it approves none, is not consulted when none needs it. Whether some completion is
acceptable is checked against the same enumeration. No code is shared with the engine.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import consent_problems

from sim.core.consent import some_completion_acceptable
from sim.core.problem import Problem
from sim.core.verdict import Verdict, judge_allowed

TOL = 1e-12


@st.composite
def problems_and_terms(draw: st.DrawFn) -> tuple[Problem, list[np.ndarray]]:
    problem = draw(consent_problems())
    allowed = []
    for radix in problem.radices.tolist():
        kind = draw(st.sampled_from(["open", "fixed", "some"]))
        if kind == "open":
            mask = np.ones(radix, dtype=bool)
        elif kind == "fixed":
            mask = np.arange(radix) == draw(st.integers(0, radix - 1))
        else:
            mask = np.array([draw(st.booleans()) for _ in range(radix)])
            if not mask.any():
                mask[draw(st.integers(0, radix - 1))] = True
        allowed.append(mask)
    return problem, allowed


def completions(problem: Problem, allowed: list[np.ndarray]) -> list[tuple[int, ...]]:
    return list(itertools.product(*[np.flatnonzero(m).tolist() for m in allowed]))


def utility(problem: Problem, party: int, bundle: tuple[int, ...]) -> float:
    return sum(float(problem.tables[k][party][o]) for k, o in enumerate(bundle))


def needs(problem: Problem, party: int, bundle: tuple[int, ...]) -> bool:
    consent = problem.consent or ()
    return bool(problem.veto[party]) or any(
        bool(consent[k][party][o]) for k, o in enumerate(bundle)
    )


def approves(problem: Problem, party: int, bundle: tuple[int, ...]) -> bool:
    lines = any(bool(problem.red_lines[k][party][o]) for k, o in enumerate(bundle))
    return not lines and utility(problem, party, bundle) >= problem.reservation[party] - TOL


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems_and_terms())
def test_consent_holders_are_judged_over_the_completions_that_need_them(
    case: tuple[Problem, list[np.ndarray]],
) -> None:
    problem, allowed = case
    every = completions(problem, allowed)
    verdicts = judge_allowed(problem, allowed)
    holders = problem.consent_holders.tolist()
    for i in holders:
        asked = [b for b in every if needs(problem, i, b)]
        verdict = verdicts[i]
        if not asked:
            assert verdict.verdict is Verdict.NO_RESERVATION
            assert verdict.consent == "none"
            continue
        assert verdict.consent == ("all" if len(asked) == len(every) else "some")
        yes = [approves(problem, i, b) for b in asked]
        expected = (
            Verdict.ACCEPTS if all(yes) else Verdict.REJECTS if not any(yes) else Verdict.SOME
        )
        assert verdict.verdict is expected, (i, verdict.reason)
        values = [utility(problem, i, b) for b in asked]
        assert verdict.utility_low == pytest.approx(min(values), abs=1e-12)
        free = [
            v
            for v, b in zip(values, asked, strict=True)
            if not any(problem.red_lines[k][i][o] for k, o in enumerate(b))
        ]
        if free:  # the high bound avoids the party's red lines
            assert verdict.utility_high >= max(free) - 1e-12
    for i in range(problem.n_parties):
        if i not in holders:
            assert verdicts[i].consent is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems_and_terms())
def test_some_completion_acceptable(case: tuple[Problem, list[np.ndarray]]) -> None:
    problem, allowed = case
    veto = [i for i in range(problem.n_parties) if problem.veto[i]]
    expected = any(
        all(not any(problem.red_lines[k][i][o] for k, o in enumerate(b)) for i in veto)
        and all(
            approves(problem, i, b)
            for i in range(problem.n_parties)
            if needs(problem, i, b) and (problem.veto[i] or i in problem.consent_holders)
        )
        for b in completions(problem, allowed)
    )
    assert some_completion_acceptable(problem, allowed) is expected

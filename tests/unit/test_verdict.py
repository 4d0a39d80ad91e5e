"""Verdicts on full and partial terms against brute force over every completion."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pytest

from sim.compile import compile_problem
from sim.core.verdict import Verdict, judge_terms
from sim.model import load_scenario


def brute_force(problem, terms):  # type: ignore[no-untyped-def]
    """Per party: utilities and own-red-line hits over every completion."""
    open_issues = [k for k in range(len(problem.issues)) if k not in terms]
    ranges = [range(len(problem.options[k])) for k in open_issues]
    results = []
    for i in range(problem.n_parties):
        seen = []
        for combo in itertools.product(*ranges):
            choice = dict(terms) | dict(zip(open_issues, combo, strict=True))
            u = sum(problem.tables[k][i, o] for k, o in choice.items())
            hit = any(problem.red_lines[k][i, o] for k, o in choice.items())
            seen.append((u, hit))
        results.append(seen)
    return results


@pytest.mark.parametrize("scenario", ["base.yaml", "child.yaml"])
def test_all_partial_terms_match_brute_force(toy_folder: Path, scenario: str) -> None:
    problem = compile_problem(load_scenario(toy_folder / scenario).scenario)
    choices = [[None, *range(len(o))] for o in problem.options]
    for picks in itertools.product(*choices):
        terms = {k: o for k, o in enumerate(picks) if o is not None}
        verdicts = judge_terms(problem, terms)
        for i, (v, seen) in enumerate(zip(verdicts, brute_force(problem, terms), strict=True)):
            ok = [u for u, hit in seen if not hit]
            assert v.utility_low == pytest.approx(min(u for u, _ in seen))
            if ok:
                assert v.utility_high == pytest.approx(max(ok))
            r = problem.reservation[i]
            if np.isnan(r):
                expected = Verdict.REJECTS if not ok else Verdict.NO_RESERVATION
            else:
                accepted = [not hit and u >= r - 1e-12 for u, hit in seen]
                expected = (
                    Verdict.ACCEPTS
                    if all(accepted)
                    else Verdict.SOME
                    if any(accepted)
                    else Verdict.REJECTS
                )
            assert v.verdict is expected, (terms, v)


def test_the_verdicts_of_some_parties_are_theirs_among_all() -> None:
    """``judge_allowed(..., parties=[i])`` (as a consent holder's completions are judged) gives
    party ``i``'s verdict of the whole list, on random allowed options of the consent fixture."""
    from sim.core.verdict import judge_allowed

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "consent" / "peacekeepers.yaml"
    problem = compile_problem(load_scenario(fixture).scenario)
    rng = np.random.default_rng(3)
    for _ in range(30):
        allowed = [rng.random(int(r)) < 0.6 for r in problem.radices]
        for mask in allowed:
            mask[rng.integers(mask.shape[0])] = True
        every = judge_allowed(problem, allowed)
        for i in range(len(problem.parties)):
            (one,) = judge_allowed(problem, allowed, parties=[i])
            for field in dataclasses.fields(one):
                mine, theirs = getattr(one, field.name), getattr(every[i], field.name)
                if isinstance(mine, np.ndarray):
                    assert np.array_equal(mine, theirs, equal_nan=True)
                else:
                    assert mine == theirs, field.name

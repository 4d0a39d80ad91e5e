"""The case's documented reactions and headline conclusions over the uncertainty it declares
(`uncertainty:` in scenarios/ukraine/baseline.yaml).

Each test draws the scenario's judgments (the same seeded draws `sim uncertainty` makes, common
to a scenario and its variants), compiles every draw and asks of it the question a document
answers; it asserts on the 95% Wilson interval of the share of draws, not on the estimate alone,
and names the judgments that could have made it fail. No test holds merely because a red line or
a coefficient's sign makes it true by construction: the reactions the red lines decide (Moscow
rejecting the floated plan as floated, with its European troops; Kyiv rejecting the Istanbul
terms, with their withdrawal and recognition in law) are not tested here.

Calibration: the numbers of the case were set against the December 2024 reports. Kyiv's
acceptance of the 30-day interim ceasefire (12 March 2025) was held out: no number was chosen
with it in view, and `test_held_out_kyiv_accepts_the_interim_ceasefire` reports whether the
model reproduces it.

Every test here comes with a mutation: a judgment changed, through the same draws, that makes
its claim fail.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

import sim
from sim.compile import compile_problem
from sim.core.problem import Problem
from sim.core.utility import acceptable, bundle_utilities
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import resolve_judgments

CASE = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine"
DRAWS = 300
SEED = 11

Question = Callable[[Problem, NDArray[np.int64], NDArray[np.bool_]], bool]


def wilson(hits: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The 95% Wilson score interval of a share."""
    share = hits / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


Mutation = tuple[tuple[str, float], ...]
"""Overrides applied on top of every draw: a judgment changed to show a test can fail."""


@cache
def _draws(name: str, mutation: Mutation = ()) -> tuple[tuple[Problem, NDArray[np.bool_]], ...]:
    """Per draw, the compiled problem and which bundles are acceptable (every veto party and
    every consent holder the bundle needs)."""
    loaded = sim.load_scenario(CASE / f"{name}.yaml")
    judgments = resolve_judgments(loaded)
    drawn = draw_block(judgments, SEED, 0, DRAWS)
    out = []
    for row in drawn:
        values = {j.path: float(v) for j, v in zip(judgments, row, strict=True)}
        values.update(mutation)
        problem = compile_problem(loaded.raw().with_overrides(values).scenario)
        digits = _digits(problem)
        out.append((problem, acceptable(problem, digits, bundle_utilities(problem, digits))))
    return tuple(out)


@cache
def _digits_for(radices: tuple[int, ...]) -> NDArray[np.int64]:
    return np.array(list(itertools.product(*[range(n) for n in radices])), dtype=np.int64)


def _digits(problem: Problem) -> NDArray[np.int64]:
    return _digits_for(tuple(int(n) for n in problem.radices))


def terms(problem: Problem, **fixed: str | tuple[str, ...]) -> NDArray[np.bool_]:
    """Bundles whose options on the named issues are the given one (or one of the given)."""
    digits = _digits(problem)
    mask = np.ones(digits.shape[0], dtype=np.bool_)
    for issue, options in fixed.items():
        k = problem.issues.index(issue)
        wanted = (options,) if isinstance(options, str) else options
        mask &= np.isin(digits[:, k], [problem.options[k].index(o) for o in wanted])
    return mask


def share(name: str, question: Question, mutation: Mutation = ()) -> tuple[int, float, float]:
    draws = _draws(name, mutation)
    hits = sum(bool(question(p, _digits(p), ok)) for p, ok in draws)
    low, high = wilson(hits, len(draws))
    return hits, low, high


def test_held_out_kyiv_accepts_the_interim_ceasefire() -> None:
    kyiv_accepts_the_interim_ceasefire()


def test_the_held_out_test_fails_when_kyiv_wants_the_settlement_first() -> None:
    """The mutation: Kyiv's sequencing values reversed AND weighted 0.5 (reversing the values
    at the stated weight, 0.05, is not enough: the share stays at 300 of 300 draws, 207 with
    the weight raised); equally, Moscow weighting the sequence 0.5 brings it to 155 of 300."""
    with pytest.raises(AssertionError):
        kyiv_accepts_the_interim_ceasefire(
            (
                ("parties.ukraine.values.sequence.ceasefire_first", 0.0),
                ("parties.ukraine.values.sequence.settlement_first", 1.0),
                ("parties.ukraine.weights.sequence", 0.5),
            )
        )


def kyiv_accepts_the_interim_ceasefire(mutation: Mutation = ()) -> None:
    """HELD OUT. Kyiv accepted the US plan for an immediate 30-day ceasefire, the final terms
    left to talks (12 March 2025). Read in the model: some final terms, with the ceasefire
    first, are acceptable to Kyiv and to Moscow (and to whoever must deliver them), so that
    agreeing to the pause is worth it to Kyiv. It could have failed through Moscow's value of
    fighting on in March 2025 (the odds with the advance and the freeze, its cost, the
    sanctions threat) against its dislike of a ceasefire first."""
    hits, low, _ = share(
        "interim_ceasefire",
        lambda p, d, ok: bool((ok & terms(p, sequence="ceasefire_first")).any()),
        mutation,
    )
    assert low >= 0.9, (hits, DRAWS)


def test_moscow_rejects_the_floated_plans_nato_delay_only_through_its_red_line() -> None:
    moscow_rejects_the_delay_only_through_its_red_line()


def test_the_disagreement_test_fails_when_moscow_values_the_delay_at_nothing() -> None:
    """The mutation the docstring names: Moscow values a delayed accession at 0 and weights
    NATO 0.7 (its other weights summing to 0.85), and it rejects the delay without the troops
    in most draws (182 of 300; 125 of 300 with the weight at 0.6, not enough)."""
    with pytest.raises(AssertionError):
        moscow_rejects_the_delay_only_through_its_red_line(
            (("parties.russia.values.nato.delay_20y", 0.0), ("parties.russia.weights.nato", 0.7))
        )


def moscow_rejects_the_delay_only_through_its_red_line(mutation: Mutation = ()) -> None:
    """Lavrov rejected the floated plan's 20-year NATO delay as well as its European troops
    (30 December 2024). Without the troops (none, or from outside NATO) the model does NOT
    reproduce the rejection: in most draws some completion of the remaining floated terms
    (delay, current line, demilitarised zone) is acceptable to both sides. This test records the
    disagreement so that a revision that resolves it is noticed; the judgments that would make
    Moscow reject the delay are its value of a delayed accession, the weight of NATO and its
    value of fighting on."""
    hits, _, high = share(
        "baseline",
        lambda p, d, ok: (
            not bool(
                (
                    ok
                    & terms(
                        p,
                        nato="delay_20y",
                        territory="current_line",
                        dmz="dmz",
                        peacekeepers=("none", "non_nato"),
                    )
                ).any()
            )
        ),
        mutation,
    )
    assert high < 0.5, (hits, DRAWS)

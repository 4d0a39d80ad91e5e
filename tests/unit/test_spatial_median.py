"""The compromise, the weighted median and the Condorcet winner against closed forms and
brute force; the EC emissions fixture's published compromise, 7.39."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from sim.model.resolve import load_scenario
from sim.spatial.forecast import forecast
from sim.spatial.median import condorcet_winner, weighted_mean, weighted_median
from sim.spatial.problem import spatial_problem

FIXTURE = Path(__file__).parents[1] / "fixtures" / "spatial" / "ec-emissions.yaml"

# Bueno de Mesquita (1994, p. 78): capability, position, salience of the ten members.
EC = [
    (0.08, 4, 0.80), (0.08, 7, 0.40), (0.03, 4, 0.20), (0.16, 4, 0.80), (0.16, 10, 0.60),
    (0.16, 10, 0.60), (0.16, 10, 0.90), (0.05, 7, 0.10), (0.05, 4, 1.00), (0.08, 7, 0.70),
]  # fmt: skip


def test_ec_compromise_is_the_published_7_39() -> None:
    """By hand: sum c s x = 5.003 and sum c s = 0.677, so 5.003 / 0.677 = 7.3900..."""
    assert sum(c * s * x for c, x, s in EC) == pytest.approx(5.003, abs=1e-12)
    assert sum(c * s for c, _, s in EC) == pytest.approx(0.677, abs=1e-12)
    problem = spatial_problem(load_scenario(FIXTURE).scenario)
    result = forecast(problem, "ec-emissions", "compromise")
    assert result.forecast[0] == pytest.approx(5.003 / 0.677, abs=1e-12)
    assert round(result.forecast[0], 2) == 7.39


def test_ec_median_is_seven() -> None:
    """Positions 4, 7, 10 carry c s weights 0.248, 0.093 and 0.336 (total 0.677): the
    cumulative weight first reaches half (0.3385) at 7."""
    problem = spatial_problem(load_scenario(FIXTURE).scenario)
    assert forecast(problem, "ec-emissions", "median").forecast == (7.0,)


def _random_cases(count: int = 300) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(11)
    cases = []
    for _ in range(count):
        n = int(rng.integers(1, 9))
        x = rng.integers(0, 6, size=n).astype(float)
        w = rng.integers(1, 5, size=n).astype(float)
        cases.append((x, w))
    return cases


def _expanded(x: np.ndarray, w: np.ndarray) -> list[float]:
    """Each position repeated its (integer) weight's number of times."""
    return [float(v) for v, k in zip(x, w, strict=True) for _ in range(int(k))]


def _median_agrees(rule: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> bool:
    for x, w in _random_cases():
        got = float(rule(x, w))
        if got != statistics.median_low(_expanded(x, w)):
            return False
        # the lowest actor position minimising the weighted absolute deviation
        loss = [sum(wi * abs(xi - m) for xi, wi in zip(x, w, strict=True)) for m in x]
        best = min(loss)
        if got != min(m for m, v in zip(x, loss, strict=True) if v <= best + 1e-9):
            return False
    return True


def _condorcet_agrees(rule: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> bool:
    """The winner beats or ties every other position in pairwise votes (the lowest such)."""
    for x, w in _random_cases():
        unbeaten = [
            float(xj)
            for xj in x
            if all(
                sum(wi * (abs(xi - xk) - abs(xi - xj)) for xi, wi in zip(x, w, strict=True))
                >= -1e-9
                for xk in x
            )
        ]
        if float(rule(x, w)) != min(unbeaten):
            return False
    return True


def test_weighted_median_by_closed_form_and_brute_force() -> None:
    assert _median_agrees(weighted_median)


def test_condorcet_winner_by_brute_force_and_equal_to_the_median() -> None:
    assert _condorcet_agrees(condorcet_winner)
    assert _condorcet_agrees(weighted_median)  # Black (1948): on a line, the same point


def test_the_median_checks_catch_an_upper_median() -> None:
    def upper(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        return -weighted_median(-x, w)

    assert not _median_agrees(upper)
    assert not _condorcet_agrees(upper)


def _mean_agrees(rule: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> bool:
    for x, w in _random_cases():
        got = float(rule(x, w))
        if abs(got - statistics.fmean(_expanded(x, w))) > 1e-12:
            return False
        # the minimiser of the weighted squared deviation: zero derivative
        if abs(sum(wi * (xi - got) for xi, wi in zip(x, w, strict=True))) > 1e-9:
            return False
    return True


def test_weighted_mean_by_closed_form_and_brute_force() -> None:
    assert _mean_agrees(weighted_mean)


def test_the_mean_check_catches_an_unweighted_mean() -> None:
    assert not _mean_agrees(lambda x, w: np.mean(x, axis=-1))


def test_rules_work_over_leading_axes() -> None:
    """Dimensions (and draws) as leading axes give the one-at-a-time answers."""
    rng = np.random.default_rng(3)
    x, w = rng.random((4, 5, 7)), rng.random((4, 5, 7))
    for rule in (weighted_mean, weighted_median, condorcet_winner):
        batched = rule(x, w)
        for a in range(4):
            for b in range(5):
                assert batched[a, b] == pytest.approx(float(rule(x[a, b], w[a, b])), abs=1e-12)

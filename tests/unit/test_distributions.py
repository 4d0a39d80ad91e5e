"""Truncated distributions far in their tails, against closed forms that share no code with
the sampler (the scaled complementary error function ``erfcx``, not ``log_ndtr``/``ndtri_exp``),
and the refusal of parameters whose draws are not finite numbers in the field's range."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import NDArray
from scipy import special

from sim.core import distributions as truncated
from sim.core.distributions import quantiles, refusal
from sim.montecarlo.draws import values
from sim.montecarlo.judgments import Judgment

GRID = (np.arange(200_000) + 0.5) / 200_000
"""Midpoints of 200,000 equal slices of (0, 1): the mean of the quantiles at them is the
distribution's mean by the midpoint rule."""


def _upper_tail(a: float, b: float, x: NDArray[np.float64] | float) -> tuple[float, object]:
    """For the standard normal truncated to ``[a, b]`` with ``0 <= a < b``: its mean and its
    CDF at ``x``, from Q(t) = erfc(t/√2)/2 = exp(-t²/2) erfcx(t/√2)/2, every term scaled by
    exp(a²/2) so that nothing underflows (Johnson, Kotz & Balakrishnan 1994, §10.1)."""

    def scaled_q(t: NDArray[np.float64] | float) -> NDArray[np.float64]:
        t = np.asarray(t, dtype=np.float64)
        return 0.5 * np.exp(-(t * t - a * a) / 2) * special.erfcx(t / math.sqrt(2))

    mass = float(scaled_q(a) - scaled_q(b))
    density = (1.0 - math.exp(-(b * b - a * a) / 2)) / math.sqrt(2 * math.pi)
    return density / mass, (scaled_q(a) - scaled_q(x)) / mass


def _oracle(mean: float, sd: float, low: float, high: float) -> tuple[float, object]:
    """Mean and CDF (in field units) of N(mean, sd²) truncated to [low, high], both ends in
    one tail: the lower tail is reflected onto the upper one (x -> -x)."""
    a, b = (low - mean) / sd, (high - mean) / sd
    if a >= 0:
        m, _ = _upper_tail(a, b, a)
        return mean + sd * m, lambda x: _upper_tail(a, b, (x - mean) / sd)[1]
    m, _ = _upper_tail(-b, -a, -b)
    return mean - sd * m, lambda x: 1.0 - _upper_tail(-b, -a, -(x - mean) / sd)[1]


TAILS = [(-0.5, 0.05, 0.0, 1.0), (50.0, 1.0, 0.0, 1.0), (3.0, 0.1, 0.0, 1.0), (-8.0, 0.5, 0.0, 1.0)]


def _errors(sampler: object, case: tuple[float, float, float, float]) -> tuple[float, float]:
    """The error of the mean (relative to about the truncated sd) and the largest error of the
    CDF at the quantiles."""
    mean, sd, low, high = case
    exact_mean, cdf = _oracle(*case)
    drawn = sampler("normal", (mean, sd), low, high, GRID)  # type: ignore[operator]
    spread = sd / max(1.0, abs((low - mean) / sd))  # about the truncated sd
    mean_error = abs(float(np.mean(drawn)) - exact_mean) / spread
    u = np.array([0.001, 0.1, 0.5, 0.9, 0.999])
    at = sampler("normal", (mean, sd), low, high, u)  # type: ignore[operator]
    cdf_error = float(np.max(np.abs(cdf(at) - u)))  # type: ignore[operator]
    return mean_error, cdf_error


def test_the_issues_example_has_the_closed_form_mean() -> None:
    exact, _ = _oracle(-0.5, 0.05, 0.0, 1.0)
    assert exact == pytest.approx(0.004905, abs=5e-6)  # -0.5 + 0.05 * 10.0981 (Mills ratio)
    drawn = quantiles("normal", (-0.5, 0.05), 0.0, 1.0, GRID)
    assert float(drawn.mean()) == pytest.approx(exact, rel=1e-5)
    exact, _ = _oracle(50.0, 1.0, 0.0, 1.0)
    assert exact == pytest.approx(1.0 - 1.0 / 49.02, abs=1e-3)
    assert float(quantiles("normal", (50.0, 1.0), 0.0, 1.0, GRID).mean()) == pytest.approx(
        exact, rel=1e-6
    )


@pytest.mark.parametrize("case", TAILS)
def test_tail_quantiles_and_means_match_the_closed_form(
    case: tuple[float, float, float, float],
) -> None:
    mean_error, cdf_error = _errors(quantiles, case)
    assert mean_error < 1e-5  # the midpoint rule's own error over GRID is about 2e-6
    assert cdf_error < 1e-10


def _difference_of_cdfs(
    name: str, parameters: tuple[float, ...], low: float, high: float, u: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The textbook inverse CDF ``Φ⁻¹(Φ(a) + u (Φ(b) - Φ(a)))`` (what the sampler did before)."""
    mean, sd = parameters
    f_lo, f_hi = (special.ndtr((x - mean) / sd) for x in (low, high))
    with np.errstate(all="ignore"):
        drawn = mean + sd * special.ndtri(f_lo + u * (f_hi - f_lo))
    return np.clip(drawn, low, high)


def test_the_difference_of_cdfs_fails_the_same_check() -> None:
    # the check above can fail: the cancelling formula gives 1.0 and 0.0 (the issue's report)
    assert min(_errors(_difference_of_cdfs, TAILS[0])) > 0.1
    assert min(_errors(_difference_of_cdfs, TAILS[1])) > 0.1


def test_a_range_around_the_mean_still_matches_scipy() -> None:
    from scipy import stats

    u = np.linspace(0.0, 1.0, 21)
    law = stats.truncnorm((0.0 - 0.3) / 0.4, (1.0 - 0.3) / 0.4, loc=0.3, scale=0.4)
    assert quantiles("normal", (0.3, 0.4), 0.0, 1.0, u) == pytest.approx(law.ppf(u), abs=1e-12)
    half = quantiles("normal", (0.0, 1.0), -math.inf, math.inf, np.array([0.025, 0.5, 0.975]))
    assert half == pytest.approx([-1.959964, 0.0, 1.959964], abs=1e-6)


def test_sampled_values_stay_in_the_range_and_are_ordered() -> None:
    j = Judgment("x", "values", 0.5, "normal", (-0.5, 0.05), 0.0, 1.0, "x", "test")
    drawn = values(j, GRID)
    assert drawn.min() >= 0.0 and drawn.max() <= 1.0
    assert (np.diff(drawn) >= 0).all()
    assert drawn.max() < 0.1  # the old sampler gave 1.0 everywhere


@pytest.mark.parametrize(
    ("name", "parameters", "low", "high", "words"),
    [
        ("uniform", (-1e308, 1e308), -math.inf, math.inf, "wider than the largest double"),
        ("triangular", (-1e308, 0.0, 1e308), -math.inf, math.inf, "wider than the largest"),
        ("beta", (1e308, 1e308), 0.0, 1.0, "not numbers (NaN)"),
        ("normal", (-0.5, 1e-300), 0.0, 1.0, "not finite"),
        ("normal", (1e308, 1e-300), 0.0, 1.0, "not a range in units of the sd"),
        ("uniform", (math.inf, math.inf), 0.0, 1.0, "not finite numbers"),
    ],
)
def test_degenerate_parameters_are_refused(
    name: str, parameters: tuple[float, ...], low: float, high: float, words: str
) -> None:
    reason = refusal(name, parameters, low, high)
    assert reason is not None and words in reason


@pytest.mark.parametrize(
    ("name", "parameters", "low", "high"),
    [
        ("normal", (-0.5, 0.05), 0.0, 1.0),
        ("normal", (50.0, 1.0), 0.0, 1.0),
        ("normal", (-0.5, 1e-5), 0.0, 1.0),
        ("beta", (1e15, 1e15), 0.0, 1.0),
        ("uniform", (-1e307, 1e307), -math.inf, math.inf),
        ("triangular", (0.1, 0.3, 0.9), 0.0, 1.0),
    ],
)
def test_far_but_representable_parameters_are_accepted(
    name: str, parameters: tuple[float, ...], low: float, high: float
) -> None:
    assert refusal(name, parameters, low, high) is None


def test_the_refusal_looks_at_the_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    # a sampler that puts mass outside the range is caught by the probes, not by a name check
    def outside(name: str, parameters: tuple[float, ...], low: float, high: float, u: object):
        return np.asarray(u) * 2.0

    monkeypatch.setattr(truncated, "quantiles", outside)
    reason = refusal("uniform", (0.0, 1.0), 0.0, 1.0)
    assert reason is not None and "outside the field's range" in reason

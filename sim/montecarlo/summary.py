"""Summaries of a scenario's draws: shares with 95% intervals, distributions, paired differences."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.core.problem import Problem
from sim.core.space import decode
from sim.montecarlo.document import Difference, Modal, Odds, SolutionOdds

Z95 = 1.959963984540054
"""The standard normal's 97.5% quantile."""


def wilson(successes: int, n: int) -> Odds:
    """The share ``successes / n`` and its 95% Wilson score interval.

    Examples
    --------
    >>> s = wilson(50, 100)
    >>> round(s.p, 2), round(s.low, 3), round(s.high, 3)
    (0.5, 0.404, 0.596)
    >>> wilson(0, 10).low
    0.0
    """
    if n <= 0:
        return Odds(math.nan, math.nan, math.nan)
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Odds(p, max(0.0, centre - half), min(1.0, centre + half))


def paired(child: NDArray[Any], parent: NDArray[Any]) -> Difference:
    """Mean of ``child - parent`` over draws, with a 95% interval.

    Examples
    --------
    >>> paired(np.array([1, 1, 0, 1]), np.array([0, 1, 0, 0])).difference
    0.5
    """
    diff = np.asarray(child, dtype=np.float64) - np.asarray(parent, dtype=np.float64)
    n = diff.shape[0]
    mean = float(diff.mean()) if n else math.nan
    half = Z95 * float(diff.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    return Difference(mean, mean - half, mean + half)


def quantiles(values: NDArray[np.int64]) -> dict[str, float]:
    """The 5%, 50% and 95% quantiles (the draw values at those ranks)."""
    qs = np.quantile(values, [0.05, 0.5, 0.95], method="inverted_cdf")
    return {"0.05": float(qs[0]), "0.5": float(qs[1]), "0.95": float(qs[2])}


def bundle_words(problem: Problem, index: int) -> dict[str, str]:
    """A bundle as ``{issue: option}``."""
    digits = decode(np.array([index], dtype=np.int64), problem.bundle_radices)[0]
    return {
        issue: problem.bundle_options[k][int(digits[k])]
        for k, issue in enumerate(problem.bundle_issues)
    }


def in_words(bundle: dict[str, str]) -> str:
    """``issue=option; ...``."""
    return "; ".join(f"{k}={v}" for k, v in bundle.items())


def solution_summary(problem: Problem, chosen: NDArray[np.int64]) -> SolutionOdds:
    """How often a solution exists, its modal bundle and per issue each option's share (among
    the draws where it exists)."""
    n = chosen.shape[0]
    present = chosen[chosen >= 0]
    exists = wilson(int(present.shape[0]), n)
    if present.shape[0] == 0:
        return SolutionOdds(exists, None, {})
    found, counts = np.unique(present, return_counts=True)
    best = int(np.argmax(counts))  # ties: the lowest bundle index (np.unique sorts)
    modal = int(found[best])
    digits = decode(present, problem.bundle_radices)
    options = {}
    for k, issue in enumerate(problem.bundle_issues):
        shares = np.bincount(digits[:, k], minlength=len(problem.bundle_options[k]))
        options[issue] = {
            option: float(shares[o] / present.shape[0])
            for o, option in enumerate(problem.bundle_options[k])
            if shares[o]
        }
    return SolutionOdds(
        exists, Modal(modal, bundle_words(problem, modal), float(counts[best] / n)), options
    )

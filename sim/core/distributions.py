"""The distributions of SPEC §6, truncated to a field's valid range: their inverse CDFs.

One implementation serves the Monte Carlo draws (:mod:`sim.montecarlo.draws`) and the type
grids of private information (:mod:`sim.experiments.talks`). scipy is imported only for the
normal and beta distributions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


def _triangular_ppf(q: NDArray[np.float64], a: float, c: float, b: float) -> NDArray[np.float64]:
    if b == a:
        return np.full_like(q, a)
    left = (c - a) / (b - a)
    low = a + np.sqrt(q * (b - a) * (c - a))
    high = b - np.sqrt((1.0 - q) * (b - a) * (b - c))
    return np.where(q < left, low, high)


def _triangular_cdf(x: float, a: float, c: float, b: float) -> float:
    if b == a:
        return 0.0 if x < a else 1.0
    if x <= a:
        return 0.0
    if x >= b:
        return 1.0
    if x <= c:
        return (x - a) ** 2 / ((b - a) * (c - a))
    return 1.0 - (b - x) ** 2 / ((b - a) * (b - c))


def inverse_cdf(
    name: str, parameters: Sequence[float], low: float, high: float, u: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Values at probabilities ``u`` of a distribution truncated to ``[low, high]`` (the
    distribution conditioned on the range, not clipped); ``uniform``, ``triangular``,
    ``normal`` or ``beta`` (``jitter`` and ``relative`` are uniforms around the stated value).

    Examples
    --------
    >>> inverse_cdf("uniform", (0.93, 1.03), 0.0, 1.0, np.array([0.0, 0.5, 1.0])).round(3).tolist()
    [0.93, 0.965, 1.0]
    """
    p, lo, hi = parameters, low, high
    if name in ("normal", "beta"):
        # scipy (nashpy's dependency) loads only when a normal or beta is drawn
        from scipy import special  # type: ignore[import-untyped]
    if name == "uniform":
        a, b = max(p[0], lo), min(p[1], hi)
        return a + u * (b - a)
    if name == "triangular":
        a, c, b = p
        f_lo, f_hi = _triangular_cdf(lo, a, c, b), _triangular_cdf(hi, a, c, b)
        return np.clip(_triangular_ppf(f_lo + u * (f_hi - f_lo), a, c, b), lo, hi)
    if name == "normal":
        mean, sd = p
        f_lo, f_hi = (float(special.ndtr((x - mean) / sd)) for x in (lo, hi))
        drawn = mean + sd * special.ndtri(f_lo + u * (f_hi - f_lo))
        return np.asarray(np.clip(drawn, lo, hi), dtype=np.float64)
    if name == "beta":
        scaled = special.betaincinv(p[0], p[1], u)
        return np.asarray(lo + (hi - lo) * scaled, dtype=np.float64)
    raise ValueError(f"unknown distribution {name!r}")

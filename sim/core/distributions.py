"""Inverse CDFs of the judgment distributions truncated to a field's valid range, computed so
that they stay right far in the tails, and the check that refuses parameters whose draws would
not be finite numbers inside the range. One implementation serves the Monte Carlo draws
(:mod:`sim.montecarlo.draws`) and the type grids of private information
(:mod:`sim.analysis.talks`); scipy (nashpy's dependency) is imported only for the normal and
beta distributions.

A truncated distribution is the distribution conditioned on ``[low, high]`` (not clipped to it):
its quantile at ``u`` is ``F⁻¹(F(low) + u (F(high) - F(low)))``. For the normal that difference
of CDFs loses every digit once both ends lie a few standard deviations in the same tail
(``normal:-0.5,0.05`` on ``[0, 1]``: ``F(low)`` and ``F(high)`` round to the same double), so it
is evaluated on the log scale, ``log Φ`` by :func:`scipy.special.log_ndtr` and its inverse by
:func:`scipy.special.ndtri_exp`, in the lower tail, with the upper tail reflected onto it
(``x -> -x``). The mixture ``(1 - u) Φ(a) + u Φ(b)`` is then ``log Φ(b) + log(u + (1 - u)
exp(log Φ(a) - log Φ(b)))``, which neither underflows nor cancels (Chopin 2011, "Fast simulation
of truncated Gaussian distributions", Statistics and Computing 21, §2).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

PROBES = np.array([2.0**-54, 1e-9, 0.025, 0.5, 0.975, 1.0 - 1e-9, 1.0 - 2.0**-53])
"""Uniforms at which :func:`refusal` evaluates a distribution: the smallest and largest
uniform a stream yields and the quantiles the tornado analysis moves a normal to (the other
distributions are evaluated at 0 and 1 too, where the tornado analysis moves them)."""


def _normal_ppf(u: NDArray[np.float64], a: float, b: float) -> NDArray[np.float64]:
    """Quantiles of the standard normal truncated to ``[a, b]`` (``a < b``, either infinite)."""
    from scipy import special  # type: ignore[import-untyped]

    if a > 0.0:  # both ends in the upper tail: reflect onto the lower tail
        return -_normal_ppf(1.0 - u, -b, -a)
    log_a, log_b = float(special.log_ndtr(a)), float(special.log_ndtr(b))
    with np.errstate(divide="ignore"):  # log(0) = -inf at u = 0 or u = 1 is wanted
        log_p = np.logaddexp(np.log1p(-u) + log_a, np.log(u) + log_b)
    return np.asarray(special.ndtri_exp(log_p), dtype=np.float64)


def _triangular_cdf(x: float, a: float, c: float, b: float) -> float:
    if x <= a:
        return 0.0
    if x >= b:
        return 1.0
    if x <= c:
        return (x - a) ** 2 / ((b - a) * (c - a))
    return 1.0 - (b - x) ** 2 / ((b - a) * (b - c))


def _triangular_ppf(q: NDArray[np.float64], a: float, c: float, b: float) -> NDArray[np.float64]:
    left = (c - a) / (b - a)
    low = a + np.sqrt(q * (b - a) * (c - a))
    high = b - np.sqrt((1.0 - q) * (b - a) * (b - c))
    return np.where(q < left, low, high)


def quantiles(
    name: str, parameters: tuple[float, ...], low: float, high: float, u: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The distribution's quantiles at ``u`` after truncation to ``[low, high]``, unclipped.

    ``uniform`` and ``triangular`` take absolute bounds (``[lo, hi]``, ``[lo, mode, hi]``),
    ``normal`` a mean and a standard deviation, ``beta`` two shapes of a beta scaled to
    ``[low, high]`` (which must then be finite).

    Examples
    --------
    >>> quantiles("uniform", (0.93, 1.03), 0.0, 1.0, np.array([0.0, 0.5, 1.0])).round(3).tolist()
    [0.93, 0.965, 1.0]
    >>> quantiles("normal", (-0.5, 0.05), 0.0, 1.0, np.array([0.5])).round(5).tolist()
    [0.00342]
    """
    p = parameters
    if name == "uniform":
        a, b = max(p[0], low), min(p[1], high)
        return a + u * (b - a)
    if name == "triangular":
        a, c, b = p
        if b == a:
            return np.full_like(u, a)
        f_lo, f_hi = _triangular_cdf(low, a, c, b), _triangular_cdf(high, a, c, b)
        return _triangular_ppf(f_lo + u * (f_hi - f_lo), a, c, b)
    if name == "normal":
        mean, sd = p
        standard = _normal_ppf(u, (low - mean) / sd, (high - mean) / sd)
        return np.asarray(mean + sd * standard, dtype=np.float64)
    if name == "beta":
        from scipy import special

        scaled = special.betaincinv(p[0], p[1], u)
        return np.asarray(low + (high - low) * scaled, dtype=np.float64)
    raise ValueError(f"unknown distribution {name!r}")


def refusal(name: str, parameters: tuple[float, ...], low: float, high: float) -> str | None:
    """Why a distribution truncated to ``[low, high]`` cannot be drawn from, or None.

    Refused: bounds or a spread that are not finite numbers (``uniform:-1e308,1e308`` on an
    unbounded field spans 2e308), a normal with no representable mass in the range, and any
    distribution whose quantiles at :data:`PROBES` are not finite, not inside the range or
    decreasing (``beta:1e308,1e308`` gives NaN).

    Examples
    --------
    >>> refusal("normal", (50.0, 1.0), 0.0, 1.0) is None
    True
    >>> refusal("beta", (1e308, 1e308), 0.0, 1.0)
    'beta [1e+308, 1e+308] gives draws that are not numbers (NaN)'
    """
    shown = f"{name} [{', '.join(f'{x:g}' for x in parameters)}]"
    if not all(math.isfinite(x) for x in parameters):
        return f"{shown}: the bounds are not finite numbers"
    if name in ("uniform", "triangular"):
        a, b = max(parameters[0], low), min(parameters[-1], high)
        if not math.isfinite(b - a):
            return f"{shown}: the spread from {a:g} to {b:g} is wider than the largest double"
    if name == "normal":
        mean, sd = parameters
        a, b = (low - mean) / sd, (high - mean) / sd
        if not a < b:
            return f"{shown}: the range [{low:g}, {high:g}] is not a range in units of the sd"
    with np.errstate(all="ignore"):
        probes = PROBES if name == "normal" else np.concatenate([[0.0], PROBES, [1.0]])
        drawn = quantiles(name, parameters, low, high, probes)
    if np.isnan(drawn).any():
        return f"{shown} gives draws that are not numbers (NaN)"
    if not np.isfinite(drawn).all():
        return f"{shown} gives draws that are not finite (the range lies too far in a tail)"
    slack = 1e-9 * max([1.0, *(abs(x) for x in (low, high) if math.isfinite(x))])
    if drawn.min() < low - slack or drawn.max() > high + slack:
        return (
            f"{shown} gives draws outside the field's range [{low:g}, {high:g}] "
            "(the range holds no representable mass of the distribution)"
        )
    if (np.diff(drawn) < -slack).any():
        return f"{shown} gives quantiles that decrease (the parameters are beyond double precision)"
    return None

"""Common random numbers: one uniform per (seed, stream, draw index), mapped through the inverse
CDF of each judgment's truncated distribution.

Each stream is a Philox counter-based generator keyed by a SHA-256 hash of the seed and the
stream's name (the judgment's dotted path, or ``group:NAME``). Draw ``n`` of a stream is its
``n``-th 64-bit output, whatever block it is computed in; so a judgment shared by two scenario
variants takes the same value in both (paired differences), and the results do not depend on
block size, executor or worker count.
"""

from __future__ import annotations

import hashlib

import numpy as np
from numpy.typing import NDArray

from sim.core.distributions import quantiles
from sim.montecarlo.judgments import Judgment


def stream_key(seed: int, stream: str) -> int:
    """The 128-bit Philox key of a stream.

    Examples
    --------
    >>> stream_key(1, "levers.aid.value") == stream_key(1, "levers.aid.value")
    True
    >>> stream_key(1, "a") != stream_key(2, "a")
    True
    """
    digest = hashlib.sha256(f"{seed}\x00{stream}".encode()).digest()
    return int.from_bytes(digest[:16], "little")


def uniforms(seed: int, stream: str, start: int, stop: int) -> NDArray[np.float64]:
    """Draws ``start`` to ``stop - 1`` of a stream, uniform on the open interval (0, 1).

    Examples
    --------
    >>> whole = uniforms(7, "x", 0, 10)
    >>> bool((uniforms(7, "x", 3, 8) == whole[3:8]).all())
    True
    """
    generator = np.random.Philox(key=stream_key(seed, stream))
    generator.advance(start // 4)  # Philox yields four 64-bit words per counter step
    skip = start % 4
    raw = generator.random_raw(stop - start + skip)[skip:]
    return ((raw >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def support(judgment: Judgment) -> tuple[float, float]:
    """The ends of a judgment's spread after truncation (for a normal, its 2.5% and 97.5%
    quantiles): where the one-at-a-time (tornado) analysis moves it."""
    ends = values(judgment, np.array([0.025, 0.975])) if judgment.distribution == "normal" else None
    if ends is not None:
        return float(ends[0]), float(ends[1])
    ends = values(judgment, np.array([0.0, 1.0]))
    return float(ends[0]), float(ends[1])


def values(judgment: Judgment, u: NDArray[np.float64]) -> NDArray[np.float64]:
    """The judgment's values at uniforms ``u``: the inverse CDF of its distribution truncated to
    the field's valid range (the distribution conditioned on the range, not clipped).

    Examples
    --------
    >>> j = Judgment("x", "values", 0.98, "uniform", (0.93, 1.03), 0.0, 1.0, "x", "")
    >>> values(j, np.array([0.0, 0.5, 1.0])).round(3).tolist()
    [0.93, 0.965, 1.0]
    """
    drawn = quantiles(judgment.distribution, judgment.parameters, judgment.low, judgment.high, u)
    return np.asarray(np.clip(drawn, judgment.low, judgment.high), dtype=np.float64)


def draw_block(
    judgments: tuple[Judgment, ...], seed: int, start: int, stop: int
) -> NDArray[np.float64]:
    """``(stop - start, len(judgments))`` drawn values of draws ``start`` to ``stop - 1``."""
    block = np.empty((stop - start, len(judgments)))
    cache: dict[str, NDArray[np.float64]] = {}
    for j, judgment in enumerate(judgments):
        if judgment.stream not in cache:
            cache[judgment.stream] = uniforms(seed, judgment.stream, start, stop)
        block[:, j] = values(judgment, cache[judgment.stream])
    return block

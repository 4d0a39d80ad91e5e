"""Resource limits of runs and sweeps, checked before anything large is allocated.

Each limit has a documented default and a way to raise it (see docs/reliability.md):

* ``max_points``: points of one sweep, whether a grid (the product of its axes, computed
  before any point is built) or a sample (its ``n``). Raise with ``--max-points`` or
  ``sim.sweep(..., max_points=...)``; ``sim validate`` uses the environment variable
  ``SIM_MAX_POINTS`` when set.
* ``worker_retries``: how many times a batch whose worker process died is sent again
  before the sweep stops.
* ``worker_wait``: seconds a Dask sweep waits with no worker connected before it stops.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sim.errors import InputError

MAX_POINTS = 100_000
"""Default largest number of points in one sweep (a grid's product or a sample's size)."""

WORKER_RETRIES = 2
"""Default number of times a batch is sent again after its worker died."""

WORKER_WAIT = 60.0
"""Default seconds a Dask sweep tolerates having no worker before it stops."""

MAX_POINTS_VARIABLE = "SIM_MAX_POINTS"


@dataclass(frozen=True)
class Limits:
    """The limits one sweep runs under."""

    max_points: int = MAX_POINTS
    worker_retries: int = WORKER_RETRIES
    worker_wait: float = WORKER_WAIT

    def check_points(self, count: int, what: str) -> None:
        """Refuse ``count`` points (an exact integer, never built) beyond ``max_points``.

        Raises
        ------
        InputError
            ``count`` is larger than the limit; the message says how to raise it.
        """
        if count > self.max_points:
            where = f"{what}: " if what else ""  # no prefix where the caller names the field
            raise InputError(
                f"{where}{count:,} points, more than the limit of {self.max_points:,} "
                f"(raise it with --max-points N)"
            )


def default_limits() -> Limits:
    """The default limits, with ``max_points`` from ``$SIM_MAX_POINTS`` when it is set.

    Raises
    ------
    InputError
        ``$SIM_MAX_POINTS`` is not a positive integer.
    """
    text = os.environ.get(MAX_POINTS_VARIABLE)
    if text is None:
        return Limits()
    if not text.strip().isdigit() or int(text) < 1:
        raise InputError(f"${MAX_POINTS_VARIABLE}: {text!r} is not a positive integer")
    return Limits(max_points=int(text))


def limits_with(max_points: int | None) -> Limits:
    """The default limits, with ``max_points`` replaced when given.

    Raises
    ------
    InputError
        ``max_points`` is below 1.
    """
    limits = default_limits()
    if max_points is None:
        return limits
    if max_points < 1:
        raise InputError(f"--max-points: must be at least 1, got {max_points}")
    return Limits(max_points, limits.worker_retries, limits.worker_wait)

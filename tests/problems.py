"""Building small compiled problems directly from value tables, for the engine's tests."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.problem import Problem


def problem_from_tables(
    tables: list[NDArray[np.float64]],
    reservation: list[float],
    *,
    veto: list[bool] | None = None,
    red_lines: list[NDArray[np.bool_]] | None = None,
) -> Problem:
    """A problem with issues ``i0, i1, ...``, options ``o0, ...`` and parties ``p0, ...``;
    every party has a veto unless ``veto`` says otherwise, and no red lines unless given."""
    n = tables[0].shape[0]
    return Problem(
        name="t",
        issues=tuple(f"i{k}" for k in range(len(tables))),
        options=tuple(tuple(f"o{j}" for j in range(t.shape[1])) for t in tables),
        parties=tuple(f"p{i}" for i in range(n)),
        veto=np.array(veto if veto is not None else [True] * n),
        power=np.ones(n),
        reservation=np.array(reservation, dtype=np.float64),
        tables=tuple(np.asarray(t, dtype=np.float64) for t in tables),
        red_lines=tuple(
            red_lines if red_lines is not None else [np.zeros(t.shape, bool) for t in tables]
        ),
    )

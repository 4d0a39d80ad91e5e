"""Variance-based sensitivity: first-order and total Sobol indices of the judgments (or of
groups of them) on continuous measures, with bootstrap confidence intervals.

Sobol indices need their own design: Saltelli's scheme (Saltelli 2002; Saltelli et al. 2010)
evaluates the model at ``N (k + 2)`` points built from two scrambled Sobol sequences ``A`` and
``B`` and, for each input, ``A`` with that input's column taken from ``B``. SALib
(``sim[sensitivity]``) draws the design on the unit cube and estimates the indices (Jansen's
total-effect estimator, Saltelli 2010's first order) with bootstrap intervals; here each unit
coordinate becomes a judgment's value through the inverse CDF of its truncated distribution,
as in the Monte Carlo, so the indices are those of the declared spreads.

``S1`` is the share of the measure's variance due to the input alone; ``ST`` includes every
interaction it takes part in. An input the measure does not depend on has both exactly 0 in
this design (``f(A_B) = f(A)`` row by row), which the ``(dummy)`` input shows; the intervals are
the noise level. Checked in the tests on the Ishigami function and a linear model, whose
indices are known in closed form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

DUMMY = "(dummy)"
"""An input no measure depends on: its indices show what an inert input scores."""

MAX_EVALUATIONS = 2_000_000
"""Most model evaluations of one Sobol design (``N (k + 2)``)."""


def sobol_indices(
    evaluate: Callable[[NDArray[np.float64]], dict[str, NDArray[np.float64]]],
    inputs: list[str],
    n: int,
    seed: int,
    groups: list[str] | None = None,
) -> dict[str, Any] | None:
    """First-order and total Sobol indices of every measure ``evaluate`` returns.

    Parameters
    ----------
    evaluate
        Maps ``(rows, len(inputs))`` points of the unit cube to measures, ``(rows,)`` each.
    inputs
        The inputs' names.
    n
        Base sample size ``N`` (a power of 2; the design has ``N (g + 2)`` points, ``g`` the
        number of groups or inputs, plus the dummy).
    groups
        A group name per input: indices are then per group (inputs of one group move
        together in the design).

    Returns
    -------
    ``{"n", "evaluations", "measures": {measure: [{"name", "S1", "S1_ci", "ST", "ST_ci"}, ...]
    | "constant over the design"}}``, largest ``ST`` first; None without SALib.
    """
    try:
        from SALib.analyze import sobol as analyze  # type: ignore[import-untyped]
        from SALib.sample import sobol as sample  # type: ignore[import-untyped]
    except ImportError:
        return None
    names = [*inputs, DUMMY]
    problem: dict[str, Any] = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[0.0, 1.0]] * len(names),
    }
    labels = list(dict.fromkeys([*(groups or inputs), DUMMY]))
    if groups is not None:
        problem["groups"] = [*groups, DUMMY]
    x = sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    x = np.clip(x, 2.0**-54, 1.0 - 2.0**-53)  # the open interval, as the Monte Carlo's draws
    outputs = evaluate(x[:, :-1])
    measures: dict[str, Any] = {}
    for measure, y in outputs.items():
        y = np.asarray(y, dtype=np.float64)
        if y.min() == y.max():
            measures[measure] = "constant over the design"
            continue
        found = analyze.analyze(
            problem,
            y,
            calc_second_order=False,
            conf_level=0.95,
            seed=seed,
            print_to_console=False,
        )
        rows: list[dict[str, Any]] = []
        for i, label in enumerate(labels):
            s1, s1_half = float(found["S1"][i]), float(found["S1_conf"][i])
            st, st_half = float(found["ST"][i]), float(found["ST_conf"][i])
            rows.append(
                {
                    "name": label,
                    "S1": s1,
                    "S1_ci": [s1 - s1_half, s1 + s1_half],
                    "ST": st,
                    "ST_ci": [st - st_half, st + st_half],
                }
            )
        rows.sort(key=lambda r: (-r["ST"], r["name"]))
        measures[measure] = rows
    return {"n": n, "evaluations": int(x.shape[0]), "measures": measures}

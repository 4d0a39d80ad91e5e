"""A spatial forecast under uncertainty: positions, saliences and capabilities drawn as the
scenario's ``uncertainty:`` section (or ``--vary``) declares, the model run on every draw.

The judgments and their draws are the Monte Carlo's own (:mod:`sim.montecarlo.judgments`,
:mod:`sim.montecarlo.draws`: the same paths, distributions, truncation and seeded streams);
a spatial position's range is its dimension's scale.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.errors import InputError
from sim.model.resolve import LoadedScenario
from sim.model.schema import Distribution
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import Judgment, parse_vary, resolve_judgments
from sim.spatial.bdm import run_bdm
from sim.spatial.forecast import bdm_span, forecast
from sim.spatial.median import weighted_mean, weighted_median
from sim.spatial.problem import SpatialProblem, spatial_problem

MAX_DRAW_WORK = 2_000_000_000
"""Most ``draws x actors^2 x dimensions x rounds`` a spatial uncertainty run may take."""

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class SpatialDraws:
    """The forecast of every draw: ``forecasts`` is ``(draws, d)``; ``judgments`` the paths
    that vary; ``stated`` the forecast with the values the scenario states."""

    scenario: str
    model: str
    dimensions: tuple[str, ...]
    seed: int
    judgments: tuple[str, ...]
    values: NDArray[np.float64]
    forecasts: NDArray[np.float64]
    stated: tuple[float, ...]

    def summary(self) -> dict[str, Any]:
        """Per dimension: the stated forecast, the mean and the quantiles over the draws."""
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "model": self.model,
            "draws": int(self.forecasts.shape[0]),
            "seed": self.seed,
            "judgments": list(self.judgments),
            "dimensions": {},
        }
        for k, dim in enumerate(self.dimensions):
            column = self.forecasts[:, k]
            out["dimensions"][dim] = {
                "stated": self.stated[k],
                "mean": float(np.mean(column)),
                "sd": float(np.std(column)),
                "quantiles": {f"{q:g}": float(np.quantile(column, q)) for q in QUANTILES},
            }
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One row per draw: the drawn judgments and the forecast per dimension."""
        return [
            {
                "draw": i,
                **{p: float(v) for p, v in zip(self.judgments, self.values[i], strict=True)},
                **{
                    f"forecast_{d}": float(f)
                    for d, f in zip(self.dimensions, self.forecasts[i], strict=True)
                },
            }
            for i in range(self.forecasts.shape[0])
        ]


def _slots(problem: SpatialProblem, judgments: tuple[Judgment, ...]) -> list[tuple[str, Any]]:
    """Where each judgment goes: ``(array name, index)``."""
    actor = {a: i for i, a in enumerate(problem.actors)}
    dim = {d: k for k, d in enumerate(problem.dimensions)}
    out: list[tuple[str, Any]] = []
    for j in judgments:
        parts = j.path.split(".")
        i = actor[parts[2]]
        if parts[3] == "capability":
            out.append(("capability", i))
        else:
            out.append((parts[3], (i, dim[parts[4]])))
    return out


def drawn_problems(
    problem: SpatialProblem, judgments: tuple[Judgment, ...], values: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Positions ``(N, n, d)``, saliences ``(N, n, d)`` and capabilities ``(N, n)`` of
    ``N`` draws (``values`` is ``(N, len(judgments))``)."""
    count = values.shape[0]
    arrays = {
        "positions": np.broadcast_to(problem.positions, (count, *problem.positions.shape)).copy(),
        "salience": np.broadcast_to(problem.salience, (count, *problem.salience.shape)).copy(),
        "capability": np.broadcast_to(problem.capability, (count, len(problem.actors))).copy(),
    }
    for column, (name, index) in enumerate(_slots(problem, judgments)):
        target = arrays[name]
        if name == "capability":
            target[:, index] = values[:, column]
        else:
            target[:, index[0], index[1]] = values[:, column]
    return arrays["positions"], arrays["salience"], arrays["capability"]


def spatial_draws(
    loaded: LoadedScenario,
    model: str,
    options: Any,
    draws: int,
    seed: int,
    vary: list[str] | None = None,
    extra: dict[str, Distribution] | None = None,
) -> SpatialDraws:
    """Run ``model`` on ``draws`` draws of the scenario's spatial judgments.

    The compromise, the median and BDM are computed for all draws at once (BDM plays each
    draw's dimensions as dimensions of one run, which equals running the draws one at a time:
    each dimension stops on its own); SMP runs draw by draw.

    Raises
    ------
    InputError, ScenarioError
        A bad ``--vary``, no capability in a draw, or more work than :data:`MAX_DRAW_WORK`.
        Judgments outside the spatial section are left out (they do not move the forecast).
    """
    if draws < 1:
        raise InputError(f"--draws: {draws} (give at least 1)")
    problem = spatial_problem(loaded.scenario)
    every = resolve_judgments(
        loaded, extra if extra is not None else parse_vary(vary) if vary else None
    )
    judgments = tuple(j for j in every if j.path.startswith("spatial."))  # the others: no effect
    n, d = problem.positions.shape
    rounds = max(1, int(getattr(options, "rounds", 1)))
    work = draws * n * n * d * rounds
    if work > MAX_DRAW_WORK:
        raise InputError(
            f"--draws: {draws} draws of {n} actors on {d} dimensions over {rounds} rounds "
            f"({work:,} pair-rounds); the limit is {MAX_DRAW_WORK:,}"
        )
    values = draw_block(judgments, seed, 0, draws)
    positions, salience, capability = drawn_problems(problem, judgments, values)
    if model in ("compromise", "median"):
        w = capability[:, None, :] * np.swapaxes(salience, -1, -2)  # (N, d, n)
        if np.any(np.sum(w, axis=-1) <= 0.0):
            raise InputError("spatial: a draw leaves no actor with capability and salience")
        rule = weighted_mean if model == "compromise" else weighted_median
        forecasts = rule(np.swapaxes(positions, -1, -2), w)
    elif model == "bdm":
        x = np.swapaxes(positions, -1, -2).reshape(draws * d, n)
        s = np.swapaxes(salience, -1, -2).reshape(draws * d, n)
        c = np.repeat(capability, d, axis=0)  # (N * d, n): each draw's capability per dimension
        lo, hi = np.tile(problem.lo, draws), np.tile(problem.hi, draws)
        trace = run_bdm(x, s, c, bdm_span(x, lo, hi, options), options)
        forecasts = trace.group[-1].reshape(draws, d)
    else:
        forecasts = np.empty((draws, d))
        for i in range(draws):
            one = dataclasses.replace(
                problem, positions=positions[i], salience=salience[i], capability=capability[i]
            )
            forecasts[i] = forecast(one, loaded.scenario.name, model, options).forecast
    stated = forecast(problem, loaded.scenario.name, model, options).forecast
    return SpatialDraws(
        loaded.scenario.name,
        model,
        problem.dimensions,
        seed,
        tuple(j.path for j in judgments),
        values,
        np.asarray(forecasts, dtype=np.float64),
        stated,
    )

"""Run a spatial model on a compiled problem into a :class:`SpatialResult` (``sim spatial``).

The models are declared once, in :data:`MODELS`; each has an options dataclass whose fields
are the settings ``--option NAME=VALUE`` may change (docs/spatial.md).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import InputError
from sim.model.schema import Scenario
from sim.spatial.bdm import OFFER_KINDS, BdmOptions, run_bdm
from sim.spatial.median import weighted_mean, weighted_median
from sim.spatial.problem import SpatialProblem
from sim.spatial.result import Challenge, SpatialResult
from sim.spatial.smp import MAX_SMP_ACTORS, SmpOptions, run_smp

MAX_RECORDED = 5_000_000
"""Most pairs (actors^2 x dimensions x rounds) a dynamic model may record challenges for."""


@dataclass(frozen=True)
class StaticOptions:
    """The static models have no settings beyond their rule."""


@dataclass(frozen=True)
class SpatialModel:
    """A model ``sim spatial --model KEY`` runs: its options type and its runner."""

    key: str
    label: str
    options: type[Any]
    run: Callable[[SpatialProblem, Any], tuple[Any, ...]]


def _weights(problem: SpatialProblem) -> np.ndarray:
    return problem.capability[None, :] * problem.salience.T  # (d, n)


def _static(rule: Callable[[Any, Any], Any]) -> Callable[[SpatialProblem, Any], tuple[Any, ...]]:
    def run(problem: SpatialProblem, options: Any) -> tuple[Any, ...]:
        w = _weights(problem)
        if np.any(np.sum(w, axis=-1) <= 0.0):
            dims = [
                d for d, t in zip(problem.dimensions, np.sum(w, axis=-1), strict=True) if t <= 0.0
            ]
            raise InputError(
                f"spatial: no actor has both capability and salience on {', '.join(dims)}"
            )
        group = rule(problem.positions.T, w)
        return (problem.positions[None], group[None], group, (), True)

    return run


def bdm_span(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, options: BdmOptions) -> np.ndarray:
    """The range normalising BDM's distances per dimension (option ``scale_range``)."""
    span: np.ndarray = hi - lo
    if options.scale_range == "positions":
        spread = np.ptp(x, axis=-1)
        span = np.where(spread > 0, spread, span)
    return span


def _bdm(problem: SpatialProblem, options: BdmOptions) -> tuple[Any, ...]:
    x = problem.positions.T
    span = bdm_span(x, problem.lo, problem.hi, options)
    trace = run_bdm(x, problem.salience.T, problem.capability, span, options)
    challenges = []
    for r, detail in enumerate(trace.rounds, start=1):
        for k, i, j in zip(*np.nonzero(detail.offers), strict=True):
            challenges.append(
                Challenge(
                    round=r,
                    dimensions=(problem.dimensions[k],),
                    challenger=problem.actors[i],
                    target=problem.actors[j],
                    kind=OFFER_KINDS[detail.offers[k, i, j]],
                    proposed=(float(detail.proposed[k, i, j]),),
                    accepted=bool(detail.accepted[k, j] == i),
                    probability=float(detail.probability[k, i, j]),
                )
            )
    positions = np.swapaxes(trace.positions, -1, -2)
    return (positions, trace.group, trace.group[-1], tuple(challenges), trace.converged)


def _smp(problem: SpatialProblem, options: SmpOptions) -> tuple[Any, ...]:
    if len(problem.actors) > MAX_SMP_ACTORS:
        raise InputError(
            f"spatial: SMP takes at most {MAX_SMP_ACTORS} actors, got {len(problem.actors)}"
        )
    trace = run_smp(problem.unit_positions, problem.salience, problem.capability, options)
    challenges = []
    for r, detail in enumerate(trace.rounds, start=1):
        for i in np.flatnonzero(detail.target >= 0):
            j = int(detail.target[i])
            challenges.append(
                Challenge(
                    round=r,
                    dimensions=problem.dimensions,
                    challenger=problem.actors[i],
                    target=problem.actors[j],
                    kind="bargain",
                    proposed=tuple(float(v) for v in problem.from_unit(detail.bargain[i])),
                    accepted=bool(detail.chosen[j] == i),
                    probability=float(detail.victory[i, j]),
                )
            )
    positions = problem.from_unit(trace.positions)
    group = problem.from_unit(trace.forecast)
    return (positions, group, group[-1], tuple(challenges), trace.converged)


MODELS: dict[str, SpatialModel] = {
    m.key: m
    for m in (
        SpatialModel(
            "compromise", "compromise (weighted mean)", StaticOptions, _static(weighted_mean)
        ),
        SpatialModel("median", "weighted median", StaticOptions, _static(weighted_median)),
        SpatialModel("bdm", "Bueno de Mesquita (Scholz et al. 2011)", BdmOptions, _bdm),
        SpatialModel("smp", "KTAB spatial model (SMP)", SmpOptions, _smp),
    )
}
"""Every spatial model, by the key ``--model`` takes."""


def model_options(
    model: str, settings: Mapping[str, str | float | int], rounds: int | None = None
) -> Any:
    """The model's options with ``settings`` (name -> text or number) and ``rounds`` applied.

    Raises
    ------
    InputError
        An unknown model or setting, or a value of the wrong kind.
    """
    if model not in MODELS:
        raise InputError(f"--model: unknown model {model!r} (known: {', '.join(MODELS)})")
    kind = MODELS[model].options
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind)]
    changes: dict[str, Any] = {}
    for name, text in settings.items():
        if name not in names:
            known = ", ".join(names) or "none"
            raise InputError(f"--option: {model} has no setting {name!r} (known: {known})")
        changes[name] = _parse(name, str(text), hints[name])
    if rounds is not None:
        if "rounds" not in names:
            raise InputError(f"--rounds: the {model} model has no rounds")
        changes["rounds"] = rounds
    return kind(**changes)


def _parse(name: str, text: str, hint: Any) -> Any:
    if hint is int and text.endswith(".0"):
        text = text[:-2]  # a whole number written as a YAML float
    choices = typing.get_args(hint) if typing.get_origin(hint) is typing.Literal else None
    if choices:
        if text not in choices:
            raise InputError(f"--option {name}: {text!r} is not one of {', '.join(choices)}")
        return text
    try:
        value = hint(text)
    except ValueError:
        raise InputError(f"--option {name}: {text!r} is not a {hint.__name__}") from None
    if (hint is int and value < 0) or (hint is float and not (0.0 <= value <= 1.0)):
        raise InputError(f"--option {name}: {text!r} is out of range")
    return value


def forecast(
    problem: SpatialProblem, scenario: str, model: str = "bdm", options: Any = None
) -> SpatialResult:
    """Run ``model`` on ``problem``.

    Raises
    ------
    InputError
        An unknown model, or a problem too large to record.
    """
    if model not in MODELS:
        raise InputError(f"--model: unknown model {model!r} (known: {', '.join(MODELS)})")
    spec = MODELS[model]
    options = spec.options() if options is None else options
    rounds = getattr(options, "rounds", 0)
    n, d = problem.positions.shape
    if n * n * d * rounds > MAX_RECORDED:
        raise InputError(
            f"spatial: {n} actors on {d} dimensions over {rounds} rounds would record "
            f"{n * n * d * rounds:,} pairs; the limit is {MAX_RECORDED:,} (fewer --rounds)"
        )
    positions, group, final, challenges, converged = spec.run(problem, options)
    return SpatialResult(
        scenario=scenario,
        model=model,
        actors=problem.actors,
        dimensions=problem.dimensions,
        scales=tuple((float(a), float(b)) for a, b in zip(problem.lo, problem.hi, strict=True)),
        options=tuple(dataclasses.asdict(options).items()),
        positions=tuple(tuple(tuple(float(v) for v in row) for row in rnd) for rnd in positions),
        group=tuple(tuple(float(v) for v in row) for row in group),
        forecast=tuple(float(v) for v in final),
        challenges=challenges,
        converged=bool(converged),
    )


def scenario_options(
    scenario: Scenario,
    model: str | None = None,
    settings: Mapping[str, str] | None = None,
    rounds: int | None = None,
) -> tuple[str, Any]:
    """The model and options a scenario's spatial section asks for (``spatial.model`` and
    ``spatial.options``), with a model, settings and rounds given on the command line on top
    (a model other than the scenario's takes none of the scenario's options).

    Raises
    ------
    InputError
        No spatial section, or a setting the model does not have (or a bad value).
    """
    spatial = scenario.spatial
    if spatial is None:
        raise InputError(f"scenario {scenario.name!r}: spatial: none; add a `spatial:` section")
    chosen = spatial.model if model is None else model
    merged: dict[str, str | float | int] = dict(spatial.options) if chosen == spatial.model else {}
    merged.update(settings or {})
    try:
        return chosen, model_options(chosen, merged, rounds)
    except InputError as error:
        if any(k in spatial.options for k in merged) and not settings:
            raise InputError(f"scenario {scenario.name!r}: spatial.options: {error}") from None
        raise

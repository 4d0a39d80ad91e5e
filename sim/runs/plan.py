"""Sweep plans: which dotted paths vary, over a grid or a seeded sample, and the points."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.errors import Diagnostic, InputError, ScenarioError, display_path
from sim.model.yamlio import read_yaml
from sim.runs.limits import Limits

Scalar = float | int | bool | str


class RangeSpec(BaseModel):
    """``n`` evenly spaced values from ``lo`` to ``hi`` inclusive."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    range: Annotated[list[float], Field(min_length=3, max_length=3)]


class SampleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    method: Literal["random", "lhs"] = "lhs"
    n: Annotated[int, Field(ge=1)]
    ranges: dict[str, Annotated[list[float], Field(min_length=2, max_length=2)]]


class SweepFile(BaseModel):
    """A sweep file: a base scenario and the dotted paths it varies (see docs/sweeps.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    name: Annotated[str, Field(pattern=r"^[a-z0-9_-]+$")]
    title: str | None = None
    description: str | None = None
    base: str
    seed: Annotated[int, Field(ge=0)] = 0
    grid: dict[str, list[Scalar] | RangeSpec] = {}
    sample: SampleSpec | None = None


@dataclass(frozen=True)
class Plan:
    """What a sweep runs: the base scenario, the varied paths and every point, in order."""

    name: str
    base: str
    paths: tuple[str, ...]
    points: tuple[tuple[Scalar, ...], ...]
    seed: int
    source: str | None = None
    only: tuple[str, ...] | None = None
    """The analyses each point computes (``--only``); None: the base scenario's choice."""

    def overrides(self, index: int) -> dict[str, Scalar]:
        return dict(zip(self.paths, self.points[index], strict=True))

    def describe(self) -> dict[str, Any]:
        """The plan as recorded in a run manifest, enough to tell two sweeps apart."""
        return {
            "name": self.name,
            "base": self.base,
            "paths": list(self.paths),
            "points": [list(p) for p in self.points],
            "seed": self.seed,
            **({} if self.only is None else {"only": list(self.only)}),
        }


def linspace(lo: float, hi: float, n: int) -> list[float]:
    """``n`` evenly spaced values, rounded to 12 significant digits so they print cleanly.

    Examples
    --------
    >>> linspace(0.0, 1.0, 5)
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if n < 1:
        raise InputError(f"range {lo}:{hi}:{n}: n must be at least 1")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise InputError(f"range {lo}:{hi}:{n}: the bounds must be finite numbers")
    values = np.linspace(lo, hi, n) if n > 1 else np.array([lo])
    return [float(f"{v:.12g}") for v in values]


def grid_plan(
    name: str,
    base: str,
    grid: dict[str, list[Scalar]],
    seed: int = 0,
    limits: Limits | None = None,
) -> Plan:
    """The Cartesian product of the grid's values, the first path varying slowest; its size
    is checked against ``limits`` before any point is built."""
    if not grid:
        raise InputError("the sweep varies nothing: give a grid or a sample")
    for path, values in grid.items():
        if not values:
            raise InputError(f"grid {path}: no values")
    check_size(math.prod(len(v) for v in grid.values()), "grid", limits)
    points = tuple(itertools.product(*grid.values()))
    return Plan(name, base, tuple(grid), points, seed)


def check_size(count: int, what: str, limits: Limits | None) -> None:
    """Refuse a plan of more points than the limit, before it is built."""
    (limits or Limits()).check_points(count, what)


def check_seed(seed: int, what: str = "--seed") -> None:
    if seed < 0:
        raise InputError(f"{what}: must be a non-negative integer, got {seed}")


def sample_plan(
    name: str,
    base: str,
    ranges: dict[str, tuple[float, float]],
    n: int,
    method: str,
    seed: int,
    limits: Limits | None = None,
) -> Plan:
    """``n`` points drawn uniformly (``random``) or by Latin hypercube (``lhs``; McKay,
    Beckman & Conover 1979) over the ranges, reproducibly from ``seed``; ``n`` is checked
    against ``limits`` before anything is drawn."""
    if n < 1:
        raise InputError(f"sample: n must be at least 1, got {n}")
    if not ranges:
        raise InputError("sample: no ranges to sample")
    check_size(n, "sample", limits)
    check_seed(seed, "seed")
    if method not in ("lhs", "random"):
        raise InputError(f"sample: unknown method {method!r} (known: lhs, random)")
    for path, (low, high) in ranges.items():
        if not (math.isfinite(low) and math.isfinite(high)):
            raise InputError(f"sample {path}: the bounds {low}:{high} must be finite numbers")
    rng = np.random.default_rng(seed)
    d = len(ranges)
    if method == "lhs":
        strata = np.stack([rng.permutation(n) for _ in range(d)], axis=1)
        unit = (strata + rng.random((n, d))) / n
    elif method == "random":
        unit = rng.random((n, d))
    else:
        raise InputError(f"sample: unknown method {method!r} (known: lhs, random)")
    lo = np.array([r[0] for r in ranges.values()])
    hi = np.array([r[1] for r in ranges.values()])
    values = lo + unit * (hi - lo)
    points = tuple(tuple(float(f"{v:.12g}") for v in row) for row in values)
    return Plan(name, base, tuple(ranges), points, seed)


def read_sweep_file(path: Path, limits: Limits | None = None) -> Plan:
    """Read a sweep file into a plan; problems raise ScenarioError naming file and field.

    Its size (a grid's product or a sample's ``n``) is checked against ``limits`` before
    any point is built, so a huge sweep file is refused at once."""
    data, lines = read_yaml(path)
    name = display_path(path)
    try:
        spec = SweepFile.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(p for p in item["loc"] if not str(p).startswith(("list[", "RangeSpec")))
            line = next((lines[loc[:e]] for e in range(len(loc), 0, -1) if loc[:e] in lines), None)
            problems.append(Diagnostic(name, line, ".".join(map(str, loc)), item["msg"]))
        raise ScenarioError(problems) from None
    if spec.grid and spec.sample is not None:
        raise ScenarioError(
            [
                Diagnostic(
                    name, lines.get(("sample",)), "sample", "give a grid or a sample, not both"
                )
            ]
        )
    try:
        if spec.sample is not None:
            ranges = {k: (v[0], v[1]) for k, v in spec.sample.ranges.items()}
            plan = sample_plan(
                spec.name, spec.base, ranges, spec.sample.n, spec.sample.method, spec.seed, limits
            )
        else:
            counts = {k: _count(k, v) for k, v in spec.grid.items()}
            check_size(math.prod(counts.values()), "", limits)  # the diagnostic names `grid`
            grid: dict[str, list[Scalar]] = {
                k: (
                    list[Scalar](linspace(v.range[0], v.range[1], counts[k]))
                    if isinstance(v, RangeSpec)
                    else v
                )
                for k, v in spec.grid.items()
            }
            plan = grid_plan(spec.name, spec.base, grid, spec.seed, limits)
    except InputError as error:
        raise ScenarioError(
            [Diagnostic(name, None, "grid" if spec.grid else "sample", str(error))]
        ) from None
    return Plan(plan.name, plan.base, plan.paths, plan.points, plan.seed, source=name)


def _count(path: str, values: list[Scalar] | RangeSpec) -> int:
    """How many values a grid axis has; a range's n must be a whole number."""
    if not isinstance(values, RangeSpec):
        return len(values)
    n = values.range[2]
    if not math.isfinite(n) or n != int(n) or n < 1:
        raise InputError(f"grid {path}: range n must be a whole number of at least 1, got {n}")
    return int(n)

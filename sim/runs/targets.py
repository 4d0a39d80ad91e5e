"""What `sim sweep` is asked to run: a sweep file, or a scenario with command-line axes."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.errors import Diagnostic, InputError, ScenarioError, display_path
from sim.model import find_scenarios
from sim.model.catalog import scenario_root
from sim.model.resolve import load_raw, scenario_files, scenario_name
from sim.model.walk import scenario_tree
from sim.model.yamlio import plain_scalar, read_yaml
from sim.runs.limits import Limits, default_limits
from sim.runs.plan import (
    Plan,
    check_seed,
    check_size,
    grid_plan,
    linspace,
    read_sweep_file,
    sample_plan,
)
from sim.runs.sweep import check_plan, read_sweep_manifest, recorded_base


def is_sweep_file(target: str) -> bool:
    path = Path(target)
    if not path.is_file():
        return False
    try:
        data, _ = read_yaml(path)
    except ScenarioError:
        return False
    return isinstance(data, dict) and "base" in data and "issues" not in data


def sweep_base(sweep_file: Path, base: str, *, allow_outside: bool = False) -> Path:
    """A sweep file's base scenario: a path relative to the sweep file, or a name in the
    scenario folder the `sweeps/` folder sits in.

    Like ``extends``, the base must lie (once symlinks are followed) in the folder tree of
    that scenario folder or of the scenario root (``$SIM_SCENARIOS``, else ``scenarios/``),
    unless ``allow_outside``; any other is refused before it is read.

    Raises
    ------
    InputError
        No such base, or one outside the scenario folders.
    """
    where = f"{display_path(sweep_file)}: base"
    folder = sweep_file.parent.parent if sweep_file.parent.name == "sweeps" else sweep_file.parent
    scope = [Path(os.path.realpath(f)) for f in (folder, scenario_root()) if f.is_dir()]

    def inside(path: Path) -> bool:
        real = Path(os.path.realpath(path))
        return allow_outside or any(real.is_relative_to(f) for f in scope)

    candidate = sweep_file.parent / base
    if "/" in base or base.endswith((".yaml", ".yml")) or candidate.exists():
        if not inside(candidate):
            shown = ", ".join(f"{display_path(f)}/" for f in scope)
            raise InputError(
                f"{where}: {base!r} is outside the scenario folders ({shown}); a sweep's base "
                "may not leave them (give --allow-outside to allow it)"
            )
        if candidate.is_file():
            return candidate
        if "/" in base or base.endswith((".yaml", ".yml")):
            raise InputError(f"{where}: {base!r}: no such scenario file")
    matches = [p for p in scenario_files(folder) if inside(p) and scenario_name(p) == base]
    if len(matches) != 1:
        raise InputError(f"{where}: no single scenario named {base!r} in {display_path(folder)}/")
    return matches[0]


def parse_value(text: str) -> Any:
    """A command-line value as a scenario file reads it (YAML 1.2: numbers, booleans,
    strings).

    Examples
    --------
    >>> [parse_value(v) for v in ("0.5", "2", "true", "neutrality", "3e-1", "yes")]
    [0.5, 2, True, 'neutrality', 0.3, 'yes']
    """
    value = plain_scalar(text)
    return value if isinstance(value, int | float | bool | str) else text


def _split(item: str, option: str) -> tuple[str, str]:
    path, sep, rest = item.partition("=")
    if not sep or not path.strip() or not rest.strip():
        raise InputError(f"{option}: {item!r} is not path=values")
    return path.strip(), rest.strip()


def parse_grid(items: list[str]) -> dict[str, list[Any]]:
    """``--grid path=v1,v2,...`` options as a grid; a path given twice is refused.

    Examples
    --------
    >>> parse_grid(["a.b=1,2", "c=x"])
    {'a.b': [1, 2], 'c': ['x']}
    """
    grid: dict[str, list[Any]] = {}
    for item in items:
        path, rest = _split(item, "--grid")
        if path in grid:
            raise InputError(f"--grid {path}: given twice; list every value in one --grid")
        grid[path] = [parse_value(v.strip()) for v in rest.split(",") if v.strip()]
        if not grid[path]:
            raise InputError(f"--grid {path}: no values")
    return grid


def parse_ranges(items: list[str], sampled: bool) -> dict[str, tuple[float, ...]]:
    """``--range`` options: ``path=lo:hi:n`` (``path=lo:hi`` with ``--sample``); exactly that
    many fields, finite bounds, a whole ``n``; a path given twice is refused.

    Examples
    --------
    >>> parse_ranges(["a=0:1:3"], sampled=False)
    {'a': (0.0, 1.0, 3)}
    """
    shape = "path=lo:hi with --sample" if sampled else "path=lo:hi:n"
    ranges: dict[str, tuple[float, ...]] = {}
    for item in items:
        path, rest = _split(item, "--range")
        parts = [part.strip() for part in rest.split(":")]
        if len(parts) != (2 if sampled else 3):
            raise InputError(f"--range: {item!r} is not {shape}")
        try:
            lo, hi = float(parts[0]), float(parts[1])
        except ValueError:
            raise InputError(f"--range: {item!r} is not {shape}") from None
        if path in ranges:
            raise InputError(f"--range {path}: given twice")
        if sampled:
            ranges[path] = (lo, hi)
            continue
        if not parts[2].lstrip("+-").isdigit():
            raise InputError(f"--range {path}: n must be a whole number, got {parts[2]!r}")
        ranges[path] = (lo, hi, int(parts[2]))
    return ranges


def sweep_plan(
    target: str | Path | None,
    *,
    grid: Mapping[str, Sequence[Any]] | None = None,
    ranges: Mapping[str, Sequence[float]] | None = None,
    sample: str | None = None,
    seed: int = 0,
    resume: Path | None = None,
    limits: Limits | None = None,
    allow_outside: bool = False,
    only: tuple[str, ...] | None = None,
) -> tuple[Plan, Path, tuple[Path, ...]]:
    """What a sweep runs, for the command line and the Python API alike: the plan, its base
    scenario and the other input files to pin (the sweep file).

    ``target`` is a sweep file, or a scenario varied over ``grid`` (path -> values) and
    ``ranges`` (path -> (lo, hi, n), or (lo, hi) with ``sample`` = ``method:n``); or None
    with ``resume`` (the plan recorded in that run folder). ``only``: the analyses each point
    computes (:mod:`sim.analysis.selection`).

    Raises
    ------
    InputError
        Contradictory or malformed options, a plan larger than ``limits``.
    """
    limits = limits or Limits()
    grid, ranges = dict(grid or {}), dict(ranges or {})
    check_seed(seed)
    if target is None:
        if resume is None:
            raise InputError(
                "sweep: give a sweep file, a scenario with --grid/--range, or --resume RUN"
            )
        if grid or ranges or sample or only is not None:
            raise InputError("sweep: --resume RUN alone resumes; give the target too, or neither")
        plan, base = recorded_plan(resume)
        limits.check_points(len(plan.points), f"sweep {plan.name}")
        return plan, base, ()
    if is_sweep_file(str(target)):
        if grid or ranges or sample:
            raise InputError(
                "sweep: a sweep file already says what varies; drop --grid/--range/--sample"
            )
        plan, base = file_plan(str(target), limits, allow_outside=allow_outside)
        return dataclasses.replace(plan, only=only), base, (Path(target),)
    path = Path(target)
    if not path.exists() and (path.suffix in (".yaml", ".yml") or len(path.parts) > 1):
        raise InputError(f"{display_path(path)}: no such file")
    if not grid and not ranges:
        raise InputError(f"sweep {target}: say what varies with --grid or --range")
    both = sorted(set(grid) & set(ranges))
    if both:
        raise InputError(f"--grid and --range both vary {both[0]}; give one of them")
    plan, base = command_line_plan(str(target), grid, ranges, sample, seed, limits)
    return dataclasses.replace(plan, only=only), base, ()


def command_line_plan(
    scenario: str,
    grid: dict[str, Sequence[Any]],
    ranges: dict[str, Sequence[float]],
    sample: str | None,
    seed: int,
    limits: Limits | None = None,
) -> tuple[Plan, Path]:
    """A plan from a grid, ranges or a sample over one scenario (sizes checked first)."""
    paths = find_scenarios(scenario)
    if len(paths) != 1:
        raise InputError(f"{scenario}: a sweep varies one scenario; this names {len(paths)}")
    base = paths[0]
    name = f"{scenario_name(base) or base.stem}-sweep"
    if sample is not None:
        method, _, count = sample.partition(":")
        if not count.strip().isdigit():
            raise InputError(f"--sample: {sample!r} is not method:n (e.g. lhs:100)")
        if grid:
            raise InputError("--sample: give ranges with --range, not --grid")
        bounds = {}
        for path, bound in ranges.items():
            if len(bound) != 2:
                raise InputError(f"--range {path}: with --sample, give lo:hi")
            bounds[path] = (float(bound[0]), float(bound[1]))
        return sample_plan(name, str(base), bounds, int(count), method, seed, limits), base
    counts = {}
    for path, bound in ranges.items():
        if len(bound) != 3:
            raise InputError(f"--range {path}: give lo:hi:n")
        n = bound[2]
        if isinstance(n, bool) or not isinstance(n, int | float) or n != int(n):
            raise InputError(f"--range {path}: n must be a whole number, got {n!r}")
        if n < 1:
            raise InputError(f"--range {path}: n must be at least 1, got {n}")
        counts[path] = int(n)
    sizes = [len(v) for v in grid.values()] + list(counts.values())
    check_size(math.prod(sizes), "grid", limits)
    axes: dict[str, list[Any]] = {path: list(values) for path, values in grid.items()}
    for path, bound in ranges.items():
        axes[path] = linspace(float(bound[0]), float(bound[1]), counts[path])
    return grid_plan(name, str(base), axes, seed, limits), base


def file_plan(
    target: str, limits: Limits | None = None, *, allow_outside: bool = False
) -> tuple[Plan, Path]:
    path = Path(target)
    plan = read_sweep_file(path, limits)
    return plan, sweep_base(path, plan.base, allow_outside=allow_outside)


def recorded_plan(folder: Path) -> tuple[Plan, Path]:
    """The plan and base a sweep run folder recorded, for --resume without arguments; the
    base is recorded as an absolute path, so this works from any directory."""
    manifest = read_sweep_manifest(folder)
    described = manifest["plan"]
    plan = Plan(
        described["name"],
        described["base"],
        tuple(described["paths"]),
        tuple(tuple(p) for p in described["points"]),
        described["seed"],
        only=None if described.get("only") is None else tuple(described["only"]),
    )
    return plan, recorded_base(manifest)


def check_sweep_files(
    targets: list[str], *, allow_outside: bool = False
) -> tuple[int, list[Diagnostic]]:
    """Check the sweep files the targets name or hold (in `sweeps/` folders below them):
    readable, a base that exists inside the scenario folders (unless ``allow_outside``),
    paths that exist and values valid for them."""
    files: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            groups = scenario_tree(path, strict=False)
            files += sorted(p for folder, found in groups if folder.name == "sweeps" for p in found)
        elif path.is_file() and is_sweep_file(target):
            files.append(path)
    problems: list[Diagnostic] = []
    limits = default_limits()
    for path in files:
        name = display_path(path)
        try:
            plan, base = file_plan(str(path), limits, allow_outside=allow_outside)
            check_plan(plan, load_raw(base, allow_outside=allow_outside))
        except ScenarioError as error:
            problems.extend(error.diagnostics)
        except InputError as error:
            lines = [line.removeprefix(f"{name}: ") for line in str(error).splitlines()]
            problems.extend(Diagnostic(name, None, "", line) for line in lines)
    return len(files), problems

"""What `sim sweep` is asked to run: a sweep file, or a scenario with command-line axes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.errors import Diagnostic, InputError, ScenarioError, display_path
from sim.experiments.plan import Plan, grid_plan, linspace, read_sweep_file, sample_plan
from sim.experiments.sweep import check_plan, read_sweep_manifest
from sim.model import find_scenarios
from sim.model.resolve import load_raw, scenario_files, scenario_name
from sim.model.yamlio import read_yaml


def is_sweep_file(target: str) -> bool:
    path = Path(target)
    if not path.is_file():
        return False
    try:
        data, _ = read_yaml(path)
    except ScenarioError:
        return False
    return isinstance(data, dict) and "base" in data and "issues" not in data


def sweep_base(sweep_file: Path, base: str) -> Path:
    """A sweep file's base scenario: a path relative to the sweep file, or a name in the
    scenario folder the `sweeps/` folder sits in."""
    candidate = sweep_file.parent / base
    if candidate.is_file():
        return candidate
    folder = sweep_file.parent.parent if sweep_file.parent.name == "sweeps" else sweep_file.parent
    matches = [p for p in scenario_files(folder) if scenario_name(p) == base]
    if len(matches) != 1:
        where = f"{display_path(sweep_file)}: base"
        raise InputError(f"{where}: no single scenario named {base!r} in {display_path(folder)}/")
    return matches[0]


def parse_value(text: str) -> Any:
    """A command-line value as YAML reads it (numbers, booleans, strings).

    Examples
    --------
    >>> [parse_value(v) for v in ("0.5", "2", "true", "neutrality")]
    [0.5, 2, True, 'neutrality']
    """
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return value if isinstance(value, int | float | bool | str) else text


def _split(item: str, option: str) -> tuple[str, str]:
    path, sep, rest = item.partition("=")
    if not sep or not path or not rest:
        raise InputError(f"{option}: {item!r} is not path=values")
    return path.strip(), rest.strip()


def command_line_plan(
    scenario: str, grid: list[str], ranges: list[str], sample: str | None, seed: int
) -> tuple[Plan, Path]:
    """A plan from --grid/--range/--sample options over one scenario."""
    paths = find_scenarios(scenario)
    if len(paths) != 1:
        raise InputError(f"{scenario}: a sweep varies one scenario; this names {len(paths)}")
    base = paths[0]
    name = f"{scenario_name(base) or base.stem}-sweep"
    if sample is not None:
        method, _, count = sample.partition(":")
        if not count.strip().lstrip("-").isdigit():
            raise InputError(f"--sample: {sample!r} is not method:n (e.g. lhs:100)")
        bounds = {}
        for item in ranges:
            path, rest = _split(item, "--range")
            parts = rest.split(":")
            try:
                bounds[path] = (float(parts[0]), float(parts[1]))
            except (ValueError, IndexError):
                raise InputError(f"--range: {item!r} is not path=lo:hi with --sample") from None
        if grid:
            raise InputError("--sample: give ranges with --range, not --grid")
        return sample_plan(name, str(base), bounds, int(count), method, seed), base
    axes: dict[str, list[Any]] = {}
    for item in grid:
        path, rest = _split(item, "--grid")
        axes[path] = [parse_value(v.strip()) for v in rest.split(",") if v.strip()]
        if not axes[path]:
            raise InputError(f"--grid {path}: no values")
    for item in ranges:
        path, rest = _split(item, "--range")
        parts = rest.split(":")
        try:
            lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
        except (ValueError, IndexError):
            raise InputError(f"--range: {item!r} is not path=lo:hi:n") from None
        if n < 1:
            raise InputError(f"--range {path}: n must be at least 1, got {n}")
        axes[path] = linspace(lo, hi, n)
    return grid_plan(name, str(base), axes, seed), base


def file_plan(target: str) -> tuple[Plan, Path]:
    path = Path(target)
    plan = read_sweep_file(path)
    return plan, sweep_base(path, plan.base)


def recorded_plan(folder: Path) -> tuple[Plan, Path]:
    """The plan and base a sweep run folder recorded, for --resume without arguments."""
    manifest = read_sweep_manifest(folder)
    described = manifest["plan"]
    plan = Plan(
        described["name"],
        described["base"],
        tuple(described["paths"]),
        tuple(tuple(p) for p in described["points"]),
        described["seed"],
    )
    return plan, Path(manifest["base"])


def check_sweep_files(targets: list[str]) -> tuple[int, list[Diagnostic]]:
    """Check the sweep files the targets name or hold (in `sweeps/` folders below them):
    readable, a base that exists, paths that exist and values valid for them."""
    files: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.y*ml") if p.parent.name == "sweeps")
        elif path.is_file() and is_sweep_file(target):
            files.append(path)
    problems: list[Diagnostic] = []
    for path in files:
        name = display_path(path)
        try:
            plan, base = file_plan(str(path))
            check_plan(plan, load_raw(base))
        except ScenarioError as error:
            problems.extend(error.diagnostics)
        except InputError as error:
            problems.extend(Diagnostic(name, None, "", line) for line in str(error).splitlines())
    return len(files), problems

"""Finding scenarios: by file, by folder, or by name under the scenarios folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sim.errors import Diagnostic, InputError, ScenarioError, display_path
from sim.model.resolve import LoadedScenario, load_scenario, scenario_files, scenario_name
from sim.model.walk import scenario_tree

DEFAULT_ROOT = Path("scenarios")
SKIPPED_FOLDERS = ("sweeps", "forecasts")
"""Folders of sweep files and of forecast questions and records: not scenarios."""


class NotFound(InputError):
    """A SCENARIO argument that names no scenario (or an ambiguous one): where, and why."""

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")


def find_scenarios(target: str, root: Path | None = None) -> list[Path]:
    """The scenario files a command-line SCENARIO argument names.

    A path to a file, a folder (the scenario files directly in it), or a scenario name
    found under ``root`` recursively.

    Raises
    ------
    InputError
        Nothing matches, a folder holds no scenario, or a name is found more than once.
    """
    root = scenario_root() if root is None else root
    path = Path(target)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = scenario_files(path)
        if not files:
            raise NotFound(display_path(path), "no scenario files (*.yaml) in this folder")
        return files
    if path.suffix in (".yaml", ".yml") or "/" in target:
        raise NotFound(target, "no such file or folder")
    names = {p: scenario_name(p) for p in _all_files(root)}
    matches = [p for p, name in names.items() if name == target]
    if len(matches) > 1:
        found = ", ".join(display_path(p) for p in matches)
        raise NotFound(target, f"scenario name found more than once under {root}/: {found}")
    if not matches:
        # A file that cannot be read as a scenario does not stop the lookup of the others;
        # when nothing matches, it is named, since the scenario sought may be in it.
        known = sorted({n for n in names.values() if n})
        hint = f" (known: {', '.join(known)})" if known else ""
        unread = [display_path(p) for p, name in names.items() if name is None]
        if unread:
            shown = ", ".join(unread[:5]) + (
                f" and {len(unread) - 5} more" if len(unread) > 5 else ""
            )
            hint += f"; not readable as scenarios (see sim validate): {shown}"
        raise NotFound(target, f"no such file, folder or scenario name under {root}/{hint}")
    return matches


def _all_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    groups = scenario_tree(root, skip=_skipped, strict=False, what=_root_name(root))
    return sorted(path for _, files in groups for path in files)


def _skipped(name: str) -> bool:
    return name in SKIPPED_FOLDERS


def scenario_root() -> Path:
    """Where scenario names are looked up: ``$SIM_SCENARIOS``, else ``scenarios/``."""
    return Path(os.environ.get("SIM_SCENARIOS", str(DEFAULT_ROOT)))


def _root_name(root: Path) -> str:
    given = os.environ.get("SIM_SCENARIOS")
    if given is not None and Path(given) == root:
        return f"$SIM_SCENARIOS={given}"
    return f"{display_path(root)}/"


@dataclass(frozen=True)
class Validation:
    """What validating some paths found: the scenarios that loaded and every problem."""

    scenarios: tuple[LoadedScenario, ...]
    diagnostics: tuple[Diagnostic, ...]


def validate_paths(
    targets: list[str], root: Path | None = None, *, allow_outside: bool = False
) -> Validation:
    """Load every scenario the targets name, collecting all problems instead of stopping.

    ``extends`` may reach the folder tree of each file and of ``root``, or anywhere with
    ``allow_outside`` (see :func:`~sim.model.resolve.load_scenario`).
    """
    root = scenario_root() if root is None else root
    loaded: list[LoadedScenario] = []
    problems: list[Diagnostic] = []
    groups: list[list[Path]] = []
    for target in targets:
        if Path(target).is_dir():
            try:
                found = [g for g in _folders(Path(target)) if g]
            except ScenarioError as error:
                problems.extend(error.diagnostics)
                continue
            if not found:
                problems.append(Diagnostic(target, None, "", "no scenario files (*.yaml) here"))
            groups += found
            continue
        try:
            groups.append(find_scenarios(target, root))
        except NotFound as error:
            problems.append(Diagnostic(error.where, None, "", error.reason))
        except ScenarioError as error:
            problems.extend(error.diagnostics)
    for paths in groups:  # the files of one folder, where names must be unique
        seen: dict[str, Path] = {}
        for path in paths:
            try:
                item = load_scenario(path, roots=_roots(root), allow_outside=allow_outside)
            except ScenarioError as error:
                problems.extend(error.diagnostics)
                continue
            name = item.scenario.name
            if name in seen:
                reason = f"scenario name {name!r} is already used by {display_path(seen[name])}"
                problems.append(Diagnostic(display_path(path), None, "name", reason))
            seen.setdefault(name, path)
            loaded.append(item)
    return Validation(tuple(loaded), tuple(dict.fromkeys(problems)))


def _folders(folder: Path) -> list[list[Path]]:
    """The scenario files of a folder and of each folder below it (sweep folders left out;
    the walk is bounded and stays in the folder, see :func:`sim.model.walk.scenario_tree`)."""
    return [files for _, files in scenario_tree(folder, skip=_skipped)]


def _roots(root: Path) -> tuple[Path, ...]:
    return (root,) if root.is_dir() else ()


def load_many(
    target: str, root: Path | None = None, *, allow_outside: bool = False
) -> list[LoadedScenario]:
    """Load every scenario a SCENARIO argument names (a folder: the files directly in it);
    all problems raise one ScenarioError. ``extends`` may reach the folder tree of each file
    and of ``root``, or anywhere with ``allow_outside`` (see
    :func:`~sim.model.resolve.load_scenario`)."""
    root = scenario_root() if root is None else root
    problems: list[Diagnostic] = []
    loaded = []
    for path in find_scenarios(target, root):
        try:
            loaded.append(load_scenario(path, roots=_roots(root), allow_outside=allow_outside))
        except ScenarioError as error:
            problems.extend(error.diagnostics)
    if problems:
        raise ScenarioError(problems)
    return loaded

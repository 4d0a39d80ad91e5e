"""Loading scenarios: `extends` (by name or relative path) and `set:` overrides."""

from __future__ import annotations

import copy
import errno
import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import Diagnostic, ScenarioError, display_path
from sim.model.paths import Origin, blame_override, is_lever_value, segment, set_path
from sim.model.schema import Lever, Scenario
from sim.model.validation import check_policies, locate, split_path, validate_document
from sim.model.yamlio import Path_, read_yaml

NOT_INHERITED = ("name", "title", "description", "set", "extends")


@dataclass(frozen=True)
class LoadedScenario:
    """A resolved, validated scenario, the files it was built from (child first), and the
    plain document it was validated from (to derive variants: sweeps, leverage policies)."""

    scenario: Scenario
    path: Path
    files: tuple[Path, ...]
    origin: dict[Path_, tuple[str, int]]
    document: dict[str, Any]
    policy_variants: dict[str, Scenario] = field(default_factory=dict)
    """The scenario as each leverage policy leaves it if carried out, validated at load
    (empty for a scenario derived with :meth:`RawScenario.with_overrides`)."""

    def raw(self) -> RawScenario:
        return RawScenario(
            self.document, self.path, self.files, self.origin, checked=True, model=self.scenario
        )

    def locate(self, dotted: str, reason: str) -> Diagnostic:
        """A diagnostic for a field of this scenario, placed in the file and line it came from."""
        return locate(self.origin, display_path(self.path), split_path(dotted), reason)


def load_scenario(
    path: Path, *, roots: Sequence[Path] = (), allow_outside: bool = False
) -> LoadedScenario:
    """Load one scenario file, resolve ``extends`` and ``set``, and validate the result.

    Parameters
    ----------
    path
        The scenario file.
    roots
        Scenario folders (such as ``scenarios/``) whose trees ``extends`` may also reach.
    allow_outside
        Let ``extends`` name a file anywhere. By default a parent must lie, once symlinks
        are followed, in the folder tree of ``path`` or of one of ``roots``; any other is
        refused before it is read, so that no content of a file that is not a scenario is
        ever shown.

    Raises
    ------
    ScenarioError
        With every problem found, each naming its file, field and (where known) line.
    """
    start = _real(path)
    if start is None:
        raise ScenarioError([Diagnostic(display_path(path), None, "", _LOOP)])
    folders = [_real(folder) for folder in (path.parent, *roots)]
    scope = Scope(
        tuple(dict.fromkeys(f for f in (start.parent, *folders) if f is not None)), allow_outside
    )
    document, origin, files, pending = _resolve(start, (), scope)
    document.pop("extends", None)
    scenario = validate_document(copy.deepcopy(document), origin, path, pending)
    variants = check_policies(scenario, document, origin, path)
    return LoadedScenario(scenario, path, files, origin, document, variants)


@dataclass(frozen=True)
class RawScenario:
    """A scenario after `extends` and `set` but before validation: the base of a sweep."""

    document: dict[str, Any]
    path: Path
    files: tuple[Path, ...]
    origin: Origin
    checked: bool = False
    """Whether the document is one already validated (then only overrides are scanned for
    control characters when a variant is validated)."""
    model: Scenario | None = field(default=None, compare=False, repr=False)
    """The scenario validated from ``document``, where the caller has it (found on first use
    otherwise: :attr:`valid_model`)."""

    def with_overrides(
        self, overrides: dict[str, Any], *, source: str | None = None
    ) -> LoadedScenario:
        """Apply dotted-path overrides (as `set:` would) and validate the result.

        ``source`` names where the overrides came from (e.g. ``command line (--set)``): a
        problem at or below an overridden path is then blamed on it, not on the scenario
        file's line, and an unknown path suggests the closest one the document has.

        Raises
        ------
        ScenarioError
            A path does not exist or the result is not a valid scenario.
        """
        document, problems = self.overridden(overrides)
        model = None if problems else self.lever_variant(document, overrides)
        try:
            scenario = validate_document(
                document,
                dict(self.origin),
                self.path,
                problems,
                new=overrides if self.checked or model is not None else None,
                model=model,
            )
        except ScenarioError as error:
            if source is None:
                raise
            raise ScenarioError(
                [
                    blame_override(d, list(overrides), self.document, source)
                    for d in error.diagnostics
                ]
            ) from None
        return LoadedScenario(scenario, self.path, self.files, self.origin, document)

    def lever_variant(self, document: dict[str, Any], overrides: dict[str, Any]) -> Scenario | None:
        """The model of ``document`` (this one with ``overrides`` applied) when the overrides
        set nothing but levers' values (a sweep over levers, a leverage policy): this
        document's model with each changed lever validated again on its own, as the whole
        document's validation would validate it. None when they set anything else, when this
        document is not valid, or when a lever is refused (the whole document is validated
        then, for the messages). ``validate_document`` runs on it the scenario's checks that read
        levers' values.
        """
        if not overrides or not all(is_lever_value(dotted) for dotted in overrides):
            return None
        base = self.valid_model
        levers = document.get("levers")
        if base is None or not isinstance(levers, dict):
            return None
        changed = dict(base.levers)
        for name in {dotted.split(".")[1] for dotted in overrides}:
            if name not in changed:
                return None
            try:
                changed[name] = Lever.model_validate(levers[name])
            except ValidationError:
                return None
        return base.model_copy(update={"levers": changed})

    @functools.cached_property
    def valid_model(self) -> Scenario | None:
        """The scenario validated from this document (checked in full, once), or None if it
        is not valid."""
        if self.model is not None:
            return self.model
        try:
            return validate_document(
                self.document, dict(self.origin), self.path, [], new={} if self.checked else None
            )
        except ScenarioError:
            return None

    def overridden(self, overrides: dict[str, Any]) -> tuple[dict[str, Any], list[Diagnostic]]:
        """The document with overrides applied, copying only the mappings on their paths (the
        rest is shared with this one, which is never modified), and the paths that failed."""
        document = dict(self.document)
        problems = []
        for dotted, value in overrides.items():
            node: Any = document
            segments = dotted.split(".")
            for name in segments[:-1]:
                if isinstance(node, dict) and isinstance(node.get(name), dict | list):
                    node[name] = _shallow(node[name])
                    node = node[name]
                elif isinstance(node, list) and name.isdigit() and int(name) < len(node):
                    node[int(name)] = _shallow(node[int(name)])
                    node = node[int(name)]
                else:
                    break
            reason = set_path(document, dotted, value)
            if reason is not None:
                problems.append(Diagnostic(display_path(self.path), None, dotted, reason))
        return document, problems


def _shallow(node: Any) -> Any:
    return dict(node) if isinstance(node, dict) else list(node) if isinstance(node, list) else node


def load_raw(path: Path, *, roots: Sequence[Path] = (), allow_outside: bool = False) -> RawScenario:
    """A valid scenario's plain document after `extends` and `set`: the base of a sweep
    (``roots`` and ``allow_outside`` as for :func:`load_scenario`)."""
    return load_scenario(path, roots=roots, allow_outside=allow_outside).raw()


@dataclass(frozen=True)
class Scope:
    """Where ``extends`` may lead: the real folders whose trees hold allowed parents."""

    folders: tuple[Path, ...]
    allow_outside: bool = False

    def allows(self, real: Path) -> bool:
        return self.allow_outside or any(real.is_relative_to(f) for f in self.folders)


_LOOP = "cannot read: a symlink loop (too many levels of symbolic links)"


def _real(path: Path) -> Path | None:
    """The absolute path with every symlink followed; None for a symlink loop. A path that
    does not exist is followed as far as it goes (reading it then says what is missing)."""
    try:
        return Path(os.path.realpath(path, strict=True))
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None
        return Path(os.path.realpath(path))


Resolved = tuple[dict[str, Any], Origin, tuple[Path, ...], list[Diagnostic]]


def _resolve(path: Path, chain: tuple[Path, ...], scope: Scope) -> Resolved:
    """The document after `extends` and `set`, where each key came from, the files read, and
    the problems with `set` paths (reported together with the validation's)."""
    name = display_path(path)
    if path in chain:
        cycle = " -> ".join(display_path(p) for p in (*chain, path))
        raise ScenarioError([Diagnostic(name, None, "extends", f"cycle: {cycle}")])
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ScenarioError(
            [Diagnostic(name, 1, "", f"expected a mapping at top level, got {kind}")]
        )
    origin: Origin = {key: (name, line) for key, line in lines.items()}
    files: tuple[Path, ...] = (path,)
    problems: list[Diagnostic] = []
    parent_ref = data.get("extends")
    if parent_ref is not None:
        if not isinstance(parent_ref, str) or not parent_ref or "\0" in parent_ref:
            raise ScenarioError(
                [locate(origin, name, ("extends",), "must be a scenario name or path")]
            )
        parent_path = _find_parent(path, parent_ref, scope, origin, name)
        parent, parent_origin, parent_files, problems = _resolve(parent_path, (*chain, path), scope)
        merged = {k: v for k, v in parent.items() if k not in NOT_INHERITED}
        merged_origin = {k: v for k, v in parent_origin.items() if k[0] not in NOT_INHERITED}
        _merge(merged, {k: v for k, v in data.items() if k != "set"})
        merged_origin.update({k: v for k, v in origin.items() if k[0] != "set"})
        data = {**merged, "set": data.get("set")} if "set" in data else merged
        origin = {**merged_origin, **{k: v for k, v in origin.items() if k[0] == "set"}}
        files = (path, *parent_files)
    overrides = data.pop("set", None)
    if overrides is not None:
        problems = [*problems, *_apply_set(data, overrides, origin, name)]
    return data, origin, files, problems


def _find_parent(child: Path, ref: str, scope: Scope, origin: Origin, name: str) -> Path:
    """The real path of the file ``extends: ref`` names in ``child`` (itself a real path)."""
    folder = child.parent
    if "/" in ref or ref.endswith((".yaml", ".yml")):
        candidate = _real(folder / ref)
        if candidate is None:
            reason = f"parent file {ref!r}: {_LOOP}"
        elif not scope.allows(candidate):
            shown = ", ".join(f"{display_path(f)}/" for f in scope.folders)
            reason = (
                f"parent file {ref!r} is outside the scenario folders ({shown}); "
                "extends may not leave them"
            )
        elif candidate.exists():
            return candidate  # read_yaml says if it is a folder or unreadable
        else:
            reason = f"parent file {ref!r} not found"
        raise ScenarioError([locate(origin, name, ("extends",), reason)])
    reachable = [(p, real) for p in scenario_files(folder) if (real := _real(p)) is not None]
    matches = [real for p, real in reachable if scope.allows(real) and scenario_name(p) == ref]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        found = ", ".join(display_path(p) for p in matches)
        raise ScenarioError(
            [locate(origin, name, ("extends",), f"name {ref!r} is ambiguous: {found}")]
        )
    reason = f"no scenario named {ref!r} in {display_path(folder)}/"
    raise ScenarioError([locate(origin, name, ("extends",), reason)])


def _merge(base: dict[str, Any], child: dict[str, Any]) -> None:
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def _apply_set(data: dict[str, Any], overrides: Any, origin: Origin, name: str) -> list[Diagnostic]:
    if not isinstance(overrides, dict):
        return [locate(origin, name, ("set",), "must be a mapping of dotted paths")]
    problems = []
    for dotted, value in overrides.items():
        here = origin.get(("set", dotted), (name, 0))
        problem = set_path(data, dotted, value)
        if problem is not None:
            problems.append(Diagnostic(here[0], here[1] or None, f"set.{dotted}", problem))
            continue
        path = tuple(segment(s) for s in dotted.split("."))
        for key in [k for k in origin if k[: len(path)] == path]:
            del origin[key]
        origin[path] = here
    return problems


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files directly in a folder, sorted by file name.

    Raises
    ------
    ScenarioError
        The folder cannot be listed.
    """
    try:
        entries = list(folder.iterdir())
    except OSError as error:
        reason = f"cannot list the folder: {error.strerror or error}"
        raise ScenarioError([Diagnostic(display_path(folder), None, "", reason)]) from None
    return sorted(p for p in entries if p.is_file() and p.suffix in (".yaml", ".yml"))


def scenario_name(path: Path) -> str | None:
    """The `name:` a scenario file declares, or None if the file cannot be read as one.

    Remembered per file version (device, inode, size, modification time), so that resolving
    a chain of ``extends`` by name reads each file of the folder once, not once per link."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _declared_name(str(path), (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns))


@functools.lru_cache(maxsize=4096)
def _declared_name(path: str, version: tuple[int, int, int, int]) -> str | None:
    try:
        data, _ = read_yaml(Path(path))
    except ScenarioError:
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None

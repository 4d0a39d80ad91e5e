"""Loading scenarios: `extends` (by name or relative path), `set:` overrides, validation."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import Diagnostic, ScenarioError, display_path
from sim.model.checks import check_scenario
from sim.model.schema import ID_PATTERN, Scenario
from sim.model.yamlio import Path_, read_yaml

NOT_INHERITED = ("name", "title", "description", "set", "extends")
Origin = dict[Path_, tuple[str, int]]


@dataclass(frozen=True)
class LoadedScenario:
    """A resolved, validated scenario and the files it was built from (child first)."""

    scenario: Scenario
    path: Path
    files: tuple[Path, ...]
    origin: dict[Path_, tuple[str, int]]

    def locate(self, dotted: str, reason: str) -> Diagnostic:
        """A diagnostic for a field of this scenario, placed in the file and line it came from."""
        return _at(self.origin, display_path(self.path), _split(dotted), reason)


def load_scenario(path: Path) -> LoadedScenario:
    """Load one scenario file, resolve ``extends`` and ``set``, and validate the result.

    Raises
    ------
    ScenarioError
        With every problem found, each naming its file, field and (where known) line.
    """
    document, origin, files, pending = _resolve(path.resolve(), ())
    scenario = _validate(copy.deepcopy(document), origin, path, pending)
    _check_policies(scenario, document, origin, path)
    return LoadedScenario(scenario, path, files, origin)


def _check_policies(
    scenario: Scenario, document: dict[str, Any], origin: Origin, path: Path
) -> None:
    """Each leverage policy's `set` must give a valid scenario when carried out."""
    if scenario.leverage is None:
        return
    problems = []
    for pid, policy in scenario.leverage.policies.items():
        where = f"leverage.policies.{pid}.set"
        pressured = copy.deepcopy(document)
        reasons = [
            f"{dotted}: {reason}"
            for dotted, value in policy.set.items()
            if (reason := set_path(pressured, dotted, value)) is not None
        ]
        if not reasons:
            try:
                _validate(pressured, dict(origin), path, [])
            except ScenarioError as error:
                reasons = [f"{d.path}: {d.reason}" for d in error.diagnostics]
        problems += [_at(origin, display_path(path), _split(where), r) for r in reasons]
    if problems:
        raise ScenarioError(problems)


@dataclass(frozen=True)
class RawScenario:
    """A scenario after `extends` and `set` but before validation: the base of a sweep."""

    document: dict[str, Any]
    path: Path
    files: tuple[Path, ...]
    origin: Origin

    def with_overrides(self, overrides: dict[str, Any]) -> LoadedScenario:
        """Apply dotted-path overrides (as `set:` would) and validate the result.

        Raises
        ------
        ScenarioError
            A path does not exist or the result is not a valid scenario.
        """
        document, problems = self.overridden(overrides)
        scenario = _validate(document, dict(self.origin), self.path, problems)
        return LoadedScenario(scenario, self.path, self.files, self.origin)

    def overridden(self, overrides: dict[str, Any]) -> tuple[dict[str, Any], list[Diagnostic]]:
        """The document with overrides applied, copying only the mappings on their paths (the
        rest is shared with this one, which is never modified), and the paths that failed."""
        document = dict(self.document)
        problems = []
        for dotted, value in overrides.items():
            node: Any = document
            segments = dotted.split(".")
            for segment in segments[:-1]:
                if isinstance(node, dict) and isinstance(node.get(segment), dict | list):
                    node[segment] = _shallow(node[segment])
                    node = node[segment]
                elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
                    node[int(segment)] = _shallow(node[int(segment)])
                    node = node[int(segment)]
                else:
                    break
            reason = set_path(document, dotted, value)
            if reason is not None:
                problems.append(Diagnostic(display_path(self.path), None, dotted, reason))
        return document, problems


def _shallow(node: Any) -> Any:
    return dict(node) if isinstance(node, dict) else list(node) if isinstance(node, list) else node


def load_raw(path: Path) -> RawScenario:
    """Resolve `extends` and `set` of a valid scenario and keep the plain document."""
    document, origin, files, pending = _resolve(path.resolve(), ())
    _validate(copy.deepcopy(document), origin, path, pending)
    document.pop("extends", None)
    return RawScenario(document, path, files, origin)


Resolved = tuple[dict[str, Any], Origin, tuple[Path, ...], list[Diagnostic]]


def _resolve(path: Path, chain: tuple[Path, ...]) -> Resolved:
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
        if not isinstance(parent_ref, str) or not parent_ref:
            raise ScenarioError(
                [_at(origin, name, ("extends",), "must be a scenario name or path")]
            )
        parent_path = _find_parent(path, parent_ref, origin, name)
        parent, parent_origin, parent_files, problems = _resolve(parent_path, (*chain, path))
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


def _find_parent(child: Path, ref: str, origin: Origin, name: str) -> Path:
    folder = child.parent
    if "/" in ref or ref.endswith((".yaml", ".yml")):
        candidate = (folder / ref).resolve()
        if candidate.is_file():
            return candidate
        raise ScenarioError([_at(origin, name, ("extends",), f"parent file {ref!r} not found")])
    matches = [p for p in scenario_files(folder) if scenario_name(p) == ref]
    if len(matches) == 1:
        return matches[0].resolve()
    if len(matches) > 1:
        found = ", ".join(display_path(p) for p in matches)
        raise ScenarioError(
            [_at(origin, name, ("extends",), f"name {ref!r} is ambiguous: {found}")]
        )
    reason = f"no scenario named {ref!r} in {display_path(folder)}/"
    raise ScenarioError([_at(origin, name, ("extends",), reason)])


def _merge(base: dict[str, Any], child: dict[str, Any]) -> None:
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def _apply_set(data: dict[str, Any], overrides: Any, origin: Origin, name: str) -> list[Diagnostic]:
    if not isinstance(overrides, dict):
        return [_at(origin, name, ("set",), "must be a mapping of dotted paths")]
    problems = []
    for dotted, value in overrides.items():
        here = origin.get(("set", dotted), (name, 0))
        problem = set_path(data, dotted, value)
        if problem is not None:
            problems.append(Diagnostic(here[0], here[1] or None, f"set.{dotted}", problem))
            continue
        path = tuple(_segment(s) for s in dotted.split("."))
        for key in [k for k in origin if k[: len(path)] == path]:
            del origin[key]
        origin[path] = here
    return problems


def set_path(data: dict[str, Any], dotted: str, value: Any) -> str | None:
    """Replace the value at a dotted path; return why it cannot be done, or None."""
    segments = dotted.split(".")
    if not dotted or any(not s for s in segments):
        return "empty path segment"
    node: Any = data
    for depth, segment in enumerate(segments[:-1]):
        at = ".".join(segments[: depth + 1])
        child = _child(node, segment)
        if child is None:
            present = isinstance(node, dict) and segment in node
            return f"{at!r} is not a mapping" if present else f"no such field {at!r}"
        node = child
    last = segments[-1]
    if isinstance(node, dict):
        node[last] = copy.deepcopy(value)
        return None
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = copy.deepcopy(value)
        return None
    return f"{'.'.join(segments[:-1])!r} is not a mapping"


def _child(node: Any, segment: str) -> Any:
    if isinstance(node, dict):
        value = node.get(segment)
        return value if isinstance(value, dict | list) else None
    if isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
        item = node[int(segment)]
        return item if isinstance(item, dict | list) else None
    return None


def _segment(text: str) -> str | int:
    return int(text) if text.isdigit() else text


def _validate(
    document: dict[str, Any], origin: Origin, path: Path, pending: list[Diagnostic]
) -> Scenario:
    name = display_path(path)
    document.pop("extends", None)
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as error:
        found = [_pydantic_diagnostic(e, document, origin, name) for e in error.errors()]
        pruned = _without_bad_fields(document, error)
        if pruned is not None:
            reported = [d.path for d in found]
            checks = [(p, r) for p, r in check_scenario(pruned) if not _overlaps(p, r, reported)]
            found += [_at(origin, name, _split(p), reason) for p, reason in checks]
        raise ScenarioError([*pending, *found]) from None
    findings = [_at(origin, name, _split(p), reason) for p, reason in check_scenario(scenario)]
    if pending or findings:
        raise ScenarioError([*pending, *findings])
    return scenario


def _overlaps(path: str, reason: str, reported: list[str]) -> bool:
    """Whether a finding only echoes a problem already reported: it is about the same field
    (or one containing it), or it names an entity whose definition was the problem."""
    if any(r == path or r.startswith(path + ".") or path.startswith(r + ".") for r in reported):
        return True
    names = {r.split(".")[1] for r in reported if r.count(".") >= 1}
    return reason.startswith("unknown") and any(f"'{n}'" in reason for n in names)


def _without_bad_fields(document: dict[str, Any], error: ValidationError) -> Scenario | None:
    """The scenario with every field pydantic rejected removed, if what is left is valid.

    This lets one `sim validate` pass also report the cross-field problems (unknown issues,
    options, levers) of the rest of the file.
    """
    pruned = copy.deepcopy(document)
    for _ in range(3):
        for item in error.errors():
            _drop(pruned, list(item["loc"]))
        pruned["name"] = pruned.get("name") if isinstance(pruned.get("name"), str) else "x"
        if not re.fullmatch(ID_PATTERN.strip("^$"), str(pruned["name"])):
            pruned["name"] = "x"
        try:
            return Scenario.model_validate(pruned)
        except ValidationError as again:
            error = again
    return None


def _drop(document: dict[str, Any], loc: list[Any]) -> None:
    """Remove the deepest field of ``document`` that an error location reaches."""
    parent: Any = None
    key: Any = None
    node: Any = document
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            parent, key, node = node, part, node[part]
        else:
            break
    if parent is not None:
        del parent[key]


def _pydantic_diagnostic(
    error: Any, document: dict[str, Any], origin: Origin, name: str
) -> Diagnostic:
    path: list[str | int] = []
    node: Any = document
    loc = list(error["loc"])
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif i < len(loc) - 1 or (
            error["type"] != "missing" and error["type"] != "extra_forbidden"
        ):
            continue  # a union tag or a dict-key marker, not part of the document
        path.append(part)
    return _at(origin, name, tuple(path), _reason(error))


def _reason(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "string_pattern_mismatch":
        return f"{error['input']!r} is not a valid id: use lowercase letters, digits, '_' or '-'"
    message = str(error["msg"])
    return f"{message} (got {error['input']!r})" if kind != "model_type" else message


def _at(origin: Origin, name: str, path: Path_, reason: str) -> Diagnostic:
    for end in range(len(path), 0, -1):
        if path[:end] in origin:
            file, line = origin[path[:end]]
            return Diagnostic(file, line, ".".join(str(p) for p in path), reason)
    return Diagnostic(name, None, ".".join(str(p) for p in path), reason)


def _split(dotted: str) -> Path_:
    return tuple(_segment(s) for s in dotted.split("."))


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files directly in a folder, sorted by file name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))


def scenario_name(path: Path) -> str | None:
    """The `name:` a scenario file declares, or None if the file cannot be read as one."""
    try:
        data, _ = read_yaml(path)
    except ScenarioError:
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None

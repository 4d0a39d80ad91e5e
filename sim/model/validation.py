"""Validating a resolved scenario document: every problem, placed in its file and line."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import Diagnostic, ScenarioError, display_path
from sim.model.checks import check_lever_values, check_scenario
from sim.model.paths import Origin, segment, set_path
from sim.model.schema import ID_PATTERN, Scenario
from sim.model.yamlio import Path_
from sim.text import control_character


def check_policies(
    scenario: Scenario, document: dict[str, Any], origin: Origin, path: Path
) -> dict[str, Scenario]:
    """Each leverage policy's `set` must give a valid scenario when carried out; returns those
    scenarios, by policy, so that the leverage game need not validate them again."""
    if scenario.leverage is None:
        return {}
    problems = []
    variants: dict[str, Scenario] = {}
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
                variants[pid] = validate_document(pressured, dict(origin), path, [])
            except ScenarioError as error:
                reasons = [f"{d.path}: {d.reason}" for d in error.diagnostics]
        problems += [locate(origin, display_path(path), split_path(where), r) for r in reasons]
    if problems:
        raise ScenarioError(problems)
    return variants


def validate_document(
    document: dict[str, Any],
    origin: Origin,
    path: Path,
    pending: list[Diagnostic],
    *,
    new: dict[str, Any] | None = None,
    model: Scenario | None = None,
) -> Scenario:
    """The validated scenario, or a :class:`ScenarioError` with every problem found.

    ``new``: when the document is one already validated with these dotted-path overrides
    applied, only they are scanned for control characters (the rest was scanned at load).
    ``model``: the document's model where the caller has it without validating the whole
    document: a variant of a scenario that passed every check, changing nothing but levers'
    values (:meth:`sim.model.resolve.RawScenario.lever_variant`). Only the checks that read
    levers' values run on it (:func:`sim.model.checks.check_lever_values`).
    """
    if new is None:
        controls = _control_characters(document, origin, path)
    else:
        controls = [
            c
            for dotted, value in new.items()
            for c in _control_characters(value, origin, path, split_path(dotted))
        ]
    if controls:  # refused before anything else echoes the text in a message
        raise ScenarioError([*pending, *controls])
    try:
        scenario = Scenario.model_validate(document) if model is None else model
    except ValidationError as error:
        name = display_path(path)  # only for messages: it resolves the path on the disk
        found = [_pydantic_diagnostic(e, document, origin, name) for e in error.errors()]
        pruned = _without_bad_fields(document, error)
        if pruned is not None:
            reported = [d.path for d in found]
            checks = [(p, r) for p, r in check_scenario(pruned) if not _overlaps(p, r, reported)]
            found += [locate(origin, name, split_path(p), reason) for p, reason in checks]
        raise ScenarioError([*pending, *found]) from None
    checks = check_scenario(scenario) if model is None else check_lever_values(scenario)
    findings = [locate(origin, display_path(path), split_path(p), r) for p, r in checks]
    if pending or findings:
        raise ScenarioError([*pending, *findings])
    return scenario


def _control_characters(
    document: Any, origin: Origin, path: Path, at: Path_ = ()
) -> list[Diagnostic]:
    """Every key and text of the document (found at path ``at`` of the file ``path``) holding
    a control character (see sim/text.py)."""
    problems = []
    stack: list[tuple[Path_, Any]] = [(at, document)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, str):
            reason = control_character(node)
            if reason is not None:
                problems.append(locate(origin, display_path(path), where, f"the text {reason}"))
        elif isinstance(node, dict):
            for key, value in node.items():
                reason = control_character(key) if isinstance(key, str) else None
                if reason is not None:
                    problems.append(locate(origin, display_path(path), where, f"a key {reason}"))
                else:
                    stack.append(((*where, key), value))
        elif isinstance(node, list):
            stack.extend(((*where, i), item) for i, item in enumerate(node))
    return problems


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
    return locate(origin, name, tuple(path), _reason(error))


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


def locate(origin: Origin, name: str, path: Path_, reason: str) -> Diagnostic:
    for end in range(len(path), 0, -1):
        if path[:end] in origin:
            file, line = origin[path[:end]]
            return Diagnostic(file, line, ".".join(str(p) for p in path), reason)
    return Diagnostic(name, None, ".".join(str(p) for p in path), reason)


def split_path(dotted: str) -> Path_:
    return tuple(segment(s) for s in dotted.split("."))

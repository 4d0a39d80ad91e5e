"""Which judgments of a scenario vary, and how: the `uncertainty:` section resolved to fields.

A pattern of ``uncertainty.vary`` (or of ``--vary``) is a dotted path whose segments may hold
``*`` wildcards; it is matched against every leaf of the resolved scenario document. Each
numeric leaf that is a judgment (a weight, a value, a reservation term, a lever, a war
coefficient, ...) has a kind and a valid range, and the drawn values are truncated to it.
Where several entries match one field, ``--vary`` wins over the file, then the pattern with
the fewest wildcards, then the later entry; a ``defaults`` spread applies to every field of its
kind that no entry matches.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from pydantic import ValidationError

from sim.core.distributions import refusal
from sim.errors import Diagnostic, InputError, ScenarioError, display_path
from sim.model.resolve import LoadedScenario
from sim.model.schema import DISTRIBUTIONS, Distribution, Uncertainty
from sim.model.validation import locate

INF = math.inf

SKIPPED = ("name", "title", "description", "extends", "set", "sources", "uncertainty")
"""Top-level sections that are not part of the negotiation."""

FALLBACK = Uncertainty.model_validate(
    {"defaults": {"values": {"jitter": 0.05}, "weights": {"jitter": 0.05}}}
)
"""The spread used when a scenario declares no `uncertainty:` and none is given with --vary:
every option value and every weight within +-0.05 of its stated value."""

_RULES: tuple[tuple[str, str, float, float], ...] = (
    (r"parties\.[^.]+\.weights\.[^.]+", "weights", 0.0, INF),
    (r"parties\.[^.]+\.values\.[^.]+\.[^.]+", "values", 0.0, 1.0),
    (r"parties\.[^.]+\.reservation(\.win|\.lose)?", "reservations", 0.0, 1.0),
    (r"parties\.[^.]+\.reservation\.(cost|cost_growth)(\.base|\.effects\.[^.]+)?", "reservations",
     -INF, INF),
    (r"parties\.[^.]+\.power", "power", 0.0, INF),
    (r"parties\.[^.]+\.discount", "discount", 0.0, 1.0),
    (r"parties\.[^.]+\.interactions\.\d+\.value", "interactions", -1.0, 1.0),
    (r"levers\.[^.]+\.value", "levers", -INF, INF),
    (r"war\.(prevail|drift|beliefs\.[^.]+)(\.base|\.effects\.[^.]+)?", "war", -INF, INF),
    (r"compliance\.(detection|(gain|exposure|penalty)\.[^.]+)", "compliance", 0.0, 1.0),
    (r"compliance\.(detection_options\.[^.]+\.[^.]+|protection\.[^.]+\.[^.]+\.[^.]+)",
     "compliance", 0.0, 1.0),
    (r"leverage\.war\.(win|lose)", "leverage", 0.0, 1.0),
    (r"leverage\.war\.(cost|cost_growth)(\.base|\.effects\.[^.]+)?", "leverage", -INF, INF),
    (r"leverage\.policies\.[^.]+\.value", "leverage", -1.0, 1.0),
    (r"spatial\.actors\.[^.]+\.positions\.[^.]+", "positions", -INF, INF),
    (r"spatial\.actors\.[^.]+\.salience\.[^.]+", "salience", 0.0, 1.0),
    (r"spatial\.actors\.[^.]+\.capability", "capability", 0.0, INF),
)  # fmt: skip
"""(path, kind, lowest, highest valid value) of every field that may vary."""

SPATIAL_KINDS = ("positions", "salience", "capability")
"""Judgments of a spatial reading: drawn by ``sim spatial --draws``; ``sim uncertainty`` on a
scenario with issues leaves them out (they do not enter its analysis)."""


NOT_YET = {
    "leverage": "the leverage game is not part of the Monte Carlo",
}
"""Kinds of judgment the Monte Carlo does not vary yet, and why."""


def judgment_kind(path: str) -> tuple[str, float, float] | None:
    """The kind and valid range of a field, or None if it is not a judgment that may vary.

    Examples
    --------
    >>> judgment_kind("parties.russia.values.nato.neutrality")
    ('values', 0.0, 1.0)
    >>> judgment_kind("war.horizon") is None
    True
    """
    for pattern, kind, low, high in _RULES:
        if re.fullmatch(pattern, path):
            return kind, low, high
    return None


@dataclass(frozen=True)
class Judgment:
    """One field that varies.

    Attributes
    ----------
    path
        Dotted path of the field in the resolved scenario.
    kind
        Kind of judgment (``weights``, ``values``, ...).
    base
        The value the scenario states.
    distribution, parameters
        Distribution name and parameters (absolute: ``jitter`` and ``relative`` are turned
        into ``uniform`` bounds around ``base``).
    low, high
        The field's valid range; draws are truncated to it.
    stream
        Name of the random stream the draw is taken from: the path, or ``group:NAME``.
    declared
        Where the distribution was declared (``vary.PATTERN``, ``defaults.KIND``, ``--vary``).
    """

    path: str
    kind: str
    base: float
    distribution: str
    parameters: tuple[float, ...]
    low: float
    high: float
    stream: str
    declared: str


def leaves(node: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every leaf of a document as (dotted path, value), skipping evidence and titles."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not prefix and key in SKIPPED:
                continue
            if key in ("evidence", "title", "set"):
                continue
            yield from leaves(value, (*prefix, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*prefix, str(i)))
    else:
        yield ".".join(prefix), node


def matches(pattern: str, path: str) -> bool:
    """Whether a dotted pattern (``*`` wildcards within segments) matches a dotted path."""
    wanted = pattern.split(".")
    segments = path.split(".")
    return len(wanted) == len(segments) and all(
        fnmatchcase(s, w) for s, w in zip(segments, wanted, strict=True)
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_vary(items: list[str]) -> dict[str, Distribution]:
    """``PATTERN=NAME:p1,p2`` options (e.g. ``levers.*.value=jitter:0.1``) as distributions.

    Raises
    ------
    InputError
        An item is malformed or its distribution invalid (one message per item).
    """
    found: dict[str, Distribution] = {}
    problems = []
    for item in items:
        pattern, sep, spec = item.partition("=")
        name, colon, numbers = spec.partition(":")
        if not sep or not pattern or not colon:
            problems.append(f"--vary {item!r}: expected PATTERN=DIST:PARAMS (e.g. x.y=jitter:0.1)")
            continue
        try:
            params = [float(p) for p in numbers.split(",")]
        except ValueError:
            problems.append(f"--vary {item!r}: parameters must be numbers")
            continue
        if name not in DISTRIBUTIONS:
            known = ", ".join(DISTRIBUTIONS)
            problems.append(f"--vary {item!r}: unknown distribution {name!r} (known: {known})")
            continue
        value: Any = params[0] if name in ("jitter", "relative") and len(params) == 1 else params
        try:
            found[pattern] = Distribution.model_validate({name: value})
        except ValidationError as error:
            problems += [f"--vary {item!r}: {_reason(e)}" for e in error.errors()]
    if problems:
        raise InputError("\n".join(problems))
    return found


def resolve_judgments(
    loaded: LoadedScenario, extra: dict[str, Distribution] | None = None
) -> tuple[Judgment, ...]:
    """The judgments that vary in a scenario, in document order.

    Raises
    ------
    ScenarioError
        One diagnostic per problem: a pattern matching no numeric judgment, a distribution
        that cannot be truncated to its field's range, a group naming unknown paths.
    """
    declared = loaded.scenario.uncertainty
    extra = extra or {}
    if declared is None:
        declared = Uncertainty() if extra else FALLBACK
    name = display_path(loaded.path)
    problems: list[Diagnostic] = []
    fields = list(leaves(loaded.document))
    variable = {p: _on_scale(loaded, p, judgment_kind(p)) for p, v in fields if _number(v)}
    values = dict(fields)
    chosen: dict[str, tuple[tuple[int, int, int], Distribution, str]] = {}
    entries = [(p, d, f"vary.{p}", 0) for p, d in declared.vary.items()]
    entries += [(p, d, "--vary", 1) for p, d in extra.items()]
    for order, (pattern, distribution, where, rank) in enumerate(entries):
        hits = [p for p, _ in fields if matches(pattern, p)]
        usable = [p for p in hits if variable.get(p) is not None]
        if not usable:
            reason = _no_match(pattern, hits, values)
            if rank:
                problems.append(Diagnostic("--vary", None, pattern, reason))
            else:
                problems.append(
                    locate(loaded.origin, name, ("uncertainty", "vary", pattern), reason)
                )
            continue
        priority = (rank, -pattern.count("*"), order)
        for path in usable:
            if path not in chosen or chosen[path][0] <= priority:
                chosen[path] = (priority, distribution, where)
    judgments: dict[str, Judgment] = {}
    for path, kind_range in variable.items():
        if kind_range is None:
            continue
        kind, low, high = kind_range
        if path in chosen:
            _, distribution, where = chosen[path]
        elif kind in declared.defaults:
            distribution, where = declared.defaults[kind], f"defaults.{kind}"
        else:
            continue
        if kind in NOT_YET:
            judgment, reason = None, f"{kind} judgments cannot vary yet ({NOT_YET[kind]})"
        else:
            judgment, reason = _judgment(
                path, kind, float(values[path]), low, high, distribution, where
            )
        if judgment is None:
            at = ("uncertainty", *where.split(".", 1)) if where != "--vary" else ()
            problems.append(
                locate(loaded.origin, name, at, reason if at[-1] == path else f"{path}: {reason}")
                if at
                else Diagnostic("--vary", None, path, reason)
            )
        else:
            judgments[path] = judgment
    problems += _apply_groups(loaded, declared, judgments, name)
    if problems:
        raise ScenarioError(problems)
    return tuple(judgments.values())


def _on_scale(
    loaded: LoadedScenario, path: str, found: tuple[str, float, float] | None
) -> tuple[str, float, float] | None:
    """A spatial position's valid range is its dimension's scale (docs/spatial.md)."""
    spatial = loaded.scenario.spatial
    if found is None or found[0] != "positions" or spatial is None:
        return found
    dimension = spatial.dimensions.get(path.rsplit(".", 1)[-1])
    return found if dimension is None else ("positions", dimension.scale[0], dimension.scale[1])


def _no_match(pattern: str, hits: list[str], values: dict[str, Any]) -> str:
    if not hits:
        return "matches no field of the scenario"
    numeric = [p for p in hits if _number(values[p])]
    if numeric:
        return f"matches no judgment that can vary ({numeric[0]} is structure, not a judgment)"
    return f"matches no numeric field ({hits[0]} is {values[hits[0]]!r})"


def _judgment(
    path: str, kind: str, base: float, low: float, high: float, dist: Distribution, where: str
) -> tuple[Judgment | None, str]:
    name, params = dist.kind()
    if name == "jitter":
        assert isinstance(params, float)
        name, bounds = "uniform", [base - params, base + params]
    elif name == "relative":
        assert isinstance(params, float)
        spread = abs(base) * params
        name, bounds = "uniform", [base - spread, base + spread]
    else:
        assert isinstance(params, list)
        bounds = list(params)
    if name == "beta" and not (math.isfinite(low) and math.isfinite(high)):
        return None, "beta needs a field with a bounded range; this one is unbounded"
    if name in ("uniform", "triangular") and (bounds[0] > high or bounds[-1] < low):
        return None, (f"{name} {bounds} lies outside the field's valid range [{low}, {high}]")
    reason = refusal(name, tuple(bounds), low, high)
    if reason is not None and name != dist.kind()[0]:  # jitter or relative, made absolute
        return None, f"{dist.kind()[0]} {params:g} around {base:g} gives {reason}"
    if reason is not None:
        return None, reason
    stream = path
    return Judgment(path, kind, base, name, tuple(bounds), low, high, stream, where), ""


def _apply_groups(
    loaded: LoadedScenario, declared: Uncertainty, judgments: dict[str, Judgment], name: str
) -> list[Diagnostic]:
    problems = []
    grouped: dict[str, str] = {}
    for group, spec in declared.groups.items():
        for i, pattern in enumerate(spec.paths):
            hits = [p for p in judgments if matches(pattern, p)]
            where = ("uncertainty", "groups", group, "paths", i)
            if not hits:
                reason = f"{pattern!r} names no varied judgment (give it a distribution in vary)"
                problems.append(locate(loaded.origin, name, where, reason))
            for path in hits:
                if path in grouped and grouped[path] != group:
                    reason = f"{path} is already in group {grouped[path]!r}"
                    problems.append(locate(loaded.origin, name, where, reason))
                    continue
                grouped[path] = group
                old = judgments[path]
                judgments[path] = Judgment(
                    old.path, old.kind, old.base, old.distribution, old.parameters,
                    old.low, old.high, f"group:{group}", old.declared,
                )  # fmt: skip
    return problems


def check_uncertainty(loaded: LoadedScenario) -> list[Diagnostic]:
    """The problems of a scenario's ``uncertainty:`` section as ``sim uncertainty`` would
    find them (for ``sim validate``): every ``vary`` pattern must match a numeric judgment,
    every distribution fit its field's range, every group name varied judgments. None when
    the scenario declares no section."""
    if loaded.scenario.uncertainty is None:
        return []
    try:
        resolve_judgments(loaded)
    except ScenarioError as error:
        return list(error.diagnostics)
    return []


def undrawn_deciding(loaded: LoadedScenario) -> list[str]:
    """Warnings for ``sim validate``: a pattern of ``uncertainty.deciding`` that matches no
    judgment the Monte Carlo draws with a spread of non-zero width, nor a red line it draws
    (``uncertainty.red_lines``)."""
    declared = loaded.scenario.uncertainty
    if declared is None or not declared.deciding:
        return []
    try:
        judgments = resolve_judgments(loaded)
    except ScenarioError:
        return []
    drawn = [
        j.path
        for j in judgments
        if j.distribution != "uniform" or j.parameters[0] != j.parameters[-1]
    ] + list(declared.red_lines)
    return [
        f"uncertainty.deciding.{k}: {pattern} is named as deciding but never drawn (give it a "
        "spread in uncertainty.vary or defaults)"
        for k, pattern in enumerate(declared.deciding)
        if not any(matches(pattern, path) for path in drawn)
    ]


def fixed_judgments(loaded: LoadedScenario) -> list[str]:
    """Warnings for declared spreads that never vary their field (for ``sim validate``): a
    ``relative`` spread of a value of 0 (its width is 0 too), or any other spread of zero
    width, each naming where it was declared, the field and a width that would vary it.
    None when the section does not resolve (its problems are reported instead)."""
    if loaded.scenario.uncertainty is None:
        return []
    try:
        judgments = resolve_judgments(loaded)
    except ScenarioError:
        return []
    warnings = []
    for j in judgments:
        if j.distribution != "uniform" or j.parameters[0] != j.parameters[-1]:
            continue
        why = "a relative spread of a value of 0 is 0" if j.base == 0 else "its width is 0"
        warnings.append(
            f"{j.declared}: {j.path} = {j.base:g} never varies ({why}); give it an absolute "
            f"width (jitter:W) or bounds (uniform:LO,HI)"
        )
    return warnings


def _reason(error: Any) -> str:
    """A pydantic error in words: the validator's own message where one raised it."""
    raised = error.get("ctx", {}).get("error")
    return str(raised) if raised is not None else str(error["msg"])

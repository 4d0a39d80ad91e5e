"""GeniusWeb JSON: domains (``issuesValues``) and ``LinearAdditiveUtilitySpace`` profiles.

A profile gives each issue a weight (``issueWeights``) and each value a utility in [0, 1]
(``issueUtilities`` -> ``DiscreteValueSetUtilities`` -> ``valueUtilities``); utility is the sum
of weight times value utility. The reservation value is the profile's utility of its
``reservationBid``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.formats import inputs
from sim.formats.domain import (
    Domain,
    DomainIssue,
    Profile,
    evenly_spaced,
    linear_terms,
    number_text,
)

MAX_JSON_BYTES = 8 << 20
PROFILE_KEY = "LinearAdditiveUtilitySpace"


def _fail(file: str, where: str, reason: str) -> InputError:
    return InputError(f"{file}: {where}: {reason}")


def read_json(path: Path) -> Any:
    """Parse a JSON file (UTF-8, at most 8 MiB) strictly (:func:`sim.formats.inputs.read_json`)."""
    return inputs.read_json(path, MAX_JSON_BYTES)


def is_geniusweb_domain(data: Any) -> bool:
    """Whether parsed JSON is a GeniusWeb domain (a mapping with ``issuesValues``)."""
    return isinstance(data, dict) and "issuesValues" in data


def _mapping(value: Any, file: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(file, where, f"expected an object, found {type(value).__name__}")
    return value


def _finite(value: Any, file: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(file, where, f"expected a finite number, found {value!r}")
    return float(value)


@dataclass(frozen=True)
class _Range:
    low: float
    high: float
    step: float | None


def _range(spec: dict[str, Any], file: str, where: str) -> _Range:
    low = _finite(spec.get("low"), file, f"{where}.range.low")
    high = _finite(spec.get("high"), file, f"{where}.range.high")
    step = spec.get("step")
    if high <= low:
        raise _fail(file, f"{where}.range", f"high {high} is not above low {low}")
    if step is None:
        return _Range(low, high, None)
    size = _finite(step, file, f"{where}.range.step")
    if size <= 0:
        raise _fail(file, f"{where}.range.step", f"step {size} is not positive")
    return _Range(low, high, size)


def read_geniusweb_domain(data: Any, file: str, discretise: int | None = None) -> Domain:
    """A :class:`Domain` from parsed GeniusWeb domain JSON.

    Raises
    ------
    InputError
        Not a domain, an issue with fewer than two values, a numeric range without
        ``discretise``.
    """
    domain = _mapping(data, file, "domain")
    issues_values = _mapping(domain.get("issuesValues"), file, "issuesValues")
    issues = []
    for name, spec in issues_values.items():
        where = f"issuesValues.{name}"
        spec = _mapping(spec, file, where)
        if "values" in spec:
            values = spec["values"]
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise _fail(file, f"{where}.values", "expected a list of value names")
            if len(values) < 2 or len(set(values)) < len(values):
                raise _fail(file, f"{where}.values", "an issue needs at least 2 distinct values")
            issues.append(DomainIssue(name, tuple(values)))
        elif "range" in spec:
            if discretise is None:
                raise _fail(
                    file,
                    f"{where}.range",
                    "numeric issues are not supported (sim needs discrete options); "
                    "pass --discretise N to use N evenly spaced values",
                )
            bounds = _range(_mapping(spec["range"], file, f"{where}.range"), file, where)
            points = evenly_spaced(bounds.low, bounds.high, discretise, False)
            if bounds.step:
                step = bounds.step
                points = sorted(
                    {
                        float(f"{bounds.low + round((p - bounds.low) / step) * step:.12g}")
                        for p in points
                    }
                )
            if len(points) < 2:
                raise _fail(file, f"{where}.range", "the step leaves fewer than 2 values")
            note = (
                f"{file}: the numeric issue {name!r} ranges over [{number_text(bounds.low)}, "
                f"{number_text(bounds.high)}]; it is discretised to {len(points)} evenly spaced "
                "values (--discretise)."
            )
            issues.append(
                DomainIssue(name, tuple(number_text(p) for p in points), None, None, note)
            )
        else:
            raise _fail(file, where, "neither 'values' nor 'range': not a GeniusWeb value set")
    if not issues:
        raise _fail(file, "issuesValues", "no issues")
    return Domain(str(domain.get("name") or Path(file).stem), file, tuple(issues))


def _value_function(
    spec: Any, issue: DomainIssue, file: str, where: str
) -> dict[str, float] | _Linear:
    spec = _mapping(spec, file, where)
    if "DiscreteValueSetUtilities" in spec:
        if issue.note:
            raise _fail(file, where, "discrete utilities for a numeric issue")
        inner = _mapping(
            spec["DiscreteValueSetUtilities"], file, f"{where}.DiscreteValueSetUtilities"
        )
        utilities = _mapping(inner.get("valueUtilities"), file, f"{where}.valueUtilities")
        options = set(issue.options)
        unknown = [v for v in utilities if v not in options]
        if unknown:
            raise _fail(
                file,
                f"{where}.valueUtilities.{unknown[0]}",
                "not a value of this issue in the domain",
            )
        missing = [o for o in issue.options if o not in utilities]
        if missing:
            raise _fail(
                file, f"{where}.valueUtilities", f"no utility for the domain's value {missing[0]!r}"
            )
        result = {}
        for option in issue.options:
            value = _finite(utilities[option], file, f"{where}.valueUtilities.{option}")
            if not 0 <= value <= 1:
                raise _fail(
                    file, f"{where}.valueUtilities.{option}", f"utility {value} is outside [0, 1]"
                )
            result[option] = value
        return result
    if "NumberValueSetUtilities" in spec:
        if not issue.note:
            raise _fail(file, where, "numeric utilities for a discrete issue")
        inner = _mapping(spec["NumberValueSetUtilities"], file, f"{where}.NumberValueSetUtilities")
        keys = ("lowValue", "lowUtility", "highValue", "highUtility")
        numbers = [
            _finite(inner.get(k), file, f"{where}.NumberValueSetUtilities.{k}") for k in keys
        ]
        line = _Linear(*numbers)
        if line.high_value <= line.low_value:
            raise _fail(file, f"{where}.NumberValueSetUtilities", "highValue is not above lowValue")
        if not (0 <= line.low_utility <= 1 and 0 <= line.high_utility <= 1):
            raise _fail(file, f"{where}.NumberValueSetUtilities", "utilities outside [0, 1]")
        return line
    kind = next(iter(spec), "nothing")
    raise _fail(file, where, f"{kind} is not supported (discrete or numeric value utilities only)")


@dataclass(frozen=True)
class _Linear:
    """GeniusWeb's numeric value utility: linear between two points, flat beyond them."""

    low_value: float
    low_utility: float
    high_value: float
    high_utility: float

    def __call__(self, x: float) -> float:
        share = (min(max(x, self.low_value), self.high_value) - self.low_value) / (
            self.high_value - self.low_value
        )
        return self.low_utility + share * (self.high_utility - self.low_utility)


def profile_domain(data: Any, file: str, discretise: int | None) -> Domain | None:
    """The domain embedded in a GeniusWeb profile, if it has one."""
    body = _body(data, file)
    if "domain" not in body:
        return None
    return read_geniusweb_domain(body["domain"], file, discretise)


def _body(data: Any, file: str) -> dict[str, Any]:
    top = _mapping(data, file, "profile")
    if PROFILE_KEY not in top:
        kind = next(iter(top), "an empty object")
        raise _fail(file, kind, f"not a {PROFILE_KEY} (sim reads linear additive profiles only)")
    return _mapping(top[PROFILE_KEY], file, PROFILE_KEY)


def read_geniusweb_profile(data: Any, file: str, domain: Domain) -> Profile:
    """A :class:`Profile` from parsed GeniusWeb profile JSON over ``domain``.

    Raises
    ------
    InputError
        Not a linear additive space, issues or values that do not match the domain, a missing
        or negative weight, a value utility outside [0, 1], a reservation bid naming unknown
        issues or values.
    """
    body = _body(data, file)
    weight_table = _mapping(body.get("issueWeights"), file, f"{PROFILE_KEY}.issueWeights")
    utilities = _mapping(body.get("issueUtilities"), file, f"{PROFILE_KEY}.issueUtilities")
    known = {i.name for i in domain.issues}
    for key, table in (("issueWeights", weight_table), ("issueUtilities", utilities)):
        extra = [k for k in table if k not in known]
        if extra:
            raise _fail(file, f"{key}.{extra[0]}", f"not an issue of the domain {domain.file}")
    raw_weights = []
    functions = []
    for issue in domain.issues:
        if issue.name not in weight_table:
            raise _fail(file, "issueWeights", f"no weight for the issue {issue.name!r}")
        weight = _finite(weight_table[issue.name], file, f"issueWeights.{issue.name}")
        if weight < 0:
            raise _fail(file, f"issueWeights.{issue.name}", f"weight {weight} is negative")
        raw_weights.append(weight)
        if issue.name not in utilities:
            raise _fail(file, "issueUtilities", f"no utilities for the issue {issue.name!r}")
        functions.append(
            _value_function(utilities[issue.name], issue, file, f"issueUtilities.{issue.name}")
        )
    if sum(raw_weights) <= 0:
        raise _fail(file, "issueWeights", "every weight is zero")
    if not math.isfinite(sum(raw_weights)):
        raise _fail(file, "issueWeights", "the weights sum to more than the largest double")
    rows = []
    notes = []
    for issue, weight, function in zip(domain.issues, raw_weights, functions, strict=True):
        if isinstance(function, _Linear):
            rows.append([function(float(o)) for o in issue.options])
            how = (
                "value utilities linear between (lowValue, lowUtility) and (highValue, highUtility)"
            )
        else:
            rows.append([function[o] for o in issue.options])
            how = "valueUtilities " + ", ".join(
                f"{o}: {number_text(v)}" for o, v in function.items()
            )
        notes.append(f"{file}: issue {issue.name!r}: weight {number_text(weight)}; {how}.")
    weights, values, scaling = linear_terms(raw_weights, rows)
    if scaling:
        notes = [f"{n} {scaling}" for n in notes]
    reservation, reservation_note = _reservation(body, file, domain, raw_weights, functions)
    name = str(body.get("name") or Path(file).stem)
    return Profile(
        name=name,
        file=file,
        weights=weights,
        values=values,
        notes=tuple(notes),
        reservation=reservation,
        reservation_note=reservation_note,
        discount=None,
        discount_note=(
            f"{file}: GeniusWeb profiles carry no discount; sim's default "
            "(0.95 per bargaining period) applies."
        ),
        title=name,
    )


def _reservation(
    body: dict[str, Any],
    file: str,
    domain: Domain,
    weights: list[float],
    functions: list[dict[str, float] | _Linear],
) -> tuple[float, str]:
    bid = body.get("reservationBid")
    if bid is None:
        return 0.0, f"{file} gives no reservationBid; 0 is assumed (no agreement is worth nothing)."
    chosen = _mapping(
        _mapping(bid, file, "reservationBid").get("issuevalues"), file, "reservationBid.issuevalues"
    )
    total = 0.0
    for issue, weight, function in zip(domain.issues, weights, functions, strict=True):
        if issue.name not in chosen:
            raise _fail(
                file, "reservationBid.issuevalues", f"no value for the issue {issue.name!r}"
            )
        value = chosen[issue.name]
        where = f"reservationBid.issuevalues.{issue.name}"
        if isinstance(function, _Linear):
            total += weight * function(_finite(value, file, where))
        elif value in function:
            total += weight * function[value]
        else:
            raise _fail(file, where, f"{value!r} is not a value of this issue")
    utility = total / max(sum(weights), 1.0)
    shown = ", ".join(f"{k}: {v}" for k, v in chosen.items())
    return utility, f"{file}: reservation = this profile's utility of its reservationBid ({shown})."

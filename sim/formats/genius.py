"""Genius XML domains and linear additive profiles (the ANAC domain collection's format).

A domain file is ``<negotiation_template><utility_space><objective>`` holding ``<issue>``
elements with ``<item value=..>`` children; a profile repeats the issues with an
``evaluation`` on every item, a ``<weight index=.. value=..>`` per issue, and optionally
``<reservation value=..>`` and ``<discount_factor value=..>``. An option's value is its
evaluation divided by the largest evaluation of its issue (Genius's normalisation); utility
is the sum of weight times value.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

from sim.errors import InputError, display_path
from sim.formats.domain import (
    Domain,
    DomainIssue,
    Profile,
    evenly_spaced,
    linear_terms,
    number_text,
)
from sim.formats.inputs import strict_number
from sim.formats.xmlsafe import read_xml

NUMERIC = ("integer", "real")
NON_LINEAR_TAGS = ("ufun", "hyperRectangle", "constraint", "nonlinear")


def _fail(file: str, where: str, reason: str) -> InputError:
    return InputError(f"{file}: {where}: {reason}")


def _issue_label(element: ET.Element) -> str:
    return f"<issue name={element.get('name', '?')!r} index={element.get('index', '?')!r}>"


def _number(file: str, where: str, text: str | None) -> float:
    if text is None:
        raise _fail(file, where, "missing")
    value = strict_number(text)
    if value is None:
        raise _fail(file, where, f"{text[:40]!r} is not a finite decimal number")
    return value


def _objective(root: ET.Element, file: str) -> tuple[ET.Element, ET.Element]:
    """The ``<utility_space>`` and its root ``<objective>``; refuse non-linear spaces."""
    space = root if root.tag == "utility_space" else root.find("utility_space")
    if space is None:
        raise _fail(
            file, f"<{root.tag}>", "no <utility_space> element: not a Genius domain or profile"
        )
    kind = (space.get("type") or "").lower()
    if kind and kind not in ("linear", "additive", "linearadditive"):
        raise _fail(
            file, f"<utility_space type={kind!r}>", "only linear additive utility is supported"
        )
    for tag in NON_LINEAR_TAGS:
        found = space.find(f".//{tag}")
        if found is not None:
            raise _fail(
                file,
                f"<{tag}>",
                "non-linear utility is not supported (sim needs a linear additive profile)",
            )
    objective = space.find("objective")
    if objective is None:
        raise _fail(file, "<utility_space>", "no <objective> element")
    nested = objective.find("objective")
    if nested is not None:
        name = nested.get("name", "?")
        raise _fail(file, f"<objective name={name!r}>", "nested objectives are not supported")
    return space, objective


def _kind(issue: ET.Element) -> str:
    for attribute in ("type", "etype", "vtype"):
        value = issue.get(attribute)
        if value:
            return value.lower()
    return "discrete"


def _bounds(issue: ET.Element, file: str) -> tuple[float, float]:
    holder = issue.find("range")
    source = holder if holder is not None else issue
    where = _issue_label(issue)
    low = _number(file, f"{where} lowerbound", source.get("lowerbound"))
    high = _number(file, f"{where} upperbound", source.get("upperbound"))
    if high <= low:
        raise _fail(file, where, f"upperbound {high} is not above lowerbound {low}")
    return low, high


def _domain_issue(element: ET.Element, file: str, discretise: int | None) -> DomainIssue:
    name = element.get("name")
    where = _issue_label(element)
    if not name:
        raise _fail(file, where, "issue has no name")
    kind = _kind(element)
    title = element.get("description") or None
    if kind in NUMERIC:
        if discretise is None:
            raise _fail(
                file,
                where,
                f"{kind} issues are not supported (sim needs discrete options); "
                "pass --discretise N to use N evenly spaced values",
            )
        low, high = _bounds(element, file)
        points = evenly_spaced(low, high, discretise, kind == "integer")
        if len(points) < 2:
            raise _fail(file, where, f"the range [{low}, {high}] holds fewer than 2 integers")
        note = (
            f"{file}: the {kind} issue {name!r} ranges over [{number_text(low)}, "
            f"{number_text(high)}]; it is discretised to {len(points)} evenly spaced values "
            "(--discretise)."
        )
        return DomainIssue(name, tuple(number_text(p) for p in points), title, None, note)
    if kind != "discrete":
        raise _fail(file, where, f"issue type {kind!r} is not supported")
    items = element.findall("item")
    options = tuple(item.get("value") or "" for item in items)
    if len(options) < 2:
        raise _fail(file, where, f"has {len(options)} items; an issue needs at least 2")
    if "" in options:
        raise _fail(file, where, "an <item> has no value attribute")
    if len(set(options)) < len(options):
        raise _fail(file, where, "two items have the same value")
    descriptions = tuple(item.get("description") or None for item in items)
    return DomainIssue(name, options, title, descriptions)


def _issues(objective: ET.Element, file: str) -> list[ET.Element]:
    elements = objective.findall("issue")
    if not elements:
        raise _fail(file, "<objective>", "no <issue> elements")
    return elements


def read_genius_domain(path: Path, discretise: int | None = None) -> Domain:
    """Read a Genius domain file (``<negotiation_template>``).

    Parameters
    ----------
    path
        The domain XML file.
    discretise
        Number of evenly spaced values for integer and real issues; ``None`` refuses them.

    Raises
    ------
    InputError
        Malformed or hostile XML, non-linear utility, numeric issues without ``discretise``,
        issues with fewer than two items, repeated names.
    """
    file = display_path(path)
    _, objective = _objective(read_xml(path), file)
    issues = [_domain_issue(e, file, discretise) for e in _issues(objective, file)]
    names = [i.name for i in issues]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _fail(file, f"<issue name={repeated[0]!r}>", "issue name used twice")
    name = objective.get("name")
    title = objective.get("description") or None
    return Domain(name if name and name != "root" else path.stem, file, tuple(issues), title)


def _discrete_evaluations(element: ET.Element, issue: DomainIssue, file: str) -> list[float]:
    where = _issue_label(element)
    by_value: dict[str, float] = {}
    options = set(issue.options)
    for item in element.findall("item"):
        value = item.get("value") or ""
        if value not in options:
            raise _fail(
                file, f"{where} <item value={value!r}>", "not an item of this issue in the domain"
            )
        if value in by_value:
            raise _fail(file, f"{where} <item value={value!r}>", "the item is given twice")
        evaluation = _number(
            file, f"{where} <item value={value!r}> evaluation", item.get("evaluation")
        )
        if evaluation < 0:
            raise _fail(
                file, f"{where} <item value={value!r}>", f"evaluation {evaluation} is negative"
            )
        by_value[value] = evaluation
    missing = [o for o in issue.options if o not in by_value]
    if missing:
        raise _fail(file, where, f"no evaluation for the domain's item {missing[0]!r}")
    return [by_value[o] for o in issue.options]


def _numeric_evaluations(element: ET.Element, issue: DomainIssue, file: str) -> list[float]:
    where = _issue_label(element)
    evaluator = element.find("evaluator")
    if evaluator is None:
        raise _fail(file, where, "no <evaluator> for this numeric issue")
    ftype = (evaluator.get("ftype") or "").lower()
    if ftype != "linear":
        raise _fail(
            file, f"{where} <evaluator ftype={ftype!r}>", "only linear evaluators are supported"
        )
    slope = _number(file, f"{where} <evaluator> slope", evaluator.get("slope"))
    offset = _number(file, f"{where} <evaluator> offset", evaluator.get("offset"))
    values = [offset + slope * float(o) for o in issue.options]
    if min(values) < 0 or max(values) > 1:
        raise _fail(
            file,
            f"{where} <evaluator>",
            f"offset + slope * x leaves [0, 1] on the range ({min(values):g} to {max(values):g})",
        )
    return values


def _unique(
    elements: list[ET.Element], key: str, tag: str, file: str
) -> dict[str | None, ET.Element]:
    """Elements by an attribute that must not repeat (a repeated one would silently win)."""
    found: dict[str | None, ET.Element] = {}
    for element in elements:
        value = element.get(key)
        if value in found:
            raise _fail(file, f"<{tag} {key}={value!r}>", f"two <{tag}> elements have this {key}")
        found[value] = element
    return found


def read_genius_profile(path: Path, domain: Domain) -> Profile:
    """Read a Genius linear additive profile over ``domain``.

    Option values are evaluations divided by the issue's largest evaluation (for a
    discretised numeric issue, the linear evaluator ``offset + slope * x``). Weights are read
    as Genius uses them, ``u = sum weight * value``: weights summing to more than 1 are
    normalised; weights summing to less than 1 are kept (the values are scaled by their sum,
    so that sim's normalised weights give the same utility).

    Raises
    ------
    InputError
        The issues or items do not match the domain, an evaluation is negative, an issue's
        evaluations are all zero, a weight is missing or negative, a reservation is outside
        [0, 1], non-linear utility.
    """
    file = display_path(path)
    space, objective = _objective(read_xml(path), file)
    elements = _unique(objective.findall("issue"), "name", "issue", file)
    known = {i.name for i in domain.issues}
    extra = [n for n in elements if n not in known]
    if extra:
        raise _fail(file, f"<issue name={extra[0]!r}>", f"not an issue of the domain {domain.file}")
    weights_by_index = _unique(objective.findall("weight"), "index", "weight", file)
    raw_weights: list[float] = []
    evaluations: list[list[float]] = []
    for issue in domain.issues:
        element = elements.get(issue.name)
        if element is None:
            raise _fail(file, "<objective>", f"no <issue> for the domain's issue {issue.name!r}")
        where = _issue_label(element)
        weight_element = weights_by_index.get(element.get("index"))
        if weight_element is None:
            raise _fail(file, where, f"no <weight index={element.get('index')!r}> for this issue")
        value = _number(
            file, f"<weight index={element.get('index')!r}> value", weight_element.get("value")
        )
        if value < 0:
            raise _fail(
                file, f"<weight index={element.get('index')!r}>", f"weight {value} is negative"
            )
        raw_weights.append(value)
        if issue.note:
            evaluations.append(_numeric_evaluations(element, issue, file))
            continue
        row = _discrete_evaluations(element, issue, file)
        if max(row) <= 0:
            raise _fail(
                file, where, "every evaluation is zero (an issue needs one positive evaluation)"
            )
        evaluations.append(row)
    if sum(raw_weights) <= 0:
        raise _fail(file, "<objective>", "every weight is zero")
    if not math.isfinite(sum(raw_weights)):
        raise _fail(file, "<objective>", "the weights sum to more than the largest double")
    rows = []
    notes = []
    for issue, weight, row in zip(domain.issues, raw_weights, evaluations, strict=True):
        if issue.note:
            rows.append(row)
            how = "values offset + slope * x from the linear evaluator"
        else:
            top = max(row)
            rows.append([e / top for e in row])
            listed = ", ".join(
                f"{o}: {number_text(e)}" for o, e in zip(issue.options, row, strict=True)
            )
            how = f"values = evaluations ({listed}) / {number_text(top)}"
        notes.append(f"{file}: issue {issue.name!r}: weight {number_text(weight)}; {how}.")
    weights, values, scaling = linear_terms(raw_weights, rows)
    if scaling:
        notes = [f"{n} {scaling}" for n in notes]
    reservation, reservation_note = _reservation(space, file)
    discount, discount_note = _discount(space, file)
    return Profile(
        name=path.stem,
        file=file,
        weights=weights,
        values=values,
        notes=tuple(notes),
        reservation=reservation,
        reservation_note=reservation_note,
        discount=discount,
        discount_note=discount_note,
        title=path.name,
    )


def _reservation(space: ET.Element, file: str) -> tuple[float, str]:
    element = space.find("reservation")
    if element is None:
        return 0.0, f"{file} gives no <reservation>; 0 is assumed (no agreement is worth nothing)."
    value = _number(file, "<reservation> value", element.get("value"))
    if not 0 <= value <= 1:
        raise _fail(file, "<reservation>", f"value {value} is outside [0, 1]")
    return value, f"{file}: <reservation value={number_text(value)}>."


def _discount(space: ET.Element, file: str) -> tuple[float | None, str]:
    element = space.find("discount_factor")
    default = "sim's default discount (0.95 per bargaining period) applies"
    if element is None:
        return None, f"{file} gives no <discount_factor>; {default}."
    value = _number(file, "<discount_factor> value", element.get("value"))
    if 0 < value < 1:
        return value, (
            f"{file}: <discount_factor value={number_text(value)}>; Genius discounts over the "
            "negotiation's normalised time, sim applies the factor per bargaining period."
        )
    return (
        None,
        f"{file}: <discount_factor value={number_text(value)}> means no discounting; {default}.",
    )

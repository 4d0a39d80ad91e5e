"""``sim export genius``: a scenario as a Genius domain file and one profile per party.

Genius divides each evaluation by its issue's largest, so a party's values on an issue are
written as ``v / m`` (``m`` its largest value there) and its weight as ``w * m`` (weights
normalised first): weight times normalised evaluation is then the party's own term
``w * v``, and utilities come back the same for every bundle. A value of 0 is written as
evaluation 0 (Genius refuses only negative evaluations); an issue a party does not weigh, or
values at 0 throughout, is written with weight 0 and evaluation 1 for every item, so that no
issue has only zero evaluations. A party whose best values are below 1 gets weights summing
to less than 1 (its best bundle is worth less than 1, as in the scenario).
"""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from sim.compile import reservation_value
from sim.errors import InputError, display_path
from sim.model.schema import Party, Scenario
from sim.writing import write_atomic


@dataclass(frozen=True)
class ExportResult:
    """The files written and what the Genius format could not carry."""

    domain: Path
    profiles: tuple[Path, ...]
    notes: tuple[str, ...]


def _number(value: float) -> str:
    return repr(float(value))


def _objective(space: ET.Element, scenario: Scenario) -> ET.Element:
    """The root objective, named after the scenario (its title as the description)."""
    attributes = {"index": "0", "name": scenario.name, "type": "objective", "etype": "objective"}
    if scenario.title:
        attributes["description"] = scenario.title
    return ET.SubElement(space, "objective", attributes)


def _space(parent: ET.Element | None, scenario: Scenario) -> ET.Element:
    count = str(len(scenario.issues))
    if parent is None:
        return ET.Element("utility_space", number_of_issues=count)
    return ET.SubElement(parent, "utility_space", number_of_issues=count)


def _issue(objective: ET.Element, index: int, issue_id: str, scenario: Scenario) -> ET.Element:
    attributes = {
        "index": str(index),
        "name": issue_id,
        "type": "discrete",
        "etype": "discrete",
        "vtype": "discrete",
    }
    title = scenario.issues[issue_id].title
    if title:
        attributes["description"] = title
    return ET.SubElement(objective, "issue", attributes)


def domain_xml(scenario: Scenario) -> ET.Element:
    """The Genius domain (``<negotiation_template>``) of a scenario's issues and options."""
    root = ET.Element("negotiation_template")
    objective = _objective(_space(root, scenario), scenario)
    for index, (issue_id, issue) in enumerate(scenario.issues.items(), start=1):
        element = _issue(objective, index, issue_id, scenario)
        for item, (option, description) in enumerate(issue.options.items(), start=1):
            attributes = {"index": str(item), "value": option}
            if description:
                attributes["description"] = description
            ET.SubElement(element, "item", attributes)
    return root


def profile_xml(scenario: Scenario, party_id: str) -> ET.Element:
    """A party's linear additive Genius profile: weights, evaluations, reservation, discount.

    Raises
    ------
    InputError
        The party has interaction terms (not linear additive) or values 0 on every issue it
        weighs (Genius has no all-zero profile).
    """
    party = scenario.parties[party_id]
    if party.interactions:
        raise InputError(
            f"{scenario.name}: parties.{party_id}.interactions: Genius profiles are linear "
            "additive; a scenario with interaction terms cannot be exported"
        )
    root = _space(None, scenario)
    objective = _objective(root, scenario)
    weights = _genius_weights(scenario, party_id, party)
    for index, (issue_id, issue) in enumerate(scenario.issues.items(), start=1):
        element = _issue(objective, index, issue_id, scenario)
        values = [party.values.get(issue_id, {}).get(o, 0.0) for o in issue.options]
        top = max(values)
        for item, option in enumerate(issue.options, start=1):
            evaluation = values[item - 1] / top if weights[issue_id] > 0 else 1.0
            ET.SubElement(
                element, "item", index=str(item), value=option, evaluation=_number(evaluation)
            )
    for index, issue_id in enumerate(scenario.issues, start=1):
        ET.SubElement(objective, "weight", index=str(index), value=_number(weights[issue_id]))
    reservation = reservation_value(scenario, party_id)
    if not math.isnan(reservation):
        ET.SubElement(root, "reservation", value=_number(reservation))
    ET.SubElement(root, "discount_factor", value=_number(party.discount))
    return root


def _genius_weights(scenario: Scenario, party_id: str, party: Party) -> dict[str, float]:
    total = sum(party.weights.values())
    weights = {}
    for issue_id, issue in scenario.issues.items():
        values = [party.values.get(issue_id, {}).get(o, 0.0) for o in issue.options]
        weights[issue_id] = party.weights.get(issue_id, 0.0) / total * max(values)
    if not any(w > 0 for w in weights.values()):
        raise InputError(
            f"{scenario.name}: parties.{party_id}.values: every weighted issue is valued 0 "
            "throughout; Genius cannot represent a utility that is 0 everywhere"
        )
    return weights


def _lost(scenario: Scenario) -> list[str]:
    notes = []
    for party_id, party in scenario.parties.items():
        for line in party.red_lines:
            options = ", ".join(line.options)
            notes.append(
                f"{party_id}: red line on {line.issue} ({options}) not exported (Genius has none)"
            )
        if not party.veto:
            notes.append(f"{party_id}: no veto in the scenario; Genius profiles have no veto flag")
        if party.consent is not None:
            terms = ", ".join(party.consent.terms)
            notes.append(
                f"{party_id}: consent over {terms} not exported (Genius has no consent: the "
                "profile reads as one party's preferences, with no say over any bundle)"
            )
        if party.power != 1.0:
            notes.append(f"{party_id}: bargaining power {party.power} not exported")
        if party.reservation is not None and not isinstance(party.reservation, float | int):
            value = reservation_value(scenario, party_id)
            notes.append(f"{party_id}: war-derived reservation exported as its value {value:.6g}")
    return notes


def _write(root: ET.Element, path: Path, force: bool) -> None:
    ET.indent(root)
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="UTF-8", xml_declaration=True)
    write_atomic(path, buffer.getvalue(), overwrite=force)


def export_genius(scenario: Scenario, folder: Path, *, force: bool = False) -> ExportResult:
    """Write ``<name>.domain.xml`` and ``<party>.xml`` for every party into ``folder``.

    Importing them back (:func:`sim.formats.convert.import_genius`) gives every party the same
    utility for every bundle (within float rounding) and the same reservation values; red
    lines, vetoes and bargaining power are not part of the Genius format (see the notes).

    Raises
    ------
    InputError
        A file exists and ``force`` is not set, or a party cannot be written
        (:func:`profile_xml`).
    """
    domain_path = folder / f"{scenario.name}.domain.xml"
    paths = [folder / f"{party}.xml" for party in scenario.parties]
    existing = [p for p in (domain_path, *paths) if p.exists()]
    if existing and not force:
        raise InputError(f"{display_path(existing[0])}: file exists; pass --force to overwrite it")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{display_path(folder)}: exists and is not a folder; give a folder")
    profiles = [profile_xml(scenario, party) for party in scenario.parties]
    _write(domain_xml(scenario), domain_path, force)
    for root, path in zip(profiles, paths, strict=True):
        _write(root, path, force)
    return ExportResult(domain_path, tuple(paths), tuple(_lost(scenario)))

"""What the Genius and GeniusWeb readers produce, and how it becomes a scenario document.

Both readers turn their files into a :class:`Domain` and one :class:`Profile` per party, in
utility terms (``u(b) = sum_k weights[k] * values[k][b_k]``); :func:`scenario_document` maps
names to sim identifiers and writes every number with an assumption naming its file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.errors import InputError
from sim.text import control_character

_NOT_ID = re.compile(r"[^a-z0-9_-]")
WEIGHT_SUM_TOL = 1e-9


@dataclass(frozen=True)
class DomainIssue:
    """One discrete issue: its name in the file and its values, in file order."""

    name: str
    options: tuple[str, ...]
    title: str | None = None
    descriptions: tuple[str | None, ...] | None = None
    note: str = ""


@dataclass(frozen=True)
class Domain:
    """The issues of a negotiation domain and the file they come from."""

    name: str
    file: str
    issues: tuple[DomainIssue, ...]
    title: str | None = None


@dataclass(frozen=True)
class Profile:
    """A linear additive utility function over a :class:`Domain`.

    ``weights`` sum to 1 and ``values[k][o]`` lie in [0, 1]: the party's utility of a bundle
    is ``sum_k weights[k] * values[k][b_k]``. ``notes[k]`` says where issue k's numbers come
    from; ``reservation_note`` and ``discount_note`` the same for those numbers.
    """

    name: str
    file: str
    weights: tuple[float, ...]
    values: tuple[tuple[float, ...], ...]
    notes: tuple[str, ...]
    reservation: float
    reservation_note: str
    discount: float | None
    discount_note: str
    title: str | None = None


def identifiers(names: Iterable[str], fallback: str) -> list[str]:
    """Map names to distinct sim identifiers (``[a-z0-9_-]+``), deterministically.

    Lowercase; every other character becomes ``_``; an empty result becomes ``fallback``; a
    repeat gets ``_2``, ``_3``... (the first unused suffix), in order of appearance.

    Examples
    --------
    >>> identifiers(["Food", "food", "Drinks & Snacks", ""], "issue")
    ['food', 'food_2', 'drinks___snacks', 'issue']
    """
    taken: set[str] = set()
    result = []
    for name in names:
        base = _NOT_ID.sub("_", name.strip().lower()) or fallback
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(candidate)
        result.append(candidate)
    return result


def evenly_spaced(low: float, high: float, count: int, integer: bool) -> list[float]:
    """``count`` evenly spaced points of [low, high] (rounded and de-duplicated for integers),
    to 12 significant digits.

    Examples
    --------
    >>> evenly_spaced(0.0, 1.0, 3, False)
    [0.0, 0.5, 1.0]
    >>> evenly_spaced(1, 4, 3, True)
    [1.0, 2.0, 4.0]
    """
    points = np.linspace(low, high, count)
    if integer:
        points = np.unique(np.round(points))
    return [float(f"{p:.12g}") for p in points]  # 0.30000000000000004 reads 0.3


def linear_terms(
    raw_weights: Sequence[float], rows: Sequence[Sequence[float]]
) -> tuple[tuple[float, ...], tuple[tuple[float, ...], ...], str]:
    """Weights normalised to sum 1 and values that keep ``sum raw_weight * row`` as it is.

    Weights summing to less than 1 are kept as written (the best bundle is worth their sum):
    the values are scaled by that sum. Weights summing to more than 1 are normalised.
    Returns the weights, the values and a sentence saying which of the two happened ("" if
    the weights sum to 1 within 1e-9).

    Examples
    --------
    >>> weights, values, note = linear_terms([0.3, 0.2], [[1.0, 0.0], [0.5, 1.0]])
    >>> weights, values
    ((0.6, 0.4), ((0.5, 0.0), (0.25, 0.5)))
    >>> note
    'The weights sum to 0.5, so every value is scaled by it.'
    """
    total = float(sum(raw_weights))
    scale = total if total < 1 - WEIGHT_SUM_TOL else 1.0
    weights = tuple(float(w) / total for w in raw_weights)
    values = tuple(tuple(scale * float(v) for v in row) for row in rows)
    if scale != 1.0:
        note = f"The weights sum to {number_text(total)}, so every value is scaled by it."
    elif abs(total - 1) > WEIGHT_SUM_TOL:
        note = f"The weights sum to {number_text(total)} and are normalised to 1."
    else:
        note = ""
    return weights, values, note


def number_text(value: float) -> str:
    """A number as short as it reads exactly (``0.5``, ``2``)."""
    as_float = float(value)
    return str(int(as_float)) if as_float.is_integer() else repr(as_float)


def scenario_document(domain: Domain, profiles: Sequence[Profile], name: str) -> dict[str, object]:
    """A scenario document (plain data, ready for YAML) for ``domain`` and ``profiles``.

    Every profile is a veto party with its reservation value; each issue's weight and values
    carry an assumption naming the profile's file.
    """
    issue_ids = identifiers((i.name for i in domain.issues), "issue")
    issues: dict[str, object] = {}
    option_ids: list[list[str]] = []
    for issue_id, issue in zip(issue_ids, domain.issues, strict=True):
        ids = identifiers(issue.options, "option")
        option_ids.append(ids)
        descriptions = issue.descriptions or (None,) * len(ids)
        issues[issue_id] = {
            "title": issue.title or issue.name,
            "options": {
                o: (d or original)
                for o, d, original in zip(ids, descriptions, issue.options, strict=True)
            },
        }
    parties: dict[str, object] = {}
    party_ids = identifiers((p.name for p in profiles), "party")
    for party_id, profile in zip(party_ids, profiles, strict=True):
        evidence: dict[str, list[dict[str, str]]] = {}
        for issue_id, issue, note in zip(issue_ids, domain.issues, profile.notes, strict=True):
            items = [{"assumption": note}]
            if issue.note:
                items.append({"assumption": issue.note})
            evidence[issue_id] = items
        evidence["reservation"] = [{"assumption": profile.reservation_note}]
        evidence["discount"] = [{"assumption": profile.discount_note}]
        party: dict[str, object] = {"title": profile.title or profile.name, "veto": True}
        if profile.discount is not None:
            party["discount"] = profile.discount
        party["reservation"] = profile.reservation
        party["weights"] = dict(zip(issue_ids, profile.weights, strict=True))
        party["values"] = {
            issue_id: dict(zip(ids, row, strict=True))
            for issue_id, ids, row in zip(issue_ids, option_ids, profile.values, strict=True)
        }
        party["evidence"] = evidence
        parties[party_id] = party
    files = ", ".join(p.file for p in profiles)
    return {
        "name": name,
        "title": domain.title or domain.name,
        "description": f"Imported from the domain {domain.file} and the profiles {files}.",
        "issues": issues,
        "parties": parties,
    }


def refuse_control_characters(domain: Domain, profiles: Sequence[Profile]) -> None:
    """Refuse a domain or profile whose text holds a control character (see sim/text.py),
    naming the file and the field.

    Raises
    ------
    InputError
        The first such text found.
    """
    fields: list[tuple[str, str, str | None]] = [
        (domain.file, "domain name", domain.name),
        (domain.file, "domain title", domain.title),
    ]
    for number, issue in enumerate(domain.issues, 1):
        where = f"issue {number}"
        fields += [(domain.file, f"{where} name", issue.name)]
        fields += [(domain.file, f"{where} title", issue.title)]
        fields += [(domain.file, f"{where} value {i}", o) for i, o in enumerate(issue.options, 1)]
        fields += [
            (domain.file, f"{where} value {i} description", d)
            for i, d in enumerate(issue.descriptions or (), 1)
        ]
    for profile in profiles:
        fields += [(profile.file, "profile name", profile.name)]
        fields += [(profile.file, "profile title", profile.title)]
    for file, field, text in fields:
        reason = control_character(text) if text is not None else None
        if reason is not None:
            raise InputError(f"{file}: {field}: {reason}")

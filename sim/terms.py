"""Parsing `issue=option,...` terms given on the command line."""

from __future__ import annotations

from sim.errors import InputError


def parse_terms(text: str, option: str) -> dict[str, str]:
    """``"nato=neutrality,dmz=dmz"`` as a mapping; a malformed item raises InputError.

    Examples
    --------
    >>> parse_terms("nato=neutrality, dmz=dmz", "--bundle")
    {'nato': 'neutrality', 'dmz': 'dmz'}
    """
    terms: dict[str, str] = {}
    for item in text.split(","):
        issue, sep, choice = (part.strip() for part in item.partition("="))
        if not sep or not issue or not choice:
            raise InputError(f"{option}: {item.strip()!r} is not issue=option")
        if issue in terms:
            raise InputError(f"{option}: issue {issue!r} given twice")
        terms[issue] = choice
    return terms

"""Counts in words: the one place that decides "1 scenario" against "2 scenarios"."""

from __future__ import annotations

IRREGULAR = {"party": "parties", "equilibrium": "equilibria", "analysis": "analyses"}
"""Plurals that are not the word plus ``s``."""


def plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is one; thousands
    are separated by commas.

    Examples
    --------
    >>> plural(1, "scenario"), plural(7, "scenario"), plural(1, "party"), plural(3, "party")
    ('1 scenario', '7 scenarios', '1 party', '3 parties')
    >>> plural(0, "draw"), plural(2000, "draw"), plural(2, "equilibrium")
    ('0 draws', '2,000 draws', '2 equilibria')
    """
    word = noun if count == 1 else IRREGULAR.get(noun, noun + "s")
    return f"{count:,} {word}"

"""Bundles as terms where space is short: only the issues that differ from a reference bundle.

A full bundle of the case is twelve ``issue=option`` pairs (some 250 characters). Where a line
has room for less, the terminal shows a bundle against a reference the reader has already seen
(the Nash bundle, the first deal, the run's earlier value): ``the nash terms except
kursk=returned [was held]``; each changed issue is marked by the option it replaced, in brackets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

MAX_CHANGES = 4
"""More changed issues than this and a bundle is shown in full rather than against a reference."""


def changed_issues(
    terms: Mapping[str, str], reference: Mapping[str, str]
) -> list[tuple[str, str | None, str]]:
    """The issues whose option differs from the reference: (issue, reference option or None
    when the reference lacks the issue, option), in the bundle's order.

    Examples
    --------
    >>> changed_issues({"nato": "neutrality", "kursk": "returned"},
    ...                {"nato": "neutrality", "kursk": "held"})
    [('kursk', 'held', 'returned')]
    """
    return [
        (issue, reference.get(issue), option)
        for issue, option in terms.items()
        if reference.get(issue) != option
    ]


def marked_changes(terms: Mapping[str, str], reference: Mapping[str, str]) -> str:
    """The changed issues, each marked with the option it replaced; ``same terms`` if none.

    Examples
    --------
    >>> marked_changes({"a": "x", "b": "y", "c": "z"}, {"a": "x", "b": "w", "c": "v"})
    'b=y [was w]; c=z [was v]'
    >>> marked_changes({"a": "x"}, {"a": "x"})
    'same terms'
    """
    changed = changed_issues(terms, reference)
    if not changed:
        return "same terms"
    return "; ".join(
        f"{issue}={option} [was {before}]" if before is not None else f"{issue}={option} [new]"
        for issue, before, option in changed
    )


def against(
    terms: Mapping[str, str],
    references: Sequence[tuple[str, Mapping[str, str]]],
    limit: int = MAX_CHANGES,
) -> str | None:
    """The bundle against the closest of ``references`` (name, terms): ``the nash terms``
    or ``the nash terms except ...``; None when every reference differs in more than ``limit``
    issues (show the bundle in full then).

    Examples
    --------
    >>> nash = {"nato": "neutrality", "kursk": "held", "dmz": "dmz"}
    >>> against(nash, [("nash", nash)])
    'the nash terms'
    >>> against({**nash, "kursk": "returned"}, [("nash", nash)])
    'the nash terms except kursk=returned [was held]'
    >>> against({"nato": "open", "kursk": "returned", "dmz": "none"}, [("nash", nash)], 2) is None
    True
    """
    best: tuple[int, str, Mapping[str, str]] | None = None
    for name, reference in references:
        count = len(changed_issues(terms, reference))
        if best is None or count < best[0]:
            best = (count, name, reference)
    if best is None or best[0] > limit:
        return None
    count, name, reference = best
    if count == 0:
        return f"the {name} terms"
    return f"the {name} terms except {marked_changes(terms, reference)}"

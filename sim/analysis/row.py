"""One row of an outcome table (`outcomes.csv`): the headline metrics of a typed outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sim.analysis.games import games_row, text_columns
from sim.analysis.numbers import rounded
from sim.analysis.outcome import Outcome
from sim.analysis.talks_document import talks_row

COUNT_COLUMNS = ("bundles", "feasible", "acceptable", "frontier_size", "point", "failed")
FLAG_COLUMNS = ("acceptable_exact", "commitment_problem")
TEXT_COLUMNS = ("scenario", "error")
"""A run's own columns of words (the games' are each game's ``columns``)."""


def column_kind(name: str) -> str:
    """What a column of an outcome table holds: ``"count"`` (whole numbers), ``"flag"``
    (true/false), ``"text"`` (words: bundles, consent, verdicts, choices) or ``"number"``.

    The one declaration of the table's columns that `load_run`, the sweep figures and the
    report read (beside :func:`outcome_row`, which writes them). ``point``, ``failed``,
    ``scenario`` and ``error`` are a run's own columns; ``<protocol>_self_enforcing`` the
    per-protocol verdicts `load_run` derives from ``self_enforcing``.

    Examples
    --------
    >>> [column_kind(c) for c in ("acceptable", "nash_bundle", "nash_a", "commitment_problem")]
    ['count', 'text', 'number', 'flag']
    """
    if name in COUNT_COLUMNS or name.endswith("_period"):
        return "count"
    if name in FLAG_COLUMNS or name.endswith("_self_enforcing"):
        return "flag"
    if name in TEXT_COLUMNS or name in text_columns() or name.endswith(("_bundle", "_consent")):
        return "text"
    return "text" if name.startswith("proposal_") else "number"


def column_party(name: str, parties: Sequence[str], rules: Sequence[str]) -> str | None:
    """The party a column of the outcome table belongs to: ``reservation_<party>`` and each
    solution's ``<key>_<party>`` (``rules``: the solutions' keys), as :func:`outcome_row`
    writes them; None for every other column. A column is never given a party by its suffix
    alone: with a party named ``share``, ``zopa_share`` is still nobody's.

    >>> [column_party(c, ["a", "share"], ["nash"]) for c in ("nash_a", "zopa_share", "nash_share")]
    ['a', None, 'share']
    """
    for prefix in ("reservation", *rules):
        party = name[len(prefix) + 1 :] if name.startswith(prefix + "_") else None
        if party in parties:
            return party
    return None


def table_schema(
    columns: Sequence[str], parties: Sequence[str], rules: Sequence[str]
) -> list[dict[str, str | None]]:
    """The declared columns of an outcome table, stored in its run folder's manifest
    (``columns``): each column's name, kind (:func:`column_kind`) and party
    (:func:`column_party`), which `load_run` reads instead of guessing."""
    return [
        {"name": c, "kind": column_kind(c), "party": column_party(c, parties, rules)}
        for c in columns
    ]


def outcome_row(outcome: Outcome) -> dict[str, Any]:
    """The headline metrics of one scenario, as one row of an outcome table.

    Columns: the space counts; each veto party's (and consent holder's) reservation; per
    solution its bundle in words, with consent whose consent beyond the veto parties it needs
    (``<key>_consent``), and every party's utility; per bargaining protocol the agreement
    period and terms; whether each agreed bundle is self-enforcing; the leverage game's choice
    and credible threats; per named proposal its verdict.
    """
    space = outcome.space
    row: dict[str, Any] = {
        "bundles": space.bundles,
        "feasible": space.feasible,
        "acceptable": space.acceptable,
        "acceptable_exact": space.exact,
        "zopa_share": space.share,
        "frontier_size": outcome.frontier_size,
    }
    for party, value in zip(outcome.judges, outcome.reservations, strict=True):
        row[f"reservation_{party}"] = rounded(value)
    for solution in outcome.solutions:
        key, point = solution.rule.key, solution.point
        row[f"{key}_bundle"] = None if point is None else point.bundle.words()
        if outcome.consent_parties:
            row[f"{key}_consent"] = None if point is None else " ".join(point.consent)
        for j, party in enumerate(outcome.parties):
            row[f"{key}_{party}"] = None if point is None else rounded(point.utilities[j])
    for result in outcome.bargaining.results:
        row[f"{result.column}_period"] = result.agreement_period
        row[f"{result.column}_bundle"] = None if result.agreed is None else result.agreed.words()
    row.update(games_row(outcome))
    for proposal in outcome.proposals:
        verdict = proposal.verdict
        if proposal.rejected_by:
            verdict += " by " + " ".join(proposal.rejected_by)
        row[f"proposal_{proposal.id}"] = verdict
    if outcome.talks is not None:
        row.update(talks_row(outcome.talks))
    return row

"""The outcome table's column kinds (`column_kind`) are what `outcome_row` writes.

Every column of the rows of fixtures covering each part of the table (solutions with consent,
bargaining protocols, compliance, the leverage game, proposals, why talks fail) holds values of
its declared kind: whole numbers, true/false, words or numbers. `load_run`, the sweep figures
and the report read the declaration instead of guessing from the values.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.analysis.row import column_kind, outcome_row

FIXTURES = Path(__file__).parents[1] / "fixtures"
COVERING = [
    "toy/base.yaml",
    "war/baseline.yaml",
    "consent/peacekeepers.yaml",
    "talks/two_party.yaml",
    "linked/linked.yaml",
    "trade/three_party.yaml",
]


def holds(kind: str, value: object) -> bool:
    if kind == "count":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "flag":
        return isinstance(value, bool)
    if kind == "text":
        return isinstance(value, str)
    return isinstance(value, int | float) and not isinstance(value, bool)


@pytest.mark.parametrize("fixture", COVERING)
def test_every_column_holds_its_declared_kind(fixture: str) -> None:
    row = outcome_row(sim.analyse(FIXTURES / fixture))
    wrong = {
        name: (column_kind(name), value)
        for name, value in row.items()
        if value is not None and not holds(column_kind(name), value)
    }
    assert not wrong


def test_the_fixtures_cover_every_kind_and_the_parts_of_the_table() -> None:
    names = {n for f in COVERING for n in outcome_row(sim.analyse(FIXTURES / f))}
    assert {column_kind(n) for n in names} == {"count", "flag", "text", "number"}
    for part in ("_consent", "_period", "proposal_", "commitment_problem", "leverage_choice"):
        assert any(part in n for n in names), part

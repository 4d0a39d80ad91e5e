"""The terminal shows bundles by their terms: in full, or as the issues that differ from a
bundle shown above, each marked with the option it replaced (the war fixture's scenarios)."""

from __future__ import annotations

import re

import pytest

import sim
from sim.report import outcome_text
from sim.report.games_text import render_leverage
from sim.report.outcome_text import strategy_lines
from tests.conftest import WAR


def expected_marks(bundle: dict[str, str], reference: dict[str, str]) -> set[str]:
    """Oracle: the changed pairs by set difference, written as the marking should be."""
    return {
        f"{i}={o} [was {reference[i]}]" for i, o in set(bundle.items()) - set(reference.items())
    }


def test_the_agreement_line_names_the_closest_solution_and_its_changed_issues() -> None:
    outcome = sim.analyse("interim_ceasefire", root=WAR)
    (result,) = [r for r in outcome.bargaining.results if r.agreed is not None][:1]
    text = "\n".join(strategy_lines(outcome))
    assert f"bundle {result.agreed.index}" not in text  # the number alone never stands
    agreed = result.agreed.as_dict()
    solutions = [(s.rule.label, s.point.bundle.as_dict()) for s in outcome.solutions if s.point]
    distance = {n: len(set(agreed.items()) - set(b.items())) for n, b in solutions}
    closest = min(distance.values())
    flat = " ".join(text.split())
    if closest == 0:
        assert re.search(r"agreement in period \d+ on the \S+ terms", flat)
    else:
        name = next(n for n, d in distance.items() if d == closest)
        assert f"on the {name} terms except" in flat
        for mark in expected_marks(agreed, dict(solutions)[name]):
            assert mark in flat
    assert closest > 0  # north first waits, then agrees off every solution by two issues
    # an agreement, and a compliance game, named by the protocol that reached it
    assert "mediated: agreement in period 0 on the terms of the alternating (south first)" in flat
    assert "compliance over the terms of the alternating (north first) agreement" in flat


def test_the_agreement_line_shows_full_terms_when_no_solution_is_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outcome = sim.analyse("interim_ceasefire", root=WAR)
    monkeypatch.setattr(outcome_text, "against", lambda terms, references: None)
    text = "\n".join(strategy_lines(outcome))
    agreed = next(r.agreed for r in outcome.bargaining.results if r.agreed is not None)
    assert " ".join(agreed.words().split()) in " ".join(text.split())


def test_leverage_deals_are_lettered_terms_not_bundle_numbers() -> None:
    games = sim.solve_games("aid_freeze", root=WAR)
    (leverage,) = [g for g in games.games if type(g).__name__ == "LeverageOutcome"]
    text = render_leverage(leverage)
    assert "deal on bundle" not in text
    deals = list(
        {p.settlement.index: p.settlement for p in leverage.policies if p.settlement}.values()
    )
    assert "deal on terms A" in text
    flat = " ".join(text.split())
    assert f"terms A: {deals[0].words()}" in flat
    for n, deal in enumerate(deals[1:], start=1):
        letter = chr(ord("A") + n)
        for mark in expected_marks(deal.as_dict(), deals[0].as_dict()):
            assert mark in flat, letter

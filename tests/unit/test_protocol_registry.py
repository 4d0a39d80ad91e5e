"""The protocol registry is what the analysis plays: the scenario format's protocol names are
the registry's keys, and a protocol added to the registry is played with no other change."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from sim.analysis import strategy
from sim.analysis.outcome import Protocol
from sim.analysis.strategy import PLAYS, PROTOCOLS, Play, analyse_strategy
from sim.model import load_scenario
from sim.model.schema import BargainingRules

TOY = Path(__file__).parents[1] / "fixtures" / "toy" / "base.yaml"


def test_the_format_names_exactly_the_registered_protocols() -> None:
    annotation = BargainingRules.model_fields["protocols"].annotation
    (listed,) = typing.get_args(annotation)[:1]
    (literal,) = typing.get_args(listed)
    assert typing.get_args(literal) == tuple(p.key for p in PROTOCOLS)
    assert tuple(play.protocol for play in PLAYS) == PROTOCOLS


def test_a_protocol_added_to_the_registry_is_played(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_scenario(TOY)
    before = analyse_strategy(loaded)
    extra = Protocol("first_offer", "first offer taken", ordered=False)

    def first_offer(setting: strategy.Setting, order: list[int]) -> strategy.BargainingResult:
        return PLAYS[0].solve(setting, order)

    added = Play(extra, lambda s: None, lambda s: True, lambda s: [s.veto], first_offer)
    monkeypatch.setattr(strategy, "PLAYS", (*PLAYS, added))
    after = analyse_strategy(loaded)
    assert after.protocols == (*before.protocols, extra)
    assert after.bargaining[-1].bundle == before.bargaining[0].bundle
    assert after.bargaining[-1].agreement_period == before.bargaining[0].agreement_period


def test_a_protocol_added_to_the_registry_is_drawn_by_sim_uncertainty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Monte Carlo reads the same registry: the new protocol is a column of the draws
    (played one draw at a time, having no vectorised kernel), each draw equal to
    `analyse_strategy` of the drawn scenario."""
    from sim.montecarlo.judgments import resolve_judgments
    from sim.montecarlo.static import build_structure
    from sim.montecarlo.strategic import protocol_names
    from tests.unit.test_montecarlo_strategic import check

    extra = Protocol("first_offer", "first offer taken", ordered=False)
    added = Play(
        extra, lambda s: None, lambda s: True, lambda s: [s.veto], lambda s, o: PLAYS[0].solve(s, o)
    )
    monkeypatch.setattr(strategy, "PLAYS", (*PLAYS, added))
    loaded = load_scenario(TOY)
    names = protocol_names(build_structure(loaded, resolve_judgments(loaded)))
    assert names[-1] == "first_offer"
    agreed, _ = check(TOY, 12, 5)
    assert agreed > 0


def test_a_protocol_that_does_not_apply_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_scenario(TOY)
    extra = Protocol("never", "never played", ordered=False)
    monkeypatch.setattr(
        strategy,
        "PLAYS",
        (*PLAYS, Play(extra, lambda s: "needs a third side", lambda s: True, lambda s: [], None)),
    )
    result = analyse_strategy(loaded)
    assert extra not in result.protocols
    assert "never played needs a third side" in result.skipped

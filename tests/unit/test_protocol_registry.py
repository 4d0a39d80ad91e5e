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

    def first_offer(setting: strategy.Setting) -> list[strategy.BargainingResult]:
        return PLAYS[0].solve(setting)[:1]

    monkeypatch.setattr(
        strategy, "PLAYS", (*PLAYS, Play(extra, lambda s: None, lambda s: True, first_offer))
    )
    after = analyse_strategy(loaded)
    assert after.protocols == (*before.protocols, extra)
    assert after.bargaining[-1].bundle == before.bargaining[0].bundle
    assert after.bargaining[-1].agreement_period == before.bargaining[0].agreement_period


def test_a_protocol_that_does_not_apply_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_scenario(TOY)
    extra = Protocol("never", "never played", ordered=False)
    monkeypatch.setattr(
        strategy,
        "PLAYS",
        (*PLAYS, Play(extra, lambda s: "needs a third side", lambda s: True, lambda s: [])),
    )
    result = analyse_strategy(loaded)
    assert extra not in result.protocols
    assert "never played needs a third side" in result.skipped

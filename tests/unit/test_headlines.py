"""The uncertainty figure's headlines say what each is about; nothing parses their labels."""

from __future__ import annotations

from sim.figures.chart import Names
from sim.figures.uncertainty import _headline_words, headline_probabilities
from tests import summaries

SUMMARY = summaries.scenario(
    zone=summaries.odds(0.9, 0.85, 0.94),
    solutions={"nash": summaries.solution(exists=summaries.odds(0.9, 0.85, 0.94))},
    proposals={
        "plan": {"all": summaries.odds(0.2, 0.1, 0.3)},
        "plan_b": {"all": summaries.odds(0.4, 0.3, 0.5)},
    },
)


def test_each_headline_says_what_it_is_about() -> None:
    heads = headline_probabilities(SUMMARY)
    assert [(h.kind, h.key) for h in heads] == [
        ("zone", ""),
        ("solution", "nash"),
        ("proposal", "plan"),
        ("proposal", "plan_b"),
    ]
    assert heads[0][1:4] == (0.9, 0.85, 0.94)  # (label, p, low, high) as before


def test_a_proposal_is_named_by_its_title_and_by_its_own_id_only() -> None:
    names = Names(proposals={"plan": "The floated plan", "plan_b": "Its second draft"})
    words = [_headline_words(h, names) for h in headline_probabilities(SUMMARY)]
    assert words[2].startswith("The floated plan") and words[3].startswith("Its second draft")

"""Both war sides' values private (tests/fixtures/talks/both_private.yaml): each side's single
offer against a plain search over the 21 splits, the zero-spread case in closed form, and the
result in `sim run`, the JSON document, the outcome table, `sim uncertainty` and the report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import sim.analysis.talks as talks_module
from sim.analysis.analyse import analyse_scenario
from sim.cli import app
from sim.model import load_many
from sim.model.resolve import LoadedScenario

FIXTURE = Path(__file__).parents[1] / "fixtures" / "talks" / "both_private.yaml"
SPLITS = [k / 20 for k in range(21)]  # a's share of the territory, s00..s20


@pytest.fixture(scope="module")
def base() -> LoadedScenario:
    return load_many(str(FIXTURE))[0]


def plain_one_offer(own_costs, their_costs, mine, theirs):
    """A plain search: each proposer type (a cost, its war worth 0.5 - cost with even odds and
    no drift) tries every split; the responder's types accept a split worth at least their war
    (0.5 - cost, within 1e-9); ties in expected utility (1e-12) go to the safer split. Returns
    per proposer type (split index or None, probability of war)."""
    results = []
    for own in own_costs:
        war = 0.5 - own
        best, choice, risk = war, None, 1.0
        for k in range(21):
            accept = sum(1 for c in their_costs if theirs(k) >= 0.5 - c - 1e-9) / len(their_costs)
            if accept == 0:
                continue
            value = accept * mine(k) + (1 - accept) * war
            if value > best + 1e-12 or (abs(value - best) <= 1e-12 and 1 - accept < risk):
                best, choice, risk = value, k, 1 - accept
        results.append((choice, risk))
    return results


A_COSTS = [0.1 * (k + 0.5) / 4 for k in range(4)]  # uniform [0, 0.1], 4 types
B_COSTS = [0.4 * (k + 0.5) / 40 for k in range(40)]  # uniform [0, 0.4], 40 types


def test_each_sides_offer_matches_a_plain_search(base):
    outcome = analyse_scenario(base)
    assert outcome.talks is not None and outcome.talks.both is not None
    both = outcome.talks.both
    assert both.sides == ("a", "b") and outcome.talks.private is None
    np.testing.assert_allclose(both.types[0], A_COSTS, atol=1e-12)
    searches = {
        "a": plain_one_offer(A_COSTS, B_COSTS, lambda k: SPLITS[k], lambda k: 1 - SPLITS[k]),
        "b": plain_one_offer(B_COSTS, A_COSTS, lambda k: 1 - SPLITS[k], lambda k: SPLITS[k]),
    }
    for offer in both.offers:
        expected = searches[offer.proposer]
        shares: dict[int | None, float] = {}
        for choice, _ in expected:
            shares[choice] = shares.get(choice, 0.0) + 1 / len(expected)
        got = {None if b is None else b.index: share for b, share in offer.offers}
        assert got.keys() == shares.keys()
        assert all(abs(got[k] - shares[k]) <= 1e-12 for k in shares)
        risk = sum(r for _, r in expected) / len(expected)
        assert abs(offer.p_breakdown - risk) <= 1e-12
    assert both.offers[0].p_breakdown == pytest.approx(0.4375, abs=1e-12)  # (8+8+6+6)/64


def test_the_plain_search_fails_when_the_proposers_type_is_ignored(base, monkeypatch):
    """Mutation: every type of a side valued at the stated cost (its private value ignored
    as proposer and as responder) moves the offers off the plain search."""
    original = talks_module.type_paths

    def stated(inputs, side, field, types):
        return original(inputs, side, field, np.full_like(types, inputs.cost[side]))

    monkeypatch.setattr(talks_module, "type_paths", stated)
    outcome = analyse_scenario(base)
    assert outcome.talks is not None and outcome.talks.both is not None
    assert abs(outcome.talks.both.offers[0].p_breakdown - 0.4375) > 1e-9


def test_without_spread_each_side_asks_the_others_war_value(base):
    """One type each at the stated costs (a 0.05, b 0.2): a offers b exactly its war value
    0.3 (a's share 0.7, s14), b offers a its 0.45 (a's share 0.45, s09); no risk of war."""
    overrides = {
        "war.private.a.belief": {"jitter": 0.01},
        "war.private.a.grid": 1,
        "war.private.b.belief": {"jitter": 0.01},
        "war.private.b.grid": 1,
    }
    outcome = analyse_scenario(base.raw().with_overrides(overrides))
    assert outcome.talks is not None and outcome.talks.both is not None
    first, second = outcome.talks.both.offers
    assert [(b.as_dict(), s) for b, s in first.offers if b] == [({"share": "s14"}, 1.0)]
    assert [(b.as_dict(), s) for b, s in second.offers if b] == [({"share": "s09"}, 1.0)]
    assert first.p_breakdown == 0.0 and second.p_breakdown == 0.0


def test_run_json_table_uncertainty_and_report(tmp_path):
    run = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", str(FIXTURE), "--out", str(run)])
    assert result.exit_code == 0, result.output
    assert "one offer by a (a's cost and b's cost private): share=s14 by 50% of its types" in (
        result.output
    )
    assert "rejected (war) with probability 44%" in result.output
    assert "offers over the horizon with two informed sides are not solved" in result.output
    document = json.loads((run / "outcomes" / "both_private.json").read_text())
    section = document["talks"]["private_both"]
    assert section["one_offer"]["a"]["p_breakdown"] == 0.4375
    assert section["sides"]["b"]["field"] == "cost" and len(section["sides"]["b"]["types"]) == 40
    assert "not solved" in section["solved"]
    protocol = document["talks"]["protocols"]["one_offer_a"]
    assert protocol["p_agreement_by"]["24"] == 0.5625 and protocol["expected_month"] == 0.0
    with (run / "outcomes.csv").open() as handle:
        row = next(csv.DictReader(handle))
    assert float(row["p_breakdown"]) == 0.4375 and float(row["p_agreement_6"]) == 0.5625
    report = tmp_path / "report.md"
    done = CliRunner().invoke(
        app, ["report", str(run), "--out", str(report), "--format", "markdown"]
    )
    assert done.exit_code == 0, done.output
    assert "one offer by b (a's cost and b's cost private)" in report.read_text()
    drawn = CliRunner().invoke(
        app, ["uncertainty", str(FIXTURE), "--draws", "20", "--no-record", "--json"]
    )
    assert drawn.exit_code == 0, drawn.output
    talks = json.loads(drawn.stdout)["scenarios"]["both_private"]["talks"]
    assert talks["screening"]["title"] == "one offer by a, both sides' values private"
    assert 0.0 < talks["screening"]["p_breakdown"] < 1.0  # every draw: tests/unit

"""Why talks fail on the two-party fixture (tests/fixtures/talks/two_party.yaml): delay under
private information, its documented directions, the commitment problem as the odds drift, and
the optimism threshold against a bisection on ``war.beliefs``; everything in `sim run`, the
JSON document and the outcome table."""

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
from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.model import load_many
from sim.model.resolve import LoadedScenario

FIXTURE = Path(__file__).parents[1] / "fixtures" / "talks" / "two_party.yaml"


@pytest.fixture(scope="module")
def base() -> LoadedScenario:
    return load_many(str(FIXTURE))[0]


def screened(loaded: LoadedScenario, overrides: dict | None = None):
    scenario = loaded.raw().with_overrides(overrides or {}) if overrides else loaded
    outcome = analyse_scenario(scenario)
    assert outcome.talks is not None
    head = outcome.talks.headline
    assert head is not None and head.key == "screening"
    return head


def test_agreement_comes_over_time_under_private_information(base):
    head = screened(base)
    by = np.array(head.p_agreement_by)
    assert (np.diff(by) >= 0).all() and by[-1] > by[0]  # rises with time ...
    assert by[0] < 1.0
    assert head.expected_month is not None and head.expected_month > 0  # ... and takes months
    # the offers soften month by month: a asks for less of the territory
    asked = [int(b.as_dict()["share"][1:]) for b in head.offers if b is not None]
    assert asked == sorted(asked, reverse=True) and len(asked) >= 2


def test_without_spread_the_same_game_agrees_at_once(base):
    """The complete-information counterpart (a proposes every month, b's cost as stated)
    agrees in month 0; a grid of one type at the stated cost gives exactly that result."""
    outcome = analyse_scenario(base)
    assert outcome.talks is not None
    complete = next(p for p in outcome.talks.protocols if p.key == "proposer")
    one_type = screened(base, {"war.private.b.belief": {"jitter": 0.1}, "war.private.b.grid": 1})
    assert one_type.p_agreement_by == complete.p_agreement_by
    assert one_type.offers[0] == complete.offers[0]
    assert complete.expected_month == 0.0


SPREADS = (0.05, 0.1, 0.15, 0.2)
PATIENCE = (0.8, 0.9, 0.99)


def expected_by_spread(base):
    return [
        screened(base, {"war.private.b.belief": {"uniform": [0.2 - s, 0.2 + s]}}).expected_month
        for s in SPREADS
    ]


def expected_by_patience(base):
    return [screened(base, {"parties.a.discount": d}).expected_month for d in PATIENCE]


def test_delay_grows_with_the_spread_and_the_proposers_patience(base):
    """The directions docs/strategic.md documents for this fixture: a wider belief about b's
    cost, and a more patient proposer, make agreement come later on average."""
    by_spread = expected_by_spread(base)
    assert by_spread == sorted(by_spread) and by_spread[0] < by_spread[-1]
    by_patience = expected_by_patience(base)
    assert by_patience == sorted(by_patience) and by_patience[0] < by_patience[-1]


def test_direction_check_fails_when_the_grid_ignores_the_spread(base, monkeypatch):
    """Mutation: a type grid at the stated cost whatever the belief; the spread then changes
    nothing and the direction test's condition fails."""
    original = talks_module.type_grid

    def stated_only(scenario, party, private):
        types, weights = original(scenario, party, private)
        stated = talks_module.stated_private(scenario, party, private.field)
        return np.full_like(types, stated), weights

    monkeypatch.setattr(talks_module, "type_grid", stated_only)
    by_spread = expected_by_spread(base)
    assert not by_spread[0] < by_spread[-1]


def test_commitment_problem_appears_as_power_shifts(base):
    results = []
    for drift in (0.0, 0.01, 0.02):
        outcome = analyse_scenario(base.raw().with_overrides({"war.drift": drift}))
        assert outcome.talks is not None
        results.append(outcome.talks.durable)
    assert [d.commitment_problem for d in results] == [False, False, True]
    assert results[0].loss_months == () and results[2].loss_months[0] == 1
    assert results[2].shortfall is not None and results[2].shortfall > 0


def zone_size(loaded: LoadedScenario, d: float) -> int:
    """The static zone's size when each side overstates its own chance by d, by writing the
    beliefs into the scenario (war.beliefs) and analysing it as any scenario."""
    p = loaded.scenario.war.prevail
    over = {"war.beliefs": {"a": p + d, "b": p - d}}
    scenario = loaded.raw().with_overrides(over).scenario
    return analyse(compile_problem(scenario)).acceptable.value


def test_optimism_threshold_matches_a_bisection_on_war_beliefs(base):
    outcome = analyse_scenario(base)
    assert outcome.talks is not None and outcome.talks.expectations is not None
    threshold = outcome.talks.expectations.optimism_threshold
    assert threshold is not None
    lo, hi = 0.0, 0.5
    assert zone_size(base, lo) > 0 and zone_size(base, hi) == 0
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if zone_size(base, mid) > 0 else (lo, mid)
    assert abs(threshold - hi) <= 1e-9
    # and with a different zone (b's cost higher), again
    costly = base.raw().with_overrides({"parties.b.reservation.cost": 0.27})
    other = analyse_scenario(costly).talks
    assert other is not None and other.expectations is not None
    lo, hi = 0.0, 0.5
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if zone_size(costly, mid) > 0 else (lo, mid)
    assert abs(other.expectations.optimism_threshold - hi) <= 1e-9


def test_optimism_bisection_catches_a_threshold_from_one_side_only(base, monkeypatch):
    """Mutation: a threshold that lets only side a grow optimistic is not the bisection's."""
    original = talks_module.optimism_threshold

    def one_sided(utilities, chances, win, lose, cost, tol=1e-9):
        u = np.asarray(utilities).copy()
        u[:, 1] = 0.0  # side b never leaves on its own account ...
        return original(u, chances, win, lose, [cost[0], -1.0])  # ... its war is worth 1

    monkeypatch.setattr(talks_module, "optimism_threshold", one_sided)
    outcome = analyse_scenario(base)
    assert outcome.talks is not None and outcome.talks.expectations is not None
    lo, hi = 0.0, 0.5
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if zone_size(base, mid) > 0 else (lo, mid)
    assert outcome.talks.expectations.optimism_threshold != pytest.approx(hi, abs=1e-9)


def test_run_shows_it_in_the_terminal_the_json_and_the_table(tmp_path):
    result = CliRunner().invoke(app, ["run", str(FIXTURE), "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert "b's cost private: agreement 25% by month 0" in result.output
    assert "expected month 2.50" in result.output
    assert "each side overstating its chance by 0.100 empties it" in result.output
    document = json.loads((tmp_path / "run" / "outcomes" / "two_party.json").read_text())
    screening = document["talks"]["protocols"]["screening"]
    assert screening["p_agreement_by"]["0"] == 0.25 and screening["expected_month"] == 2.5
    assert screening["p_breakdown"] == 0.0
    assert screening["offers"][0]["bundle"] == {"share": "s15"}
    assert document["durable_zone"]["bundles"] == 6
    assert document["commitment_problem"] == {"exists": False, "shortfall": -0.1}
    assert abs(document["optimism_threshold"] - 0.1) < 1e-8
    assert document["talks"]["private"]["field"] == "cost"
    with (tmp_path / "run" / "outcomes.csv").open() as handle:
        row = next(csv.DictReader(handle))
    assert float(row["p_agreement_6"]) == 1.0 and float(row["expected_month"]) == 2.5
    assert float(row["p_agreement_24"]) == 1.0 and float(row["p_breakdown"]) == 0.0
    assert row["commitment_problem"] == "false"
    assert abs(float(row["optimism_threshold"]) - 0.1) < 1e-8
    json_run = CliRunner().invoke(app, ["run", str(FIXTURE), "--json", "--no-record"])
    assert json.loads(json_run.output)["talks"]["protocols"]["screening"]["expected_month"] == 2.5


def test_scenarios_without_the_declaration_gain_nothing():
    toy = Path(__file__).parents[1] / "fixtures" / "toy" / "base.yaml"
    result = CliRunner().invoke(app, ["run", str(toy), "--json", "--no-record"])
    document = json.loads(result.output)
    assert not {"talks", "durable_zone", "commitment_problem", "optimism_threshold"} & set(document)


def test_the_agreement_figure_and_the_report(tmp_path):
    from sim.figures import figure

    run = tmp_path / "run"
    assert CliRunner().invoke(app, ["run", str(FIXTURE), "--out", str(run)]).exit_code == 0
    chart = figure(run, "agreement")
    by = np.asarray(chart.data["screening"])
    assert by[0] == pytest.approx(0.25) and by[-1] == 1.0 and (np.diff(by) >= 0).all()
    assert (np.asarray(chart.data["proposer"]) == 1.0).all()
    report = tmp_path / "report.md"
    result = CliRunner().invoke(
        app, ["report", str(run), "--out", str(report), "--format", "markdown"]
    )
    assert result.exit_code == 0, result.output
    text = report.read_text()
    assert "### Why talks fail" in text and "expected month 2.50" in text


@pytest.mark.parametrize("field", ["cost", "odds"])
@pytest.mark.parametrize("side", [0, 1])
def test_type_paths_equal_one_war_path_per_type(field, side):
    from sim.analysis.talks import WarInputs, type_paths
    from sim.core.timeline import war_path

    inputs = WarInputs((0.55, 0.45), 0.01, 12, (0.9, 0.8), (0.1, 0.05), (0.05, 0.1), (0.0, 0.01))
    types = np.linspace(0.0, 1.0, 9)
    together = type_paths(inputs, side, field, types)
    for k, value in enumerate(types):
        beliefs, cost = list(inputs.beliefs), list(inputs.cost)
        if field == "cost":
            cost[side] = value
        else:
            beliefs[side] = value if side == 0 else 1.0 - value
        one = war_path(beliefs, 0.01, 12, [0.9, 0.8], [0.1, 0.05], cost, [0.0, 0.01])
        assert np.array_equal(together[k], one[:, side])


def test_a_sweep_over_the_drift_shows_delay(tmp_path):
    out = tmp_path / "sweep"
    result = CliRunner().invoke(
        app, ["sweep", str(FIXTURE), "--grid", "war.drift=0,0.02", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with (out / "outcomes.csv").open() as handle:
        rows = {row["war.drift"]: row for row in csv.DictReader(handle)}
    assert float(rows["0"]["expected_month"]) == 2.5
    assert float(rows["0.02"]["expected_month"]) > 2.5
    assert (rows["0"]["commitment_problem"], rows["0.02"]["commitment_problem"]) == (
        "false",
        "true",
    )


def test_an_empty_private_section_reports_durability_and_expectations_only(base):
    outcome = analyse_scenario(base.raw().with_overrides({"war.private": {}}))
    talks = outcome.talks
    assert talks is not None and talks.private is None
    assert all(p.information == "complete" for p in talks.protocols)
    assert talks.headline is not None and talks.headline.key == "alternating_a_first"
    assert talks.headline.expected_month == 0.0 and talks.headline.p_breakdown == 0.0
    assert talks.durable.today == 6 and talks.expectations is not None


@pytest.mark.parametrize("share", range(9, 15))
def test_explain_says_when_a_side_would_rather_fight(base, share):
    from sim.api import explain

    drifting = base.raw().with_overrides({"war.drift": 0.02})
    explanation = explain(drifting, bundle=f"share=s{share:02d}")
    x = share / 20
    # a's war value 0.5 + 0.02 t - 0.05 passes x in the first month t with 0.45 + 0.02 t > x;
    # b's (1 - 0.5 - 0.02 t - 0.2) only falls
    first = next((t for t in range(25) if 0.45 + 0.02 * t > x + 1e-9), None)
    assert explanation.fighting == (("a", first), ("b", None))
    assert (f"a would rather fight from month {first}" in explanation.text) is (first is not None)


def test_explain_cli_shows_durability():
    result = CliRunner().invoke(app, ["explain", str(FIXTURE), "--bundle", "share=s12"])
    assert result.exit_code == 0, result.output
    assert "durable: every veto party prefers it to fighting in every month" in result.output


def test_each_agreed_bundle_says_whether_it_holds_as_power_shifts(base):
    from sim.analysis.talks_document import protocol_document

    outcome = analyse_scenario(base.raw().with_overrides({"war.drift": 0.02}))
    assert outcome.talks is not None
    for p in outcome.talks.protocols:
        if p.information != "complete":
            assert p.fighting is None and p.durable is None
            continue
        agreed = next(b for b in p.offers if b is not None)
        x = int(agreed.as_dict()["share"][1:]) / 20
        first = next((t for t in range(25) if 0.45 + 0.02 * t > x + 1e-9), None)
        assert p.fighting == (("a", first), ("b", None))
        assert p.durable is (first is None)
        document = protocol_document(p)
        assert document["first_month_fighting"] == {"a": first, "b": None}
    steady = analyse_scenario(base).talks
    assert steady is not None
    assert all(p.durable for p in steady.protocols if p.information == "complete")

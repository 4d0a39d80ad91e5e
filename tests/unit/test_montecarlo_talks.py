"""Why talks fail in `sim uncertainty`: each draw equals `sim run`'s analysis of the scenario
with that draw's values written in (the one-at-a-time oracle)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import sim.montecarlo.static as static_module
import sim.montecarlo.talks as talks_module
from sim.analysis.strategy import analyse_strategy
from sim.cli import app
from sim.model import load_scenario
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.static import build_structure
from sim.montecarlo.talks import talks_block, talks_summary

FIXTURE = Path(__file__).parents[1] / "fixtures" / "talks" / "two_party.yaml"
UNCERTAINTY = """
uncertainty:
  vary:
    war.prevail: {uniform: [0.42, 0.58]}
    war.drift: {uniform: [0.0, 0.025]}
    parties.a.discount: {uniform: [0.8, 0.95]}
    parties.a.reservation.cost: {uniform: [0.02, 0.1]}
    parties.a.values.share.s11: {uniform: [0.5, 0.6]}
  evidence: [{assumption: "Test spreads."}]
"""


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "two_party.yaml"
    path.write_text(FIXTURE.read_text(encoding="utf-8") + UNCERTAINTY, encoding="utf-8")
    return path


def check(path: Path, draws: int, seed: int, key: str = "screening") -> talks_module.TalksDraws:
    loaded = load_scenario(path)
    judgments = resolve_judgments(loaded)
    structure = build_structure(loaded, judgments)
    drawn = draw_block(judgments, seed, 0, draws)
    block = talks_block(structure, drawn)
    raw = loaded.raw()
    for d in range(draws):
        overrides = {j.path: float(v) for j, v in zip(judgments, drawn[d], strict=True)}
        talks = analyse_strategy(raw.with_overrides(overrides)).talks
        assert talks is not None
        head = talks.headline
        assert head is not None and head.key == key
        assert np.array_equal(block.p_agreement_by[d], head.p_agreement_by), d
        expected = np.nan if head.expected_month is None else head.expected_month
        assert np.array_equal(block.expected_month[d], expected, equal_nan=True), d
        assert block.p_breakdown[d] == head.p_breakdown
        assert block.commitment_problem[d] == talks.durable.commitment_problem
        assert talks.expectations is not None
        threshold = talks.expectations.optimism_threshold
        if threshold is None:
            assert np.isnan(block.optimism_threshold[d])
        else:
            assert block.optimism_threshold[d] == threshold
    return block


def test_with_both_sides_informed_each_draw_equals_that_draws_one_offer(tmp_path: Path) -> None:
    """Both sides' costs private: the summary's figures are side a's one offer, draw by
    draw as `sim run` gives it."""
    both = FIXTURE.parent / "both_private.yaml"
    (tmp_path / "two_party.yaml").write_text(FIXTURE.read_text(encoding="utf-8"), "utf-8")
    path = tmp_path / "both_private.yaml"
    path.write_text(both.read_text(encoding="utf-8") + UNCERTAINTY, encoding="utf-8")
    block = check(path, 8, 5, key="one_offer_a")
    assert len({float(p) for p in block.p_breakdown}) > 1  # the draws move the risk of war
    assert (block.expected_month == 0.0).all()


@pytest.mark.parametrize(
    ("held", "gathered", "cells"),
    [(4_000_000, 64, 1 << 19), (1, 64, 1 << 19), (4_000_000, 5, 1 << 19), (4_000_000, 64, 1)],
)
def test_each_draw_equals_the_analysis_of_that_draw(
    scenario: Path, held: int, gathered: int, cells: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also with the block's screening games solved as each is found (memory bound of 1), and
    with the candidates' utilities gathered a few draws at a time (12 draws: 3 pieces), or
    one at a time (a space too large for more)."""
    monkeypatch.setattr(talks_module, "BATCH_CANDIDATES", held)
    monkeypatch.setattr(static_module, "GATHER_DRAWS", gathered)
    monkeypatch.setattr(static_module, "GATHER_CELLS", cells)
    block = check(scenario, 12, 3)
    assert block.commitment_problem.any() and not block.commitment_problem.all()
    assert len({round(float(m), 6) for m in block.expected_month}) > 1


def test_the_oracle_catches_a_draw_that_ignores_the_drawn_drift(
    scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutation: war model numbers with no drift in every draw."""
    original = talks_module.war_columns

    def no_drift(*args, **kwargs):  # type: ignore[no-untyped-def]
        columns = original(*args, **kwargs)
        return None if columns is None else dataclasses.replace(columns, drift=0.0)

    monkeypatch.setattr(talks_module, "war_columns", no_drift)
    with pytest.raises(AssertionError):
        check(scenario, 12, 3)


WAR = FIXTURE.parent.parent / "war" / "baseline.yaml"


def war_without_private(tmp_path: Path) -> Path:
    """The war fixture (two war sides with a veto, a broker whose consent some bundles need,
    its reservation drawn) with ``war.private: {}``: the commitment problem and the optimism
    threshold in every draw, no offers under private information."""
    text = WAR.read_text(encoding="utf-8")
    path = tmp_path / "baseline.yaml"
    path.write_text(text.replace("  horizon: 12\n", "  horizon: 12\n  private: {}\n"), "utf-8")
    return path


def check_without_private(path: Path, draws: int) -> talks_module.TalksDraws:
    """Each draw's commitment problem and optimism threshold as `sim run` gives them."""
    loaded = load_scenario(path)
    judgments = resolve_judgments(loaded)
    drawn = draw_block(judgments, 2, 0, draws)
    block = talks_block(build_structure(loaded, judgments), drawn)
    raw = loaded.raw()
    for d in range(draws):
        overrides = {j.path: float(v) for j, v in zip(judgments, drawn[d], strict=True)}
        talks = analyse_strategy(raw.with_overrides(overrides)).talks
        assert talks is not None and talks.private is None and talks.both is None
        assert block.commitment_problem[d] == talks.durable.commitment_problem, d
        assert talks.expectations is not None
        threshold = talks.expectations.optimism_threshold
        expected = np.nan if threshold is None else threshold
        assert np.array_equal(block.optimism_threshold[d], expected, equal_nan=True), d
    assert np.isnan(block.p_breakdown).all()
    return block


@pytest.mark.parametrize("gathered", [64, 5])
def test_without_private_values_each_draw_equals_that_draws_analysis(
    tmp_path: Path, gathered: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commitment problem and the optimism threshold of a block of draws at once, with
    consent refusals that differ from draw to draw, equal `sim run`'s analysis of each draw
    (the candidates gathered 64 and 5 draws at a time)."""
    monkeypatch.setattr(static_module, "GATHER_DRAWS", gathered)
    block = check_without_private(war_without_private(tmp_path), 40)
    assert len({float(t) for t in block.optimism_threshold}) > 10  # the draws move it


def test_the_oracle_catches_candidates_that_ignore_consent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutation: the block's candidates keep the bundles a consent holder refuses."""
    original = static_module.candidate_pieces

    def no_consent(*args, **kwargs):  # type: ignore[no-untyped-def]
        for piece in original(*args, **kwargs):
            yield dataclasses.replace(piece, keep=None)

    monkeypatch.setattr(talks_module, "candidate_pieces", no_consent)
    with pytest.raises(AssertionError):
        check_without_private(war_without_private(tmp_path), 40)


def test_summary_and_terminal(scenario: Path) -> None:
    loaded = load_scenario(scenario)
    judgments = resolve_judgments(loaded)
    block = talks_block(build_structure(loaded, judgments), draw_block(judgments, 1, 0, 20))
    summary = talks_summary(block)
    assert summary.screening is not None
    by = summary.screening.p_agreement_by
    assert by["0"] == pytest.approx(block.p_agreement_by[:, 0].mean())
    assert summary.commitment_problem.p == pytest.approx(block.commitment_problem.mean())
    # each spread says the share of draws that have the measure (a threshold may be undefined)
    finite = np.isfinite(block.optimism_threshold)
    assert summary.optimism_threshold.share == finite.mean()
    assert summary.to_json()["optimism_threshold"]["share"] == finite.mean()
    result = CliRunner().invoke(
        app, ["uncertainty", str(scenario), "--draws", "20", "--seed", "1", "--no-record"]
    )
    assert result.exit_code == 0, result.output
    assert "screening under private information: agreement" in result.output
    assert "commitment problem in" in result.output


def test_the_uncertainty_report_says_why_talks_fail(scenario: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    result = CliRunner().invoke(
        app, ["uncertainty", str(scenario), "--draws", "20", "--seed", "1", "--out", str(run)]
    )
    assert result.exit_code == 0, result.output
    report = tmp_path / "report.md"
    result = CliRunner().invoke(
        app, ["report", str(run), "--out", str(report), "--format", "markdown"]
    )
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert "### Why talks fail" in text
    assert "screening under private information: agreement" in text


@pytest.mark.parametrize("fixture", ["screening", "consent"])
def test_candidates_from_the_frontier_each_draw_equals_that_draws_analysis(
    scenario: Path, tmp_path: Path, fixture: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A space with more feasible bundles than bargaining enumerates (the limit shrunk to 10):
    every draw's candidates come from its frontier (with consent, the frontier of what no
    consent holder refuses), one draw at a time, as `sim run` takes them."""
    import sim.analysis.strategy as strategy_module

    monkeypatch.setattr(strategy_module, "CANDIDATE_LIMIT", 10)
    loaded = load_scenario(scenario)
    problem = build_structure(loaded, resolve_judgments(loaded)).problem
    assert strategy_module.feasible_bundles(problem) is None
    if fixture == "screening":
        check(scenario, 6, 3)
    else:
        check_without_private(war_without_private(tmp_path), 12)


def test_the_oracle_catches_the_stated_frontier_in_every_draw(
    scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutation: with candidates from the frontier, every draw given the stated problem's."""
    import sim.analysis.strategy as strategy_module

    monkeypatch.setattr(strategy_module, "CANDIDATE_LIMIT", 10)
    loaded = load_scenario(scenario)
    stated = build_structure(loaded, resolve_judgments(loaded)).problem
    original = static_module.candidates
    monkeypatch.setattr(static_module, "candidates", lambda drawn: original(stated))
    with pytest.raises(AssertionError):
        check(scenario, 6, 3)

"""The library API as a notebook drives it: every function, typed results, concise reprs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import sim
from sim.analysis.analyse import AnalysisOptions, analyse_scenario
from sim.analysis.document import outcome_document
from sim.analysis.outcome import ComplianceOutcome, LeverageOutcome, Outcome
from sim.analysis.row import outcome_row
from sim.cli import app
from sim.core.solutions import SOLUTION_RULES, SolutionRule
from sim.core.verdict import Verdict
from sim.errors import InputError, ScenarioError
from sim.report.outcome_text import render_outcome
from tests.conftest import WAR

ROOT = WAR
"""Scenario names resolve under the war fixture's folder."""


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def test_analyse_is_typed_and_equals_the_cli_document() -> None:
    outcome = sim.analyse("sanctions_threat", root=ROOT)
    assert isinstance(outcome, Outcome)
    nash = outcome.solution("nash")
    assert nash is not None and nash.bundle.index == 34
    assert dict(nash.bundle.terms)["status"] == "neutral"
    assert "nash 34" in repr(outcome) and len(repr(outcome)) < 300
    assert outcome._repr_html_().startswith("<pre>")
    code, output = invoke(["run", str(WAR / "sanctions_threat.yaml"), "--json", "--no-record"])
    assert code == 0
    assert json.loads(output) == json.loads(json.dumps(outcome_document(outcome)))


def test_scenario_names_resolve_under_an_explicit_root(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no scenarios/ here: names resolve only under the root given
    with pytest.raises(InputError, match="no such file, folder or scenario name"):
        sim.load_scenario("baseline")
    assert sim.load_scenario("baseline", root=ROOT).scenario.name == "baseline"
    monkeypatch.setenv("SIM_SCENARIOS", str(ROOT))
    assert sim.load_scenario("baseline").scenario.name == "baseline"


def test_overrides_apply_like_set() -> None:
    base = sim.analyse("baseline", root=ROOT)
    moved = sim.analyse("baseline", root=ROOT, overrides={"parties.north.reservation": 0.0})
    assert moved.reservations[0] == 0.0 != base.reservations[0]
    assert sim.analyse("baseline", root=ROOT, overrides=["parties.north.reservation=0"]).space == (
        moved.space
    )
    assert moved.space != base.space
    with pytest.raises(ScenarioError):
        sim.analyse("baseline", root=ROOT, overrides={"parties.north.reservation": 2.0})


def test_explain_every_way_of_naming_terms() -> None:
    by_proposal = sim.explain("baseline", proposal="broker_plan", root=ROOT)
    north = next(v for v in by_proposal.verdicts if v.party == "north")
    assert north.verdict is Verdict.REJECTS
    outcome = sim.analyse("interim_ceasefire", root=ROOT)
    point = outcome.frontier[0]
    by_index = sim.explain("interim_ceasefire", index=point.bundle.index, root=ROOT)
    by_terms = sim.explain("interim_ceasefire", bundle=dict(point.bundle.terms), root=ROOT)
    assert by_index.terms == point.bundle.terms
    assert by_index.text == by_terms.text
    assert by_index.standing is not None and by_index.standing.listed
    with pytest.raises(InputError, match="not a bundle index"):
        sim.explain("baseline", index=10**9, root=ROOT)


def test_solve_games_and_run_and_load_run_typed(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    games = sim.solve_games("sanctions_threat", root=ROOT)
    assert games.of_kind(ComplianceOutcome) and games.of_kind(LeverageOutcome)
    record = sim.run(WAR, out=tmp_path / "run", root=ROOT)
    assert record["baseline"].scenario == "baseline"
    assert "5 scenarios" in repr(record)
    frame = sim.load_run(record.folder)
    assert frame["acceptable"].dtype == pd.Int64Dtype()
    assert frame["acceptable_exact"].dtype == pd.BooleanDtype()
    assert frame["mediated_period"].dtype == pd.Int64Dtype()
    row = frame.set_index("scenario").loc["sanctions_threat"]
    assert row["mediated_period"] == 0 and bool(row["mediated_self_enforcing"])
    assert frame.set_index("scenario").loc["baseline", "mediated_period"] == 0
    assert not frame.set_index("scenario").loc["aid_freeze", "mediated_self_enforcing"]
    waits = frame.set_index("scenario").loc["interim_ceasefire", "alternating_north_first_period"]
    assert waits == 3  # an agreement that waits, typed as an integer too
    tidy = sim.load_run(record.folder, tidy=True)
    assert list(tidy.columns) == ["scenario", "party", "metric", "value"]
    nash_ru = tidy[
        (tidy.scenario == "sanctions_threat") & (tidy.metric == "nash") & (tidy.party == "north")
    ]
    assert float(nash_ru["value"].iloc[0]) == pytest.approx(
        record["sanctions_threat"].solution("nash").utilities[0]  # type: ignore[union-attr]
    )
    again = sim.run(WAR, out=tmp_path / "again", root=ROOT)
    assert again.folder is not None
    assert sim.compare_runs(record.folder, again.folder).identical


def test_compare_values_are_typed(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    a = sim.run("baseline", out=tmp_path / "a", root=ROOT)
    b = sim.run("baseline", out=tmp_path / "b", root=ROOT, overrides={"levers.aid.value": 0.0})
    assert a.folder is not None and b.folder is not None
    comparison = sim.compare_runs(a.folder, b.folder)
    changed = {c.column: c for c in comparison.changes}
    assert isinstance(changed["reservation_south"].old, float)
    frame = comparison.frame()
    assert list(frame.columns) == ["scenario", "column", "old", "new"]
    assert "Comparison(" in repr(comparison)


def test_a_fifth_solution_needs_only_its_rule() -> None:
    """A test-only rule appended to the registry reaches the document, the row and the text
    without any other change (docs/architecture.md)."""
    loaded = sim.load_scenario("sanctions_threat", root=ROOT)

    def lowest_index(x):  # type: ignore[no-untyped-def]
        return int(np.argmin(x.indices)) if x.indices.shape[0] else None

    rule = SolutionRule("lowest_index", "lowest index", lowest_index)
    outcome = analyse_scenario(loaded, AnalysisOptions(rules=(*SOLUTION_RULES, rule)))
    point = outcome.solution("lowest_index")
    assert point is not None
    assert point.bundle.index == min(p.bundle.index for p in outcome.frontier)
    document = outcome_document(outcome)
    assert document["solutions"]["lowest_index"]["index"] == point.bundle.index
    row = outcome_row(outcome)
    assert row["lowest_index_bundle"] == point.bundle.words()
    assert "lowest index" in render_outcome(outcome)


def test_cli_conveniences(tmp_path: Path) -> None:
    code, output = invoke(["--version"])
    assert code == 0 and output.strip() == f"sim {sim.__version__}"
    code, output = invoke(
        [
            "run",
            str(WAR / "baseline.yaml"),
            "--no-record",
            "--json",
            "--set",
            "parties.north.reservation=0",
        ]
    )
    assert code == 0 and json.loads(output)["reservations"]["north"] == 0.0
    code, output = invoke(["run", str(WAR / "baseline.yaml"), "--no-record", "--set", "x"])
    assert code == 2 and "is not path=value" in output
    code, output = invoke(["explain", str(WAR / "interim_ceasefire.yaml"), "--index", "103"])
    assert code == 0 and "bundle 103" in output
    # path offers carry their terms
    code, output = invoke(["run", str(WAR / "baseline.yaml"), "--json", "--no-record"])
    offers = [
        step["offer"]
        for r in json.loads(output)["bargaining"]["results"]
        for step in r["path"]
        if step["offer"] is not None
    ]
    assert offers and all(set(o) == {"index", "bundle"} for o in offers)


def test_a_plain_script_prints_an_outcome(tmp_path: Path) -> None:
    """No __main__ guard, run from another directory: names resolve under the root given."""
    script = tmp_path / "script.py"
    script.write_text(
        "import sim\n"
        f"outcome = sim.analyse('interim_ceasefire', root={str(ROOT)!r})\n"
        "print(outcome.space.acceptable)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "15"


def test_policy_variants_validated_at_load_give_the_same_leverage_game() -> None:
    """The leverage game reuses the policy variants that loading validated; a scenario derived
    with overrides (a sweep point) derives its own, with the same result when nothing moved."""
    loaded = sim.load_scenario("baseline", root=ROOT)
    assert loaded.scenario.leverage is not None
    assert set(loaded.policy_variants) == set(loaded.scenario.leverage.policies)
    derived = loaded.raw().with_overrides({})
    assert derived.policy_variants == {}
    assert outcome_document(analyse_scenario(loaded)) == outcome_document(analyse_scenario(derived))


def test_figures_reports_and_odds_from_python(tmp_path: Path) -> None:
    """The functions that load matplotlib and scipy on first use, driven as a notebook would."""
    record = sim.run("sanctions_threat", out=tmp_path / "run", root=ROOT)
    assert record.folder is not None
    chart = sim.figure(record.folder, "space", scenario="sanctions_threat")
    assert type(chart.figure).__name__ == "Figure" and chart.caption
    (written,) = sim.write_report([record.folder], tmp_path / "report.html")
    assert written.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    odds = sim.uncertainty([WAR / "baseline.yaml"], draws=20, seed=3, sensitivity=False)
    again = sim.uncertainty([WAR / "baseline.yaml"], draws=20, seed=3, sensitivity=False)
    assert odds.document() == again.document()
    assert 0.0 < odds.document()["scenarios"]["baseline"]["p_zone"] < 1.0
    zone = odds.summary["baseline"].zone  # the README's example: the typed summary
    assert (zone.p, zone.ci) == (
        odds.document()["scenarios"]["baseline"]["p_zone"],
        odds.document()["scenarios"]["baseline"]["p_zone_ci"],
    )

"""A run folder stores every outcome typed (``analysis.json``), and reports and figures read
it instead of analysing again.

Oracles: every renderer (the outcome document, the table row, the terminal text, the games)
gives the same output for an outcome and for the outcome stored and read back, on every
fixture family; a report made with the analysis disabled equals the report of a folder
analysed again, line for line but the note saying so; a solution rule registered when the
run was made and not when the report is made still shows (it can only come from the file).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sim
from sim.analysis import analyse as analyse_module
from sim.analysis.document import outcome_document
from sim.analysis.row import outcome_row
from sim.analysis.stored import outcome_from_json, outcome_to_json
from sim.cli import app
from sim.core import solutions
from sim.errors import InputError
from sim.report.games_text import render_games
from sim.report.outcome_text import render_outcome
from sim.runs import run as run_module
from tests.conftest import FIXTURES, WAR

FAMILIES = [
    FIXTURES / "toy" / "base.yaml",
    FIXTURES / "toy" / "child.yaml",
    *sorted(WAR.glob("*.yaml")),
    FIXTURES / "trade" / "three_party.yaml",
    FIXTURES / "talks" / "two_party.yaml",
    FIXTURES / "talks" / "both_private.yaml",
    FIXTURES / "consent" / "peacekeepers.yaml",
    FIXTURES / "linked" / "linked.yaml",
]


def invoke(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", FAMILIES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_stored_outcome_renders_as_the_outcome(path: Path) -> None:
    outcome = sim.analyse(path)
    text = json.dumps(outcome_to_json(outcome), allow_nan=False)
    back = outcome_from_json(json.loads(text), str(path))
    assert json.dumps(outcome_document(back)) == json.dumps(outcome_document(outcome))
    assert outcome_row(back) == outcome_row(outcome)
    assert render_outcome(back) == render_outcome(outcome)
    assert render_games(back.games) == render_games(outcome.games)


def report(folder: Path, out: Path) -> list[str]:
    invoke(["report", str(folder), "--format", "markdown", "--out", str(out)])
    return out.read_text(encoding="utf-8").splitlines()


def test_the_report_reads_the_stored_outcomes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "run"
    invoke(["run", str(WAR), "--out", str(folder)])
    stored = json.loads((folder / "analysis.json").read_text(encoding="utf-8"))
    assert set(stored["outcomes"]) == {p.stem for p in WAR.glob("*.yaml")}
    first = report(folder, tmp_path / "first" / "report.md")
    with monkeypatch.context() as patch:  # analysed again, as a folder made before is
        patch.setattr(run_module, "read_outcomes", lambda folder: None)
        analysed = report(folder, tmp_path / "analysed" / "report.md")

    def broken(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report analysed a scenario again")

    monkeypatch.setattr(analyse_module, "analyse_scenario", broken)
    read = report(folder, tmp_path / "read" / "report.md")
    assert read == first
    note = [n for n, line in enumerate(analysed) if "analysed again" in line]
    assert len(note) == 1 and analysed[note[0] + 1] == ""
    del analysed[note[0] : note[0] + 2]  # the note and the blank line after it

    def numbered(lines: list[str]) -> list[str]:  # the note shifts the figures' numbers
        return [re.sub(r"_figures/\d+-", "_figures/N-", line) for line in lines]

    assert numbered(analysed) == numbered(read)


def test_a_rule_gone_since_the_run_still_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lowest_index(x: solutions.SolutionInputs) -> int | None:
        return 0 if x.indices.shape[0] else None

    rule = solutions.SolutionRule("lowest_index", "lowest index", lowest_index)
    folder = tmp_path / "run"
    with monkeypatch.context() as patch:
        patch.setattr(solutions, "SOLUTION_RULES", (*solutions.SOLUTION_RULES, rule))
        invoke(["run", str(FIXTURES / "toy" / "base.yaml"), "--out", str(folder)])
    assert "lowest index" in "\n".join(report(folder, tmp_path / "report.md"))


def test_an_edited_store_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    invoke(["run", str(FIXTURES / "toy" / "base.yaml"), "--out", str(folder)])
    path = folder / "analysis.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["outcomes"]["base"]["space"]["acceptable"] += 1
    path.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(folder), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "analysis.json" in result.output
    assert "Traceback" not in result.output


def test_what_is_not_a_stored_outcome_is_named() -> None:
    data = outcome_to_json(sim.analyse(FIXTURES / "toy" / "base.yaml"))
    data["space"]["acceptable"] = "many"
    with pytest.raises(InputError, match=r"here: not a stored outcome \(outcome\.space"):
        outcome_from_json(data, "here")
    del data["space"]
    with pytest.raises(InputError, match=r"outcome\.space: missing"):
        outcome_from_json(data, "here")


def test_load_outcomes_gives_the_runs_outcomes(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    record = sim.run(WAR, out=folder)
    loaded = sim.load_outcomes(folder)
    assert list(loaded) == [o.scenario for o in record.outcomes]
    for outcome in record.outcomes:
        assert outcome_row(loaded[outcome.scenario]) == outcome_row(outcome)
    with pytest.raises(InputError, match="no stored outcomes"):
        sim.load_outcomes(
            sim.sweep(
                WAR / "baseline.yaml",
                grid={"levers.aid.value": [1.0]},
                out=tmp_path / "sweep",
                executor="serial",
            ).folder
        )


@pytest.mark.parametrize(
    "only", [["space"], ["space", "frontier", "solutions"], ["space", "bargaining"]]
)
def test_an_outcome_of_some_analyses_is_stored_as_it_is(only: list[str]) -> None:
    outcome = sim.analyse(WAR / "sanctions_threat.yaml", only=only)
    back = outcome_from_json(json.loads(json.dumps(outcome_to_json(outcome))), "x")
    assert back.analyses == outcome.analyses
    assert json.dumps(outcome_document(back)) == json.dumps(outcome_document(outcome))
    assert render_outcome(back) == render_outcome(outcome)

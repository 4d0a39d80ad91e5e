"""`sim forecast`: questions answered from the scenarios dated up to a day, with their
derivation; the case's forecasts on record equal the command's output."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.compile import compile_problem
from sim.core.verdict import Verdict, judge_terms
from sim.model import load_scenario
from sim.runs import forecast as forecast_module
from sim.runs.forecast import FORECASTS, forecast, forecast_text
from tests.conftest import REPO

TOY = REPO / "tests" / "fixtures" / "toy" / "base.yaml"
CLOSED = {
    "parties.a.red_lines": [{"issue": "border", "options": ["west", "middle"]}],
    "parties.b.red_lines": [{"issue": "border", "options": ["east"]}],
}


def folder_with(tmp_path: Path, questions: dict[str, Any], **scenario: Any) -> Path:
    """A scenario folder: the toy (dated 2025-01-01, nothing drawn unless given) and its
    questions."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "base.yaml").write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    document = {
        "name": "dated",
        "extends": "base",
        "date": "2025-01-01",
        "uncertainty": {"vary": {}},
        **scenario,
    }
    (tmp_path / "dated.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    (tmp_path / "forecasts").mkdir()
    asked = {"as_of": "2025-02-01", "draws": 64, "seed": 2, "questions": questions}
    (tmp_path / "forecasts" / "questions.yaml").write_text(yaml.safe_dump(asked), "utf-8")
    return tmp_path


def ask(output: str, scenario: str = "dated.yaml") -> dict[str, Any]:
    return {"Q": {"question": "q?", "scenario": scenario, "output": output}}


def test_a_proposal_verdict_is_the_cores_verdict(tmp_path: Path) -> None:
    """With nothing drawn, the share is 1 or 0 as the core's own verdict on the terms says."""
    folder = folder_with(tmp_path, {**ask("proposal.compromise.a"), "R": ask("zone")["Q"]})
    found = forecast(folder)
    scenario = load_scenario(folder / "dated.yaml").scenario
    problem = compile_problem(scenario)
    terms = {problem.issue_index(k): problem.option_index(k, v) for k, v in
             scenario.proposals["compromise"].terms.items()}  # fmt: skip
    verdict = judge_terms(problem, terms)[problem.parties.index("a")]
    expected = 1.0 if verdict.verdict is Verdict.ACCEPTS else 0.0
    assert found["forecasts"]["Q"]["probability"] == expected
    assert found["forecasts"]["R"]["probability"] == 1.0
    assert found["notes"] == ["source doc is undated: it cannot be shown to precede 2025-02-01"]


def test_structures_mix_and_a_structures_weight_is_its_prior(tmp_path: Path) -> None:
    structures = {
        "stated": {"weight": 0.3},
        "closed": {"weight": 0.7, "set": CLOSED},
    }
    folder = folder_with(
        tmp_path,
        {**ask("zone"), "W": ask("structure.closed")["Q"], "A": ask("no_agreement_by.24")["Q"]},
        uncertainty={"vary": {"parties.*.weights.*": {"relative": 0.1}}, "structures": structures},
    )
    found = forecast(folder)["forecasts"]
    assert found["Q"]["probability"] == pytest.approx(0.3)  # a zone only in the stated reading
    low, high = found["Q"]["interval"]
    assert low <= 0.3 <= high
    assert found["Q"]["by_structure"] == {"stated": 1.0, "closed": 0.0}
    assert found["W"]["probability"] == 0.7 and found["W"]["interval"] is None
    assert "not a model output" in found["W"]["from"]
    assert found["A"]["probability"] == pytest.approx(0.7)  # no agreement without a zone


def test_a_scenario_asked_only_for_a_structures_weight_is_not_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A structure's prior weight is a stated judgment: no draws are made for it (the answer
    is the same as when they are)."""
    structures = {"stated": {"weight": 0.3}, "closed": {"weight": 0.7, "set": CLOSED}}
    folder = folder_with(
        tmp_path,
        ask("structure.closed"),
        uncertainty={"vary": {"parties.*.weights.*": {"relative": 0.1}}, "structures": structures},
    )
    drawn: list[list[str]] = []
    real = forecast_module.uncertainty

    def recorded(scenarios: list[Any], **options: Any) -> Any:
        drawn.append([s.scenario.name for s in scenarios])
        return real(scenarios, **options)

    monkeypatch.setattr(forecast_module, "uncertainty", recorded)
    found = forecast(folder)["forecasts"]
    assert drawn == [] and found["Q"]["probability"] == 0.7
    both = folder_with(
        tmp_path / "both",
        {**ask("structure.closed"), "Z": ask("zone")["Q"]},
        uncertainty={"vary": {"parties.*.weights.*": {"relative": 0.1}}, "structures": structures},
    )
    assert forecast(both)["forecasts"]["Q"] == found["Q"] and drawn == [["dated"]]


def test_nothing_dated_after_the_day_enters(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = folder_with(tmp_path, ask("zone"))
    later = runner.invoke(app, ["forecast", str(folder), "--as-of", "2024-12-01"])
    assert later.exit_code == 2 and "Traceback" not in later.output
    assert "questions.Q.scenario: dated.yaml is dated 2025-01-01, after the forecast's day" in (
        later.output
    )
    quoted = folder_with(tmp_path / "q", ask("zone"), set={"sources.doc.date": "2025-06-01"})
    result = runner.invoke(app, ["forecast", str(quoted)])
    assert result.exit_code == 2
    assert "quotes doc, dated 2025-06-01, after the forecast's day 2025-02-01" in result.output
    wrong = folder_with(tmp_path / "w", ask("proposal.nothing.a"))
    result = runner.invoke(app, ["forecast", str(wrong)])
    assert result.exit_code == 2 and "questions.Q.output: no proposal 'nothing'" in result.output
    bad_day = runner.invoke(app, ["forecast", str(folder), "--as-of", "March"])
    assert bad_day.exit_code == 2 and "--as-of: 'March' is not a date" in bad_day.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["forecast", str(empty)])
    assert result.exit_code == 2 and "no forecasts/questions.yaml" in result.output


def test_out_is_not_overwritten_without_force(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, ask("zone"))
    out = tmp_path / "out.yaml"
    out.write_text("kept", encoding="utf-8")
    result = CliRunner().invoke(app, ["forecast", str(folder), "--out", str(out)])
    assert result.exit_code == 2 and out.read_text(encoding="utf-8") == "kept"
    result = CliRunner().invoke(app, ["forecast", str(folder), "--out", str(out), "--force"])
    assert result.exit_code == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["forecasts"]["Q"]["probability"] == 1.0


@pytest.mark.slow
def test_the_cases_forecasts_on_record_equal_the_commands_output() -> None:
    """scenarios/ukraine/forecasts/forecasts.yaml is what `sim forecast scenarios/ukraine/`
    prints: regenerate it with `--out ... --force` after changing a judgment."""
    case = REPO / "scenarios" / "ukraine"
    document = forecast(case)
    assert document["as_of"] == datetime.date(2025, 3, 12).isoformat()
    assert forecast_text(document) == (case / FORECASTS).read_text(encoding="utf-8")

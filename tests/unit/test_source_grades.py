"""Sources graded A, B or C: validate names every judgment whose quotes all come from grade C."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.model import load_scenario
from sim.model.checks import weakest_evidence

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"


def graded(folder: Path, grades: dict[str, str], **extra: object) -> Path:
    (folder / "base.yaml").write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    sources = {
        "doc": {"title": "Toy document", "document": "toy.txt"},
        "other": {"title": "Another report", "document": "toy.txt"},
    }
    for name, grade in grades.items():
        sources[name]["reliability"] = {"grade": grade, "reason": f"{name} is grade {grade}"}
    path = folder / "graded.yaml"
    document = {"name": "graded", "extends": "base", "set": {"sources": sources, **extra}}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_judgments_resting_only_on_grade_c_are_named(tmp_path: Path) -> None:
    path = graded(tmp_path, {"doc": "C", "other": "A"})
    found = weakest_evidence(load_scenario(path).scenario)
    # the toy quotes doc for the war and for a's red line on alignment
    assert found == [
        "war.evidence: its quoted evidence is all grade C (doc)",
        "parties.a.red_lines.0.evidence: its quoted evidence is all grade C (doc)",
    ]
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert "warning: war.evidence: its quoted evidence is all grade C (doc)" in result.output


def test_a_second_source_of_a_better_grade_lifts_the_warning(tmp_path: Path) -> None:
    evidence = [
        {"source": "doc", "quote": "a is likely to prevail"},
        {"source": "other", "quote": "a is likely to prevail"},
    ]
    path = graded(tmp_path, {"doc": "C", "other": "B"}, **{"war.evidence": evidence})
    assert weakest_evidence(load_scenario(path).scenario) == [
        "parties.a.red_lines.0.evidence: its quoted evidence is all grade C (doc)"
    ]


def test_nothing_is_named_without_grades_or_without_grade_c(tmp_path: Path) -> None:
    assert weakest_evidence(load_scenario(graded(tmp_path, {})).scenario) == []
    assert weakest_evidence(load_scenario(graded(tmp_path, {"doc": "B"})).scenario) == []


def test_a_bad_grade_is_refused(tmp_path: Path) -> None:
    path = graded(tmp_path, {"doc": "D"})
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "sources.doc.reliability.grade" in result.output


def test_a_warning_a_validated_parent_gives_is_given_once(tmp_path: Path) -> None:
    """Validating a folder, a variant does not repeat a grade-C warning on a field its parent
    states when the parent gives it too; validated alone, it does; and a warning that arises
    only in the variant (its parent ungraded) is given for the variant."""
    (tmp_path / "base.yaml").write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    sources = {"doc": {"title": "Toy", "document": "toy.txt",
                       "reliability": {"grade": "C", "reason": "undated"}}}  # fmt: skip
    (tmp_path / "graded.yaml").write_text(
        yaml.safe_dump({"name": "graded", "extends": "base", "set": {"sources": sources}}),
        encoding="utf-8",
    )
    (tmp_path / "child.yaml").write_text(
        yaml.safe_dump({"name": "child", "extends": "graded", "set": {"levers.aid.value": 0.5}}),
        encoding="utf-8",
    )
    runner = CliRunner()
    folder = runner.invoke(app, ["validate", str(tmp_path)]).output
    line = "war.evidence: its quoted evidence is all grade C (doc)"
    assert folder.count(line) == 1 and "graded.yaml: warning: " + line in folder
    alone = runner.invoke(app, ["validate", str(tmp_path / "child.yaml")]).output
    assert "child.yaml: warning: " + line in alone

"""`sim validate` warns about structures that leave nothing to agree on."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sim.cli import app

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"


def variant(tmp_path: Path, settings: str) -> Path:
    (tmp_path / "base.yaml").write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: base.yaml\nname: variant\nset: {{{settings}}}\n", encoding="utf-8")
    return path


def validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", str(path)])
    return result.exit_code, result.output


def test_the_toy_scenario_has_a_zone_and_no_warning(tmp_path: Path) -> None:
    code, output = validate(variant(tmp_path, "levers.aid.value: 1.0"))
    assert code == 0 and "warning" not in output, output


def test_no_zone_is_a_warning_naming_what_would_open_one(tmp_path: Path) -> None:
    # both sides ask more than 0.9: no bundle gives both of them that much
    code, output = validate(
        variant(tmp_path, "parties.a.reservation: 0.9, parties.b.reservation: 0.9")
    )
    assert code == 0, output
    assert "variant.yaml: warning: no zone of agreement: none of the 3 feasible bundles" in output
    assert "parties.b.reservation" in output


def test_red_lines_closing_an_issue_are_a_warning(tmp_path: Path) -> None:
    code, output = validate(variant(tmp_path, "parties.a.red_lines.0.options: [aligned, neutral]"))
    assert code == 0, output
    assert (
        "warning: no feasible bundle: the veto parties' red lines rule out every option of "
        "issues.status" in output
    )


def test_a_red_line_without_evidence_is_a_warning(tmp_path: Path) -> None:
    code, output = validate(variant(tmp_path, "parties.a.red_lines.0.evidence: []"))
    assert code == 0, output
    assert (
        "warning: parties.a.red_lines.0: no evidence supports the red line on status (aligned)"
        in output
    )

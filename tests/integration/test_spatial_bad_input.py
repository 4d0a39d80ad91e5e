"""Bad spatial input: one message naming the file, the field and the reason; exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app

GOOD = """\
name: bad
issues:
  nato:
    options: {open: Open, delay: Delayed, neutral: Neutral}
parties:
  a:
    reservation: 0.4
    weights: {nato: 1}
    values:
      nato: {open: 0.0, delay: 0.5, neutral: 1.0}
spatial:
  dimensions:
    line:
      scale: [0, 100]
    deferral:
      scale: [0, 20]
      issue: nato
      positions: {open: 0, delay: 10, neutral: 20}
  actors:
    east:
      capability: 0.6
      positions: {line: 80, deferral: neutral}
      salience: {line: 0.9, deferral: 0.7}
    west:
      capability: 0.4
      positions: {line: 10, deferral: 2}
      salience: {line: 0.5, deferral: 0.8}
"""

CASES: dict[str, tuple[tuple[str, str], list[str]]] = {
    # case: ((text to replace, replacement), fragments of the one message)
    "position_off_scale": (
        ("positions: {line: 10, deferral: 2}", "positions: {line: 110, deferral: 2}"),
        [
            "bad.yaml:26",
            "spatial.actors.west.positions.line",
            "110.0 is off the scale [0.0, 100.0]",
        ],
    ),
    "option_position_off_scale": (
        ("{open: 0, delay: 10, neutral: 20}", "{open: 0, delay: 10, neutral: 25}"),
        ["bad.yaml:18", "spatial.dimensions.deferral.positions.neutral", "off the scale"],
    ),
    "salience_out_of_range": (
        ("salience: {line: 0.5, deferral: 0.8}", "salience: {line: 1.5, deferral: 0.8}"),
        ["bad.yaml:27", "spatial.actors.west.salience.line", "less than or equal to 1"],
    ),
    "capability_negative": (
        ("capability: 0.4", "capability: -0.4"),
        ["bad.yaml:25", "spatial.actors.west.capability", "greater than or equal to 0"],
    ),
    "one_point_scale": (
        ("scale: [0, 100]", "scale: [50, 50]"),
        ["bad.yaml:14", "spatial.dimensions.line.scale", "a scale needs two points"],
    ),
    "scale_overflows": (
        ("scale: [0, 100]", "scale: [-1e308, 1e308]"),
        ["bad.yaml:14", "spatial.dimensions.line.scale", "width overflows"],
    ),
    "capability_overflows": (
        ("capability: 0.4", "capability: 1.0e+307"),
        ["bad.yaml:19", "spatial.actors", "capabilities too large"],
    ),
    "ordered_issue_without_positions": (
        ("      positions: {open: 0, delay: 10, neutral: 20}\n", ""),
        ["bad.yaml:15", "spatial.dimensions.deferral.positions", "needs a position: missing open"],
    ),
    "positions_out_of_order": (
        ("{open: 0, delay: 10, neutral: 20}", "{open: 0, delay: 20, neutral: 10}"),
        ["spatial.dimensions.deferral.positions", "follow the options' order"],
    ),
    "unknown_option_as_position": (
        ("deferral: neutral}", "deferral: nuetral}"),
        ["bad.yaml:22", "spatial.actors.east.positions.deferral", "unknown option 'nuetral'"],
    ),
    "missing_position": (
        ("positions: {line: 10, deferral: 2}", "positions: {line: 10}"),
        ["bad.yaml:26", "spatial.actors.west.positions", "missing for dimension deferral"],
    ),
    "unknown_issue": (
        ("issue: nato", "issue: natoo"),
        ["bad.yaml:17", "spatial.dimensions.deferral.issue", "unknown issue 'natoo'"],
    ),
}


def _check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, fragments: list[str]
) -> None:
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for args in (["spatial", "bad.yaml", "--no-record"], ["validate", "bad.yaml"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1, result.output
        for fragment in fragments:
            assert fragment in lines[0], result.output


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_spatial_input(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (old, new), fragments = CASES[case]
    assert old in GOOD
    _check(tmp_path, monkeypatch, GOOD.replace(old, new), fragments)


def test_all_capabilities_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = GOOD.replace("capability: 0.6", "capability: 0").replace(
        "capability: 0.4", "capability: 0"
    )
    _check(
        tmp_path, monkeypatch, text, ["bad.yaml:19", "spatial.actors", "every capability is zero"]
    )


def test_the_good_file_is_good(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cases above fail for their own reason: the file they alter is valid, and an
    option named as a position takes the option's position."""
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["spatial", "good.yaml", "--model", "compromise", "--json", "--no-record"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    # deferral: east at neutral (20), west at 2; weights 0.6*0.7 and 0.4*0.8
    expected = (0.42 * 20 + 0.32 * 2) / (0.42 + 0.32)
    assert document["forecast"]["deferral"] == pytest.approx(expected, abs=1e-12)


def test_a_spatial_reading_alone_needs_no_issues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without issues and parties, `sim spatial` works and `sim run` says why it cannot."""
    text = (
        GOOD.split("spatial:")[1]
        .replace("      issue: nato\n", "")
        .replace("      positions: {open: 0, delay: 10, neutral: 20}\n", "")
        .replace("deferral: neutral}", "deferral: 20}")
    )
    (tmp_path / "alone.yaml").write_text("name: alone\nspatial:" + text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, ["validate", "alone.yaml"]).exit_code == 0
    assert CliRunner().invoke(app, ["spatial", "alone.yaml", "--no-record"]).exit_code == 0
    result = CliRunner().invoke(app, ["run", "alone.yaml", "--no-record"])
    assert result.exit_code == 2
    assert "issues: none (a spatial reading alone)" in result.output
    assert "Traceback" not in result.output


def test_issues_still_required_without_a_spatial_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.yaml").write_text("name: bad\nparties:\n  a: {reservation: 0.1}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "bad.yaml"])
    assert result.exit_code == 2
    assert "issues: required key is missing" in result.output

"""Bad private information: exit 2, one message naming the file, the field and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.core.screening import TYPE_LIMIT
from sim.model.schema import PRIVATE_GRID_LIMIT

FIXTURE = Path(__file__).parents[1] / "fixtures" / "talks" / "two_party.yaml"
BELIEF = "      belief: {uniform: [0.0, 0.4]}\n"
GRID = "      grid: 40\n"


def variant(old: str, new: str) -> str:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


CASES = {
    "negative_spread": (
        variant(BELIEF, "      belief: {jitter: -0.1}\n"),
        ["war.private.b.belief.jitter", "greater than or equal to 0"],
    ),
    "degenerate_jitter": (
        variant(BELIEF, "      belief: {jitter: 0.0}\n"),
        ["war.private.b.belief.jitter", "degenerate"],
    ),
    "degenerate_uniform": (
        variant(BELIEF, "      belief: {uniform: [0.2, 0.2]}\n"),
        ["war.private.b.belief.uniform", "degenerate"],
    ),
    "reversed_uniform": (
        variant(BELIEF, "      belief: {uniform: [0.4, 0.1]}\n"),
        ["war.private.b.belief", "lo 0.4 > hi 0.1"],
    ),
    "value_outside_its_range": (
        variant(BELIEF, "      belief: {uniform: [0.1, 1.4]}\n"),
        ["war.private.b.belief.uniform", "must lie in [0, 1]"],
    ),
    "normal_mean_outside_its_range": (
        variant(BELIEF, "      belief: {normal: [-0.5, 0.1]}\n"),
        ["war.private.b.belief.normal", "must lie in [0, 1]"],
    ),
    "party_without_veto": (
        variant("  b:\n    discount: 0.5\n", "  b:\n    veto: false\n    discount: 0.5\n"),
        ["war.private.b", "has no veto"],
    ),
    "unknown_party": (
        variant("  private:\n    b:\n", "  private:\n    c:\n"),
        ["war.private.c", "unknown party 'c'"],
    ),
    "grid_too_large": (
        variant(GRID, f"      grid: {PRIVATE_GRID_LIMIT + 1}\n"),
        ["war.private.b.grid", "exceed the memory limit"],
    ),
    "empty_grid": (
        variant(GRID, "      grid: 0\n"),
        ["war.private.b.grid", "greater than or equal to 1"],
    ),
    "unknown_field": (
        variant("      field: cost\n", "      field: resolve\n"),
        ["war.private.b.field", "'cost' or 'odds'"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_private_information_exits_2_naming_file_and_field(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, fragments = CASES[case]
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in (["validate", "bad.yaml"], ["run", "bad.yaml", "--no-record"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1, result.output
        assert lines[0].startswith("bad.yaml"), result.output
        for fragment in fragments:
            assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"


def test_the_grid_limit_of_the_format_is_the_solvers():
    assert PRIVATE_GRID_LIMIT == TYPE_LIMIT

"""`sim validate` warns about declared spreads that never vary their field."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sim.cli import app

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"


def child(tmp_path: Path, aid: float, spread: str) -> Path:
    base = tmp_path / "base.yaml"
    base.write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "variant.yaml"
    path.write_text(
        f"extends: base.yaml\nname: variant\nset: {{levers.aid.value: {aid}}}\n"
        f"uncertainty:\n  draws: 10\n  vary:\n    levers.aid.value: {{{spread}}}\n",
        encoding="utf-8",
    )
    return path


def validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", str(path)])
    return result.exit_code, result.output


def test_a_relative_spread_of_zero_is_a_warning(tmp_path: Path) -> None:
    code, output = validate(child(tmp_path, 0.0, "relative: 0.5"))
    assert code == 0, output
    assert (
        "variant.yaml: warning: vary.levers.aid.value: levers.aid.value = 0 never varies "
        "(a relative spread of a value of 0 is 0); give it an absolute width" in output
    )


def test_an_absolute_width_or_a_nonzero_value_varies(tmp_path: Path) -> None:
    for aid, spread in ((0.0, "jitter: 0.2"), (1.0, "relative: 0.5")):
        code, output = validate(child(tmp_path, aid, spread))
        assert code == 0 and "never varies" not in output, output


def test_a_zero_width_is_a_warning_too(tmp_path: Path) -> None:
    code, output = validate(child(tmp_path, 1.0, "jitter: 0.0"))
    assert code == 0 and "levers.aid.value = 1 never varies (its width is 0)" in output, output

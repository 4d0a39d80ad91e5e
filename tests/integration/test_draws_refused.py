"""Distributions whose draws would not be finite numbers in their field's range are refused when
the scenario is validated (exit 2, one message naming the file, the line and the field), and a
normal far in a tail is drawn right."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.model import load_many
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import parse_vary, resolve_judgments

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy"


def invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    return folder


BAD = {
    "levers.aid.value": ({"uniform": [-1e308, 1e308]}, "wider than the largest double"),
    "parties.b.power": ({"relative": 1e308}, "relative 1e+308 around 2 gives uniform [-inf, inf]"),
    "parties.a.values.border.middle": ({"beta": [1e308, 1e308]}, "not numbers (NaN)"),
}


def test_non_finite_draws_are_refused_naming_file_and_field(toy: Path) -> None:
    bad = toy / "bad.yaml"
    vary = {path: spec for path, (spec, _) in BAD.items()}
    document = {"name": "bad", "extends": "base", "uncertainty": {"vary": vary}}
    bad.write_text(yaml.safe_dump(document), encoding="utf-8")
    for command in (["uncertainty", str(bad), "--no-record"], ["validate", str(bad)]):
        code, _, stderr = invoke(command)
        assert code == 2, stderr
        assert "Traceback" not in stderr
        lines = stderr.strip().splitlines()
        for path, (_, words) in BAD.items():
            assert any(
                "bad.yaml:" in line and f"uncertainty.vary.{path}:" in line and words in line
                for line in lines
            ), (path, lines)


@pytest.mark.parametrize(
    "vary",
    [
        "levers.aid.value=uniform:-1e308,1e308",
        "levers.aid.value=relative:1e308",
        "parties.a.values.border.middle=beta:1e308,1e308",
    ],
)
def test_non_finite_draws_from_the_command_line_are_refused(toy: Path, vary: str) -> None:
    code, _, stderr = invoke(["uncertainty", str(toy / "base.yaml"), "--no-record", "--vary", vary])
    assert code == 2
    assert stderr.startswith(f"--vary: {vary.split('=')[0]}:")
    assert "Traceback" not in stderr


def test_a_normal_far_in_a_tail_is_drawn_near_its_truncated_mean() -> None:
    # N(-0.5, 0.05) conditioned on [0, 1] has mean 0.004905 (closed form, see
    # tests/unit/test_distributions.py); the cancelling difference of CDFs drew 1.0
    (loaded,) = load_many(str(TOY / "base.yaml"))
    vary = parse_vary(["parties.a.values.border.middle=normal:-0.5,0.05"])
    judgments = resolve_judgments(loaded, vary)
    column = [j.path for j in judgments].index("parties.a.values.border.middle")
    drawn = draw_block(judgments, 3, 0, 20_000)[:, column]
    standard_error = 0.0049 / 20_000**0.5  # the truncated sd is about the mean (exponential tail)
    assert abs(float(drawn.mean()) - 0.004905) < 5 * standard_error
    assert 0.0 < drawn.min() and drawn.max() < 0.1

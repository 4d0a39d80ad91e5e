"""`sim uncertainty` estimates its time and memory before the first draw and refuses what
exceeds them, naming the size and the variable that raises the limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


def uncertainty(draws: int) -> list[str]:
    return ["uncertainty", str(TOY), "--no-record", "--draws", str(draws), "--strategic-draws", "0"]


def test_the_cell_budget_is_exact_at_its_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    # the toy: border (3 options) x status (2, `aligned` red-lined by a) = 3 feasible bundles,
    # judged by its 2 veto parties: 6 cells a draw
    monkeypatch.setenv("SIM_MAX_MC_CELLS", "600")
    assert invoke(uncertainty(100))[0] == 0
    code, output = invoke(uncertainty(101))
    assert code == 2 and "Traceback" not in output
    assert (
        "101 draws x 6 bundle-judge cells = 6.1e+02 cells, more than the limit of 6e+02" in output
    )
    assert "100 draws would fit; raise the limit with $SIM_MAX_MC_CELLS" in output


def test_the_memory_budget_names_the_scenario(monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke(uncertainty(10))[0] == 0
    monkeypatch.setenv("SIM_MAX_MC_BYTES", "100")  # 3 bundles x (2 issues + 2 judges + 2) x 8
    code, output = invoke(uncertainty(10))
    assert code == 2
    assert "base: `sim uncertainty` holds 3 feasible bundles x (2 issues + 2 judges)" in output
    assert "$SIM_MAX_MC_BYTES" in output
    monkeypatch.setenv("SIM_MAX_MC_BYTES", "144")  # exactly 3 x 6 x 8
    assert invoke(uncertainty(10))[0] == 0

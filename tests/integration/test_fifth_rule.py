"""A bargaining solution added to the registry in one place (here, by a test) reaches `sim run`,
its JSON, the outcome table, the report and `sim uncertainty`, one draw or many, with no other
change (docs/architecture.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.core import solutions
from sim.core.solutions import SolutionInputs, SolutionRule
from sim.model import load_scenario
from tests.property.test_montecarlo_property import assert_exact

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"


def lowest_index(x: SolutionInputs) -> int | None:
    """The frontier bundle with the lowest index: a rule no kernel knows."""
    return int(np.argmin(x.indices)) if x.indices.shape[0] else None


@pytest.fixture
def fifth_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = SolutionRule("lowest_index", "lowest index", lowest_index)
    monkeypatch.setattr(solutions, "SOLUTION_RULES", (*solutions.SOLUTION_RULES, rule))


def invoke(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.usefixtures("fifth_rule")
def test_run_json_table_and_report(tmp_path: Path) -> None:
    document = json.loads(invoke(["run", str(TOY), "--json", "--no-record"]))
    frontier = [point["index"] for point in document["frontier"]]
    assert document["solutions"]["lowest_index"]["index"] == min(frontier)
    out = tmp_path / "run"
    invoke(["run", str(TOY), "--out", str(out)])
    with (out / "outcomes.csv").open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["lowest_index_bundle"]
    invoke(["report", str(out), "--out", str(tmp_path / "report.html")])
    assert "lowest index" in (tmp_path / "report.html").read_text(encoding="utf-8")


@pytest.mark.usefixtures("fifth_rule")
def test_uncertainty_json_and_every_draw_as_one_draw_at_a_time(tmp_path: Path) -> None:
    out = tmp_path / "odds"
    summary = json.loads(
        invoke(["uncertainty", str(TOY), "--draws", "30", "--json", "--out", str(out)])
    )
    assert "lowest_index" in summary["scenarios"]["base"]["solutions"]
    # the rule has no vectorised kernel: every draw goes to the per-draw core, and equals the
    # one-draw analysis of the drawn scenario
    assert assert_exact(load_scenario(TOY), draws=12, seed=5) > 0


def test_without_the_rule_nothing_is_added() -> None:
    document = json.loads(invoke(["run", str(TOY), "--json", "--no-record"]))
    assert "lowest_index" not in document["solutions"]

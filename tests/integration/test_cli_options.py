"""Command-line options that widen what a command may read: --allow-outside."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.errors import ScenarioError

PARENT = """name: parent
issues:
  x: {options: {a: A, b: B}}
parties:
  p: {reservation: 0.1, weights: {x: 1}, values: {x: {a: 1, b: 0}}}
  q: {reservation: 0.1, weights: {x: 1}, values: {x: {a: 0, b: 1}}}
"""


@pytest.mark.parametrize("command", ["validate", "show", "run", "games"])
def test_extends_outside_the_tree_needs_allow_outside(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "parent.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "inner").mkdir()
    child = tmp_path / "inner" / "child.yaml"
    child.write_text("name: child\nextends: ../parent.yaml\n", encoding="utf-8")
    extra = ["--no-record"] if command == "run" else []
    refused = CliRunner().invoke(app, [command, str(child), *extra])
    assert refused.exit_code == 2 and "outside the scenario folders" in refused.output
    allowed = CliRunner().invoke(app, [command, str(child), *extra, "--allow-outside"])
    assert allowed.exit_code == 0, allowed.output
    with pytest.raises(ScenarioError):
        sim.load_scenario(child)
    assert sim.load_scenario(child, allow_outside=True).scenario.name == "child"


def test_every_command_writes_run_folders_under_sim_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sim run`, `sim sweep` and `sim uncertainty` share the API's default results folder."""
    (tmp_path / "parent.yaml").write_text(PARENT, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("SIM_RESULTS", str(elsewhere))
    monkeypatch.chdir(tmp_path)
    scenario = str(tmp_path / "parent.yaml")
    for args in (
        ["run", scenario],
        ["sweep", scenario, "--grid", "parties.p.reservation=0.1,0.2", "--executor", "serial"],
        ["uncertainty", scenario, "--draws", "20"],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    assert len(list(elsewhere.iterdir())) == 3
    assert not (tmp_path / "results").exists()
    listed = CliRunner().invoke(app, ["runs"])
    assert listed.exit_code == 0 and listed.output.count("complete") == 3


def test_sim_runs_before_any_run_says_so_and_a_named_folder_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SIM_RESULTS", raising=False)
    monkeypatch.chdir(tmp_path)  # a folder where nothing has been run: no results/
    listed = CliRunner().invoke(app, ["runs"])
    assert (
        listed.exit_code == 0 and listed.output.strip() == "no runs in results (no such folder yet)"
    )
    named = CliRunner().invoke(app, ["runs", str(tmp_path / "nowhere")])
    assert named.exit_code == 2 and "nowhere" in named.output

"""`sim run` and `sim games` end to end: outcome documents, run folders, games JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.games.verify import is_equilibrium
from tests.conftest import FIXTURES, WAR


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def test_run_json_follows_the_outcome_contract(tmp_path: Path) -> None:
    code, output = invoke(["run", str(WAR / "sanctions_threat.yaml"), "--json", "--no-record"])
    assert code == 0, output
    document = json.loads(output)
    assert document["scenario"] == "sanctions_threat"
    assert document["veto_parties"] == ["north", "south"]
    issues = document["issues"]
    size = 1
    for options in issues.values():
        size *= len(options)
    assert document["space"]["bundles"] == size
    assert 0 < document["space"]["acceptable"] <= document["space"]["feasible"] <= size
    reservations = document["reservations"]
    for point in document["frontier"]:
        assert set(point["bundle"]) == set(issues)
        for party, floor in reservations.items():
            assert point["utilities"][party] >= floor - 1e-12
    for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        solution = document["solutions"][name]
        assert solution is not None
        assert solution["index"] in {p["index"] for p in document["frontier"]}


def test_run_folder_contents(tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, output = invoke(["run", str(WAR), "--out", str(out)])
    assert code == 0, output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert {Path(f["path"]).name for f in manifest["scenario_files"]} == {
        p.name for p in WAR.glob("*.yaml")
    }
    assert all(len(f["sha256"]) == 64 for f in manifest["scenario_files"])
    with (out / "outcomes.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert [r["scenario"] for r in rows] == sorted(r["scenario"] for r in rows)
    for row in rows:
        document = json.loads((out / "outcomes" / f"{row['scenario']}.json").read_text())
        assert int(row["acceptable"]) == document["space"]["acceptable"]
    # the same inputs give the same table bytes
    again = tmp_path / "again"
    assert invoke(["run", str(WAR), "--out", str(again)])[0] == 0
    assert (out / "outcomes.csv").read_bytes() == (again / "outcomes.csv").read_bytes()


def test_run_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    code, output = invoke(["run", str(WAR / "baseline.yaml"), "--out", str(out)])
    assert code == 2
    assert "already exists; a run is never overwritten" in output
    assert (out / "keep.txt").read_text() == "mine"


def test_frontier_limit_truncates_and_says_so() -> None:
    args = ["run", str(WAR / "sanctions_threat.yaml"), "--json", "--no-record"]
    full = json.loads(invoke(args)[1])
    cut = json.loads(invoke([*args, "--frontier-limit", "1"])[1])
    assert len(full["frontier"]) > 1
    assert cut["frontier"] == full["frontier"][:1]
    assert cut["frontier_truncated"] is True
    assert cut["solutions"] == full["solutions"]


def test_games_json_equilibria_are_equilibria() -> None:
    for path in sorted(WAR.glob("*.yaml")):
        code, output = invoke(["games", str(path), "--json"])
        assert code == 0, output
        document = json.loads(output)
        assert document["scenario"] == path.stem
        for game in document["games"]:
            if game["name"] == "leverage":
                assert game["solution_concept"]
                continue
            a, b = (np.array(m) for m in game["payoffs"])
            assert game["equilibria"], game["name"]
            for e in game["equilibria"]:
                x, y = (np.array(s) for s in e["strategies"])
                assert e["verified"] is True
                assert is_equilibrium(a, b, x, y, 1e-9)


@pytest.mark.parametrize("args", [["run", "nowhere"], ["games", "nowhere"]])
def test_unknown_scenario_is_bad_input(args: list[str]) -> None:
    code, output = invoke(args)
    assert code == 2
    assert "nowhere" in output
    assert "Traceback" not in output


def test_bargaining_paths_are_labelled_by_party() -> None:
    """In the last period, passing means war for ever: each side's continuation is its own
    war value (a mislabelled column would swap the two sides')."""
    periods = []
    for path in sorted(WAR.glob("*.yaml")):
        code, output = invoke(["run", str(path), "--json", "--no-record"])
        assert code == 0, output
        bargaining = json.loads(output)["bargaining"]
        north, south = (bargaining["war_values"][p][-1] for p in ("north", "south"))
        assert abs(north - south) > 0.01  # a swap would show
        for result in bargaining["results"]:
            last = result["path"][-1]
            for party, value in last["continuation"].items():
                assert abs(value - bargaining["war_values"][party][-1]) < 1e-9
            if result["agreement_period"] is not None:
                t = result["agreement_period"]
                periods.append(t)
                for party, floor in result["path"][t]["continuation"].items():
                    assert result["utilities"][party] >= floor - 1e-12
    assert max(periods) > 0  # the floor is checked after some months too (interim_ceasefire)


def test_explain_shows_the_dominating_frontier_bundle() -> None:
    fixtures = FIXTURES / "toy" / "base.yaml"
    # west/neutral gives a 0.5 and b 0.75 + 0.075; middle/neutral gives a 0.75, b 0.525
    code, output = invoke(["explain", str(fixtures), "--bundle", "border=west,status=neutral"])
    assert code == 0, output
    assert "no acceptable bundle Pareto-dominates it (it is on the frontier)" in output


def test_games_cross_check_with_nashpy_agrees_on_the_war_fixture() -> None:
    for name in ("sanctions_threat", "baseline"):
        code, output = invoke(["games", str(WAR / f"{name}.yaml"), "--json", "--cross-check"])
        assert code == 0, output
        for game in json.loads(output)["games"]:
            if game["name"] == "leverage":
                continue
            check = game["cross_check"]
            if len(game["strategies"][0]) > 1 and len(game["strategies"][1]) > 1:
                assert check["agrees"] is True, (name, game["name"], check)
            else:
                assert check["error"] and check["agrees"] is None


def test_run_path_prints_every_period_of_every_protocol() -> None:
    code, output = invoke(["run", str(WAR / "interim_ceasefire.yaml"), "--no-record", "--path"])
    assert code == 0, output
    document = json.loads(
        invoke(["run", str(WAR / "interim_ceasefire.yaml"), "--json", "--no-record"])[1]
    )
    horizon = document["bargaining"]["horizon"]
    for result in document["bargaining"]["results"]:
        assert f"path, {result['protocol']}:" in output
    # a row starts with its period, a whole number (a wrapped line may start "0.500;")
    rows = [words for line in output.splitlines() if (words := line.split())[:1]]
    rows = [words for words in rows if words[0].isdigit()]
    assert len(rows) == len(document["bargaining"]["results"]) * (horizon + 1)

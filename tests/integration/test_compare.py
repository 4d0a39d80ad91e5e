"""`sim compare` and `sim runs` on real run folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.runs.compare import compare_runs
from tests.conftest import WAR


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("runs")
    folders = {}
    for name in ("baseline", "aid_freeze"):
        folders[name] = root / name
        code, output = invoke(["run", str(WAR / f"{name}.yaml"), "--out", str(folders[name])])
        assert code == 0, output
    folders["again"] = root / "again"
    assert invoke(["run", str(WAR / "baseline.yaml"), "--out", str(folders["again"])])[0] == 0
    return folders


def test_baseline_against_aid_freeze_shows_the_reservations_move(runs: dict[str, Path]) -> None:
    comparison = compare_runs(runs["baseline"], runs["aid_freeze"])
    changed = {
        c.column: (float(c.old), float(c.new))
        for c in comparison.changes
        if c.column.startswith("reservation_")
    }
    # the freeze raises north's value of fighting on and lowers south's
    assert changed["reservation_north"][1] > changed["reservation_north"][0]
    assert changed["reservation_south"][1] < changed["reservation_south"][0]
    assert comparison.keys == ("scenario",)
    assert comparison.changes[0].key == ("baseline -> aid_freeze",)
    code, output = invoke(
        ["compare", str(runs["baseline"]), str(runs["aid_freeze"]), "--fail-on-change"]
    )
    assert code == 1
    assert "reservation_north" in output and "1 row matched, 1 changed" in output


def test_identical_runs_compare_clean(runs: dict[str, Path]) -> None:
    code, output = invoke(
        ["compare", str(runs["baseline"]), str(runs["again"]), "--fail-on-change"]
    )
    assert code == 0, output
    assert "1 row matched, 0 changed (0 values), 0 only in A, 0 only in B" in output


@pytest.mark.parametrize("fmt", ["markdown", "csv", "json"])
def test_formats(runs: dict[str, Path], fmt: str) -> None:
    code, output = invoke(
        ["compare", str(runs["baseline"]), str(runs["aid_freeze"]), "--format", fmt]
    )
    assert code == 0
    if fmt == "json":
        document = json.loads(output)
        assert document["changed_rows"] == 1
    elif fmt == "csv":
        assert output.splitlines()[0] == "scenario,column,old,new"
    else:
        assert "| scenario | column | old | new |" in output


def test_sweeps_over_different_grids_report_unmatched_keys(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    common = ["sweep", str(WAR / "baseline.yaml"), "--executor", "serial"]
    assert invoke([*common, "--grid", "levers.aid.value=0,1", "--out", str(a)])[0] == 0
    assert invoke([*common, "--grid", "levers.aid.value=1,2", "--out", str(b)])[0] == 0
    comparison = compare_runs(a, b)
    assert comparison.matched == 1
    assert comparison.only_a == (("0",),)
    assert comparison.only_b == (("2",),)
    assert comparison.changes == ()


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        ("same", "comparing a run with itself"),
        ("empty", "not a run folder"),
        ("missing", "no such run folder"),
    ],
)
def test_bad_compare_input(runs: dict[str, Path], tmp_path: Path, make: str, fragment: str) -> None:
    other = {"same": runs["baseline"], "empty": tmp_path, "missing": tmp_path / "nope"}[make]
    code, output = invoke(["compare", str(runs["baseline"]), str(other)])
    assert code == 2
    assert fragment in output
    assert "Traceback" not in output


def test_runs_lists_run_folders(runs: dict[str, Path]) -> None:
    code, output = invoke(["runs", str(runs["baseline"].parent)])
    assert code == 0
    assert "aid_freeze" in output and "complete" in output

"""Sweeps end to end: tables, executors, resuming after kill -9, comparisons, bad input."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.errors import ScenarioError
from sim.model.resolve import load_raw
from tests.conftest import REPO, WAR

SWEEPS = WAR / "sweeps"
BASELINE = WAR / "baseline.yaml"


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def sweep_cli(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sim", "sweep", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_grid_table_has_one_row_per_point_in_order(tmp_path: Path) -> None:
    out = tmp_path / "s"
    code, output = invoke(
        [
            "sweep",
            str(BASELINE),
            "--grid",
            "levers.aid.value=0,1.5",
            "--range",
            "levers.momentum.value=0:1:3",
            "--executor",
            "serial",
            "--out",
            str(out),
        ]
    )
    assert code == 0, output
    lines = (out / "outcomes.csv").read_text().splitlines()
    header = lines[0].split(",")
    assert header[:3] == ["point", "levers.aid.value", "levers.momentum.value"]
    keys = [tuple(line.split(",")[:3]) for line in lines[1:]]
    assert keys == [
        ("0", "0", "0"),
        ("1", "0", "0.5"),
        ("2", "0", "1"),
        ("3", "1.5", "0"),
        ("4", "1.5", "0.5"),
        ("5", "1.5", "1"),
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["keys"] == ["levers.aid.value", "levers.momentum.value"]
    # each row's reservation follows the point's levers, not the baseline's
    reservations = [float(line.split(",")[header.index("reservation_north")]) for line in lines[1:]]
    assert reservations[2] > reservations[0]  # momentum raises north's war value
    assert reservations[0] > reservations[3]  # aid lowers it


def test_executors_give_identical_tables(tmp_path: Path) -> None:
    sweep = str(SWEEPS / "sanctions_x_aid.yaml")
    tables = []
    for executor, workers in (("serial", "1"), ("processes", "2")):
        out = tmp_path / executor
        code, output = invoke(
            ["sweep", sweep, "--executor", executor, "--workers", workers, "--out", str(out)]
        )
        assert code == 0, output
        tables.append((out / "outcomes.csv").read_bytes())
    assert tables[0] == tables[1]


def test_dask_local_cluster_gives_the_same_table(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    sweep = str(SWEEPS / "sanctions_x_aid.yaml")
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert invoke(["sweep", sweep, "--executor", "serial", "--out", str(local)])[0] == 0
    code, output = invoke(
        ["sweep", sweep, "--executor", "dask", "--workers", "2", "--out", str(dask)]
    )
    assert code == 0, output
    assert (local / "outcomes.csv").read_bytes() == (dask / "outcomes.csv").read_bytes()


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The table of the fixture's 231-point sweep, uninterrupted and serial."""
    out = tmp_path_factory.mktemp("whole") / "run"
    reference = sweep_cli(
        str(SWEEPS / "aid_x_momentum.yaml"), "--executor", "serial", "--out", str(out)
    )
    assert reference.wait(timeout=300) == 0
    return (out / "outcomes.csv").read_bytes()


@pytest.mark.slow
def test_kill_9_then_resume_reproduces_the_table(tmp_path: Path, whole: bytes) -> None:
    sweep = str(SWEEPS / "aid_x_momentum.yaml")
    broken = tmp_path / "broken"
    victim = sweep_cli(sweep, "--executor", "serial", "--out", str(broken))
    rows = broken / "rows.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if rows.exists() and len(rows.read_bytes().splitlines()) >= 20:
            break
        time.sleep(0.01)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    finished = rows.read_bytes().count(b"\n")  # a line cut short by the kill is redone
    assert 20 <= finished < 231, "the sweep must be killed mid-way for this test to mean anything"
    assert not (broken / "outcomes.csv").exists()
    resumed = sweep_cli("--resume", str(broken), "--executor", "serial")
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()
    assert f"({231 - finished} run now)" in out.decode()
    assert (broken / "outcomes.csv").read_bytes() == whole
    assert json.loads((broken / "manifest.json").read_text())["status"] == "complete"


def test_resume_with_different_arguments_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "s"
    args = ["sweep", str(BASELINE), "--grid", "levers.aid.value=0,1", "--executor", "serial"]
    assert invoke([*args, "--out", str(out)])[0] == 0
    code, output = invoke(
        ["sweep", str(BASELINE), "--grid", "levers.aid.value=0,2", "--resume", str(out)]
    )
    assert code == 2
    assert "differs from the one recorded" in output
    code, output = invoke([*args, "--resume", str(out)])
    assert code == 0, output
    assert "(0 run now)" in output


def test_a_failing_point_is_recorded_and_counted(tmp_path: Path) -> None:
    """Each value is valid alone, but a scenario in which no party holds a veto is not: the
    point fails, its error is recorded in its row, the sweep finishes and exits 1."""
    out = tmp_path / "s"
    code, output = invoke(
        [
            "sweep",
            str(BASELINE),
            "--grid",
            "parties.north.veto=true,false",
            "--grid",
            "parties.south.veto=true,false",
            "--executor",
            "serial",
            "--out",
            str(out),
        ]
    )
    expected = []
    for north in (True, False):
        for south in (True, False):
            try:
                load_raw(BASELINE).with_overrides(
                    {"parties.north.veto": north, "parties.south.veto": south}
                )
                expected.append(False)
            except ScenarioError:
                expected.append(True)
    assert any(expected) and not all(expected)
    assert code == 1, output
    assert f"{sum(expected)} failed" in output
    with (out / "outcomes.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert [bool(r["error"]) for r in rows] == expected
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete_with_failures"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            [str(BASELINE), "--grid", "levers.nothing.value=1"],
            "levers.nothing.value: no such field",
        ),
        (
            [str(BASELINE), "--grid", "levers.aid.value=abc"],
            "levers.aid.value='abc': Input should be a valid number",
        ),
        ([str(BASELINE), "--grid", "levers.aid.value="], "is not path=values"),
        ([str(BASELINE), "--range", "levers.aid.value=0:1:0"], "n must be at least 1"),
        (
            [str(BASELINE), "--grid", "levers.aid.value=1", "--executor", "cloud"],
            "unknown executor 'cloud'",
        ),
        ([str(BASELINE)], "say what varies"),
    ],
)
def test_bad_sweep_input(args: list[str], fragment: str, tmp_path: Path) -> None:
    code, output = invoke(["sweep", *args, "--out", str(tmp_path / "s")])
    assert code == 2, output
    assert fragment in output
    assert "Traceback" not in output
    assert not (tmp_path / "s").exists()


def test_resume_of_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    code, output = invoke(["sweep", "--resume", str(tmp_path)])
    assert code == 2
    assert "not a run folder" in output


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_ctrl_c_stops_cleanly_and_resume_finishes(
    executor: str, tmp_path: Path, whole: bytes
) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops the sweep with
    exit 130 and the command that resumes it; resuming gives the uninterrupted table."""
    out = tmp_path / "s"
    victim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            str(SWEEPS / "aid_x_momentum.yaml"),
            "--executor",
            executor,
            "--out",
            str(out),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    rows = out / "rows.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (rows.exists() and rows.read_bytes().count(b"\n")):
        time.sleep(0.01)
    os.killpg(victim.pid, signal.SIGINT)
    _, err = victim.communicate(timeout=120)
    message = err.decode()
    if victim.returncode == 0:
        pytest.skip("the sweep finished before the interrupt arrived")
    assert victim.returncode == 130, message
    assert f"Resume with: sim sweep --resume {out}" in message
    assert "Traceback" not in message
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    resumed = sweep_cli("--resume", str(out), "--executor", executor)
    assert resumed.wait(timeout=300) == 0
    assert (out / "outcomes.csv").read_bytes() == whole


def test_unreachable_scheduler_is_a_clear_error_within_seconds(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    start = time.monotonic()
    code, output = invoke(
        [
            "sweep",
            str(BASELINE),
            "--grid",
            "levers.aid.value=1",
            "--executor",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
            "--out",
            str(tmp_path / "s"),
        ]
    )
    assert code == 2, output
    assert "--scheduler tcp://127.0.0.1:9: cannot connect" in output
    assert time.monotonic() - start < 30
    assert not (tmp_path / "s").exists()


def test_scheduler_needs_the_dask_executor(tmp_path: Path) -> None:
    code, output = invoke(
        [
            "sweep",
            str(BASELINE),
            "--grid",
            "levers.aid.value=1",
            "--scheduler",
            "tcp://127.0.0.1:9",
            "--out",
            str(tmp_path / "s"),
        ]
    )
    assert code == 2
    assert "--scheduler needs --executor dask" in output


def test_resume_of_a_folder_with_a_broken_manifest(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    code, output = invoke(["sweep", "--resume", str(tmp_path)])
    assert code == 2
    assert "manifest.json: not valid JSON" in output
    assert "Traceback" not in output

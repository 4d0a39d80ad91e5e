"""Two real processes racing for one run folder: exactly one writes it, the other gets exit 2
naming the holder, and the folder holds one run's files only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.runs.files import new_run_folder
from tests.conftest import REPO, WAR

BASELINE = WAR / "baseline.yaml"

STARTER = """
import sys, time
from sim.cli import app  # imported before waiting, so both start from the same instant
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
app(sys.argv[2:], prog_name="sim")
"""


def racers(arguments: list[list[str]], cwd: Path = REPO) -> list[subprocess.Popen[bytes]]:
    """Start one process per argument list; all run their command at the same instant."""
    start = time.time() + 3.0
    return [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(start), *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for args in arguments
    ]


def finish(processes: list[subprocess.Popen[bytes]]) -> list[tuple[int, str]]:
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        outcomes.append((process.returncode, out.decode() + err.decode()))
    return outcomes


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(BASELINE, folder / "baseline.yaml")
    return folder / "baseline.yaml"


def sweep_args(base: Path, aid: str, out: Path) -> list[str]:
    return [
        "sweep",
        str(base),
        "--grid",
        f"levers.aid.value={aid}",
        "--range",
        "levers.momentum.value=0:1:5",
        "--executor",
        "serial",
        "--out",
        str(out),
    ]


@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "empty-folder"])
def test_two_sweeps_racing_for_one_out(existing: bool, tmp_path: Path, case: Path) -> None:
    """Different plans into one --out (missing, or an empty folder): one wins, the other is
    refused with the holder's pid, and the folder's table and manifest are the winner's."""
    out = tmp_path / "run"
    if existing:
        out.mkdir()
    first, second = finish(
        racers([sweep_args(case, "0,1", out), sweep_args(case, "0.5,1.5,2", out)])
    )
    codes = sorted([first[0], second[0]])
    assert codes == [0, 2], f"{first}\n{second}"
    loser = first if first[0] == 2 else second
    assert "already exists; a run is never overwritten (claimed by pid " in loser[1] or (
        "in use by pid " in loser[1]
    )
    assert "Traceback" not in loser[1]
    manifest = json.loads((out / "manifest.json").read_text())
    winner_points = 10 if first[0] == 0 else 15
    assert len(manifest["plan"]["points"]) == winner_points
    assert manifest["status"] == "complete"
    table = (out / "outcomes.csv").read_text().splitlines()
    assert len(table) == winner_points + 1
    assert len(list((out / "outcomes").iterdir())) == winner_points


def test_two_resumes_of_one_run(tmp_path: Path, case: Path) -> None:
    out = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-m", "sim", *sweep_args(case, "0,1,1.5,2", out)],
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    expected = (out / "outcomes.csv").read_bytes()
    lines = (out / "rows.jsonl").read_bytes().split(b"\n")
    (out / "rows.jsonl").write_bytes(b"\n".join(lines[:2]) + b"\n")  # as after a kill
    (out / "outcomes.csv").unlink()
    resume = ["sweep", "--resume", str(out), "--executor", "serial"]
    outcomes = finish(racers([resume, resume]))
    codes = sorted(code for code, _ in outcomes)
    if codes == [0, 0]:
        # the first finished before the second started (possible on a loaded machine): the
        # second then had nothing to do; the journal must still hold each point once
        assert any("(0 run now)" in text for _, text in outcomes), outcomes
    else:
        assert codes == [0, 2], outcomes
        loser = next(text for code, text in outcomes if code == 2)
        assert "in use by pid " in loser and " since " in loser
    assert (out / "outcomes.csv").read_bytes() == expected
    points = [json.loads(line)["point"] for line in (out / "rows.jsonl").read_bytes().splitlines()]
    assert sorted(points) == list(range(20))


def test_many_runs_started_in_the_same_second_get_distinct_folders(tmp_path: Path) -> None:
    """Six processes claim a folder under one results/ at the same instant."""
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from sim.runs.files import new_run_folder\n"
        "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"
        "print(new_run_folder(Path(sys.argv[2]), 'same'))\n"
    )
    start = time.time() + 2.0
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(start), str(tmp_path / "results")],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(6)
    ]
    folders = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err.decode()
        folders.append(out.decode().strip())
    assert len(set(folders)) == 6
    holders = {json.loads((Path(f) / ".lock").read_text())["pid"] for f in folders}
    assert holders == {p.pid for p in processes}


def test_new_run_folder_refuses_a_claimed_empty_folder(tmp_path: Path) -> None:
    """The claim is the lock file: a folder claimed (even while still empty of results) is
    never handed out again, and the refusal names the claimant."""
    out = tmp_path / "run"
    assert new_run_folder(tmp_path, "x", out) == out
    from sim.errors import InputError

    with pytest.raises(InputError, match=r"already exists; a run is never overwritten \(claimed"):
        new_run_folder(tmp_path, "x", out)

"""Worker processes of a sweep under real faults: kill -9 of the parent (no worker may
survive it), kill -9 of a worker (retried, or a bounded stop), SIGTERM, and a plain script
without a main guard. The oracle of each table is an uninterrupted serial sweep."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sim.errors import InputError
from tests.conftest import WAR
from tests.integration.faults_support import (
    REPO,
    alive,
    children,
    copy_baseline,
    grid_args,
    invoke,
    journal,
    oracle,
    sim_process,
    wait_for_rows,
)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return copy_baseline(tmp_path)


# 4. Worker processes end with their parent; lost workers -------------------------------------


def test_kill_9_of_the_parent_leaves_no_worker_and_runs_says_interrupted(
    tmp_path: Path, case: Path
) -> None:
    expected = oracle(tmp_path, case, 24)
    out = tmp_path / "run"
    victim = sim_process(*grid_args(case, 24)[0:], "--workers", "2", "--out", str(out))
    wait_for_rows(out, 1, victim)
    workers = children(victim.pid)
    assert len(workers) == 2
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(alive(w) for w in workers), "a worker outlived its parent"
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"
    code, output = invoke(["runs", str(tmp_path)])
    assert code == 0, output
    line = next(line for line in output.splitlines() if line.split()[:2] == ["run", "sweep"])
    assert line.split()[2] == "interrupted"
    resumed = sim_process("sweep", "--resume", str(out), "--executor", "serial")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()
    assert (out / "outcomes.csv").read_bytes() == expected


def test_kill_9_of_a_worker_is_retried_and_the_table_is_unchanged(
    tmp_path: Path, case: Path
) -> None:
    expected = oracle(tmp_path, case, 24)
    out = tmp_path / "run"
    sweep = sim_process(*grid_args(case, 24), "--workers", "2", "--out", str(out))
    wait_for_rows(out, 1, sweep)
    workers = children(sweep.pid)
    os.kill(workers[0], signal.SIGKILL)
    _, err = sweep.communicate(timeout=300)
    assert sweep.returncode == 0, err.decode()
    assert (out / "outcomes.csv").read_bytes() == expected


def test_a_worker_lost_beyond_the_retries_stops_the_sweep_with_a_message(
    tmp_path: Path, case: Path
) -> None:
    """With no retry allowed, a killed worker stops the sweep: exit 2, the reason, nothing
    recorded for its batch, and resume finishes the table."""
    out = tmp_path / "run"
    script = tmp_path / "no_retry.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            from pathlib import Path
            from sim.errors import SimError
            from sim.runs.limits import Limits
            from sim.runs.sweep import run_sweep
            from sim.runs.targets import sweep_plan
            plan, base, _ = sweep_plan(
                {str(case)!r},
                grid={{"levers.aid.value": [0.0, 1.5]}},
                ranges={{"levers.momentum.value": (0.0, 1.0, 24)}},
            )
            try:
                run_sweep(plan, base, out=Path({str(out)!r}), workers=2,
                          limits=Limits(worker_retries=0))
            except SimError as error:
                print(error, file=sys.stderr)
                sys.exit(2)
            """
        )
    )
    sweep = subprocess.Popen(
        [sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    wait_for_rows(out, 1, sweep)
    os.kill(children(sweep.pid)[0], signal.SIGKILL)
    _, err = sweep.communicate(timeout=300)
    message = err.decode()
    assert sweep.returncode == 2, message
    assert "a worker process died (killed by signal 9)" in message
    assert "Traceback" not in message
    assert json.loads((out / "manifest.json").read_text())["status"] == "stopped"
    assert all(not r["row"]["error"] for r in journal(out))  # type: ignore[index]
    code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
    assert code == 0, output
    assert (out / "outcomes.csv").read_bytes() == oracle(tmp_path, case, 24)


def test_sigterm_stops_like_ctrl_c_and_ends_the_workers(tmp_path: Path, case: Path) -> None:
    out = tmp_path / "run"
    victim = sim_process(*grid_args(case, 24), "--workers", "2", "--out", str(out))
    wait_for_rows(out, 1, victim)
    workers = children(victim.pid)
    victim.send_signal(signal.SIGTERM)
    _, err = victim.communicate(timeout=60)
    if victim.returncode == 0:
        pytest.skip("the sweep finished before the signal arrived")
    assert victim.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    assert not any(alive(w) for w in workers)


def test_sweep_from_a_script_without_a_main_guard(tmp_path: Path, case: Path) -> None:
    """Worker processes are started as a module and never import the script again."""
    script = tmp_path / "plain.py"
    out = tmp_path / "run"
    script.write_text(
        "import sim\n"
        "print('script body ran')\n"
        f"record = sim.sweep({str(case)!r}, grid={{'levers.aid.value': [0.0, 1.5]}},\n"
        f"                   ranges={{'levers.momentum.value': (0.0, 1.0, 8)}},\n"
        f"                   executor='processes', workers=2, out={str(out)!r})\n"
        "print(record.total, record.failed)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines() == ["script body ran", "16 0"]
    assert (out / "outcomes.csv").read_bytes() == oracle(tmp_path, case)


def test_api_and_cli_choose_the_same_plan(tmp_path: Path, case: Path) -> None:
    """sim.sweep takes ranges like the CLI and refuses a grid given with a sweep file."""
    import sim

    record = sim.sweep(
        case,
        grid={"levers.aid.value": [0, 1.5]},
        ranges={"levers.momentum.value": (0.0, 1.0, 8)},
        executor="serial",
        out=tmp_path / "api",
    )
    assert (record.folder / "outcomes.csv").read_bytes() == oracle(tmp_path, case)
    sweep_file = WAR / "sweeps" / "aid_x_momentum.yaml"
    with pytest.raises(InputError, match="a sweep file already says what varies"):
        sim.sweep(sweep_file, grid={"levers.aid.value": [0.0]}, out=tmp_path / "x")
    assert not (tmp_path / "x").exists()

"""Helpers shared by the sweep fault tests: a private copy of the war fixture's baseline, the
command line in-process and as a process, oracle tables, and process inspection through /proc."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from sim.cli import app
from tests.conftest import REPO, WAR

BASELINE = WAR / "baseline.yaml"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def sim_process(*args: str, cwd: Path = REPO) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def copy_baseline(tmp_path: Path) -> Path:
    """A private copy of the war fixture's baseline (tests edit it)."""
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(BASELINE, folder / "baseline.yaml")
    return folder / "baseline.yaml"


def grid_args(base: Path, momentum: int = 8) -> list[str]:
    return [
        "sweep",
        str(base),
        "--grid",
        "levers.aid.value=0,1.5",
        "--range",
        f"levers.momentum.value=0:1:{momentum}",
    ]


_ORACLES: dict[tuple[bytes, int], bytes] = {}


def oracle(tmp_path: Path, base: Path, momentum: int = 8) -> bytes:
    """The table of an uninterrupted serial sweep (computed once per base content and size:
    the table holds no path, only values)."""
    key = (base.read_bytes(), momentum)
    if key not in _ORACLES:
        out = tmp_path / f"oracle-{momentum}"
        args = [*grid_args(base, momentum), "--executor", "serial", "--out", str(out)]
        code, output = invoke(args)
        assert code == 0, output
        _ORACLES[key] = (out / "outcomes.csv").read_bytes()
    return _ORACLES[key]


def journal(folder: Path) -> list[dict[str, object]]:
    lines = (folder / "rows.jsonl").read_bytes().split(b"\n")[:-1]
    return [json.loads(line) for line in lines]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a zombie has ended; only its entry is left)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for_rows(
    folder: Path, count: int, process: subprocess.Popen[bytes], timeout: float = 120
) -> None:
    rows = folder / "rows.jsonl"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if rows.exists() and rows.read_bytes().count(b"\n") >= count:
            return
        if process.poll() is not None:
            _, err = process.communicate()
            raise AssertionError(f"ended early ({process.returncode}): {err.decode()}")
        time.sleep(0.01)
    raise AssertionError(f"no {count} rows in {rows} within {timeout} s")

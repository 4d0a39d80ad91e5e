"""Sweeps on real Dask clusters: a scheduler and a worker started by the test as separate
processes in other working directories (127.0.0.1 only), and the local cluster.

The oracle of every table is the serial executor in this process.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sim
from sim.cli import app
from tests.conftest import WAR

pytest.importorskip("dask.distributed", reason="the dask extra is not installed")

BASELINE = WAR / "baseline.yaml"
DASK = Path(sys.executable).parent / "dask"


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


class Cluster:
    """A `dask scheduler` and `dask worker` processes, each in its own working directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = root / "scheduler.json"
        (root / "scheduler").mkdir(parents=True)
        self.scheduler = self._start(
            "scheduler",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(self.file),
        )
        deadline = time.monotonic() + 60
        while not (self.file.exists() and self.file.stat().st_size):
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        import json

        self.address: str = json.loads(self.file.read_text())["address"]
        assert self.address.startswith("tcp://127.0.0.1:")
        self.workers: list[subprocess.Popen[bytes]] = []

    def _start(self, folder: str, *args: str) -> subprocess.Popen[bytes]:
        cwd = self.root / folder
        cwd.mkdir(parents=True, exist_ok=True)
        return subprocess.Popen(
            [str(DASK), *args],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def add_worker(self) -> subprocess.Popen[bytes]:
        worker = self._start(
            f"worker{len(self.workers)}",
            "worker",
            "--scheduler-file",
            str(self.file),
            "--nworkers",
            "1",
            "--nthreads",
            "1",
            "--no-dashboard",
            "--host",
            "127.0.0.1",
        )
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int) -> None:
        from dask.distributed import Client

        with Client(self.address, timeout="10s") as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(count, timeout=60)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    started = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        started.add_worker()
        started.wait_for_workers(1)
        yield started
    finally:
        started.close()


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    shutil.copy(BASELINE, folder / "baseline.yaml")
    return folder / "baseline.yaml"


def sweep(base: str, out: Path, *extra: str) -> bytes:
    code, output = invoke(
        [
            "sweep",
            base,
            "--range",
            "levers.momentum.value=0:1:8",
            "--out",
            str(out),
            *extra,
        ]
    )
    assert code == 0, output
    return (out / "outcomes.csv").read_bytes()


def edit_aid(base: Path, value: str) -> None:
    text = base.read_text()
    start = text.index("  aid:\n")
    base.write_text(
        text[:start] + text[start:].replace("    value: 1.0\n", f"    value: {value}\n", 1)
    )


def test_one_table_on_every_executor(cluster: Cluster, tmp_path: Path) -> None:
    """Serial, worker processes, a local Dask cluster and an external scheduler whose worker
    runs in another directory give the same bytes. The base is given as a path relative to
    this directory, which the worker could not resolve: it receives the scenario itself."""
    relative = os.path.relpath(BASELINE, Path.cwd())
    assert not Path(relative).is_absolute()
    serial = sweep(relative, tmp_path / "serial", "--executor", "serial")
    processes = sweep(relative, tmp_path / "processes", "--workers", "2")
    local = sweep(relative, tmp_path / "local", "--executor", "dask", "--workers", "1")
    external = sweep(
        relative, tmp_path / "external", "--executor", "dask", "--scheduler", cluster.address
    )
    assert serial == processes == local == external
    assert not list((cluster.root / "worker0").rglob("*.json")), "a worker wrote a file"


def test_a_long_lived_cluster_sees_an_edited_base(
    cluster: Cluster, tmp_path: Path, case: Path
) -> None:
    first = sweep(str(case), tmp_path / "a", "--executor", "dask", "--scheduler", cluster.address)
    edit_aid(case, "0.25")
    second = sweep(str(case), tmp_path / "b", "--executor", "dask", "--scheduler", cluster.address)
    assert second != first
    assert second == sweep(str(case), tmp_path / "serial", "--executor", "serial")


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_one_process_sees_an_edited_base(executor: str, tmp_path: Path, case: Path) -> None:
    """Two sweeps in one process (as in a notebook), the base edited in between: the second
    is computed from the edit, as a fresh process computes it."""
    ranges = {"levers.momentum.value": (0.0, 1.0, 4)}
    first = sim.sweep(case, ranges=ranges, executor=executor, out=tmp_path / "a")
    edit_aid(case, "0.25")
    second = sim.sweep(case, ranges=ranges, executor=executor, out=tmp_path / "b")
    fresh = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            str(case),
            "--range",
            "levers.momentum.value=0:1:4",
            "--executor",
            "serial",
            "--out",
            str(tmp_path / "fresh"),
        ],
        capture_output=True,
        timeout=120,
    )
    assert fresh.returncode == 0, fresh.stderr.decode()
    table = (second.folder / "outcomes.csv").read_bytes()
    assert table != (first.folder / "outcomes.csv").read_bytes()
    assert table == (tmp_path / "fresh" / "outcomes.csv").read_bytes()


def test_every_worker_lost_stops_the_sweep_with_a_message(tmp_path: Path, case: Path) -> None:
    """A cluster whose only worker is killed mid-sweep: the sweep does not wait silently; it
    stops within the bound with a message, and nothing wrong is recorded."""
    lonely = Cluster(tmp_path / "lonely")
    try:
        worker = lonely.add_worker()
        lonely.wait_for_workers(1)
        out = tmp_path / "run"
        script = (
            "import sys\n"
            "from pathlib import Path\n"
            "from sim.errors import SimError\n"
            "from sim.runs.limits import Limits\n"
            "from sim.runs.sweep import run_sweep\n"
            "from sim.runs.targets import sweep_plan\n"
            f"plan, base, _ = sweep_plan({str(case)!r}, grid={{'levers.aid.value': [0.0, 1.5]}},"
            " ranges={'levers.momentum.value': (0.0, 1.0, 60)})\n"
            "try:\n"
            f"    run_sweep(plan, base, out=Path({str(out)!r}), executor='dask',"
            f" scheduler={lonely.address!r}, limits=Limits(worker_wait=3.0))\n"
            "except SimError as error:\n"
            "    print(error, file=sys.stderr)\n"
            "    sys.exit(2)\n"
        )
        start = time.monotonic()
        sweep_process = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        rows = out / "rows.jsonl"
        while not (rows.exists() and rows.read_bytes().count(b"\n")):
            assert sweep_process.poll() is None, sweep_process.communicate()[1].decode()
            assert time.monotonic() - start < 120
            time.sleep(0.02)
        os.killpg(worker.pid, signal.SIGKILL)
        _, err = sweep_process.communicate(timeout=120)
        message = err.decode()
        if sweep_process.returncode == 0:
            pytest.skip("the sweep finished before the worker was killed")
        assert sweep_process.returncode == 2, message
        assert "no Dask worker for 3 s" in message or "Dask workers died" in message
        assert "Traceback" not in message
        assert time.monotonic() - start < 120
        lines = rows.read_bytes().splitlines()
        assert b"error" in lines[0] and all(b'"error": null' in line for line in lines)
    finally:
        lonely.close()

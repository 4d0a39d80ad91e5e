"""Interrupted uncertainty runs are finished by --resume, with the bytes of an uninterrupted
run; blocks of draws give the same results on every executor and worker count.

Oracles: an uninterrupted run of the same command (its draws.csv, summary.csv and
summary.json, byte for byte), the saved blocks' files (not rewritten by the resumed run), and
the serial executor's arrays for the processes and Dask executors.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from sim.errors import InputError
from sim.runs.uncertainty import resume_uncertainty, uncertainty
from tests.conftest import FIXTURES, REPO, WAR

TOY = FIXTURES / "toy"
OUTPUTS = ("draws.csv", "summary.csv", "summary.json")
DRAWS = "12288"
"""Three blocks of the war fixture's baseline (its blocks hold 4,096 draws: 48 feasible
bundles x 3 judges a draw is far below the cells a block may take)."""


def sim(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


def same_outputs(first: Path, second: Path) -> None:
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    command = [str(WAR / "baseline.yaml"), "--draws", DRAWS, "--seed", "3", "--no-sensitivity"]
    whole = tmp_path / "whole"
    assert sim("uncertainty", *command, "--out", str(whole)).returncode == 0
    killed = tmp_path / "killed"
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "uncertainty", *command, "--out", str(killed)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    blocks = killed / "blocks"
    deadline = time.monotonic() + 60
    try:
        while not list(blocks.glob("*.npz")):
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no block saved within 60 s"
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    saved = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in blocks.glob("*.npz")}
    assert 1 <= len(saved) < 3 and not (killed / "summary.json").exists()
    resumed = sim("uncertainty", "--resume", str(killed), "--json")
    assert resumed.returncode == 0, resumed.stderr
    same_outputs(whole, killed)
    for name, stamp in saved.items():  # the finished blocks were read, not computed again
        path = blocks / name
        assert (path.stat().st_ino, path.stat().st_mtime_ns) == stamp
    assert len(list(blocks.glob("*.npz"))) == 3
    again = sim("uncertainty", "--resume", str(killed))
    assert again.returncode == 2 and "already complete" in again.stderr


class Stop(KeyboardInterrupt):
    pass


def interrupt_after(blocks: int):  # type: ignore[no-untyped-def]
    """A progress callback that presses Ctrl-C after some progress reports."""
    calls = [0]

    def progress(done: int, total: int) -> None:
        calls[0] += 1
        if calls[0] > blocks:
            raise Stop

    return progress


def test_interrupted_run_resumes_and_refuses_changed_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    for name in ("toy.txt",):
        (folder / name).touch()
    options = {"draws": 9000, "seed": 2, "sensitivity": False}
    whole = uncertainty(
        [folder / "base.yaml", folder / "child.yaml"], out=tmp_path / "a", **options
    )
    with pytest.raises(KeyboardInterrupt):
        uncertainty(
            [folder / "base.yaml", folder / "child.yaml"],
            out=tmp_path / "b",
            progress=interrupt_after(2),
            **options,
        )
    manifest = (tmp_path / "b" / "manifest.json").read_text()
    assert '"status": "interrupted"' in manifest
    resumed = resume_uncertainty(tmp_path / "b")
    assert resumed.document() == whole.document()
    same_outputs(tmp_path / "a", tmp_path / "b")

    with pytest.raises(KeyboardInterrupt):
        uncertainty(
            [folder / "base.yaml"], out=tmp_path / "c", progress=interrupt_after(1), **options
        )
    text = (folder / "base.yaml").read_text()
    (folder / "base.yaml").write_text(text.replace("detection: 0.2", "detection: 0.3"))
    with pytest.raises(InputError) as error:
        resume_uncertainty(tmp_path / "c")
    message = str(error.value)
    assert str((folder / "base.yaml").resolve()) in message
    assert message.count("sha256") == 1 and "now" in message
    result = sim("uncertainty", "--resume", str(tmp_path / "c"))
    assert result.returncode == 2 and "base.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_resume_refuses_bad_folders_and_options(tmp_path: Path) -> None:
    result = sim("uncertainty", "--resume", str(tmp_path))
    assert result.returncode == 2 and "not a run folder" in result.stderr
    result = sim("uncertainty", str(TOY / "base.yaml"), "--resume", str(tmp_path))
    assert result.returncode == 2 and "not with SCENARIO" in result.stderr
    result = sim("uncertainty")
    assert result.returncode == 2 and "--resume RUN_FOLDER" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["processes", "dask"])
def test_executors_give_the_serial_results(executor: str) -> None:
    pytest.importorskip("dask.distributed") if executor == "dask" else None
    paths = [TOY / "base.yaml", TOY / "child.yaml", WAR / "sanctions_threat.yaml"]
    options = {"draws": 4500, "seed": 9, "sensitivity": False}  # two blocks a scenario
    serial = uncertainty(paths, executor="serial", **options)
    other = uncertainty(paths, executor=executor, workers=2, **options)
    assert other.document() == serial.document()
    for a, b in zip(serial.scenarios, other.scenarios, strict=True):
        for name in ("acceptable", "frontier", "solutions", "verdicts", "bundle_counts"):
            assert np.array_equal(getattr(a.draws, name), getattr(b.draws, name)), name
        assert a.draws.strategic is not None and b.draws.strategic is not None
        assert np.array_equal(a.draws.strategic.bundle, b.draws.strategic.bundle)
        assert np.array_equal(a.draws.strategic.period, b.draws.strategic.period)
        assert np.array_equal(a.draws.strategic.self_enforcing, b.draws.strategic.self_enforcing)


def test_one_block_is_computed_here_whatever_the_executor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No worker process is started for a run of one block (none would share the work)."""
    import sim.runs.executors as executors

    def refuse(*_: object) -> None:
        raise AssertionError("a worker process was started")

    monkeypatch.setattr(executors, "_Worker", refuse)
    options = {"draws": 300, "seed": 2, "sensitivity": False}
    one = uncertainty([TOY / "base.yaml"], executor="processes", workers=2, **options)
    assert (
        one.document() == uncertainty([TOY / "base.yaml"], executor="serial", **options).document()
    )
    with pytest.raises(AssertionError, match="worker process was started"):
        uncertainty(
            [TOY / "base.yaml"], executor="processes", workers=2, **{**options, "draws": 5000}
        )


def test_by_default_a_short_run_stays_here_and_a_long_one_starts_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without --executor, the first block is computed here and the rest too when they would
    take less than WORKER_WORTH seconds at its pace or no core is free; else in worker
    processes. The same results either way."""
    import sim.runs.executors as executors
    import sim.runs.uncertainty_blocks as blocks

    def refuse(*_: object) -> None:
        raise AssertionError("a worker process was started")

    monkeypatch.setattr(executors, "_Worker", refuse)
    paths = [TOY / "base.yaml", TOY / "child.yaml"]  # two blocks: one per scenario
    options = {"draws": 300, "seed": 2, "sensitivity": False}
    short = uncertainty(paths, **options)
    assert short.document() == uncertainty(paths, executor="serial", **options).document()
    monkeypatch.setattr(blocks, "WORKER_WORTH", 0.0)  # every run long enough
    monkeypatch.setattr(blocks, "spare_core", lambda: False)  # but the cores are busy
    assert uncertainty(paths, **options).document() == short.document()
    monkeypatch.setattr(blocks, "spare_core", lambda: True)
    with pytest.raises(AssertionError, match="worker process was started"):
        uncertainty(paths, **options)
    monkeypatch.setattr(blocks, "WORKER_WORTH", 1e9)  # --workers asks for processes anyway
    with pytest.raises(AssertionError, match="worker process was started"):
        uncertainty(paths, workers=2, **options)


def test_process_workers_write_the_same_run_folder(tmp_path: Path) -> None:
    command = [str(TOY / "base.yaml"), "--draws", "5000", "--seed", "4", "--no-sensitivity"]
    serial = sim("uncertainty", *command, "--out", str(tmp_path / "a"), "--executor", "serial")
    assert serial.returncode == 0
    result = sim(
        "uncertainty", *command, "--out", str(tmp_path / "b"), "--executor", "processes",
        "--workers", "2",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    same_outputs(tmp_path / "a", tmp_path / "b")
    assert os.listdir(tmp_path / "b" / "blocks")


@pytest.mark.slow
def test_terminated_run_is_marked_interrupted_and_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    command = [str(WAR / "baseline.yaml"), "--draws", DRAWS, "--seed", "5", "--no-sensitivity"]
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "uncertainty", *command, "--out", str(folder)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    try:
        while not list((folder / "blocks").glob("*.npz")):
            assert process.poll() is None, "the run ended before it could be stopped"
            assert time.monotonic() < deadline, "no block saved within 60 s"
            time.sleep(0.005)
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode != 0 and "Traceback" not in errors
    assert '"status": "interrupted"' in (folder / "manifest.json").read_text()
    assert sim("uncertainty", "--resume", str(folder)).returncode == 0
    assert '"status": "complete"' in (folder / "manifest.json").read_text()
    whole = uncertainty(
        [WAR / "baseline.yaml"], draws=int(DRAWS), seed=5, sensitivity=False, out=tmp_path / "whole"
    )
    assert whole.folder is not None
    same_outputs(whole.folder, folder)

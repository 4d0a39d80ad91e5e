"""Concurrent writers of one output, as real processes: serialised, never mixed.

Two ``sim import genius --force`` write different scenarios into one file at the same moment.
Each process waits, after its imports, until the other has imported too (a barrier of files),
the second starts 0.5 s later, and each ``fsync`` takes 1.5 s longer, so that the writes
overlap in a known order. The file must then hold, byte for byte, what the successful writer
that finished last wrote. A mutant writer of the kind the helper replaced (a fixed temporary
name, no lock) fails the same check.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GENIUS = REPO / "tests" / "fixtures" / "genius"
FILES = [str(GENIUS / f) for f in ("holiday_domain.xml", "holiday_alice.xml", "holiday_bob.xml")]

DRIVER = """
import os, sys, time
import sim.cli, sim.writing, sim.formats.convert
slow = float(sys.argv[2])
real_fsync = os.fsync
def slow_fsync(handle):
    time.sleep(slow)
    real_fsync(handle)
sim.writing.os.fsync = slow_fsync
if sys.argv[4] == "mutant":
    from pathlib import Path
    def fixed_name_writer(path, text, overwrite=True, sync=True, check=None):
        partial = path.with_name(f".{path.name}.partial.yaml")
        with open(partial, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            slow_fsync(stream.fileno())
        try:
            if check is not None:
                check(partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    sim.formats.convert.write_atomic = fixed_name_writer
barrier = sys.argv[1]  # a folder: each process signs in, then waits for the other
if barrier != "-":
    from pathlib import Path
    Path(barrier, str(os.getpid())).touch()
    deadline = time.monotonic() + 120
    while len(os.listdir(barrier)) < 2 and time.monotonic() < deadline:
        time.sleep(0.001)
time.sleep(float(sys.argv[3]))  # the second writer starts later: a known order
try:
    sim.cli.app(sys.argv[5:], prog_name="sim")
except SystemExit as stop:
    print(f"finished {time.monotonic()!r}", file=sys.stderr)
    raise
"""


def _expected(tmp_path: Path, name: str) -> bytes:
    out = tmp_path / f"expected-{name}.yaml"
    command = [sys.executable, "-m", "sim", "import", "genius", *FILES, "--out", str(out)]
    subprocess.run([*command, "--name", name], check=True, capture_output=True, cwd=REPO)
    return out.read_bytes()


def _race(tmp_path: Path, variant: str, rounds: int) -> list[str]:
    """Run ``rounds`` races; the problems found (empty when every round was consistent)."""
    expected = {name: _expected(tmp_path, name) for name in ("first", "second")}
    assert expected["first"] != expected["second"]
    problems = []
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for round_ in range(rounds):
        target = tmp_path / f"race-{variant}-{round_}.yaml"
        barrier = tmp_path / f"barrier-{variant}-{round_}"  # met after both imported sim
        barrier.mkdir()
        processes = {
            name: subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    DRIVER,
                    str(barrier),
                    "1.5",
                    "0" if name == "first" else "0.5",
                    variant,
                    "import",
                    "genius",
                    *FILES,
                    "--out",
                    str(target),
                    "--force",
                    "--name",
                    name,
                ],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for name in expected
        }
        finished = {}
        for name, process in processes.items():
            out, err = process.communicate(timeout=120)
            text = err.decode()
            assert "Traceback" not in text or variant == "mutant", text
            if process.returncode == 0 and b"wrote" in out:
                finished[name] = float(text.rsplit("finished ", 1)[1].split()[0])
        if not finished:
            problems.append(f"round {round_}: no writer succeeded")
            continue
        last = max(finished, key=lambda n: finished[n])
        content = target.read_bytes() if target.exists() else b""
        if content != expected[last]:
            problems.append(f"round {round_}: {last} reported success last, file holds another")
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{target.name}")]
        if leftovers:
            problems.append(f"round {round_}: temporary files left: {leftovers}")
    return problems


@pytest.mark.slow
def test_concurrent_imports_into_one_file_are_serialised(tmp_path: Path) -> None:
    assert _race(tmp_path, "helper", rounds=2) == []


def test_the_race_check_catches_a_fixed_temporary_name(tmp_path: Path) -> None:
    """The mutation check: the writer the helper replaced loses the race in every round."""
    problems = _race(tmp_path, "mutant", rounds=2)
    assert len(problems) == 2, problems


IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.skipif(not IS_ROOT, reason="mounting a tmpfs needs root")
def test_an_import_onto_a_full_disk_is_exit_2_and_keeps_the_old_file(tmp_path: Path) -> None:
    """A real full disk (a small tmpfs): the write fails, the command says so with exit 2,
    the old file stays whole and no temporary file is left; the replaced writer did not."""
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], check=True)
    try:
        out = disk / "holiday.yaml"
        out.write_text("old: content\n")
        filler = disk / "filler"
        with open(filler, "wb", buffering=0) as stream:
            try:
                while True:
                    stream.write(b"\0" * 1024)
            except OSError:
                pass
        command = [sys.executable, "-m", "sim", "import", "genius", *FILES, "--force"]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        done = subprocess.run(
            [*command, "--out", str(out)], capture_output=True, text=True, cwd=REPO, env=env
        )
        assert done.returncode == 2, done.stderr
        assert "holiday.yaml: cannot write: No space left on device" in done.stderr
        assert "Traceback" not in done.stderr
        assert out.read_text() == "old: content\n"
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "holiday.yaml"]
        # The mutation check: the writer the helper replaced ends in a traceback (exit 1).
        mutant = [sys.executable, "-c", DRIVER, "-", "0", "0", "mutant", *command[3:]]
        done = subprocess.run(
            [*mutant, "--out", str(out)], capture_output=True, text=True, cwd=REPO, env=env
        )
        assert done.returncode != 2 and "Traceback" in done.stderr
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _cli(args: list[str]) -> tuple[int, str]:
    from typer.testing import CliRunner

    from sim.cli import app

    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


@pytest.mark.parametrize("kind", ["folder", "device", "symlink"])
def test_import_force_replaces_only_a_regular_file(tmp_path: Path, kind: str) -> None:
    victim = tmp_path / "victim.yaml"
    victim.write_text("keep\n")
    out = {"folder": tmp_path / "dir", "device": Path("/dev/null"), "symlink": tmp_path / "l"}[kind]
    if kind == "folder":
        out.mkdir()
    elif kind == "symlink":
        out.symlink_to(victim)
    code, output = _cli(["import", "genius", *FILES, "--out", str(out), "--force"])
    assert code == 2 and "only a regular file is replaced" in output, output
    assert "Traceback" not in output and victim.read_text() == "keep\n"


def test_export_genius_onto_a_file_is_a_message(tmp_path: Path) -> None:
    scenario = tmp_path / "holiday.yaml"
    code, output = _cli(["import", "genius", *FILES, "--out", str(scenario)])
    assert code == 0, output
    target = tmp_path / "file"
    target.write_text("keep\n")
    for force in ([], ["--force"]):
        code, output = _cli(["export", "genius", str(scenario), str(target), *force])
        assert code == 2 and "exists and is not a folder" in output, output
        assert target.read_text() == "keep\n"


def test_plot_force_onto_a_folder_is_a_message(tmp_path: Path) -> None:
    scenario = tmp_path / "holiday.yaml"
    assert _cli(["import", "genius", *FILES, "--out", str(scenario)])[0] == 0
    run = tmp_path / "run"
    assert _cli(["run", str(scenario), "--out", str(run)])[0] == 0
    (tmp_path / "figure.svg").mkdir()
    code, output = _cli(
        ["plot", str(run), "space", "--out", str(tmp_path / "figure.svg"), "--force"]
    )
    assert code == 2 and "is a folder; only a regular file is replaced" in output, output

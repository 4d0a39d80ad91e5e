"""Whole-process time of `sim uncertainty` on the case with private information.

The shipped case declares ``war.private: {}`` (the durable zone, the commitment problem and the
optimism threshold in every draw). This script also writes a copy of the case's seven scenarios
whose baseline (and so every scenario extending it) declares Moscow's monthly cost of fighting
on private as ``readings/private.yaml`` does (uniform on [0, 0.3], 40 types), then runs

    sim uncertainty FOLDER --draws N --no-record [--executor processes --workers 2]

as a fresh process, printing wall and CPU time (user + system of the process and its workers)
and the peak memory of the main process. Asserts nothing. Usage:

    python benchmarks/bench_private.py [--draws 2000]

Target (issue 19): 2,000 draws of the whole case with private information under 60 s.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "scenarios" / "ukraine"
STATED = "  private: {}"


def private_case(folder: Path) -> Path:
    """The case's scenarios (not its readings) with Moscow's cost private in baseline."""
    target = folder / "ukraine"
    target.mkdir()
    for path in CASE.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    reading = (CASE / "readings" / "private.yaml").read_text(encoding="utf-8")
    declared = reading[reading.index("  private:\n") :]
    baseline = (target / "baseline.yaml").read_text(encoding="utf-8")
    line = next(x for x in baseline.splitlines() if x.startswith(STATED))
    (target / "baseline.yaml").write_text(
        baseline.replace(line + "\n", declared.rstrip("\n") + "\n"), encoding="utf-8"
    )
    return target


def timed(args: list[str]) -> tuple[float, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sim", *args], cwd=REPO, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, after.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=2000)
    draws = parser.parse_args().draws
    with tempfile.TemporaryDirectory() as folder:
        private = private_case(Path(folder))
        print(
            f"{'sim uncertainty, ' + str(draws) + ' draws x 7 scenarios':58} "
            f"{'wall':>8} {'cpu':>8} {'peak':>8}"
        )
        for label, target, extra in (
            ("the shipped case (war.private: {}), serial", CASE, []),
            ("Moscow's cost private, serial", private, []),
            ("Moscow's cost private, 2 worker processes", private,
             ["--executor", "processes", "--workers", "2"]),
        ):  # fmt: skip
            wall, cpu, peak = timed(
                ["uncertainty", str(target), "--draws", str(draws), "--no-record", *extra]
            )
            print(f"{label:58} {wall:7.1f}s {cpu:7.1f}s {peak:6.0f}MB")


if __name__ == "__main__":
    main()

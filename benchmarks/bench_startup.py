"""Whole-process time of `sim` commands: start-up, imports and a small analysis.

Runs each command as a fresh process several times and prints the fastest and the median
wall time. Usage: ``python benchmarks/bench_startup.py [REPEATS]``.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIM = [sys.executable, "-m", "sim"]
COMMANDS = {
    "sim --version": ["--version"],
    "sim run toy base (3 parties, 6 bundles) --no-record": [
        "run",
        "tests/fixtures/toy/base.yaml",
        "--no-record",
    ],
    "sim run interim_ceasefire --no-record": [
        "run",
        "scenarios/ukraine/interim_ceasefire.yaml",
        "--no-record",
    ],
    "sim run scenarios/ukraine/ --no-record": ["run", "scenarios/ukraine/", "--no-record"],
}


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    print(
        f"{'command':52} {'fastest':>8} {'median':>8} {'cpu':>8}  ({repeats} runs, whole process;"
        " cpu: the fastest user + system time)"
    )
    for label, args in COMMANDS.items():
        times, cpu = [], []
        for _ in range(repeats):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([*SIM, *args], cwd=REPO, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(f"{label:52} {min(times):7.3f}s {statistics.median(times):7.3f}s {min(cpu):7.3f}s")


if __name__ == "__main__":
    main()

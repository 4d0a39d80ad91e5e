"""Whole-process time of `sim` commands: start-up, imports and a small analysis.

Runs each command as a fresh process several times and prints the fastest and the median
wall time, and the fastest CPU time (user + system). Usage:
``python benchmarks/bench_startup.py [REPEATS]``.

Each process runs as an installed package does, from compiled bytecode: the commands run with
a bytecode cache of their own (a temporary ``PYTHONPYCACHEPREFIX``, filled by a first run that
is not timed), whatever ``PYTHONDONTWRITEBYTECODE`` says, since without one every run compiles
the package's modules again (about 0.1 s).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
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


def cached_bytecode(cache: Path) -> dict[str, str]:
    """The environment of a timed process: this one's, with bytecode cached under ``cache``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(cache)}


def timed(args: list[str], repeats: int, env: dict[str, str]) -> tuple[float, float, float]:
    """Fastest and median wall time, and the fastest CPU time (user + system) of the process,
    after one untimed run: on a machine others share, the CPU time says what the wall time
    would be on an idle one."""
    subprocess.run([*SIM, *args], cwd=REPO, check=True, capture_output=True, env=env)
    times, cpu = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*SIM, *args], cwd=REPO, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(times), statistics.median(times), min(cpu)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    print(
        f"{'command':52} {'fastest':>8} {'median':>8} {'cpu':>8}  ({repeats} runs, whole process;"
        " cpu: the fastest user + system time)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = cached_bytecode(Path(cache))
        for label, args in COMMANDS.items():
            fastest, median, cpu = timed(args, repeats, env)
            print(f"{label:52} {fastest:7.3f}s {median:7.3f}s {cpu:7.3f}s")


if __name__ == "__main__":
    main()

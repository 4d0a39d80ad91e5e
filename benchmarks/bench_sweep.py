"""Sweep throughput of the 500-point Latin-hypercube sweep of the Ukraine case.

Prints points per second for each executor and worker count, and the scaling efficiency of
two workers over one. Run from the repository root:

    python benchmarks/bench_sweep.py [--points N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import tempfile
import time
from pathlib import Path

from sim.runs.plan import Plan
from sim.runs.sweep import run_sweep
from sim.runs.targets import file_plan

SWEEP = Path("scenarios/ukraine/sweeps/aid_momentum_lhs.yaml")


def timed(plan: Plan, base: Path, executor: str, workers: int) -> float:
    with tempfile.TemporaryDirectory() as temporary:
        start = time.perf_counter()
        record = run_sweep(
            plan, base, out=Path(temporary) / "run", executor=executor, workers=workers
        )
        elapsed = time.perf_counter() - start
        assert record.failed == 0
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=None, help="use only the first N points")
    args = parser.parse_args()
    plan, base = file_plan(str(SWEEP))
    if args.points is not None:
        plan = Plan(plan.name, plan.base, plan.paths, plan.points[: args.points], plan.seed)
    n = len(plan.points)
    print(f"sweep {plan.name}: {n} points, {os.cpu_count()} cores")
    print(f"{'executor':<10} {'workers':>7} {'seconds':>8} {'points/s':>9}")
    configs = [("serial", 1), ("processes", 1), ("processes", 2)]
    if importlib.util.find_spec("distributed") is not None:
        configs += [("dask", 1), ("dask", 2)]
    else:
        print("(dask not installed: pip install -e '.[dask]' to include it)")
    speeds: dict[tuple[str, int], float] = {}
    for executor, workers in configs:
        seconds = timed(plan, base, executor, workers)
        speeds[(executor, workers)] = n / seconds
        print(f"{executor:<10} {workers:>7} {seconds:>8.2f} {n / seconds:>9.1f}")
    for executor in ("processes", "dask"):
        if (executor, 2) in speeds:
            speedup = speeds[(executor, 2)] / speeds[(executor, 1)]
            print(
                f"{executor}: 2 workers are {speedup:.2f}x as fast as 1 "
                f"(scaling efficiency {speedup / 2:.0%})"
            )


if __name__ == "__main__":
    main()

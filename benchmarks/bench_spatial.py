"""Time the spatial models: BDM on 100 actors x 10 dimensions x 50 rounds, SMP on 13 actors
x 2 dimensions run to its stopping rule, and 1,000 draws of the EC emissions fixture's BDM
and compromise forecasts.

Usage: ``python benchmarks/bench_spatial.py [--repeats N]``.

Random problems (seeded): positions uniform on [0, 100], saliences and capabilities uniform
on [0, 1]. BDM runs exactly 50 rounds (``tol=0``, so it never stops early); SMP runs with its
defaults (at most 100 rounds, stopping when no position moves more than 1e-6). Prints the
best wall time and the best CPU time of ``N`` runs; the targets are under 1 s each (and 30 s
for 1,000 draws). The draws vary every salience (jitter 0.1) and position (jitter 1) of the
fixture (seed 1). Asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sim.model.resolve import load_scenario
from sim.spatial.bdm import BdmOptions, run_bdm
from sim.spatial.draws import spatial_draws
from sim.spatial.forecast import model_options
from sim.spatial.smp import SmpOptions, run_smp


def best_of(repeats: int, action: Callable[[], object]) -> tuple[str, object]:
    """The best wall time and the best CPU time of the process over ``repeats`` runs (on a
    shared machine the wall time includes waiting for a core; the CPU time does not)."""
    wall, cpu, out = float("inf"), float("inf"), None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = action()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return f"{wall:.3f} s wall, {cpu:.3f} s CPU", out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    rng = np.random.default_rng(1)
    x, s, c = rng.random((10, 100)) * 100, rng.random((10, 100)), rng.random(100)
    seconds, trace = best_of(
        args.repeats, lambda: run_bdm(x, s, c, np.full(10, 100.0), BdmOptions(rounds=50, tol=0.0))
    )
    rounds = len(trace.rounds)  # type: ignore[attr-defined]
    print(f"BDM  100 actors x 10 dimensions x {rounds} rounds: {seconds} (target < 1 s)")

    rng = np.random.default_rng(2)
    ideals, sal, cap = rng.random((13, 2)), rng.random((13, 2)), rng.random(13)
    seconds, trace = best_of(args.repeats, lambda: run_smp(ideals, sal, cap, SmpOptions()))
    rounds = len(trace.rounds)  # type: ignore[attr-defined]
    stopped = "stopped" if trace.converged else "hit the round limit"  # type: ignore[attr-defined]
    print(f"SMP  13 actors x 2 dimensions, {rounds} rounds ({stopped}): {seconds} (target < 1 s)")

    fixture = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "spatial"
    loaded = load_scenario(fixture / "ec-emissions.yaml")
    vary = ["spatial.actors.*.salience.*=jitter:0.1", "spatial.actors.*.positions.*=jitter:1"]
    for model in ("compromise", "bdm"):
        options = model_options(model, {})
        seconds, _ = best_of(
            args.repeats,
            lambda m=model, o=options: spatial_draws(loaded, m, o, 1000, 1, vary),  # type: ignore[misc]
        )
        print(f"{model:10s} 1,000 draws of the EC fixture (10 actors): {seconds} (target < 30 s)")


if __name__ == "__main__":
    main()

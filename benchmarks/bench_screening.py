"""Time the screening solution (offers over the horizon under one-sided private information).

Usage: ``python benchmarks/bench_screening.py [--repeats N]``.

The issue's size: 20,736 candidate bundles (the proposer's utility uniform, the informed
responder's one minus it plus noise of sd 0.05, seed 1), a 200-type grid of the responder's
cost (uniform on [0, 0.5]), 24 months (T = 24, so 25 periods) with the odds drifting by 0.005
a month. Also the one-offer model, and the largest grid the format allows (2,000 types).
Prints the best wall time of ``N`` runs and the peak memory of one run; asserts nothing.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from sim.core.screening import one_offer, screening
from sim.core.timeline import war_path

BUNDLES = 20_736
HORIZON = 24


def instance(n_types: int):
    rng = np.random.default_rng(1)
    first = rng.uniform(0.0, 1.0, BUNDLES)  # opposed interests, with some joint gains
    utilities = np.stack([first, np.clip(1.0 - first + rng.normal(0, 0.05, BUNDLES), 0, 1)], 1)
    indices = rng.choice(10 * BUNDLES, size=BUNDLES, replace=False).astype(np.int64)
    costs = 0.5 * (np.arange(n_types) + 0.5) / n_types
    flows = np.array(
        [war_path(0.5, 0.005, HORIZON, [1, 1], [0, 0], [0.05, c])[:, 1] for c in costs]
    )
    proposer = war_path(0.5, 0.005, HORIZON, [1, 1], [0, 0], [0.05, 0.1])[:, 0]
    return utilities, indices, proposer, flows


def timed(run: Callable[[], object], repeats: int) -> tuple[float, float]:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    for n_types in (200, 2000):
        u, ids, proposer, flows = instance(n_types)
        weights = np.ones(n_types)

        def months(u=u, ids=ids, proposer=proposer, flows=flows, weights=weights) -> object:
            return screening(u[:, 0], u[:, 1], ids, proposer, flows, weights, [0.95, 0.9])

        seconds, peak = timed(months, repeats)
        result = screening(u[:, 0], u[:, 1], ids, proposer, flows, weights, [0.95, 0.9])
        print(
            f"screening  {BUNDLES:,} bundles, {n_types:>5} types, {HORIZON} months: "
            f"{seconds:.3f} s (best of {repeats}), peak {peak:.0f} MB; "
            f"expected month {result.expected_month:.2f}, breakdown {result.p_breakdown:.3f}"
        )

        def single(u=u, ids=ids, proposer=proposer, flows=flows, weights=weights) -> object:
            return one_offer(u[:, 0], u[:, 1], ids, proposer[0], flows[:, 0], weights)

        seconds, peak = timed(single, repeats)
        print(
            f"one offer  {BUNDLES:,} bundles, {n_types:>5} types:            "
            f"{seconds:.3f} s (best of {repeats}), peak {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()

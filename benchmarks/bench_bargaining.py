"""Time both bargaining protocols on large random candidate sets.

Usage: ``python benchmarks/bench_bargaining.py [--repeats N]``.

Candidates: ``n`` random bundles (distinct indices below ``10 n``) with 4 parties' utilities
uniform on [0, 1] (seed ``n``); T = 24 periods. Alternating offers between parties 0 and 1
on a drifting war path; mediated with veto parties 0, 1, 2 and mediator 3. Prints the best
wall time of ``N`` runs and the peak memory allocated during one run (inputs excluded);
asserts nothing.

Then several veto parties (:func:`multilateral`): 10^5 and 10^6 random candidates with 5
parties' utilities, rotating offers and the mediated protocol with 3 and 4 veto parties
(mediator: party 4), T = 24, war flows drifting apart.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from functools import partial

import numpy as np
from numpy.typing import NDArray

from sim.core.bargaining import BargainingResult, alternating_offers, mediated, rotating_offers
from sim.core.timeline import war_path

SIZES = (10_000, 100_000, 1_000_000)
HORIZON = 24
N_PARTIES = 4


def candidates(n: int) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    rng = np.random.default_rng(n)
    utilities = rng.uniform(0.0, 1.0, (n, N_PARTIES))
    indices = rng.choice(10 * n, size=n, replace=False).astype(np.int64)
    return utilities, indices


def protocols(
    utilities: NDArray[np.float64], indices: NDArray[np.int64]
) -> dict[str, Callable[[], BargainingResult]]:
    flows = war_path(0.3, 0.02, HORIZON, win=[1, 1], lose=[0, 0], cost=[0.05, 0.05])
    third = np.column_stack([flows, np.full(HORIZON + 1, 0.3)])
    return {
        "alternating": lambda: alternating_offers(utilities, indices, [0, 1], flows, [0.95, 0.9]),
        "mediated": lambda: mediated(utilities, indices, [0, 1, 2], 3, third, [0.95, 0.9, 0.9]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per case (best kept)")
    repeats = parser.parse_args().repeats
    header = (
        f"{'candidates':>10} {'protocol':>12} | {'best s':>8} {'per period ms':>13}"
        f" | {'peak MiB':>8} {'input MiB':>9} | agreement"
    )
    print(f"T = {HORIZON} ({HORIZON + 1} periods), {N_PARTIES} parties")
    print(header)
    print("-" * len(header))
    for n in SIZES:
        utilities, indices = candidates(n)
        input_mib = (utilities.nbytes + indices.nbytes) / 2**20
        for name, run in protocols(utilities, indices).items():
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                result = run()
                times.append(time.perf_counter() - start)
            tracemalloc.start()
            run()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            agreement = (
                "none"
                if result.agreement_period is None
                else f"period {result.agreement_period}, bundle {result.bundle}"
            )
            best = min(times)
            print(
                f"{n:>10} {name:>12} | {best:>8.3f} {1000 * best / (HORIZON + 1):>13.2f}"
                f" | {peak:>8.1f} {input_mib:>9.1f} | {agreement}",
                flush=True,
            )


def multilateral(repeats: int) -> None:
    """Rotating offers and mediated bargaining among 3 and 4 veto parties."""
    print()
    print(f"Several veto parties, T = {HORIZON}, 5 parties (mediator: party 4)")
    header = f"{'candidates':>10} {'veto':>4} {'protocol':>10} | {'best s':>8} | agreement"
    print(header)
    print("-" * len(header))
    for n in (100_000, 1_000_000):
        rng = np.random.default_rng(n + 1)
        utilities = rng.uniform(0.0, 1.0, (n, 5))
        indices = rng.choice(10 * n, size=n, replace=False).astype(np.int64)
        for n_veto in (3, 4):
            veto = list(range(n_veto))
            steps = np.arange(HORIZON + 1)[:, None]
            flows = 0.3 + 0.01 * steps * np.linspace(-1.0, 1.0, n_veto)[None, :]
            delta = np.linspace(0.95, 0.85, n_veto)
            runs: dict[str, Callable[[], BargainingResult]] = {
                "rotating": partial(rotating_offers, utilities, indices, veto, flows, delta),
                "mediated": partial(mediated, utilities, indices, veto, 4, flows, delta),
            }
            for name, run in runs.items():
                times = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    result = run()
                    times.append(time.perf_counter() - start)
                agreement = (
                    "none"
                    if result.agreement_period is None
                    else f"period {result.agreement_period}, bundle {result.bundle}"
                )
                print(f"{n:>10} {n_veto:>4} {name:>10} | {min(times):>8.3f} | {agreement}")


def case() -> None:
    """The strategic layer of every scenario of the Ukraine case (horizon 24 months): both
    alternating-offers orders, the mediated protocol and the three games."""
    from pathlib import Path

    from sim.analysis.strategy import analyse_strategy
    from sim.model import load_scenario

    print()
    print("Ukraine case, T = 24: bargaining over time (3 protocols) and games, per scenario")
    for path in sorted(Path("scenarios/ukraine").glob("*.yaml")):
        loaded = load_scenario(path)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            strategy = analyse_strategy(loaded)
            times.append(time.perf_counter() - start)
        periods = [r.agreement_period for r in strategy.bargaining]
        print(f"{path.stem:>20} | best {min(times):.3f} s | agreement periods {periods}")


if __name__ == "__main__":
    main()
    multilateral(3)
    case()

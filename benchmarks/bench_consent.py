"""Benchmark of the analysis with consent (exact enumeration); prints figures, asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_consent.py`` (about a minute). Random additive
problems with 10 options per issue, three veto parties and one party without a veto whose
consent one option of the first issue and every option of the second need (seeded); the same
problem without consent (the merge and meet-in-the-middle path) for comparison. Times are the
best of two runs; peak memory is the process's resident maximum so far.
"""

from __future__ import annotations

import dataclasses
import resource
import time

import numpy as np

from sim.core.analysis import analyse
from sim.core.problem import Problem

OPTIONS = 10


def consent_problem(seed: int, issues: int, parties: int = 4) -> Problem:
    rng = np.random.default_rng(seed)
    weights = rng.random((parties, issues))
    weights /= weights.sum(axis=1, keepdims=True)
    consent = [np.zeros((parties, OPTIONS), dtype=bool) for _ in range(issues)]
    consent[0][parties - 1, 1] = True
    consent[1][parties - 1, :] = True
    return Problem(
        name=f"consent-{issues}",
        issues=tuple(f"issue{k}" for k in range(issues)),
        options=tuple(tuple(f"option{o}" for o in range(OPTIONS)) for _ in range(issues)),
        parties=tuple(f"party{i}" for i in range(parties)),
        veto=np.array([True] * (parties - 1) + [False]),
        power=np.ones(parties),
        reservation=np.full(parties, 0.35),
        tables=tuple(weights[:, [k]] * rng.random((parties, OPTIONS)) for k in range(issues)),
        red_lines=tuple(rng.random((parties, OPTIONS)) < 0.02 for _ in range(issues)),
        consent=tuple(consent),
    )


def best_of(runs: int, problem: Problem) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        analyse(problem)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print("feasible   consent (s)  without consent (s)  acceptable  frontier  peak RSS (MB)")
    for issues in (5, 6, 7):
        problem = consent_problem(issues, issues)
        analysis = analyse(problem)
        with_consent = best_of(2, problem)
        without = best_of(2, dataclasses.replace(problem, consent=None))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{analysis.feasible:>9,}  {with_consent:>11.2f}  {without:>19.2f}  "
            f"{analysis.acceptable.value:>10,}  {analysis.frontier.size:>8,}  {peak:>13.0f}"
        )


if __name__ == "__main__":
    main()

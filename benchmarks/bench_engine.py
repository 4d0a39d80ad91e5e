"""Benchmark of the bargaining-space engine; prints figures and asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_engine.py`` (a few minutes). Spaces are random additive
problems with 10 options per issue, reservations of 0.35 and a few red lines (seeded, so every
run analyses the same problems). Peak memory is measured by tracemalloc on a second run of
each case (numpy reports its buffers to it); times come from the first, untraced run.

Targets on one core: full analysis of 1e6 bundles x 4 parties <= 0.5 s; exact frontier of a
1e9-bundle space <= 30 s; peak memory < 1 GB.

``python benchmarks/bench_engine.py frontier [PARTIES...]`` measures only the exact frontier of
the 10^12-bundle space of seed 1 (12 issues x 10 options; default 2 to 5 parties), each in a
fresh process: wall time, CPU time and the process's peak resident memory (issue 23's targets:
4 parties <= 2 s, 5 parties <= 20 s, peak memory < 2 GB).
"""

from __future__ import annotations

import functools
import itertools
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from sim.core.analysis import analyse
from sim.core.frontier import frontier_by_merge
from sim.core.problem import Problem

OPTIONS = 10
T = TypeVar("T")

LOOP_BUDGET = 20_000
"""Bundles the plain Python loop runs through before its time is extrapolated."""


def random_problem(seed: int, parties: int, issues: int) -> Problem:
    rng = np.random.default_rng(seed)
    weights = rng.random((parties, issues))
    weights /= weights.sum(axis=1, keepdims=True)
    return Problem(
        name=f"bench-{parties}x{issues}",
        issues=tuple(f"issue{k}" for k in range(issues)),
        options=tuple(tuple(f"option{o}" for o in range(OPTIONS)) for _ in range(issues)),
        parties=tuple(f"party{i}" for i in range(parties)),
        veto=np.ones(parties, dtype=bool),
        power=np.ones(parties),
        reservation=np.full(parties, 0.35),
        tables=tuple(weights[:, [k]] * rng.random((parties, OPTIONS)) for k in range(issues)),
        red_lines=tuple(rng.random((parties, OPTIONS)) < 0.02 for _ in range(issues)),
    )


def python_loop(problem: Problem, budget: int) -> tuple[float, int]:
    """The same analysis bundle by bundle in plain Python (utilities, acceptability, counts,
    option shares and a dominance-checked frontier archive) over at most ``budget`` bundles.
    Returns the seconds taken and the bundles done."""
    parties = range(problem.n_parties)
    veto = [int(i) for i in problem.veto_indices]
    floor = [float(problem.reservation[i]) - 1e-12 for i in veto]
    tables = [t.T.tolist() for t in problem.tables]
    blocked = [set(np.flatnonzero(~allowed).tolist()) for allowed in problem.feasible_options()]
    shares = [[0] * len(options) for options in problem.options]
    archive: list[tuple[list[float], int, int]] = []
    accepted = done = 0
    start = time.perf_counter()
    bundles = itertools.product(*[range(len(options)) for options in problem.options])
    for index, bundle in enumerate(itertools.islice(bundles, budget)):
        done += 1
        if any(option in blocked[k] for k, option in enumerate(bundle)):
            continue
        utility = [sum(tables[k][o][i] for k, o in enumerate(bundle)) for i in parties]
        vector = [utility[i] for i in veto]
        if any(u < f for u, f in zip(vector, floor, strict=True)):
            continue
        accepted += 1
        for k, option in enumerate(bundle):
            shares[k][option] += 1
        kept: list[tuple[list[float], int, int]] = []
        dominated = False
        for other, other_index, ties in archive:
            if all(abs(a - b) <= 1e-12 for a, b in zip(other, vector, strict=True)):
                kept.append((other, other_index, ties + 1))
                dominated = True  # a tie: counted, not listed again
                continue
            if all(a >= b for a, b in zip(other, vector, strict=True)):
                dominated = True
            if not all(b >= a for a, b in zip(other, vector, strict=True)):
                kept.append((other, other_index, ties))
        archive = kept if dominated else [*kept, (vector, index, 0)]
    return time.perf_counter() - start, done


def measured(work: Callable[[], T]) -> tuple[float, float, T]:
    """Seconds of an untraced run, and peak traced memory (MB) of a second run."""
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def main() -> None:
    print("Full analysis (analyse) vs a plain per-bundle Python loop")
    header = (
        f"{'bundles':>8} {'parties':>7} {'acceptable':>11} {'frontier':>8} {'analyse s':>9} "
        f"{'bundles/s':>9} {'loop s':>9} {'ratio':>7} {'peak MB':>7}"
    )
    print(header)
    print("-" * len(header))
    extrapolated = False
    for issues in (4, 5, 6, 7):
        for parties in (2, 3, 4):
            problem = random_problem(100 * issues + parties, parties, issues)
            analyse(problem)  # warm-up
            seconds, peak, analysis = measured(functools.partial(analyse, problem))
            loop_seconds, done = python_loop(problem, LOOP_BUDGET)
            mark = ""
            if done < problem.size:
                loop_seconds *= problem.size / done
                mark, extrapolated = "~", True
            print(
                f"{problem.size:>8.0e} {parties:>7} {analysis.acceptable.value:>11,} "
                f"{analysis.frontier.size:>8,} {seconds:>9.3f} {problem.size / seconds:>9.2e} "
                f"{mark + format(loop_seconds, '.1f'):>9} {loop_seconds / seconds:>7.0f} "
                f"{peak:>7.1f}"
            )
    if extrapolated:
        print(
            f"~ loop time extrapolated linearly from its first {LOOP_BUDGET:,} bundles "
            "(the whole space would take too long)"
        )
    print()
    print("Exact frontier by merging issues (frontier_by_merge), no enumeration")
    header = (
        f"{'bundles':>8} {'parties':>7} {'frontier':>8} {'ties':>6} {'seconds':>8} {'peak MB':>7}"
    )
    print(header)
    print("-" * len(header))
    for issues in (9, 12):
        for parties in (2, 3, 4):
            problem = random_problem(1000 * issues + parties, parties, issues)
            seconds, peak, frontier = measured(functools.partial(frontier_by_merge, problem))
            print(
                f"{problem.size:>8.0e} {parties:>7} {frontier.indices.shape[0]:>8,} "
                f"{int(frontier.ties.sum()):>6,} {seconds:>8.3f} {peak:>7.1f}"
            )
    print()
    print("Full analysis of large spaces (counts exact where a method fits, else estimated)")
    header = (
        f"{'bundles':>8} {'parties':>7} {'acceptable':>17} {'method':>18} {'95% CI width':>12} "
        f"{'seconds':>8} {'peak MB':>7}"
    )
    print(header)
    print("-" * len(header))
    for issues in (9, 12):
        for parties in (2, 3, 4):
            problem = random_problem(1000 * issues + parties, parties, issues)
            seconds, peak, analysis = measured(functools.partial(analyse, problem))
            count = analysis.acceptable
            print(
                f"{problem.size:>8.0e} {parties:>7} {count.value:>17,} {count.method:>18} "
                f"{count.high - count.low:>12.1e} {seconds:>8.2f} {peak:>7.1f}"
            )
    print()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory (ru_maxrss): {rss:.0f} MB")


def frontier_case(parties: int) -> None:
    """One exact frontier of the seed-1 10^12-bundle space; prints its figures on one line."""
    problem = random_problem(1, parties, 12)
    wall, cpu = time.perf_counter(), time.process_time()
    frontier = frontier_by_merge(problem)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{problem.size:>8.0e} {parties:>7} {frontier.indices.shape[0]:>8,} "
        f"{int(frontier.ties.sum()):>6,} {wall:>8.2f} {cpu:>8.2f} {rss:>8.0f}",
        flush=True,
    )


def frontier_only(parties: list[int]) -> None:
    print("Exact frontier of 10^12 bundles (seed 1, 12 issues x 10 options), one process each")
    header = (
        f"{'bundles':>8} {'parties':>7} {'frontier':>8} {'ties':>6} {'wall s':>8} {'cpu s':>8} "
        f"{'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for count in parties:
        subprocess.run(
            [sys.executable, __file__, "frontier-case", str(count)], check=True, cwd=Path.cwd()
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["frontier-case"]:
        frontier_case(int(sys.argv[2]))
    elif sys.argv[1:2] == ["frontier"]:
        frontier_only([int(a) for a in sys.argv[2:]] or [2, 3, 4, 5])
    else:
        main()

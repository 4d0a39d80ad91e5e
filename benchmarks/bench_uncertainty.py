"""Speed and memory of `sim uncertainty` on the whole shipped case (7 scenarios).

Prints the seconds and draws per second of the static layer alone (zone, acceptable count,
frontier, the four solutions, proposal verdicts), of bargaining over time and compliance on
every draw (vectorised over blocks of draws), of the whole analysis without and with the
sensitivity indices and tornado, and of a recorded run (blocks, draws.csv, summaries,
manifest); the rates of the one-draw-at-a-time paths (overrides, validation, compile,
`analyse`, verdicts: what a sweep point costs without the strategic layer; and the core's
backward induction and compliance game per draw) for the ratios; and the peak resident
memory. Run from the repository root:

    python benchmarks/bench_uncertainty.py [--draws N] [--executor serial|processes|dask]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.core.verdict import judge_terms
from sim.model import load_many
from sim.montecarlo.draws import draw_block
from sim.montecarlo.induction import simulate_strategic
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.results import simulate
from sim.montecarlo.static import build_structure
from sim.montecarlo.strategic import strategic_block
from sim.runs.uncertainty import uncertainty

CASE = "scenarios/ukraine/"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_at_a_time(draws: int) -> float:
    """Draws per second of the per-draw path on baseline."""
    loaded = next(s for s in load_many(CASE) if s.scenario.name == "baseline")
    judgments = resolve_judgments(loaded)
    drawn = draw_block(judgments, 1, 0, draws)
    raw = loaded.raw()
    start = time.perf_counter()
    for row in drawn:
        overrides = {j.path: float(v) for j, v in zip(judgments, row, strict=True)}
        scenario = raw.with_overrides(overrides).scenario
        problem = compile_problem(scenario)
        analyse(problem)
        for proposal in scenario.proposals.values():
            terms = {
                problem.issues.index(k): problem.options[problem.issues.index(k)].index(o)
                for k, o in proposal.terms.items()
            }
            judge_terms(problem, terms)
    return draws / (time.perf_counter() - start)


def strategic_one_at_a_time(draws: int) -> float:
    """Draws per second of the one-draw strategic path (the oracle) on sanctions_threat."""
    loaded = next(s for s in load_many(CASE) if s.scenario.name == "sanctions_threat")
    structure = build_structure(loaded, resolve_judgments(loaded))
    drawn = draw_block(structure.judgments, 1, 0, draws)
    start = time.perf_counter()
    strategic_block(structure, drawn)
    return draws / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--executor", default="serial")
    args = parser.parse_args()
    n, executor = args.draws, args.executor
    loaded = load_many(CASE)
    print(f"the case: {len(loaded)} scenarios x {n:,} draws, executor {executor}")
    structures = [build_structure(s, resolve_judgments(s)) for s in loaded]
    total = n * len(structures)
    start = time.perf_counter()
    for structure in structures:
        simulate(structure, n, 1)
    static = time.perf_counter() - start
    print(f"static layer:               {static:6.1f} s  {total / static:9,.0f} draws/s")
    start = time.perf_counter()
    for structure in structures:
        simulate_strategic(structure, n, 1)
    strategic = time.perf_counter() - start
    print(f"bargaining and compliance:  {strategic:6.1f} s  {total / strategic:9,.0f} draws/s")
    start = time.perf_counter()
    uncertainty(CASE, draws=n, seed=1, sensitivity=False, executor=executor)
    whole = time.perf_counter() - start
    print(f"whole case, no sensitivity: {whole:6.1f} s  {total / whole:9,.0f} draws/s")
    start = time.perf_counter()
    uncertainty(CASE, draws=n, seed=1, sensitivity=True, executor=executor)
    summarised = time.perf_counter() - start
    print(f"+ sensitivity and tornado:  {summarised:6.1f} s  {total / summarised:9,.0f} draws/s")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        result = uncertainty(CASE, draws=n, seed=1, out=Path(folder) / "run", executor=executor)
        recorded = time.perf_counter() - start
        assert result.folder is not None
        size = (result.folder / "draws.csv").stat().st_size / 1e6
    print(f"+ run folder ({size:,.0f} MB):    {recorded:6.1f} s  {total / recorded:9,.0f} draws/s")
    per_draw = one_at_a_time(min(n, 200))
    print(f"one draw at a time:         {per_draw:9,.1f} draws/s (baseline, static layer only)")
    print(f"ratio, static layer:        {total / static / per_draw:9,.0f}x")
    per_draw_strategic = strategic_one_at_a_time(min(n, 300))
    print(f"strategic, one at a time:   {per_draw_strategic:9,.1f} draws/s (sanctions_threat)")
    print(f"ratio, strategic layer:     {total / strategic / per_draw_strategic:9,.0f}x")
    print(f"peak resident memory:     {peak_mb():9,.0f} MB")
    np.testing.assert_(peak_mb() < 2048, "peak memory above 2 GB")


if __name__ == "__main__":
    main()

"""Time building and drawing every figure kind of a run of the case (7 scenarios), of a
small sweep and of a small uncertainty run.

Usage: ``python benchmarks/bench_figures.py [--repeats N]`` (from the repository root).

The runs are made into a temporary folder. For each kind the best wall time of ``N`` rounds
is printed: building the charts (label placement included) and drawing them as PNG at
100 dpi. Asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sim.api import run, sweep
from sim.figures import build_figures, kinds_for
from sim.figures.chart import png_bytes
from sim.figures.sources import RunSource, open_run


def timed(source: RunSource, kind: str, repeats: int) -> tuple[int, float, float]:
    best = (0, float("inf"), 0.0)
    for _ in range(repeats):
        start = time.perf_counter()
        charts = build_figures(source, kind)
        built = time.perf_counter()
        for chart in charts:
            png_bytes(chart, dpi=100)
        done = time.perf_counter()
        if done - start < best[1] + best[2]:
            best = (len(charts), built - start, done - built)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from sim.runs.uncertainty import uncertainty

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        run("scenarios/ukraine", out=root / "case")
        sweep(
            "scenarios/ukraine/baseline.yaml",
            ranges={
                "levers.aid.value": [0.0, 2.0],
                "levers.momentum.value": [0.0, 1.0],
                "levers.sanctions.value": [0.0, 1.0],
            },
            sample="lhs:50",
            executor="serial",
            out=root / "lhs",
        )
        uncertainty(["scenarios/ukraine/baseline.yaml"], draws=50, seed=1, out=root / "unc")
        print("kind          charts  build (s)  draw (s)")
        for name in ("case", "lhs", "unc"):
            source = open_run(root / name)
            for kind in kinds_for(source.kind):
                count, build, draw = timed(source, kind.name, args.repeats)
                print(f"{kind.name:<12} {count:>7} {build:>10.3f} {draw:>9.3f}")


if __name__ == "__main__":
    main()

"""Time `sim report` on the shipped case run (7 scenarios) and on a 500-point sweep.

Usage: ``python benchmarks/bench_report.py [--repeats N] [--sweep RUN_FOLDER]``
(from the repository root).

The case run is made with ``sim run scenarios/ukraine/`` into a temporary folder; the sweep
(baseline, aid 0..2 in 25 steps x momentum 0..1 in 20 steps = 500 points) with the
``processes`` executor unless ``--sweep`` names an existing one. For each report the best
wall time of ``N`` runs is printed, split into reading the run (for a run: its stored
scenarios, compiled, and its stored outcomes), building the figures and page, and writing the
HTML (SVG); plus the size of the file. Asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sim.api import run, sweep
from sim.figures.sources import open_run
from sim.report.html import render_html
from sim.report.pages import build_page


def timed(folder: Path, repeats: int) -> tuple[float, float, float, int]:
    best = (float("inf"), 0.0, 0.0, 0)
    for _ in range(repeats):
        start = time.perf_counter()
        source = open_run(folder)
        read = time.perf_counter()
        page = build_page(source)
        built = time.perf_counter()
        text = render_html(page)
        done = time.perf_counter()
        if done - start < sum(best[:3]):
            best = (read - start, built - read, done - built, len(text.encode()))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sweep", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        case = run("scenarios/ukraine/", out=folder / "case", results=folder)
        assert case.folder is not None
        grid = folder / "sweep"
        if args.sweep is None:
            start = time.perf_counter()
            sweep(
                "baseline",
                grid={
                    "levers.aid.value": [round(2 * i / 24, 6) for i in range(25)],
                    "levers.momentum.value": [round(i / 19, 6) for i in range(20)],
                },
                out=grid,
                results=folder,
            )
            print(f"(500-point sweep made in {time.perf_counter() - start:.1f} s)")
        else:
            grid = args.sweep
        print("report                       read    figures+page  html    total   size")
        for label, where in (("case run (7 scenarios)", case.folder), ("sweep (500 points)", grid)):
            read, built, written, size = timed(where, args.repeats)
            total = read + built + written
            print(
                f"{label:28s} {read:6.2f} s {built:8.2f} s {written:6.2f} s "
                f"{total:6.2f} s  {size / 1e6:.1f} MB"
            )


if __name__ == "__main__":
    main()

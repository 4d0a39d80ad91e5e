"""The cost of one sweep point of the case, in this process: apply the overrides, analyse,
render the table row and the outcome document.

Usage: ``python benchmarks/bench_point.py [POINTS]``; prints the best of three passes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sim.analysis.analyse import analyse_scenario
from sim.analysis.document import outcome_document
from sim.analysis.row import outcome_row
from sim.model.resolve import load_raw
from sim.runs.files import document_text

BASE = Path(__file__).resolve().parents[1] / "scenarios" / "ukraine" / "baseline.yaml"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    raw = load_raw(BASE)
    points = [
        {"levers.aid.value": 0.05 * i, "levers.momentum.value": 0.03 * i} for i in range(count)
    ]
    passes = []
    for _ in range(3):
        start = time.perf_counter()
        for overrides in points:
            outcome = analyse_scenario(raw.with_overrides(overrides))
            outcome_row(outcome)
            document_text(outcome_document(outcome), compact=True)
        passes.append((time.perf_counter() - start) / count * 1000)
    print(f"one sweep point of the case: {min(passes):.1f} ms (best of 3 passes of {count})")


if __name__ == "__main__":
    main()

"""Whole-process time of `sim run --only ...` on a large scenario without a war model.

Writes a generated scenario (1,048,576 bundles: 10 issues x 4 options, four veto parties,
random additive utilities from a seeded generator, no red lines, no war model) to a temporary
folder, then runs ``sim run SCENARIO --json --no-record`` as a fresh process, with and without
``--only space,frontier,solutions``, several times, printing the fastest and the median wall time
and the fastest CPU time, from cached bytecode as :mod:`bench_startup` runs its commands.
Prints figures and asserts nothing. Usage: ``python benchmarks/bench_only.py [REPEATS]``.

Target (issue 23): ``--only space,frontier,solutions --json`` within 0.4 s, whole process.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from bench_startup import cached_bytecode, timed

ISSUES = 10
OPTIONS = 4
PARTIES = 4
SEED = 1


def scenario_text(seed: int = SEED) -> str:
    """The YAML of the generated scenario (4^10 = 1,048,576 bundles x 4 veto parties)."""
    rng = np.random.default_rng(seed)
    lines = ["name: generated_four_party", "issues:"]
    for k in range(ISSUES):
        lines.append(f"  issue{k}:")
        lines.append("    options: {" + ", ".join(f"o{o}: o{o}" for o in range(OPTIONS)) + "}")
    lines.append("parties:")
    for p in range(PARTIES):
        weights = rng.random(ISSUES)
        lines.append(f"  party{p}:")
        lines.append("    reservation: 0.45")
        lines.append(
            "    weights: {" + ", ".join(f"issue{k}: {w:.4f}" for k, w in enumerate(weights)) + "}"
        )
        lines.append("    values:")
        for k in range(ISSUES):
            values = rng.random(OPTIONS)
            lines.append(
                f"      issue{k}: {{"
                + ", ".join(f"o{o}: {v:.4f}" for o, v in enumerate(values))
                + "}"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated_four_party.yaml"
        path.write_text(scenario_text(), encoding="utf-8")
        env = cached_bytecode(Path(folder) / "bytecode")
        print(
            f"{'command (1,048,576 bundles x 4 parties)':58} {'fastest':>8} {'median':>8} "
            f"{'cpu':>8}"
        )
        for label, extra in (
            (
                "sim run X --json --only space,frontier,solutions",
                ["--only", "space,frontier,solutions"],
            ),
            ("sim run X --json (everything)", []),
        ):
            fastest, median, cpu = timed(
                ["run", str(path), "--json", "--no-record", *extra], repeats, env
            )
            print(f"{label:58} {fastest:7.3f}s {median:7.3f}s {cpu:7.3f}s")


if __name__ == "__main__":
    main()

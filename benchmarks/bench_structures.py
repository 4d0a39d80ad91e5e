"""Speed and memory of `sim uncertainty` with named structures.

Two measurements, each the whole analysis (static layer, bargaining over time and compliance on
every draw, the PAWN indices and tornado tables):

- the case's contested readings (`scenarios/ukraine/readings/territory.yaml`: two declared
  structures times one drawn red line, four structures);
- the whole case (its seven scenarios) with three structures declared in `baseline.yaml` and
  inherited by every variant (Moscow's withdrawal demand a weight or a red line, and Kyiv's
  refusal lifted): 21 structures in all, the size the structural-uncertainty issue sets a
  target for (2,000 draws per structure in under 60 s).

Prints wall and CPU seconds, draws per second over every structure, and the peak resident
memory. Run from the repository root:

    python benchmarks/bench_structures.py [--draws N] [--executor serial|processes]

(CPU seconds are this process's: with ``--executor processes`` the workers' are not counted.)
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import yaml

from sim.model import load_many
from sim.runs.uncertainty import uncertainty

CASE = Path("scenarios/ukraine")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, target: object, draws: int, executor: str = "serial") -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    result = uncertainty(target, draws=draws, seed=1, executor=executor)  # type: ignore[arg-type]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    units = len(result.scenarios)
    print(
        f"{label}: {units} structures x {draws:,} draws: {wall:.1f} s wall, {cpu:.1f} s CPU, "
        f"{units * draws / wall:,.0f} draws/s; peak memory {peak_mb():.0f} MB"
    )


def three_structures(folder: Path) -> None:
    """Copy the case into ``folder`` with three structures in baseline's uncertainty section."""
    for path in CASE.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    readings = yaml.safe_load((CASE / "readings" / "territory.yaml").read_text(encoding="utf-8"))
    declared = readings["uncertainty"]["structures"]
    baseline = yaml.safe_load((folder / "baseline.yaml").read_text(encoding="utf-8"))
    red_lines = baseline["parties"]["ukraine"]["red_lines"]
    baseline["uncertainty"]["structures"] = {
        "demand_weight": {**declared["demand_weight"], "weight": 0.6},
        "demand_red_line": {**declared["demand_red_line"], "weight": 0.3},
        "refusal_lifted": {
            "title": "Kyiv's refusal to withdraw is not a red line",
            "weight": 0.1,
            "set": {"parties.ukraine.red_lines": red_lines[1:]},
            "evidence": [{"assumption": "benchmark"}],
        },
    }
    (folder / "baseline.yaml").write_text(yaml.safe_dump(baseline, sort_keys=False), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--executor", default="serial", choices=["serial", "processes"])
    args = parser.parse_args()
    where = str(CASE / "readings" / "territory.yaml")
    timed("readings/territory.yaml", where, args.draws, args.executor)
    with tempfile.TemporaryDirectory() as tmp:
        three_structures(Path(tmp))
        loaded = load_many(tmp)
        timed("the whole case, three structures each", loaded, args.draws, args.executor)


if __name__ == "__main__":
    main()

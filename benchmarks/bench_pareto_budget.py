"""How long a whole analysis of a random many-party scenario takes against the Pareto filter's
estimated work (the figures behind ``MAX_PARETO_WORK`` in ``sim/core/work.py``).

Run: ``python benchmarks/bench_pareto_budget.py [parties,issues,options,seed ...]`` (default:
16 parties over 2^16 to 2^19 bundles). The limit is lifted for the measurement.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

from sim.analysis.analyse import analyse_scenario
from sim.core import work
from sim.model import load_many
from tests.property.test_budget_property import document  # the property test's scenarios


def main() -> None:
    os.environ["SIM_MAX_PARETO_WORK"] = str(10**15)
    shapes = sys.argv[1:] or ["16,16,2,0", "16,17,2,1", "16,17,2,2", "16,18,2,0", "16,19,2,0"]
    estimates: list[float] = []
    original = work.pareto_work

    def counted(n: int, d: int) -> float:
        value = original(n, d)
        estimates.append(value)
        return value

    work.pareto_work = counted
    for text in shapes:
        shape = tuple(int(x) for x in text.split(","))
        estimates.clear()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "random.yaml"
            path.write_text(yaml.safe_dump(document(*shape), sort_keys=False), encoding="utf-8")
            (loaded,) = load_many(str(path))
            started = time.process_time()
            analyse_scenario(loaded)
            spent = time.process_time() - started
        print(
            f"{shape}: {spent:.2f} s CPU; largest filter estimated at {max(estimates):.2g}, "
            f"all filters {sum(estimates):.2g}"
        )


if __name__ == "__main__":
    main()

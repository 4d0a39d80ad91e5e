"""Time negotiating agents: one negotiation on the case, and a tournament.

Usage: ``python benchmarks/bench_agents.py [--repeats N] [--workers W]``
(run from the repository root with ``PYTHONPATH=.``).

1. One two-agent negotiation (boulware against linear, stacked alternating offers, 100
   rounds) on the case's baseline: its space has 20,736 bundles, of which red lines and
   consent leave 1,536 on the table; and the same scenario with every red line and consent
   section removed, so all 20,736 are on the table. Timed cold (a new table: the bargaining
   candidates, the agents' sorted utilities, the frontier, the Nash point and the
   equilibrium plan, then the play and the trace in words) and warm (the play alone on a
   table already built). Best of ``N`` runs.
2. A tournament of 6 agents (boulware, linear, conceder, tit-for-tat, hard-liner, random)
   on the case's 7 scenarios with 10 seeds: 6 x 5 ordered pairs x 7 x 10 = 2,100
   negotiations of 100 rounds, serial and on ``W`` worker processes. Wall time of one run.

Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from sim.agents.agents import agent_kinds
from sim.agents.negotiate import describe, play, table_of
from sim.agents.tournament import run_tournament
from sim.api import load_scenarios
from sim.model.resolve import LoadedScenario

CASE = Path("scenarios/ukraine")
AGENTS = ["boulware", "linear", "conceder", "tit-for-tat", "hardliner", "random"]


def best(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def lifted() -> LoadedScenario:
    """The baseline with every red line and consent section removed."""
    [loaded] = load_scenarios(str(CASE / "baseline.yaml"))
    overrides: dict[str, object] = {}
    for name, party in loaded.scenario.parties.items():
        if party.red_lines:
            overrides[f"parties.{name}.red_lines"] = []
        if party.consent is not None:
            overrides[f"parties.{name}.consent"] = None
    [plain] = load_scenarios(str(CASE / "baseline.yaml"), overrides=overrides)
    return plain


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs (best kept)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    args = parser.parse_args()
    kinds = agent_kinds("boulware,linear")
    [baseline] = load_scenarios(str(CASE / "baseline.yaml"))
    print("one negotiation: boulware vs linear, stacked alternating offers, 100 rounds")
    for label, loaded in (("case baseline", baseline), ("red lines/consent lifted", lifted())):
        table = table_of(loaded)
        played = play(table, kinds, rounds=100)

        def cold(loaded: LoadedScenario = loaded) -> object:
            fresh = table_of(loaded)
            return describe(fresh, play(fresh, kinds, rounds=100), kinds, 0)

        warm = best(lambda table=table: play(table, kinds, rounds=100), args.repeats)
        print(
            f"  {label:<26} {table.size:>6} bundles on the table | cold "
            f"{best(cold, args.repeats) * 1000:7.1f} ms | play alone {warm * 1000:6.2f} ms | "
            f"agreed in round {played.agreed_round}"
        )
    scenarios = load_scenarios(str(CASE))
    print(f"tournament: {len(AGENTS)} agents x {len(scenarios)} scenarios x 10 seeds, 100 rounds")
    for executor, workers in (("serial", 1), ("processes", args.workers)):
        start = time.perf_counter()
        result = run_tournament(
            scenarios, AGENTS, rounds=100, seeds=10, executor=executor, workers=workers
        )
        elapsed = time.perf_counter() - start
        print(
            f"  {executor:<10} workers {workers}: {len(result.rows):,} negotiations in "
            f"{elapsed:6.2f} s ({elapsed / len(result.rows) * 1000:.2f} ms each)"
        )


if __name__ == "__main__":
    main()

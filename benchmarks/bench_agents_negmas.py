"""Side-by-side timing of sim's agents and NegMAS's time-based negotiators on the same setups.

NegMAS is not a dependency of sim (and its licence, the AGPL, keeps its code out of this
repository): run this script with a Python that has both sim's dependencies and NegMAS, e.g.
``python -m venv /tmp/negmas && /tmp/negmas/bin/pip install negmas`` and then, from the
repository root, ``PYTHONPATH=. /tmp/negmas/bin/python benchmarks/bench_agents_negmas.py``.

Setups, both stacked alternating offers with a boulware first mover against a linear agent:

1. NegMAS's getting-started negotiation: one price issue with 50 values, the seller's utility
   the normalised price, the buyer's its reverse, 20 steps
   (``tests/fixtures/agents/negmas_price.yaml`` for sim).
2. The case's baseline with every red line and consent section removed (all 20,736 bundles on
   the table, reservations as in the scenario), 100 steps: NegMAS gets each party's additive
   utility (the compiled weighted values per issue) and its reservation as reserved value.

For each: the agreement, its step/round and the best wall time of ``N`` runs, from a built
table / mechanism to the result (sim: the play and the trace in words; NegMAS: adding the
negotiators and running the mechanism). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agents import lifted

from sim.agents.agents import agent_kinds
from sim.agents.negotiate import describe, play, table_of
from sim.agents.table import Table
from sim.api import load_scenarios
from sim.compile import compile_problem
from sim.model.resolve import LoadedScenario

FIXTURE = Path("tests/fixtures/agents/negmas_price.yaml")


def best(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def negmas_run(loaded: LoadedScenario, steps: int) -> Callable[[], Any]:
    """The scenario as a NegMAS session (issues of option names, additive utilities)."""
    from negmas import SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun
    from negmas.sao.negotiators import BoulwareTBNegotiator, LinearTBNegotiator

    problem = compile_problem(loaded.scenario)
    assert problem.source_issues is None  # no interaction terms: issues are the scenario's
    issues = [
        make_issue(name=name, values=list(options))
        for name, options in zip(problem.issues, problem.options, strict=True)
    ]
    veto = [int(v) for v in problem.veto_indices]

    def session() -> Any:
        mechanism = SAOMechanism(issues=issues, n_steps=steps)
        for column, negotiator in zip(
            veto, (BoulwareTBNegotiator, LinearTBNegotiator), strict=True
        ):
            values = [
                TableFun(dict(zip(options, table[column].tolist(), strict=True)))
                for options, table in zip(problem.options, problem.tables, strict=True)
            ]
            ufun = LinearAdditiveUtilityFunction(
                values=values,
                weights=[1.0] * len(values),
                outcome_space=mechanism.outcome_space,
                reserved_value=float(problem.reservation[column]),
            )
            mechanism.add(negotiator(name=problem.parties[column]), ufun=ufun)
        return mechanism.run()

    return session


def sim_run(table: Table, steps: int) -> Callable[[], Any]:
    kinds = agent_kinds("boulware,linear")
    return lambda: describe(table, play(table, kinds, rounds=steps), kinds, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs (best kept)")
    repeats = parser.parse_args().repeats
    [price] = load_scenarios(str(FIXTURE))
    for label, loaded, steps in (
        ("NegMAS getting started (50 outcomes, 20 steps)", price, 20),
        ("case baseline, all 20,736 bundles (100 steps)", lifted(), 100),
    ):
        table = table_of(loaded)
        table_of_time, _ = best(lambda loaded=loaded: table_of(loaded), repeats)
        ours, result = best(sim_run(table, steps), repeats)
        theirs, state = best(negmas_run(loaded, steps), repeats)
        agreed = dict(result.agreement.terms) if result.agreement else None
        print(label)
        print(
            f"  sim:    {ours * 1000:8.2f} ms (+{table_of_time * 1000:.1f} ms to build the "
            f"table once), agreement in round {result.summary.agreed_round}: {agreed}"
        )
        print(
            f"  NegMAS: {theirs * 1000:8.2f} ms, agreement {state.agreement} "
            f"(state step {state.step})"
        )


if __name__ == "__main__":
    main()

"""Commands that play negotiating agents: negotiate, tournament."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.commands.base import AllowOutside, NoRecord, OutFolder, ScenarioArg, app, guard
from sim.words import plural

AgentsOption = Annotated[
    str,
    typer.Option(
        "--agents",
        help="Comma-separated agents: boulware, linear, conceder, time:E (any E > 0), "
        "tit-for-tat, hardliner, random, equilibrium.",
    ),
]
RoundsOption = Annotated[
    int, typer.Option("--rounds", help="The deadline in rounds (each party one turn a round).")
]
ProtocolOption = Annotated[
    str, typer.Option("--protocol", help="stacked (alternating offers) or mediated.")
]


@app.command()
def negotiate(
    scenario: ScenarioArg,
    agents: AgentsOption,
    rounds: RoundsOption = 100,
    seed: Annotated[int, typer.Option(help="Seed of every random draw.")] = 0,
    protocol: ProtocolOption = "stacked",
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the negotiation document.")
    ] = False,
    out: OutFolder = None,
    no_record: NoRecord = False,
    allow_outside: AllowOutside = False,
) -> None:
    """Agents negotiate on a scenario: the trace offer by offer, the outcome, and its
    distance to the frontier, the Nash point and the equilibrium."""
    import json

    from sim.agents.agents import agent_kinds
    from sim.agents.negotiate import check_protocol, check_rounds
    from sim.api import load_scenarios
    from sim.api import negotiate as negotiate_scenario
    from sim.errors import InputError, display_path
    from sim.report.negotiation_text import render_negotiation

    def body() -> None:
        agent_kinds(agents)  # bad agents fail before the scenario is read
        check_rounds(rounds)
        check_protocol(protocol)
        loaded = load_scenarios(scenario, allow_outside=allow_outside)
        if len(loaded) != 1:
            raise InputError(f"{scenario}: negotiate plays one scenario; {len(loaded)} found")
        result, folder = negotiate_scenario(
            loaded[0],
            agents,
            rounds=rounds,
            seed=seed,
            protocol=protocol,
            out=out,
            record=not no_record,
        )
        if json_output:
            typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        else:
            typer.echo(render_negotiation(result))
        if folder is not None:
            typer.echo(f"run folder: {display_path(folder)}", err=json_output)

    guard(body)


@app.command()
def tournament(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files, folders or names.")],
    agents: AgentsOption,
    rounds: RoundsOption = 100,
    seeds: Annotated[int, typer.Option(help="Seeds 0..K-1 for every assignment.")] = 1,
    protocol: ProtocolOption = "stacked",
    executor: Annotated[str, typer.Option(help="serial, processes or dask.")] = "serial",
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes.")] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="With --executor dask: a scheduler's address.")
    ] = None,
    max_points: Annotated[
        int | None,
        typer.Option(
            min=1, help="Refuse more negotiations than this (default 100,000 or $SIM_MAX_POINTS)."
        ),
    ] = None,
    out: OutFolder = None,
    no_record: NoRecord = False,
    resume: Annotated[
        Path | None,
        typer.Option(help="Finish an interrupted tournament's run folder (same arguments)."),
    ] = None,
    draws: Annotated[
        int,
        typer.Option(
            min=0,
            help="Also play every match on this many variants drawn from each scenario's "
            "uncertainty section (as sim uncertainty draws them).",
        ),
    ] = 0,
    draw_seed: Annotated[int, typer.Option(help="Seed of the drawn variants.")] = 0,
    allow_outside: AllowOutside = False,
) -> None:
    """Every assignment of agents to the negotiating parties, on every scenario, for every
    seed: a table per agent (agreement rate, rounds, utility, welfare, distances)."""
    from sim.agents.agents import agent_kinds
    from sim.agents.negotiate import check_protocol, check_rounds
    from sim.api import load_scenarios
    from sim.api import tournament as run
    from sim.errors import display_path
    from sim.runs.executors import check_executor
    from sim.runs.store import table_text

    def body() -> None:
        agent_kinds(agents)
        check_rounds(rounds)
        check_protocol(protocol)
        check_executor(executor, scheduler)
        loaded = [
            s for target in scenarios for s in load_scenarios(target, allow_outside=allow_outside)
        ]
        result, folder = run(
            loaded,
            agents,
            rounds=rounds,
            seeds=seeds,
            protocol=protocol,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            max_points=max_points,
            out=out,
            resume=resume,
            record=not no_record,
            draws=draws,
            draw_seed=draw_seed,
        )
        typer.echo(
            f"{plural(len(result.rows), 'negotiation')} on {', '.join(result.scenarios)} "
            f"({result.protocol}, {plural(result.rounds, 'round')}, {plural(result.seeds, 'seed')})"
        )
        typer.echo(table_text([s.row() for s in result.standings]).rstrip())
        if folder is not None:
            typer.echo(f"run folder: {display_path(folder)}")

    guard(body)

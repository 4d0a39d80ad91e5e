"""Commands that analyse scenarios: run, games."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.commands.base import ScenarioArg, app, guard
from sim.compile import compile_problem
from sim.errors import InputError, display_path
from sim.model import load_many


@app.command()
def run(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files, folders or names.")],
    out: Annotated[
        Path | None, typer.Option(help="Write the run folder here (must not exist).")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the outcome document of a single scenario.")
    ] = False,
    frontier_limit: Annotated[
        int | None, typer.Option(min=0, help="List at most this many frontier bundles.")
    ] = None,
    no_record: Annotated[
        bool, typer.Option("--no-record", help="Do not write a run folder.")
    ] = False,
    path: Annotated[
        bool,
        typer.Option("--path", help="Print every period of each bargaining protocol's path."),
    ] = False,
) -> None:
    """Analyse scenarios: zone of agreement, frontier, solutions, bargaining, equilibria."""
    import json

    from sim.experiments.run import run_scenarios
    from sim.report.outcome_text import render_outcome, render_path, render_summary

    def body() -> None:
        loaded = [item for target in scenarios for item in load_many(target)]
        if json_output and len(loaded) != 1:
            raise InputError(f"--json prints one outcome document; {len(loaded)} scenarios given")
        record = run_scenarios(loaded, out=out, frontier_limit=frontier_limit, record=not no_record)
        if json_output:
            typer.echo(json.dumps(record.documents[0], indent=2, ensure_ascii=False))
        else:
            typer.echo(
                "\n\n".join(
                    render_outcome(d) + ("\n" + render_path(d) if path else "")
                    for d in record.documents
                )
            )
            if len(record.rows) > 1:
                typer.echo("\n" + render_summary(list(record.rows)))
        if record.folder is not None:
            typer.echo(f"run folder: {display_path(record.folder)}", err=json_output)

    guard(body)


@app.command()
def games(
    scenario: ScenarioArg,
    json_output: Annotated[bool, typer.Option("--json", help="Print the games as JSON.")] = False,
    cross_check: Annotated[
        bool,
        typer.Option(help="Also solve each game with nashpy's vertex enumeration and compare."),
    ] = False,
) -> None:
    """The games built from a scenario and all their equilibria."""
    import json

    from sim.experiments.outcome import games_document
    from sim.experiments.strategy import analyse_strategy
    from sim.report.games_text import render_games

    def body() -> None:
        documents = []
        for loaded in load_many(scenario):
            problem = compile_problem(loaded.scenario)
            strategy = analyse_strategy(loaded, problem)
            documents.append(games_document(loaded.scenario.name, problem, strategy, cross_check))
        if json_output:
            shown = documents[0] if len(documents) == 1 else documents
            typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        else:
            typer.echo("\n\n".join(render_games(d) for d in documents))

    guard(body)

"""Commands that analyse scenarios: run, games."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.commands.base import ScenarioArg, app, guard

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="A one-off override path=value (as in a scenario's set:), repeatable.",
    ),
]


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
    overrides: SetOption = None,
) -> None:
    """Analyse scenarios: zone of agreement, frontier, solutions, bargaining, equilibria."""
    import json

    from sim.api import load_scenarios
    from sim.errors import InputError, display_path
    from sim.experiments.run import run_scenarios
    from sim.report.outcome_text import render_outcome, render_path, render_summary

    def body() -> None:
        loaded = [s for target in scenarios for s in load_scenarios(target, overrides=overrides)]
        if json_output and len(loaded) != 1:
            raise InputError(f"--json prints one outcome document; {len(loaded)} scenarios given")
        record = run_scenarios(loaded, out=out, frontier_limit=frontier_limit, record=not no_record)
        if json_output:
            typer.echo(json.dumps(record.documents[0], indent=2, ensure_ascii=False))
        else:
            typer.echo(
                "\n\n".join(
                    render_outcome(o) + ("\n" + render_path(o) if path else "")
                    for o in record.outcomes
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
    overrides: SetOption = None,
) -> None:
    """The games built from a scenario and all their equilibria."""
    import json

    from sim.api import games_of
    from sim.report.document import games_document
    from sim.report.games_text import render_games

    def body() -> None:
        solved = games_of(scenario, cross_check=cross_check, overrides=overrides)
        if json_output:
            documents = [games_document(g) for g in solved]
            shown = documents[0] if len(documents) == 1 else documents
            typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        else:
            typer.echo("\n\n".join(render_games(g) for g in solved))

    guard(body)

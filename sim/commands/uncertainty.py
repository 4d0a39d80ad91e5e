"""The `sim uncertainty` command: how sure each answer is, and which judgments decide it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.commands.base import app, guard
from sim.errors import display_path


@app.command("uncertainty")
def uncertainty_command(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files, folders or names.")],
    draws: Annotated[
        int | None,
        typer.Option(help="Draws per scenario (default: the file's uncertainty.draws, or 1000)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed (default: the file's uncertainty.seed, or 0).")
    ] = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            help="PATTERN=DIST:PARAMS (repeatable), e.g. 'parties.*.values.*.*=jitter:0.1', "
            "'war.prevail.base=uniform:0.4,0.6'; overrides the files' vary."
        ),
    ] = None,
    robust: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Share of draws that makes a bundle robust (0.9)."),
    ] = None,
    max_draws: Annotated[
        int, typer.Option(min=1, help="Raise the limit on --draws (1,000,000).")
    ] = 1_000_000,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the summary document (SPEC §6) as JSON.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="Write the run folder here (must not exist).")
    ] = None,
    no_record: Annotated[
        bool, typer.Option("--no-record", help="Do not write a run folder.")
    ] = False,
    strategic_draws: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Bargaining over time and compliance for the first N draws (500; 0: skip).",
        ),
    ] = None,
    no_sensitivity: Annotated[
        bool, typer.Option("--no-sensitivity", help="Skip the sensitivity indices and tornado.")
    ] = False,
) -> None:
    """Seeded Monte Carlo over the scenarios' judgments: shares with 95% intervals, paired
    differences between variants, and the judgments that decide each answer."""
    import json

    from sim.montecarlo.api import uncertainty
    from sim.montecarlo.progress import DrawProgress
    from sim.montecarlo.text import render_uncertainty

    def body() -> None:
        with DrawProgress() as progress:
            result = uncertainty(
                scenarios,
                draws=draws,
                seed=seed,
                vary=vary or None,
                robust=robust,
                max_draws=max_draws,
                sensitivity=not no_sensitivity,
                strategic_draws=strategic_draws,
                record=not no_record,
                out=out,
                progress=progress,
            )
        document = result.document()
        if json_output:
            typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        else:
            typer.echo(render_uncertainty(document))
        if result.folder is not None:
            typer.echo(f"run folder: {display_path(result.folder)}", err=json_output)

    guard(body)

"""`sim spatial`: forecast where a group ends up on its spatial issues (docs/spatial.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.commands.base import AllowOutside, ScenarioArg, app, guard


@app.command()
def spatial(
    scenario: ScenarioArg,
    model: Annotated[
        str | None,
        typer.Option(
            help="compromise, median, bdm (Bueno de Mesquita) or smp (KTAB); default: the "
            "scenario's spatial.model (bdm if it names none)."
        ),
    ] = None,
    rounds: Annotated[
        int | None, typer.Option(min=0, help="Most rounds of the dynamic models (bdm, smp).")
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option(help="A model setting NAME=VALUE (repeatable; see docs/spatial.md)."),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the result document of a single scenario.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="Write the run folder here (must not exist).")
    ] = None,
    no_record: Annotated[
        bool, typer.Option("--no-record", help="Do not write a run folder.")
    ] = False,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="A one-off override path=value (as in set:), repeatable."),
    ] = None,
    allow_outside: AllowOutside = False,
) -> None:
    """Forecast positions: the compromise, the median, BDM's expected-utility model or SMP."""
    import json

    from sim.api import load_scenarios
    from sim.errors import InputError, display_path
    from sim.report.spatial_text import render_spatial
    from sim.spatial.run import run_spatial

    def body() -> None:
        settings = {}
        for item in option or []:
            name, sep, value = item.partition("=")
            if not sep or not name.strip():
                raise InputError(f"--option: {item!r} is not NAME=VALUE")
            settings[name.strip()] = value.strip()
        loaded = load_scenarios(scenario, overrides=overrides, allow_outside=allow_outside)
        if json_output and len(loaded) != 1:
            raise InputError(f"--json prints one result document; {len(loaded)} scenarios given")
        record = run_spatial(
            loaded,
            model=model,
            settings=settings,
            rounds=rounds,
            out=out,
            record=not no_record,
        )
        if json_output:
            typer.echo(json.dumps(record.results[0].to_json(), indent=2, ensure_ascii=False))
        else:
            typer.echo("\n\n".join(render_spatial(r) for r in record.results))
        if record.folder is not None:
            typer.echo(f"run folder: {display_path(record.folder)}", err=json_output)

    guard(body)

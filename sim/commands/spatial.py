"""`sim spatial`: forecast where a group ends up on its spatial issues (docs/spatial.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.commands.base import AllowOutside, NoRecord, OutFolder, ScenarioArg, app, guard
from sim.errors import display_path

if TYPE_CHECKING:
    from sim.model.resolve import LoadedScenario


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
    out: OutFolder = None,
    no_record: NoRecord = False,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="A one-off override path=value (as in set:), repeatable."),
    ] = None,
    draws: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Also forecast over this many draws of the judgments the scenario's "
            "uncertainty: declares (positions, saliences, capabilities).",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(min=0, help="Seed of --draws (default: the file's uncertainty.seed, or 0)."),
    ] = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            help="PATTERN=DIST:PARAMS for --draws (repeatable), e.g. "
            "'spatial.actors.*.salience.*=jitter:0.1'; as in sim uncertainty."
        ),
    ] = None,
    allow_outside: AllowOutside = False,
) -> None:
    """Forecast positions: the compromise, the median, BDM's expected-utility model or SMP."""
    import json

    from sim.api import load_scenarios
    from sim.errors import InputError
    from sim.figures.spatial import spatial_svg
    from sim.report.spatial_text import render_draws, render_spatial
    from sim.runs.spatial import run_spatial

    def body() -> None:
        settings = {}
        for item in option or []:
            name, sep, value = item.partition("=")
            if not sep or not name.strip():
                raise InputError(f"--option: {item!r} is not NAME=VALUE")
            settings[name.strip()] = value.strip()
        if (seed is not None or vary) and draws is None:
            raise InputError("--seed and --vary go with --draws")
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
            draws=draws,
            seed=seed,
            vary=vary,
            figure=spatial_svg,
        )
        if json_output:
            document = record.results[0].to_json()
            if record.draws:
                document["uncertainty"] = record.draws[0].summary()
            typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        else:
            typer.echo("\n\n".join(render_spatial(r) for r in record.results))
            for drawn in record.draws:
                typer.echo("\n" + render_draws(drawn.summary()))
        if record.folder is not None:
            typer.echo(f"run folder: {display_path(record.folder)}", err=json_output)

    guard(body)


def spatial_uncertainty(
    loaded: list[LoadedScenario],
    draws: int | None,
    seed: int | None,
    vary: list[str] | None,
    out: Path | None,
    no_record: bool,
    json_output: bool,
    strategic_draws: int | None,
) -> bool:
    """`sim uncertainty` on spatial readings alone (scenarios with a `spatial:` section and no
    issues; ``loaded``: the scenarios the command line names, loaded once for both paths):
    `sim spatial --draws` with the scenarios' models; False (nothing done) when any scenario
    has issues to bargain over."""
    import json

    from sim.errors import InputError
    from sim.figures.spatial import spatial_svg
    from sim.report.spatial_text import render_draws
    from sim.runs.spatial import run_spatial

    if not loaded or any(s.scenario.spatial is None or s.scenario.issues for s in loaded):
        return False
    if strategic_draws is not None:
        raise InputError("--strategic-draws: a spatial reading has no bargaining over time")
    declared = [s.scenario.uncertainty for s in loaded]
    count = draws or next((u.draws for u in declared if u is not None and u.draws), 1000)
    record = run_spatial(
        loaded,
        out=out,
        record=not no_record,
        draws=count,
        seed=seed,
        vary=vary,
        figure=spatial_svg,
    )
    summaries = [d.summary() for d in record.draws]
    if json_output:
        typer.echo(json.dumps(summaries[0] if len(summaries) == 1 else summaries, indent=2))
    else:
        typer.echo("\n\n".join(render_draws(s) for s in summaries))
    if record.folder is not None:
        typer.echo(f"run folder: {display_path(record.folder)}", err=json_output)
    return True

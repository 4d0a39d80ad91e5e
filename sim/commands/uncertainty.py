"""The `sim uncertainty` command: how sure each answer is, and which judgments decide it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.commands.base import NoRecord, OutFolder, app, guard
from sim.errors import display_path

if TYPE_CHECKING:
    from sim.model.resolve import LoadedScenario
    from sim.montecarlo.run_result import UncertaintyResult


@app.command("uncertainty")
def uncertainty_command(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(help="Scenario files, folders or names (none with --resume)."),
    ] = None,
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
    out: OutFolder = None,
    no_record: NoRecord = False,
    strategic_draws: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Bargaining over time and compliance for the first N draws only "
            "(default: every draw; 0: skip).",
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(help="Finish an interrupted run in this run folder (its inputs pinned)."),
    ] = None,
    executor: Annotated[
        str | None,
        typer.Option(
            help="processes (all cores), serial or dask (pip install -e '.\\[dask]'): the same "
            "results (default: worker processes when the run is long enough to repay starting "
            "them, else this process)."
        ),
    ] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes.")] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Join this Dask scheduler (with --executor dask).")
    ] = None,
    no_sensitivity: Annotated[
        bool, typer.Option("--no-sensitivity", help="Skip the sensitivity indices and tornado.")
    ] = False,
    sobol: Annotated[
        int,
        typer.Option(
            min=0,
            help="Add Sobol indices from a design of base sample N (a power of 2, >= 16, e.g. "
            "256): N x (inputs + 3) evaluations of the static layer; 0 (default): none.",
        ),
    ] = 0,
    sobol_by: Annotated[
        str,
        typer.Option(help="Sobol indices per 'group' of judgments or per 'judgment'."),
    ] = "group",
) -> None:
    """Seeded Monte Carlo over the scenarios' judgments: shares with 95% intervals, paired
    differences between variants, and the judgments that decide each answer."""
    import json

    from sim.commands.progress import ProgressBar
    from sim.errors import InputError
    from sim.report.uncertainty_text import render_uncertainty
    from sim.runs.uncertainty import resume_uncertainty, uncertainty

    def body() -> None:
        if resume is not None:
            given = [
                name
                for name, value in (
                    ("SCENARIO", scenarios),
                    ("--draws", draws),
                    ("--seed", seed),
                    ("--vary", vary),
                    ("--robust", robust),
                    ("--out", out),
                    ("--strategic-draws", strategic_draws),
                    ("--sobol", sobol or None),
                    ("--sobol-by", None if sobol_by == "group" else sobol_by),
                )
                if value is not None and value != []
            ]
            if given or no_record or no_sensitivity:
                given += ["--no-record"] * no_record + ["--no-sensitivity"] * no_sensitivity
                raise InputError(
                    f"--resume: not with {', '.join(given)} (a resumed run computes what its "
                    "manifest recorded)"
                )
            with ProgressBar("uncertainty", "draws") as progress:
                result = resume_uncertainty(
                    resume,
                    progress=progress,
                    executor=executor,
                    workers=workers,
                    scheduler=scheduler,
                )
        elif not scenarios:
            raise InputError("give the scenarios to analyse (or --resume RUN_FOLDER)")
        else:
            from sim.api import load_scenarios
            from sim.commands.spatial import spatial_uncertainty

            loaded = [s for target in scenarios for s in load_scenarios(target)]
            if spatial_uncertainty(
                loaded, draws, seed, vary, out, no_record, json_output, strategic_draws
            ):
                return  # spatial readings alone: their forecasts under uncertainty
            result = run(loaded)
        show(result)

    def run(loaded: list[LoadedScenario]) -> UncertaintyResult:
        with ProgressBar("uncertainty", "draws") as progress:
            return uncertainty(
                loaded,
                draws=draws,
                seed=seed,
                vary=vary or None,
                robust=robust,
                max_draws=max_draws,
                sensitivity=not no_sensitivity,
                sobol=sobol,
                sobol_by=sobol_by,
                strategic_draws=strategic_draws,
                record=not no_record,
                out=out,
                progress=progress,
                executor=executor,
                workers=workers,
                scheduler=scheduler,
            )

    def show(result: UncertaintyResult) -> None:
        if json_output:
            typer.echo(json.dumps(result.document(), indent=2, ensure_ascii=False))
        else:
            typer.echo(render_uncertainty(result.summary))
        if result.folder is not None:
            typer.echo(f"run folder: {display_path(result.folder)}", err=json_output)

    guard(body)


@app.command("forecast")
def forecast_command(
    folder: Annotated[
        Path, typer.Argument(help="A scenario folder with forecasts/questions.yaml.")
    ],
    as_of: Annotated[
        str | None,
        typer.Option(help="The day (YYYY-MM-DD): only scenarios and sources dated up to it."),
    ] = None,
    draws: Annotated[
        int | None, typer.Option(min=1, help="Draws per scenario (default: the questions').")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed (default: the questions').")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Also write the forecasts to this YAML file.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite --out if it exists.")] = False,
) -> None:
    """The probability of each question in FOLDER/forecasts/questions.yaml, from the scenarios
    dated up to --as-of and their declared uncertainty, with how each follows from the model."""
    import datetime

    from sim.errors import InputError
    from sim.runs.forecast import forecast, forecast_text
    from sim.writing import write_atomic

    def body() -> None:
        day = None
        if as_of is not None:
            try:
                day = datetime.date.fromisoformat(as_of)
            except ValueError:
                raise InputError(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD)") from None
        document = forecast(folder, as_of=day, draws=draws, seed=seed)
        text = forecast_text(document)
        if out is not None:
            write_atomic(out, text, overwrite=force)
        typer.echo(text, nl=False)
        if out is not None:
            typer.echo(f"wrote {display_path(out)}", err=True)

    guard(body)

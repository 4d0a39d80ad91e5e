"""Commands on runs: sweep, compare, runs, reference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from sim.commands.base import AllowOutside, OutFolder, app, exit_with, guard
from sim.errors import InputError, display_path
from sim.report.text import table
from sim.words import plural

T = TypeVar("T")


def environment(action: Callable[[], T]) -> T:
    """Run a command body; an operating-system error that escaped the library (a file that
    cannot be read or written) becomes one message and exit status 2, like bad input."""
    try:
        return action()
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        raise InputError(f"{where}{error.strerror or error}") from None


@app.command()
def sweep(
    target: Annotated[
        str | None,
        typer.Argument(
            help="A sweep file (sweeps/*.yaml) or a scenario to vary with --grid/--range."
        ),
    ] = None,
    grid: Annotated[
        list[str] | None, typer.Option(help="path=v1,v2,... (repeatable): values of a dotted path.")
    ] = None,
    range_: Annotated[
        list[str] | None,
        typer.Option("--range", help="path=lo:hi:n (repeatable); with --sample, path=lo:hi."),
    ] = None,
    sample: Annotated[
        str | None,
        typer.Option(help="method:n, a seeded sample over the --range bounds (lhs or random)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of --sample (0 or more).")] = 0,
    out: OutFolder = None,
    resume: Annotated[
        Path | None, typer.Option(help="Finish an interrupted sweep in this run folder.")
    ] = None,
    executor: Annotated[
        str,
        typer.Option(help="serial, processes (all cores) or dask (pip install -e '.\\[dask]')."),
    ] = "processes",
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes.")] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Join this Dask scheduler (with --executor dask).")
    ] = None,
    max_points: Annotated[
        int | None,
        typer.Option(help="Refuse a sweep of more points than this (default 100000)."),
    ] = None,
    allow_changed_inputs: Annotated[
        bool,
        typer.Option(help="With --resume: inputs changed since the run started; redo every point."),
    ] = False,
    allow_outside: AllowOutside = False,
    only: Annotated[
        str | None,
        typer.Option(
            help="Compute only these analyses at each point, comma-separated (as sim run --only)."
        ),
    ] = None,
) -> None:
    """Run a parameter sweep into a run folder, or finish an interrupted one (--resume)."""
    from sim.analysis.selection import parse_only
    from sim.api import sweep as run_sweep
    from sim.commands.progress import ProgressBar
    from sim.runs.sweep import SweepInterrupted
    from sim.runs.targets import parse_grid, parse_ranges

    def body() -> int:
        with ProgressBar("sweep", "points", failures=True, resumable=True) as report:
            try:
                record = run_sweep(
                    target,
                    grid=parse_grid(grid or []),
                    ranges=parse_ranges(range_ or [], sampled=sample is not None),
                    sample=sample,
                    seed=seed,
                    executor=executor,
                    workers=workers,
                    scheduler=scheduler,
                    out=out,
                    resume=resume,
                    max_points=max_points,
                    allow_changed_inputs=allow_changed_inputs,
                    allow_outside=allow_outside,
                    progress=report,
                    only=None if only is None else parse_only(only),
                )
            except SweepInterrupted as stop:
                typer.echo(
                    f"interrupted; finished points are saved. Resume with: "
                    f"sim sweep --resume {display_path(stop.folder)}",
                    err=True,
                )
                return 130
        typer.echo(
            f"{plural(record.total, 'point')} ({record.redone:,} run now), "
            f"{record.failed:,} failed; run folder: {display_path(record.folder)}"
        )
        return 1 if record.failed else 0

    exit_with(guard(lambda: environment(body)))


@app.command()
def compare(
    run_a: Annotated[
        Path, typer.Argument(help="The earlier run folder (with --latest, or a run's name).")
    ],
    run_b: Annotated[
        Path, typer.Argument(help="The later run folder (with --latest, or a run's name).")
    ],
    fail_on_change: Annotated[
        bool, typer.Option(help="Exit with status 1 if anything differs.")
    ] = False,
    output_format: Annotated[
        str, typer.Option("--format", help="table, markdown, csv or json.")
    ] = "table",
    tol: Annotated[float, typer.Option(min=0.0, help="Numbers closer than this are equal.")] = 1e-9,
    latest: Annotated[
        bool,
        typer.Option(
            help="A name (baseline) stands for its newest complete run folder "
            "($SIM_RESULTS, else results/)."
        ),
    ] = False,
) -> None:
    """Align two runs' outcome tables by their keys and show what changed
    (e.g. sim compare baseline aid_freeze --latest)."""
    from sim.report.compare_text import FORMATS, render_comparison
    from sim.runs.compare import compare_runs
    from sim.runs.files import results_folder
    from sim.runs.latest import resolve_run

    def body() -> int:
        if output_format not in FORMATS:
            raise InputError(
                f"--format: unknown format {output_format!r} (known: {', '.join(FORMATS)})"
            )
        folder_a, folder_b = (
            resolve_run(run, latest=latest, results=results_folder(), option=option)
            for run, option in ((run_a, "RUN_A"), (run_b, "RUN_B"))
        )
        comparison = environment(lambda: compare_runs(folder_a, folder_b, tol))
        typer.echo(render_comparison(comparison, output_format))
        return 1 if fail_on_change and not comparison.identical else 0

    exit_with(guard(body))


@app.command()
def runs(
    folder: Annotated[
        Path | None,
        typer.Argument(help="Folder of run folders (default $SIM_RESULTS, else results/)."),
    ] = None,
) -> None:
    """List the run folders: name, kind, status, rows, started."""
    from sim.runs.compare import list_runs
    from sim.runs.files import results_folder

    def body() -> None:
        nonlocal folder
        default = folder is None
        folder = results_folder() if folder is None else folder
        if default and not folder.exists():  # nothing run here yet
            typer.echo(f"no runs in {folder} (no such folder yet)")
            return
        rows = environment(lambda: list_runs(folder))
        typer.echo(
            table(["run", "kind", "status", "rows", "started"], rows)
            if rows
            else f"no runs in {folder}"
        )

    guard(body)


@app.command()
def reference(
    update: Annotated[
        bool, typer.Option(help="Rewrite results/reference/ after a deliberate change.")
    ] = False,
) -> None:
    """Check the committed reference results against a fresh computation (exit 1 on drift)."""
    from sim.runs.reference import REFERENCE, check_reference, update_reference

    def body() -> int:
        if update:
            names = environment(update_reference)
            typer.echo(f"wrote {plural(len(names), 'table')} to {REFERENCE}/: {', '.join(names)}")
            return 0
        drifts = environment(check_reference)
        for drift in drifts:
            typer.echo(f"{REFERENCE}/{drift.name}: {drift.reason}")
        if drifts:
            typer.echo("if the change is deliberate: sim reference --update", err=True)
            return 1
        typer.echo(f"ok: {REFERENCE}/ matches a fresh computation")
        return 0

    exit_with(guard(body))

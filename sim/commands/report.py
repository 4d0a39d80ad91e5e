"""`sim report` (a self-contained document of a run) and `sim plot` (one figure)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.commands.base import app, guard
from sim.errors import InputError, display_path
from sim.figures import FIGURES

ForceOption = Annotated[bool, typer.Option(help="Overwrite the output file if it exists.")]
ChangedOption = Annotated[
    bool,
    typer.Option(
        help="Report on a run whose scenario files changed since it ran (says so prominently)."
    ),
]


@app.command()
def report(
    runs: Annotated[
        list[Path],
        typer.Argument(
            help="A run folder (run, sweep or uncertainty), or two to compare; with --latest, "
            "a run's name (baseline, ukraine, uncertainty) for its newest run folder."
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            help="The file to write (default: report.html, or report.md, in the run folder, "
            "replacing the report written there before; of two runs, report-vs-RUN_A.html "
            "in the later one's)."
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="html (one self-contained file) or markdown (md) (default: as --out's "
            "extension says, .md for markdown; else html).",
        ),
    ] = None,
    force: ForceOption = False,
    allow_changed_inputs: ChangedOption = False,
    latest: Annotated[
        bool,
        typer.Option(
            help="A name (ukraine) stands for its newest complete run folder "
            "($SIM_RESULTS, else results/)."
        ),
    ] = False,
) -> None:
    """Write one document telling a run end to end: what was run, the headline, figures,
    solutions, proposals, bargaining, games, and the evidence behind every number."""
    from sim.report.pages import report_format, write_report
    from sim.runs.files import results_folder
    from sim.runs.latest import resolve_run

    def body() -> None:
        chosen = report_format(out, output_format)
        folders = [
            resolve_run(run, latest=latest, results=results_folder(), option="RUN") for run in runs
        ]
        target = out or default_report(folders, chosen)
        written = write_report(
            folders,
            target,
            output_format=chosen,
            force=force or out is None,  # the default file is the report's own: replaced
            allow_changed_inputs=allow_changed_inputs,
        )
        extra = f" (and {len(written) - 1} figures beside it)" if len(written) > 1 else ""
        typer.echo(f"wrote {display_path(written[0])}{extra}")

    guard(body)


def default_report(folders: list[Path], output_format: str) -> Path:
    """Where `sim report` writes without --out: ``report.html`` (``report.md``) in the run
    folder; of two runs compared, ``report-vs-<earlier run>.html`` in the later run's folder.
    Reports never land in the current directory unless asked to."""
    from sim.report.pages import FORMATS

    suffix = FORMATS[output_format].suffixes[0]
    if len(folders) == 2:
        return folders[1] / f"report-vs-{folders[0].resolve().name}{suffix}"
    return folders[0] / f"report{suffix}"


@app.command()
def plot(
    run: Annotated[Path, typer.Argument(help="A run folder.")],
    kind: Annotated[
        str,
        typer.Argument(help="The figure: " + ", ".join(k.name for k in FIGURES) + "."),
    ],
    run_b: Annotated[
        Path | None, typer.Argument(help="With KIND compare: the later run folder.")
    ] = None,
    scenario: Annotated[
        str | None, typer.Option(help="The scenario to draw (a run of several needs one).")
    ] = None,
    metric: Annotated[
        str | None, typer.Option(help="The sweep metric (default zopa_share).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="FILE.svg or FILE.png (default KIND.svg).")
    ] = None,
    force: ForceOption = False,
    allow_changed_inputs: ChangedOption = False,
) -> None:
    """Write one figure of a run folder as SVG or PNG (its caption drawn beneath it)."""
    from sim.figures import figure
    from sim.figures.chart import png_bytes, svg_text
    from sim.report.pages import write_output

    def body() -> None:
        target = out or Path(f"{kind}.svg")
        suffix = target.suffix.lower()
        if suffix not in (".svg", ".png"):
            raise InputError(f"--out: {display_path(target)}: must end in .svg or .png")
        if target.exists() and not force:
            raise InputError(f"{display_path(target)}: exists; give --force to overwrite it")
        chart = figure(
            run,
            kind,
            scenario=scenario,
            metric=metric,
            run_b=run_b,
            allow_changed_inputs=allow_changed_inputs,
        )
        content: str | bytes = (
            png_bytes(chart)
            if suffix == ".png"
            else '<?xml version="1.0" encoding="utf-8"?>\n' + svg_text(chart, kind, True)
        )
        write_output(target, content, force)
        typer.echo(f"wrote {display_path(target)}: {chart.caption}")

    guard(body)

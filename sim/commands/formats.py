"""Commands between sim and other tools' formats: `sim import genius`, `sim export genius`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.commands.base import ScenarioArg, app, guard
from sim.errors import InputError, display_path
from sim.model import load_many
from sim.words import plural

import_app = typer.Typer(help="Read other tools' files into a scenario.", no_args_is_help=True)
export_app = typer.Typer(help="Write a scenario in another tool's format.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")


@import_app.command("genius")
def import_genius_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="A Genius domain XML (or GeniusWeb domain JSON) and one profile per party "
            "(Genius XML or GeniusWeb JSON)."
        ),
    ],
    out: Annotated[Path, typer.Option(help="The scenario file to write.")],
    name: Annotated[
        str | None, typer.Option(help="Scenario name (default: from the domain).")
    ] = None,
    discretise: Annotated[
        int | None,
        typer.Option(help="Use N evenly spaced values for integer and real issues."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite --out if it exists.")] = False,
    max_values: Annotated[
        int,
        typer.Option(help="Most values of the domain, summed over its issues.", min=2),
    ] = 5_000,
) -> None:
    """Turn a Genius domain and its profiles into a scenario file (each profile a veto party)."""
    from sim.formats.convert import import_genius

    def body() -> None:
        result = import_genius(
            files, out, name=name, discretise=discretise, force=force, max_values=max_values
        )
        typer.echo(
            f"wrote {display_path(result.path)}: scenario {result.name}, "
            f"{plural(result.issues, 'issue')}, {plural(result.bundles, 'bundle')}, "
            f"{plural(result.parties, 'party')}"
        )

    guard(body)


@export_app.command("genius")
def export_genius_command(
    scenario: ScenarioArg,
    folder: Annotated[Path, typer.Argument(help="Folder for the domain and profile files.")],
    force: Annotated[bool, typer.Option(help="Overwrite files that exist.")] = False,
) -> None:
    """Write a scenario as a Genius domain file and one linear additive profile per party."""
    from sim.formats.export import export_genius

    def body() -> None:
        loaded = load_many(scenario)
        if len(loaded) != 1:
            raise InputError(f"{scenario}: names {len(loaded)} scenarios; export takes one file")
        result = export_genius(loaded[0].scenario, folder, force=force)
        written = [result.domain, *result.profiles]
        typer.echo("wrote " + ", ".join(display_path(p) for p in written))
        for note in result.notes:
            typer.echo(f"not in the Genius files: {note}")

    guard(body)

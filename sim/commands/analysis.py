"""Commands that analyse scenarios: run, games."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.commands.base import AllowOutside, NoRecord, OutFolder, app, guard

if TYPE_CHECKING:
    from sim.analysis.outcome import Games

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
    out: OutFolder = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the outcome document of a single scenario.")
    ] = False,
    frontier_limit: Annotated[
        int | None, typer.Option(min=0, help="List at most this many frontier bundles.")
    ] = None,
    no_record: NoRecord = False,
    path: Annotated[
        bool,
        typer.Option("--path", help="Print every period of each bargaining protocol's path."),
    ] = False,
    overrides: SetOption = None,
    allow_outside: AllowOutside = False,
    max_space: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Refuse analyses larger than this many feasible bundles x veto parties "
            "(default 10^13, or $SIM_MAX_SPACE).",
        ),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(
            help="Compute only these analyses, comma-separated: space, frontier, solutions, "
            "proposals, bargaining, games (default: the scenario's analyses:, else all).",
        ),
    ] = None,
) -> None:
    """Analyse scenarios: zone of agreement, frontier, solutions, bargaining, equilibria."""
    import json

    from sim.analysis.analyse import AnalysisOptions
    from sim.analysis.selection import parse_only
    from sim.api import load_scenarios
    from sim.errors import InputError, display_path
    from sim.report.outcome_text import render_outcome, render_path, render_summary
    from sim.runs.run import run_scenarios

    def body() -> None:
        chosen = None if only is None else parse_only(only)
        loaded = [
            s
            for target in scenarios
            for s in load_scenarios(target, overrides=overrides, allow_outside=allow_outside)
        ]
        if json_output and len(loaded) != 1:
            raise InputError(f"--json prints one outcome document; {len(loaded)} scenarios given")
        options = AnalysisOptions(
            frontier_limit=frontier_limit,
            max_space=max_space,
            progress=_merge_progress if sys.stderr.isatty() else None,
            only=chosen,
        )
        record = run_scenarios(loaded, out=out, record=not no_record, options=options)
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


def _merge_progress(merged: int, issues: int, points: int) -> None:
    """On a terminal: how far the frontier of a large space has got."""
    end = "\n" if merged == issues else ""
    sys.stderr.write(f"\r  frontier: {merged}/{issues} issues merged, {points:,} points{end}")
    sys.stderr.flush()


@app.command()
def games(
    scenario: Annotated[
        str | None,
        typer.Argument(
            help="A scenario file, a folder of them, or a scenario name under scenarios/."
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the games as JSON.")] = False,
    cross_check: Annotated[
        bool,
        typer.Option(help="Also solve each game with nashpy's vertex enumeration and compare."),
    ] = False,
    overrides: SetOption = None,
    export: Annotated[
        tuple[str, Path] | None,
        typer.Option(
            "--export",
            help="Write every two-player game in a format to a folder: --export nfg DIR.",
        ),
    ] = None,
    import_file: Annotated[
        Path | None,
        typer.Option("--import", help="Solve a two-player game from a Gambit .nfg file."),
    ] = None,
    force: Annotated[bool, typer.Option(help="With --export, replace files that exist.")] = False,
    allow_outside: AllowOutside = False,
) -> None:
    """The games built from a scenario and all their equilibria (or of a game in a file)."""
    import json

    from sim.analysis.games import games_document
    from sim.api import games_of
    from sim.errors import InputError
    from sim.formats.games import export_games
    from sim.report.games_text import render_games

    def body() -> None:
        if (scenario is None) == (import_file is None):
            raise InputError("games: give a SCENARIO, or --import FILE.nfg (not both)")
        if import_file is not None:
            if export is not None:
                raise InputError("games: --export applies to a scenario's games")
            solved = [_imported(import_file, cross_check)]
        else:
            assert scenario is not None
            solved = games_of(
                scenario, cross_check=cross_check, overrides=overrides, allow_outside=allow_outside
            )
        if export is not None:
            fmt, folder = export
            for written in export_games(solved, fmt, folder, force):
                typer.echo(f"wrote {written}")
            return
        if json_output:
            documents = [games_document(g) for g in solved]
            shown = documents[0] if len(documents) == 1 else documents
            typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        else:
            typer.echo("\n\n".join(render_games(g) for g in solved))

    guard(body)


def _imported(path: Path, cross_check: bool) -> Games:
    """A game read from a .nfg file, solved, as the games of a one-game 'scenario'."""
    from sim.analysis.games import normal_form
    from sim.analysis.outcome import Games, StrategicGame
    from sim.errors import display_path
    from sim.formats.nfg import game_from_nfg, read_nfg
    from sim.games.budget import GameTooLargeError

    game = read_nfg(path)
    try:
        solved = game_from_nfg(game, name=game.title or path.stem)
    except GameTooLargeError as error:
        raise GameTooLargeError(f"{display_path(path)}: {error}") from None
    imported = StrategicGame(normal_form(None, solved, cross_check), display_path(path))
    return Games(path.name, solved.players, solved.players, (imported,), ())

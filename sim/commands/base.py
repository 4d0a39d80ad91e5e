"""The typer application and what every command shares: bad input becomes exit status 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from sim.errors import SimError
from sim.text import escape_controls


class _Commands(TyperGroup):
    """The command group: an argument holding a NUL byte (possible in a call from Python, never
    on a real command line) is refused before any is parsed; the path checks would raise."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click.Context, vendored or not
        for number, argument in enumerate(args, 1):
            if "\x00" in argument:
                typer.echo(
                    f"argument {number} ({escape_controls(argument)}): holds a NUL byte, "
                    "which no file name, scenario name or value may contain",
                    err=True,
                )
                raise typer.Exit(2)
        return super().parse_args(ctx, args)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """A command, its summary in the list of commands on one line of prose: the first
        paragraph of its docstring with the line breaks of the source joined (the help
        page of the command itself already joins them)."""
        command = super().get_command(ctx, cmd_name)
        if command is not None and command.short_help is None and command.help:
            first = command.help.split("\n\n", 1)[0]
            command.short_help = " ".join(first.split())
        return command


app = typer.Typer(
    name="sim",
    cls=_Commands,
    help="Game-theoretic negotiation simulator: scenarios, zones of agreement, settlements.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from sim import __version__

        typer.echo(f"sim {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Game-theoretic negotiation simulator: scenarios, zones of agreement, settlements."""


T = TypeVar("T")

OutFolder = Annotated[
    Path | None, typer.Option("--out", help="Write the run folder here (must not exist).")
]
"""``--out DIR``: the run folder to create (every command that records a run)."""

NoRecord = Annotated[bool, typer.Option("--no-record", help="Do not write a run folder.")]
"""``--no-record``: analyse without writing a run folder."""

AllowOutside = Annotated[
    bool,
    typer.Option(
        "--allow-outside",
        help="Let `extends` and a sweep's `base` reach files outside the scenario folders.",
    ),
]

ScenarioArg = Annotated[
    str,
    typer.Argument(help="A scenario file, a folder of them, or a scenario name under scenarios/."),
]


def guard(action: Callable[[], T]) -> T:
    """Run a command body; bad input becomes messages on stderr and exit status 2."""
    from sim.core.frontier import SpaceTooLargeError  # here: `sim --version` needs no numpy
    from sim.startup import resume_collector

    resume_collector()  # start-up is over (sim.startup)
    try:
        return action()
    except SimError as error:
        for message in error.messages():
            typer.echo(escape_controls(message), err=True)
        raise typer.Exit(2) from None
    except SpaceTooLargeError as error:
        typer.echo(f"space too large: {error}", err=True)
        raise typer.Exit(2) from None


def exit_with(code: int) -> None:
    """End a command with a non-zero status (a check failed) without a message."""
    if code:
        raise typer.Exit(code)

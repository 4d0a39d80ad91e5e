"""The typer application and what every command shares: bad input becomes exit status 2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import typer

from sim.core.frontier import SpaceTooLargeError
from sim.errors import SimError

app = typer.Typer(
    name="sim",
    help="Game-theoretic negotiation simulator: scenarios, zones of agreement, settlements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")

ScenarioArg = Annotated[
    str,
    typer.Argument(help="A scenario file, a folder of them, or a scenario name under scenarios/."),
]


def guard(action: Callable[[], T]) -> T:
    """Run a command body; bad input becomes messages on stderr and exit status 2."""
    try:
        return action()
    except SimError as error:
        for message in error.messages():
            typer.echo(message, err=True)
        raise typer.Exit(2) from None
    except SpaceTooLargeError as error:
        typer.echo(f"space too large: {error}", err=True)
        raise typer.Exit(2) from None


def exit_with(code: int) -> None:
    """End a command with a non-zero status (a check failed) without a message."""
    if code:
        raise typer.Exit(code)

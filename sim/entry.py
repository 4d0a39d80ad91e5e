"""The `sim` console script: Ctrl-C at any moment, start-up included, ends the program with
status 130 and one line, never a traceback.

A command line that names a command imports only the module registering it (``sim run``
needs neither the report nor the import commands), and ``sim --version`` none; anything else
(``sim --help``, no command, a command :data:`sim.commands.MODULES` does not list) gets the
whole application.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer


def application(args: list[str]) -> typer.Typer:
    """The typer application with at least the command ``args`` names registered."""
    from sim.commands import MODULES

    if args[:1] == ["--version"]:
        from sim.commands.base import app as bare

        return bare
    module = MODULES.get(args[0]) if args else None
    if module is None:
        from sim.cli import app

        return app
    import_module(f"sim.commands.{module}")
    from sim.commands.base import app as partial

    return partial


BLAS_SETTINGS = {"OPENBLAS_THREAD_TIMEOUT": "4"}
"""Set, unless already set, before numpy loads (nothing before :func:`main` imports it): the
threads of numpy's OpenBLAS spin for 2^28 cycles before they sleep, about 0.06 s of CPU time
at every start-up that competes for a core with the command itself on a busy machine; with
2^4 they sleep at once and are woken when a large product needs them. The number of threads,
and so every result, is unchanged."""


BLOCK_COMMANDS = frozenset({"uncertainty", "sweep", "spatial"})
"""Commands that compute in blocks of draws or points, and so allocate and free large arrays
over and over (:func:`sim.startup.keep_freed_memory`)."""


def main() -> None:
    """Console entry point."""
    from sim.startup import keep_freed_memory, pause_collector

    pause_collector()
    for name, value in BLAS_SETTINGS.items():
        os.environ.setdefault(name, value)
    if sys.argv[1:2] and sys.argv[1] in BLOCK_COMMANDS:
        keep_freed_memory()
    try:
        application(sys.argv[1:])(prog_name="sim")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None

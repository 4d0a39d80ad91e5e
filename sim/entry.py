"""The `sim` console script: Ctrl-C at any moment, start-up included, ends the program with
status 130 and one line, never a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    """Console entry point."""
    try:
        from sim.cli import app

        app(prog_name="sim")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None

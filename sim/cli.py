"""The `sim` command line: parse, call one library function, render, exit code.

The commands live in :mod:`sim.commands`; importing their modules registers them.
"""

from __future__ import annotations

# isort: off
from sim.commands import scenarios  # registered first, so they head `sim --help`
from sim.commands import analysis, experiments
from sim.commands import formats  # noqa: F401  (registers `sim import` and `sim export`)
from sim.commands import uncertainty  # noqa: F401  (registers `sim uncertainty`)
from sim.commands import report  # noqa: F401  (registers `sim report` and `sim plot`)
from sim.commands import spatial  # noqa: F401  (registers `sim spatial`)
from sim.commands import negotiate  # noqa: F401  (registers `sim negotiate`, `sim tournament`)
from sim.commands.base import app

# isort: on

__all__ = ["analysis", "app", "experiments", "scenarios"]

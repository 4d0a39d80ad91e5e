"""The command-line commands, one module per group; `sim.cli` assembles them.

:data:`MODULES` says which module registers each command, so that the console entry point can
import only the one a command line names (:mod:`sim.entry`); a command missing from it still
works, through the whole application.
"""

MODULES = {
    "list": "scenarios",
    "validate": "scenarios",
    "show": "scenarios",
    "explain": "scenarios",
    "run": "analysis",
    "games": "analysis",
    "sweep": "experiments",
    "compare": "experiments",
    "runs": "experiments",
    "reference": "experiments",
    "import": "formats",
    "export": "formats",
    "uncertainty": "uncertainty",
    "forecast": "uncertainty",
    "report": "report",
    "plot": "report",
    "spatial": "spatial",
    "negotiate": "negotiate",
    "tournament": "negotiate",
}
"""Command name -> the module of :mod:`sim.commands` that registers it."""

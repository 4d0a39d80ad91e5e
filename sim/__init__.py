"""sim: a game-theoretic negotiation simulator.

From a notebook or a script::

    import sim
    outcome = sim.analyse("baseline")                 # one scenario, no run folder
    sim.explain("baseline", proposal="floated_plan")  # each party's verdict, and why
    games = sim.solve_games("interim_ceasefire")       # the games and their equilibria
    record = sim.run("scenarios/ukraine/")             # like `sim run`: a run folder
    table = sim.load_run(record.folder)                # pandas.DataFrame, typed columns
    changes = sim.compare_runs(folder_a, folder_b)     # like `sim compare`

Scenario names resolve under ``root`` (default ``$SIM_SCENARIOS`` or ``scenarios/``), run
folders go under ``results`` (default ``$SIM_RESULTS`` or ``results/``): see :mod:`sim.api`.
"""

from sim.api import (
    analyse,
    compare_runs,
    explain,
    load_run,
    load_scenario,
    load_scenarios,
    run,
    solve_games,
    sweep,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "analyse",
    "compare_runs",
    "explain",
    "load_run",
    "load_scenario",
    "load_scenarios",
    "run",
    "solve_games",
    "sweep",
]

"""sim: a game-theoretic negotiation simulator.

From a notebook or a script::

    import sim
    outcome = sim.analyse("baseline")                 # one scenario, no run folder
    sim.explain("baseline", proposal="floated_plan")  # each party's verdict, and why
    games = sim.solve_games("interim_ceasefire")       # the games and their equilibria
    record = sim.run("scenarios/ukraine/")             # like `sim run`: a run folder
    table = sim.load_run(record.folder)                # pandas.DataFrame, typed columns
    outcomes = sim.load_outcomes(record.folder)        # {scenario: Outcome}, as stored
    result = sim.open_run(record.folder)               # any run folder, typed (RunResult)
    changes = sim.compare_runs(folder_a, folder_b)     # like `sim compare`
    odds = sim.uncertainty("scenarios/ukraine/", draws=2000, seed=1)  # like `sim uncertainty`
    chart = sim.figure(record.folder, "space", scenario="baseline")  # chart.figure: matplotlib
    sim.write_report([record.folder], Path("report.html"))   # like `sim report`

Scenario names resolve under ``root`` (default ``$SIM_SCENARIOS`` or ``scenarios/``), run
folders go under ``results`` (default ``$SIM_RESULTS`` or ``results/``): see :mod:`sim.api`.
"""

from typing import TYPE_CHECKING, Any

from sim.api import (
    analyse,
    compare_runs,
    explain,
    load_outcomes,
    load_run,
    load_scenario,
    load_scenarios,
    open_run,
    run,
    solve_games,
    sweep,
)

if TYPE_CHECKING:
    from sim.figures import figure
    from sim.report.pages import write_report
    from sim.runs.uncertainty import uncertainty

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "analyse",
    "compare_runs",
    "explain",
    "figure",
    "load_outcomes",
    "load_run",
    "load_scenario",
    "load_scenarios",
    "open_run",
    "run",
    "solve_games",
    "sweep",
    "uncertainty",
    "write_report",
]


def __getattr__(name: str) -> Any:
    """``sim.uncertainty``, ``sim.figure`` and ``sim.write_report`` are imported on first use: they
    load scipy and matplotlib, which a plain ``sim run`` does not need."""
    if name == "uncertainty":
        from sim.runs.uncertainty import uncertainty

        return uncertainty
    if name == "figure":
        from sim.figures import figure

        return figure
    if name == "write_report":
        from sim.report.pages import write_report

        return write_report
    raise AttributeError(f"module 'sim' has no attribute {name!r}")

"""sim: a game-theoretic negotiation simulator.

From a notebook::

    import sim
    record = sim.run("scenarios/ukraine/")          # like `sim run`
    table = sim.load_run(record.folder)              # pandas.DataFrame
    changes = sim.compare_runs(folder_a, folder_b)   # like `sim compare`
"""

from sim.api import compare_runs, load_run, run, sweep

__version__ = "0.1.0"

__all__ = ["__version__", "compare_runs", "load_run", "run", "sweep"]

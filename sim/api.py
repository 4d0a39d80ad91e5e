"""The Python API for notebooks: run, sweep, load and compare runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import InputError

if TYPE_CHECKING:
    import pandas

    from sim.experiments.compare import Comparison
    from sim.experiments.run import RunRecord
    from sim.experiments.sweep import SweepRecord


def run(
    target: str | Path,
    *,
    out: Path | None = None,
    record: bool = True,
    frontier_limit: int | None = None,
) -> RunRecord:
    """Analyse scenarios as ``sim run`` does; returns the outcome documents and rows.

    ``target`` is a scenario file, a folder of them, or a scenario name under ``scenarios/``.
    """
    from sim.experiments.run import run_scenarios
    from sim.model import load_many

    return run_scenarios(
        load_many(str(target)), out=out, record=record, frontier_limit=frontier_limit
    )


def sweep(
    target: str | Path,
    *,
    grid: dict[str, list[Any]] | None = None,
    out: Path | None = None,
    resume: Path | None = None,
    executor: str = "processes",
    workers: int | None = None,
) -> SweepRecord:
    """Run a sweep file, or a scenario over ``grid`` (dotted path -> values), as ``sim sweep``."""
    from sim.experiments.plan import grid_plan
    from sim.experiments.sweep import run_sweep
    from sim.experiments.targets import file_plan, is_sweep_file
    from sim.model import find_scenarios

    if is_sweep_file(str(target)):
        plan, base = file_plan(str(target))
    else:
        if not grid:
            raise InputError("sweep: give a sweep file or a grid")
        (base,) = find_scenarios(str(target))
        plan = grid_plan(f"{base.stem}-sweep", str(base), grid)
    return run_sweep(plan, base, out=out, resume=resume, executor=executor, workers=workers)


def load_run(path: str | Path) -> pandas.DataFrame:
    """A run folder's outcome table as a DataFrame (needs pandas: pip install -e '.[notebook]')."""
    try:
        import pandas
    except ImportError:
        raise InputError("load_run needs pandas: pip install -e '.[notebook]'") from None
    from sim.experiments.compare import TABLE, read_run

    folder = Path(path)
    read_run(folder)  # checks that this is a run folder
    return pandas.read_csv(folder / TABLE, keep_default_na=True)


def compare_runs(a: str | Path, b: str | Path, tol: float = 1e-9) -> Comparison:
    """What differs between two runs' outcome tables (see ``sim compare``)."""
    from sim.experiments.compare import compare_runs as compare

    return compare(Path(a), Path(b), tol)

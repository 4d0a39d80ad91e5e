"""`sim spatial`: forecast scenarios' spatial readings and record them in a run folder."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import InputError, display_path
from sim.model.resolve import LoadedScenario
from sim.runs.files import new_run_folder, results_folder, write_atomic, write_json
from sim.runs.manifest import finish_manifest, start_manifest
from sim.runs.store import write_table
from sim.spatial.draws import SpatialDraws, spatial_draws
from sim.spatial.forecast import forecast, scenario_options
from sim.spatial.problem import spatial_problem
from sim.spatial.result import SpatialResult


@dataclass(frozen=True, eq=False)
class SpatialRecord:
    """What `sim spatial` produced: the run folder (None when not recorded), each scenario's
    result and, with draws, each scenario's forecasts under uncertainty."""

    folder: Path | None
    results: tuple[SpatialResult, ...]
    draws: tuple[SpatialDraws, ...] = ()

    def __repr__(self) -> str:
        where = display_path(self.folder) if self.folder is not None else "not recorded"
        return f"SpatialRecord({len(self.results)} scenarios, {where})"


def spatial_row(result: SpatialResult) -> dict[str, Any]:
    """The outcome-table row of a spatial result: the model, rounds, whether positions
    stopped moving, and the forecast per dimension."""
    row: dict[str, Any] = {
        "scenario": result.scenario,
        "model": result.model,
        "rounds": result.rounds,
        "converged": result.converged,
    }
    row.update(
        {f"forecast_{d}": v for d, v in zip(result.dimensions, result.forecast, strict=True)}
    )
    return row


def spatial_point(loaded: LoadedScenario) -> tuple[dict[str, Any], dict[str, Any]]:
    """A sweep point of a spatial reading alone: its row (:func:`spatial_row`, without the
    scenario) and its document, with the model and options the scenario names."""
    model, options = scenario_options(loaded.scenario)
    result = forecast(spatial_problem(loaded.scenario), loaded.scenario.name, model, options)
    row = spatial_row(result)
    del row["scenario"]
    return row, result.to_json()


def run_spatial(
    scenarios: list[LoadedScenario],
    *,
    model: str | None = None,
    settings: Mapping[str, str] | None = None,
    rounds: int | None = None,
    out: Path | None = None,
    results: Path | None = None,
    record: bool = True,
    figure: Callable[[SpatialResult], str] | None = None,
    draws: int | None = None,
    seed: int | None = None,
    vary: list[str] | None = None,
) -> SpatialRecord:
    """Forecast each scenario's spatial reading with its model and options (``spatial.model``
    and ``spatial.options``; ``model``, ``settings`` and ``rounds`` override them); unless
    ``record`` is False, write a run folder: ``manifest.json`` (kind ``spatial``, each
    scenario's model and options), ``outcomes.csv`` (one row per scenario, :func:`spatial_row`),
    ``outcomes/<scenario>.json`` (:meth:`SpatialResult.to_json`) and, with ``figure`` (a
    result -> SVG text renderer, :func:`sim.figures.spatial.spatial_svg`),
    ``figures/<scenario>.svg`` (positions by round). With ``draws``, the forecast is also run
    on that many draws of the judgments the scenario's ``uncertainty:`` section (or ``vary``,
    as ``sim uncertainty --vary``) declares, seeded by ``seed`` (default: the file's
    ``uncertainty.seed``, or 0): ``uncertainty/<scenario>.json`` (:meth:`SpatialDraws.summary`)
    and ``draws/<scenario>.csv`` (one row per draw)."""
    out_results, out_draws = [], []
    for loaded in scenarios:
        chosen, options = scenario_options(loaded.scenario, model, settings, rounds)
        problem = spatial_problem(loaded.scenario)
        out_results.append(forecast(problem, loaded.scenario.name, chosen, options))
        if draws is not None:
            declared = loaded.scenario.uncertainty
            used = (
                seed if seed is not None else (declared.seed if declared and declared.seed else 0)
            )
            out_draws.append(spatial_draws(loaded, chosen, options, draws, used, vary))
    if not record:
        return SpatialRecord(None, tuple(out_results), tuple(out_draws))
    label = scenarios[0].scenario.name if len(scenarios) == 1 else scenarios[0].path.parent.name
    folder = new_run_folder(results_folder() if results is None else results, label, out)
    files = [f for s in scenarios for f in s.files]
    seeds = {dict(r.options).get("seed") for r in out_results} | {d.seed for d in out_draws}
    seeds -= {None}
    one = seeds.pop() if len(seeds) == 1 else None
    manifest = start_manifest(
        "spatial",
        files,
        seed=one if isinstance(one, int) else None,
        keys=["scenario"],
        models={r.scenario: {"model": r.model, "options": dict(r.options)} for r in out_results},
        draws=draws,
        vary=list(vary or []),
    )
    write_json(folder / "manifest.json", manifest)
    try:
        for result in out_results:
            write_json(folder / "outcomes" / f"{result.scenario}.json", result.to_json())
            if figure is not None:
                write_atomic(folder / "figures" / f"{result.scenario}.svg", figure(result))
        for drawn in out_draws:
            write_json(folder / "uncertainty" / f"{drawn.scenario}.json", drawn.summary())
            write_table(folder / "draws" / f"{drawn.scenario}.csv", drawn.rows())
        write_table(folder / "outcomes.csv", [spatial_row(r) for r in out_results])
    except KeyboardInterrupt:
        write_json(folder / "manifest.json", finish_manifest(manifest, "interrupted"))
        raise
    except BaseException as error:
        write_json(folder / "manifest.json", finish_manifest(manifest, "failed", error=repr(error)))
        raise
    write_json(folder / "manifest.json", finish_manifest(manifest, "complete"))
    return SpatialRecord(folder, tuple(out_results), tuple(out_draws))


def read_spatial_results(folder: Path) -> tuple[SpatialResult, ...]:
    """The results of a spatial run folder, in the order of its ``outcomes.csv``.

    Raises
    ------
    InputError
        A document is missing, not JSON, or not a spatial result.
    """
    from sim.runs.store import read_table

    out = []
    for row in read_table(folder / "outcomes.csv"):
        path = folder / "outcomes" / f"{row.get('scenario')}.json"
        try:
            out.append(SpatialResult.from_json(json.loads(path.read_text(encoding="utf-8"))))
        except OSError as error:
            raise InputError(f"{display_path(path)}: {error.strerror or error}") from None
        except (ValueError, KeyError, TypeError, IndexError) as error:
            raise InputError(f"{display_path(path)}: not a spatial result ({error})") from None
    return tuple(out)

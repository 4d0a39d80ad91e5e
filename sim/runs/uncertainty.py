"""`sim.uncertainty(...)`: seeded Monte Carlo over scenarios' judgments (SPEC §6)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import InputError, ScenarioError
from sim.model import LoadedScenario, load_many
from sim.model.schema import Distribution
from sim.montecarlo.document import Sensitivity
from sim.montecarlo.judgments import SPATIAL_KINDS, parse_vary, resolve_judgments
from sim.montecarlo.results import ScenarioDraws, summarise, versus_parent
from sim.montecarlo.run_result import ScenarioUncertainty, UncertaintyResult
from sim.montecarlo.sensitivity import SOBOL_BY, sobol_variables
from sim.montecarlo.sobol import MAX_EVALUATIONS
from sim.montecarlo.static import Structure, build_structure
from sim.montecarlo.strategic import bargaining_summary
from sim.montecarlo.structures import StructureOf, expand, mixture
from sim.montecarlo.talks import talks_summary, talks_title
from sim.runs.signals import signals_as_interrupts

if TYPE_CHECKING:
    pass

MAX_DRAWS = 1_000_000
"""Most draws without ``max_draws`` (``--max-draws``) raised."""
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 0

Progress = Callable[[int, int], None]
"""Called with (draws done, draws in all) over every scenario."""


def _check_sobol(n: int, by: str) -> None:
    if by not in SOBOL_BY:
        raise InputError(f"--sobol-by: {by!r} is not one of {', '.join(SOBOL_BY)}")
    if n and (n < 16 or n & (n - 1)):
        raise InputError(f"--sobol: {n} is not a power of 2 of at least 16 (or 0: no Sobol)")


def _draws_and_seed(
    loaded: Sequence[LoadedScenario], draws: int | None, seed: int | None, max_draws: int
) -> tuple[int, int]:
    declared_draws = {s.scenario.uncertainty.draws for s in loaded if s.scenario.uncertainty}
    declared_seeds = {s.scenario.uncertainty.seed for s in loaded if s.scenario.uncertainty}
    declared_draws.discard(None)
    declared_seeds.discard(None)
    if draws is None:
        if len(declared_draws) > 1:
            raise InputError("the scenarios declare different uncertainty.draws; give --draws")
        draws = next(iter(declared_draws), DEFAULT_DRAWS)
    if seed is None:
        if len(declared_seeds) > 1:
            raise InputError("the scenarios declare different uncertainty.seed; give --seed")
        seed = next(iter(declared_seeds), DEFAULT_SEED)
    assert draws is not None and seed is not None
    if draws < 1:
        raise InputError(f"--draws: {draws} is not a positive number of draws")
    if draws > max_draws:
        raise InputError(
            f"--draws: {draws:,} is above the limit of {max_draws:,} draws; "
            "raise it with --max-draws"
        )
    if seed < 0:
        raise InputError(f"--seed: {seed} must be >= 0")
    return draws, seed


def uncertainty(
    scenarios: str | Path | Sequence[str | Path | LoadedScenario],
    *,
    draws: int | None = None,
    seed: int | None = None,
    vary: Sequence[str] | dict[str, Distribution] | None = None,
    robust: float | None = None,
    max_draws: int = MAX_DRAWS,
    sensitivity: bool = True,
    sobol: int = 0,
    sobol_by: str = "group",
    strategic_draws: int | None = None,
    record: bool = False,
    out: Path | None = None,
    progress: Progress | None = None,
    executor: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> UncertaintyResult:
    """Seeded Monte Carlo over the judgments of one or more scenarios (SPEC §6).

    Parameters
    ----------
    scenarios
        Scenario files, folders, names, or loaded scenarios.
    draws, seed
        Default: the scenarios' ``uncertainty.draws``/``seed``, else 1000 and 0.
    vary
        Extra ``PATTERN=DIST:PARAMS`` items (as ``--vary``) or patterns to distributions; they
        take precedence over the files' ``vary``.
    robust
        Share of draws a bundle must be acceptable in to count as robust (default: the
        scenario's ``uncertainty.robust``, 0.9).
    sensitivity
        Compute the global sensitivity indices and the tornado table.
    sobol, sobol_by
        With ``sensitivity``: the base sample of the Sobol design (a power of 2, at least 16,
        e.g. :data:`sim.montecarlo.sensitivity.SOBOL_N`; 0, the default: no Sobol indices),
        and whether they are computed per ``"group"`` of judgments or per ``"judgment"``.
    strategic_draws
        Compute bargaining over time and compliance for the first this many draws only
        (default: every draw; 0: not computed).
    record, out
        Write a run folder (under ``results/`` or at ``out``); it can be finished by
        :func:`resume_uncertainty` if the run is interrupted.
    executor, workers, scheduler
        Where blocks of draws are computed: ``"processes"`` (worker processes, one per core),
        ``"serial"`` (this process) or ``"dask"`` (see ``sim sweep``); the results are the
        same bytes for any of them. By default (None), worker processes once the first block,
        computed here, shows that the rest would take long enough to repay starting them
        (:data:`sim.runs.uncertainty_blocks.WORKER_WORTH`), else this process; with
        ``workers`` given, worker processes.

    Raises
    ------
    InputError, ScenarioError
        Bad input, every problem reported.
    """
    targets = [scenarios] if isinstance(scenarios, str | Path) else list(scenarios)
    found = [
        item
        for target in targets
        for item in ([target] if isinstance(target, LoadedScenario) else load_many(str(target)))
    ]
    unique = {item.path.resolve(): item for item in reversed(found)}  # the first of each file
    loaded = [unique[p] for p in dict.fromkeys(item.path.resolve() for item in found)]
    if not loaded:
        raise InputError("no scenario to analyse")
    vary = [vary] if isinstance(vary, str) else vary
    extra = parse_vary(list(vary)) if isinstance(vary, Sequence) and vary else None
    extra = dict(vary) if isinstance(vary, dict) else extra
    draws, seed = _draws_and_seed(loaded, draws, seed, max_draws)
    strategic = draws if strategic_draws is None else min(draws, strategic_draws)
    if strategic < 0:
        raise InputError(f"--strategic-draws: {strategic} must be >= 0")
    _check_sobol(sobol, sobol_by)
    run = _Run(loaded, extra, draws, seed, robust, sensitivity, strategic, sobol, sobol_by)
    return _execute(
        run, record or out is not None, out, None, progress, executor, workers, scheduler
    )


def resume_uncertainty(
    folder: Path,
    *,
    progress: Progress | None = None,
    executor: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> UncertaintyResult:
    """Finish an interrupted ``sim uncertainty`` run in its folder: the blocks of draws it
    saved are read, the others computed; the results are those of an uninterrupted run.

    Raises
    ------
    InputError
        Not an unfinished uncertainty run folder, in use by another process, or its inputs
        changed since it started (each file named with both hashes).
    """
    from sim.runs.uncertainty_record import read_run

    recorded = read_run(folder)
    loaded = [load_many(path)[0] for path in recorded["paths"]]
    extra = (
        {k: Distribution.model_validate(v) for k, v in recorded["vary"].items()}
        if recorded["vary"] is not None
        else None
    )
    run = _Run(
        loaded,
        extra,
        recorded["draws"],
        recorded["seed"],
        recorded["robust"],
        recorded["sensitivity"],
        recorded["strategic"],
        recorded.get("sobol", 0),
        recorded.get("sobol_by", "group"),
    )
    return _execute(run, True, None, folder, progress, executor, workers, scheduler)


@dataclass(frozen=True, eq=False)
class _Run:
    """What a run computes (recorded in its manifest, so that --resume computes the same)."""

    loaded: list[LoadedScenario]
    extra: dict[str, Distribution] | None
    draws: int
    seed: int
    robust: float | None
    sensitivity: bool
    strategic: int
    sobol: int = 0
    sobol_by: str = "group"

    def parameters(self) -> dict[str, Any]:
        return {
            "paths": [str(s.path.resolve()) for s in self.loaded],
            "vary": None
            if self.extra is None
            else {
                k: v.model_dump(mode="json", exclude_defaults=True) for k, v in self.extra.items()
            },
            "draws": self.draws,
            "seed": self.seed,
            "robust": self.robust,
            "sensitivity": self.sensitivity,
            "strategic": self.strategic,
            "sobol": self.sobol,
            "sobol_by": self.sobol_by,
        }


def _execute(
    run: _Run,
    record: bool,
    out: Path | None,
    resume: Path | None,
    progress: Progress | None,
    executor: str | None,
    workers: int | None,
    scheduler: str | None,
) -> UncertaintyResult:
    from sim.montecarlo.budget import check_cells
    from sim.montecarlo.sensitivity import sensitivity_summary
    from sim.runs.executors import Executor, check_executor
    from sim.runs.limits import Limits
    from sim.runs.uncertainty_blocks import run_blocks
    from sim.runs.uncertainty_record import RunWriter

    kind = executor or "processes"  # None: processes, once the run shows they pay
    check_executor(kind, scheduler)
    if workers is not None and workers < 1:
        raise InputError(f"--workers: {workers} must be >= 1")
    draws, seed = run.draws, run.seed
    units = _units(run.loaded)
    loaded = [unit for unit, _, _ in units]
    resolved = [resolve_judgments(s, run.extra) for s in loaded]
    structures: list[Structure] = [
        build_structure(s, tuple(j for j in found if j.kind not in SPATIAL_KINDS))
        for s, found in zip(loaded, resolved, strict=True)
    ]
    check_cells(
        draws, [(s.scenario.name, s.bundles.shape[0], len(s.problem.judges)) for s in structures]
    )
    if run.sensitivity and run.sobol:
        for built in structures:
            evaluations = run.sobol * (sobol_variables(built.judgments, run.sobol_by) + 3)
            if evaluations > MAX_EVALUATIONS:
                raise InputError(
                    f"--sobol: {built.scenario.name}: a design of N = {run.sobol} over its "
                    f"judgments by {run.sobol_by} needs {evaluations:,} evaluations, above the "
                    f"limit of {MAX_EVALUATIONS:,}; give a smaller --sobol or --sobol-by group"
                )
    notes = []
    if run.extra is None and all(s.scenario.uncertainty is None for s in loaded):
        notes.append(
            "no uncertainty declared: every option value and weight drawn within +-0.05 of "
            "its stated value (uniform, truncated to its range)"
        )
    notes += _structure_notes(units)
    noted = set()
    for (_, base, _), found in zip(units, resolved, strict=True):
        spatial = sum(j.kind in SPATIAL_KINDS for j in found)
        if spatial and base.scenario.name not in noted:
            noted.add(base.scenario.name)
            notes.append(
                f"{base.scenario.name}: {spatial} judgments of the spatial reading drawn for its "
                f"forecast alone (they do not enter the bargaining analysis)"
            )
    files = [f for s in loaded for f in s.files]
    total = draws * len(structures)  # the unit is a draw of one scenario
    done = [0]

    def advance(count: int) -> None:
        done[0] += count
        if progress is not None:
            progress(done[0], total)

    with Executor(kind, workers, scheduler, Limits()) as pool, signals_as_interrupts():
        writer = (
            RunWriter(structures, files, run.parameters(), out, resume)
            if record or resume is not None
            else None
        )
        forecasts: dict[str, dict[str, Any]] = {}

        def forecast() -> None:  # the spatial readings, beside the workers' blocks
            for scenario, _, _ in units:
                if scenario.scenario.spatial is not None:
                    spatial_summary(scenario, draws, seed, forecasts, run.extra)

        try:
            assembled = run_blocks(
                structures,
                draws,
                seed,
                run.strategic,
                store=writer.store if writer is not None else None,
                executor=pool,
                adaptive=executor is None and workers is None,  # --workers: processes
                progress=advance,
                on_block=writer.take_block if writer is not None else None,
                meanwhile=forecast,
            )
            results: dict[tuple[Path, str | None], ScenarioDraws] = {}
            for structure, unit, arrays in zip(structures, units, assembled, strict=True):
                scenario, _, choice = unit
                results[scenario.path.resolve(), _named(choice)] = ScenarioDraws(
                    scenario,
                    structure,
                    arrays.acceptable,
                    arrays.frontier,
                    arrays.solutions,
                    arrays.verdicts,
                    arrays.bundle_counts,
                    strategic=arrays.strategic,
                    completable=arrays.completable,
                    measures=arrays.measures,
                    talks=arrays.talks,
                )
            summaries = []
            for (scenario, _, choice), result in zip(units, results.values(), strict=True):
                declared = scenario.scenario.uncertainty
                threshold = (
                    run.robust if run.robust is not None else declared.robust if declared else 0.9
                )
                strategic, talks = result.strategic, result.talks
                parent = scenario.files[1].resolve() if len(scenario.files) > 1 else None
                keys = ((parent, _named(choice)), (parent, None))
                paired_with = next((results[k] for k in keys if k in results), None)
                summary = replace(
                    summarise(result, threshold),
                    bargaining=bargaining_summary(strategic) if strategic is not None else None,
                    talks=talks_summary(talks, talks_title(result.structure))
                    if strategic is not None and talks is not None  # docs/strategic.md
                    else None,
                    versus_parent=versus_parent(result, paired_with)
                    if paired_with is not None
                    else None,
                    sensitivity=Sensitivity.from_json(
                        sensitivity_summary(result, seed, run.sobol, run.sobol_by), "sensitivity"
                    )
                    if run.sensitivity
                    else None,
                    spatial=spatial_summary(scenario, draws, seed, forecasts, run.extra)
                    if scenario.scenario.spatial is not None
                    else None,
                )
                summaries.append(ScenarioUncertainty(result, summary))
            mixed = _mixtures(units, results)
            outcome = UncertaintyResult(
                draws, seed, tuple(summaries), None, tuple(notes), structures=mixed
            )
            if writer is not None:
                return writer.finish(outcome)
            return outcome
        except BaseException as error:
            if writer is not None:
                writer.abort(error)
            raise


Unit = tuple[LoadedScenario, LoadedScenario, StructureOf | None]
"""A scenario the run draws: the scenario itself, or one of its structures (with the scenario
that declares it)."""


def _units(loaded: list[LoadedScenario]) -> list[Unit]:
    """Every scenario to draw: each structure of a scenario that declares structures (in
    their declared order), else the scenario itself.

    Raises
    ------
    ScenarioError
        Every problem of every scenario's structures.
    """
    units: list[Unit] = []
    problems = []
    for scenario in loaded:
        try:
            variants = expand(scenario)
        except ScenarioError as error:
            problems += error.diagnostics
            continue
        units += [(v.loaded, scenario, v) for v in variants] or [(scenario, scenario, None)]
    if problems:
        raise ScenarioError(problems)
    return units


def _named(choice: StructureOf | None) -> str | None:
    return None if choice is None else choice.name


def _structure_notes(units: list[Unit]) -> list[str]:
    declared: dict[str, list[StructureOf]] = {}
    for _, _, choice in units:
        if choice is not None:
            declared.setdefault(choice.scenario, []).append(choice)
    return [
        f"{name}: {len(found)} structures ("
        + ", ".join(f"{c.name} {c.weight:g}" for c in found)
        + "), each drawn with the same seed; conclusions per structure and mixed over the "
        "weights under 'structures'"
        for name, found in declared.items()
    ]


def _mixtures(
    units: list[Unit], results: dict[tuple[Path, str | None], ScenarioDraws]
) -> dict[str, dict[str, Any]]:
    """The mixture over its structures of each scenario that declares structures."""
    parts: dict[str, list[tuple[StructureOf, ScenarioDraws]]] = {}
    for (_, _, choice), result in zip(units, results.values(), strict=True):
        if choice is not None:
            parts.setdefault(choice.scenario, []).append((choice, result))
    return {name: mixture(found) for name, found in parts.items()}


def spatial_summary(
    loaded: LoadedScenario,
    draws: int,
    seed: int,
    computed: dict[str, dict[str, Any]],
    extra: dict[str, Distribution] | None = None,
) -> dict[str, Any]:
    """The scenario's spatial reading over the same number of draws and the same seed, as
    ``sim spatial --draws`` summarises it (its model and options; the spatial judgments its
    ``uncertainty:`` section declares, with ``extra``, the command's ``--vary``). Variants with
    the same reading and the same spread of each spatial judgment draw the same values (common
    random numbers), so it is computed once (``computed``), whatever else their sections
    vary."""
    import json

    from sim.spatial.draws import spatial_draws
    from sim.spatial.forecast import scenario_options

    scenario = loaded.scenario
    assert scenario.spatial is not None
    drawn = [
        [j.path, j.distribution, list(j.parameters), j.low, j.high, j.stream]
        for j in resolve_judgments(loaded, extra)
        if j.path.startswith("spatial.")  # the others do not move the spatial reading
    ]
    key = json.dumps([scenario.spatial.model_dump(mode="json"), drawn], sort_keys=True)
    if key not in computed:
        model, options = scenario_options(scenario)
        computed[key] = spatial_draws(loaded, model, options, draws, seed, extra=extra).summary()
    return {**computed[key], "scenario": scenario.name}

"""The Python API, for notebooks and scripts: the same code paths as the command line.

Scenario names resolve under ``root`` (default :data:`DEFAULT_ROOT`: ``$SIM_SCENARIOS`` if
set, else ``scenarios/`` in the current directory); run folders go under ``results`` (default
``results/`` in the current directory). Paths given explicitly are used as given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.display import register_loader
from sim.errors import InputError, display_path

if TYPE_CHECKING:
    import pandas

    from sim.agents.agents import AgentKind
    from sim.agents.result import NegotiationResult
    from sim.agents.tournament import TournamentResult
    from sim.analysis.outcome import Games, Outcome
    from sim.core.distance import Standing
    from sim.core.problem import Problem
    from sim.core.verdict import PartyVerdict
    from sim.model.resolve import LoadedScenario
    from sim.runs.compare import Comparison
    from sim.runs.opened import RunResult
    from sim.runs.run import RunRecord
    from sim.runs.sweep import SweepRecord


def _load_displays() -> None:
    from sim.report.outcome_text import register_displays

    register_displays()


register_loader(_load_displays)  # outcomes and run records show as text in a notebook


def default_results() -> Path:
    """Where run folders are written: ``$SIM_RESULTS``, else ``results/``."""
    from sim.runs.files import results_folder

    return results_folder()


def _overrides(items: Mapping[str, Any] | Sequence[str] | None) -> dict[str, Any]:
    """``{"path": value}`` or ``["path=value", ...]`` (values read as YAML reads them)."""
    if items is None:
        return {}
    if isinstance(items, Mapping):
        return dict(items)
    from sim.runs.targets import parse_value

    out: dict[str, Any] = {}
    for item in items:
        path, sep, value = item.partition("=")
        if not sep or not path.strip() or not value.strip():
            raise InputError(f"--set: {item!r} is not path=value")
        if path.strip() in out:
            raise InputError(f"--set: {path.strip()!r} given twice")
        out[path.strip()] = parse_value(value.strip())
    return out


def load_scenarios(
    target: str | Path | LoadedScenario,
    *,
    root: str | Path | None = None,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    allow_outside: bool = False,
) -> list[LoadedScenario]:
    """Every scenario a target names: a file, a folder (the files directly in it), a scenario
    name under ``root``, or an already loaded scenario; ``overrides`` (dotted path -> value,
    as in ``set:``) are applied to each. ``extends`` may reach outside the scenario's folder
    tree (and ``root``) only with ``allow_outside``.

    Raises
    ------
    InputError, ScenarioError
        Nothing matches, or a file (or an override) is not a valid scenario.
    """
    from sim.model import load_many
    from sim.model.catalog import scenario_root
    from sim.model.resolve import LoadedScenario

    if isinstance(target, LoadedScenario):
        loaded = [target]
    else:
        where = scenario_root() if root is None else Path(root)
        loaded = load_many(str(target), where, allow_outside=allow_outside)
    changes = _overrides(overrides)
    if not changes:
        return loaded
    return [s.raw().with_overrides(changes, source="command line (--set)") for s in loaded]


def load_scenario(
    target: str | Path | LoadedScenario,
    *,
    root: str | Path | None = None,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    allow_outside: bool = False,
) -> LoadedScenario:
    """The one scenario a target names (see :func:`load_scenarios`)."""
    loaded = load_scenarios(target, root=root, overrides=overrides, allow_outside=allow_outside)
    if len(loaded) != 1:
        names = ", ".join(s.scenario.name for s in loaded)
        raise InputError(f"{target}: names {len(loaded)} scenarios ({names}); give one")
    return loaded[0]


def analyse(
    target: str | Path | LoadedScenario,
    *,
    root: str | Path | None = None,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    frontier_limit: int | None = None,
    cross_check: bool = False,
    only: str | Sequence[str] | None = None,
) -> Outcome:
    """The whole analysis of one scenario, as ``sim run`` reports it, without a run folder
    (``only``: the analyses to compute, as ``sim run --only`` takes them)."""
    from sim.analysis.analyse import AnalysisOptions, analyse_scenario
    from sim.analysis.selection import parse_only

    chosen = None if only is None else parse_only(only, "only")
    loaded = load_scenario(target, root=root, overrides=overrides)
    options = AnalysisOptions(frontier_limit=frontier_limit, cross_check=cross_check, only=chosen)
    return analyse_scenario(loaded, options)


@dataclass(frozen=True, eq=False)
class Explanation:
    """Each party's view of some terms (``sim explain``), and for a full bundle where it
    stands against the frontier."""

    scenario: str
    terms: tuple[tuple[str, str], ...]
    verdicts: tuple[PartyVerdict, ...]
    standing: Standing | None
    text: str
    fighting: tuple[tuple[str, int | None], ...] | None = None
    """With ``war.private`` declared and a full bundle: per veto party, the first month whose
    war value exceeds its utility of the bundle as the odds drift (None: never; see
    docs/strategic.md)."""

    def __repr__(self) -> str:
        return f"Explanation({self.scenario}: {'; '.join(f'{i}={o}' for i, o in self.terms)})"

    def __str__(self) -> str:
        return self.text


def explain(
    target: str | Path | LoadedScenario,
    *,
    bundle: str | Mapping[str, str] | None = None,
    proposal: str | None = None,
    index: int | None = None,
    root: str | Path | None = None,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
) -> Explanation:
    """Each party's per-issue contributions, utility, reservation, red lines and verdict for
    terms given as ``bundle`` (``"issue=option,..."`` or a mapping; issues left out are open),
    a named ``proposal`` (``bundle`` overrides its terms) or a bundle ``index``."""
    import numpy as np

    from sim.analysis.analyse import allowed_options
    from sim.compile import compile_problem
    from sim.core.distance import bundle_standing
    from sim.core.verdict import judge_allowed
    from sim.report.text import explain_terms, standing_text
    from sim.terms import parse_terms

    if bundle is None and proposal is None and index is None:
        raise InputError("explain: give --bundle issue=option,..., --proposal ID or --index N")
    if index is not None and (bundle is not None or proposal is not None):
        raise InputError("explain: --index names a whole bundle; give it alone")
    loaded = load_scenario(target, root=root, overrides=overrides)
    s = loaded.scenario
    problem = compile_problem(s)
    terms: dict[str, str] = {}
    head = [f"{s.name}: {s.label()}"]
    if index is not None:
        terms = _bundle_at(problem, index)
    if proposal is not None:
        if proposal not in s.proposals:
            known = ", ".join(s.proposals) or "none defined"
            raise InputError(
                f"--proposal: unknown proposal {proposal!r} in {s.name} (known: {known})"
            )
        terms.update(s.proposals[proposal].terms)
        head.append(f"proposal {proposal}: {s.proposals[proposal].title or proposal}")
    if bundle is not None:
        terms.update(parse_terms(bundle, "--bundle") if isinstance(bundle, str) else bundle)
    allowed = allowed_options(problem, terms)
    verdicts = judge_allowed(problem, allowed)
    text = [*head, explain_terms(problem, allowed, verdicts)]
    standing = None
    if all(mask.sum() == 1 for mask in allowed):
        choice = {k: int(np.flatnonzero(mask)[0]) for k, mask in enumerate(allowed)}
        standing = bundle_standing(problem, choice)
        text.append(standing_text(problem, standing))
    fighting = None
    if s.war is not None and s.war.private is not None and standing is not None:
        from sim.analysis.strategy import timeline
        from sim.core.commitment import first_month_fighting
        from sim.core.space import decode
        from sim.core.utility import bundle_utilities
        from sim.report.talks import fighting_line

        line = timeline(s, problem)
        digits = decode(np.array([standing.index], dtype=np.int64), problem.radices)
        months = first_month_fighting(bundle_utilities(problem, digits)[0, line.veto], line.flows)
        fighting = tuple(
            (problem.parties[int(v)], m) for v, m in zip(line.veto, months, strict=True)
        )
        text.append(fighting_line(fighting))
    return Explanation(
        s.name, tuple(terms.items()), tuple(verdicts), standing, "\n".join(text), fighting
    )


def _bundle_at(problem: Problem, index: int) -> dict[str, str]:
    from sim.analysis.outcome import Bundle

    bundles = 1
    for radix in problem.bundle_radices.tolist():
        bundles *= int(radix)
    if not 0 <= index < bundles:
        raise InputError(f"--index: {index} is not a bundle index (0 to {bundles - 1})")
    return dict(Bundle.of(problem, index).terms)


def solve_games(
    target: str | Path | LoadedScenario,
    *,
    cross_check: bool = False,
    root: str | Path | None = None,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
) -> Games:
    """The games built from one scenario and all their equilibria (``sim games``)."""
    (games,) = games_of(
        load_scenario(target, root=root, overrides=overrides), cross_check=cross_check
    )
    return games


def games_of(
    target: str | Path | LoadedScenario,
    *,
    cross_check: bool = False,
    root: str | Path | None = None,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    allow_outside: bool = False,
) -> list[Games]:
    """The games of every scenario a target names."""
    from sim.analysis.games import games_outcome
    from sim.analysis.strategy import analyse_strategy
    from sim.compile import compile_problem

    out = []
    for loaded in load_scenarios(
        target, root=root, overrides=overrides, allow_outside=allow_outside
    ):
        problem = compile_problem(loaded.scenario)
        strategy = analyse_strategy(loaded, problem)
        out.append(games_outcome(loaded, problem, strategy, cross_check))
    return out


def run(
    target: str | Path | LoadedScenario,
    *,
    out: str | Path | None = None,
    record: bool = True,
    frontier_limit: int | None = None,
    root: str | Path | None = None,
    results: str | Path | None = None,
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    only: str | Sequence[str] | None = None,
) -> RunRecord:
    """Analyse scenarios as ``sim run`` does: typed outcomes and table rows, and (unless
    ``record`` is False) a run folder under ``results`` (or ``out``); ``only``: the analyses
    to compute, as ``sim run --only`` takes them."""
    from sim.analysis.analyse import AnalysisOptions
    from sim.analysis.selection import parse_only
    from sim.runs.run import run_scenarios

    chosen = None if only is None else parse_only(only, "only")
    return run_scenarios(
        load_scenarios(target, root=root, overrides=overrides),
        out=None if out is None else Path(out),
        results=default_results() if results is None else Path(results),
        record=record,
        options=AnalysisOptions(frontier_limit=frontier_limit, only=chosen),
    )


def sweep(
    target: str | Path | None = None,
    *,
    grid: Mapping[str, Sequence[Any]] | None = None,
    ranges: Mapping[str, Sequence[float]] | None = None,
    sample: str | None = None,
    seed: int = 0,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    results: str | Path | None = None,
    out: str | Path | None = None,
    resume: str | Path | None = None,
    max_points: int | None = None,
    allow_changed_inputs: bool = False,
    allow_outside: bool = False,
    progress: Callable[[int, int, int], None] | None = None,
    only: str | Sequence[str] | None = None,
) -> SweepRecord:
    """Run a sweep: ``sim sweep`` is this function after parsing its command line.

    ``target`` is a sweep file, or a scenario varied over ``grid`` (dotted path -> values)
    and ``ranges`` (path -> ``(lo, hi, n)``, or ``(lo, hi)`` with ``sample="lhs:100"``);
    None with ``resume`` finishes the run recorded there. A sweep file's ``base`` (and the
    base's ``extends``) may leave the scenario folders only with ``allow_outside``. Safe to
    call from a script without an ``if __name__ == "__main__"`` guard: worker processes never
    import ``__main__``. ``progress(finished, total, failed)`` is told how far the sweep has got;
    ``only``: the analyses each point computes, as ``sim sweep --only`` takes them.

    Raises
    ------
    InputError
        An unknown executor, ``out`` with ``resume``, ``allow_changed_inputs`` without it, or
        a plan that cannot be made (see :func:`sim.runs.targets.sweep_plan`).
    SweepInterrupted
        Ctrl-C or SIGTERM: the finished points are saved; resume from the folder it names.
    """
    from sim.analysis.selection import parse_only
    from sim.runs.executors import check_executor
    from sim.runs.limits import limits_with
    from sim.runs.sweep import run_sweep
    from sim.runs.targets import sweep_plan

    check_executor(executor, scheduler)
    if resume is not None and out is not None:
        raise InputError("--out: not with --resume (a resumed sweep stays in its run folder)")
    if allow_changed_inputs and resume is None:
        raise InputError("--allow-changed-inputs: only with --resume")
    limits = limits_with(max_points)
    folder = None if resume is None else Path(resume)
    plan, base, extra = sweep_plan(
        target,
        grid=grid,
        ranges=ranges,
        sample=sample,
        seed=seed,
        resume=folder,
        limits=limits,
        allow_outside=allow_outside,
        only=None if only is None else parse_only(only, "only"),
    )
    return run_sweep(
        plan,
        base,
        out=None if out is None else Path(out),
        results=default_results() if results is None else Path(results),
        resume=folder,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
        extra_files=extra,
        limits=limits,
        allow_changed_inputs=allow_changed_inputs,
        allow_outside=allow_outside,
    )


def load_run(path: str | Path, *, tidy: bool = False) -> pandas.DataFrame:
    """A run folder's outcome table as a DataFrame with typed columns (needs pandas:
    ``pip install -e '.[notebook]'``).

    Counts and periods are nullable integers, yes/no columns booleans, utilities floats; with
    ``tidy=True``, long format: the row's keys, then ``party``, ``metric`` and ``value``
    (one row per party-specific number, for plotting).
    """
    from sim.runs.tables import run_frame

    return run_frame(Path(path), tidy=tidy)


def open_run(path: str | Path) -> RunResult:
    """Any run folder (a run, sweep, uncertainty, spatial, negotiation or tournament run) read
    back into its typed results, checked against its manifest first: a run's outcome table
    and stored outcomes, a sweep's table with its declared columns, an uncertainty run's
    summary (:class:`sim.runs.opened.RunResult` says what each kind holds). Nothing is
    analysed again.

    Raises
    ------
    InputError
        Not a run folder, an unknown kind, or a damaged one (its files differ from the
        manifest's sha256).
    """
    from sim.runs.opened import open_run as read

    return read(Path(path))


def load_outcomes(path: str | Path) -> dict[str, Outcome]:
    """The typed outcomes a run folder stored (``analysis.json``), by scenario: each equal to
    what ``sim.analyse`` gave when the run was made, without analysing again.

    Raises
    ------
    InputError
        Not a run folder, a damaged one (its files differ from the manifest's sha256), or one
        made before outcomes were stored.
    """
    folder = Path(path)
    found = open_run(folder).outcomes  # the folder checked against its manifest first
    if found is None:
        raise InputError(
            f"{display_path(folder)}: no stored outcomes (a folder made before they were "
            "stored, or not a `sim run` folder): analyse its scenarios with sim.analyse"
        )
    return found


def compare_runs(a: str | Path, b: str | Path, tol: float = 1e-9) -> Comparison:
    """What differs between two runs' outcome tables (see ``sim compare``); old and new values
    are typed (numbers, booleans, text, None)."""
    from sim.runs.compare import compare_runs as compare

    return compare(Path(a), Path(b), tol)


def negotiate(
    scenario: LoadedScenario,
    agents: str | Sequence[str | AgentKind],
    *,
    rounds: int = 100,
    seed: int = 0,
    protocol: str = "stacked",
    out: Path | None = None,
    results: Path | None = None,
    record: bool = True,
) -> tuple[NegotiationResult, Path | None]:
    """Agents negotiate on a scenario (``sim negotiate``; docs/agents.md): the typed result
    and, unless ``record`` is False, the run folder (with the figure ``negotiation.svg``).
    ``agents``: keys (``"boulware,linear"`` or a list), or :class:`AgentKind` objects of
    agents of your own, one per negotiating party in file order."""
    from sim.agents.agents import AgentKind, agent_kind, agent_kinds
    from sim.agents.negotiate import negotiate as play_scenario
    from sim.agents.record import record_negotiation
    from sim.figures.chart import svg_text
    from sim.figures.negotiation import negotiation_chart
    from sim.runs.files import write_atomic

    kinds = (
        agent_kinds(agents)
        if isinstance(agents, str)
        else tuple(a if isinstance(a, AgentKind) else agent_kind(a) for a in agents)
    )
    result = play_scenario(scenario, kinds, rounds=rounds, seed=seed, protocol=protocol)
    if not record:
        return result, None

    def figure(folder: Path) -> None:
        chart = negotiation_chart(result)
        write_atomic(folder / "negotiation.svg", svg_text(chart, "negotiation", True))

    folder = record_negotiation(result, scenario, out=out, results=results, extra_files=figure)
    return result, folder


def tournament(
    scenarios: Sequence[LoadedScenario],
    agents: str | Sequence[str],
    *,
    rounds: int = 100,
    seeds: int = 1,
    protocol: str = "stacked",
    executor: str = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    max_points: int | None = None,
    out: Path | None = None,
    results: Path | None = None,
    resume: Path | None = None,
    record: bool = True,
    draws: int = 0,
    draw_seed: int = 0,
) -> tuple[TournamentResult, Path | None]:
    """A tournament of agents on scenarios (``sim tournament``; docs/agents.md): the typed
    result and, unless ``record`` is False, the run folder (with ``tournament.svg``);
    ``resume`` finishes an interrupted one (same arguments); ``max_points`` caps the number
    of negotiations (default ``$SIM_MAX_POINTS`` or 100,000); ``draws`` plays every match on
    that many variants drawn from each scenario's uncertainty (seed ``draw_seed``)."""
    import dataclasses

    from sim.agents.record import record_tournament
    from sim.agents.tournament import plan_tournament, run_tournament
    from sim.figures.chart import svg_text
    from sim.figures.negotiation import tournament_chart
    from sim.runs.files import write_atomic
    from sim.runs.limits import default_limits

    limits = default_limits()
    if max_points is not None:
        limits = dataclasses.replace(limits, max_points=max_points)
    keys = [a for a in agents.split(",") if a.strip()] if isinstance(agents, str) else agents
    if not record:
        if resume is not None:
            raise InputError("--resume: a tournament that is not recorded cannot be resumed")
        result = run_tournament(
            list(scenarios),
            list(keys),
            rounds=rounds,
            seeds=seeds,
            protocol=protocol,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            limits=limits,
            draws=draws,
            draw_seed=draw_seed,
        )
        return result, None
    if resume is not None and out is not None:
        raise InputError("--out: not with --resume (a resumed tournament stays in its folder)")
    plan = plan_tournament(
        list(scenarios),
        list(keys),
        rounds=rounds,
        seeds=seeds,
        protocol=protocol,
        limits=limits,
        draws=draws,
        draw_seed=draw_seed,
    )

    def figure(folder: Path, result: TournamentResult) -> None:
        chart = tournament_chart(result)
        write_atomic(folder / "tournament.svg", svg_text(chart, "tournament", True))

    recorded, folder = record_tournament(
        plan,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        limits=limits,
        out=out,
        results=results,
        resume=resume,
        extra_files=figure,
    )
    return recorded, folder

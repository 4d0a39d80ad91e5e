"""Run folders as the figures and reports read them (:func:`sim.runs.opened.open_run`): a run
(its stored outcomes, its scenarios compiled for the figures that draw their space), a sweep
(its outcome table), an uncertainty run (its summary), a spatial, negotiation or tournament
run (their results), or two runs compared."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.analysis.stored import ANALYSIS
from sim.errors import InputError, SimError, display_path
from sim.runs.opened import RunResult, RunTable, open_run

if TYPE_CHECKING:
    from sim.agents.result import NegotiationResult
    from sim.agents.tournament import TournamentResult
    from sim.analysis.outcome import Outcome
    from sim.core.problem import Problem
    from sim.figures.chart import Names
    from sim.model.resolve import LoadedScenario
    from sim.montecarlo.document import UncertaintySummary
    from sim.runs.compare import Comparison
    from sim.spatial.result import SpatialResult


@dataclass(frozen=True, eq=False)
class ScenarioView:
    """One scenario of a run: as loaded now, compiled, analysed, and its names in words."""

    loaded: LoadedScenario
    problem: Problem
    outcome: Outcome
    names: Names


@dataclass(frozen=True, eq=False)
class RunSource:
    """A run folder read for figures and reports.

    ``changed`` lists the input files that differ from (or are missing since) the run;
    ``notes`` what could not be shown and why.
    """

    kind: str
    folder: Path
    manifest: dict[str, Any]
    rows: tuple[dict[str, str], ...] = ()
    keys: tuple[str, ...] = ()
    scenarios: tuple[ScenarioView, ...] = ()
    summary: UncertaintySummary | None = None
    changed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    comparison: Comparison | None = None
    other: RunSource | None = None
    inputs: tuple[tuple[str, str, str], ...] = field(default=())
    """(path, sha256 recorded, state now: "unchanged", "changed" or "missing")."""
    spatial: tuple[SpatialResult, ...] = ()
    """A spatial run's results, read back from its documents (never re-run)."""
    negotiations: tuple[NegotiationResult, ...] = ()
    """A negotiation run's results, as stored."""
    tournament: TournamentResult | None = None
    """A tournament run's result, as stored."""

    @property
    def title(self) -> str:
        if self.kind == "compare" and self.other is not None:
            return f"{display_path(self.folder)} compared with {display_path(self.other.folder)}"
        if self.kind == "sweep":
            plan = self.manifest.get("plan") or {}
            base = (self.manifest.get("base") or {}).get("document") or {}
            name = plan.get("name") or display_path(self.folder)
            return f"Sweep {name}" + (f" of {base.get('title')}" if base.get("title") else "")
        if self.kind == "uncertainty":
            names: dict[str, int] = {}  # a scenario's structures (SCENARIO@NAME) named once
            for name in self.manifest.get("scenarios") or []:
                base = str(name).split("@", 1)[0]
                names[base] = names.get(base, 0) + ("@" in str(name))
            return "Uncertainty: " + ", ".join(
                f"{n} ({k} structures)" if k else n for n, k in names.items()
            )
        if self.kind == "spatial":
            return "Spatial forecast: " + ", ".join(r.scenario for r in self.spatial)
        if self.kind == "negotiation":
            return "Negotiation: " + ", ".join(
                f"{n.scenario} ({', '.join(n.agents)})" for n in self.negotiations
            )
        if self.kind == "tournament" and self.tournament is not None:
            return "Tournament: " + ", ".join(self.tournament.scenarios)
        return "Run: " + ", ".join(v.outcome.scenario for v in self.scenarios)

    def scenario_names(self) -> list[str]:
        if self.kind == "run":
            return [v.outcome.scenario for v in self.scenarios]
        if self.kind == "uncertainty" and self.summary is not None:
            return list(self.summary.scenarios)
        if self.kind == "spatial":
            return [r.scenario for r in self.spatial]
        return []


def read_source(folder: Path, *, allow_changed_inputs: bool = False) -> RunSource:
    """Read a run folder of any kind (:func:`sim.runs.opened.open_run`) for the figures and
    reports: a run's scenarios compiled beside its stored outcomes, the agents' results of a
    negotiation or tournament.

    Raises
    ------
    InputError
        Not a run folder, an unknown kind, a run whose scenario files changed since it ran
        (unless ``allow_changed_inputs``) or cannot be found.
    """
    result = open_run(folder)
    recorded = tuple((display_path(i.path), i.sha256, i.state) for i in result.inputs)
    common: dict[str, Any] = {"changed": result.changed, "inputs": recorded}
    kind = result.kind
    if kind == "run":
        return _run_source(result, recorded, allow_changed_inputs)
    if kind == "spatial":
        return RunSource(kind, folder, result.manifest, spatial=result.spatial, **common)
    if kind == "sweep":
        table = result.outcome_table()
        return RunSource(
            kind,
            folder,
            result.manifest,
            tuple(table.rows),
            table.keys,
            notes=result.notes,
            **common,
        )
    if kind in ("negotiation", "tournament"):
        from sim.agents.record import read_negotiations, read_tournament

        return RunSource(
            kind,
            folder,
            result.manifest,
            notes=result.notes,
            negotiations=read_negotiations(folder) if kind == "negotiation" else (),
            tournament=read_tournament(folder, result.manifest) if kind == "tournament" else None,
            **common,
        )
    notes = result.notes
    if result.summary is None:
        notes = (f"summary.json: not available in this run (status {result.status!r})",)
    return RunSource(kind, folder, result.manifest, summary=result.summary, notes=notes, **common)


def _run_source(
    result: RunResult, recorded: tuple[tuple[str, str, str], ...], allow_changed: bool
) -> RunSource:
    from sim.model import load_many
    from sim.model.catalog import scenario_root

    folder, inputs = result.folder, result.inputs
    table = result.outcome_table()
    wanted = [row.get("scenario", "") for row in table.rows]
    stored = _stored_scenarios(folder, wanted)
    if stored is not None:
        return _views(result, table, stored, recorded, result.outcomes)
    missing = [i.path for i in inputs if i.state == "missing"]
    if missing and (not allow_changed or len(missing) == len(inputs)):
        raise InputError(
            "\n".join(
                f"{display_path(folder)}: input {display_path(p)}: not found (the manifest's "
                "relative paths are read from the current folder: make the report from the "
                "folder the run was made in)"
                for p in missing
            )
        )
    edited = [i.path for i in inputs if i.state == "changed"]
    if edited and not allow_changed:
        raise InputError(
            "\n".join(
                f"{display_path(folder)}: input {display_path(p)}: changed since the run (its "
                "sha256 differs from the manifest's); give --allow-changed-inputs to report on "
                "the file as it is now"
                for p in edited
            )
        )
    found: dict[str, LoadedScenario] = {}
    listed = {i.path.resolve() for i in inputs if i.state != "missing"}
    folders: dict[Path, list[Path]] = {}
    for path in sorted(listed):
        folders.setdefault(path.parent, []).append(path)
    for where, paths in folders.items():
        try:  # a folder is read once (its files' parents resolved together)
            batch = load_many(str(where), scenario_root())
        except SimError:
            batch = []
            for path in paths:
                try:
                    batch += load_many(str(path), scenario_root())
                except SimError:
                    continue  # a parent file (extends) that is not a scenario of its own
        for loaded in batch:
            if loaded.path.resolve() in listed:
                found.setdefault(loaded.scenario.name, loaded)
    absent = [name for name in wanted if name not in found]
    if absent:
        raise InputError(
            f"{display_path(folder)}: scenario {', '.join(absent)}: no file listed in the "
            "manifest defines it now"
        )
    scenarios = [found[name] for name in wanted]
    return _views(result, table, scenarios, recorded, None)


def _stored_scenarios(folder: Path, wanted: list[str]) -> list[LoadedScenario] | None:
    """The scenarios as the run analysed them (``scenarios/<name>.yaml``, written by
    :func:`sim.runs.run.run_scenarios`), or None for a run folder made before they were kept."""
    from sim.model.resolve import RawScenario
    from sim.model.yamlio import read_yaml

    where = folder / "scenarios"
    if not where.is_dir():
        return None
    out = []
    for name in wanted:
        path = where / f"{name}.yaml"
        if not path.is_file():
            raise InputError(f"{display_path(path)}: missing from the run folder")
        document, _ = read_yaml(path)
        if not isinstance(document, dict):
            raise InputError(f"{display_path(path)}: not a scenario document")
        out.append(RawScenario(document, path, (path,), {}).with_overrides({}))
    return out


def _views(
    result: RunResult,
    table: RunTable,
    scenarios: list[LoadedScenario],
    recorded: tuple[tuple[str, str, str], ...],
    stored: dict[str, Outcome] | None,
) -> RunSource:
    """The run's scenarios with their outcomes as the run stored them (``stored``: read from
    ``analysis.json``, checked against the manifest's sha256 when the folder was opened), each
    scenario compiled for the figures that draw its space. Without them (a folder made before
    outcomes were stored, or whose stored scenarios are gone, so that only the scenario files
    are left to draw from) the scenarios are analysed again, and the report says so."""
    from sim.compile import compile_problem
    from sim.figures.chart import names_of

    folder, manifest = result.folder, result.manifest
    notes: tuple[str, ...] = ()
    if stored is None and (folder / ANALYSIS).is_file():
        notes = (
            "the outcomes this run stored were not used (its stored scenarios are gone, or they "
            "are in another version's form): the scenarios were analysed again",
        )
    elif stored is None:
        notes = (
            "this run folder was made before outcomes were stored in it: its scenarios were "
            "analysed again",
        )
    views = []
    for loaded in scenarios:
        problem = compile_problem(loaded.scenario)
        name = loaded.scenario.name
        if stored is None:
            from sim.analysis.analyse import AnalysisOptions, analyse_scenario

            limit = manifest.get("frontier_limit")
            options = AnalysisOptions(frontier_limit=limit if isinstance(limit, int) else None)
            outcome = analyse_scenario(loaded, options, problem)
        elif name in stored:
            outcome = stored[name]
        else:
            raise InputError(f"{display_path(folder / ANALYSIS)}: no outcome of {name}")
        views.append(ScenarioView(loaded, problem, outcome, names_of(loaded.scenario)))
    return RunSource(
        "run",
        folder,
        manifest,
        tuple(table.rows),
        table.keys,
        tuple(views),
        changed=result.changed,
        notes=notes,
        inputs=recorded,
    )


def open_comparison(a: Path, b: Path, *, allow_changed_inputs: bool = False) -> RunSource:
    """Two runs and what differs between their outcome tables."""
    from sim.runs.compare import compare_runs

    first = read_source(a, allow_changed_inputs=allow_changed_inputs)
    second = read_source(b, allow_changed_inputs=allow_changed_inputs)
    if first.kind == "uncertainty" or second.kind == "uncertainty":
        raise InputError(
            f"{display_path(a if first.kind == 'uncertainty' else b)}: an uncertainty run has "
            "no outcome table to compare; compare runs or sweeps"
        )
    comparison = compare_runs(a, b)
    return RunSource(
        "compare",
        a,
        first.manifest,
        comparison=comparison,
        other=second,
        scenarios=first.scenarios,
        inputs=first.inputs,
        changed=first.changed + second.changed,
        notes=first.notes + second.notes,
    )

"""Figures of runs, sweeps, uncertainty runs and comparisons (matplotlib, imported lazily).

Every figure kind is declared once in :data:`FIGURES`: its name, title, the run kinds it
applies to and its builder, which returns one :class:`~sim.figures.chart.Chart` per scenario
(or one for the whole run). ``sim plot`` and the reports find kinds only here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim.errors import InputError

if TYPE_CHECKING:
    from sim.figures.chart import Chart, Names
    from sim.figures.sources import RunSource, ScenarioView


@dataclass(frozen=True)
class FigureOptions:
    """What to draw: one scenario (None: each), and the sweep metric."""

    scenario: str | None = None
    metric: str | None = None


RUN_SECTIONS = ("overview", "solutions", "proposals", "bargaining", "talks", "games")
"""The sections of a scenario in a run's report, in order; a figure kind of runs names the one
it follows (``after``)."""


def _always(view: ScenarioView) -> bool:
    return True


@dataclass(frozen=True)
class FigureKind:
    """A figure kind: its name, title, the run kinds it applies to and its builder; for runs,
    the report section it follows and whether a scenario shows it (e.g. no zone figure
    without a zone)."""

    name: str
    title: str
    applies_to: tuple[str, ...]
    build: Callable[[RunSource, FigureOptions], list[Chart]]
    after: str = "games"
    shown: Callable[[ScenarioView], bool] = _always


def _views(source: RunSource, options: FigureOptions) -> list[ScenarioView]:
    views = list(source.scenarios)
    if options.scenario is not None:
        views = [v for v in views if v.outcome.scenario == options.scenario]
        if not views:
            known = ", ".join(v.outcome.scenario for v in source.scenarios)
            raise InputError(f"--scenario: unknown scenario {options.scenario!r} (known: {known})")
    return views


def _space(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.space import space_chart

    return [space_chart(v.outcome, v.problem, v.names) for v in _views(source, options)]


def _zone(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.zone import best_options, zone_chart

    charts = []
    for view in _views(source, options):
        problem = view.problem
        tables = {}
        if problem.source_issues is None:
            tables = dict(zip(problem.issues, problem.tables, strict=True))
        best = best_options(view.outcome, tables)
        charts.append(zone_chart(view.outcome, view.names, best))
    return charts


def _timeline(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.timeline import timeline_chart

    return [timeline_chart(v.outcome, v.names) for v in _views(source, options)]


def _screened(view: ScenarioView) -> bool:
    """Whether a scenario has a side whose value of fighting on is private (``war.private``
    naming a side, docs/strategic.md): with complete information every protocol agrees at once
    or never, which the text says without a figure."""
    talks = view.outcome.talks
    return talks is not None and any(p.information != "complete" for p in talks.protocols)


def _agreement(source: RunSource, options: FigureOptions) -> list[Chart]:
    """Only the scenarios with private information (:func:`_screened`)."""
    from sim.figures.agreement import agreement_chart

    charts = []
    for view in _views(source, options):
        if _screened(view) and view.outcome.talks is not None:
            charts.append(agreement_chart(view.outcome.title, view.outcome.talks, view.names))
    return charts


def _games(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.games import games_chart

    return [games_chart(v.outcome, v.names) for v in _views(source, options)]


def _sweep(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.sweep import DEFAULT_METRIC, column_words, sweep_chart

    metric = options.metric or DEFAULT_METRIC
    document = (source.manifest.get("base") or {}).get("document") or {}
    columns = [*source.keys, *(source.rows[0] if source.rows else {})]
    words = column_words(document if isinstance(document, dict) else {}, columns)
    return [sweep_chart(source.rows, source.keys, metric, source.title, words)]


def _uncertainty(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.chart import NO_NAMES
    from sim.figures.uncertainty import uncertainty_chart

    if source.summary is None:
        raise InputError(f"{source.folder}: summary.json: not available in this run")
    scenarios = dict(source.summary.scenarios)
    if options.scenario is not None:
        if options.scenario not in scenarios:
            raise InputError(
                f"--scenario: unknown scenario {options.scenario!r} (known: {', '.join(scenarios)})"
            )
        scenarios = {options.scenario: scenarios[options.scenario]}
    known = _scenario_names(source)
    return [
        uncertainty_chart(name, summary, *known.get(name, (NO_NAMES, None)))
        for name, summary in scenarios.items()
    ]


def _scenario_names(source: RunSource) -> dict[str, tuple[Names, str | None]]:
    """The titles of the scenarios a run read (its manifest's scenario files, as they are
    now), by scenario name; a file that no longer loads gives none (ids are shown)."""
    from sim.errors import SimError
    from sim.figures.chart import names_of
    from sim.model import load_many
    from sim.model.catalog import scenario_root

    out: dict[str, tuple[Names, str | None]] = {}
    for entry in source.manifest.get("scenario_files") or []:
        path = entry.get("absolute") or entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not Path(path).is_file():
            continue
        try:
            loaded = load_many(path, scenario_root())
        except SimError:
            continue
        for item in loaded:
            out.setdefault(item.scenario.name, (names_of(item.scenario), item.scenario.title))
    return out


def _compare(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.compare import compare_chart

    assert source.comparison is not None
    return [compare_chart(source.comparison)]


def _spatial(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.spatial import spatial_chart

    results = list(source.spatial)
    if options.scenario is not None:
        results = [r for r in results if r.scenario == options.scenario]
        if not results:
            known = ", ".join(r.scenario for r in source.spatial)
            raise InputError(f"--scenario: unknown scenario {options.scenario!r} (known: {known})")
    return [spatial_chart(r) for r in results]


def _negotiation(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.chart import NO_NAMES
    from sim.figures.negotiation import negotiation_chart

    known = _scenario_names(source)
    return [
        negotiation_chart(n, known.get(n.scenario, (NO_NAMES, None))[0])
        for n in source.negotiations
    ]


def _tournament(source: RunSource, options: FigureOptions) -> list[Chart]:
    from sim.figures.negotiation import tournament_chart

    assert source.tournament is not None
    return [tournament_chart(source.tournament)]


RUN = ("run",)

FIGURES: tuple[FigureKind, ...] = (
    FigureKind(
        "space", "the bargaining space of each pair of veto parties", RUN, _space, "overview"
    ),
    FigureKind(
        "zone",
        "the zone of agreement by issue",
        RUN,
        _zone,
        "solutions",
        lambda view: view.outcome.space.acceptable > 0,
    ),
    FigureKind("timeline", "bargaining over time", RUN, _timeline, "bargaining"),
    FigureKind(
        "agreement",
        "the probability of agreement by month (a side's value private: war.private)",
        RUN,
        _agreement,
        "talks",
        _screened,
    ),
    FigureKind("games", "the games' payoff tables with their equilibria", RUN, _games, "games"),
    FigureKind("sweep", "a metric over the sweep's keys", ("sweep",), _sweep),
    FigureKind("uncertainty", "how sure each headline is", ("uncertainty",), _uncertainty),
    FigureKind("compare", "what changed between two runs", ("compare",), _compare),
    FigureKind("spatial", "positions by round and the forecast", ("spatial",), _spatial),
    FigureKind(
        "negotiation", "offers in utility space and over time", ("negotiation",), _negotiation
    ),
    FigureKind("tournament", "each agent's record in a tournament", ("tournament",), _tournament),
)


def figure_kind(name: str) -> FigureKind:
    """The figure kind called ``name``.

    Raises
    ------
    InputError
        No such kind (the message lists the known ones).
    """
    for kind in FIGURES:
        if kind.name == name:
            return kind
    known = ", ".join(k.name for k in FIGURES)
    raise InputError(f"KIND: unknown figure kind {name!r} (known: {known})")


def kinds_for(run_kind: str) -> tuple[FigureKind, ...]:
    """The figure kinds that apply to a run kind, in declaration order."""
    return tuple(k for k in FIGURES if run_kind in k.applies_to)


def build_figures(
    source: RunSource, name: str, options: FigureOptions = FigureOptions()
) -> list[Chart]:
    """The charts of one kind for a run (one per scenario, or one for the run).

    Raises
    ------
    InputError
        An unknown kind, or one that does not apply to this run's kind.
    """
    kind = figure_kind(name)
    if source.kind not in kind.applies_to:
        usable = ", ".join(k.name for k in kinds_for(source.kind))
        raise InputError(
            f"KIND: {name!r} does not apply to a {source.kind} (for a {source.kind}: {usable})"
        )
    return kind.build(source, options)


def figure(
    run: str | Path,
    kind: str,
    *,
    scenario: str | None = None,
    metric: str | None = None,
    run_b: str | Path | None = None,
    allow_changed_inputs: bool = False,
) -> Chart:
    """One figure of a run folder (``kind="compare"``: of ``run`` against ``run_b``), as
    ``sim plot`` draws it; ``chart.figure`` is the :class:`matplotlib.figure.Figure`.

    Raises
    ------
    InputError
        Not a run folder, an unknown kind, scenario or metric, or a run of several scenarios
        without ``scenario``.
    """
    from sim.figures.sources import open_comparison, read_source

    chosen = figure_kind(kind)
    if chosen.name == "compare":
        if run_b is None:
            raise InputError("compare: give two run folders")
        source = open_comparison(Path(run), Path(run_b), allow_changed_inputs=allow_changed_inputs)
    else:
        if run_b is not None:
            raise InputError(f"KIND: {kind!r} draws one run; only 'compare' takes two")
        source = read_source(Path(run), allow_changed_inputs=allow_changed_inputs)
    charts = build_figures(source, chosen.name, FigureOptions(scenario, metric))
    if len(charts) != 1:
        known = ", ".join(source.scenario_names())
        raise InputError(
            f"--scenario: the run has {len(charts)} scenarios; name one (known: {known})"
        )
    return charts[0]

"""The content of a report, independent of its format: sections of headings, paragraphs,
tables and figures built from typed outcomes and run folders. :mod:`sim.report.html` and
:mod:`sim.report.markdown` render it; every text here is plain (they escape it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim.errors import display_path
from sim.report.blocks import Block, FigureBlock, Heading, Items, Page, Paragraph, Table
from sim.report.blocks import number_text as _num
from sim.report.html import render_html
from sim.report.markdown import figure_folder, render_markdown

if TYPE_CHECKING:
    from sim.analysis.outcome import Outcome
    from sim.figures.chart import Chart, Names
    from sim.figures.sources import RunSource, ScenarioView
    from sim.montecarlo.document import Document, Spread, UncertaintySummary, ZoneValue


def build_page(source: RunSource, odds: RunSource | None = None) -> Page:
    """The report of a run folder of any kind (or of two runs compared): what it found
    first, the provenance (what was run, the input files and their hashes) last. ``odds`` is
    an uncertainty run of the same scenarios given beside a run: its stored summary adds the
    odds to the run's report."""
    title = source.title
    if source.kind == "compare" and source.other is not None:
        title = f"Comparison: {source.folder.name} -> {source.other.folder.name}"
    blocks: list[Block] = [Heading(1, title)]
    warnings = list(source.changed)
    for line in source.changed:
        blocks.append(
            Paragraph(
                f"Input {line}: this report describes the file as it is now, not as it was "
                "when the run was made.",
                warning=True,
            )
        )
    for note in source.notes:
        blocks.append(Paragraph(note, warning=True))
    if source.kind == "run":
        blocks += _run_blocks(source, odds.summary if odds is not None else None)
    elif source.kind == "sweep":
        blocks += _sweep_blocks(source)
    elif source.kind == "uncertainty":
        blocks += _uncertainty_blocks(source)
    elif source.kind == "compare":
        blocks += _compare_blocks(source)
    elif source.kind == "spatial":
        from sim.report.spatial_page import spatial_blocks

        blocks += spatial_blocks(source)
    elif source.kind in ("negotiation", "tournament"):
        from sim.report.agents_page import agents_blocks

        blocks += agents_blocks(source)
    blocks.append(Heading(2, "What was run", "provenance"))
    if source.kind == "compare" and source.other is not None:
        blocks += [Heading(3, f"Run A: {display_path(source.folder)}")]
        blocks += _manifest_blocks(source, heading=False)
        blocks += [Heading(3, f"Run B: {display_path(source.other.folder)}")]
        blocks += _manifest_blocks(source.other, heading=False)
    elif odds is not None:
        blocks += [Heading(3, f"The run: {display_path(source.folder)}")]
        blocks += _manifest_blocks(source, heading=False)
        blocks += [Heading(3, f"The uncertainty run: {display_path(odds.folder)}")]
        blocks += _manifest_blocks(odds, heading=False)
    else:
        blocks += _manifest_blocks(source, heading=False)
    return Page(title, tuple(blocks), tuple(warnings))


def _manifest_blocks(source: RunSource, heading: bool = True) -> list[Block]:
    m = source.manifest
    rows = [
        ("run folder", display_path(source.folder)),
        ("kind", str(m.get("kind", "?"))),
        ("command", " ".join(str(c) for c in m.get("command") or [])),
        ("status", str(m.get("status", "?"))),
        ("started", str(m.get("started", ""))),
        ("finished", str(m.get("finished", ""))),
        ("seed", str(m.get("seed", ""))),
        *([("draws", str(m["draws"]))] if "draws" in m else []),
        ("scenarios commit", str(m.get("scenarios_commit") or "not recorded")),
        (
            "versions",
            ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items()) or "not recorded",
        ),
    ]
    if m.get("error"):
        rows.append(("error", str(m["error"])))
    blocks: list[Block] = [Heading(2, "What was run")] if heading else []
    blocks.append(Table(("field", "value"), tuple(rows)))
    if source.inputs:
        blocks.append(
            Table(
                ("input file", "sha256 recorded", "now"),
                tuple((p, h, s) for p, h, s in source.inputs),
                marked=tuple(i for i, (_, _, s) in enumerate(source.inputs) if s != "unchanged"),
            )
        )
    return blocks


# --- runs ---------------------------------------------------------------------------------


def headline(outcome: Outcome) -> str:
    """One sentence: the zone, the Nash settlement and the bargaining result."""
    space = outcome.space
    estimate = "" if space.exact else " (estimated)"
    if space.acceptable == 0:
        text = (
            f"No bundle is acceptable to every veto party ({space.feasible:,} of "
            f"{space.bundles:,} bundles are feasible): no settlement exists."
        )
    else:
        text = (
            f"{space.acceptable:,}{estimate} of {space.bundles:,} bundles ({space.share:.2%}) are "
            f"acceptable to every veto party; the frontier has {outcome.frontier_size:,}."
        )
    agreed = outcome.agreements
    if agreed:
        text += (
            " "
            + "; ".join(f"{r.title}: agreement in period {r.agreement_period}" for r in agreed)
            + "."
        )
    elif outcome.bargaining.results:
        horizon = outcome.bargaining.horizon
        text += f" No bargaining protocol reaches agreement within {horizon} periods."
    return text


def _run_blocks(source: RunSource, summary: UncertaintySummary | None = None) -> list[Block]:
    from sim.figures import RUN_SECTIONS, FigureOptions, kinds_for
    from sim.report.case import (
        across_blocks,
        across_chart,
        reference,
        stored_mismatches,
        summary_blocks,
    )
    from sim.report.evidence import shared_evidence_blocks
    from sim.report.talks import talks_lines

    views = list(source.scenarios)
    blocks: list[Block] = [
        Paragraph(line, warning=True) for line in stored_mismatches(source.folder, views)
    ]
    if len(views) > 1:
        blocks += summary_blocks(views, summary, across_chart(views, summary))
        blocks += across_blocks(views, summary)
    elif views:  # one scenario: its space is the figure, in its section below
        blocks += summary_blocks(views, summary, None)
    if summary is not None:
        from sim.report.odds import odds_blocks

        blocks += odds_blocks(summary)
    kinds = kinds_for("run")
    for view in source.scenarios:
        outcome = view.outcome
        blocks.append(Heading(2, f"{outcome.scenario}: {outcome.title}", outcome.scenario))
        if view.loaded.scenario.description:
            blocks.append(Paragraph(view.loaded.scenario.description))
        blocks.append(Paragraph(headline(outcome)))
        blocks.append(
            Paragraph(
                "Reservation values (what each veto party gets without a deal): "
                + ", ".join(
                    f"{view.names.party(p)} {_num(v)}"
                    for p, v in zip(outcome.judges, outcome.reservations, strict=True)
                )
                + ". The evidence behind them:",
                links=tuple((view.names.party(p), f"evidence-{p}") for p in outcome.judges),
            )
        )
        options = FigureOptions(scenario=outcome.scenario)
        figures: dict[str, list[Block]] = {section: [] for section in RUN_SECTIONS}
        left: list[str] = []
        for kind in kinds:
            if not kind.shown(view):
                continue
            if _drawn(kind.name, view, views):
                figures[kind.after] += _figure(kind.build(source, options)[0], outcome.scenario)
            else:
                left.append(kind.name)
        if left:
            figures["games"].append(
                Paragraph(
                    f"Not drawn here, to keep the report of {len(views)} scenarios short: the "
                    f"{' and '.join(left)} figure{'s' if len(left) > 1 else ''} (as in "
                    f"{reference(views).outcome.scenario}; sim plot RUN {left[0]} --scenario "
                    f"{outcome.scenario})."
                )
            )
        blocks += figures["overview"]
        blocks += _solutions(outcome, view.names) + figures["solutions"]
        blocks += _proposals(outcome, view.names) + figures["proposals"]
        blocks += _bargaining(outcome, view.names) + figures["bargaining"]
        if outcome.talks is not None:
            blocks += [Heading(3, "Why talks fail")]
            blocks += [Paragraph(line) for line in talks_lines(outcome.talks)]
        blocks += figures["talks"]
        blocks += _games(outcome, view.names) + figures["games"]
    blocks += shared_evidence_blocks(views)
    return blocks


SHORT_KINDS = ("timeline", "games")
"""Figure kinds a report of several scenarios draws for the reference scenario only (and the
timeline where bargaining does not agree at once): with seven scenarios they would double
the report's size and repeat one picture."""


def _drawn(kind: str, view: ScenarioView, views: list[ScenarioView]) -> bool:
    """Whether the report draws a figure kind for a scenario (see :data:`SHORT_KINDS`)."""
    from sim.report.case import reference

    if len(views) == 1 or kind not in SHORT_KINDS or view is reference(views):
        return True
    results = view.outcome.bargaining.results
    return kind == "timeline" and any(r.agreement_period != 0 for r in results)


def _figure(chart: Chart, scenario: str) -> list[Block]:
    return [FigureBlock(chart, f"{scenario}-{chart.kind}")]


def _solutions(outcome: Outcome, names: Names) -> list[Block]:
    present = [s for s in outcome.solutions if s.point is not None]
    blocks: list[Block] = [Heading(3, "The solutions side by side")]
    if not present:
        blocks.append(Paragraph("No bundle is acceptable to every veto party: no solution exists."))
        return blocks
    terms = [s.point.bundle.as_dict() for s in present if s.point is not None]
    rows = [(names.issue(issue), *[t.get(issue, "") for t in terms]) for issue, _ in outcome.issues]
    rows += [
        (f"utility of {names.party(p)}", *[_num(s.point.utilities[j]) for s in present if s.point])
        for j, p in enumerate(outcome.parties)
    ]
    rows.append(("bundle index", *[str(s.point.bundle.index) for s in present if s.point]))
    if outcome.consent_parties:
        rows.append(
            (
                "needs the consent of",
                *[
                    ", ".join(names.party(p) for p in s.point.consent) or "-"
                    for s in present
                    if s.point
                ],
            )
        )
    blocks.append(Table(("issue", *[s.rule.label for s in present]), tuple(rows)))
    absent = [s.rule.label for s in outcome.solutions if s.point is None]
    if absent:
        blocks.append(Paragraph("Not defined here: " + ", ".join(absent) + "."))
    return blocks


def _proposals(outcome: Outcome, names: Names) -> list[Block]:
    if not outcome.proposals:
        return []
    rows = []
    for proposal in outcome.proposals:
        verdict = proposal.verdict
        if proposal.rejected_by:
            verdict += " by " + ", ".join(names.party(p) for p in proposal.rejected_by)
        stances = "; ".join(
            f"{names.party(s.party)}{'' if s.veto else ' (no veto)'}: {s.verdict.value}"
            f" ({_range(s.utility_low, s.utility_high)}) {s.reason}".strip()
            for s in proposal.stances
        )
        rows.append((proposal.id, proposal.title, verdict, stances))
    return [
        Heading(3, "The named proposals"),
        Table(("proposal", "title", "verdict", "each party"), tuple(rows)),
    ]


def _range(low: float, high: float) -> str:
    return f"utility {low:.3f}" if abs(high - low) < 1e-9 else f"utility {low:.3f} to {high:.3f}"


def _bargaining(outcome: Outcome, names: Names) -> list[Block]:
    from sim.report.outcome_text import why_no_deal_now

    bargaining = outcome.bargaining
    items = []
    for r in bargaining.results:
        if r.agreed is None:
            line = f"{r.title}: no agreement within {bargaining.horizon} periods."
        else:
            line = (
                f"{r.title}: agreement in period {r.agreement_period} on bundle {r.agreed.index} "
                f"({r.agreed.words()})."
            )
        if r.agreement_period != 0 and r.path:
            line += " Why not at once: " + why_no_deal_now(r, r.path[0]) + "."
        items.append(line)
    items += list(bargaining.notes)
    return [Heading(3, "Bargaining over time"), Items(tuple(items))] if items else []


def _games(outcome: Outcome, names: Names) -> list[Block]:
    from sim.report.outcome_text import bargaining_lines, game_lines, solution_references

    references = solution_references(outcome)
    seen: dict[int, str] = {}
    bargaining_lines(outcome, seen, references)  # how the agreements named their bundles
    lines = game_lines(outcome, seen, references, wrap=False)
    return [Heading(3, "The games"), Items(tuple(lines))] if lines else []


# --- evidence -----------------------------------------------------------------------------


# --- sweeps, uncertainty, comparisons -------------------------------------------------------


def sweep_metrics(source: RunSource) -> list[str]:
    """The metrics a sweep report draws: the zone, the Nash utilities, agreement periods."""
    from sim.figures.sweep import known_metrics

    known = known_metrics(source.rows, source.keys)
    chosen: list[str] = [m for m in ("zopa_share", "acceptable") if m in known]
    chosen += [m for m in known if m.startswith("nash_") and m != "nash_bundle"][:2]
    chosen += [m for m in known if m.endswith("_period")][:3]
    chosen += [m for m in known if m.startswith("forecast_")][:3]  # spatial sweeps
    return chosen


def _sweep_blocks(source: RunSource) -> list[Block]:
    from sim.figures import FigureOptions, build_figures

    plan = source.manifest.get("plan") or {}
    rows = source.rows
    failed = [r for r in rows if r.get("error")]
    blocks: list[Block] = [
        Heading(2, "The sweep"),
        Paragraph(
            f"{len(rows)} points over {', '.join(plan.get('paths') or source.keys)}; "
            f"{len(failed)} failed."
        ),
    ]
    from sim.report.sweep_page import sweep_result_blocks

    results, varying = sweep_result_blocks(source, sweep_metrics(source))
    blocks += results
    for metric in varying:
        (chart,) = build_figures(source, "sweep", FigureOptions(metric=metric))
        blocks.append(FigureBlock(chart, f"sweep-{metric}"))
    if failed:
        keys = list(source.keys)
        blocks.append(Heading(3, "Failed points"))
        blocks.append(
            Table(
                ("point", *keys, "error"),
                tuple(
                    (r.get("point", ""), *[r.get(k, "") for k in keys], r["error"]) for r in failed
                ),
                marked=tuple(range(len(failed))),
            )
        )
    return blocks


def _zone_value_blocks(value: ZoneValue | None) -> list[Block]:
    """What the zone is worth in utilities: the joint surplus and each party's reservation and
    range inside the zone (medians over the draws with a zone, with their 5-95% ranges)."""
    if value is None or value.surplus_given_zone.quantiles is None:
        return []

    def spread(entry: Spread) -> str:
        q = entry.quantiles
        if q is None:
            return "no draw"
        return f"{q['0.5']:.2f} ({q['0.05']:.2f} to {q['0.95']:.2f})"

    return [
        Paragraph(
            "What the zone is worth, in utilities (0 to 1 for each party): the best joint "
            "surplus above the veto parties' reservations is "
            f"{spread(value.surplus_given_zone)} in the draws with a zone (median, 5% to "
            f"95%); {value.surplus.mean:.3f} on average over every draw, a draw without "
            "a zone counting 0."
        ),
        Table(
            ("party", "reservation", "least in the zone", "most in the zone"),
            tuple(
                (
                    party + ("" if e.veto else " (consent)"),
                    spread(e.reservation),
                    spread(e.low),
                    spread(e.high),
                )
                for party, e in value.parties.items()
            ),
        ),
    ]


def _structure_blocks(name: str, mix: Document) -> list[Block]:
    """A scenario's structures: each with its weight, and every conclusion per structure and
    mixed over the weights, those that depend on the structure first."""
    declared = mix["structures"]
    measures, depends = mix["measures"], mix["depends_on_structure"]
    order = [*depends, *(m for m in measures if m not in depends)]
    lead = (
        f"{len(depends)} of {len(measures)} conclusions hold (in at least half of the draws) "
        "in some structure and not in another; they come first."
        if depends
        else "No conclusion changes with the structure."
    )
    return [
        Heading(2, f"Structures of {name}", f"structures-{name}"),
        Paragraph(
            "Each structure is another reading of the documents, analysed as its own scenario "
            "with the same draws of the judgments they share; the mixed share weighs them by "
            f"their prior weights. {lead}"
        ),
        Table(
            ("structure", "weight", "reading", "analysed as"),
            tuple(
                (key, f"{e['weight']:g}", e.get("title") or "", e["scenario"])
                for key, e in declared.items()
            ),
        ),
        Table(
            ("conclusion", "mixed (95% interval)", *declared),
            tuple(
                (
                    ("* " if key in depends else "") + measures[key]["title"],
                    f"{measures[key]['mixed']['p']:.1%} ({measures[key]['mixed']['ci'][0]:.1%} "
                    f"to {measures[key]['mixed']['ci'][1]:.1%})",
                    *(f"{measures[key]['by_structure'][s]:.1%}" for s in declared),
                )
                for key in order
            ),
        ),
    ]


def _uncertainty_blocks(source: RunSource) -> list[Block]:
    from sim.figures import FigureOptions, build_figures
    from sim.figures.uncertainty import headline_probabilities

    summary = source.summary
    if summary is None:
        return [Paragraph("summary.json: not available in this run.", warning=True)]
    from sim.report.odds import odds_blocks

    blocks: list[Block] = [
        Heading(2, "In brief", "in-brief"),
        Paragraph(
            f"{summary.draws} draws per scenario, seed {summary.seed}: "
            "each conclusion below with how often it holds, every paired difference between a "
            "variant and its parent with its interval, and the judgments that decide each "
            "answer (read from the run's summary.json, not re-sampled)."
        ),
    ]
    if summary.notes:
        blocks.append(Items(summary.notes))
    for name, mix in summary.structures.items():  # the mixed answers first
        blocks += _structure_blocks(name, mix)
    blocks += odds_blocks(summary)
    for name, scenario in summary.scenarios.items():
        blocks.append(Heading(2, f"Scenario {name}", name))
        (chart,) = build_figures(source, "uncertainty", FigureOptions(scenario=name))
        blocks.append(FigureBlock(chart, f"{name}-uncertainty"))
        blocks += _zone_value_blocks(scenario.zone_value)
        heads = headline_probabilities(scenario)
        blocks.append(
            Table(
                ("headline", "probability", "95% interval"),
                tuple((h[0], f"{h[1]:.1%}", f"{h[2]:.1%} to {h[3]:.1%}") for h in heads),
            )
        )
        if scenario.talks is not None and scenario.talks.draws:
            from sim.report.uncertainty_text import talks_summary_lines

            blocks.append(Heading(3, "Why talks fail"))
            blocks += [Paragraph(line) for line in talks_summary_lines(scenario.talks)]
        versus = scenario.versus_parent
        if versus is not None:
            diff = versus.zone
            blocks.append(
                Paragraph(
                    f"Against its parent {versus.parent}: the chance of a zone changes by "
                    f"{diff.difference:+.1%} (95% interval {diff.low:+.1%} to "
                    f"{diff.high:+.1%}), paired over the same draws."
                )
            )
        if scenario.top_bundles:
            blocks.append(
                Table(
                    ("bundle", "acceptable in", "terms"),
                    tuple(
                        (str(t.index), f"{t.p_acceptable:.1%}", t.words)
                        for t in scenario.top_bundles
                    ),
                    caption="The bundles most often acceptable to every veto party",
                )
            )
    return blocks


def _compare_blocks(source: RunSource) -> list[Block]:
    from sim.figures import build_figures

    comparison = source.comparison
    assert comparison is not None
    (chart,) = build_figures(source, "compare")
    from sim.report.compare_page import lead_blocks

    blocks: list[Block] = [
        *lead_blocks(source),
        Heading(2, "Every value that changed", "changes"),
        FigureBlock(chart, "compare"),
    ]
    if comparison.changes:
        blocks.append(
            Table(
                (*comparison.keys, "column", "run A", "run B"),
                tuple((*c.key, c.column, _cell(c.old), _cell(c.new)) for c in comparison.changes),
            )
        )
    for label, keys in (("only in run A", comparison.only_a), ("only in run B", comparison.only_b)):
        if keys:
            blocks.append(Paragraph(f"Rows {label}: " + "; ".join(" / ".join(k) for k in keys)))
    for label, columns in (
        ("only in run A", comparison.columns_only_a),
        ("only in run B", comparison.columns_only_b),
    ):
        if columns:
            blocks.append(Paragraph(f"Columns {label}: " + ", ".join(columns)))
    return blocks


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


@dataclass(frozen=True)
class ReportFormat:
    """A report format: ``render(page, out)`` gives every file to write (path -> content),
    the document at ``out`` among them; ``suffixes`` are its file names' extensions (the
    first is the default report's), by which an output's name chooses its format."""

    name: str
    render: Callable[[Page, Path], dict[Path, str | bytes]]
    suffixes: tuple[str, ...]


def _html_files(page: Page, out: Path) -> dict[Path, str | bytes]:
    return {out: render_html(page)}


def _markdown_files(page: Page, out: Path) -> dict[Path, str | bytes]:
    text, figures = render_markdown(page, figure_folder(out).name)
    return {out: text, **{out.parent / name: svg for name, svg in figures.items()}}


FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        ReportFormat("html", _html_files, (".html", ".htm")),
        ReportFormat("markdown", _markdown_files, (".md", ".markdown")),
    )
}
"""The report formats, by ``--format`` name: a new format is a renderer of
:class:`~sim.report.blocks.Page` and its entry here."""

DEFAULT_FORMAT = "html"
"""The format of a report whose name has no known extension and no format given."""


def report_format(out: Path | None, given: str | None) -> str:
    """The format of a report written to ``out``: ``given`` (``--format``: a format's name or
    one of its extensions, ``md``), else the one whose extension ``out`` has, else
    :data:`DEFAULT_FORMAT`.

    Raises
    ------
    InputError
        An unknown format, or one given that another format's extension contradicts (a
        report named ``.md`` written as HTML would be misread).

    Examples
    --------
    >>> report_format(Path("r.md"), None), report_format(Path("r.txt"), None)
    ('markdown', 'html')
    >>> report_format(None, "md")
    'markdown'
    """
    from sim.errors import InputError

    if given is not None and given not in FORMATS:  # an extension names its format: md
        given = next((f.name for f in FORMATS.values() if f".{given}" in f.suffixes), given)
    if given is not None and given not in FORMATS:
        raise InputError(f"--format: unknown format {given!r} (known: {', '.join(FORMATS)})")
    suffix = "" if out is None else out.suffix.lower()
    named = next((f.name for f in FORMATS.values() if suffix in f.suffixes), None)
    if given is not None and named is not None and named != given:
        assert out is not None
        raise InputError(
            f"--out {display_path(out)}: a {named} file name, but --format {given}; "
            f"name it {out.stem}{FORMATS[given].suffixes[0]} or give --format {named}"
        )
    return given or named or DEFAULT_FORMAT


def write_output(path: Path, content: str | bytes, force: bool) -> None:
    """Write a file atomically (:func:`sim.writing.write_atomic`); an existing one only with
    ``force``, and only a regular file.

    Raises
    ------
    InputError
        The file exists and ``force`` is False, is not a regular file, or cannot be written.
    """
    from sim.writing import write_atomic

    write_atomic(path, content, overwrite=force)


def _kind(folder: Path) -> str | None:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(manifest.get("kind")) if isinstance(manifest, dict) else None


def open_sources(
    runs: list[Path], allow_changed_inputs: bool = False
) -> tuple[RunSource, RunSource | None]:
    """One run folder; two compared; or a run and an uncertainty run of its scenarios (in
    either order), whose odds the run's report then carries. Returns the source and the
    uncertainty run beside it (or None)."""
    from sim.errors import InputError
    from sim.figures.sources import open_comparison, read_source

    if len(runs) == 1:
        return read_source(runs[0], allow_changed_inputs=allow_changed_inputs), None
    if len(runs) == 2:
        kinds = [_kind(r) for r in runs]
        if sorted(k or "" for k in kinds) == ["run", "uncertainty"]:
            run, odds = (runs[0], runs[1]) if kinds[0] == "run" else (runs[1], runs[0])
            source = read_source(run, allow_changed_inputs=allow_changed_inputs)
            beside = read_source(odds, allow_changed_inputs=allow_changed_inputs)
            if beside.summary is None:
                raise InputError(f"{display_path(odds / 'summary.json')}: not available")
            ran = set(source.scenario_names())
            covered = set(beside.scenario_names())
            if not ran & covered:
                raise InputError(
                    f"{display_path(odds)}: the uncertainty run has none of the run's scenarios "
                    f"({', '.join(sorted(ran))})"
                )
            return source, beside
        return (
            open_comparison(runs[0], runs[1], allow_changed_inputs=allow_changed_inputs),
            None,
        )
    raise InputError(f"RUN: give one run folder, or two to compare (got {len(runs)})")


def open_source(runs: list[Path], allow_changed_inputs: bool = False) -> RunSource:
    """One run folder, or two compared (see :func:`open_sources`)."""
    return open_sources(runs, allow_changed_inputs)[0]


def write_report(
    runs: list[Path],
    out: Path,
    *,
    output_format: str | None = None,
    force: bool = False,
    allow_changed_inputs: bool = False,
) -> list[Path]:
    """Write the report of a run (or of two runs compared) to ``out``; returns the files
    written (a Markdown report also writes its figures beside it, in ``<name>_figures/``).
    ``output_format``: ``html`` or ``markdown``; by default the one ``out``'s extension names
    (``.md``: Markdown), else HTML (:func:`report_format`).

    Raises
    ------
    InputError
        An unknown format or one that ``out``'s extension contradicts, a folder that is not a
        run, changed inputs (unless allowed), or an output that exists (unless ``force``).
    """
    from sim.errors import InputError

    output_format = report_format(out, output_format)
    if out.exists() and not force:
        raise InputError(f"{display_path(out)}: exists; give --force to overwrite it")
    page = build_page(*open_sources(runs, allow_changed_inputs))
    files = FORMATS[output_format].render(page, out)
    if not force:
        taken = [target for target in files if target != out and target.exists()]
        if taken:
            raise InputError(f"{display_path(taken[0])}: exists; give --force to overwrite it")
    for target, content in files.items():  # the document itself last: its parts come first
        if target != out:
            write_output(target, content, force)
    write_output(out, files[out], force)
    return [out, *(target for target in files if target != out)]

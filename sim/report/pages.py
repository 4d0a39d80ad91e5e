"""The content of a report, independent of its format: sections of headings, paragraphs,
tables and figures built from typed outcomes and run folders. :mod:`sim.report.html` and
:mod:`sim.report.markdown` render it; every text here is plain (they escape it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import display_path
from sim.report.blocks import Block, FigureBlock, Heading, Items, Page, Paragraph, Table
from sim.report.blocks import number_text as _num
from sim.report.html import render_html
from sim.report.markdown import figure_folder, render_markdown

if TYPE_CHECKING:
    from sim.analysis.outcome import Outcome
    from sim.figures.chart import Chart, Names
    from sim.figures.sources import RunSource, ScenarioView
    from sim.model.schema import Scenario


def build_page(source: RunSource) -> Page:
    """The report of a run folder of any kind (or of two runs compared)."""
    blocks: list[Block] = [Heading(1, source.title)]
    warnings = list(source.changed)
    for line in source.changed:
        blocks.append(
            Paragraph(
                f"Input {line}: this report describes the file as it is now, not as it was "
                "when the run was made.",
                warning=True,
            )
        )
    if source.kind == "compare":
        blocks += [Heading(2, "What was run"), Heading(3, f"Run A: {display_path(source.folder)}")]
        blocks += _manifest_blocks(source, heading=False)
    else:
        blocks += _manifest_blocks(source)
    if source.kind == "compare" and source.other is not None:
        blocks += [Heading(3, f"Run B: {display_path(source.other.folder)}")]
        blocks += _manifest_blocks(source.other, heading=False)
    for note in source.notes:
        blocks.append(Paragraph(note, warning=True))
    if source.kind == "run":
        blocks += _run_blocks(source)
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
    return Page(source.title, tuple(blocks), tuple(warnings))


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


def _run_blocks(source: RunSource) -> list[Block]:
    from sim.figures import RUN_SECTIONS, FigureOptions, kinds_for
    from sim.report.talks import talks_lines

    blocks: list[Block] = [Heading(2, "Headlines")]
    blocks.append(
        Table(
            ("scenario", "title", "headline"),
            tuple(
                (v.outcome.scenario, v.outcome.title, headline(v.outcome)) for v in source.scenarios
            ),
        )
    )
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
                + "."
            )
        )
        options = FigureOptions(scenario=outcome.scenario)
        figures: dict[str, list[Block]] = {section: [] for section in RUN_SECTIONS}
        for kind in kinds:
            if kind.shown(view):
                figures[kind.after] += _figure(kind.build(source, options)[0], outcome.scenario)
        blocks += figures["overview"]
        blocks += _solutions(outcome, view.names) + figures["solutions"]
        blocks += _proposals(outcome, view.names) + figures["proposals"]
        blocks += _bargaining(outcome, view.names) + figures["bargaining"]
        if outcome.talks is not None:
            blocks += [Heading(3, "Why talks fail")]
            blocks += [Paragraph(line) for line in talks_lines(outcome.talks)]
        blocks += figures["talks"]
        blocks += _games(outcome, view.names) + figures["games"]
        blocks += evidence_blocks(view)
    return blocks


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
    from sim.report.outcome_text import strategy_lines

    lines = [
        line
        for line in strategy_lines(outcome)
        if not line.startswith(tuple(r.title for r in outcome.bargaining.results))
        and not line.startswith("  ")
    ]
    return [Heading(3, "The games"), Items(tuple(lines))] if lines else []


# --- evidence -----------------------------------------------------------------------------


def _evidence_text(item: Any, scenario: Scenario) -> tuple[str, bool]:
    """(text, is_assumption) of one evidence entry."""
    if hasattr(item, "assumption"):
        return str(item.assumption), True
    source = scenario.sources.get(item.source)
    where = item.source
    if source is not None:
        bits = [b for b in (source.title, source.outlet, str(source.date or "") or None) if b]
        where = f"{item.source}: " + ", ".join(str(b) for b in bits)
    return f"“{item.quote}” ({where})", False


def evidence_blocks(view: ScenarioView) -> list[Block]:
    """For every party the evidence behind each number, and the assumptions listed apart."""
    scenario = view.loaded.scenario
    names = view.names
    assumptions: list[str] = []
    blocks: list[Block] = [Heading(3, "The evidence behind each number")]

    def cite(items: list[Any], where: str) -> str:
        texts = []
        for item in items:
            text, assumed = _evidence_text(item, scenario)
            if assumed:
                assumptions.append(f"{where}: {text}")
                texts.append(f"[assumption] {text}")
            else:
                texts.append(text)
        return " · ".join(texts) or "no evidence given"

    for key, party in scenario.parties.items():
        rows = []
        for issue, weight in party.weights.items():
            values = ", ".join(f"{o} {v:g}" for o, v in party.values.get(issue, {}).items())
            rows.append(
                (
                    names.issue(issue),
                    f"{weight:g}",
                    values,
                    cite(list(party.evidence.get(issue, [])), f"{names.party(key)}, {issue}"),
                )
            )
        for line in party.red_lines:
            rows.append(
                (
                    f"red line: {line.issue}",
                    "",
                    ", ".join(line.options),
                    cite(list(line.evidence), f"{names.party(key)}, red line on {line.issue}"),
                )
            )
        for interaction in party.interactions:
            when = ", ".join(f"{i}={o}" for i, o in interaction.when.items())
            rows.append(
                (
                    f"together: {when}",
                    "",
                    f"{interaction.value:+g}",
                    cite(list(interaction.evidence), f"{names.party(key)}, {when}"),
                )
            )
        if party.consent is not None:
            rows.append(
                (
                    "consent",
                    "",
                    ", ".join(party.consent.terms),
                    cite(list(party.consent.evidence), f"{names.party(key)}, consent"),
                )
            )
        if party.reservation is not None:
            rows.append(
                (
                    "reservation",
                    "",
                    _plain(party.reservation),
                    cite(
                        list(party.evidence.get("reservation", [])),
                        f"{names.party(key)}, reservation",
                    ),
                )
            )
        shown = {*party.weights, "reservation"} if party.reservation is not None else party.weights
        other = [(i, items) for i, items in party.evidence.items() if i not in shown]
        for topic, items in other:
            rows.append((topic, "", "", cite(list(items), f"{names.party(key)}, {topic}")))
        veto = (
            "veto party"
            if party.veto
            else "no veto" + ("; consent over what it delivers" if party.consent else "")
        )
        blocks.append(Heading(4, f"{names.party(key)} ({veto}, discount {party.discount:g})"))
        if rows:
            blocks.append(Table(("issue", "weight", "values", "evidence"), tuple(rows)))
        else:
            blocks.append(Paragraph("No weights or evidence given."))
    extra = []
    for lever_key, lever in scenario.levers.items():
        extra.append(
            (
                f"lever {lever_key}",
                f"{lever.value:g}",
                lever.title or "",
                cite(list(lever.evidence), f"lever {lever_key}"),
            )
        )
    if scenario.war is not None:
        war = scenario.war
        extra.append(
            (
                "war",
                f"horizon {war.horizon}",
                war.title or "",
                cite(list(war.evidence), "war model"),
            )
        )
    for pid, proposal in scenario.proposals.items():
        extra.append(
            ("proposal " + pid, "", proposal.title or "", cite(list(proposal.evidence), pid))
        )
    for name, section in (("compliance", scenario.compliance), ("leverage", scenario.leverage)):
        if section is not None:
            extra.append((name, "", section.title or "", cite(list(section.evidence), name)))
    if extra:
        blocks.append(Heading(4, "Levers, the war, the proposals and the games"))
        blocks.append(Table(("what", "value", "meaning", "evidence"), tuple(extra)))
    if scenario.sources:
        blocks.append(Heading(4, "Sources"))
        blocks.append(
            Table(
                ("id", "title", "outlet", "date", "document"),
                tuple(
                    (k, s.title or "", s.outlet or "", str(s.date or ""), s.document or "")
                    for k, s in scenario.sources.items()
                ),
            )
        )
    blocks.append(Heading(3, "Assumptions (judgment, not quoted evidence)"))
    blocks.append(Items(tuple(assumptions)) if assumptions else Paragraph("None."))
    return blocks


def _plain(value: Any) -> str:
    """A number or a form of the scenario format in words: ``0.05 + 0.15 × sanctions``."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(exclude_defaults=True)
    if isinstance(value, dict):
        if set(value) <= {"base", "effects"}:
            terms = [f"{value.get('base', 0):g}"]
            terms += [
                f"{'+' if v >= 0 else '-'} {abs(v):g} × {lever}"
                for lever, v in (value.get("effects") or {}).items()
            ]
            return " ".join(terms)
        return "; ".join(f"{k} {_plain(v)}" for k, v in value.items() if v not in (None, {}, []))
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value)


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
    empty = []
    for metric in sweep_metrics(source):
        if all(not row.get(metric) for row in rows):
            empty.append(metric)
            continue
        (chart,) = build_figures(source, "sweep", FigureOptions(metric=metric))
        blocks.append(FigureBlock(chart, f"sweep-{metric}"))
    if empty:
        blocks.append(
            Paragraph(
                f"No value at any point (nothing to draw): {', '.join(empty)}. Utilities of a "
                "solution are blank where no bundle is acceptable; agreement periods are blank "
                "where no agreement is reached."
            )
        )
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


def _uncertainty_blocks(source: RunSource) -> list[Block]:
    from sim.figures import FigureOptions, build_figures
    from sim.figures.uncertainty import headline_probabilities

    summary = source.summary
    if summary is None:
        return [Paragraph("summary.json: not available in this run.", warning=True)]
    blocks: list[Block] = [
        Heading(2, "How sure each answer is"),
        Paragraph(
            f"{summary.get('draws', '?')} draws per scenario, seed {summary.get('seed', '?')}."
        ),
    ]
    if summary.get("notes"):
        blocks.append(Items(tuple(str(n) for n in summary["notes"])))
    for name, scenario in (summary.get("scenarios") or {}).items():
        blocks.append(Heading(2, name, name))
        (chart,) = build_figures(source, "uncertainty", FigureOptions(scenario=name))
        blocks.append(FigureBlock(chart, f"{name}-uncertainty"))
        heads = headline_probabilities(scenario)
        blocks.append(
            Table(
                ("headline", "probability", "95% interval"),
                tuple((h[0], f"{h[1]:.1%}", f"{h[2]:.1%} to {h[3]:.1%}") for h in heads),
            )
        )
        if (scenario.get("talks") or {}).get("draws"):
            from sim.report.uncertainty_text import talks_summary_lines

            blocks.append(Heading(3, "Why talks fail"))
            blocks += [Paragraph(line) for line in talks_summary_lines(scenario["talks"])]
        versus = scenario.get("versus_parent") or {}
        if versus.get("parent"):
            diff = versus.get("p_zone") or {}
            ci = diff.get("ci") or [float("nan")] * 2
            blocks.append(
                Paragraph(
                    f"Against its parent {versus['parent']}: the chance of a zone changes by "
                    f"{diff.get('difference', float('nan')):+.1%} (95% interval {ci[0]:+.1%} to "
                    f"{ci[1]:+.1%}), paired over the same draws."
                )
            )
        top = scenario.get("top_bundles") or []
        if top:
            blocks.append(
                Table(
                    ("bundle", "acceptable in", "terms"),
                    tuple(
                        (
                            str(t.get("index")),
                            f"{t.get('p_acceptable', 0):.1%}",
                            str(t.get("words", "")),
                        )
                        for t in top
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
    blocks: list[Block] = [
        Heading(2, "What changed"),
        Paragraph(comparison.summary() + "."),
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
    the document at ``out`` among them."""

    name: str
    render: Callable[[Page, Path], dict[Path, str | bytes]]


def _html_files(page: Page, out: Path) -> dict[Path, str | bytes]:
    return {out: render_html(page)}


def _markdown_files(page: Page, out: Path) -> dict[Path, str | bytes]:
    text, figures = render_markdown(page, figure_folder(out).name)
    return {out: text, **{out.parent / name: svg for name, svg in figures.items()}}


FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (ReportFormat("html", _html_files), ReportFormat("markdown", _markdown_files))
}
"""The report formats, by ``--format`` name: a new format is a renderer of
:class:`~sim.report.blocks.Page` and its entry here."""


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


def open_source(runs: list[Path], allow_changed_inputs: bool = False) -> RunSource:
    """One run folder, or two compared."""
    from sim.errors import InputError
    from sim.figures.sources import open_comparison, open_run

    if len(runs) == 1:
        return open_run(runs[0], allow_changed_inputs=allow_changed_inputs)
    if len(runs) == 2:
        return open_comparison(runs[0], runs[1], allow_changed_inputs=allow_changed_inputs)
    raise InputError(f"RUN: give one run folder, or two to compare (got {len(runs)})")


def write_report(
    runs: list[Path],
    out: Path,
    *,
    output_format: str = "html",
    force: bool = False,
    allow_changed_inputs: bool = False,
) -> list[Path]:
    """Write the report of a run (or of two runs compared) to ``out``; returns the files
    written (a Markdown report also writes its figures beside it, in ``<name>_figures/``).

    Raises
    ------
    InputError
        An unknown format, a folder that is not a run, changed inputs (unless allowed), or an
        output that exists (unless ``force``).
    """
    from sim.errors import InputError

    if output_format not in FORMATS:
        raise InputError(
            f"--format: unknown format {output_format!r} (known: {', '.join(FORMATS)})"
        )
    if out.exists() and not force:
        raise InputError(f"{display_path(out)}: exists; give --force to overwrite it")
    page = build_page(open_source(runs, allow_changed_inputs))
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

"""The opening of a run's report: a one-page summary (the question, the answer with its odds,
what would change it, one figure) and the scenarios side by side in one table.

The odds come from an uncertainty run of the same scenarios given beside the run
(``sim report RUN UNCERTAINTY_RUN``): its stored ``summary.json`` is read, nothing is
re-sampled. Without one the summary says how to add it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from sim.report.blocks import Block, Heading, Items, Paragraph, SvgBlock, Table
from sim.report.odds import _count, deciding, interval, pct, spread

if TYPE_CHECKING:
    from sim.analysis.outcome import Bundle
    from sim.figures.sources import ScenarioView
    from sim.montecarlo.document import UncertaintySummary


def in_order(views: list[ScenarioView]) -> list[ScenarioView]:
    """The reference scenario first, the others as run."""
    ref = reference(views)
    return [ref, *(v for v in views if v is not ref)]


def reference(views: list[ScenarioView]) -> ScenarioView:
    """The scenario the others are read against: ``baseline`` where there is one, else the
    first."""
    return next((v for v in views if v.outcome.scenario == "baseline"), views[0])


def differing_terms(bundle: Bundle, against: Bundle | None, names: Any) -> str:
    """A bundle's terms in words; against a reference, only the issues that differ, marked."""
    terms = bundle.as_dict()
    if against is None:
        return "; ".join(f"{names.issue(i)}: {o}" for i, o in terms.items())
    base = against.as_dict()
    changed = [
        f"{names.issue(i)}: {o} (not {base.get(i, '–')})"
        for i, o in terms.items()
        if base.get(i) != o
    ]
    return "same terms" if not changed else "; ".join(changed)


def _anchor_of(path: str) -> str:
    """The evidence section behind a judgment path: a party's table or the levers' table."""
    parts = path.split(".")
    if len(parts) > 1 and parts[0] == "parties":
        return f"evidence-{parts[1]}"
    return "evidence-levers"


def _question(view: ScenarioView) -> str:
    parties = view.loaded.scenario.parties
    vetoes = [view.names.party(k).split(" (")[0] for k, p in parties.items() if p.veto]
    who = " and ".join([", ".join(vetoes[:-1]), vetoes[-1]] if len(vetoes) > 1 else vetoes)
    instead = "fighting on" if view.loaded.scenario.war is not None else "no deal"
    return (
        f"The question: is there a settlement that {who} would each accept over {instead}, on "
        "which terms, and would bargaining reach it?"
    )


def _answer(views: list[ScenarioView]) -> list[str]:
    zone = [v for v in views if v.outcome.space.acceptable > 0]
    sizes = sorted(views, key=lambda v: v.outcome.space.acceptable)
    lines = []
    if zone:
        lines.append(
            f"A zone of agreement exists in {len(zone)} of {len(views)} scenarios: from "
            f"{sizes[0].outcome.space.acceptable:,} acceptable bundles "
            f"({sizes[0].outcome.scenario}) to {sizes[-1].outcome.space.acceptable:,} "
            f"({sizes[-1].outcome.scenario})."
        )
    else:
        lines.append(f"No scenario of the {len(views)} has a zone of agreement.")
    accepted = sorted(
        {p.id for v in views for p in v.outcome.proposals if p.verdict == "acceptable"}
    )
    proposals = {p.id for v in views for p in v.outcome.proposals}
    if proposals:
        lines.append(
            "No named proposal is accepted by every veto party in any scenario."
            if not accepted
            else "Accepted by every veto party in some scenario: " + ", ".join(accepted) + "."
        )
    agreed = [v for v in views if v.outcome.agreements]
    if any(v.outcome.bargaining.results for v in views):
        periods = sorted(
            {
                r.agreement_period
                for v in agreed
                for r in v.outcome.agreements
                if r.agreement_period is not None
            }
        )
        lines.append(
            f"Bargaining reaches agreement in {len(agreed)} of {len(views)} scenarios"
            + (f" (in period {', '.join(str(p) for p in periods)})." if periods else ".")
        )
    return lines


def summary_blocks(
    views: list[ScenarioView], summary: UncertaintySummary | None, chart: SvgBlock | None
) -> list[Block]:
    """The one-page summary at the top of a run's report; without ``chart`` (a run of one
    scenario) it links to the scenario's bargaining space."""
    ref = reference(views)
    blocks: list[Block] = [Heading(2, "In brief", "in-brief"), Paragraph(_question(ref))]
    answer = _answer(views)
    if summary is not None:
        names = {v.outcome.scenario for v in views}
        shown = {n: s for n, s in summary.scenarios.items() if n in names}
        zone = {n: f"{pct(s.zone.p)} {interval(s.zone)}" for n, s in shown.items()}
        answer.append(
            f"Over {summary.draws} draws of the judgments per scenario (seed "
            f"{summary.seed}), the share of draws with a zone is {spread(zone)} "
            "(95% intervals)."
        )
        modal = {
            n: float(nash.modal.p)
            if (nash := s.solutions.get("nash")) is not None and nash.modal is not None
            else 0.0
            for n, s in shown.items()
        }
        if modal:
            answer.append(
                f"Which bundle the Nash solution picks is uncertain: its most frequent bundle "
                f"holds in only {pct(min(modal.values()))} to {pct(max(modal.values()))} of "
                "draws. Read the zone, not one bundle."
                if max(modal.values()) < 0.8
                else f"The Nash solution picks its most frequent bundle in at least "
                f"{pct(min(modal.values()))} of draws."
            )
    blocks.append(Paragraph("The answer: " + " ".join(answer)))
    blocks.append(
        Paragraph(
            "How sure, and every difference between scenarios:",
            links=(("How sure each conclusion is", "how-sure"),),
        )
        if summary is not None
        else Paragraph(
            "No odds here: this run is one reading of the judgments. Give an uncertainty run "
            "of the same scenarios beside it (sim report RUN UNCERTAINTY_RUN) to add how often "
            "each conclusion holds, every paired difference with its interval and the "
            "judgments that decide the answer.",
            warning=True,
        )
    )
    blocks += _what_would_change(views, summary)
    if chart is not None:
        blocks.append(chart)
    else:
        name = ref.outcome.scenario
        blocks.append(Paragraph("The figure:", links=(("the bargaining space", f"{name}-space"),)))
    return blocks


_HEADLINES = {"nash": "the Nash bundle", "p_zone": "whether a zone exists"}


def _what_would_change(
    views: list[ScenarioView], summary: UncertaintySummary | None
) -> list[Block]:
    ref = reference(views)
    lines: list[str] = []
    links: list[tuple[str, str]] = []
    if summary is not None:
        scenarios = summary.scenarios
        votes: dict[str, list[tuple[str, float]]] = {}
        for name, scenario in scenarios.items():
            for path, index in deciding(scenario, "nash_modal"):
                votes.setdefault(path, []).append((name, index))
        ranked = sorted(votes.items(), key=lambda kv: (-len(kv[1]), -max(i for _, i in kv[1])))
        ranked_lines = []
        for path, where in ranked[:3]:
            top = max(i for _, i in where)
            ranked_lines.append(
                f"{path}: decides which bundle the Nash solution picks in {len(where)} of "
                f"{len(scenarios)} scenarios (PAWN index up to {top:.2f}, above the noise)."
            )
            links.append((f"evidence for {path}", _anchor_of(path)))
        flips: dict[tuple[str, str, str], list[str]] = {}
        for name, scenario in scenarios.items():
            for flip in scenario.sensitivity.tornado if scenario.sensitivity else ():
                value = flip.value
                threshold = f"{value:.3g}" if isinstance(value, int | float) else str(value)
                key = (flip.path, f"{flip.end} end ({threshold})", flip.headline)
                flips.setdefault(key, []).append(name)
        for (path, end, headline), names in sorted(flips.items(), key=lambda kv: -len(kv[1]))[:3]:
            lines.append(
                f"{path} at its {end}: moves {_HEADLINES.get(headline, headline)} in "
                f"{len(names)} scenario{'s' if len(names) != 1 else ''} ({', '.join(names)})."
            )
            links.insert(0, (f"evidence for {path}", _anchor_of(path)))
        lines += ranked_lines
        links = list(dict.fromkeys(links))
        if not lines:
            lines.append("No single judgment changes a headline, and none ranks above the noise.")
    else:
        sizes = sorted(views, key=lambda v: v.outcome.space.acceptable)
        base = ref.outcome.space.acceptable
        for view in (sizes[0], sizes[-1]):
            if view is ref:
                continue
            lines.append(
                f"{view.outcome.scenario} ({view.outcome.title}): "
                f"{_count(view.outcome.space.acceptable - base)} acceptable bundles against "
                f"{ref.outcome.scenario}."
            )
        links.append(("the levers and their evidence", "evidence-levers"))
    return [
        Heading(3, "What would change it"),
        Items(tuple(lines)),
        *([Paragraph("The evidence behind these judgments:", links=tuple(links))] if links else []),
    ]


def across_blocks(views: list[ScenarioView], summary: UncertaintySummary | None) -> list[Block]:
    """The scenarios side by side: one table (the figure is in the summary)."""
    ref = reference(views)
    ref_nash = ref.outcome.solution("nash")
    scenarios = summary.scenarios if summary is not None else {}
    header = [
        "scenario",
        "acceptable bundles",
        "frontier",
        "Nash settlement",
        "proposals",
        "bargaining",
    ]
    if summary is not None:
        header += ["chance of a zone", "acceptable against parent (paired)"]
    rows = []
    for view in in_order(views):
        outcome = view.outcome
        nash = outcome.solution("nash")
        if nash is None:
            terms = "none (no zone)"
        elif view is ref or ref_nash is None:
            terms = differing_terms(nash.bundle, None, view.names)
        else:
            terms = f"against {ref.outcome.scenario}: " + differing_terms(
                nash.bundle, ref_nash.bundle, view.names
            )
        verdicts = ", ".join(f"{p.id} {p.verdict}" for p in outcome.proposals) or "–"
        deals = (
            "; ".join(
                f"{r.title} period {r.agreement_period}"
                if r.agreed is not None
                else f"{r.title} none"
                for r in outcome.bargaining.results
            )
            or "–"
        )
        row = [
            f"{outcome.scenario}: {outcome.title}",
            f"{outcome.space.acceptable:,} ({outcome.space.share:.2%})",
            f"{outcome.frontier_size:,}",
            terms,
            verdicts,
            deals,
        ]
        if summary is not None:
            entry = scenarios.get(outcome.scenario)
            versus = entry.versus_parent if entry is not None else None
            row.append(
                f"{pct(entry.zone.p)} {interval(entry.zone)}"
                if entry is not None
                else "not in the uncertainty run"
            )
            row.append(
                f"{_count(versus.acceptable_mean.difference)} "
                f"[{_count(versus.acceptable_mean.low)}, {_count(versus.acceptable_mean.high)}] "
                f"against {versus.parent}"
                if versus is not None
                else "–"
            )
        rows.append(tuple(row))
    return [
        Heading(2, "The scenarios side by side", "side-by-side"),
        Paragraph(
            "One row per scenario; the Nash settlement in full for "
            f"{ref.outcome.scenario}, and for the others only the issues where it differs. "
            "Each scenario's detail follows, then the evidence behind every number."
        ),
        Table(tuple(header), tuple(rows)),
    ]


def across_chart(views: list[ScenarioView], summary: UncertaintySummary | None) -> SvgBlock:
    """Acceptable bundles per scenario as bars (this run), with the 5%–95% range over the
    draws of an uncertainty run when one is given. Drawn as plain SVG, text escaped."""
    scenarios = summary.scenarios if summary is not None else {}
    label_width, bar_width, row, top = 230, 400, 26, 30
    ranges = {}
    for view in views:
        entry = scenarios.get(view.outcome.scenario)
        if entry is not None:
            q = entry.acceptable.quantiles
            ranges[view.outcome.scenario] = (float(q["0.05"]), float(q["0.95"]))
    most = max(
        [float(v.outcome.space.acceptable) for v in views] + [h for _, h in ranges.values()] + [1.0]
    )
    height = top + row * len(views) + 40
    width = label_width + bar_width + 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<text x="{label_width}" y="16" fill="#333">acceptable bundles (of '
        f"{views[0].outcome.space.bundles:,})</text>",
    ]
    for i, view in enumerate(in_order(views)):
        outcome = view.outcome
        y = top + i * row
        size = outcome.space.acceptable
        length = bar_width * size / most
        name = html.escape(outcome.scenario)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">{name}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="{row - 10}" '
            f'fill="#4c78a8"><title>{name}: {size:,} acceptable bundles</title></rect>'
        )
        end = length
        if outcome.scenario in ranges:
            end = max(end, bar_width * ranges[outcome.scenario][1] / most)
        parts.append(
            f'<text x="{label_width + end + 6:.1f}" y="{y + 16}" fill="#333">{size:,}</text>'
        )
        if outcome.scenario in ranges:
            low, high = ranges[outcome.scenario]
            x0, x1 = label_width + bar_width * low / most, label_width + bar_width * high / most
            mid = y + row / 2
            parts.append(
                f'<path d="M {x0:.1f} {mid} H {x1:.1f} M {x0:.1f} {mid - 5} V {mid + 5} '
                f'M {x1:.1f} {mid - 5} V {mid + 5}" stroke="#e45756" stroke-width="2" '
                f'fill="none"><title>{name}: 5% to 95% of draws {low:,.0f} to {high:,.0f}'
                "</title></path>"
            )
    legend_y = top + row * len(views) + 22
    parts.append(
        f'<rect x="{label_width}" y="{legend_y - 10}" width="14" height="10" fill="#4c78a8"/>'
        f'<text x="{label_width + 20}" y="{legend_y}">this run</text>'
    )
    if ranges:
        parts.append(
            f'<path d="M {label_width + 110} {legend_y - 5} H {label_width + 130}" '
            'stroke="#e45756" stroke-width="2"/>'
            f'<text x="{label_width + 136}" y="{legend_y}">'
            "5% to 95% of the uncertainty draws</text>"
        )
    parts.append("</svg>")
    caption = (
        "The size of the zone of agreement in each scenario, as run"
        + (", with the range it takes over the uncertainty run's draws" if ranges else "")
        + f". Largest: {max(views, key=lambda v: v.outcome.space.acceptable).outcome.scenario}; "
        f"smallest: {min(views, key=lambda v: v.outcome.space.acceptable).outcome.scenario}."
    )
    return SvgBlock("".join(parts), "The zone of agreement in each scenario", caption, "across")


def stored_mismatches(folder: Any, views: list[ScenarioView]) -> list[str]:
    """Where the run's stored outcome table (``outcomes.csv``) and the scenarios as re-loaded
    for the report disagree on the zone's size: e.g. a run made with ``--set`` overrides,
    which the re-loaded files do not carry. One line per scenario that disagrees."""
    import csv
    from pathlib import Path

    table = Path(folder) / "outcomes.csv"
    if not table.is_file():
        return []
    with table.open(encoding="utf-8", newline="") as handle:
        stored = {
            row.get("scenario", ""): row.get("acceptable", "") for row in csv.DictReader(handle)
        }
    out = []
    for view in views:
        recorded = stored.get(view.outcome.scenario)
        if recorded is None or not recorded.strip().isdigit():
            continue
        if int(recorded) != view.outcome.space.acceptable:
            out.append(
                f"{view.outcome.scenario}: the run recorded {int(recorded):,} acceptable bundles, "
                f"the scenario files as re-read now give {view.outcome.space.acceptable:,} (was "
                "the run made with --set overrides?). This report's figures and detail describe "
                "the files, not the run; its stored results are in outcomes.csv."
            )
    return out

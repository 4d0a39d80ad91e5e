"""The terminal rendering of `sim uncertainty`'s summary (:class:`UncertaintySummary`)."""

from __future__ import annotations

import textwrap
from typing import Any

from sim.montecarlo.document import (
    BundleOdds,
    Difference,
    Document,
    Flip,
    Modal,
    Odds,
    ScenarioSummary,
    Spread,
    TalksOdds,
    UncertaintySummary,
    ZoneValue,
)
from sim.report.bundle_terms import against
from sim.words import plural


def _pct(p: float) -> str:
    return f"{100 * p:.1f}%"


def _share(p: float, ci: list[float]) -> str:
    return f"{_pct(p)} [{_pct(ci[0])}, {_pct(ci[1])}]"


def _odds(odds: Odds) -> str:
    return _share(odds.p, odds.ci)


def _difference(entry: Difference) -> str:
    low, high = entry.low, entry.high
    return f"{100 * entry.difference:+.1f} pts [{100 * low:+.1f}, {100 * high:+.1f}]"


def _words(modal: Modal) -> str:
    return "; ".join(f"{k}={v}" for k, v in modal.bundle.items())


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, width=98, subsequent_indent="      ", break_on_hyphens=False)


def _bundle_rows(rows: tuple[BundleOdds, ...]) -> list[str]:
    """Bundles with their share: the first in full, the others as the issues that differ
    from it (marked with the option each replaced), or in full when many differ."""
    if not rows:
        return []
    first = rows[0].bundle
    lines = _wrap(f"  {_pct(rows[0].p_acceptable)}  {rows[0].words}")
    for row in rows[1:]:
        shown = against(row.bundle, [("first", first)]) or row.words
        lines += _wrap(f"  {_pct(row.p_acceptable)}  {shown}")
    return lines


def _flip(flip: Flip) -> str:
    """A tornado entry's change of headline: for the Nash bundle, the terms that change."""
    if flip.headline != "nash":
        return f"{flip.headline} {flip.stated} -> {flip.moved}"
    if flip.changed is None:  # a run recorded before the terms were
        return f"nash bundle {flip.stated} -> {flip.moved}"
    if flip.moved < 0:
        return "nash: no longer exists"
    if flip.stated < 0:
        return "nash: comes to exist"
    terms = "; ".join(f"{issue} {old} -> {new}" for issue, (old, new) in flip.changed.items())
    return f"nash moves: {terms}"


def _median_range(spread: Spread) -> str:
    q = spread.quantiles
    if q is None:
        return "no draw"
    return f"{q['0.5']:.2f} [5-95%: {q['0.05']:.2f}, {q['0.95']:.2f}]"


def _median(spread: Spread) -> str:
    return "no draw" if spread.median is None else f"{spread.median:.2f}"


def zone_value_lines(value: ZoneValue | None) -> list[str]:
    """What the zone is worth, in utilities (each party's from 0 to 1): the joint surplus,
    each party's reservation and its range inside the zone, and the options' shares of it."""
    if value is None:
        return []
    given = value.surplus_given_zone
    if given.quantiles is None:
        return ["what a zone is worth: no draw has one"]
    lines = [
        "what the zone is worth (utilities, 0 to 1 per party; medians over the draws with a zone):",
        f"  joint surplus above the veto parties' reservations {_median_range(given)}; "
        f"mean over every draw (no zone = 0) {value.surplus.mean:.3f}",
    ]
    for party, entry in value.parties.items():
        role = "" if entry.veto else " (consent)"
        lines.append(
            f"  {party}{role}: reservation {_median_range(entry.reservation)}; in the zone "
            f"from {_median(entry.low)} to {_median(entry.high)}"
        )
    options = value.options
    fixed = [
        f"{issue}={o}" for issue, shares in options.items() for o, p in shares.items() if p == 1.0
    ]
    shares = [
        f"{issue} " + ", ".join(f"{o} {_pct(p)}" for o, p in found.items() if p > 0)
        for issue, found in options.items()
        if max(found.values()) < 1.0
    ]
    if fixed:
        lines += _wrap("  every acceptable bundle in every draw has " + ", ".join(fixed))
    if shares:
        lines += _wrap("  options' shares of the acceptable bundles: " + "; ".join(shares))
    return lines


def render_scenario(name: str, s: ScenarioSummary) -> str:
    """One scenario's summary as text."""
    q = s.acceptable.quantiles
    lines = [
        f"== {name} ({plural(s.draws, 'draw')}, {plural(s.judgments, 'judgment')} varied)",
        f"zone of agreement: {_pct(s.zone.p)} of draws "
        f"[95%: {_pct(s.zone.low)}, {_pct(s.zone.high)}]",
        *zone_value_lines(s.zone_value),
        f"acceptable bundles: mean {s.acceptable.mean:.1f}, "
        f"5% {q['0.05']:g}, median {q['0.5']:g}, 95% {q['0.95']:g}",
    ]
    if s.proposals:
        lines.append("proposals (share of draws accepting, 95% interval):")
        for pid, entry in s.proposals.items():
            parts = [f"{party} {_odds(odds)}" for party, odds in entry.items() if party != "all"]
            lines.append(f"  {pid}: all veto parties {_odds(entry['all'])}; " + "; ".join(parts))
    robust = s.robust_bundles
    lines.append(
        f"robust bundles (acceptable in >= {_pct(s.robust_threshold)} of draws): {len(robust)}"
    )
    lines += _bundle_rows(robust[:5])
    if s.top_bundles:
        lines.append("most often acceptable:")
        lines += _bundle_rows(s.top_bundles)
    lines.append("solutions (share of draws with a solution; its modal bundle and share):")
    shown: list[tuple[str, dict[str, str]]] = []  # modal bundles already in full
    for key, sol in s.solutions.items():
        exists = _pct(sol.exists.p)
        if sol.modal is None:
            lines.append(f"  {key}: none in any draw")
            continue
        modal = sol.modal
        terms = (against(modal.bundle, shown) if shown else None) or _words(modal)
        shown = shown or [(key, modal.bundle)]
        lines += _wrap(f"  {key}: exists in {exists}; modal in {_pct(modal.p)}: {terms}")
    nash = s.solutions.get("nash")
    if nash and nash.options:
        unsettled = {
            issue: options
            for issue, options in nash.options.items()
            if max(options.values()) < 0.95
        }
        lines.append(f"  nash, issues without a 95% option where it exists: {len(unsettled)}")
        for issue, options in unsettled.items():
            shares = ", ".join(f"{o} {_pct(p)}" for o, p in options.items())
            lines.append(f"      {issue}: {shares}")
    bargaining = s.bargaining
    if bargaining and bargaining.draws:
        which = (
            "every draw"
            if bargaining.draws == s.draws
            else f"first {plural(bargaining.draws, 'draw')}"
        )
        lines.append(
            f"bargaining over time ({which}): agreement within the horizon under some "
            f"protocol {_odds(bargaining.agreement)}"
        )
        for protocol, played in bargaining.protocols.items():
            median = played.period.median
            when = f", median month {median:g}" if median is not None else ""
            agrees, holds = _odds(played.agreement), _odds(played.self_enforcing)
            lines.append(f"  {protocol}: agrees {agrees}{when}; self-enforcing {holds}")
    if s.talks and s.talks.draws:
        lines += talks_summary_lines(s.talks)
    versus = s.versus_parent
    if versus is not None:
        lines.append(
            f"versus {versus.parent} (paired, same draws of {versus.shared_judgments} "
            "shared judgments):"
        )
        lines.append(f"  zone of agreement: {_difference(versus.zone)}")
        if versus.surplus is not None:
            lines.append(
                f"  joint surplus (no zone = 0): {versus.surplus.difference:+.3f} "
                f"[{versus.surplus.low:+.3f}, {versus.surplus.high:+.3f}]"
            )
            lines += _wrap(
                "  reservations shift: "
                + "; ".join(
                    f"{party} {e.difference:+.3f} [{e.low:+.3f}, {e.high:+.3f}]"
                    for party, e in (versus.reservations or {}).items()
                )
            )
        lines.append(f"  acceptable bundles (mean): {versus.acceptable_mean.difference:+.2f}")
        for pid, moved in versus.proposals.items():
            lines.append(f"  {pid} accepted by all: {_difference(moved['all'])}")
        for protocol, moved in (versus.bargaining or {}).items():
            lines.append(
                f"  {protocol}: agreement {_difference(moved['p_agreement'])}, "
                f"self-enforcing {_difference(moved['p_self_enforcing'])}"
            )
    sens = s.sensitivity
    if sens:
        lines.append(f"sensitivity ({sens.method}):")
        constant = [h for h, ranked in sens.rankings.items() if isinstance(ranked, str)]
        if constant:
            lines.append(f"  constant over the draws: {', '.join(constant)}")
        for headline, ranked in sens.rankings.items():
            if isinstance(ranked, str):
                continue
            noise = sens.noise[headline]
            above = [r for r in ranked if r.above_noise][:5]
            top = ", ".join(f"{r.path} {r.index:.2f}" for r in above) or "none"
            lines.append(f"  {headline} (noise level {noise:.2f}): {top}")
        flips = sens.tornado
        lines.append(
            f"tornado (one judgment at an end of its spread flips a headline): {len(flips)}"
        )
        for flip in flips[:12]:
            lines += _wrap(f"  {flip.path} at {flip.end} ({flip.value:.3g}): {_flip(flip)}")
        if len(flips) > 12:
            lines.append(f"  ... {len(flips) - 12} more in summary.json")
        lines += sobol_lines(sens.document.get("sobol"))
        swings = sens.document.get("swings") or {}
        swung = [r for r in swings.get("judgments", []) if r["swing"] > 0]
        if swung:
            lines.append(
                f"what moves the zone's joint surplus (stated "
                f"{swings['stated_surplus']:.3f}; one judgment at each end of its spread):"
            )
            for r in swung[:8]:
                lines.append(
                    f"  {r['path']}: {r['surplus_at_low']:.3f} at {r['low']:.3g}, "
                    f"{r['surplus_at_high']:.3f} at {r['high']:.3g} (swing {r['swing']:.3f})"
                )
    if s.spatial is not None:
        from sim.report.spatial_text import render_draws

        lines += ["spatial forecast (the scenario's spatial reading, same draws and seed):"]
        lines += [f"  {line}" for line in render_draws(dict(s.spatial)).splitlines()]
    return "\n".join(lines)


def sobol_lines(sobol: dict[str, Any] | None) -> list[str]:
    """The Sobol indices: per measure, the inputs with the largest total index."""
    if not sobol:
        return []
    lines = [f"variance-based indices ({sobol['method']}): total index ST [95%], first order S1"]
    for measure, rows in (sobol.get("measures") or {}).items():
        if isinstance(rows, str):
            lines.append(f"  {measure}: {rows}")
            continue
        shown = [r for r in rows if r["ST_ci"][0] > 0][:5]
        text = ", ".join(
            f"{r['name']} {r['ST']:.2f} [{max(r['ST_ci'][0], 0):.2f}, {r['ST_ci'][1]:.2f}] "
            f"S1 {r['S1']:.2f}"
            for r in shown
        )
        lines += _wrap(f"  {measure}: {text or 'no input above 0 within its interval'}")
    return lines


def render_structures(name: str, mix: Document) -> str:
    """A scenario's conclusions per structure and mixed over the structures' weights: those
    that depend on the structure first (largest spread first), then the others."""
    declared = mix["structures"]
    lines = [f"== {name}: {len(declared)} structures, conclusions mixed over their weights"]
    for key, entry in declared.items():
        title = f": {entry['title']}" if entry.get("title") else ""
        lines += _wrap(f"  {key} (weight {entry['weight']:g}, as {entry['scenario']}){title}")
    measures = mix["measures"]
    depends = mix["depends_on_structure"]
    order = [*depends, *(m for m in measures if m not in depends)]
    lines.append(
        "  conclusion: mixed share [95%]; share in each structure (" + ", ".join(declared) + ")"
    )
    for key in order:
        m = measures[key]
        shares = ", ".join(_pct(m["by_structure"][s]) for s in declared)
        mark = "*" if key in depends else " "
        lines += _wrap(
            f" {mark}{m['title']}: {_share(m['mixed']['p'], m['mixed']['ci'])}; {shares}"
        )
    value = mix.get("surplus")
    if value:
        low, high = value["mixed"]["ci"]
        lines += _wrap(
            f"  {value['title']}: {value['mixed']['mean']:.3f} [{low:.3f}, {high:.3f}]; "
            + ", ".join(f"{value['by_structure'][s]:.3f}" for s in declared)
        )
    if depends:
        lines.append(
            f"  * depends on the structure ({plural(len(depends), 'conclusion')}): holds in at "
            "least half of the draws of some structure and not of another"
        )
    else:
        lines.append("  no conclusion changes with the structure")
    return "\n".join(lines)


def render_uncertainty(summary: UncertaintySummary) -> str:
    """The whole summary as text: the scenarios' structures first, when any are declared,
    then every scenario (each structure as its own scenario)."""
    head = [f"sim uncertainty: {plural(summary.draws, 'draw')}, seed {summary.seed}"]
    head += [f"note: {n}" for n in summary.notes]
    body = [render_structures(name, mix) for name, mix in summary.structures.items()]
    body += [render_scenario(name, s) for name, s in summary.scenarios.items()]
    return "\n\n".join(["\n".join(head), *body])


def talks_summary_lines(talks: TalksOdds) -> list[str]:
    """Why talks fail over the draws (docs/strategic.md)."""
    lines = []
    screening = talks.screening
    if screening:
        by = screening.p_agreement_by
        last = str(len(by) - 1)
        months: list[str] = [m for m in ("0", "6", "12", "24") if m in by] or [last]
        spread = screening.expected_month
        mean = "-" if spread.mean is None else f"{spread.mean:.2f}"
        lines.append(
            f"{screening.title}: agreement "
            + ", ".join(f"{_pct(by[m])} by month {m}" for m in months)
            + f"; expected month {mean} (mean over draws); "
            f"no agreement by the horizon {_pct(screening.p_breakdown)}"
        )
    threshold = talks.optimism_threshold.median
    median = "-" if threshold is None else f"{threshold:.3f}"
    lines.append(
        f"commitment problem in {_odds(talks.commitment_problem)} of draws; optimism threshold "
        f"median {median}"
    )
    return lines

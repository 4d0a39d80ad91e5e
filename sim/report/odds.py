"""What an uncertainty run says, as report blocks: the conclusions with how often they hold
(the case README's headline table, rebuilt from ``summary.json``), every paired difference
with its interval, and the sensitivity ranking with its noise level.

Everything here reads the stored summary (SPEC §6) and re-analyses nothing: the shares and
intervals are the run's (Wilson intervals for shares, normal intervals of paired differences,
PAWN indices with their noise level, as :mod:`sim.montecarlo` wrote them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sim.montecarlo.document import (
    Difference,
    Odds,
    ProtocolOdds,
    ScenarioSummary,
    UncertaintySummary,
)
from sim.report.blocks import Block, Heading, Paragraph, Table

FINDING = 0.8
"""A conclusion that holds in fewer than this share of draws is *uncertain*, not a finding
(the threshold the case README states)."""


def pct(p: float) -> str:
    """A share as a percentage: ``100%``, ``99.8%``, ``0%``."""
    if p >= 1.0:
        return "100%"
    if p <= 0.0:
        return "0%"
    text = f"{100 * p:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def interval(odds: Odds) -> str:
    """A 95% interval of a share: ``[99.8%, 100%]``."""
    return f"[{pct(float(odds.low))}, {pct(float(odds.high))}]"


def _share(odds: Odds) -> str:
    return f"{pct(float(odds.p))} {interval(odds)}"


def _count(value: float) -> str:
    return f"{value:+,.0f}".replace("-", "−")


def _points(value: float) -> str:
    """A difference of shares in percentage points."""
    return f"{100 * value:+.1f} pt".replace("-", "−")


def spread(values: dict[str, str]) -> str:
    """Per-scenario texts in one phrase: ``X in every scenario``, ``X in every scenario but a,
    b; Y in a, Z in b``, or each listed."""
    if not values:
        return "not recorded"
    counts = Counter(values.values())
    common, times = counts.most_common(1)[0]
    if times == len(values):
        return f"{common} in every scenario" if len(values) > 1 else f"{common}"
    if times * 2 <= len(values):
        return "; ".join(f"{text} in {name}" for name, text in values.items())
    others = {n: t for n, t in values.items() if t != common}
    return f"{common} in every scenario but {', '.join(others)}; " + "; ".join(
        f"{text} in {name}" for name, text in others.items()
    )


def deciding(scenario: ScenarioSummary, headline: str, top: int = 3) -> list[tuple[str, float]]:
    """The judgments above the noise level for one headline, by PAWN index, most first."""
    ranking = scenario.sensitivity.rankings.get(headline) if scenario.sensitivity else None
    if not isinstance(ranking, tuple):
        return []
    rows = sorted((r for r in ranking if r.above_noise), key=lambda r: -r.index)
    return [(r.path, float(r.index)) for r in rows[:top]]


def _deciding_text(summary: UncertaintySummary, headline: str) -> str:
    scenarios = summary.scenarios
    states = [
        s.sensitivity.rankings.get(headline) if s.sensitivity else None for s in scenarios.values()
    ]
    words = [s for s in states if isinstance(s, str)]
    if states and len(words) == len(states):
        return f"none: {words[0]}"
    votes: Counter[str] = Counter()
    best: dict[str, float] = {}
    for scenario in scenarios.values():
        for path, index in deciding(scenario, headline):
            votes[path] += 1
            best[path] = max(best.get(path, 0.0), index)
    if not votes:
        return "no judgment above the noise level"
    ranked = sorted(votes, key=lambda p: (-votes[p], -best[p]))[:3]
    return ", ".join(
        f"{p} (PAWN up to {best[p]:.2f}, in {votes[p]} of {len(scenarios)})" for p in ranked
    )


def _status(low: float) -> str:
    return "finding" if low >= FINDING else "uncertain"


def conclusion_rows(summary: UncertaintySummary) -> list[tuple[str, str, str, str]]:
    """The headline table of the case README, rebuilt from a summary: (conclusion, holds in
    with its 95% interval, deciding judgments, status), one row per conclusion the summary
    records."""
    scenarios = summary.scenarios
    rows: list[tuple[str, str, str, str]] = []
    if scenarios:
        rows.append(
            (
                "A zone of agreement exists: some bundle is acceptable to every veto party "
                "and to whoever must deliver it",
                spread({n: _share(s.zone) for n, s in scenarios.items()}),
                _deciding_text(summary, "p_zone"),
                _status(min(float(s.zone.p) for s in scenarios.values())),
            )
        )
    accepted: dict[str, tuple[str, Odds]] = {}
    for name, scenario in scenarios.items():
        for pid, entry in scenario.proposals.items():
            odds = entry["all"]
            if name not in accepted or odds.p > accepted[name][1].p:
                accepted[name] = (pid, odds)
    if accepted:
        worst = max(float(odds.p) for _, odds in accepted.values())
        rows.append(
            (
                "No named proposal is accepted by every veto party",
                "share of draws accepting the most accepted proposal: "
                + spread({n: f"{_share(odds)} ({pid})" for n, (pid, odds) in accepted.items()}),
                _deciding_text(summary, _top_proposal(scenarios)),
                _status(1.0 - worst),
            )
        )
    for name, scenario in scenarios.items():
        versus = scenario.versus_parent
        if versus is None:
            continue
        diff = versus.acceptable_mean
        parent_summary = scenarios.get(versus.parent)
        base = (
            f" on the {versus.parent} mean of {parent_summary.acceptable.mean:,.0f}"
            if parent_summary is not None
            else ""
        )
        found = diff.low > 0 or diff.high < 0
        direction = ("widens" if diff.difference > 0 else "narrows") if found else "changes"
        rows.append(
            (
                f"{name} {direction} the zone against {versus.parent}",
                f"{_count(diff.difference)} acceptable bundles{base}, paired "
                f"[{_count(diff.low)}, {_count(diff.high)}]"
                f"; a zone in both in {pct(versus.zone_in_both)}",
                f"what {name} changes from {versus.parent} (its set: and levers); paired over "
                f"{versus.shared_judgments} shared judgments",
                "finding" if found else "uncertain: the interval includes 0",
            )
        )
    protocols: dict[str, dict[str, ProtocolOdds]] = {}
    for name, scenario in scenarios.items():
        if scenario.bargaining is not None:
            for protocol, played in scenario.bargaining.protocols.items():
                protocols.setdefault(protocol, {})[name] = played
    for protocol, per in protocols.items():
        at_once = {n: float(e.period.distribution.get("0", 0.0)) for n, e in per.items()}
        texts = {}
        for name, played in per.items():
            text = pct(at_once[name])
            if played.agreement.p < 1.0:
                text += f" (an agreement at all in {_share(played.agreement)})"
            texts[name] = text
        rows.append(
            (
                f"Bargaining ({protocol}) agrees at once",
                "share of draws agreeing in period 0: " + spread(texts),
                "not ranked by this run",
                _status(min(at_once.values())),
            )
        )
        rows.append(
            (
                f"The agreed bundle would hold ({protocol}: mutual compliance an equilibrium)",
                spread({n: _share(e.self_enforcing) for n, e in per.items()}),
                "not ranked by this run",
                _status(min(float(e.self_enforcing.p) for e in per.values())),
            )
        )
    modal = {
        n: float(nash.modal.p)
        for n, s in scenarios.items()
        if (nash := s.solutions.get("nash")) is not None and nash.modal is not None
    }
    if modal:
        rows.append(
            (
                "Which bundle the Nash solution picks",
                "share of draws picking its most frequent bundle: "
                + spread({n: pct(p) for n, p in modal.items()}),
                _deciding_text(summary, "nash_modal"),
                _status(min(modal.values()))
                + ("" if min(modal.values()) >= FINDING else ": report the zone, not one bundle"),
            )
        )
    return rows


def _top_proposal(scenarios: dict[str, ScenarioSummary]) -> str:
    for scenario in scenarios.values():
        for key in scenario.sensitivity.rankings if scenario.sensitivity else ():
            if key.startswith("proposal."):
                return key
    return "proposal"


def conclusions_table(summary: UncertaintySummary) -> Table:
    """:func:`conclusion_rows` as a table."""
    return Table(
        ("conclusion", "holds in (95% interval)", "deciding judgments", "status"),
        tuple(conclusion_rows(summary)),
        caption=f"Each conclusion with how often it holds over {summary.draws} draws "
        f"per scenario (seed {summary.seed}); under {pct(FINDING)} of draws it is "
        "uncertain, not a finding",
    )


def difference_rows(summary: UncertaintySummary) -> tuple[list[tuple[str, ...]], list[str]]:
    """Every paired difference of every variant against its parent: (variant, parent,
    quantity, difference, 95% interval) rows, and the quantities that are exactly zero with
    a zero-width interval (listed apart so the table shows what moves)."""
    rows: list[tuple[str, ...]] = []
    zero: dict[str, list[str]] = {}

    def add(name: str, parent: str, what: str, d: Difference, fmt: Callable[[float], str]) -> None:
        if d.difference == 0 and d.low == 0 and d.high == 0:
            zero.setdefault(what, []).append(name)
            return
        rows.append((name, parent, what, fmt(d.difference), f"[{fmt(d.low)}, {fmt(d.high)}]"))

    variants = 0
    for name, scenario in summary.scenarios.items():
        versus = scenario.versus_parent
        if versus is None:
            continue
        variants += 1
        parent = versus.parent
        add(name, parent, "acceptable bundles (mean)", versus.acceptable_mean, _count)
        add(name, parent, "chance of a zone", versus.zone, _points)
        for protocol, entry in (versus.bargaining or {}).items():
            for key, value in entry.items():
                add(name, parent, f"{protocol}: {key.replace('p_', 'chance of ')}", value, _points)
        for pid, shares in versus.proposals.items():
            for who, value in shares.items():
                what = "accepted by every veto party" if who == "all" else f"accepted by {who}"
                add(name, parent, f"{pid} {what}", value, _points)
    still = [
        f"{what} ({'every variant' if len(names) == variants else ', '.join(names)})"
        for what, names in zero.items()
    ]
    return rows, still


def difference_blocks(summary: UncertaintySummary) -> list[Block]:
    rows, still = difference_rows(summary)
    if not rows and not still:
        return []
    blocks: list[Block] = [
        Heading(3, "Every paired difference against the parent scenario"),
        Paragraph(
            "Each variant against the scenario it extends, over the same draws of their shared "
            "judgments; 95% intervals. Bundles are counted, chances are in percentage points."
        ),
    ]
    if rows:
        blocks.append(
            Table(("scenario", "against", "what", "difference", "95% interval"), tuple(rows))
        )
    if still:
        blocks.append(
            Paragraph("No difference in any draw (0, interval [0, 0]): " + "; ".join(still) + ".")
        )
    return blocks


def sensitivity_rows(summary: UncertaintySummary) -> tuple[list[tuple[str, ...]], list[str]]:
    """Per scenario and headline: the noise level and the judgments ranked by PAWN index
    (those within the noise marked); and the headlines constant over the draws."""
    rows: list[tuple[str, ...]] = []
    constant: list[str] = []
    for name, scenario in summary.scenarios.items():
        sensitivity = scenario.sensitivity
        if sensitivity is None:
            continue
        for headline, ranking in sensitivity.rankings.items():
            if isinstance(ranking, str):
                constant.append(f"{name} {headline} ({ranking})")
                continue
            level = sensitivity.noise.get(headline)
            rows.append(
                (
                    name,
                    headline,
                    "not recorded" if level is None else f"{level:.3f}",
                    "; ".join(
                        f"{r.path} {float(r.index):.3f}"
                        + ("" if r.above_noise else " (within noise)")
                        for r in sorted(ranking, key=lambda r: -r.index)
                    ),
                )
            )
    return rows, constant


def sensitivity_blocks(summary: UncertaintySummary) -> list[Block]:
    rows, constant = sensitivity_rows(summary)
    methods = {s.sensitivity.method for s in summary.scenarios.values() if s.sensitivity}
    if not rows and not constant:
        return []
    blocks: list[Block] = [
        Heading(3, "What decides each answer: the sensitivity ranking"),
        Paragraph(
            "Judgments ranked by their PAWN index (how much the headline's distribution moves "
            "when the judgment is fixed; Pianosi and Wagener 2015), most first, with the noise "
            "level: the index a judgment that does nothing reaches by chance in this many draws. "
            "An index within the noise is not evidence of influence. Method: "
            + ("; ".join(sorted(methods)) or "not recorded")
            + "."
        ),
    ]
    if rows:
        blocks.append(
            Table(("scenario", "headline", "noise level", "judgments by PAWN index"), tuple(rows))
        )
    if constant:
        blocks.append(
            Paragraph("Not ranked, constant over the draws: " + "; ".join(constant) + ".")
        )
    flips = tornado_rows(summary)
    if flips:
        blocks.append(
            Table(
                ("scenario", "judgment", "at its", "value", "changes", "from", "to"),
                tuple(flips),
                caption="The single judgments that, moved to an end of their spread, change a "
                "headline (the thresholds)",
            )
        )
    return blocks


def tornado_rows(
    summary: UncertaintySummary, words: Callable[[str, str, Any], str] | None = None
) -> list[tuple[str, ...]]:
    """Every recorded tornado flip: (scenario, judgment, end, value, headline, stated,
    moved); ``words(scenario, headline, value)`` turns a stated or moved value into words."""
    rows: list[tuple[str, ...]] = []
    for name, scenario in summary.scenarios.items():
        for flip in scenario.sensitivity.tornado if scenario.sensitivity else ():

            def shown(v: Any, name: str = name, headline: str = flip.headline) -> str:
                if words is not None:
                    return words(name, headline, v)
                return f"bundle {v}" if headline == "nash" else str(v)

            value = flip.value
            rows.append(
                (
                    name,
                    flip.path,
                    f"{flip.end} end",
                    f"{value:.3g}" if isinstance(value, int | float) else str(value),
                    flip.headline,
                    shown(flip.stated),
                    shown(flip.moved),
                )
            )
    return rows


def odds_blocks(summary: UncertaintySummary) -> list[Block]:
    """The conclusions table, every paired difference and the sensitivity ranking."""
    blocks: list[Block] = [
        Heading(2, "How sure each conclusion is", "how-sure"),
        conclusions_table(summary),
    ]
    blocks += difference_blocks(summary)
    blocks += sensitivity_blocks(summary)
    return blocks

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

from sim.montecarlo.sensitivity import NOT_HEADLINES
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


def interval(ci: Any) -> str:
    """A 95% interval of a share: ``[99.8%, 100%]`` (empty when none is recorded)."""
    if isinstance(ci, list | tuple) and len(ci) == 2:
        return f"[{pct(float(ci[0]))}, {pct(float(ci[1]))}]"
    return ""


def _share(p: Any, ci: Any = None) -> str:
    if isinstance(p, dict):
        p, ci = p.get("p"), p.get("ci", ci)
    if not isinstance(p, int | float):
        return "not recorded"
    text = pct(float(p))
    return f"{text} {interval(ci)}".strip()


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


def _scenarios(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in (summary.get("scenarios") or {}).items() if isinstance(v, dict)}


def deciding(scenario: dict[str, Any], headline: str, top: int = 3) -> list[tuple[str, float]]:
    """The judgments above the noise level for one headline, by PAWN index, most first."""
    ranking = (scenario.get("sensitivity") or {}).get(headline)
    if not isinstance(ranking, list):
        return []
    rows = [r for r in ranking if isinstance(r, dict) and r.get("above_noise")]
    rows.sort(key=lambda r: -float(r.get("index", 0.0)))
    return [(str(r.get("path")), float(r.get("index", 0.0))) for r in rows[:top]]


def _deciding_text(summary: dict[str, Any], headline: str) -> str:
    scenarios = _scenarios(summary)
    states = [(s.get("sensitivity") or {}).get(headline) for s in scenarios.values()]
    if states and all(isinstance(s, str) for s in states):
        return f"none: {states[0]}" if len(set(states)) == 1 else "none: " + str(states[0])
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


def conclusion_rows(summary: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The headline table of the case README, rebuilt from a summary: (conclusion, holds in
    with its 95% interval, deciding judgments, status), one row per conclusion the summary
    records."""
    scenarios = _scenarios(summary)
    rows: list[tuple[str, str, str, str]] = []
    zone = {n: _share(s.get("p_zone"), s.get("p_zone_ci")) for n, s in scenarios.items()}
    lows = [float(s.get("p_zone", 0.0)) for s in scenarios.values()]
    if zone and lows:
        rows.append(
            (
                "A zone of agreement exists: some bundle is acceptable to every veto party "
                "and to whoever must deliver it",
                spread(zone),
                _deciding_text(summary, "p_zone"),
                _status(min(lows)),
            )
        )
    accepted: dict[str, tuple[float, str, Any]] = {}
    for name, scenario in scenarios.items():
        intervals = scenario.get("proposals_ci") or {}
        for pid, entry in (scenario.get("proposals") or {}).items():
            p = (entry or {}).get("all")
            if isinstance(p, int | float) and (name not in accepted or p > accepted[name][0]):
                accepted[name] = (float(p), pid, (intervals.get(pid) or {}).get("all"))
    if accepted:
        worst = max(p for p, _, _ in accepted.values())
        rows.append(
            (
                "No named proposal is accepted by every veto party",
                "share of draws accepting the most accepted proposal: "
                + spread({n: f"{_share(p, ci)} ({pid})" for n, (p, pid, ci) in accepted.items()}),
                _deciding_text(summary, _top_proposal(scenarios)),
                _status(1.0 - worst),
            )
        )
    for name, scenario in scenarios.items():
        versus = scenario.get("versus_parent") or {}
        diff = versus.get("acceptable_mean") or {}
        parent = versus.get("parent")
        if not parent or "difference" not in diff:
            continue
        ci = diff.get("ci") or [float("nan")] * 2
        parent_mean = ((scenarios.get(parent) or {}).get("acceptable") or {}).get("mean")
        base = f" on the {parent} mean of {parent_mean:,.0f}" if parent_mean is not None else ""
        found = ci[0] > 0 or ci[1] < 0
        direction = ("widens" if diff["difference"] > 0 else "narrows") if found else "changes"
        both = versus.get("zone_in_both")
        rows.append(
            (
                f"{name} {direction} the zone against {parent}",
                f"{_count(diff['difference'])} acceptable bundles{base}, paired "
                f"[{_count(ci[0])}, {_count(ci[1])}]"
                + (f"; a zone in both in {pct(both)}" if isinstance(both, int | float) else ""),
                f"what {name} changes from {parent} (its set: and levers); paired over "
                f"{versus.get('shared_judgments', '?')} shared judgments",
                "finding" if found else "uncertain: the interval includes 0",
            )
        )
    protocols: dict[str, dict[str, dict[str, Any]]] = {}
    for name, scenario in scenarios.items():
        for protocol, entry in ((scenario.get("bargaining") or {}).get("protocols") or {}).items():
            protocols.setdefault(protocol, {})[name] = entry or {}
    for protocol, per in protocols.items():
        at_once = {
            n: float(((e.get("period") or {}).get("distribution") or {}).get("0", 0.0))
            for n, e in per.items()
        }
        texts = {}
        for name, entry in per.items():
            text = pct(at_once[name])
            if float(entry.get("p_agreement", 1.0)) < 1.0:
                agreed = _share(entry.get("p_agreement"), entry.get("p_agreement_ci"))
                text += f" (an agreement at all in {agreed})"
            texts[name] = text
        rows.append(
            (
                f"Bargaining ({protocol}) agrees at once",
                "share of draws agreeing in period 0: " + spread(texts),
                "not ranked by this run",
                _status(min(at_once.values())),
            )
        )
        holds = {
            n: _share(e.get("p_self_enforcing"), e.get("p_self_enforcing_ci"))
            for n, e in per.items()
            if isinstance(e.get("p_self_enforcing"), int | float)
        }
        if holds:
            rows.append(
                (
                    f"The agreed bundle would hold ({protocol}: mutual compliance an equilibrium)",
                    spread(holds),
                    "not ranked by this run",
                    _status(min(float(per[n]["p_self_enforcing"]) for n in holds)),
                )
            )
    modal = {
        n: float(((s.get("solutions") or {}).get("nash") or {}).get("modal", {}).get("p", 0.0))
        for n, s in scenarios.items()
        if ((s.get("solutions") or {}).get("nash") or {}).get("modal")
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


def _top_proposal(scenarios: dict[str, dict[str, Any]]) -> str:
    for scenario in scenarios.values():
        for key in scenario.get("sensitivity") or {}:
            if key.startswith("proposal."):
                return str(key)
    return "proposal"


def conclusions_table(summary: dict[str, Any]) -> Table:
    """:func:`conclusion_rows` as a table."""
    return Table(
        ("conclusion", "holds in (95% interval)", "deciding judgments", "status"),
        tuple(conclusion_rows(summary)),
        caption=f"Each conclusion with how often it holds over {summary.get('draws', '?')} draws "
        f"per scenario (seed {summary.get('seed', '?')}); under {pct(FINDING)} of draws it is "
        "uncertain, not a finding",
    )


def difference_rows(summary: dict[str, Any]) -> tuple[list[tuple[str, ...]], list[str]]:
    """Every paired difference of every variant against its parent: (variant, parent,
    quantity, difference, 95% interval) rows, and the quantities that are exactly zero with
    a zero-width interval (listed apart so the table shows what moves)."""
    rows: list[tuple[str, ...]] = []
    zero: dict[str, list[str]] = {}

    def add(name: str, parent: str, what: str, entry: Any, fmt: Callable[[float], str]) -> None:
        if not isinstance(entry, dict) or "difference" not in entry:
            return
        d = float(entry["difference"])
        ci = entry.get("ci") or [float("nan"), float("nan")]
        if d == 0 and float(ci[0]) == 0 and float(ci[1]) == 0:
            zero.setdefault(what, []).append(name)
            return
        rows.append((name, parent, what, fmt(d), f"[{fmt(float(ci[0]))}, {fmt(float(ci[1]))}]"))

    for name, scenario in _scenarios(summary).items():
        versus = scenario.get("versus_parent") or {}
        parent = str(versus.get("parent") or "")
        if not parent:
            continue
        add(name, parent, "acceptable bundles (mean)", versus.get("acceptable_mean"), _count)
        add(name, parent, "chance of a zone", versus.get("p_zone"), _points)
        for protocol, entry in (versus.get("bargaining") or {}).items():
            for key, value in (entry or {}).items():
                add(name, parent, f"{protocol}: {key.replace('p_', 'chance of ')}", value, _points)
        for pid, entry in (versus.get("proposals") or {}).items():
            for who, value in (entry or {}).items():
                what = "accepted by every veto party" if who == "all" else f"accepted by {who}"
                add(name, parent, f"{pid} {what}", value, _points)
    variants = sum(
        1 for s in _scenarios(summary).values() if (s.get("versus_parent") or {}).get("parent")
    )
    still = [
        f"{what} ({'every variant' if len(names) == variants else ', '.join(names)})"
        for what, names in zero.items()
    ]
    return rows, still


def difference_blocks(summary: dict[str, Any]) -> list[Block]:
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


def sensitivity_rows(summary: dict[str, Any]) -> tuple[list[tuple[str, ...]], list[str]]:
    """Per scenario and headline: the noise level and the judgments ranked by PAWN index
    (those within the noise marked); and the headlines constant over the draws."""
    rows: list[tuple[str, ...]] = []
    constant: list[str] = []
    for name, scenario in _scenarios(summary).items():
        sensitivity = scenario.get("sensitivity") or {}
        noise = sensitivity.get("noise") or {}
        for headline, ranking in sensitivity.items():
            if headline in NOT_HEADLINES:
                continue
            if isinstance(ranking, str):
                constant.append(f"{name} {headline} ({ranking})")
                continue
            if not isinstance(ranking, list):
                continue
            ranked = sorted(
                (r for r in ranking if isinstance(r, dict)), key=lambda r: -float(r["index"])
            )
            level = noise.get(headline)
            rows.append(
                (
                    name,
                    headline,
                    f"{level:.3f}" if isinstance(level, int | float) else "not recorded",
                    "; ".join(
                        f"{r.get('path')} {float(r['index']):.3f}"
                        + ("" if r.get("above_noise") else " (within noise)")
                        for r in ranked
                    ),
                )
            )
    return rows, constant


def sensitivity_blocks(summary: dict[str, Any]) -> list[Block]:
    rows, constant = sensitivity_rows(summary)
    methods = {
        str((s.get("sensitivity") or {}).get("method"))
        for s in _scenarios(summary).values()
        if (s.get("sensitivity") or {}).get("method")
    }
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
    summary: dict[str, Any], words: Callable[[str, str, Any], str] | None = None
) -> list[tuple[str, ...]]:
    """Every recorded tornado flip: (scenario, judgment, end, value, headline, stated,
    moved); ``words(scenario, headline, value)`` turns a stated or moved value into words."""
    rows: list[tuple[str, ...]] = []
    for name, scenario in _scenarios(summary).items():
        for flip in (scenario.get("sensitivity") or {}).get("tornado") or []:
            if not isinstance(flip, dict):
                continue
            headline = str(flip.get("headline"))
            value = flip.get("value")

            def shown(v: Any, name: str = name, headline: str = headline) -> str:
                if words is not None:
                    return words(name, headline, v)
                return f"bundle {v}" if headline == "nash" else str(v)

            rows.append(
                (
                    name,
                    str(flip.get("path")),
                    f"{flip.get('end')} end",
                    f"{value:.3g}" if isinstance(value, int | float) else str(value),
                    headline,
                    shown(flip.get("stated")),
                    shown(flip.get("moved")),
                )
            )
    return rows


def odds_blocks(summary: dict[str, Any]) -> list[Block]:
    """The conclusions table, every paired difference and the sensitivity ranking."""
    blocks: list[Block] = [
        Heading(2, "How sure each conclusion is", "how-sure"),
        conclusions_table(summary),
    ]
    blocks += difference_blocks(summary)
    blocks += sensitivity_blocks(summary)
    return blocks

"""Typed outcomes as terminal text: solutions side by side, bundles in words."""

from __future__ import annotations

import textwrap
from typing import Any

from sim.analysis.outcome import (
    BargainingOutcome,
    Bundle,
    ComplianceOutcome,
    LeverageOutcome,
    NormalFormGame,
    Outcome,
    Step,
)
from sim.analysis.selection import left_out
from sim.report.bundle_terms import against
from sim.report.talks import talks_lines
from sim.report.text import table
from sim.words import plural


def _num(value: float | None) -> str:
    return "-" if value is None or value != value else f"{value:.3f}"


def terms_lines(bundle: Bundle, label: str = "terms") -> list[str]:
    """A bundle's terms, wrapped for the terminal."""
    return textwrap.wrap(
        f"{label}: {bundle.words()}", width=96, initial_indent="  ", subsequent_indent="    "
    )


def terms_lines_against(bundle: Bundle, reference: Bundle, label: str, name: str) -> list[str]:
    """A bundle's terms as the issues that differ from ``reference`` (called ``name``),
    marked with the option each replaced; in full when too many differ."""
    named = against(bundle.as_dict(), [(name, reference.as_dict())])
    if named is None:
        return terms_lines(bundle, label)
    return textwrap.wrap(
        f"{label}: {named}", width=96, initial_indent="  ", subsequent_indent="    "
    )


def wrapped(text: str) -> list[str]:
    """A line of text wrapped for the terminal (its continuation indented)."""
    return textwrap.wrap(text, width=98, subsequent_indent="    ", break_on_hyphens=False)


def render_outcome(outcome: Outcome) -> str:
    """One scenario: space, reservations, the solutions side by side, proposals, strategy."""
    space = outcome.space
    estimate = "" if space.exact else " (estimate)"
    lines = [
        f"{outcome.scenario}: {outcome.title}",
        f"  bundles {space.bundles:,}  feasible {space.feasible:,}  "
        f"acceptable {space.acceptable:,}{estimate} ({space.share:.2%})  "
        f"frontier {outcome.frontier_size}",
        "  reservations: "
        + ", ".join(
            f"{p} {_num(v)}" for p, v in zip(outcome.judges, outcome.reservations, strict=True)
        ),
    ]
    present = [s for s in outcome.solutions if s.point is not None]
    asked = outcome.analyses is None or "solutions" in outcome.analyses
    if asked and not present:
        lines.append("  no bundle is acceptable to every veto party: no settlement exists")
    elif present:
        header = ["", *[s.rule.label for s in present]]
        terms = [s.point.bundle.as_dict() for s in present if s.point is not None]
        rows = [[issue, *[t[issue] for t in terms]] for issue, _ in outcome.issues]
        rows += [
            [f"u {p}", *[_num(s.point.utilities[j]) for s in present if s.point is not None]]
            for j, p in enumerate(outcome.parties)
        ]
        if outcome.consent_parties:
            rows.append(
                [
                    "consent of",
                    *[" ".join(s.point.consent) or "-" for s in present if s.point is not None],
                ]
            )
        lines += ["  " + line for line in table(header, rows).splitlines()]
    for proposal in outcome.proposals:
        verdict = proposal.verdict
        if proposal.rejected_by:
            verdict += " by " + ", ".join(proposal.rejected_by)
        lines.append(f"  proposal {proposal.id}: {verdict}")
    lines += [f"  {line}" for line in strategy_lines(outcome)]
    if outcome.analyses is not None:
        left = ", ".join(left_out(outcome.analyses))
        lines.append(f"  computed: {', '.join(outcome.analyses)}; not asked for: {left}")
    if outcome.talks is not None:
        lines += [f"  {line}" for line in talks_lines(outcome.talks)]
    return "\n".join(lines)


def strategy_lines(outcome: Outcome) -> list[str]:
    """Headline of the bargaining over time and the games."""
    references = solution_references(outcome)
    seen: dict[int, str] = {}  # bundles already shown in full, and how they were named
    return bargaining_lines(outcome, seen, references) + game_lines(outcome, seen, references)


def bargaining_lines(
    outcome: Outcome, seen: dict[int, str], references: list[tuple[str, dict[str, str]]]
) -> list[str]:
    """Each protocol's agreement (or none) and why not at once; records in ``seen`` how each
    agreed bundle is named, for the lines that follow."""
    lines: list[str] = []
    bargaining = outcome.bargaining
    for r in bargaining.results:
        if r.agreed is None:
            lines.append(f"{r.title}: no agreement within {plural(bargaining.horizon, 'period')}")
        else:
            index = r.agreed.index
            named = seen.get(index) or against(r.agreed.as_dict(), references)
            if named is None:
                lines.append(f"{r.title}: agreement in period {r.agreement_period} on")
                lines += terms_lines(r.agreed)
            else:
                lines += wrapped(f"{r.title}: agreement in period {r.agreement_period} on {named}")
            seen.setdefault(index, f"the terms of the {r.title} agreement")
        if r.agreement_period != 0 and r.path:
            lines.append("  " + why_no_deal_now(r, r.path[0]))
    return lines


def game_lines(
    outcome: Outcome,
    seen: dict[int, str],
    references: list[tuple[str, dict[str, str]]],
    wrap: bool = True,
) -> list[str]:
    """The games' headlines (a bundle named as ``seen`` names it, else against the
    ``references``); ``wrap``: False gives each as one line (for the report)."""
    wrapped_ = wrapped if wrap else (lambda text: [text])
    lines = [f"not built: {reason}" for reason in outcome.games.not_built]
    for game in outcome.games.games:
        if isinstance(game, ComplianceOutcome):
            says = {True: "self-enforcing", False: "not self-enforcing", None: "not computed"}
            over = bundle_phrase(game.game.bundle, seen, references)
            if len(game.game.players) == 2:
                text = f"compliance over {over}: {says[game.self_enforcing]} ({game.game.note})"
            else:
                text = (
                    f"compliance among {plural(len(game.game.players), 'party')} over {over}: "
                    f"{says[game.self_enforcing]}"
                )
            lines += wrapped_(text)
        elif isinstance(game, LeverageOutcome):
            lines.append(
                f"leverage: the mediator chooses {game.choice}; credible threats: "
                + (", ".join(game.credible_threats) or "none")
            )
        elif (form := game.normal_form) is not None:  # the positions game, or any other
            lines.append(equilibria_headline(form))
    return lines


def equilibria_headline(game: NormalFormGame) -> str:
    """A game in normal form in one line: its name and how many equilibria it has."""
    if len(game.players) == 2:
        degenerate = " (degenerate)" if game.degenerate else ""
        return f"{game.name} game: {plural(len(game.equilibria), 'equilibrium')}{degenerate}"
    complete = "" if game.complete else " found (not every mixed one computed)"
    return (
        f"{game.name} game among {plural(len(game.players), 'party')}: "
        f"{plural(len(game.equilibria), 'equilibrium')}{complete}"
    )


def solution_references(outcome: Outcome) -> list[tuple[str, dict[str, str]]]:
    """The solutions' bundles (label, terms): the references a bundle is shown against,
    since the solutions table above prints them in full."""
    return [
        (s.rule.label, s.point.bundle.as_dict()) for s in outcome.solutions if s.point is not None
    ]


def bundle_phrase(
    bundle: Bundle | None, seen: dict[int, str], references: list[tuple[str, dict[str, str]]]
) -> str:
    """A bundle in a line of text: as named before, against a solution (only the changed
    issues, marked), or in full."""
    if bundle is None:
        return "no bundle"
    named = seen.get(bundle.index) or against(bundle.as_dict(), references)
    return named if named is not None else f"the bundle {bundle.words()}"


def why_no_deal_now(result: BargainingOutcome, step: Step) -> str:
    """Why a period passes without agreement, from the equilibrium path."""
    waits = ", ".join(
        f"{p} {v:.3f}" for p, v in zip(result.parties, step.continuation, strict=True)
    )
    if step.offer is None:
        reason = f"{step.proposer} has no offer that every other side would accept"
    else:
        reason = (
            f"{step.proposer} prefers waiting to its best offer the others would accept "
            f"(bundle {step.offer.index}: {step.offer.words()})"
        )
    return f"period {step.period}: {reason}; value of waiting: {waits}"


def render_path(outcome: Outcome) -> str:
    """Every period of each bargaining protocol: who proposes, the best offer the others would
    accept (its index; its terms below the table), whether it is made, and each side's value
    of letting the period pass."""
    blocks = []
    for r in outcome.bargaining.results:
        parties = r.parties
        header = ["period", "proposer", "best offer", "made", *[f"wait {p}" for p in parties]]
        rows = [
            [
                str(p.period),
                p.proposer,
                "-" if p.offer is None else str(p.offer.index),
                "yes" if p.agreed else "no",
                *[f"{v:.3f}" for v in p.continuation],
            ]
            for p in r.path
        ]
        body = table(header, rows, right={0, 2, *range(4, 4 + len(parties))})
        offers = {p.offer.index: p.offer for p in r.path if p.offer is not None}
        legend = [
            line
            for bundle in offers.values()
            for line in terms_lines(bundle, f"bundle {bundle.index}")
        ]
        blocks.append(
            f"  path, {r.title}:\n" + "\n".join("    " + x for x in [*body.splitlines(), *legend])
        )
    return "\n".join(blocks)


def render_summary(rows: list[dict[str, Any]]) -> str:
    """One line per scenario: the outcome table's headline columns."""
    header = ["scenario", "acceptable", "frontier", "nash", "agreement"]
    body = []
    for row in rows:
        periods = [str(v) for k, v in row.items() if k.endswith("_period") and v is not None]
        body.append(
            [
                row["scenario"],
                f"{row['acceptable']:,}",
                str(row["frontier_size"]),
                "yes" if row.get("nash_bundle") else "none",
                ("period " + "/".join(periods))
                if periods
                else ("none" if any(k.endswith("_period") for k in row) else "not computed"),
            ]
        )
    return table(header, body, right={1, 2})


def register_displays() -> None:
    """Show outcomes and run records in a notebook as this module renders them."""
    from sim.display import register
    from sim.runs.run import RunRecord

    register(Outcome, render_outcome)
    register(RunRecord, lambda record: render_summary(list(record.rows)))

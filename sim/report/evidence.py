"""The evidence behind every number of a run's scenarios, shown once: what the scenarios
share is one table, and a scenario that differs shows only the rows that differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.report.blocks import Block, Heading, Items, Paragraph, Table

if TYPE_CHECKING:
    from sim.figures.sources import ScenarioView
    from sim.model.schema import Scenario


@dataclass(frozen=True)
class Part:
    """One table of evidence: a party's numbers, or the levers, war, proposals and games."""

    anchor: str
    heading: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _scope(names: list[str], every: int) -> str:
    if len(names) == every:
        return "every scenario" if every > 1 else names[0]
    return ", ".join(names)


def shared_evidence_blocks(views: list[ScenarioView]) -> list[Block]:
    """The evidence of every scenario of a run, each table once: the version most scenarios
    share in full, then for each scenario that differs only the rows that differ (a row is
    an issue, red line, lever, proposal, ...). Assumptions and sources are listed once, each
    with the scenarios it belongs to when not all."""
    if not views:
        return []
    every = len(views)
    per: dict[str, dict[str, Part]] = {}
    order: list[str] = []
    assumed: dict[str, list[str]] = {}
    sources: dict[tuple[str, ...], list[str]] = {}
    for view in views:
        name = view.outcome.scenario
        parts, assumptions, cited = evidence_parts(view)
        for part in parts:
            if part.anchor not in order:
                order.append(part.anchor)
            per.setdefault(part.anchor, {})[name] = part
        for line in dict.fromkeys(assumptions):
            assumed.setdefault(line, []).append(name)
        for source in cited:
            sources.setdefault(source, []).append(name)
    blocks: list[Block] = [
        Heading(2, "The evidence behind each number", "evidence"),
        Paragraph(
            "Each table is shown once. Where a scenario changes a number, its rows that "
            "differ follow the table, under the scenario's name."
        ),
    ]
    for anchor in order:
        versions = per[anchor]
        groups: dict[tuple[str, tuple[tuple[str, ...], ...]], list[str]] = {}
        for name, part in versions.items():
            groups.setdefault((part.heading, part.rows), []).append(name)
        (heading, rows), shared = max(groups.items(), key=lambda kv: len(kv[1]))
        header = next(iter(versions.values())).header
        blocks.append(Heading(3, f"{heading}: {_scope(shared, every)}", anchor))
        if rows:
            blocks.append(Table(header, rows))
        else:
            blocks.append(Paragraph("No weights or evidence given."))
        for (other_heading, other_rows), names in groups.items():
            if names is shared:
                continue
            differ = tuple(r for r in other_rows if r not in rows)
            gone = [r[0] for r in rows if r[0] not in {o[0] for o in other_rows}]
            title = f"In {', '.join(names)}: what differs"
            if other_heading != heading:
                title += f" ({other_heading})"
            blocks.append(Heading(4, title))
            if differ:
                blocks.append(Table(header, differ))
            if gone:
                blocks.append(Paragraph("Not in these scenarios: " + ", ".join(gone) + "."))
    if sources:
        blocks.append(Heading(3, "Sources", "evidence-sources"))
        blocks.append(
            Table(
                ("id", "title", "outlet", "date", "document", "cited in"),
                tuple((*s, _scope(n, every)) for s, n in sources.items()),
            )
        )
    blocks.append(Heading(3, "Assumptions (judgment, not quoted evidence)", "assumptions"))
    blocks.append(
        Items(
            tuple(
                line + ("" if len(n) == every else f" [in {', '.join(n)}]")
                for line, n in assumed.items()
            )
        )
        if assumed
        else Paragraph("None.")
    )
    return blocks


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


def evidence_parts(view: ScenarioView) -> tuple[list[Part], list[str], list[tuple[str, ...]]]:
    """One scenario's evidence: per party (and for the levers, war, proposals and games) the
    evidence behind each number as a :class:`Part`; the assumptions; the sources."""
    scenario = view.loaded.scenario
    names = view.names
    assumptions: list[str] = []
    parts: list[Part] = []

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
        parts.append(
            Part(
                f"evidence-{key}",
                f"{names.party(key)} ({veto}, discount {party.discount:g})",
                ("issue", "weight", "values", "evidence"),
                tuple(rows),
            )
        )
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
        parts.append(
            Part(
                "evidence-levers",
                "Levers, the war, the proposals and the games",
                ("what", "value", "meaning", "evidence"),
                tuple(extra),
            )
        )
    sources: list[tuple[str, ...]] = [
        (k, s.title or "", s.outlet or "", str(s.date or ""), s.document or "")
        for k, s in scenario.sources.items()
    ]
    return parts, assumptions, sources


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

"""The report's sections for a negotiation or a tournament run (read from stored results)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.report.blocks import Block, FigureBlock, Heading, Paragraph, Table
from sim.report.blocks import number_text as _num

if TYPE_CHECKING:
    from sim.agents.result import NegotiationResult
    from sim.figures.sources import RunSource


def agents_blocks(source: RunSource) -> list[Block]:
    """A negotiation: its outcome, its trace and its figure; a tournament: each agent's
    record and the figure."""
    from sim.figures import FigureOptions, build_figures

    blocks: list[Block] = []
    if source.kind == "negotiation":
        charts = build_figures(source, "negotiation", FigureOptions())
        for result, chart in zip(source.negotiations, charts, strict=True):
            blocks += _negotiation(result)
            blocks.append(FigureBlock(chart, f"{result.scenario}-negotiation"))
        return blocks
    tournament = source.tournament
    assert tournament is not None
    blocks += [
        Heading(2, "The tournament"),
        Paragraph(
            f"{len(tournament.rows)} negotiations on {', '.join(tournament.scenarios)}: every "
            f"assignment of distinct agents to the negotiating parties, {tournament.seeds} seeds, "
            f"{tournament.protocol} protocol, a deadline of {tournament.rounds} rounds"
            + (
                f", on {tournament.draws} variants of each scenario drawn from its uncertainty."
                if tournament.draws
                else "."
            )
        ),
        Table(
            (
                "agent",
                "negotiations",
                "agreement rate (95% interval)",
                "mean round",
                "mean own utility",
                "mean welfare",
                "to frontier",
                "to Nash",
                "to equilibrium",
            ),
            tuple(
                (
                    s.agent,
                    str(s.negotiations),
                    f"{_num(s.agreement_rate)} ({_num(s.agreement_low)}–{_num(s.agreement_high)})",
                    _num(s.mean_round),
                    _num(s.mean_utility),
                    _num(s.mean_welfare),
                    _num(s.mean_to_frontier),
                    _num(s.mean_to_nash),
                    _num(s.mean_to_equilibrium),
                )
                for s in tournament.standings
            ),
            caption="Means over every negotiation an agent took part in (rounds over its "
            "agreements); distances in the negotiating parties' utilities.",
        ),
    ]
    (chart,) = build_figures(source, "tournament", FigureOptions())
    blocks.append(FigureBlock(chart, "tournament"))
    return blocks


def _negotiation(result: NegotiationResult) -> list[Block]:
    s, parties = result.summary, result.parties
    outcome = (
        f"Agreement in round {s.agreed_round}."
        if s.agreed
        else f"Breakdown at the deadline of {result.rounds} rounds: each party gets its "
        "reservation."
    )
    agents = ", ".join(f"{p}: {a}" for p, a in zip(parties, result.agents, strict=True))
    return [
        Heading(2, f"{result.scenario}: {result.protocol} negotiation"),
        Paragraph(
            f"{agents}; {result.table_size} bundles on the table; seed {result.seed}. " + outcome
        ),
        Table(
            ("", *parties, "welfare"),
            (
                ("outcome", *(_num(u) for u in s.utilities), _num(s.welfare)),
                ("reservation", *(_num(u) for u in result.reservations), ""),
                *(
                    [("Nash point", *(_num(u) for u in result.nash.utilities), "")]
                    if result.nash is not None
                    else []
                ),
                ("equilibrium", *(_num(u) for u in result.equilibrium.utilities), ""),
            ),
            caption=f"Distance to the Pareto frontier {_num(s.to_frontier)}, to the Nash "
            f"point {_num(s.to_nash)}, to the equilibrium outcome {_num(s.to_equilibrium)}.",
        ),
        Table(
            ("round", "proposer", "offer", *parties, "answer"),
            tuple(
                (
                    str(e.round),
                    e.proposer,
                    ", ".join(f"{k}={v}" for k, v in e.offer.terms),
                    *(_num(u) for u in e.offer.utilities),
                    f"rejected by {e.rejected_by}"
                    if e.rejected_by
                    else ("accepted" if e.accepted_by else "open"),
                )
                for e in result.trace
            ),
            caption="Every offer, in order.",
        ),
    ]

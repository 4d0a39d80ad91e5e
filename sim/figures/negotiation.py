"""A negotiation's offers in utility space and over time (read from its typed result)."""

from __future__ import annotations

import numpy as np

from sim.agents.result import NegotiationResult
from sim.agents.tournament import TournamentResult
from sim.figures.chart import COLOURS, NO_NAMES, Chart, Names, fit_suptitle, new_figure


def negotiation_chart(result: NegotiationResult, names: Names = NO_NAMES) -> Chart:
    """Left: every offer in the first two negotiating parties' utilities, coloured by who
    made it and fading from early (light) to late (dark), with the reservation point, the
    Nash point, the equilibrium outcome and the agreement. Right: per proposer, its own
    utility of each of its offers by round."""
    parties = result.parties
    proposers = sorted({e.proposer for e in result.trace}, key=lambda p: (p not in parties, p))
    colour = {p: COLOURS[k % len(COLOURS)] for k, p in enumerate(proposers)}
    figure = new_figure(9.0, 5.4, right=0.3, bottom=1.5, hspace=0.3)
    agents = ", ".join(
        f"{names.party(p)}: {a}" for p, a in zip(parties, result.agents, strict=True)
    )
    fit_suptitle(figure, f"{result.scenario}: {result.protocol} negotiation ({agents})")
    space, time = figure.subplots(1, 2)
    figure.subplots_adjust(wspace=0.3)
    hover: dict[str, tuple[str, ...]] = {}
    rounds = max(result.rounds - 1, 1)
    data: dict[str, object] = {}
    for proposer in proposers:
        entries = [e for e in result.trace if e.proposer == proposer]
        points = np.array([e.offer.utilities for e in entries], dtype=np.float64)
        at = np.array([e.round for e in entries], dtype=np.float64)
        gid = f"offers_{proposers.index(proposer)}"
        space.scatter(
            points[:, 0],
            points[:, 1],
            s=14,
            color=colour[proposer],
            alpha=None,
            label=f"offers by {names.party(proposer)}",
            gid=gid,
        ).set_alpha(None)
        shades = 0.25 + 0.75 * at / rounds
        space.collections[-1].set_alpha(shades)
        hover[gid] = tuple(
            f"round {e.round}, {proposer}: " + ", ".join(f"{k}={v}" for k, v in e.offer.terms)
            for e in entries
        )
        own = parties.index(proposer) if proposer in parties else None
        values = points[:, own] if own is not None else points.sum(axis=1)
        time.plot(
            at,
            values,
            marker=".",
            color=colour[proposer],
            label=f"{names.party(proposer)}: own utility"
            if own is not None
            else "mediator: welfare",
        )
        data[proposer] = points
    marks = [
        ("reservations", result.reservations, "s", "grey"),
        ("equilibrium", result.equilibrium.utilities, "D", "black"),
    ]
    if result.nash is not None:
        marks.append(("Nash point", result.nash.utilities, "^", "#8e6c8a"))
    if result.agreement is not None:
        marks.append(("agreement", result.agreement.utilities, "*", "#d4a017"))
    for label, utilities, marker, shade in marks:
        space.scatter(
            [utilities[0]],
            [utilities[1]],
            marker=marker,
            s=90,
            color=shade,
            label=label,
            edgecolors="black",
            linewidths=0.6,
            zorder=3,
        )
    space.set_xlabel(f"utility of {names.party(parties[0])}")
    space.set_ylabel(f"utility of {names.party(parties[1])}")
    below = (0.0, -0.55 / (space.get_position().height * figure.get_figheight()))
    space.legend(fontsize=7, loc="upper left", bbox_to_anchor=below, ncol=2, frameon=False)
    time.set_xlabel("round")
    time.set_ylabel("utility")
    if result.summary.agreed_round is not None:
        time.axvline(result.summary.agreed_round, color="black", linewidth=0.8, linestyle=":")
    time.legend(fontsize=7, loc="upper left", bbox_to_anchor=below, frameon=False)
    outcome = (
        f"agreement in round {result.summary.agreed_round}"
        if result.summary.agreed
        else f"breakdown at the deadline of {result.rounds} rounds"
    )
    caption = (
        f"{len(result.trace)} offers; {outcome}; distance to the frontier "
        f"{'n/a' if result.summary.to_frontier is None else f'{result.summary.to_frontier:.3f}'}"
        f", to the equilibrium outcome {result.summary.to_equilibrium:.3f}."
    )
    return Chart(
        "negotiation", "Offers in utility space and over time", figure, caption, hover, data
    )


def tournament_chart(result: TournamentResult) -> Chart:
    """Per agent, four panels: agreement rate, mean own utility, mean welfare, and mean
    distance to the Pareto frontier and to the equilibrium outcome."""
    names = [s.agent for s in result.standings]
    figure = new_figure(9.0, 5.2, left=0.9, right=0.3, bottom=1.0, hspace=0.6)
    figure.suptitle(
        f"Tournament: {len(result.rows)} negotiations on {', '.join(result.scenarios)} "
        f"({result.protocol}, {result.rounds} rounds, {result.seeds} seeds"
        + (f", {result.draws} drawn variants each" if result.draws else "")
        + ")",
        fontsize=9,
    )
    axes = figure.subplots(2, 2).ravel()
    x = np.arange(len(names))
    panels: list[tuple[str, list[float]]] = [
        ("agreement rate", [s.agreement_rate for s in result.standings]),
        ("mean own utility", [s.mean_utility for s in result.standings]),
        ("mean welfare", [s.mean_welfare for s in result.standings]),
    ]
    rates = np.array([s.agreement_rate for s in result.standings])
    interval = np.array([[s.agreement_low, s.agreement_high] for s in result.standings])
    errors = np.abs(interval.T - rates) if len(names) else None
    for n, (ax, (label, values)) in enumerate(zip(axes, panels, strict=False)):
        ax.bar(
            x,
            values,
            color=[COLOURS[k % len(COLOURS)] for k in range(len(names))],
            yerr=errors if n == 0 else None,
            capsize=3,
        )
        ax.set_title(label)
        ax.set_xticks(x, names, rotation=30, fontsize=7)
    ax = axes[3]
    width = 0.4
    frontier = [
        np.nan if s.mean_to_frontier is None else s.mean_to_frontier for s in result.standings
    ]
    ax.bar(x - width / 2, frontier, width, color="#1b6ca8", label="to frontier")
    ax.bar(
        x + width / 2,
        [s.mean_to_equilibrium for s in result.standings],
        width,
        color="#c8553d",
        label="to equilibrium",
    )
    ax.set_title("mean distance")
    ax.set_xticks(x, names, rotation=30, fontsize=7)
    ax.legend(fontsize=7)
    data: dict[str, object] = {s.agent: s.row() for s in result.standings}
    caption = (
        "Means over every negotiation an agent took part in (rounds over agreements); "
        "agreement rates with their 95% Wilson intervals."
    )
    return Chart("tournament", "Agents in a tournament", figure, caption, {}, data)

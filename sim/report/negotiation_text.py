"""A negotiation and a tournament as terminal text."""

from __future__ import annotations

from sim.agents.result import NegotiationResult, Point


def _terms(point: Point) -> str:
    return ", ".join(f"{issue}={option}" for issue, option in point.terms)


def _utilities(parties: tuple[str, ...], utilities: tuple[float, ...]) -> str:
    return ", ".join(f"{p} {u:.3f}" for p, u in zip(parties, utilities, strict=True))


def _distance(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_negotiation(result: NegotiationResult) -> str:
    """The trace offer by offer, the outcome, and its distances."""
    parties = result.parties
    agents = ", ".join(f"{p}: {a}" for p, a in zip(parties, result.agents, strict=True))
    lines = [
        f"{result.scenario}: {result.protocol} protocol, {result.rounds} rounds, seed "
        f"{result.seed}; {agents}; {result.table_size} bundles on the table",
        "",
    ]
    for entry in result.trace:
        answer = (
            f"rejected by {entry.rejected_by}"
            if entry.rejected_by is not None
            else "agreed"
            if result.agreement is not None and entry is result.trace[-1]
            else "open at the deadline"
        )
        accepted = f"; accepted by {', '.join(entry.accepted_by)}" if entry.accepted_by else ""
        lines.append(
            f"round {entry.round:>3} {entry.proposer} offers {_terms(entry.offer)} "
            f"[{_utilities(parties, entry.offer.utilities)}]{accepted}; {answer}"
        )
    s = result.summary
    lines.append("")
    if result.agreement is not None:
        lines.append(
            f"agreement in round {s.agreed_round}: {_terms(result.agreement)} "
            f"[{_utilities(parties, s.utilities)}]"
        )
    else:
        lines.append(
            f"breakdown at the deadline ({result.rounds} rounds): each party gets its "
            f"reservation [{_utilities(parties, s.utilities)}]"
        )
    eq = result.equilibrium
    eq_text = (
        f"agreement in round {result.equilibrium_round} on {_terms(eq)}"
        if eq.index is not None
        else "no agreement"
    )
    lines += [
        f"welfare {s.welfare:.3f}; distance to the Pareto frontier {_distance(s.to_frontier)}, "
        f"to the Nash point {_distance(s.to_nash)}, to the equilibrium outcome "
        f"{s.to_equilibrium:.3f}",
        f"equilibrium (stacked alternating offers, same order and deadline): {eq_text} "
        f"[{_utilities(parties, eq.utilities)}]",
    ]
    if result.nash is not None:
        lines.append(
            f"Nash point: {_terms(result.nash)} [{_utilities(parties, result.nash.utilities)}]"
        )
    return "\n".join(lines)

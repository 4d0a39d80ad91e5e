"""Outcome documents as terminal text: solutions side by side, bundles in words."""

from __future__ import annotations

import textwrap
from typing import Any

from sim.report.text import table

SHORT = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai-Smorodinsky",
    "egalitarian": "egalitarian",
    "utilitarian": "utilitarian",
}


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render_outcome(document: dict[str, Any]) -> str:
    """One scenario: space, reservations, the four solutions side by side, strategy headline."""
    space = document["space"]
    share = space["acceptable"] / space["bundles"]
    estimate = " (estimate)" if "acceptable_estimate" in space else ""
    lines = [
        f"{document['scenario']}: {document.get('title', '')}",
        f"  bundles {space['bundles']:,}  feasible {space['feasible']:,}  "
        f"acceptable {space['acceptable']:,}{estimate} ({share:.2%})  "
        f"frontier {document.get('frontier_size', len(document['frontier']))}",
        "  reservations: "
        + ", ".join(f"{p} {_num(v)}" for p, v in document["reservations"].items()),
    ]
    solutions = document["solutions"]
    present = [n for n, s in solutions.items() if s is not None]
    if not present:
        lines.append("  no bundle is acceptable to every veto party: no settlement exists")
    else:
        header = ["", *[SHORT.get(n, n) for n in present]]
        rows = [
            [issue, *[solutions[n]["bundle"][issue] for n in present]]
            for issue in document["issues"]
        ]
        rows += [
            [f"u {p}", *[_num(solutions[n]["utilities"][p]) for n in present]]
            for p in document["parties"]
        ]
        lines += ["  " + line for line in table(header, rows).splitlines()]
    lines += [f"  {line}" for line in strategy_lines(document)]
    return "\n".join(lines)


def strategy_lines(document: dict[str, Any]) -> list[str]:
    """Headline of the bargaining over time and the games."""
    lines: list[str] = []
    shown: set[int] = set()
    bargaining = document.get("bargaining")
    if bargaining is not None:
        for r in bargaining["results"]:
            if r["agreement_period"] is None:
                lines.append(
                    f"{r['protocol']}: no agreement within {bargaining['horizon']} periods"
                )
            else:
                period, index = r["agreement_period"], r["index"]
                lines.append(f"{r['protocol']}: agreement in period {period} on bundle {index}")
                if index not in shown:
                    shown.add(index)
                    terms = "; ".join(f"{k}={v}" for k, v in r["bundle"].items())
                    lines += textwrap.wrap(
                        f"terms: {terms}", width=96, initial_indent="  ", subsequent_indent="    "
                    )
            if r["agreement_period"] != 0:
                lines.append("  " + why_no_deal_now(r["path"][0]))
        lines += [f"not built: {reason}" for reason in bargaining.get("not_built", [])]
    for game in document.get("equilibria", {}).get("games", []):
        if game["name"] == "compliance":
            verdict = "self-enforcing" if game["self_enforcing"] else "not self-enforcing"
            lines.append(
                f"compliance over bundle {game['bundle_index']}: {verdict} ({game.get('note', '')})"
            )
        elif game["name"] == "positions":
            lines.append(
                f"positions game: {len(game['equilibria'])} equilibria"
                + (" (degenerate)" if game["degenerate"] else "")
            )
        elif game["name"] == "leverage":
            credible = [p["policy"] for p in game["policies"] if p["target"] and p["credible"]]
            lines.append(
                f"leverage: the mediator chooses {game['choice']}; credible threats: "
                + (", ".join(credible) or "none")
            )
    return lines


def why_no_deal_now(period: dict[str, Any]) -> str:
    """Why the first period passes without agreement, from the equilibrium path."""
    waits = ", ".join(f"{p} {v:.3f}" for p, v in period["continuation"].items())
    if period["offer"] is None:
        reason = f"{period['proposer']} has no offer that every other side would accept"
    else:
        reason = (
            f"{period['proposer']} prefers waiting to its best offer the others would accept "
            f"(bundle {period['offer']})"
        )
    return f"period 0: {reason}; value of waiting: {waits}"


def render_path(document: dict[str, Any]) -> str:
    """Every period of each bargaining protocol: who proposes, the best offer the others would
    accept, whether it is made, and each side's value of letting the period pass."""
    bargaining = document.get("bargaining")
    if bargaining is None:
        return ""
    blocks = []
    for r in bargaining["results"]:
        parties = list(r["path"][0]["continuation"]) if r["path"] else []
        header = ["period", "proposer", "best offer", "made", *[f"wait {p}" for p in parties]]
        rows = [
            [
                str(p["period"]),
                p["proposer"],
                "-" if p["offer"] is None else str(p["offer"]),
                "yes" if p["agreed"] else "no",
                *[f"{v:.3f}" for v in p["continuation"].values()],
            ]
            for p in r["path"]
        ]
        body = table(header, rows, right={0, 2, *range(4, 4 + len(parties))})
        blocks.append(
            f"  path, {r['protocol']}:\n" + "\n".join("    " + x for x in body.splitlines())
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
                ("period " + "/".join(periods)) if periods else "none",
            ]
        )
    return table(header, body, right={1, 2})

"""`sim spatial` in the terminal: the forecast, positions by round, challenges, movement."""

from __future__ import annotations

from typing import Any

from sim.report.text import table
from sim.spatial.forecast import MODELS
from sim.spatial.result import SpatialResult

MAX_CHALLENGE_LINES = 200
"""Most challenges listed; the JSON document has them all."""


def _n(value: float) -> str:
    return f"{value:.4g}"


def render_spatial(result: SpatialResult) -> str:
    """The forecast, each dimension's positions by round, the challenges and how each
    resolved, and each actor's movement."""
    label = MODELS[result.model].label if result.model in MODELS else result.model
    settings = ", ".join(f"{k}={v}" for k, v in result.options)
    lines = [
        f"{result.scenario}: {label}" + (f" ({settings})" if settings else ""),
        "",
        "forecast: "
        + ", ".join(
            f"{d} {_n(v)}" for d, v in zip(result.dimensions, result.forecast, strict=True)
        ),
    ]
    if result.rounds:
        stop = "positions stopped moving" if result.converged else "still moving at the last round"
        lines.append(f"rounds: {result.rounds} ({stop})")
    for k, dim in enumerate(result.dimensions):
        lo, hi = result.scales[k]
        lines += ["", f"positions on {dim} [{_n(lo)}, {_n(hi)}] by round:"]
        header = ["round", *result.actors, "group"]
        rows = [
            [str(r), *(_n(rnd[i][k]) for i in range(len(result.actors))), _n(result.group[r][k])]
            for r, rnd in enumerate(result.positions)
        ]
        lines.append(table(header, rows, right=set(range(len(header)))))
    if result.challenges:
        shown = result.challenges[:MAX_CHALLENGE_LINES]
        lines += ["", f"challenges ({len(result.challenges)}):"]
        rows = [
            [
                str(c.round),
                ",".join(c.dimensions),
                c.challenger,
                c.target,
                c.kind,
                "/".join(_n(v) for v in c.proposed),
                "-" if c.probability is None else f"{c.probability:.3f}",
                "accepted" if c.accepted else "not taken",
            ]
            for c in shown
        ]
        header = ["round", "on", "challenger", "target", "kind", "to", "P(win)", "resolved"]
        lines.append(table(header, rows, right={0, 5, 6}))
        if len(shown) < len(result.challenges):
            lines.append(f"... {len(result.challenges) - len(shown)} more in the JSON document")
    elif result.rounds:
        lines += ["", "challenges: none"]
    lines += ["", "movement (last minus first position):"]
    movement = result.movement()
    rows = [[a, *(_n(v) for v in movement[a])] for a in result.actors]
    lines.append(
        table(["actor", *result.dimensions], rows, right=set(range(1, 1 + len(result.dimensions))))
    )
    return "\n".join(lines)


def render_draws(summary: dict[str, Any]) -> str:
    """The forecast under uncertainty: per dimension the stated forecast, the mean and the
    5%-95% range over the draws."""
    judgments = summary["judgments"]
    lines = [
        f"{summary['scenario']}: {summary['model']} over {summary['draws']} draws "
        f"(seed {summary['seed']}), {len(judgments)} judgments varying"
        + ("" if judgments else ": nothing varies (declare uncertainty: or give --vary)"),
    ]
    rows = []
    for dim, s in summary["dimensions"].items():
        q = s["quantiles"]
        rows.append(
            [
                dim,
                _n(s["stated"]),
                _n(s["mean"]),
                _n(q["0.5"]),
                f"[{_n(q['0.05'])}, {_n(q['0.95'])}]",
            ]
        )
    lines.append(table(["dimension", "stated", "mean", "median", "5%-95%"], rows))
    return "\n".join(lines)

"""The report's content for a spatial run: per scenario the forecast, the figure of
positions by round, each actor's movement and the challenges round by round."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from sim.report.blocks import Block, FigureBlock, Heading, Paragraph, Table
from sim.spatial.forecast import MODELS

if TYPE_CHECKING:
    from sim.figures.sources import RunSource

KINDS = ("conflict", "compromise", "capitulation", "bargain")


def _n(value: float) -> str:
    return f"{value:.4g}"


def spatial_blocks(source: RunSource) -> list[Block]:
    from sim.figures import FigureOptions, build_figures

    blocks: list[Block] = []
    for result in source.spatial:
        label = MODELS[result.model].label if result.model in MODELS else result.model
        blocks.append(Heading(2, f"{result.scenario}: {label}", anchor=result.scenario))
        settings = ", ".join(f"{k} = {v}" for k, v in result.options)
        stop = (
            ""
            if not result.rounds
            else f" after {result.rounds} rounds"
            + ("" if result.converged else " (positions were still moving)")
        )
        forecast = ", ".join(
            f"{d} {_n(v)}" for d, v in zip(result.dimensions, result.forecast, strict=True)
        )
        blocks.append(
            Paragraph(
                f"Forecast{stop}: {forecast}." + (f" Settings: {settings}." if settings else "")
            )
        )
        (chart,) = build_figures(source, "spatial", FigureOptions(scenario=result.scenario))
        blocks.append(FigureBlock(chart, f"{result.scenario}-spatial"))
        movement = result.movement()
        rows = []
        for k, actor in enumerate(result.actors):
            for d, dim in enumerate(result.dimensions):
                rows.append(
                    (
                        actor,
                        dim,
                        _n(result.positions[0][k][d]),
                        _n(result.positions[-1][k][d]),
                        _n(movement[actor][d]),
                    )
                )
        blocks.append(Table(("actor", "dimension", "start", "end", "movement"), tuple(rows)))
        if result.challenges:
            per_round: dict[int, Counter[str]] = {}
            for c in result.challenges:
                count = per_round.setdefault(c.round, Counter())
                count[c.kind] += 1
                count["accepted"] += int(c.accepted)
            kinds = [k for k in KINDS if any(k in v for v in per_round.values())]
            blocks.append(
                Table(
                    ("round", *kinds, "accepted"),
                    tuple(
                        (str(r), *(str(v[k]) for k in kinds), str(v["accepted"]))
                        for r, v in sorted(per_round.items())
                    ),
                    caption="Challenges by round and how they resolved (every challenge, with "
                    "its challenger, target and proposed position, is in the run's JSON).",
                )
            )
    return blocks

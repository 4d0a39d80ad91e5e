"""A spatial forecast: each actor's position per round, and the group's forecast."""

from __future__ import annotations

import numpy as np

from sim.figures.chart import COLOURS, Chart, new_figure
from sim.spatial.result import SpatialResult

MAX_PANELS = 8
"""Most dimensions drawn (one panel each); the caption says when some are left out."""


def spatial_chart(result: SpatialResult) -> Chart:
    """One panel per dimension: each actor's position over the rounds (thin lines) and the
    model's forecast of the group's position (thick black), on the dimension's scale."""
    dims = result.dimensions[:MAX_PANELS]
    figure = new_figure(7.6, 1.2 + 2.4 * len(dims), right=2.2, top=0.8)
    figure.suptitle(f"{result.scenario}: {result.model}, positions by round", fontsize=10)
    positions = np.asarray(result.positions)  # (rounds + 1, n, d)
    group = np.asarray(result.group)
    rounds = np.arange(positions.shape[0])
    data: dict[str, object] = {"positions": positions, "group": group}
    for k, dim in enumerate(dims):
        ax = figure.add_subplot(len(dims), 1, k + 1)
        for i, actor in enumerate(result.actors):
            ax.plot(
                rounds,
                positions[:, i, k],
                linewidth=1.0,
                alpha=0.8,
                color=COLOURS[i % len(COLOURS)],
                label=actor if k == 0 else None,
            )
        ax.plot(
            rounds, group[:, k], color="black", linewidth=2.2, label="forecast" if k == 0 else None
        )
        lo, hi = result.scales[k]
        ax.set_ylim(lo - 0.02 * (hi - lo), hi + 0.02 * (hi - lo))
        ax.set_ylabel(dim)
        ax.set_xlim(0, max(1, rounds[-1]))
        if k == len(dims) - 1:
            ax.set_xlabel("round")
        if k == 0:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    forecast = ", ".join(
        f"{d} {v:.4g}" for d, v in zip(result.dimensions, result.forecast, strict=True)
    )
    left_out = len(result.dimensions) - len(dims)
    caption = (
        f"Forecast after {result.rounds} rounds: {forecast}."
        + ("" if result.converged else " Positions were still moving at the last round.")
        + (f" {left_out} dimensions not drawn." if left_out else "")
    )
    return Chart("spatial", "Positions by round", figure, caption, data=data)


def spatial_svg(result: SpatialResult) -> str:
    """The positions-by-round figure of ``result`` as SVG text with its caption (what a spatial
    run folder keeps in ``figures/<scenario>.svg``)."""
    from sim.figures.chart import svg_text

    return svg_text(spatial_chart(result), result.scenario, with_caption=True)

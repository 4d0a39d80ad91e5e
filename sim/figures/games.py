"""The games: payoff tables with the equilibria marked."""

from __future__ import annotations

import numpy as np

from sim.analysis.outcome import ComplianceOutcome, NormalFormGame, Outcome
from sim.figures.chart import NO_NAMES, Chart, Names, fit_suptitle, new_figure

EQUILIBRIUM = "#f3d27a"


def pure_cells(game: NormalFormGame) -> list[tuple[int, int]]:
    """The cells (row, column) played with certainty in some equilibrium."""
    cells = []
    for e in game.equilibria:
        rows, columns = (
            np.flatnonzero(e.strategies[0] > 1 - 1e-9),
            np.flatnonzero(e.strategies[1] > 1 - 1e-9),
        )
        if len(rows) == 1 and len(columns) == 1:
            cells.append((int(rows[0]), int(columns[0])))
    return cells


def _mixed(game: NormalFormGame, names: Names) -> list[str]:
    out = []
    for e in game.equilibria:
        if all(np.max(s) > 1 - 1e-9 for s in e.strategies):
            continue
        mix = "; ".join(
            f"{names.party(player)} "
            + ", ".join(f"{label} {p:.2f}" for label, p in zip(labels, s, strict=True) if p > 1e-9)
            for player, labels, s in zip(game.players, game.strategies, e.strategies, strict=True)
        )
        out.append(f"mixed equilibrium: {mix} (payoffs {e.payoffs[0]:.3f}, {e.payoffs[1]:.3f})")
    return out


def games_chart(outcome: Outcome, names: Names = NO_NAMES) -> Chart:
    """Every two-player game of the scenario as a payoff table (row player's payoff first);
    cells of pure equilibria shaded."""
    from matplotlib.transforms import Bbox

    matrices = [
        (g, inner)
        for g in outcome.games.games
        if (inner := g.normal_form) is not None and len(inner.players) == 2
    ]
    others = [
        inner
        for g in outcome.games.games
        if (inner := g.normal_form) is not None and len(inner.players) != 2
    ]
    title = "The games and their equilibria"
    heights = [0.32 * (len(m.strategies[0]) + 1) + 0.9 for _, m in matrices] or [1.2]
    figure = new_figure(7.6, sum(heights) + 0.6, left=0.3, right=0.3, bottom=0.1, top=0.85)
    fit_suptitle(figure, f"{outcome.title}\n{title}")
    captions = []
    cells: dict[str, list[tuple[int, int]]] = {}
    if not matrices:
        ax = figure.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no two-player game was built", ha="center", transform=ax.transAxes)
    grid = figure.add_gridspec(max(1, len(matrices)), 1, height_ratios=heights)
    for n, (outer, game) in enumerate(matrices):
        ax = figure.add_subplot(grid[n])
        ax.set_axis_off()
        a, b = game.payoffs
        marked = pure_cells(game)
        # one compliance game per agreed bundle: keyed as `sim games --export` names them
        cells[game.name if game.bundle is None else f"{game.name}-{game.bundle.index}"] = marked
        columns = a.shape[1]
        text = [
            [label, *[f"{a[r, c]:.3f}, {b[r, c]:.3f}" for c in range(columns)]]
            for r, label in enumerate(game.strategies[0])
        ]
        colours = [
            ["#f1f1f1", *[EQUILIBRIUM if (r, c) in marked else "white" for c in range(columns)]]
            for r in range(a.shape[0])
        ]
        corner = f"{names.party(game.players[0])} \\ {names.party(game.players[1])}"
        table = ax.table(
            cellText=text,
            cellColours=colours,
            colLabels=[corner, *game.strategies[1]],
            colColours=["#f1f1f1"] * (columns + 1),
            colWidths=[0.3, *[0.7 / columns] * columns],
            bbox=Bbox.from_bounds(0.0, 0.0, 1.0, 0.8),
            cellLoc="center",
        )
        table.auto_set_font_size(False)
        table.set_fontsize(7.5)
        rows_player, cols_player = (names.party(p) for p in game.players)
        heading = f"{game.name}: {rows_player} (rows) vs {cols_player} (columns)"
        if isinstance(outer, ComplianceOutcome):
            heading += " — self-enforcing" if outer.self_enforcing else " — not self-enforcing"
        ax.set_title(heading, fontsize=8.5, loc="left")
        pure = ", ".join(f"{game.strategies[0][r]} / {game.strategies[1][c]}" for r, c in marked)
        captions.append(
            f"{game.name}: {len(game.equilibria)} "
            + ("equilibrium" if len(game.equilibria) == 1 else "equilibria")
            + (f" (pure: {pure})" if pure else "")
            + "".join(f"; {m}" for m in _mixed(game, names))
            + "."
        )
    caption = (
        "Each cell gives the row player's payoff, then the column player's (utilities, 0 to 1); "
        "shaded cells are pure equilibria." + "".join(" " + c for c in captions)
    )
    for other in others:
        name = other.name
        players = ", ".join(names.party(p) for p in other.players)
        count = len(other.equilibria)
        caption += (
            f" {name} among {players}: {count} equilibria (more than two players: "
            "not drawn as a table)."
        )
    for reason in outcome.games.not_built:
        caption += f" Not built: {reason}."
    return Chart("games", title, figure, caption, {}, {"cells": cells})

"""Compare: what changed between two runs, per metric."""

from __future__ import annotations

import numpy as np

from sim.figures.chart import COLOURS, Chart, new_figure
from sim.runs.compare import Comparison

ROWS = 30


def numeric_changes(comparison: Comparison) -> list[tuple[str, str, float, float]]:
    """(row key, column, old, new) for every change between two numbers."""
    out = []
    for change in comparison.changes:
        old, new = change.old, change.new
        if isinstance(old, int | float) and isinstance(new, int | float):
            out.append((" / ".join(change.key), change.column, float(old), float(new)))
    return out


def compare_chart(comparison: Comparison) -> Chart:
    """Old and new value of each changed numeric metric (a dumbbell per row and metric);
    changes of words (bundles, verdicts) are counted in the caption."""
    numbers = numeric_changes(comparison)
    shown = sorted(numbers, key=lambda c: -abs(c[3] - c[2]))[:ROWS]
    title = "What changed between the two runs"
    figure = new_figure(7.6, 0.28 * max(len(shown), 3) + 1.6, left=3.2)
    figure.suptitle(f"{comparison.run_a} → {comparison.run_b}\n{title}", fontsize=10)
    ax = figure.add_subplot()
    if shown:
        y = np.arange(len(shown))[::-1]
        old = np.array([c[2] for c in shown])
        new = np.array([c[3] for c in shown])
        ax.hlines(y, old, new, color="#999999", linewidth=1)
        ax.scatter(old, y, color=COLOURS[1], s=18, label="run A", zorder=3)
        ax.scatter(new, y, color=COLOURS[0], s=18, label="run B", zorder=3)
        ax.set_yticks(y, [f"{c[0]}: {c[1]}" for c in shown], fontsize=7)
        ax.set_xlabel("value (utilities 0 to 1; counts and periods as recorded)")
        ax.legend(fontsize=7, loc="best")
        ax.grid(True, axis="x", linewidth=0.3, alpha=0.5)
    else:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no number changed", ha="center", va="center", transform=ax.transAxes)
    words = len(comparison.changes) - len(numbers)
    caption = comparison.summary() + "."
    if numbers:
        biggest = shown[0]
        caption += (
            f" The largest numeric change: {biggest[1]} of {biggest[0]}, "
            f"{biggest[2]:.4g} → {biggest[3]:.4g}."
        )
    if len(numbers) > len(shown):
        caption += f" The {len(shown)} largest of {len(numbers)} numeric changes are drawn."
    if words:
        caption += (
            f" {words} {'change' if words == 1 else 'changes'} of words (bundles, verdicts, "
            "choices) listed in the report's table."
        )
    return Chart("compare", title, figure, caption, {}, {"changes": shown})

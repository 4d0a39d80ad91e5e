"""Compare: what changed between two runs, per metric, counts and utilities on separate
scales, changes of words (bundles, verdicts) listed."""

from __future__ import annotations

from pathlib import PurePath

import numpy as np

from sim.figures.chart import COLOURS, Chart, fit_suptitle, new_figure, wrap
from sim.runs.compare import Change, Comparison

ROWS = 30
WORDS = 12
"""Most changes of words listed in the figure (the report's table has them all)."""


def numeric_changes(comparison: Comparison) -> list[tuple[str, str, float, float]]:
    """(row key, column, old, new) for every change between two numbers."""
    out = []
    for change in comparison.changes:
        old, new = change.old, change.new
        if isinstance(old, int | float) and isinstance(new, int | float):
            out.append((" / ".join(change.key), change.column, float(old), float(new)))
    return out


def is_share(change: tuple[str, str, float, float]) -> bool:
    """A utility, share or probability (both values in [0, 1], not both whole numbers),
    rather than a count or a period."""
    _, _, old, new = change
    whole = float(old).is_integer() and float(new).is_integer()
    return 0.0 <= old <= 1.0 and 0.0 <= new <= 1.0 and not whole


def compare_chart(comparison: Comparison) -> Chart:
    """Old and new value of each changed numeric metric (a dumbbell per row and metric), in
    two panels with their own scales: utilities and shares (0 to 1), counts and periods;
    changes of words (bundles, verdicts) listed under them."""
    numbers = numeric_changes(comparison)
    shown = sorted(numbers, key=lambda c: -abs(c[3] - c[2]))[:ROWS]
    shares = [c for c in shown if is_share(c)]
    counts = [c for c in shown if not is_share(c)]
    words = [c for c in comparison.changes if not isinstance(c.old, int | float)]
    words = [c for c in words if not isinstance(c.new, int | float)]
    panels = [
        (p, label)
        for p, label in ((shares, "utilities and shares (0 to 1)"), (counts, "counts and periods"))
        if p
    ]
    row_keys = {c[0] for c in shown} | {" / ".join(c.key) for c in words}
    one_row = len(row_keys) == 1
    title = "What changed between the two runs"
    heights = [0.26 * len(p) + 0.9 for p, _ in panels] or [1.0]
    listed = words[:WORDS]
    text_height = 0.17 * sum(1 + _lines(c, one_row) for c in listed) + (0.3 if listed else 0)
    figure = new_figure(8.4, sum(heights) + text_height + 1.9, left=3.4, bottom=0.8 + text_height)
    a, b = PurePath(comparison.run_a).name, PurePath(comparison.run_b).name
    fit_suptitle(figure, f"{a} (A) → {b} (B)\n{title}")
    if panels:
        params, tall = figure.subplotpars, figure.get_figheight()
        room = (params.top - params.bottom) * tall
        n = len(panels)
        gap = 0.8 * n / max(room - 0.8 * (n - 1), 0.5)
        grid = figure.add_gridspec(n, 1, height_ratios=heights, hspace=gap)
        for n, (rows, label) in enumerate(panels):
            ax = figure.add_subplot(grid[n])
            y = np.arange(len(rows))[::-1]
            old = np.array([c[2] for c in rows])
            new = np.array([c[3] for c in rows])
            ax.hlines(y, old, new, color="#999999", linewidth=1)
            ax.scatter(old, y, color=COLOURS[1], s=18, label=f"run A ({a})", zorder=3)
            ax.scatter(new, y, color=COLOURS[0], s=18, label=f"run B ({b})", zorder=3)
            names = [c[1] if one_row else f"{c[0]}: {c[1]}" for c in rows]
            ax.set_yticks(y, [wrap(name, 52) for name in names], fontsize=7)
            ax.set_ylim(-0.7, len(rows) - 0.3)
            ax.set_title(label + (f" of {shown[0][0]}" if one_row else ""), fontsize=9, loc="left")
            ax.grid(True, axis="x", linewidth=0.3, alpha=0.5)
            if rows is counts:
                from matplotlib.ticker import MaxNLocator

                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if n == len(panels) - 1:
                below = 0.3 / (ax.get_position().height * figure.get_figheight())
                ax.legend(
                    fontsize=7,
                    loc="upper center",
                    bbox_to_anchor=(0.5, -below),
                    ncol=2,
                    frameon=False,
                )
    else:
        ax = figure.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no number changed", ha="center", va="center", transform=ax.transAxes)
    if listed:
        head = f"Changes of words of {next(iter(row_keys))}:" if one_row else "Changes of words:"
        lines = [head] + [wrap(word_change(c, one_row), 120) for c in listed]
        if len(words) > len(listed):
            lines.append(f"... and {len(words) - len(listed)} more (see the report's table)")
        box = ax.get_position()  # anchored to the last panel, which a caption never moves
        width, tall = box.width * figure.get_figwidth(), box.height * figure.get_figheight()
        ax.text(
            -(box.x0 * figure.get_figwidth() - 0.3) / width,
            -(box.y0 * figure.get_figheight() - text_height - 0.05) / tall,
            "\n".join(lines),
            transform=ax.transAxes,
            fontsize=6.5,
            va="top",
            ha="left",
        )
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
            f" {len(words)} {'change' if len(words) == 1 else 'changes'} of words (bundles, "
            "verdicts, choices)" + (" listed under the panels." if listed else ".")
        )
    return Chart("compare", title, figure, caption, {}, {"changes": shown})


def word_change(change: Change, bare: bool = False) -> str:
    """One change of words; for two bundles, only the issues that differ (``issue: old →
    new``), the others said to be unchanged (``bare``: without the row's key)."""
    where = change.column if bare else f"{' / '.join(change.key)}: {change.column}"
    if change.same_issues:
        differ = [f"{issue}: {old} → {new}" for issue, old, new in change.issues]
        return (
            f"{where}: " + "; ".join(differ) + f" (the other {change.unchanged} issues unchanged)"
        )
    return f"{where}: {change.old} → {change.new}"


def _lines(change: Change, bare: bool) -> int:
    return wrap(word_change(change, bare), 120).count("\n")

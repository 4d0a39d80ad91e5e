"""The zone by issue: for each issue, the share of acceptable bundles taking each option."""

from __future__ import annotations

import numpy as np

from sim.analysis.outcome import Outcome
from sim.figures.chart import NO_NAMES, Chart, Names, new_figure, stacked_shares


def zone_chart(outcome: Outcome, names: Names = NO_NAMES) -> Chart:
    """Stacked horizontal bars, one per issue, split by option (``Outcome.option_shares``)."""
    shares = dict(outcome.option_shares)
    issues = [(issue, options) for issue, options in outcome.issues]
    empty = outcome.space.acceptable == 0
    height = 1.6 if empty else 0.34 * len(issues) + 1.5
    figure = new_figure(7.6, height, left=0.3 if empty else 3.2, bottom=0.2 if empty else 0.5)
    ax = figure.add_subplot()
    title = "The zone of agreement by issue"
    figure.suptitle(f"{outcome.title}\n{title}", fontsize=10)
    plotted: dict[str, list[float]] = {}
    hover: dict[str, tuple[str, ...]] = {}
    if outcome.space.acceptable == 0:
        ax.text(
            0.5,
            0.5,
            "no acceptable bundle: the zone is empty",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        caption = "No bundle is acceptable to every veto party, so no issue has a share to show."
        return Chart("zone", title, figure, caption, hover, {"shares": plotted})
    labels = [names.issue(issue) for issue, _ in issues]
    y = np.arange(len(issues))[::-1]
    decided = []
    for row, (issue, options) in enumerate(issues):
        values = [float(v) for v in shares.get(issue, ())]
        plotted[issue] = values
        gid = f"zone-{issue}"
        stacked_shares(
            ax, y[row], list(zip(options, values, strict=True)), label_from=0.12, fontsize=7
        )
        hover[gid] = ()
        top = max(range(len(values)), key=lambda k: values[k])
        if values[top] >= 1 - 1e-12:
            decided.append(f"{names.issue(issue)}: {options[top]}")
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of acceptable bundles (0 to 1)")
    ax.grid(True, axis="x", linewidth=0.3, alpha=0.5)
    space = outcome.space
    caption = f"Over the {space.acceptable:,} acceptable bundles"
    caption += (
        f", every one settles {len(decided)} of {len(issues)} issues the same way ("
        + "; ".join(decided)
        + ")."
        if decided
        else ", no issue is settled the same way in every one of them."
    )
    open_issues = [names.issue(i) for i, v in plotted.items() if max(v, default=0) < 1 - 1e-12]
    if open_issues:
        caption += " Still open within the zone: " + ", ".join(open_issues) + "."
    return Chart("zone", title, figure, caption, {}, {"shares": plotted})

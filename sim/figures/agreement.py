"""Why talks fail over time: the probability of agreement by month under each protocol."""

from __future__ import annotations

import numpy as np

from sim.analysis.outcome import TalksOutcome
from sim.figures.chart import COLOURS, NO_NAMES, Chart, Names, fit_suptitle, new_figure, wrap


def agreement_chart(title: str, talks: TalksOutcome, names: Names = NO_NAMES) -> Chart:
    """One step line per protocol of the probability of agreement by each month (solid:
    with private information; dotted: complete information)."""
    heading = "Probability of agreement by month"
    figure = new_figure(7.6, 4.2, right=2.6)
    fit_suptitle(figure, f"{title}\n{heading}")
    ax = figure.add_subplot()
    data: dict[str, object] = {}
    captions = []
    for n, protocol in enumerate(talks.protocols):
        by = np.asarray(protocol.p_agreement_by)
        months = np.arange(by.size)
        private = protocol.information != "complete"
        ax.step(
            months,
            by,
            where="post",
            linestyle="-" if private else ":",
            linewidth=1.8 if private else 1.1,
            color=COLOURS[n % len(COLOURS)],
            label=wrap(protocol.title, 36),
        )
        data[protocol.key] = by
        month = "-" if protocol.expected_month is None else f"{protocol.expected_month:.2f}"
        captions.append(
            f"{protocol.title}: expected month {month}, no agreement by the horizon "
            f"{protocol.p_breakdown:.0%}."
        )
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel("month")
    ax.set_ylabel("probability of agreement so far")
    ax.grid(True, linewidth=0.3, alpha=0.5)
    ax.legend(fontsize=6.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    screened = [p.information != "complete" for p in talks.protocols]
    keys = []
    if any(screened) and talks.both is None:
        keys.append(
            "solid: offers by the uninformed side while the other side's value of fighting on "
            "is private (one-sided screening)"
        )
    elif any(screened):
        keys.append(
            "solid: one offer by each side while both sides' values of fighting on are private "
            "(accepted in month 0 or war)"
        )
    if not all(screened):
        keys.append("dotted: the protocols with complete information, which agree at once or never")
    caption = "; ".join(keys).capitalize() + ". " + " ".join(captions)
    del names
    return Chart("agreement", heading, figure, caption, {}, data)

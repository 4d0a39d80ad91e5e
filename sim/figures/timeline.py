"""Bargaining over time: each side's value without agreement (its war value where the scenario
has a war model) and its value of waiting, per period."""

from __future__ import annotations

import numpy as np

from sim.analysis.outcome import Outcome
from sim.figures.chart import COLOURS, NO_NAMES, Chart, Names, fit_suptitle, new_figure, terms_text

STYLES = ("-", "-.", ":", (0, (5, 1, 1, 1)))


def timeline_chart(outcome: Outcome, names: Names = NO_NAMES) -> Chart:
    """Values without agreement (dashed: war values where the scenario has a war model,
    else the reservation values) and each protocol's values of waiting (one line style per
    protocol) per period, in one panel; agreement periods marked, the last period (where
    the horizon forces the values down to the fallback) shaded."""
    bargaining = outcome.bargaining
    title = "Bargaining over time"
    figure = new_figure(7.6, 4.6, right=2.6)
    fit_suptitle(figure, f"{outcome.title}\n{title}")
    ax = figure.add_subplot()
    fallback = "war value" if names.war else "value without agreement"
    data: dict[str, object] = {"war_values": np.asarray(bargaining.war_values)}
    periods = np.arange(bargaining.war_values.shape[0])
    colour = {p: COLOURS[k % len(COLOURS)] for k, p in enumerate(bargaining.veto)}
    for j, party in enumerate(bargaining.veto):
        ax.plot(
            periods,
            bargaining.war_values[:, j],
            linestyle="--",
            linewidth=1.2,
            color=colour[party],
            label=f"{names.party(party)}: {fallback}",
        )
    captions = []
    for n, result in enumerate(bargaining.results):
        style = STYLES[n % len(STYLES)]
        steps = result.path
        if steps:
            at = np.array([s.period for s in steps])
            for j, party in enumerate(result.parties):
                values = np.array([s.continuation[j] for s in steps])
                ax.plot(
                    at,
                    values,
                    linestyle=style,
                    linewidth=1.4,
                    alpha=0.85,
                    color=colour.get(party, "black"),
                    label=f"{names.party(party)}: waiting, {result.title}",
                )
            data[result.column] = {
                p: [s.continuation[j] for s in steps] for j, p in enumerate(result.parties)
            }
        if result.agreement_period is not None:
            ax.axvline(result.agreement_period, color="black", linewidth=0.8, linestyle=style)
            captions.append(
                f"{result.title}: agreement in period {result.agreement_period}"
                + (f" on {terms_text(names, result.agreed.terms)}." if result.agreed else ".")
            )
        else:
            captions.append(f"{result.title}: no agreement within {bargaining.horizon} periods.")
    if not bargaining.results:
        captions.append("; ".join(bargaining.notes) or "No bargaining protocol applies.")
    if bargaining.horizon > 0:
        ax.axvspan(bargaining.horizon - 1, bargaining.horizon, color="#dddddd", alpha=0.6, lw=0)
        captions.append(
            f"Shaded: the last period before the horizon ({bargaining.horizon} periods), where "
            "the model ends the talks and every value falls to its fallback; an artefact of "
            "the finite horizon, not a prediction."
        )
    ax.set_xlabel("period (one round of offers from now)")
    ax.set_ylabel("utility (0 = worst, 1 = best)")
    ax.grid(True, linewidth=0.3, alpha=0.5)
    ax.legend(fontsize=6.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    meaning = (
        "expected value of fighting on"
        if names.war
        else "value without agreement (its reservation)"
    )
    caption = (
        f"Dashed: each side's {meaning}, period by period; other lines: its "
        "value of letting the period pass without agreement under each protocol (vertical "
        "lines: agreement periods). " + " ".join(captions)
    )
    return Chart("timeline", title, figure, caption, {}, data)

"""The zone by issue: for each issue, the share of acceptable bundles taking each option,
each option coloured by whose best option it is."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.analysis.outcome import Outcome
from sim.figures.chart import (
    COLOURS,
    NO_NAMES,
    Chart,
    Names,
    fit_suptitle,
    new_figure,
    stacked_shares,
    wrap,
)

SHARED = "#d4a017"
"""The colour of an option that is the best of several veto parties."""
NOBODY = "#b8b8b8"
"""The colour of an option that is no veto party's best."""


def best_options(
    outcome: Outcome, tables: Mapping[str, np.ndarray]
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per issue and option, the veto parties whose value of the issue is highest there
    (``tables``: per issue, ``(n_parties, n_options)`` values in ``outcome.parties`` order)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for issue, options in outcome.issues:
        table = tables.get(issue)
        if table is None:
            continue
        best: dict[str, list[str]] = {o: [] for o in options}
        for party in outcome.veto_parties:
            row = np.asarray(table[outcome.parties.index(party)], dtype=float)
            for k in np.flatnonzero(row >= row.max() - 1e-12):
                best[options[int(k)]].append(party)
        out[issue] = {o: tuple(p) for o, p in best.items()}
    return out


def zone_chart(
    outcome: Outcome,
    names: Names = NO_NAMES,
    best: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
) -> Chart:
    """Stacked horizontal bars, one per issue, split by option (``Outcome.option_shares``);
    with ``best`` (see :func:`best_options`) each option is coloured by the veto party whose
    best option it is (one colour per party, one for several, grey for none), with a legend."""
    shares = dict(outcome.option_shares)
    issues = [(issue, options) for issue, options in outcome.issues]
    empty = outcome.space.acceptable == 0
    height = 1.6 if empty else 0.42 * len(issues) + 2.2
    figure = new_figure(8.4, height, left=0.3 if empty else 3.1, bottom=0.2 if empty else 1.2)
    title = "The zone of agreement by issue"
    fit_suptitle(figure, f"{outcome.title}\n{title}")
    ax = figure.add_subplot()
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
    party_colour = {p: COLOURS[k % len(COLOURS)] for k, p in enumerate(outcome.veto_parties)}

    def colour(issue: str, option: str) -> str:
        whose = (best or {}).get(issue, {}).get(option, ())
        return party_colour[whose[0]] if len(whose) == 1 else SHARED if whose else NOBODY

    labels = [wrap(names.issue(issue), 40) for issue, _ in issues]
    y = np.arange(len(issues))[::-1]
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(issues) - 0.4)
    decided = []
    for row, (issue, options) in enumerate(issues):
        values = [float(v) for v in shares.get(issue, ())]
        plotted[issue] = values
        words = [names.option(issue, o) for o in options]
        stacked_shares(
            ax,
            y[row],
            list(zip(words, values, strict=True)),
            label_from=0.08,
            fontsize=7,
            colours=[colour(issue, o) for o in options] if best else None,
            short=[o.replace("_", " ") for o in options],
        )
        top = max(range(len(values)), key=lambda k: values[k])
        if values[top] >= 1 - 1e-12:
            decided.append(f"{names.issue(issue)}: {words[top]}")
    ax.set_yticks(y, labels, fontsize=7.5)
    ax.set_xlabel("share of acceptable bundles (0 to 1)")
    ax.grid(True, axis="x", linewidth=0.3, alpha=0.5)
    if best:
        from matplotlib.patches import Patch

        handles = [
            Patch(color=c, label=f"{names.party(p)}'s best") for p, c in party_colour.items()
        ]
        handles += [Patch(color=SHARED, label="best for several sides")]
        handles += [Patch(color=NOBODY, label="no side's best")]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.5 / (ax.get_position().height * height)),
            ncol=min(len(handles), 3),
            fontsize=7,
            frameon=False,
        )
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
    if best:
        caption += (
            " Each option is coloured by the veto party whose best option on the issue it is."
        )
    else:
        caption += " Colours only tell the options of an issue apart."
    return Chart("zone", title, figure, caption, {}, {"shares": plotted})

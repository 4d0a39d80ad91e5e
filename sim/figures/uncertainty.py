"""Uncertainty runs (``summary.json``): the probability of each headline with its interval,
the per-issue option probabilities of the modal solutions, and the sensitivity tornado.

Each part is drawn only where the run recorded it; what is missing is said in the caption
("not available in this run"), never guessed.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

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
from sim.montecarlo.document import Odds, Ranked, ScenarioSummary

TORNADO_ROWS = 12


def short_title(title: str) -> str:
    """A title up to its first parenthesis (the rest is detail a figure's row has no room
    for)."""
    return title.split(" (")[0].strip() or title


def judgment_words(path: str, names: Names) -> str:
    """A judgment's dotted path with the scenario's titles for its party and issue, e.g.
    ``parties.russia.weights.kursk`` -> ``Russia: weights: <title of kursk>``."""
    parts = path.split(".")
    if len(parts) >= 3 and parts[0] == "parties":
        rest = [short_title(names.issue(p)) if p in names.issues else p for p in parts[2:]]
        rest = [p for p in rest if p != "base"]
        return f"{short_title(names.party(parts[1]))}: " + " ".join(rest)
    if len(parts) >= 2 and parts[0] == "levers":
        return f"lever {parts[1]}"
    return " ".join(p for p in parts if p != "base")


class Headline(NamedTuple):
    """A headline's probability over the draws: its label, ``p`` and 95% interval, and what
    it is about (``kind``: zone, solution, proposal or bargaining; ``key``: the solution's or
    the proposal's id), so that readers never parse the label."""

    label: str
    p: float
    low: float
    high: float
    kind: str
    key: str = ""


def headline_probabilities(summary: ScenarioSummary) -> list[Headline]:
    """The zone, each solution's existence, each proposal's acceptance by every veto party and
    the bargaining agreement, where recorded."""
    out = [Headline("a zone of agreement exists", *_odds(summary.zone), "zone")]
    for name, solution in summary.solutions.items():
        out.append(Headline(f"{name} solution exists", *_odds(solution.exists), "solution", name))
    for pid, entry in summary.proposals.items():
        out.append(
            Headline(f"{pid} accepted by every veto party", *_odds(entry["all"]), "proposal", pid)
        )
    if summary.bargaining is not None:
        out.append(
            Headline(
                "bargaining reaches agreement", *_odds(summary.bargaining.agreement), "bargaining"
            )
        )
    return out


def _odds(odds: Odds) -> tuple[float, float, float]:
    return float(odds.p), float(odds.low), float(odds.high)


def tornado_rows(summary: ScenarioSummary) -> list[tuple[str, list[str], list[str]]]:
    """Per judgment: the headlines its low end and its high end change (most first)."""
    table: dict[str, tuple[list[str], list[str]]] = {}
    for flip in summary.sensitivity.tornado if summary.sensitivity else ():
        low, high = table.setdefault(flip.path, ([], []))
        (low if flip.end == "low" else high).append(flip.headline)
    ranked = sorted(table.items(), key=lambda kv: (-(len(kv[1][0]) + len(kv[1][1])), kv[0]))
    return [(path, low, high) for path, (low, high) in ranked]


def zone_indices(summary: ScenarioSummary) -> tuple[Ranked, ...]:
    """The judgments ranked by their PAWN index for the zone's existence (none when it was
    not computed or the zone is constant over the draws)."""
    ranking = summary.sensitivity.rankings.get("p_zone") if summary.sensitivity else None
    return ranking if isinstance(ranking, tuple) else ()


def _headline_words(head: Headline, names: Names) -> str:
    """A headline in words: a proposal by its title."""
    if head.kind == "proposal" and head.key in names.proposals:
        return wrap(f"{short_title(names.proposal(head.key))}: accepted by every veto party", 44)
    return wrap(head.label.replace("_", " "), 44)


def uncertainty_chart(
    name: str, summary: ScenarioSummary, names: Names = NO_NAMES, title: str | None = None
) -> Chart:
    """Three panels for one scenario of an uncertainty run (``title``: the scenario's)."""
    heading = f"How sure: {name}"
    draws = summary.draws
    heads = headline_probabilities(summary)
    modal = next(
        ((k, v) for k, v in summary.solutions.items() if v.modal is not None and v.options), None
    )
    rows = tornado_rows(summary)[:TORNADO_ROWS]
    indices = zone_indices(summary)
    counts = [
        max(len(heads), 2),
        max(len(modal[1].options) if modal else 0, 2),
        max(len(rows) or len(indices), 2),
    ]
    ratios = [0.36 * c + 0.3 for c in counts]
    figure = new_figure(8.2, sum(ratios) + 3.6, left=3.0, bottom=1.0, hspace=0.0)
    fit_suptitle(figure, f"{title or name}: {draws} draws\nHow sure each answer is")
    grid = figure.add_gridspec(3, 1, height_ratios=ratios, hspace=0.9 / (sum(ratios) / 3))
    axes = [figure.add_subplot(grid[k]) for k in range(3)]
    captions: list[str] = []
    data: dict[str, object] = {}

    ax = axes[0]
    data["headlines"] = [tuple(h[:4]) for h in heads]  # (label, p, low, high) as drawn
    if heads:
        y = np.arange(len(heads))[::-1]
        p = np.array([h[1] for h in heads])
        err = np.array([[h[1] - h[2] for h in heads], [h[3] - h[1] for h in heads]])
        ax.barh(y, p, color=COLOURS[0], alpha=0.75, height=0.6)
        ax.errorbar(p, y, xerr=np.clip(err, 0, None), fmt="none", ecolor="black", capsize=3)
        ax.set_yticks(y, [_headline_words(h, names) for h in heads], fontsize=7)
        ax.set_xlim(0, 1)
        ax.set_xlabel("probability over the draws (bars: 95% interval)")
        ax.set_title("Probability of each headline", fontsize=9, loc="left")
        zone = next((h for h in heads if h.kind == "zone"), None)
        if zone:
            captions.append(
                f"A zone of agreement exists in {zone[1]:.1%} of draws "
                f"(95% interval {zone[2]:.1%} to {zone[3]:.1%})."
            )
    else:
        _missing(ax, "headline probabilities: not available in this run")
        captions.append("Headline probabilities: not available in this run.")

    ax = axes[1]
    if modal is not None:
        key, solution = modal
        options = solution.options
        issues = list(options)
        data["options"] = options
        y = np.arange(len(issues))[::-1]
        ax.set_xlim(0, 1)
        for row, issue in enumerate(issues):
            shares = [(names.option(issue, o), v) for o, v in options[issue].items()]
            stacked_shares(ax, y[row], shares, label_from=0.1, fontsize=6.5)
        ax.set_yticks(y, [wrap(names.issue(i), 48) for i in issues], fontsize=6.5)
        ax.set_xlabel(f"share of the draws with a {key} solution taking each option")
        ax.set_title(f"Terms of the {key} solution across the draws", fontsize=9, loc="left")
        settled = [i for i in issues if max(options[i].values(), default=0) >= 0.95]
        modal_p = solution.modal.p if solution.modal is not None else 0.0
        captions.append(
            f"The {key} solution's modal bundle appears in {modal_p:.1%} of draws; "
            f"{len(settled)} of {len(issues)} issues take the same option in at least 95% of "
            "the draws where it exists."
        )
    else:
        _missing(ax, "option probabilities of the solutions: not available in this run")
        captions.append(
            "Option probabilities: not available in this run (no solution exists in any "
            "draw, or not recorded)."
        )

    ax = axes[2]
    data["tornado"] = rows
    if rows:
        y = np.arange(len(rows))[::-1]
        ax.barh(
            y,
            [-len(r[1]) for r in rows],
            color=COLOURS[1],
            height=0.6,
            label="judgment at the low end of its spread",
        )
        ax.barh(y, [len(r[2]) for r in rows], color=COLOURS[0], height=0.6, label="at the high end")
        ax.set_yticks(y, [wrap(judgment_words(r[0], names), 48) for r in rows], fontsize=6.5)
        ax.axvline(0, color="black", linewidth=0.8)
        widest = max(max(len(r[1]), len(r[2])) for r in rows)
        ax.set_xlim(-widest - 1.5, widest + 1.5)
        ax.set_xticks(range(-widest, widest + 1))
        _name_bars(ax, y, rows, names)
        ax.set_xlabel("headlines changed (zone, Nash bundle, proposals' verdicts)")
        ax.set_title(
            "Sensitivity tornado: single judgments moved to an end", fontsize=9, loc="left"
        )
        ax.legend(
            fontsize=7,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.45 / (ax.get_position().height * figure.get_figheight())),
            ncol=2,
            frameon=False,
        )
        top = rows[0]
        captions.append(
            f"{len(tornado_rows(summary))} judgments change a headline when moved alone to an end "
            f"of their spread; the most decisive is {top[0]} ("
            + ", ".join(sorted(set(top[1] + top[2])))
            + ")."
        )
    elif indices:
        y = np.arange(len(indices))[::-1]
        ax.barh(y, [float(i.index) for i in indices], color=COLOURS[0], height=0.6)
        ax.set_yticks(y, [wrap(judgment_words(i.path, names), 48) for i in indices], fontsize=6.5)
        ax.set_xlabel("sensitivity index of the zone's existence (PAWN, 0 to 1)")
        ax.set_title("Which judgments decide whether a zone exists", fontsize=9, loc="left")
        noise = summary.sensitivity.noise.get("p_zone") if summary.sensitivity else None
        data["noise"] = noise
        if noise is not None:
            ax.axvline(noise, color="black", linewidth=0.8, linestyle=":")
        above = sum(1 for i in indices if i.above_noise)
        captions.append(
            "No single judgment moved to an end of its spread changes a headline; the bars "
            "rank the judgments by their global sensitivity index for the zone"
            + (
                f" ({above} of {len(indices)} above the noise level {noise:.3f}, the dotted "
                "line: the index a judgment that does nothing reaches by chance)."
                if noise is not None
                else "."
            )
        )
    else:
        _missing(ax, "sensitivity: not available in this run")
        captions.append("Sensitivity: not available in this run.")
    return Chart("uncertainty", heading, figure, " ".join(captions), {}, data)


def _headline_name(headline: str, names: Names) -> str:
    if headline == "nash":
        return "Nash bundle"
    if headline == "zone":
        return "zone"
    return headline.replace("_", " ")  # a proposal's id (its title is too long for a bar)


def _name_bars(ax: Any, y: Any, rows: list[tuple[str, list[str], list[str]]], names: Names) -> None:
    """Each tornado bar named by the headlines it changes, beyond its end (left out where the
    name would leave the axes)."""
    from matplotlib.text import Text

    from sim.figures.chart import renderer_of

    renderer = renderer_of(ax.figure)
    frame = ax.get_window_extent(renderer)
    for row, (_, low, high) in zip(y, rows, strict=True):
        for changed, side in ((low, -1), (high, 1)):
            if not changed:
                continue
            text = ax.text(
                side * (len(changed) + 0.1),
                row,
                ", ".join(_headline_name(h, names) for h in changed),
                ha="left" if side > 0 else "right",
                va="center",
                fontsize=6,
                color="#333333",
            )
            box = Text.get_window_extent(text, renderer)
            if box.x0 < frame.x0 + 2 or box.x1 > frame.x1 - 2:
                text.remove()


def _missing(ax: Any, text: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=8)

"""The bargaining space of each pair of veto parties: every feasible bundle's utilities, the
acceptable region, the reservation lines, the frontier, the solutions and the proposals."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.analysis.outcome import Outcome
from sim.core.problem import Problem
from sim.core.space import decode
from sim.core.utility import ACCEPT_TOL, acceptable
from sim.figures.chart import (
    COLOURS,
    NO_NAMES,
    Chart,
    Names,
    fit_suptitle,
    new_figure,
    place_labels,
    renderer_of,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

DENSITY_ABOVE = 5_000
"""Beyond this many feasible bundles the cloud is drawn as a density (hexbin), not points."""

MARKERS = {"nash": "*", "kalai_smorodinsky": "D", "egalitarian": "s", "utilitarian": "^"}


@dataclass(frozen=True, eq=False)
class Cloud:
    """The feasible bundles the figure draws: indices, utilities ``(n, parties)``, whether each
    is acceptable to every veto party, and what the set is (``source``)."""

    indices: NDArray[np.int64]
    utilities: NDArray[np.float64]
    acceptable: NDArray[np.bool_]
    source: str


def feasible_cloud(problem: Problem) -> Cloud:
    """Every feasible bundle's utilities (or, for a huge feasible set, its Pareto frontier,
    as :func:`sim.analysis.strategy.candidates` chooses)."""
    from sim.analysis.strategy import candidates

    if problem.consent is not None:  # every feasible bundle, acceptable as consent says
        indices, utilities, source = candidates(dataclasses.replace(problem, consent=None))
        digits = decode(indices, problem.radices)
        return Cloud(indices, utilities, acceptable(problem, digits, utilities), source)
    indices, utilities, source = candidates(problem)
    veto = problem.veto_indices
    ok = (utilities[:, veto] >= problem.reservation[veto] - ACCEPT_TOL).all(axis=1)
    return Cloud(indices, utilities, np.asarray(ok, dtype=np.bool_), source)


def bundle_words(problem: Problem, indices: NDArray[np.int64]) -> list[str]:
    """``issue=option; ...`` for many bundles at once."""
    digits = decode(indices, problem.bundle_radices)
    names = [np.array(o, dtype=object) for o in problem.bundle_options]
    columns = [
        np.char.add(f"{issue}=", names[k][digits[:, k]].astype(str))
        for k, issue in enumerate(problem.bundle_issues)
    ]
    if not columns:
        return []
    joined = columns[0]
    for column in columns[1:]:
        joined = np.char.add(np.char.add(joined, "; "), column)
    return [str(x) for x in joined]


def veto_pairs(outcome: Outcome) -> list[tuple[str, str]]:
    return list(combinations(outcome.veto_parties, 2))


def space_chart(
    outcome: Outcome, problem: Problem, names: Names = NO_NAMES, cloud: Cloud | None = None
) -> Chart:
    """The bargaining space of each pair of veto parties (one panel per pair)."""
    cloud = feasible_cloud(problem) if cloud is None else cloud
    pairs = veto_pairs(outcome)
    if not pairs:
        figure = new_figure(6.0, 1.5)
        figure.text(0.5, 0.5, "fewer than two veto parties: no bargaining space to draw")
        return Chart("space", f"{outcome.title}: bargaining space", figure, _one_veto(outcome))
    columns = 1 if len(pairs) <= 3 else 2  # up to three pairs stacked: wide enough to read
    rows = (len(pairs) + columns - 1) // columns
    legend_width = 3.3
    figure = new_figure(
        5.6 * columns + legend_width, 5.0 * rows, right=legend_width, top=0.6, hspace=0.3
    )
    shown = " and ".join(" vs ".join(names.party(p) for p in pair) for pair in pairs[:3]) + (
        " and more" if len(pairs) > 3 else ""
    )
    title = f"Bargaining space: {shown}"
    fit_suptitle(figure, f"{outcome.title}\n{title}")
    hover: dict[str, tuple[str, ...]] = {}
    data: dict[str, object] = {}
    captions = []
    density = len(cloud.indices) > DENSITY_ABOVE
    numbers = {p.id: f"P{k + 1}" for k, p in enumerate(outcome.proposals)}
    keys: list[tuple[str, str]] = []
    for n, pair in enumerate(pairs):
        ax = figure.add_subplot(rows, columns, n + 1)
        tag = f"{pair[0]}-{pair[1]}"
        panel_hover, panel_data, key = _panel(
            ax, outcome, problem, cloud, pair, tag, density, names, numbers
        )
        keys += [k for k in key if k not in keys]
        hover.update(panel_hover)
        data[tag] = panel_data
        captions.append(space_caption(outcome, cloud, pair, names, first=n == 0))
    _legend(figure, names, numbers, keys)
    if density:
        captions.append(
            f"The {len(cloud.indices):,} feasible bundles are drawn as a density (hexagons "
            "shaded by how many bundles fall in each), not one by one."
        )
    if cloud.source != "feasible set":
        captions.append(
            f"The feasible set is too large to enumerate; the cloud shows its {cloud.source} "
            f"({len(cloud.indices):,} bundles)."
        )
    if outcome.frontier_truncated:
        captions.append(
            f"The frontier is listed up to {outcome.frontier_limit} of its "
            f"{outcome.frontier_size:,} bundles."
        )
    return Chart("space", title, figure, " ".join(c for c in captions if c), hover, data)


def _one_veto(outcome: Outcome) -> str:
    return f"{outcome.scenario} has {len(outcome.veto_parties)} veto party: no pair to draw."


def _panel(
    ax: object,
    outcome: Outcome,
    problem: Problem,
    cloud: Cloud,
    pair: tuple[str, str],
    tag: str,
    density: bool,
    names: Names,
    numbers: dict[str, str],
) -> tuple[dict[str, tuple[str, ...]], dict[str, object], list[tuple[str, str]]]:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    a, b = outcome.parties.index(pair[0]), outcome.parties.index(pair[1])
    ra = outcome.reservations[outcome.judges.index(pair[0])]
    rb = outcome.reservations[outcome.judges.index(pair[1])]
    x, y = cloud.utilities[:, a], cloud.utilities[:, b]
    hover: dict[str, tuple[str, ...]] = {}
    if density:
        ax.hexbin(x, y, gridsize=60, cmap="Greys", mincnt=1, bins="log", linewidths=0)
        ok = cloud.acceptable
        if ok.sum() and ok.sum() <= DENSITY_ABOVE:
            ax.scatter(x[ok], y[ok], s=6, color=COLOURS[2], label="acceptable to every veto party")
    else:
        for what, mask, colour, size in (
            ("feasible", ~cloud.acceptable, "#b8b8b8", 8),
            ("acceptable", cloud.acceptable, COLOURS[2], 12),
        ):
            if not mask.any():
                continue
            px, py, titles = _distinct_points(problem, cloud.indices, x, y, mask, pair, what)
            label = "feasible bundle" if what == "feasible" else "acceptable to every veto party"
            gid = f"{tag}-{what}"
            ax.scatter(px, py, s=size, color=colour, label=label, gid=gid, zorder=2)
            hover[gid] = titles
    ax.axvline(ra, color=COLOURS[1], linestyle="--", linewidth=1)
    ax.axhline(rb, color=COLOURS[0], linestyle="--", linewidth=1)
    reservation_labels = [
        ax.annotate(
            f"{names.party(pair[0])} reservation {ra:.3f}",
            (ra, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-2, -4),
            textcoords="offset points",
            rotation=90,
            va="top",
            ha="right",
            fontsize=7,
            color=COLOURS[1],
        ),
        ax.annotate(
            f"{names.party(pair[1])} reservation {rb:.3f}",
            (0.0, rb),
            xycoords=("axes fraction", "data"),
            xytext=(4, 2),
            textcoords="offset points",
            va="bottom",
            ha="left",
            fontsize=7,
            color=COLOURS[0],
        ),
    ]
    top = max(1.0, float(x.max()), float(y.max())) + 0.05
    ax.add_patch(_region((ra, rb), top - ra, top - rb))
    ax.set_xlim(min(0.0, float(x.min())) - 0.03, top)
    ax.set_ylim(min(0.0, float(y.min())) - 0.03, top)
    front = np.array([[p.utilities[a], p.utilities[b]] for p in outcome.frontier]).reshape(-1, 2)
    if len(front):
        if len(outcome.judges) == 2:  # with more, a projection: no line to draw
            order = np.argsort(front[:, 0])
            ax.plot(front[order, 0], front[order, 1], color=COLOURS[2], linewidth=1, alpha=0.7)
        ax.scatter(
            front[:, 0],
            front[:, 1],
            s=22,
            facecolor="none",
            edgecolor=COLOURS[2],
            label="Pareto frontier"
            + ("" if len(outcome.judges) == 2 else " (of all veto parties)"),
            gid=f"{tag}-frontier",
        )
        hover[f"{tag}-frontier"] = tuple(
            f"frontier bundle {p.bundle.index}: {pair[0]} {p.utilities[a]:.3f}, "
            f"{pair[1]} {p.utilities[b]:.3f}; {p.bundle.words()}"
            for p in outcome.frontier
        )
    solutions = [(s.rule, s.point) for s in outcome.solutions if s.point is not None]
    for n, (rule, point) in enumerate(solutions):
        gid = f"{tag}-solution-{rule.key}"
        ax.scatter(
            [point.utilities[a]],
            [point.utilities[b]],
            s=70,
            marker=MARKERS.get(rule.key, "o"),
            color=COLOURS[(n + 3) % len(COLOURS)],
            edgecolor="black",
            linewidth=0.5,
            zorder=5,
            label=rule.label,
            gid=gid,
        )
        hover[gid] = (f"{rule.label}: bundle {point.bundle.index}; {point.bundle.words()}",)
    labels: list[tuple[float, float, str]] = [
        (p.utilities[a], p.utilities[b], r.label) for r, p in solutions
    ]
    for k, proposal in enumerate(outcome.proposals):
        stance = {s.party: s for s in proposal.stances}
        sa, sb = stance.get(pair[0]), stance.get(pair[1])
        if sa is None or sb is None:
            continue
        cx, cy = (sa.utility_low + sa.utility_high) / 2, (sb.utility_low + sb.utility_high) / 2
        if sa.utility_high - sa.utility_low > 1e-9 or sb.utility_high - sb.utility_low > 1e-9:
            ax.add_patch(
                _rectangle(
                    (sa.utility_low, sb.utility_low),
                    sa.utility_high - sa.utility_low,
                    sb.utility_high - sb.utility_low,
                )
            )
        gid = f"{tag}-proposal-{k}"
        ax.scatter([cx], [cy], s=40, marker="X", color="#444444", zorder=6, gid=gid)
        terms = "; ".join(f"{i}={o}" for i, o in proposal.terms)
        hover[gid] = (
            f"{numbers[proposal.id]} {names.proposal(proposal.id)} ({proposal.verdict}): {terms}",
        )
        labels.append((cx, cy, numbers[proposal.id]))
    if outcome.proposals:
        ax.scatter(
            [], [], s=40, marker="X", color="#444444", label="named proposal (box: open issues)"
        )
    renderer = renderer_of(figure_of(ax))
    avoid = [t.get_window_extent(renderer).padded(2) for t in reservation_labels]
    key = place_labels(
        ax, [p[0] for p in labels], [p[1] for p in labels], [p[2] for p in labels], avoid=avoid
    )
    ax.set_xlabel(f"utility of {names.party(pair[0])} (0 = worst, 1 = best)")
    ax.set_ylabel(f"utility of {names.party(pair[1])} (0 = worst, 1 = best)")
    ax.grid(True, linewidth=0.3, alpha=0.5)
    data: dict[str, object] = {"frontier": front, "x": x, "y": y, "reservations": (ra, rb)}
    return hover, data, key


def figure_of(ax: Axes) -> Figure:
    figure = ax.get_figure()
    assert figure is not None
    return figure  # type: ignore[return-value]


def _legend(
    figure: Figure, names: Names, numbers: dict[str, str], keys: list[tuple[str, str]]
) -> None:
    """One legend for every panel, right of the panels (never over the data): what each
    marker means, then the proposals by number with their titles, then any label that
    found no room beside its point."""
    from matplotlib.lines import Line2D

    seen: dict[str, Artist] = {}
    for ax in figure.axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(label, handle)
    blank = Line2D([], [], linestyle="none")
    entries = list(seen.items())
    entries += [(wrap(f"{n}: {names.proposal(pid)}", 44), blank) for pid, n in numbers.items()]
    entries += [(wrap(f"{n}: {text}", 44), blank) for n, text in keys]
    top = figure.axes[0].get_position().y1
    figure.legend(
        [h for _, h in entries],
        [label for label, _ in entries],
        loc="upper left",
        bbox_to_anchor=(figure.subplotpars.right + 0.1 / figure.get_figwidth(), top),
        fontsize=7,
        frameon=False,
        handlelength=1.5,
    )


def _region(corner: tuple[float, float], width: float, height: float) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle(
        corner,
        width,
        height,
        color=COLOURS[2],
        alpha=0.07,
        linewidth=0,
        label="both above reservation",
    )


def _rectangle(corner: tuple[float, float], width: float, height: float) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle(
        corner, width, height, fill=False, edgecolor="#777777", linewidth=0.6, linestyle=":"
    )


def _distinct_points(
    problem: Problem,
    indices: NDArray[np.int64],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    mask: NDArray[np.bool_],
    pair: tuple[str, str],
    what: str,
) -> tuple[NDArray[np.float64], NDArray[np.float64], tuple[str, ...]]:
    """One marker per distinct position (bundles with the same two utilities coincide), its
    title naming how many bundles it stands for and the terms of the first few."""
    chosen = np.flatnonzero(mask)
    keys = np.round(np.stack([x[chosen], y[chosen]], axis=1), 9)
    _, first, inverse, counts = np.unique(
        keys, axis=0, return_index=True, return_inverse=True, return_counts=True
    )
    order = np.argsort(inverse.reshape(-1), kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    listed = [chosen[order[s : s + min(c, 3)]] for s, c in zip(starts, counts, strict=True)]
    flat = np.concatenate(listed) if listed else np.zeros(0, dtype=np.int64)
    words = iter(bundle_words(problem, indices[flat]))
    titles = []
    for group, members in enumerate(listed):
        count = int(counts[group])
        u, v = x[members[0]], y[members[0]]
        head = f"{count} {what} bundle{'s' if count > 1 else ''}: "
        head += f"{pair[0]} {u:.3f}, {pair[1]} {v:.3f}"
        terms = "\n".join(next(words) for _ in members)
        more = f"\n... and {count - 3} more" if count > 3 else ""
        titles.append(f"{head}\n{terms}{more}")
    at = chosen[first]
    return x[at], y[at], tuple(titles)


def space_caption(
    outcome: Outcome,
    cloud: Cloud,
    pair: tuple[str, str],
    names: Names = NO_NAMES,
    first: bool = True,
) -> str:
    """What the panel of one pair shows, in words, from the data (``first``: with the
    sentence on the whole space, said once per figure)."""
    a, b = outcome.parties.index(pair[0]), outcome.parties.index(pair[1])
    ra = outcome.reservations[outcome.judges.index(pair[0])]
    rb = outcome.reservations[outcome.judges.index(pair[1])]
    x, y = cloud.utilities[:, a], cloud.utilities[:, b]
    space = outcome.space
    if space.acceptable == 0 and cloud.source == "feasible set":
        parts = ["No bundle is acceptable to every veto party."] if first else []
        for (me, mine, res), (other, theirs, other_res) in (
            ((pair[0], x, ra), (pair[1], y, rb)),
            ((pair[1], y, rb), (pair[0], x, ra)),
        ):
            ok = theirs >= other_res - ACCEPT_TOL
            if ok.any():
                gap = res - float(mine[ok].max())
                parts.append(
                    f"{names.party(me)}'s best bundle acceptable to {names.party(other)} is "
                    f"{gap:.3f} below its reservation."
                )
            else:
                parts.append(f"No feasible bundle reaches {names.party(other)}'s reservation.")
        return " ".join(parts)
    if not first:
        return ""
    estimate = "" if space.exact else " (estimated)"
    text = (
        f"{space.acceptable:,}{estimate} of {space.feasible:,} feasible bundles are acceptable to "
        f"every veto party; the frontier has {outcome.frontier_size:,} bundles."
    )
    nash = next((s.point for s in outcome.solutions if s.rule.key == "nash"), None)
    if nash is not None:
        gives = [
            f"{names.party(p)} {nash.utilities[outcome.parties.index(p)]:.3f} (reservation {r:.3f})"
            for p, r in zip(outcome.judges, outcome.reservations, strict=True)
        ]
        text += " The Nash solution gives " + ", ".join(gives[:-1]) + " and " + gives[-1] + "."
    return text

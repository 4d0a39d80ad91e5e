"""Sweeps: a metric of the outcome table over one key (lines) or two keys (a heatmap)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from sim.analysis.row import column_kind
from sim.errors import InputError
from sim.figures.chart import COLOURS, Chart, fit_suptitle, new_figure, wrap
from sim.runs.compare import cell

DEFAULT_METRIC = "zopa_share"


def known_metrics(rows: Sequence[dict[str, str]], keys: Sequence[str]) -> list[str]:
    """The numeric (or yes/no) columns of an outcome table, keys, ids and errors excepted."""
    skip = {*keys, "point", "error", "scenario"}
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns and c not in skip]
    known = []
    for column in columns:
        values = [cell(row.get(column, "")) for row in rows]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, int | float) for v in present):
            known.append(column)
        elif not present and not _text_column(column):
            known.append(column)
    return known


def _text_column(column: str) -> bool:
    """Columns of words (bundles, verdicts, choices), even where every cell is empty."""
    return column_kind(column) == "text"


def metric_values(
    rows: Sequence[dict[str, str]], keys: Sequence[str], metric: str
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the metric (NaN where empty) and whether the point failed.

    Raises
    ------
    InputError
        ``metric`` is not a numeric column of the table (the message lists the known ones).
    """
    known = known_metrics(rows, keys)
    if metric not in known:
        raise InputError(
            f"--metric: unknown metric {metric!r} (known: {', '.join(known) or 'none'})"
        )
    values = np.array(
        [np.nan if (v := cell(row.get(metric, ""))) is None else float(v) for row in rows]
    )
    failed = np.array([bool(row.get("error")) for row in rows])
    return values, failed


def _key_values(rows: Sequence[dict[str, str]], key: str) -> np.ndarray:
    out = []
    for row in rows:
        value = cell(row.get(key, ""))
        out.append(float(value) if isinstance(value, int | float) else np.nan)
    return np.array(out)


def sweep_chart(
    rows: Sequence[dict[str, str]],
    keys: Sequence[str],
    metric: str = DEFAULT_METRIC,
    title: str = "",
    labels: Mapping[str, str] | None = None,
) -> Chart:
    """The metric over the first key (lines) or over the first two keys (a heatmap on a
    grid, coloured points otherwise); with three keys or more, one panel per key (the metric
    against each, so that no key goes unshown). Failed points marked with a red cross; a
    metric with one value everywhere is said to be constant, not drawn as a colour scale.
    ``labels``: words for keys and metrics (default: their column names)."""
    values, failed = metric_values(rows, keys, metric)
    numeric = [k for k in keys if not np.isnan(_key_values(rows, k)).all()]
    if not numeric:
        raise InputError(f"sweep keys {', '.join(keys)}: no numeric key to plot against")
    words = dict(labels or {})

    def word(column: str) -> str:
        return words.get(column) or column

    shown_keys = numeric if len(numeric) > 2 else numeric[:2]
    heading = f"{word(metric)} over {' and '.join(word(k) for k in shown_keys)}"
    finite = values[np.isfinite(values)]
    constant = bool(finite.size) and float(finite.min()) == float(finite.max())
    facets = len(numeric) > 2
    width = 7.6
    figure = new_figure(
        width,
        3.2 * ((len(numeric) + 1) // 2) + 1.8 if facets else 5.2,
        left=1.0,
        right=0.3 if facets or len(numeric) == 1 or constant else 0.4,
        bottom=0.9,
        hspace=0.6,
    )
    fit_suptitle(figure, f"{title}\n{heading}" if title else heading)
    data: dict[str, object] = {"values": values, "failed": failed}
    hover: dict[str, tuple[str, ...]] = {}
    n_failed = int(failed.sum())
    note = f"{word(metric)} is {float(finite[0]):.4g} at every point (constant)" if constant else ""
    if facets:
        columns = 2
        rows_of = (len(numeric) + 1) // 2
        figure.subplots_adjust(wspace=0.35)
        for n, key in enumerate(numeric):
            ax = figure.add_subplot(rows_of, columns, n + 1)
            x = _key_values(rows, key)
            ok = np.isfinite(values) & ~failed
            gid = f"sweep-points-{n}"
            ax.scatter(x[ok], values[ok], s=16, color=COLOURS[0], gid=gid)
            hover[gid] = _point_titles(rows, keys, metric, values, ok)
            if n_failed:
                low = np.nanmin(values) if np.isfinite(values).any() else 0.0
                ax.scatter(
                    x[failed], np.full(n_failed, low), marker="x", color="red", s=40, zorder=5
                )
            ax.set_xlabel(wrap(word(key), 42), fontsize=7.5)
            ax.set_ylabel(wrap(word(metric), 30) if n % columns == 0 else "", fontsize=7.5)
            ax.tick_params(labelsize=7)
            ax.grid(True, linewidth=0.3, alpha=0.5)
        data["facets"] = list(numeric)
        if note:
            figure.axes[0].set_title(note, fontsize=8, loc="left")
    else:
        ax = figure.add_subplot()
        x = _key_values(rows, numeric[0])
        if len(numeric) == 1:
            order = np.argsort(x)
            ax.plot(x[order], values[order], marker="o", markersize=3, color=COLOURS[0])
            ax.set_ylabel(wrap(word(metric), 50))
            y_fail = np.full(n_failed, np.nanmin(values) if np.isfinite(values).any() else 0.0)
            if n_failed:
                ax.scatter(
                    x[failed], y_fail, marker="x", color="red", s=40, label="failed point", zorder=5
                )
        else:
            y = _key_values(rows, numeric[1])
            xs, ys = np.unique(x[~np.isnan(x)]), np.unique(y[~np.isnan(y)])
            gridded = len(xs) * len(ys) <= 4 * len(rows) and len(xs) > 1 and len(ys) > 1
            if constant:
                ax.scatter(x[~failed], y[~failed], s=25, color="#999999", gid="sweep-points")
            elif gridded and len(xs) * len(ys) >= len(rows) * 0.5:
                grid = np.full((len(ys), len(xs)), np.nan)
                for xv, yv, v in zip(x, y, values, strict=True):
                    grid[np.searchsorted(ys, yv), np.searchsorted(xs, xv)] = v
                data["grid"], data["x"], data["y"] = grid, xs, ys
                mesh = ax.pcolormesh(_edges(xs), _edges(ys), grid, cmap="viridis", shading="flat")
                figure.colorbar(mesh, ax=ax, label=wrap(word(metric), 40))
                empty = int(np.isnan(values[~failed]).sum())
                if empty:
                    data["empty"] = empty
            else:
                shown = ~np.isnan(values)
                points = ax.scatter(
                    x[shown], y[shown], c=values[shown], cmap="viridis", s=25, gid="sweep-points"
                )
                figure.colorbar(points, ax=ax, label=wrap(word(metric), 40))
                if (~shown & ~failed).any():
                    ax.scatter(
                        x[~shown & ~failed],
                        y[~shown & ~failed],
                        facecolor="none",
                        edgecolor="#999999",
                        s=25,
                        label="no value",
                    )
                hover["sweep-points"] = _point_titles(rows, keys, metric, values, shown)
            if n_failed:
                ax.scatter(
                    x[failed],
                    y[failed],
                    marker="x",
                    color="red",
                    s=50,
                    label="failed point",
                    zorder=5,
                )
            ax.set_ylabel(wrap(word(numeric[1]), 50))
        ax.set_xlabel(wrap(word(numeric[0]), 70))
        if note:
            ax.set_title(note, fontsize=8.5, loc="left")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(
                fontsize=7,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.6 / (ax.get_position().height * figure.get_figheight())),
                ncol=2,
                frameon=False,
            )
    caption = f"{len(rows)} points; {metric}"
    if constant:
        caption += f" is {float(finite[0]):.4g} at every point that has a value."
    elif finite.size:
        lo, hi = int(np.nanargmin(values)), int(np.nanargmax(values))
        caption += (
            f" ranges from {values[lo]:.4g} (at {_at(rows, numeric, lo)}) to {values[hi]:.4g} "
            f"(at {_at(rows, numeric, hi)})."
        )
    else:
        caption += " has no value at any point."
    blank = int(np.isnan(values).sum()) - n_failed
    if blank > 0:
        caption += f" {blank} points have no value (blank cells: nothing to measure there)."
    caption += (
        f" {n_failed} point{'s' if n_failed != 1 else ''} failed (red crosses)."
        if n_failed
        else " No point failed."
    )
    if facets:
        caption += (
            f" One panel per key ({', '.join(numeric)}): the metric against each, the other "
            "keys varying at once."
        )
    named = [k for k in (*shown_keys, metric) if words.get(k)]
    if named:
        caption += " " + "; ".join(f"{k}: {words[k]}" for k in named) + "."
    return Chart("sweep", heading, figure, caption, hover, data)


def _point_titles(
    rows: Sequence[dict[str, str]],
    keys: Sequence[str],
    metric: str,
    values: np.ndarray,
    shown: np.ndarray,
) -> tuple[str, ...]:
    """One hover title per drawn point: its keys and its value."""
    return tuple(
        f"point {rows[i].get('point', i)}: "
        + ", ".join(f"{k} = {rows[i].get(k, '')}" for k in keys)
        + f"; {metric} = {values[i]:.4g}"
        for i in np.flatnonzero(shown).tolist()
    )


def _at(rows: Sequence[dict[str, str]], keys: Sequence[str], i: int) -> str:
    return ", ".join(f"{k} = {rows[i].get(k, '')}" for k in keys[:2])


def _edges(centres: np.ndarray) -> np.ndarray:
    if len(centres) == 1:
        return np.array([centres[0] - 0.5, centres[0] + 0.5])
    middle = (centres[1:] + centres[:-1]) / 2
    return np.concatenate(
        [
            [centres[0] - (middle[0] - centres[0])],
            middle,
            [centres[-1] + (centres[-1] - middle[-1])],
        ]
    )


METRIC_WORDS = {
    "zopa_share": "share of feasible bundles acceptable to every veto party",
    "acceptable": "bundles acceptable to every veto party",
    "feasible": "feasible bundles",
    "bundles": "bundles",
    "frontier_size": "bundles on the Pareto frontier",
}


def column_words(document: Mapping[str, object], columns: Sequence[str]) -> dict[str, str]:
    """Words for a sweep's keys and metrics from the base scenario's document (lever, party
    and issue titles up to their first parenthesis); columns it cannot name are left out."""

    def titles(section: str) -> dict[str, str]:
        items = document.get(section)
        out = {}
        if isinstance(items, Mapping):
            for key, item in items.items():
                title = item.get("title") if isinstance(item, Mapping) else None
                if isinstance(title, str) and title:
                    out[str(key)] = title.split(" (")[0].strip()
        return out

    levers, parties = titles("levers"), titles("parties")
    out: dict[str, str] = {}
    for column in columns:
        parts = column.split(".")
        if column in METRIC_WORDS:
            out[column] = METRIC_WORDS[column]
        elif len(parts) >= 2 and parts[0] == "levers" and parts[1] in levers:
            out[column] = levers[parts[1]]
        elif len(parts) >= 3 and parts[0] == "parties":
            out[column] = f"{parties.get(parts[1], parts[1])}: " + " ".join(parts[2:])
        else:
            for party, name in parties.items():
                if column.endswith(f"_{party}"):
                    head = column[: -len(party) - 1].replace("_", " ")
                    out[column] = f"{head} of {name}"
                    break
    return out

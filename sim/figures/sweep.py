"""Sweeps: a metric of the outcome table over one key (lines) or two keys (a heatmap)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.errors import InputError
from sim.figures.chart import COLOURS, Chart, new_figure, wrap
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


TEXT_COLUMNS = frozenset({"self_enforcing", "leverage_choice", "credible_threats"})


def _text_column(column: str) -> bool:
    """Columns of words (bundles, verdicts, choices), even where every cell is empty."""
    return column in TEXT_COLUMNS or column.endswith("_bundle") or column.startswith("proposal_")


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
) -> Chart:
    """The metric over the first key (lines, one per value of a second key when it has few)
    or over the first two keys (a heatmap); failed points marked with a red cross."""
    values, failed = metric_values(rows, keys, metric)
    numeric = [k for k in keys if not np.isnan(_key_values(rows, k)).all()]
    if not numeric:
        raise InputError(f"sweep keys {', '.join(keys)}: no numeric key to plot against")
    heading = f"{metric} over {' and '.join(numeric[:2])}"
    figure = new_figure(7.2, 5.0, left=0.9, right=0.3)
    figure.suptitle(wrap(f"{title}: {heading}" if title else heading, 80), fontsize=10)
    ax = figure.add_subplot()
    data: dict[str, object] = {"values": values, "failed": failed}
    hover: dict[str, tuple[str, ...]] = {}
    x = _key_values(rows, numeric[0])
    n_failed = int(failed.sum())
    if len(numeric) == 1:
        order = np.argsort(x)
        ax.plot(x[order], values[order], marker="o", markersize=3, color=COLOURS[0])
        ax.set_ylabel(metric)
        y_fail = np.full(n_failed, np.nanmin(values) if np.isfinite(values).any() else 0.0)
        if n_failed:
            ax.scatter(
                x[failed], y_fail, marker="x", color="red", s=40, label="failed point", zorder=5
            )
    else:
        y = _key_values(rows, numeric[1])
        xs, ys = np.unique(x[~np.isnan(x)]), np.unique(y[~np.isnan(y)])
        gridded = len(xs) * len(ys) <= 4 * len(rows) and len(xs) > 1 and len(ys) > 1
        if gridded and len(xs) * len(ys) >= len(rows) * 0.5:
            grid = np.full((len(ys), len(xs)), np.nan)
            for xv, yv, v in zip(x, y, values, strict=True):
                grid[np.searchsorted(ys, yv), np.searchsorted(xs, xv)] = v
            data["grid"], data["x"], data["y"] = grid, xs, ys
            mesh = ax.pcolormesh(_edges(xs), _edges(ys), grid, cmap="viridis", shading="flat")
            figure.colorbar(mesh, ax=ax, label=metric)
            empty = int(np.isnan(values[~failed]).sum())
            if empty:
                data["empty"] = empty
        else:
            shown = ~np.isnan(values)
            points = ax.scatter(
                x[shown], y[shown], c=values[shown], cmap="viridis", s=25, gid="sweep-points"
            )
            figure.colorbar(points, ax=ax, label=metric)
            if (~shown & ~failed).any():
                ax.scatter(
                    x[~shown & ~failed],
                    y[~shown & ~failed],
                    facecolor="none",
                    edgecolor="#999999",
                    s=25,
                    label="no value",
                )
            hover["sweep-points"] = tuple(
                f"point {rows[i].get('point', i)}: "
                + ", ".join(f"{k} = {rows[i].get(k, '')}" for k in keys)
                + f"; {metric} = {values[i]:.4g}"
                for i in np.flatnonzero(shown).tolist()
            )
        if n_failed:
            ax.scatter(
                x[failed], y[failed], marker="x", color="red", s=50, label="failed point", zorder=5
            )
        ax.set_ylabel(numeric[1])
    ax.set_xlabel(numeric[0])
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="best")
    finite = values[np.isfinite(values)]
    caption = f"{len(rows)} points; {metric}"
    if finite.size and float(finite.min()) == float(finite.max()):
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
    if len(numeric) > 2:
        caption += f" Other keys ({', '.join(numeric[2:])}) are not shown on the axes."
    return Chart("sweep", heading, figure, caption, hover, data)


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

"""What a sweep found, in words and one table: a sentence per lever on what it does, the
result table, and the metrics that never change flagged (and left out of the figures).

Read from the sweep's stored outcome table only; the averages are plain means over the
points that did not fail.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from sim.report.blocks import Block, Paragraph, Table

if TYPE_CHECKING:
    from sim.figures.sources import RunSource

TABLE_ROWS = 150
"""The result table shows at most this many points (the whole table is the run's
``outcomes.csv``)."""


def _number(text: Any) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value == value else None


def constant_metrics(rows: list[dict[str, str]], metrics: list[str]) -> dict[str, str]:
    """The metrics with one value (or none) at every point that did not fail: name -> value."""
    good = [r for r in rows if not r.get("error")]
    out = {}
    for metric in metrics:
        values = {r.get(metric, "") for r in good}
        if len(values) <= 1:
            out[metric] = next(iter(values), "") or "blank"
    return out


def lever_title(source: RunSource, path: str) -> str:
    """The title the base scenario gives a lever path (``levers.aid.value``), else ''."""
    parts = path.split(".")
    document = (source.manifest.get("base") or {}).get("document") or {}
    if len(parts) >= 2 and parts[0] == "levers":
        lever = (document.get("levers") or {}).get(parts[1]) or {}
        return str(lever.get("title") or "")
    return ""


def lever_effects(
    rows: list[dict[str, str]], keys: list[str], metric: str
) -> list[tuple[str, list[tuple[float, float]]]]:
    """Per key: (its value, the mean of ``metric`` over the points at that value), by value."""
    good = [r for r in rows if not r.get("error")]
    out = []
    for key in keys:
        groups: dict[float, list[float]] = {}
        for row in good:
            at, value = _number(row.get(key)), _number(row.get(metric))
            if at is not None and value is not None:
                groups.setdefault(at, []).append(value)
        means = [(at, sum(v) / len(v)) for at, v in sorted(groups.items())]
        out.append((key, means))
    return out


def _shape(means: list[tuple[float, float]]) -> str:
    steps = [b[1] - a[1] for a, b in pairwise(means)]
    if all(s >= 0 for s in steps):
        return "rising throughout"
    if all(s <= 0 for s in steps):
        return "falling throughout"
    peak = max(means, key=lambda m: m[1])
    return f"not monotone (highest at {peak[0]:g})"


def lever_sentences(source: RunSource, metric: str) -> list[str]:
    """One sentence per key of the sweep on what moving it does to ``metric``."""
    rows = [dict(r) for r in source.rows]
    keys = list(source.keys)
    lines = []
    for key, means in lever_effects(rows, keys, metric):
        title = lever_title(source, key)
        named = f"{key} ({title})" if title else key
        if len(means) < 2:
            lines.append(f"{named} takes one value here: its effect is not measured.")
            continue
        (lo, at_lo), (hi, at_hi) = means[0], means[-1]
        if max(m for _, m in means) - min(m for _, m in means) < 1e-12:
            lines.append(f"{named}: no effect on {metric} over {lo:g} to {hi:g}.")
            continue
        others = " (averaged over the other levers' values)" if len(keys) > 1 else ""
        lines.append(
            f"Raising {named} from {lo:g} to {hi:g} moves {metric} from {at_lo:,.4g} to "
            f"{at_hi:,.4g}{others}, {_shape(means)}."
        )
    return lines


def sweep_result_blocks(source: RunSource, metrics: list[str]) -> tuple[list[Block], list[str]]:
    """The lever sentences, the result table and the constant metrics flagged; returns the
    blocks and the metrics worth drawing (those that vary)."""
    rows = [dict(r) for r in source.rows]
    keys = list(source.keys)
    constant = constant_metrics(rows, metrics)
    varying = [m for m in metrics if m not in constant]
    blocks: list[Block] = []
    lead = next((m for m in ("acceptable", "zopa_share") if m in varying), None) or (
        varying[0] if varying else None
    )
    if lead is not None:
        blocks += [Paragraph(line) for line in lever_sentences(source, lead)]
    if constant:
        blocks.append(
            Paragraph(
                "Constant at every point, so not drawn and not in the table: "
                + "; ".join(f"{m} = {v}" for m, v in constant.items())
                + "."
            )
        )
    if varying:
        shown = rows[:TABLE_ROWS]
        errors = any(r.get("error") for r in shown)
        blocks.append(
            Table(
                ("point", *keys, *varying, *(["error"] if errors else [])),
                tuple(
                    (
                        r.get("point", ""),
                        *[r.get(k, "") for k in keys],
                        *[_cell(r.get(m, "")) for m in varying],
                        *([r.get("error", "")] if errors else []),
                    )
                    for r in shown
                ),
                caption=f"The result at each point ({len(shown)} of {len(rows)}"
                + ("; every point is in outcomes.csv" if len(rows) > len(shown) else "")
                + ")",
                marked=tuple(i for i, r in enumerate(shown) if r.get("error")),
            )
        )
    return blocks, varying


def _cell(text: str) -> str:
    value = _number(text)
    if value is None or text.strip().lstrip("-").isdigit():
        return text
    return f"{value:.4g}"

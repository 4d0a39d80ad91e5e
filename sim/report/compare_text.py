"""Comparisons as a terminal table, Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from sim.report.text import table
from sim.runs.compare import Change, Comparison
from sim.runs.store import format_cell

FORMATS = ("table", "markdown", "csv", "json")


def render_comparison(comparison: Comparison, output_format: str = "table") -> str:
    if output_format == "json":
        return json.dumps(comparison.as_dict(), indent=2, ensure_ascii=False)
    header = [*comparison.keys, "column", "old", "new"]
    full = [[*c.key, c.column, format_cell(c.old), format_cell(c.new)] for c in comparison.changes]
    if output_format == "csv":
        rows = full
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    rows = [[*c.key, c.column, *_cells(c)] for c in comparison.changes]
    lines = [f"A: {comparison.run_a}", f"B: {comparison.run_b}"]
    if output_format == "markdown":
        lines = [f"- A: `{comparison.run_a}`", f"- B: `{comparison.run_b}`", ""]
        if rows:
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(r).replace("\n", " ") + " |" for r in rows]
    elif rows:
        lines.append(table(header, [[str(v) for v in r] for r in rows]))
    for label, keys in (("only in A", comparison.only_a), ("only in B", comparison.only_b)):
        for key in keys:
            lines.append(
                f"{label}: "
                + ", ".join(f"{k}={v}" for k, v in zip(comparison.keys, key, strict=True))
            )
    for label, columns in (
        ("columns only in A", comparison.columns_only_a),
        ("columns only in B", comparison.columns_only_b),
    ):
        if columns:
            lines.append(f"{label}: {', '.join(columns)}")
    if any(c.issues for c in comparison.changes):
        lines.append(
            "bundles: only the issues that changed are shown, old option and new "
            "(--format csv or json for the full terms)"
        )
    lines.append(comparison.summary())
    return "\n".join(lines)


def _cells(change: Change) -> tuple[str, str]:
    """A change's old and new cells; for a bundle, only its changed issues."""
    if not change.issues:
        return format_cell(change.old), format_cell(change.new)
    return (
        "; ".join(f"{issue}={old}" for issue, old, _ in change.issues),
        "; ".join(f"{issue}={new}" for issue, _, new in change.issues),
    )

"""The opening of a comparison report: which input changed (scenario files, the command and
its overrides, the levers) and the headline values that moved, before the full table.

Read from the two run folders' manifests and stored outcome tables, and the scenarios as
the run source loaded them; nothing is re-run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.report.blocks import Block, Heading, Items, Paragraph, Table

if TYPE_CHECKING:
    from sim.figures.sources import RunSource
    from sim.runs.compare import Change

HEADLINE_COLUMNS = ("acceptable", "zopa_share", "frontier_size", "nash_bundle")
"""The outcome columns a comparison leads with (agreement periods and reservation values
are added)."""


def _files(manifest: dict[str, Any]) -> dict[str, str]:
    return {
        str(f.get("path")): str(f.get("sha256"))
        for f in manifest.get("scenario_files") or []
        if isinstance(f, dict)
    }


def _command(manifest: dict[str, Any]) -> list[str]:
    """The command without its output folder (which always differs)."""
    words = [str(w) for w in manifest.get("command") or []]
    out = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word == "--out":
            skip = True
            continue
        out.append(word)
    return out


def input_lines(a: RunSource, b: RunSource) -> list[str]:
    """Which inputs differ between two runs, in words."""
    lines = []
    files_a, files_b = _files(a.manifest), _files(b.manifest)
    for path in sorted(set(files_a) | set(files_b)):
        if path not in files_b:
            lines.append(f"scenario file {path}: read by run A only")
        elif path not in files_a:
            lines.append(f"scenario file {path}: read by run B only")
        elif files_a[path] != files_b[path]:
            lines.append(
                f"scenario file {path}: changed between the runs (sha256 "
                f"{files_a[path][:12]}… -> {files_b[path][:12]}…)"
            )
    command_a, command_b = _command(a.manifest), _command(b.manifest)
    if command_a != command_b:
        lines.append(f"command: {' '.join(command_a)} -> {' '.join(command_b)}")
    levers_a = _levers(a)
    levers_b = _levers(b)
    for key in sorted(set(levers_a) | set(levers_b)):
        old, new = levers_a.get(key), levers_b.get(key)
        if old != new:
            lines.append(f"lever {key}: {_value(old)} -> {_value(new)}")
    if a.manifest.get("seed") != b.manifest.get("seed"):
        lines.append(f"seed: {a.manifest.get('seed')} -> {b.manifest.get('seed')}")
    return lines


def _levers(source: RunSource) -> dict[str, float]:
    """The lever values of a run's scenarios (of its only scenario, or ``name.lever``)."""
    views = list(source.scenarios)
    out: dict[str, float] = {}
    for view in views:
        for key, lever in view.loaded.scenario.levers.items():
            out[key if len(views) == 1 else f"{view.outcome.scenario}.{key}"] = lever.value
    return out


def _value(value: float | None) -> str:
    return "absent" if value is None else f"{value:g}"


def _terms(source: RunSource, index: object) -> dict[str, str] | None:
    """A bundle index of a run's (only or first) scenario in terms, None where it cannot be
    read (no scenario loaded, not an index)."""
    import numpy as np

    from sim.core.space import decode

    if not source.scenarios or not isinstance(index, int | float) or index != index:
        return None
    problem = source.scenarios[0].problem
    if not 0 <= int(index) < int(np.prod(problem.bundle_radices)):
        return None
    (digits,) = decode(np.array([int(index)]), problem.bundle_radices).tolist()
    return {
        issue: options[d]
        for issue, options, d in zip(
            problem.bundle_issues, problem.bundle_options, digits, strict=True
        )
    }


def _terms_change(change: Change, source: RunSource, other: RunSource) -> str:
    """Two bundles' terms: only the issues that differ (the comparison's own, for bundles
    stored as terms; decoded from each run's scenario, for bundles stored as indices)."""
    from sim.runs.compare import terms_change

    changed = list(change.issues)
    if not changed:
        a, b = _terms(source, change.old), _terms(other, change.new)
        if a is None or b is None:
            return f"bundle {_cell(change.old)} -> {_cell(change.new)}"
        changed = list(terms_change(a, b)[0])
    return "; ".join(f"{i}: {o or '–'} -> {n or '–'}" for i, o, n in changed) or "same terms"


def lead_blocks(source: RunSource) -> list[Block]:
    """What changed and which input changed, for the top of a comparison report."""
    comparison = source.comparison
    other = source.other
    if comparison is None or other is None:
        return []
    lines = input_lines(source, other)
    blocks: list[Block] = [
        Heading(2, "What changed, and why", "in-brief"),
        Paragraph(comparison.summary() + "."),
        Heading(3, "The inputs that differ"),
        Items(tuple(lines))
        if lines
        else Paragraph(
            "No input differs (same scenario files, command, levers and seed): the "
            "differences come from the code (see the versions under What was run)."
        ),
    ]
    rows = []
    for change in comparison.changes:
        column = change.column
        if (
            column not in HEADLINE_COLUMNS
            and not column.endswith("_period")
            and not (column.startswith("reservation_"))
        ):
            continue
        if column.endswith("_bundle"):
            shown = _terms_change(change, source, other)
        else:
            shown = f"{_cell(change.old)} -> {_cell(change.new)}"
        rows.append((" / ".join(change.key), column, shown))
    if rows:
        blocks.append(
            Table(
                ("row", "headline", "run A -> run B"),
                tuple(rows),
                caption="The headline values that moved (every change is in the table below)",
            )
        )
    return blocks


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)

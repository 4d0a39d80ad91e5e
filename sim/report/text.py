"""Plain-text rendering for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.core.problem import Problem
from sim.core.space import decode
from sim.core.verdict import PartyVerdict, Verdict
from sim.text import escape_controls
from sim.words import plural

if TYPE_CHECKING:
    from sim.core.distance import Standing


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int] | None = None
) -> str:
    """Columns padded to their widest cell; columns in ``right`` are right-aligned.

    Examples
    --------
    >>> print(table(["a", "bb"], [["x", "1"], ["yyy", "22"]], right={1}))
    a    bb
    x     1
    yyy  22
    """
    right = right or set()
    # Tables show run folders' cells too, which no load checked: control characters escaped.
    shown = [[escape_controls(str(v)) for v in row] for row in [header, *rows]]
    widths = [max(len(r[c]) for r in shown) for c in range(len(header))]
    lines = []
    for row in shown:
        cells = [
            v.rjust(w) if c in right else v.ljust(w)
            for c, (v, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def number(value: float, digits: int = 3) -> str:
    return "-" if np.isnan(value) else f"{value:.{digits}f}"


def explain_terms(
    problem: Problem, allowed: list[NDArray[np.bool_]], verdicts: list[PartyVerdict]
) -> str:
    """Per-issue contributions, utilities, reservations, red lines and verdicts."""
    header = ["issue", "option", *problem.parties]
    rows = []
    chosen = {k: int(np.flatnonzero(m)[0]) for k, m in enumerate(allowed) if m.sum() == 1}
    for k, issue in enumerate(problem.issues):
        if k in chosen:
            option = problem.options[k][chosen[k]]
        elif allowed[k].all():
            option = "(open)"
        else:
            option = f"({int(allowed[k].sum())} of {allowed[k].shape[0]} combinations)"
        cells = []
        for v in verdicts:
            mark = "!" if k in v.red_lines_hit else ""
            cells.append(number(v.contributions[k]) + mark if k in chosen else "")
        rows.append([issue, option, *cells])
    utility = [_range(v.utility_low, v.utility_high) for v in verdicts]
    rows.append(["utility", "", *utility])
    rows.append(["reservation", "", *[number(v.reservation) for v in verdicts]])
    rows.append(["veto", "", *[_veto_word(v) for v in verdicts]])
    out = [table(header, rows, right=set(range(2, 2 + len(verdicts))))]
    out.append("")
    for v in verdicts:
        lines = "; ".join(
            f"{problem.issues[k]}={problem.options[k][chosen[k]]}" for k in v.red_lines_hit
        )
        reason = f"{v.reason}: {lines}" if lines else v.reason
        out.append(f"{v.party}: {v.verdict.value} ({reason})")
    out.append(_overall(verdicts, full=len(chosen) == len(problem.issues)))
    return "\n".join(out)


def _veto_word(verdict: PartyVerdict) -> str:
    """``yes``, ``no``, or ``consent`` for a party whose consent some bundles need."""
    return "yes" if verdict.veto else "no" if verdict.consent is None else "consent"


def _range(low: float, high: float) -> str:
    return number(low) if abs(high - low) <= 1e-12 else f"{number(low)}..{number(high)}"


def _overall(verdicts: list[PartyVerdict], full: bool) -> str:
    vetoes = [v for v in verdicts if v.veto]
    asked = [v for v in verdicts if v.consent in ("all", "some")]
    refusing = [
        v.party for v in verdicts if v.verdict is Verdict.REJECTS and (v.veto or v.consent == "all")
    ]
    if refusing:
        return f"=> no agreement: rejected by {', '.join(refusing)}"
    if all(v.verdict is Verdict.ACCEPTS for v in vetoes + asked):
        whom = "every party whose consent it needs" if asked else "every veto party"
        return f"=> acceptable to {whom}" + ("" if full else " under every completion")
    if asked:
        return (
            "=> depends on the open issues: no veto party rejects every completion, and no "
            "party whose consent every completion needs rejects them"
        )
    return "=> depends on the open issues: no veto party rejects every completion"


def standing_text(problem: Problem, standing: Standing) -> str:
    """Where a full bundle stands against the frontier, in words."""
    head = f"bundle {standing.index}: "
    if standing.frontier_empty:
        return head + "no bundle is acceptable to every veto party, so there is no frontier"
    if standing.better is None:
        suffix = " (it is on the frontier)" if standing.listed else ""
        return head + "no acceptable bundle Pareto-dominates it" + suffix
    here, there = decode(
        np.array([standing.index, standing.distance.best_index], dtype=np.int64),
        problem.bundle_radices,
    )
    options = problem.bundle_options
    changes = "; ".join(
        f"{issue}={options[k][int(there[k])]} [was {options[k][int(here[k])]}]"
        for k, issue in enumerate(problem.bundle_issues)
        if there[k] != here[k]
    )
    distance = standing.distance
    return (
        f"{head}dominated by {plural(distance.dominated_by, 'frontier bundle')}; changing "
        f"{changes} gives every veto party at least {distance.improvement:.3f} more "
        f"(bundle {distance.best_index})"
    )

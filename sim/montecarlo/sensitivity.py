"""Which judgments decide each headline: global sensitivity indices and a tornado table.

Global indices: PAWN (Pianosi & Wagener 2015, "A simple and efficient method for global
sensitivity analysis based on cumulative distribution functions"), computed for every judgment
at once as SALib computes it one judgment at a time (its implementation is the tests' oracle),
computed from the Monte Carlo draws themselves (any sample will do): for each judgment, the
median over ``SLICES`` conditioning intervals of the Kolmogorov-Smirnov distance between the
headline's distribution given the judgment in the interval and its unconditional
distribution. 0 means the headline does not depend on the judgment; with a finite sample an
inert judgment scores above 0, so independent dummy inputs are scored alongside and the
largest of their indices is reported as the noise level.

Tornado: each judgment alone moved to either end of its declared spread (after truncation; a
normal's 2.5% and 97.5% quantiles), every other judgment at its stated value; the moves that
change a headline of the stated scenario are listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.montecarlo.draws import draw_block, support, uniforms
from sim.montecarlo.judgments import Judgment
from sim.montecarlo.static import BlockResult, accepted_by_all, block_size, evaluate_block

if TYPE_CHECKING:
    from sim.core.problem import Problem
    from sim.montecarlo.results import ScenarioDraws

SAMPLE = 1000
"""Draws the global indices are computed from (the first ones)."""
SLICES = 10
"""Conditioning intervals of PAWN."""
TOP = 10
"""Judgments listed per headline."""
DUMMY = "(dummy)"
DUMMIES = 5
"""Inputs drawn independently of everything (the dummy parameters of Khorashadi Zadeh et al.
2017): the largest of their indices is the noise level, what an inert judgment may score by
chance; judgments at or below it are not distinguishable from noise."""


def pawn_medians(
    x: NDArray[np.float64], y: NDArray[np.float64], slices: int
) -> NDArray[np.float64]:
    """``(k,)`` the median PAWN index of each column of ``x`` for output ``y``, all columns at
    once (Pianosi & Wagener 2015, as SALib's ``pawn.analyze`` computes it, which the tests use
    as the oracle): each column is cut at its ``0, 1/S, ..., 1`` quantiles into ``S`` slices
    ``[q_s, q_s+1)`` (its largest value in none), and the index is the median over the non-empty
    slices of the Kolmogorov-Smirnov distance between ``y`` within the slice and ``y`` overall.

    The distances come from one histogram of ``y``'s ranks per (column, slice): the empirical
    CDFs of a slice and of the whole sample only step at the values ``y`` takes, so their
    largest gap is found there.
    """
    n, k = x.shape
    values, rank = np.unique(y, return_inverse=True)
    m = values.shape[0]
    whole = np.cumsum(np.bincount(rank, minlength=m)) / n  # overall ECDF at each value
    edges = np.quantile(x, np.arange(0.0, 1.0 + 1.0 / slices, 1.0 / slices), axis=0)  # (S+1, k)
    index = np.empty((n, k), dtype=np.int64)
    for c in range(k):
        index[:, c] = np.searchsorted(edges[:, c], x[:, c], side="right") - 1
    inside = index < edges.shape[0] - 1  # the largest value belongs to no slice
    cells = (np.arange(k)[None, :] * slices + index) * m + rank[:, None]
    counts = np.bincount(cells[inside], minlength=k * slices * m).reshape(k, slices, m)
    sizes = counts.sum(axis=2)
    cdf = np.cumsum(counts, axis=2) / np.maximum(sizes, 1)[:, :, None]
    distance = np.abs(cdf - whole[None, None, :]).max(axis=2)
    distance[sizes == 0] = np.nan
    return np.asarray(np.nanmedian(distance, axis=1), dtype=np.float64)


def pawn_indices(
    x: NDArray[np.float64], y: NDArray[np.float64], names: list[str]
) -> dict[str, float]:
    """Median PAWN index of each column of ``x`` for output ``y`` (:func:`pawn_medians`);
    columns that do not vary get 0."""
    spread = x.max(axis=0) > x.min(axis=0)
    found = dict.fromkeys(names, 0.0)
    if not spread.any():
        return found
    used = np.flatnonzero(spread)
    for i, value in zip(used, pawn_medians(x[:, used], y, SLICES), strict=True):
        found[names[int(i)]] = float(value)
    return found


def headlines(result: ScenarioDraws, rows: slice) -> dict[str, NDArray[np.float64]]:
    """The 0/1 headlines whose sensitivity is reported, over some draws."""
    out = {"p_zone": (result.acceptable[rows] > 0).astype(np.float64)}
    nash = result.solutions[rows, 0]
    present = nash[nash >= 0]
    if present.shape[0]:
        found, counts = np.unique(present, return_counts=True)
        out["nash_modal"] = (nash == found[int(np.argmax(counts))]).astype(np.float64)
    all_accept = result.all_accept()[rows]
    for p, (pid, _) in enumerate(result.structure.proposals):
        out[f"proposal.{pid}"] = all_accept[:, p].astype(np.float64)
    if result.measures is not None:
        out["surplus"] = np.nan_to_num(result.measures.surplus[rows], nan=0.0)
    return out


SOBOL_N = 256
"""A base sample of the Sobol design that ranks the case's groups clearly (``N (g + 3)``
evaluations, ``g`` groups: about 6,000 for the case)."""
SOBOL_BY = ("group", "judgment")
"""What the Sobol indices are computed for: groups of judgments (a party's weights, its
values, its reservation; a lever; the war's odds; the compliance game) or single judgments."""


def judgment_group(judgment: Judgment) -> str:
    """The group a judgment's Sobol index is pooled into.

    Examples
    --------
    >>> from sim.montecarlo.judgments import Judgment
    >>> j = Judgment("parties.russia.values.nato.neutrality", "values", 1, "uniform", (0.9, 1),
    ...              0.0, 1.0, "x", "")
    >>> judgment_group(j)
    'russia values'
    """
    parts = judgment.path.split(".")
    if judgment.stream.startswith("group:"):
        return judgment.stream.replace("group:", "group ", 1)
    if parts[0] == "parties":
        return f"{parts[1]} {judgment.kind}"
    if parts[0] == "levers":
        return f"lever {parts[1]}"
    if parts[0] == "war":
        return f"war {parts[1]}"
    return parts[0]


def sobol_variables(judgments: tuple[Judgment, ...], by: str) -> int:
    """How many inputs a Sobol design over these judgments has (before the dummy)."""
    streams = {j.stream: j for j in judgments}
    if by == "group":
        return len({judgment_group(j) for j in streams.values()})
    return len(streams)


def sobol_summary(result: ScenarioDraws, seed: int, n: int, by: str) -> dict[str, Any]:
    """Sobol indices of the zone's joint surplus (0 without a zone), the zone's existence,
    each veto party's reservation and each proposal's acceptance by all, per group of
    judgments (``by="group"``, :func:`judgment_group`) or per judgment, from a Saltelli design
    of base size ``n`` on the judgments' declared spreads (:mod:`sim.montecarlo.sobol`)."""
    from sim.montecarlo.draws import values
    from sim.montecarlo.sobol import sobol_indices

    judgments = result.judgments
    structure, problem = result.structure, result.structure.problem
    streams = list(dict.fromkeys(j.stream for j in judgments))
    column = [streams.index(j.stream) for j in judgments]
    first = {j.stream: j for j in reversed(judgments)}
    groups = [judgment_group(first[s]) for s in streams] if by == "group" else None
    names = [first[s].path if not s.startswith("group:") else s for s in streams]
    step = block_size(structure)
    veto = [problem.parties[j] for j in problem.judges.tolist() if problem.veto[j]]
    at = [c for c, j in enumerate(problem.judges.tolist()) if problem.veto[j]]

    def evaluate(unit: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
        drawn = np.column_stack(
            [values(j, unit[:, column[i]]) for i, j in enumerate(judgments)]
        ).reshape(unit.shape[0], len(judgments))
        parts = [evaluate_block(structure, drawn[k : k + step]) for k in range(0, len(drawn), step)]
        out = {
            "surplus": np.concatenate([np.nan_to_num(p.measures.surplus, nan=0.0) for p in parts]),
            "zone": np.concatenate([p.acceptable > 0 for p in parts]).astype(np.float64),
        }
        reservations = np.concatenate([p.measures.reservations for p in parts])
        for party, c in zip(veto, at, strict=True):
            out[f"reservation.{party}"] = reservations[:, c]
        accepted = np.concatenate(
            [accepted_by_all(p.verdicts, p.completable, problem) for p in parts]
        )
        for p, (pid, _) in enumerate(structure.proposals):
            out[f"proposal.{pid}"] = accepted[:, p].astype(np.float64)
        return out

    found = sobol_indices(evaluate, names, n, seed, groups)
    if found is None:
        return {"method": "not computed: install sim[sensitivity]"}
    return {
        "method": f"Sobol (Saltelli design, SALib), N = {n}, {found['evaluations']:,} "
        f"evaluations, by {by}, 95% bootstrap intervals",
        **found,
    }


def sensitivity_summary(
    result: ScenarioDraws, seed: int, sobol: int = 0, sobol_by: str = "group"
) -> dict[str, Any]:
    """Per headline (``p_zone``, ``nash_modal``, ``proposal.ID``) the judgments with the
    largest indices, with the ``method``, the ``noise`` level per headline and the ``tornado``
    table."""
    judgments = result.judgments
    n = min(SAMPLE, result.acceptable.shape[0])
    names = [j.path for j in judgments]
    block = one_at_a_time(result)
    document: dict[str, Any] = {
        "method": f"PAWN, median KS over {SLICES} slices, first {n} draws",
        "tornado": tornado(result, block),
        "swings": swings(result, block),
    }
    if judgments and sobol:
        document["sobol"] = sobol_summary(result, seed, sobol, sobol_by)
    if not judgments or n < 2 * SLICES:
        document["method"] = "not computed: too few draws or no judgment varies"
        return document
    x = draw_block(judgments, seed, 0, n)
    dummies = [f"{DUMMY} {i}" for i in range(DUMMIES)]
    x = np.column_stack([x, *(uniforms(seed, d, 0, n) for d in dummies)])
    document["noise"] = {}
    for headline, y in headlines(result, slice(0, n)).items():
        if y.min() == y.max():
            document[headline] = "constant over the draws"
            continue
        indices = pawn_indices(x, y, [*names, *dummies])
        noise = max(indices.pop(d) for d in dummies)
        ranked = sorted(indices.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
        document["noise"][headline] = noise
        document[headline] = [{"path": p, "index": v, "above_noise": v > noise} for p, v in ranked]
    return document


def tornado(result: ScenarioDraws, block: BlockResult | None = None) -> list[dict[str, Any]]:
    """The single judgments whose move to an end of their spread changes a headline
    (``block``: :func:`one_at_a_time`, computed here if not given)."""
    judgments = result.judgments
    block = one_at_a_time(result) if block is None else block
    if block is None:
        return []
    accepted = accepted_by_all(block.verdicts, block.completable, result.structure.problem)
    flips = []
    Change = tuple[str, bool | int, bool | int]
    for j, judgment in enumerate(judgments):
        for e, end in enumerate(support(judgment)):
            row = 1 + 2 * j + e
            changes: list[Change] = []
            if (block.acceptable[row] > 0) != (block.acceptable[0] > 0):
                changes.append(
                    ("zone", bool(block.acceptable[0] > 0), bool(block.acceptable[row] > 0))
                )
            if block.solutions[row, 0] != block.solutions[0, 0]:
                changes.append(("nash", int(block.solutions[0, 0]), int(block.solutions[row, 0])))
            for p, (pid, _) in enumerate(result.structure.proposals):
                if accepted[row, p] != accepted[0, p]:
                    changes.append(
                        (f"proposal.{pid}", bool(accepted[0, p]), bool(accepted[row, p]))
                    )
            for headline, before, after in changes:
                flip: dict[str, Any] = {
                    "path": judgment.path,
                    "end": "low" if e == 0 else "high",
                    "value": end,
                    "headline": headline,
                    "stated": before,
                    "moved": after,
                }
                if headline == "nash":
                    flip["changed"] = changed_terms(result.structure.problem, before, after)
                flips.append(flip)
    return flips


def one_at_a_time(result: ScenarioDraws) -> BlockResult | None:
    """The static layer at the stated values (row 0) and with each judgment alone at the low
    (row ``1 + 2j``) and high (row ``2 + 2j``) end of its spread; None without judgments."""
    judgments = result.judgments
    if not judgments:
        return None
    base = np.array([j.base for j in judgments])
    points = [base]
    for j, judgment in enumerate(judgments):
        for end in support(judgment):
            moved = base.copy()
            moved[j] = end
            points.append(moved)
    return evaluate_block(result.structure, np.array(points))


def swings(result: ScenarioDraws, block: BlockResult | None) -> dict[str, Any]:
    """The continuous tornado: each judgment alone moved to either end of its spread, every
    other at its stated value, and the zone's joint surplus (0 without a zone) at each end;
    the judgments with the largest swing between the two ends first. It ranks how far each
    judgment moves what the zone is worth, where the flips of :func:`tornado` only say
    whether a headline changes."""
    if block is None:
        return {"stated_surplus": None, "judgments": []}
    surplus = np.nan_to_num(block.measures.surplus, nan=0.0)
    rows: list[dict[str, Any]] = []
    for j, judgment in enumerate(result.judgments):
        low, high = support(judgment)
        at_low, at_high = float(surplus[1 + 2 * j]), float(surplus[2 + 2 * j])
        rows.append(
            {
                "path": judgment.path,
                "low": low,
                "high": high,
                "surplus_at_low": at_low,
                "surplus_at_high": at_high,
                "swing": abs(at_high - at_low),
            }
        )
    rows.sort(key=lambda r: (-r["swing"], r["path"]))
    return {"stated_surplus": float(surplus[0]), "judgments": rows[:TOP]}


def changed_terms(problem: Problem, stated: Any, moved: Any) -> dict[str, list[str | None]]:
    """The issues on which two bundles (indices; -1 for none) differ: ``{issue: [stated
    option, moved option]}`` (None for a side with no bundle), so that a reader of the
    tornado sees terms, not bundle numbers."""
    from sim.montecarlo.summary import bundle_words

    before = bundle_words(problem, int(stated)) if int(stated) >= 0 else {}
    after = bundle_words(problem, int(moved)) if int(moved) >= 0 else {}
    return {
        issue: [before.get(issue), after.get(issue)]
        for issue in problem.bundle_issues
        if before.get(issue) != after.get(issue)
    }

"""Whether each party accepts a bundle, or a partial set of terms under any completion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from sim.core.problem import Problem
from sim.core.utility import ACCEPT_TOL

G = TypeVar("G", bound=np.generic)


class Verdict(StrEnum):
    ACCEPTS = "accepts"
    REJECTS = "rejects"
    SOME = "accepts under some completions"
    NO_RESERVATION = "not consulted"


@dataclass(frozen=True)
class PartyVerdict:
    """One party's view of a set of terms.

    ``contributions[k]`` is the party's weighted value of the option taken on issue ``k``
    (NaN where the terms leave the issue open). ``utility_low``/``utility_high`` bound its
    utility over every completion of the open issues (equal for a full bundle); the high
    bound avoids the party's own red lines.

    ``consent`` is None for a party that holds no consent (see :mod:`sim.core.consent`); for
    a consent holder it says which completions need its consent: ``"all"``, ``"some"`` or
    ``"none"``. A consent holder is judged over those completions only (its bounds and
    verdict), and is not consulted (:attr:`Verdict.NO_RESERVATION`) when none needs it.
    """

    party: str
    veto: bool
    contributions: NDArray[np.float64]
    utility_low: float
    utility_high: float
    reservation: float
    red_lines_hit: tuple[int, ...]
    red_lines_possible: tuple[int, ...]
    verdict: Verdict
    reason: str
    consent: str | None = None


def judge_terms(
    problem: Problem, terms: dict[int, int], tol: float = ACCEPT_TOL
) -> list[PartyVerdict]:
    """Each party's verdict on terms that fix some issues (issue index -> option index)."""
    allowed = []
    for k, radix in enumerate(problem.radices.tolist()):
        mask = np.zeros(radix, dtype=np.bool_) if k in terms else np.ones(radix, dtype=np.bool_)
        if k in terms:
            mask[terms[k]] = True
        allowed.append(mask)
    return judge_allowed(problem, allowed, tol)


def judge_allowed(
    problem: Problem,
    allowed: list[NDArray[np.bool_]],
    tol: float = ACCEPT_TOL,
    parties: Sequence[int] | None = None,
) -> list[PartyVerdict]:
    """Each party's verdict (of ``parties``, by default every one, in that order) when issue
    ``k`` may take the options ``allowed[k]`` (one option: fixed; all: open; some: partly
    settled, as a composite issue is when terms fix some of its members).

    Utility is additive over issues, so the best and worst completions are found issue by
    issue (:func:`term_bounds`): the low bound takes each issue's worst allowed option, the
    high bound its best allowed option that is not one of the party's red lines.
    """
    values, lines, starts = _side_by_side(problem)
    mask = np.concatenate(allowed)
    bounds = problem.remembered(
        ("term bounds", mask.tobytes()), lambda: term_bounds(values, lines, mask, starts)
    )
    verdicts = []
    holders = set(problem.consent_holders.tolist())
    for i in range(problem.n_parties) if parties is None else parties:
        party = problem.parties[i]
        hits = [int(k) for k in np.flatnonzero(bounds.hit[i])]
        maybe = [int(k) for k in np.flatnonzero(bounds.possible[i])]
        reservation = float(problem.reservation[i])
        low, high = float(bounds.low[i]), float(bounds.high[i])
        verdict, reason = _decide(
            low, high, reservation, hits, maybe, bool(bounds.blocked[i]), tol, problem
        )
        bounds_i = (low, high)
        needed = None
        if i in holders:
            parts = consent_components(problem, allowed, i)
            needed = "all" if parts is None else "some" if parts else "none"
            if parts:
                verdict, reason, bounds_i = _over_components(
                    problem, parts, i, tol, values[i], lines[i], starts
                )
            elif parts is not None:
                verdict, reason = Verdict.NO_RESERVATION, "no completion needs its consent"
        verdicts.append(
            PartyVerdict(
                party,
                bool(problem.veto[i]),
                np.where(bounds.fixed, bounds.worst[i], np.nan),
                bounds_i[0],
                bounds_i[1],
                reservation,
                tuple(hits),
                tuple(maybe),
                verdict,
                reason,
                needed,
            )
        )
    return verdicts


def _side_by_side(
    problem: Problem,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.intp]]:
    """The problem's values and red lines side by side and where each issue starts, kept in
    its memo."""
    return problem.remembered(
        "side by side",
        lambda: (
            side_by_side(problem.tables),
            side_by_side(problem.red_lines),
            option_starts(problem.radices),
        ),
    )


def side_by_side(tables: Sequence[NDArray[G]]) -> NDArray[G]:
    """Per-issue tables ``(..., n_options_k)`` as one ``(..., sum of n_options)``, issue after
    issue."""
    joined: NDArray[G] = np.concatenate(tables, axis=-1)
    return joined


def option_starts(radices: NDArray[np.int64]) -> NDArray[np.intp]:
    """Where each issue's options start in :func:`side_by_side`'s last axis."""
    starts: NDArray[np.intp] = np.concatenate([[0], np.cumsum(radices)[:-1]]).astype(np.intp)
    return starts


@dataclass(frozen=True)
class TermBounds:
    """What :func:`term_bounds` finds; ``...`` is the leading axes of its arguments.

    Attributes
    ----------
    worst
        ``(..., K)`` each issue's worst allowed value (of a fixed issue, its one value).
    fixed
        ``(..., K)`` the issue allows exactly one option.
    low, high
        ``(...)`` the sums over issues of the worst allowed value and of the best allowed one
        that is not a red line (a fixed issue's one value; 0 for an open issue whose allowed
        options are all red lines), added issue by issue in order.
    hit, possible
        ``(..., K)`` a fixed issue takes a red line; an open issue allows one.
    blocked
        ``(...)`` every allowed option of some open issue is a red line.
    """

    worst: NDArray[np.float64]
    fixed: NDArray[np.bool_]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    hit: NDArray[np.bool_]
    possible: NDArray[np.bool_]
    blocked: NDArray[np.bool_]


def term_bounds(
    values: NDArray[np.float64],
    lines: NDArray[np.bool_],
    allowed: NDArray[np.bool_],
    starts: NDArray[np.intp],
) -> TermBounds:
    """The bounds of additive utility over the bundles taking ``allowed`` options: ``values``
    and ``lines`` are a party's (or every party's, or every draw's) value and red line of each
    option, issues side by side (:func:`side_by_side`, issue ``k``'s options from
    ``starts[k]``); the three broadcast together over their leading axes. Every issue allows
    at least one option.

    Examples
    --------
    Two issues of two options; the first is fixed at its second option, the second is open
    and its first option is a red line:

    >>> b = term_bounds(np.array([0.1, 0.2, 0.3, 0.4]), np.array([False, False, True, False]),
    ...     np.array([False, True, True, True]), np.array([0, 2]))
    >>> float(b.low), float(b.high), b.fixed.tolist(), b.possible.tolist(), bool(b.blocked)
    (0.5, 0.6000000000000001, [True, False], [False, True], False)
    """
    worst = np.minimum.reduceat(np.where(allowed, values, np.inf), starts, axis=-1)
    best = np.maximum.reduceat(np.where(allowed & ~lines, values, -np.inf), starts, axis=-1)
    fixed = np.add.reduceat(allowed.astype(np.int64), starts, axis=-1) == 1
    taken = np.logical_or.reduceat(allowed & lines, starts, axis=-1)
    none_free = np.isneginf(best)
    open_issue = ~fixed
    return TermBounds(
        worst=worst,
        fixed=fixed,
        low=_in_order(worst),
        high=_in_order(np.where(fixed, worst, np.where(none_free, 0.0, best))),
        hit=fixed & taken,
        possible=open_issue & taken,
        blocked=(open_issue & none_free).any(axis=-1),
    )


def _in_order(terms: NDArray[np.float64]) -> NDArray[np.float64]:
    """Sums over the last axis, added one term at a time from 0 (the order a loop over issues
    adds them in, so every float is that loop's)."""
    start = np.zeros((*terms.shape[:-1], 1))
    total: NDArray[np.float64] = np.cumsum(np.concatenate([start, terms], axis=-1), axis=-1)
    return total[..., -1]


def consent_components(
    problem: Problem, allowed: list[NDArray[np.bool_]], party: int
) -> list[list[NDArray[np.bool_]]] | None:
    """The completions of ``allowed`` that need ``party``'s consent, as a union of products:
    one allowed-options list per issue that may take an option its consent covers (that
    issue restricted to those options). None when every completion needs it (some issue
    allows only covered options); ``[]`` when none does."""
    consent = problem.consent
    if consent is None:
        return []
    covered = [table[party] for table in consent]
    if any(not (mask & ~cover).any() for mask, cover in zip(allowed, covered, strict=True)):
        return None
    parts = []
    for k, (mask, cover) in enumerate(zip(allowed, covered, strict=True)):
        if (mask & cover).any():
            parts.append([m & cover if j == k else m for j, m in enumerate(allowed)])
    return parts


def _over_components(
    problem: Problem,
    parts: list[list[NDArray[np.bool_]]],
    party: int,
    tol: float,
    values: NDArray[np.float64],
    lines: NDArray[np.bool_],
    starts: NDArray[np.intp],
) -> tuple[Verdict, str, tuple[float, float]]:
    """A consent holder's verdict over the union of products of completions that need its
    consent (``values`` and ``lines``: its own, side by side): accepts (rejects) when it
    accepts (rejects) every one of them."""
    reservation = float(problem.reservation[party])
    stacked = np.stack([np.concatenate(p) for p in parts])
    each = problem.remembered(
        ("consent products", party, stacked.tobytes(), stacked.shape),
        lambda: term_bounds(values, lines, stacked, starts),
    )
    judged = [
        _decide(
            float(each.low[p]),
            float(each.high[p]),
            reservation,
            [int(k) for k in np.flatnonzero(each.hit[p])],
            [int(k) for k in np.flatnonzero(each.possible[p])],
            bool(each.blocked[p]),
            tol,
            problem,
        )
        for p in range(len(parts))
    ]
    low = float(each.low.min())
    high = float(each.high.max())
    verdicts = {verdict for verdict, _ in judged}
    where = "over the completions that need its consent"
    if verdicts == {Verdict.ACCEPTS}:
        why = f"utility at least {low:.3f} >= reservation {reservation:.3f} {where}"
        return Verdict.ACCEPTS, why, (low, high)
    if verdicts == {Verdict.REJECTS}:
        reasons = "; ".join(dict.fromkeys(reason for _, reason in judged))
        return Verdict.REJECTS, f"{where}: {reasons}", (low, high)
    why = f"utility {low:.3f} to {high:.3f} vs reservation {reservation:.3f} {where}"
    return Verdict.SOME, why, (low, high)


def _decide(
    low: float,
    high: float,
    reservation: float,
    hit: list[int],
    possible: list[int],
    blocked: bool,
    tol: float,
    problem: Problem,
) -> tuple[Verdict, str]:
    if hit:
        return Verdict.REJECTS, "red line"
    if blocked:
        return Verdict.REJECTS, "every option of an open issue is a red line"
    if np.isnan(reservation):
        return Verdict.NO_RESERVATION, "no veto, no reservation value"
    if low >= reservation - tol and not possible:
        if high - low <= tol:
            return Verdict.ACCEPTS, f"utility {low:.3f} >= reservation {reservation:.3f}"
        return Verdict.ACCEPTS, f"utility at least {low:.3f} >= reservation {reservation:.3f}"
    if high < reservation - tol:
        if high - low <= tol:
            return Verdict.REJECTS, f"utility {high:.3f} < reservation {reservation:.3f}"
        return Verdict.REJECTS, f"utility at most {high:.3f} < reservation {reservation:.3f}"
    why = f"utility {low:.3f} to {high:.3f} vs reservation {reservation:.3f}"
    if possible:
        why += (
            "; an open issue includes a red line ("
            + ", ".join(problem.issues[k] for k in possible)
            + ")"
        )
    return Verdict.SOME, why

"""Whether each party accepts a bundle, or a partial set of terms under any completion."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from sim.core.problem import Problem
from sim.core.utility import ACCEPT_TOL


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
    issue: the low bound takes each issue's worst allowed option, the high bound its best
    allowed option that is not one of the party's red lines.
    """
    n, k_count = len(problem.parties), len(problem.issues)
    contributions = np.full((n, k_count), np.nan)
    low = np.zeros(n)
    high = np.zeros(n)
    hit = np.zeros((n, k_count), dtype=np.bool_)
    possible = np.zeros((n, k_count), dtype=np.bool_)
    blocked = np.zeros(n, dtype=np.bool_)
    for k, (table, lines) in enumerate(zip(problem.tables, problem.red_lines, strict=True)):
        options = np.flatnonzero(allowed[k])
        if options.shape[0] == 1:
            contributions[:, k] = table[:, options[0]]
            low += table[:, options[0]]
            high += table[:, options[0]]
            hit[:, k] = lines[:, options[0]]
            continue
        low += table[:, options].min(axis=1)
        open_lines = lines[:, options]
        best = np.where(open_lines, -np.inf, table[:, options]).max(axis=1)
        blocked |= np.isneginf(best)
        high += np.where(np.isneginf(best), 0.0, best)
        possible[:, k] = open_lines.any(axis=1)
    verdicts = []
    holders = set(problem.consent_holders.tolist())
    for i in range(n) if parties is None else parties:
        party = problem.parties[i]
        hits = [int(k) for k in np.flatnonzero(hit[i])]
        maybe = [int(k) for k in np.flatnonzero(possible[i])]
        reservation = float(problem.reservation[i])
        verdict, reason = _decide(
            float(low[i]), float(high[i]), reservation, hits, maybe, bool(blocked[i]), tol, problem
        )
        bounds = (float(low[i]), float(high[i]))
        needed = None
        if i in holders:
            parts = consent_components(problem, allowed, i)
            needed = "all" if parts is None else "some" if parts else "none"
            if parts:
                verdict, reason, bounds = _over_components(problem, parts, i, tol)
            elif parts is not None:
                verdict, reason = Verdict.NO_RESERVATION, "no completion needs its consent"
        verdicts.append(
            PartyVerdict(
                party,
                bool(problem.veto[i]),
                contributions[i],
                bounds[0],
                bounds[1],
                reservation,
                tuple(hits),
                tuple(maybe),
                verdict,
                reason,
                needed,
            )
        )
    return verdicts


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
    problem: Problem, parts: list[list[NDArray[np.bool_]]], party: int, tol: float
) -> tuple[Verdict, str, tuple[float, float]]:
    """A consent holder's verdict over the union of products of completions that need its
    consent: accepts (rejects) when it accepts (rejects) every one of them."""
    plain = _without_consent(problem)
    judged = [judge_allowed(plain, part, tol, [party])[0] for part in parts]
    low = min(v.utility_low for v in judged)
    high = max(v.utility_high for v in judged)
    reservation = float(problem.reservation[party])
    verdicts = {v.verdict for v in judged}
    where = "over the completions that need its consent"
    if verdicts == {Verdict.ACCEPTS}:
        why = f"utility at least {low:.3f} >= reservation {reservation:.3f} {where}"
        return Verdict.ACCEPTS, why, (low, high)
    if verdicts == {Verdict.REJECTS}:
        reasons = "; ".join(dict.fromkeys(v.reason for v in judged))
        return Verdict.REJECTS, f"{where}: {reasons}", (low, high)
    why = f"utility {low:.3f} to {high:.3f} vs reservation {reservation:.3f} {where}"
    return Verdict.SOME, why, (low, high)


def _without_consent(problem: Problem) -> Problem:
    return dataclasses.replace(problem, consent=None)


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

"""Bargaining solutions over the frontier's listed bundles (SPEC §1).

Every function takes the veto parties' utilities at the frontier bundles, ``(f, m)``, the
bundles' indices ``(f,)`` and the veto parties' reservation values ``(m,)``, and returns the
chosen row, or None when the solution does not exist (the SPEC's ``null``). Objectives within
``tol`` of the best count as ties and go to the lowest bundle index.

With consent (:mod:`sim.core.consent`) the columns are the judges ``P`` (the veto parties
``V`` and every consent holder) and ``deciders`` ``(f, m)`` says whose consent each row's
bundle needs, ``D(b)``. Each objective then runs over ``D(b)`` in a form equal to the plain one
when ``D(b) = V``: Nash ``(sum_{i in D} p_i ln g_i) * (sum_V p_i / sum_D p_i)`` over rows where
every decider's gain exceeds ``tol``; Kalai-Smorodinsky ``min_{i in D} g_i / (I_i - d_i)`` with
``I_i`` party *i*'s best utility over the rows it decides; egalitarian ``min_{i in D} g_i``;
utilitarian ``(sum_{i in D} u_i) * |V| / |D|``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.pareto import DEFAULT_TOL


@dataclass(frozen=True)
class Solution:
    """A bargaining solution.

    Attributes
    ----------
    index
        Bundle index (SPEC order).
    utilities
        ``(n_parties,)`` every party's utility.
    gains
        ``(n_veto,)`` each veto party's slack: utility minus reservation (with consent, every
        judge's, negative possibly for a consent holder the bundle does not need).
    """

    index: int
    utilities: NDArray[np.float64]
    gains: NDArray[np.float64]


@dataclass(frozen=True)
class SolutionInputs:
    """What a solution rule chooses from: the frontier's listed bundles.

    Attributes
    ----------
    veto_utilities
        ``(f, m)`` the veto parties' utilities at each frontier bundle.
    indices
        ``(f,)`` the bundles' indices (ties go to the lowest).
    reservation, power
        ``(m,)`` the veto parties' reservation values and bargaining powers.
    tol
        Objectives within ``tol`` of the best are tied.
    deciders
        ``(f, m)`` True where the column's party decides the row's bundle (with consent);
        None: every column decides every row.
    veto
        ``(m,)`` True for the columns of veto parties; None: every column is one.
    """

    veto_utilities: NDArray[np.float64]
    indices: NDArray[np.int64]
    reservation: NDArray[np.float64]
    power: NDArray[np.float64]
    tol: float
    deciders: NDArray[np.bool_] | None = None
    veto: NDArray[np.bool_] | None = None


@dataclass(frozen=True)
class SolutionRule:
    """A bargaining solution, declared once: its key (JSON key, CSV column prefix), its name
    in words, and the rule that picks a frontier row (None: the solution does not exist)."""

    key: str
    label: str
    choose: Callable[[SolutionInputs], int | None]


@dataclass(frozen=True)
class Solutions:
    """The solution of each rule, in the rules' order; None where one does not exist."""

    rules: tuple[SolutionRule, ...]
    chosen: tuple[Solution | None, ...]

    def as_dict(self) -> dict[str, Solution | None]:
        return {rule.key: s for rule, s in zip(self.rules, self.chosen, strict=True)}

    def get(self, key: str) -> Solution | None:
        """The solution of the rule ``key`` (KeyError if no such rule was applied)."""
        return self.as_dict()[key]

    @property
    def nash(self) -> Solution | None:
        return self.get("nash")

    @property
    def kalai_smorodinsky(self) -> Solution | None:
        return self.get("kalai_smorodinsky")

    @property
    def egalitarian(self) -> Solution | None:
        return self.get("egalitarian")

    @property
    def utilitarian(self) -> Solution | None:
        return self.get("utilitarian")


def best_row(
    objective: NDArray[np.float64],
    indices: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    tol: float,
) -> int | None:
    """Row maximising ``objective`` among ``allowed`` rows; ties within ``tol`` go to the row
    with the lowest bundle index (SPEC §1); None if no row is allowed."""
    rows = np.flatnonzero(allowed)
    if rows.shape[0] == 0:
        return None
    values = objective[rows]
    near = rows[values >= values.max() - tol]
    return int(near[np.argmin(indices[near])])


def nash_bargaining_solution(
    veto_utilities: NDArray[np.float64],
    indices: NDArray[np.int64],
    reservation: NDArray[np.float64],
    power: NDArray[np.float64],
    tol: float = DEFAULT_TOL,
    deciders: NDArray[np.bool_] | None = None,
    veto: NDArray[np.bool_] | None = None,
) -> int | None:
    """Maximise ``sum_i power_i ln(u_i - d_i)`` over rows where every gain exceeds ``tol``
    (with ``deciders``, the form over ``D(b)`` of the module notes).

    Asymmetric Nash (1950) solution (Kalai 1977 for the weights).

    Examples
    --------
    >>> u = np.array([[0.9, 0.1], [0.6, 0.4], [0.4, 0.6]])
    >>> nash_bargaining_solution(u, np.arange(3), np.zeros(2), np.array([1.0, 1.0]))
    1
    >>> nash_bargaining_solution(u, np.arange(3), np.array([0.0, 0.6]), np.ones(2)) is None
    True
    """
    gains = veto_utilities - reservation
    if deciders is not None:
        return _nash_over_deciders(gains, indices, power, tol, deciders, veto)
    allowed: NDArray[np.bool_] = np.all(gains > tol, axis=1)
    objective = np.log(np.where(allowed[:, None], gains, 1.0)) @ power
    return best_row(objective, indices, allowed, tol)


def _veto_mask(veto: NDArray[np.bool_] | None, m: int) -> NDArray[np.bool_]:
    return np.ones(m, dtype=np.bool_) if veto is None else np.asarray(veto, dtype=np.bool_)


def _nash_over_deciders(
    gains: NDArray[np.float64],
    indices: NDArray[np.int64],
    power: NDArray[np.float64],
    tol: float,
    deciders: NDArray[np.bool_],
    veto: NDArray[np.bool_] | None,
) -> int | None:
    allowed: NDArray[np.bool_] = np.all(~deciders | (gains > tol), axis=1)
    logs = np.log(np.where(deciders & allowed[:, None], gains, 1.0))
    share = power[_veto_mask(veto, gains.shape[1])].sum() / (deciders @ power)
    objective = (logs @ power) * share
    return best_row(objective, indices, allowed, tol)


def kalai_smorodinsky_solution(
    veto_utilities: NDArray[np.float64],
    indices: NDArray[np.int64],
    reservation: NDArray[np.float64],
    tol: float = DEFAULT_TOL,
    deciders: NDArray[np.bool_] | None = None,
) -> int | None:
    """Maximise ``min_i (u_i - d_i) / (I_i - d_i)``, ``I_i`` the best utility on the frontier
    (with ``deciders``: the minimum over each row's deciders, ``I_i`` over the rows *i*
    decides).

    Kalai & Smorodinsky (1975). Parties with ``I_i`` within ``tol`` of ``d_i`` are left out.

    Examples
    --------
    >>> u = np.array([[0.9, 0.1], [0.6, 0.3], [0.4, 0.35]])
    >>> kalai_smorodinsky_solution(u, np.arange(3), np.zeros(2))
    1
    """
    if veto_utilities.shape[0] == 0:
        return None
    if deciders is not None:
        best = np.where(deciders, veto_utilities, -np.inf).max(axis=0)
        span = best - reservation
        used = span > tol
        ratios = np.where(
            deciders & used,
            (veto_utilities - reservation) / np.where(used, span, 1.0),
            np.inf,
        )
        lowest = ratios.min(axis=1, initial=np.inf)
        objective = np.where(np.isposinf(lowest), 0.0, lowest)
        return best_row(objective, indices, np.ones(objective.shape[0], dtype=np.bool_), tol)
    span = veto_utilities.max(axis=0) - reservation
    used = span > tol
    ratios = (veto_utilities[:, used] - reservation[used]) / span[used]
    objective = ratios.min(axis=1) if used.any() else np.zeros(veto_utilities.shape[0])
    return best_row(objective, indices, np.ones(objective.shape[0], dtype=np.bool_), tol)


def egalitarian_solution(
    veto_utilities: NDArray[np.float64],
    indices: NDArray[np.int64],
    reservation: NDArray[np.float64],
    tol: float = DEFAULT_TOL,
    deciders: NDArray[np.bool_] | None = None,
) -> int | None:
    """Maximise the smallest gain ``min_i (u_i - d_i)`` (Kalai 1977, egalitarian solution),
    over each row's deciders when ``deciders`` is given.

    Examples
    --------
    >>> u = np.array([[0.9, 0.1], [0.6, 0.3], [0.4, 0.35]])
    >>> egalitarian_solution(u, np.arange(3), np.array([0.0, 0.1]))
    2
    """
    gains = veto_utilities - reservation
    if deciders is not None:
        lowest = np.where(deciders, gains, np.inf).min(axis=1, initial=np.inf)
        objective = np.where(np.isposinf(lowest), 0.0, lowest)
        return best_row(objective, indices, np.ones(gains.shape[0], dtype=np.bool_), tol)
    objective = gains.min(axis=1) if gains.shape[1] else np.zeros(gains.shape[0])
    return best_row(objective, indices, np.ones(gains.shape[0], dtype=np.bool_), tol)


def utilitarian_solution(
    veto_utilities: NDArray[np.float64],
    indices: NDArray[np.int64],
    tol: float = DEFAULT_TOL,
    deciders: NDArray[np.bool_] | None = None,
    veto: NDArray[np.bool_] | None = None,
) -> int | None:
    """Maximise the veto parties' total utility ``sum_i u_i`` (Harsanyi 1955); with
    ``deciders``, ``(sum_{i in D} u_i) * |V| / |D|``.

    Examples
    --------
    >>> u = np.array([[0.9, 0.1], [0.6, 0.3], [0.3, 0.7]])
    >>> utilitarian_solution(u, np.array([5, 2, 4]))
    2
    """
    if deciders is not None:
        voters = int(_veto_mask(veto, veto_utilities.shape[1]).sum())
        total = np.where(deciders, veto_utilities, 0.0).sum(axis=1)
        objective = total * (voters / deciders.sum(axis=1))
        return best_row(objective, indices, np.ones(objective.shape[0], dtype=np.bool_), tol)
    objective = veto_utilities.sum(axis=1)
    return best_row(objective, indices, np.ones(objective.shape[0], dtype=np.bool_), tol)


SOLUTION_RULES: tuple[SolutionRule, ...] = (
    SolutionRule(
        "nash",
        "Nash",
        lambda x: nash_bargaining_solution(
            x.veto_utilities, x.indices, x.reservation, x.power, x.tol, x.deciders, x.veto
        ),
    ),
    SolutionRule(
        "kalai_smorodinsky",
        "Kalai-Smorodinsky",
        lambda x: kalai_smorodinsky_solution(
            x.veto_utilities, x.indices, x.reservation, x.tol, x.deciders
        ),
    ),
    SolutionRule(
        "egalitarian",
        "egalitarian",
        lambda x: egalitarian_solution(
            x.veto_utilities, x.indices, x.reservation, x.tol, x.deciders
        ),
    ),
    SolutionRule(
        "utilitarian",
        "utilitarian",
        lambda x: utilitarian_solution(x.veto_utilities, x.indices, x.tol, x.deciders, x.veto),
    ),
)
"""The solutions of SPEC §1. A new solution is a rule appended here (or passed to
:func:`bargaining_solutions` and :func:`sim.core.analysis.analyse` as ``rules``)."""


def registered_rules() -> tuple[SolutionRule, ...]:
    """The solution rules of the registry as it stands now (:data:`SOLUTION_RULES`, read at
    call time, so that a rule added to it reaches every analysis, the one-draw and the Monte
    Carlo alike)."""
    return SOLUTION_RULES


def bargaining_solutions(
    utilities: NDArray[np.float64],
    indices: NDArray[np.int64],
    veto: NDArray[np.intp],
    reservation: NDArray[np.float64],
    power: NDArray[np.float64],
    tol: float = DEFAULT_TOL,
    rules: tuple[SolutionRule, ...] | None = None,
    deciders: NDArray[np.bool_] | None = None,
    vetoes: NDArray[np.bool_] | None = None,
) -> Solutions:
    """The solution of each rule over the frontier (by default the four of SPEC §1).

    Parameters
    ----------
    utilities
        ``(f, n_parties)`` every party's utility at each frontier bundle.
    indices
        ``(f,)`` the frontier bundles' indices.
    veto
        Veto party columns (with consent: the judges' columns).
    reservation, power
        ``(n_parties,)`` per party.
    rules
        The solutions to compute.
    deciders
        ``(f, len(veto))`` whose consent each bundle needs, over the ``veto`` columns (None:
        every column decides every bundle).
    vetoes
        ``(len(veto),)`` which of the ``veto`` columns are veto parties (None: all).
    """
    rules = registered_rules() if rules is None else rules
    veto_utilities = utilities[:, veto]
    floor = reservation[veto]
    inputs = SolutionInputs(
        veto_utilities, indices, floor, power[veto], tol, deciders=deciders, veto=vetoes
    )

    def solution(row: int | None) -> Solution | None:
        if row is None:
            return None
        return Solution(int(indices[row]), utilities[row].copy(), veto_utilities[row] - floor)

    return Solutions(rules, tuple(solution(rule.choose(inputs)) for rule in rules))

"""Utilities and feasibility of bundles: the one place they are computed."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.problem import Problem


def bundle_utilities(problem: Problem, digits: NDArray[np.int64]) -> NDArray[np.float64]:
    """Every party's utility for each bundle.

    Parameters
    ----------
    problem
        The compiled problem.
    digits
        ``(n, k)`` option index per bundle and issue (see :func:`sim.core.space.decode`).

    Returns
    -------
    ``(n, n_parties)`` array, ``u[b, i] = sum_k tables[k][i, digits[b, k]]``.
    """
    utilities = np.zeros((digits.shape[0], problem.n_parties), dtype=np.float64)
    for k, table in enumerate(problem.tables):
        utilities += table.T[digits[:, k]]
    return utilities


def issue_contributions(problem: Problem, digits: NDArray[np.int64]) -> NDArray[np.float64]:
    """Per-issue terms of the utility: ``(n, n_parties, k)``; summing the last axis gives
    :func:`bundle_utilities`."""
    parts = np.empty((digits.shape[0], problem.n_parties, len(problem.tables)), dtype=np.float64)
    for k, table in enumerate(problem.tables):
        parts[:, :, k] = table.T[digits[:, k]]
    return parts


def red_lines_hit(problem: Problem, digits: NDArray[np.int64]) -> NDArray[np.bool_]:
    """``(n, n_parties, k)`` bool: bundle's option on issue k is a red line of the party."""
    hits = np.empty((digits.shape[0], problem.n_parties, len(problem.red_lines)), dtype=np.bool_)
    for k, lines in enumerate(problem.red_lines):
        hits[:, :, k] = lines.T[digits[:, k]]
    return hits


def feasible(problem: Problem, digits: NDArray[np.int64]) -> NDArray[np.bool_]:
    """``(n,)`` bool: the bundle takes no option red-lined by a veto party."""
    ok = np.ones(digits.shape[0], dtype=np.bool_)
    for k, allowed in enumerate(problem.feasible_options()):
        ok &= allowed[digits[:, k]]
    return ok


ACCEPT_TOL = 1e-12
"""A utility within this of a reservation value counts as meeting it (float summation noise)."""


def acceptable(
    problem: Problem,
    digits: NDArray[np.int64],
    utilities: NDArray[np.float64] | None = None,
    tol: float = ACCEPT_TOL,
) -> NDArray[np.bool_]:
    """``(n,)`` bool: feasible and at or above every veto party's reservation (within ``tol``)."""
    if utilities is None:
        utilities = bundle_utilities(problem, digits)
    veto = problem.veto_indices
    above = (utilities[:, veto] >= problem.reservation[veto] - tol).all(axis=1)
    return feasible(problem, digits) & above

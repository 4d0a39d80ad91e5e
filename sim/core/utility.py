"""Utilities and feasibility of bundles: the one place they are computed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from sim.core.problem import Problem


def bundle_utilities(
    problem: Problem,
    digits: NDArray[np.int64],
    tables: Sequence[NDArray[np.float64]] | None = None,
) -> NDArray[np.float64]:
    """Every party's utility for each bundle.

    Parameters
    ----------
    problem
        The compiled problem.
    digits
        ``(n, k)`` option index per bundle and issue (see :func:`sim.core.space.decode`).
    tables
        The problem's value tables with a leading axis, ``(D, n_parties, options)`` per issue
        (the draws of a Monte Carlo block); None: ``problem.tables``.

    Returns
    -------
    ``(n, n_parties)`` array, ``u[b, i] = sum_k tables[k][i, digits[b, k]]``, summed in issue
    order (gathered party by party, ``(n_parties, n)``, which is about twice as fast as
    gathering bundle by bundle; the same additions in the same order, so the same floats).
    With ``tables``, ``(D, n, n_parties)``: each draw's utilities, the same floats as its own
    problem gives.
    """
    given = problem.tables if tables is None else tables
    lead = given[0].shape[:-2] if len(given) else ()
    sums = np.zeros((*lead, problem.n_parties, digits.shape[0]), dtype=np.float64)
    columns = digits.T
    for k, table in enumerate(given):
        sums += np.take(table, columns[k], axis=-1)
    return np.ascontiguousarray(np.swapaxes(sums, -1, -2))


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


def deciders(problem: Problem, digits: NDArray[np.int64]) -> NDArray[np.bool_]:
    """``(n, n_parties)`` bool: whose consent each bundle needs, ``D(b)``: every veto party,
    and every other party whose ``consent`` covers an option the bundle takes."""
    needed: NDArray[np.bool_] = marked(problem.consent or (), digits, problem.n_parties)
    needed |= problem.veto[None, :]
    return needed


def marked(
    tables: Sequence[NDArray[np.bool_]], digits: NDArray[np.int64], n_parties: int
) -> NDArray[np.bool_]:
    """``(n, n_parties)`` bool: the bundle takes an option marked for the party in its issue's
    ``(n_parties, options)`` table (a red line, an option needing its consent), gathered party
    by party as :func:`bundle_utilities` gathers."""
    found = np.zeros((n_parties, digits.shape[0]), dtype=np.bool_)
    columns = digits.T
    for k, table in enumerate(tables):
        found |= np.take(table, columns[k], axis=1)
    return np.ascontiguousarray(found.T)


def approvals(
    problem: Problem,
    digits: NDArray[np.int64],
    utilities: NDArray[np.float64],
    tol: float = ACCEPT_TOL,
) -> NDArray[np.bool_]:
    """``(n, n_parties)`` bool: the party would consent to the bundle, were it asked: its
    utility is at or above its reservation (within ``tol``; never for a party without one)
    and the bundle takes none of its red-lined options."""
    ok: NDArray[np.bool_] = utilities >= problem.reservation[None, :] - tol
    ok &= ~marked(problem.red_lines, digits, problem.n_parties)
    return ok


def consent_parts(
    problem: Problem, digits: NDArray[np.int64]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """What :func:`refused_by_consent` needs that does not depend on utilities: ``(n,
    n_parties)`` whose consent each bundle needs beyond the veto parties, and ``(n,)`` whether
    one of them has a red line on it (refused whatever the utilities)."""
    needed = deciders(problem, digits) & ~problem.veto[None, :]
    lined = marked(problem.red_lines, digits, problem.n_parties)
    return needed, np.asarray((needed & lined).any(axis=1), dtype=np.bool_)


def refused_by_consent(
    problem: Problem,
    digits: NDArray[np.int64],
    utilities: NDArray[np.float64],
    tol: float = ACCEPT_TOL,
    parts: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None,
    reservation: NDArray[np.float64] | None = None,
) -> NDArray[np.bool_]:
    """``(n,)`` bool: a party without a veto whose consent the bundle needs would refuse it
    (below its reservation, or on one of its red lines: :func:`approvals`); all False without
    consent. ``parts`` is :func:`consent_parts` of the same bundles, when the caller keeps it
    (the draws of a scenario share it). Many draws at once: ``utilities`` ``(..., n,
    n_parties)`` and their ``reservation`` ``(..., n_parties)`` (``problem.reservation``
    without it); the result is ``(..., n)``."""
    lead = utilities.shape[:-2]
    if problem.consent is None:
        return np.zeros((*lead, digits.shape[0]), dtype=np.bool_)
    needed, lined = parts if parts is not None else consent_parts(problem, digits)
    floor = problem.reservation if reservation is None else reservation
    refused = np.broadcast_to(lined, (*lead, digits.shape[0])).copy()
    for j in np.flatnonzero(needed.any(axis=0)).tolist():  # a party some bundle needs
        refused |= needed[:, j] & ~(utilities[..., j] >= floor[..., j, None] - tol)
    return refused


def acceptable(
    problem: Problem,
    digits: NDArray[np.int64],
    utilities: NDArray[np.float64] | None = None,
    tol: float = ACCEPT_TOL,
) -> NDArray[np.bool_]:
    """``(n,)`` bool: feasible and at or above every veto party's reservation (within ``tol``);
    with consent, also approved by every other party whose consent the bundle needs."""
    if utilities is None:
        utilities = bundle_utilities(problem, digits)
    if problem.consent is not None:
        refused = deciders(problem, digits) & ~approvals(problem, digits, utilities, tol)
        return feasible(problem, digits) & ~refused.any(axis=1)
    veto = problem.veto_indices
    above = (utilities[:, veto] >= problem.reservation[veto] - tol).all(axis=1)
    return feasible(problem, digits) & above

"""Every extreme Nash equilibrium of a bimatrix game, by vertex enumeration.

After iterated elimination of strictly dominated pure strategies, the payoffs are
rescaled to ``[1, 2]`` and the best-response polytopes

    P = {x >= 0 : B'ᵀx <= 1}  (labels: rows i with x_i = 0, columns j with (B'ᵀx)_j = 1)
    Q = {y >= 0 : A'y <= 1}   (labels: rows i with (A'y)_i = 1, columns j with y_j = 0)

are enumerated exhaustively. A vertex other than the origin has a nonsingular basis
``B'[I, J]ᵀ x_I = 1`` with ``|I| = |J|`` (resp. ``A'[I, J] y_J = 1``), so solving every
square subsystem in a batch finds every vertex, degenerate ones included. The extreme
equilibria are exactly the completely labelled vertex pairs other than (0, 0), normalised
(von Stengel 2007, Algorithm 3.5; Avis, Rosenberg, Savani & von Stengel 2010). The
cost is about ``C(m + n, m)`` small batched solves per polytope: exponential, fine up to
about 12 strategies a player.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.core.distinct import absent_indices, distinct_indices
from sim.games.budget import check_vertex_systems
from sim.games.dominance import iterated_strict_dominance
from sim.games.verify import verify_profile

METHOD = "vertex_enumeration"
_BATCH = 1 << 15  # square subsystems solved per numpy call


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """A Nash equilibrium: mixed strategies, expected payoffs, solver, check result
    (``regret``: the largest gain from a pure deviation, from
    :func:`sim.games.verify.verify_profile`; ``verified``: within the payoff tolerance)."""

    strategies: tuple[NDArray[np.float64], NDArray[np.float64]]
    payoffs: tuple[float, float]
    method: str
    verified: bool
    regret: float


@dataclass(frozen=True, eq=False)
class EquilibriumSet:
    """All extreme equilibria of a game and how they were found.

    ``eliminated`` holds the row and column indices removed as strictly dominated;
    ``degenerate`` is exact (within ``tol``) for the game left after elimination;
    ``tol`` is the absolute payoff tolerance of the best-response check.
    """

    equilibria: tuple[Equilibrium, ...]
    degenerate: bool
    eliminated: tuple[NDArray[np.intp], NDArray[np.intp]]
    method: str
    tol: float


def _subsets(size: int, k: int) -> NDArray[np.intp]:
    return np.array(list(combinations(range(size), k)), dtype=np.intp).reshape(-1, k)


def _solve(systems: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Solve ``M z = 1`` for a batch of square ``M``; exactly singular ones are flagged."""
    ones = np.ones((*systems.shape[:-1], 1))
    solvable: NDArray[np.bool_] = np.ones(systems.shape[0], dtype=np.bool_)
    with np.errstate(all="ignore"):
        try:
            solution = np.linalg.solve(systems, ones)
        except np.linalg.LinAlgError:
            sign, _ = np.linalg.slogdet(systems)
            solvable = np.asarray(sign != 0, dtype=np.bool_)
            systems = np.where(solvable[:, None, None], systems, np.eye(systems.shape[-1]))
            solution = np.linalg.solve(systems, ones)
    return np.asarray(solution[..., 0], dtype=np.float64), solvable


def _candidate_labels(constraints: NDArray[np.float64], tol: float) -> NDArray[np.bool_]:
    """Label sets of the feasible basic solutions of ``{z >= 0 : C z <= 1}`` but the origin.

    Row ``v`` marks the zero coordinates of a point, then its tight constraints; each label
    set appears once. Every vertex is among them; a point from an exactly singular basis
    may appear too and is screened out by :func:`_vertex_distributions`.
    """
    c, d = constraints.shape
    labels = [np.zeros((0, c + d), dtype=np.bool_)]
    for k in range(1, min(c, d) + 1):
        tight_sets, supports = _subsets(c, k), _subsets(d, k)
        step = max(1, _BATCH // len(tight_sets))
        for start in range(0, len(supports), step):
            support = supports[start : start + step]  # (s, k)
            systems = constraints[tight_sets[None, :, :, None], support[:, None, None, :]]
            z, solvable = _solve(systems.reshape(-1, k, k))
            z = z.reshape(len(support), len(tight_sets), k)
            with np.errstate(all="ignore"):
                slack = z @ constraints[:, support].transpose(1, 2, 0)  # (s, t, c)
                feasible = (
                    solvable.reshape(z.shape[:2])
                    & np.all(z >= -tol, axis=2)
                    & np.all(slack <= 1 + tol, axis=2)
                )
            where = np.nonzero(feasible)
            point = np.zeros((len(where[0]), d))
            np.put_along_axis(point, support[where[0]], z[where], axis=1)
            labels.append(np.hstack([point <= tol, slack[where] >= 1 - tol]))
    all_labels = np.vstack(labels)
    _, first = np.unique(np.packbits(all_labels, axis=1), axis=0, return_index=True)
    return np.asarray(all_labels[np.sort(first)], dtype=np.bool_)


def _vertex_distributions(
    constraints: NDArray[np.float64], labels: NDArray[np.bool_], wanted: NDArray[np.intp]
) -> dict[int, NDArray[np.float64]]:
    """Normalised points of the wanted candidates that are vertices, keyed by candidate.

    A candidate is a vertex when its active constraints have full rank, i.e.
    ``rank C[tight, support] = |support|``; the point is then solved afresh from them by
    least squares, which also removes the error of an ill-conditioned basis.
    """
    d = constraints.shape[1]
    points = {}
    for index in wanted.tolist():
        support, tight = ~labels[index, :d], labels[index, d:]
        active = constraints[np.ix_(tight, support)]
        if active.size == 0 or np.linalg.matrix_rank(active) < support.sum():
            continue
        point = np.zeros(d)
        point[support] = np.linalg.lstsq(active, np.ones(len(active)), rcond=None)[0]
        point = np.clip(point, 0.0, None)
        points[index] = point / point.sum()
    return points


def _complete_pairs(
    row_labels: NDArray[np.bool_], column_labels: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """Index pairs ``(p, q)`` whose label sets cover every label."""
    missing_q = (~column_labels).astype(np.float32).T
    pairs = []
    for start in range(0, len(row_labels), 4096):
        missing_p = (~row_labels[start : start + 4096]).astype(np.float32)
        p, q = np.nonzero(missing_p @ missing_q < 0.5)
        pairs.append(np.column_stack([p + start, q]))
    return np.vstack(pairs) if pairs else np.zeros((0, 2), dtype=np.intp)


def _to_unit_interval(payoffs: NDArray[np.float64], payoff_tol: float) -> NDArray[np.float64]:
    """Positive affine image of ``payoffs`` in ``[1, 2]`` (same best responses).

    Payoffs spanning no more than ``payoff_tol`` are one payoff (the player is indifferent
    within the tolerance, as the best-response check and dominance judge it); stretching
    their rounding error to ``[1, 2]`` would make one of them a strict best reply.
    """
    span = float(payoffs.max() - payoffs.min())
    if span <= payoff_tol:
        return np.ones_like(payoffs)
    return np.asarray(1.0 + (payoffs - payoffs.min()) / span, dtype=np.float64)


def _dominance_solved(
    rows: NDArray[np.intp], columns: NDArray[np.intp], m: int, n: int
) -> tuple[list[tuple[NDArray[np.float64], NDArray[np.float64]]], bool] | None:
    """The one equilibrium of a game that iterated dominance leaves with one profile, and
    ``degenerate`` False (each best-response polytope is then a segment whose one vertex
    other than the origin has one label), as :func:`_vertex_profiles` finds them; None for
    any other game."""
    if len(rows) != 1 or len(columns) != 1:
        return None
    x, y = np.zeros(m), np.zeros(n)
    x[rows], y[columns] = 1.0, 1.0
    return [(x, y)], False


def _vertex_profiles(
    A: NDArray[np.float64],
    B: NDArray[np.float64],
    rows: NDArray[np.intp],
    columns: NDArray[np.intp],
    tol: float,
    payoff_tol: float,
) -> tuple[list[tuple[NDArray[np.float64], NDArray[np.float64]]], bool]:
    """The extreme equilibria of the game on ``rows`` x ``columns`` (completely labelled
    vertex pairs, as full-size profiles, each once) and whether it is degenerate."""
    m, n = A.shape
    window = np.ix_(rows, columns)
    row_constraints = _to_unit_interval(B[window], payoff_tol).T  # P: B'ᵀx <= 1, x in R^rows
    column_constraints = _to_unit_interval(A[window], payoff_tol)  # Q: A'y <= 1, y in R^columns
    p_labels = _candidate_labels(row_constraints, tol)  # (rows, columns)
    q_labels = _candidate_labels(column_constraints, tol)  # (columns, rows)
    k = len(columns)
    pairs = _complete_pairs(p_labels, np.hstack([q_labels[:, k:], q_labels[:, :k]]))

    x_at = _vertex_distributions(
        row_constraints, p_labels, distinct_indices(pairs[:, 0], len(p_labels))
    )
    y_at = _vertex_distributions(
        column_constraints, q_labels, distinct_indices(pairs[:, 1], len(q_labels))
    )
    degenerate = any(
        _vertex_distributions(constraints, labels, np.flatnonzero(labels.sum(axis=1) > d))
        for constraints, labels, d in (
            (row_constraints, p_labels, len(rows)),
            (column_constraints, q_labels, k),
        )
    )

    profiles: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    for i, j in pairs.tolist():
        if i not in x_at or j not in y_at:
            continue
        x, y = np.zeros(m), np.zeros(n)
        x[rows], y[columns] = x_at[i], y_at[j]
        if all(np.abs(np.concatenate([x - u, y - v])).max() > tol for u, v in profiles):
            profiles.append((x, y))
    return profiles, bool(degenerate)


def all_equilibria(
    row_payoffs: ArrayLike,
    column_payoffs: ArrayLike,
    *,
    tol: float = 1e-9,
    eliminate_dominated: bool = True,
) -> EquilibriumSet:
    """Every extreme Nash equilibrium of the bimatrix game ``(A, B)``.

    For every game, degenerate or not, each extreme point of each equilibrium component is
    listed once and nothing else is, up to floating-point tolerance ``tol``. Eliminating
    strictly dominated strategies keeps every equilibrium; they get probability 0.
    ``degenerate`` is True when some vertex of a best-response polytope has more labels
    than its dimension, i.e. some mixed strategy has more pure best replies than the size
    of its support.

    Parameters
    ----------
    row_payoffs, column_payoffs
        ``(m, n)`` finite payoff matrices: ``A[i, j]``, ``B[i, j]`` are the row and column
        player's payoffs when row ``i`` meets column ``j``.
    tol
        Tolerance for labels on the payoffs rescaled to ``[1, 2]``; the best-response check
        and dominance use ``tol * max(1, max |payoff|)`` in payoff units.
    eliminate_dominated
        Remove strictly dominated pure strategies first (faster; then ``degenerate`` refers
        to the reduced game).

    Returns
    -------
    EquilibriumSet
        Equilibria sorted by the row then the column strategy, in decreasing order; each
        checked by :func:`sim.games.verify.verify_profile` (``regret``, ``verified``).

    Raises
    ------
    ValueError
        If the matrices are empty, not 2-D, of different shapes or not finite.

    Examples
    --------
    Battle of the sexes: two pure equilibria and one mixed.

    >>> found = all_equilibria([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> for e in found.equilibria:
    ...     print(e.strategies[0].round(3), e.strategies[1].round(3), np.round(e.payoffs, 3))
    [1. 0.] [1. 0.] [3. 2.]
    [0.6 0.4] [0.4 0.6] [1.2 1.2]
    [0. 1.] [0. 1.] [2. 3.]
    >>> found.degenerate, all(e.verified for e in found.equilibria)
    (False, True)
    """
    A = np.asarray(row_payoffs, dtype=np.float64)
    B = np.asarray(column_payoffs, dtype=np.float64)
    if A.ndim != 2 or A.shape != B.shape or A.size == 0:
        raise ValueError(
            f"payoff matrices must be non-empty 2-D of equal shape: {A.shape}, {B.shape}"
        )
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise ValueError("payoff matrices must be finite")
    m, n = A.shape
    payoff_tol = tol * max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    if eliminate_dominated:
        rows, columns = iterated_strict_dominance(A, B, tol=payoff_tol)
    else:
        rows, columns = np.arange(m, dtype=np.intp), np.arange(n, dtype=np.intp)
    check_vertex_systems(len(rows), len(columns))
    solved = _dominance_solved(rows, columns, m, n)
    profiles, degenerate = (
        solved if solved is not None else _vertex_profiles(A, B, rows, columns, tol, payoff_tol)
    )
    profiles.sort(key=lambda xy: tuple(-np.concatenate(xy).round(12)))

    equilibria = []
    both = np.stack([A, B])
    for x, y in profiles:
        x.setflags(write=False)
        y.setflags(write=False)
        regret = verify_profile(both, [x, y], payoff_tol)
        equilibria.append(
            Equilibrium(
                strategies=(x, y),
                payoffs=(float(x @ A @ y), float(x @ B @ y)),
                method=METHOD,
                verified=regret <= payoff_tol,
                regret=regret,
            )
        )
    eliminated = (
        absent_indices(rows, m),
        absent_indices(columns, n),
    )
    return EquilibriumSet(tuple(equilibria), degenerate, eliminated, METHOD, payoff_tol)

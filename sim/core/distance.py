"""How far a bundle is from the Pareto frontier of the acceptable set."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.consent import consent_space
from sim.core.frontier import exact_frontier
from sim.core.pareto import DEFAULT_TOL
from sim.core.problem import Problem
from sim.core.solutions import best_row
from sim.core.space import decode, encode
from sim.core.utility import bundle_utilities


@dataclass(frozen=True)
class FrontierDistance:
    """A bundle's standing against the frontier, on the veto parties' utilities.

    Attributes
    ----------
    dominated_by
        How many frontier points Pareto-dominate it (weakly better for every veto party,
        strictly for one).
    improvement
        The largest gain every veto party could have at once by moving to a frontier point:
        ``max_f min_i (u_fi - u_i)`` (negative when every frontier point is worse for someone).
        NaN when the frontier is empty.
    best_index
        The frontier bundle achieving ``improvement`` among those that dominate (ties: lowest
        index), or None when none dominates.
    """

    dominated_by: int
    improvement: float
    best_index: int | None

    @property
    def on_frontier_or_beyond(self) -> bool:
        return self.dominated_by == 0


def frontier_distance(
    frontier: NDArray[np.float64],
    indices: NDArray[np.int64],
    point: NDArray[np.float64],
    tol: float = DEFAULT_TOL,
) -> FrontierDistance:
    """Compare one utility vector with the frontier's ``(f, n_veto)`` utilities.

    Examples
    --------
    >>> front = np.array([[0.8, 0.2], [0.5, 0.5], [0.2, 0.8]])
    >>> frontier_distance(front, np.array([3, 7, 9]), np.array([0.3, 0.4]))
    FrontierDistance(dominated_by=1, improvement=0.1, best_index=7)
    """
    if frontier.shape[0] == 0:
        return FrontierDistance(0, float("nan"), None)
    gains = frontier - point
    floor = gains.min(axis=1)
    dominating: NDArray[np.bool_] = np.all(gains >= -tol, axis=1) & np.any(gains > tol, axis=1)
    improvement = float(np.round(floor.max(), 12))
    if not dominating.any():
        return FrontierDistance(0, improvement, None)
    pick = best_row(floor, indices, dominating, tol)
    assert pick is not None
    return FrontierDistance(int(dominating.sum()), improvement, int(indices[pick]))


@dataclass(frozen=True)
class Standing:
    """A full bundle against the frontier of the acceptable set."""

    index: int
    digits: NDArray[np.int64]
    distance: FrontierDistance
    frontier_empty: bool
    listed: bool
    better: NDArray[np.int64] | None


def bundle_standing(problem: Problem, choice: dict[int, int]) -> Standing:
    """Where the bundle taking option ``choice[k]`` on each issue ``k`` stands (with consent,
    against the frontier over the veto parties and consent holders)."""
    digits = np.array([[choice[k] for k in range(len(problem.issues))]], dtype=np.int64)
    index = int(encode(digits, problem.radices)[0])
    point = bundle_utilities(problem, digits)[0, problem.judges]
    if problem.consent is not None:
        indices = consent_space(problem).indices
        vectors = bundle_utilities(problem, decode(indices, problem.radices))[:, problem.judges]
    else:
        front = exact_frontier(problem)
        indices, vectors = front.indices, front.veto_utilities
    distance = frontier_distance(vectors, indices, point)
    better = None
    if distance.best_index is not None:
        better = decode(np.array([distance.best_index]), problem.radices)[0]
    listed = bool((indices == index).any())
    return Standing(index, digits[0], distance, indices.shape[0] == 0, listed, better)

"""A scenario's spatial section as arrays (the boundary between the file format and the models)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.errors import InputError
from sim.model.schema import Scenario

MAX_ACTORS = 2000
"""Most actors a spatial problem may have (the pairwise models grow as actors squared)."""
MAX_DIMENSIONS = 200


@dataclass(frozen=True)
class SpatialProblem:
    """Positions, saliences and capabilities of ``n`` actors on ``d`` dimensions.

    Attributes
    ----------
    actors, dimensions
        Ids in file order (``n`` and ``d`` of them).
    lo, hi
        ``(d,)`` the ends of each dimension's scale (``lo < hi``).
    positions
        ``(n, d)`` each actor's position, on the scale.
    salience
        ``(n, d)`` in [0, 1].
    capability
        ``(n,)`` >= 0, not all zero.
    """

    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    lo: NDArray[np.float64]
    hi: NDArray[np.float64]
    positions: NDArray[np.float64]
    salience: NDArray[np.float64]
    capability: NDArray[np.float64]

    @property
    def unit_positions(self) -> NDArray[np.float64]:
        """``(n, d)`` positions mapped to [0, 1] on each scale."""
        return (self.positions - self.lo) / (self.hi - self.lo)

    def from_unit(self, unit: NDArray[np.float64]) -> NDArray[np.float64]:
        """Positions on [0, 1] (last axis: dimensions) mapped back to the scales."""
        return self.lo + unit * (self.hi - self.lo)


def spatial_problem(scenario: Scenario) -> SpatialProblem:
    """Compile a validated scenario's ``spatial:`` section; an option named as a position
    takes the option's position on the scale.

    Raises
    ------
    InputError
        The scenario has no spatial section, or more actors or dimensions than the limits.
    """
    sp = scenario.spatial
    if sp is None:
        raise InputError(f"scenario {scenario.name!r}: spatial: none; add a `spatial:` section")
    if len(sp.actors) > MAX_ACTORS or len(sp.dimensions) > MAX_DIMENSIONS:
        raise InputError(
            f"scenario {scenario.name!r}: spatial: {len(sp.actors)} actors on "
            f"{len(sp.dimensions)} dimensions; the limits are {MAX_ACTORS} and {MAX_DIMENSIONS}"
        )
    dims = tuple(sp.dimensions)
    lo = np.array([sp.dimensions[d].scale[0] for d in dims], dtype=np.float64)
    hi = np.array([sp.dimensions[d].scale[1] for d in dims], dtype=np.float64)
    positions = np.empty((len(sp.actors), len(dims)))
    salience = np.empty_like(positions)
    for i, actor in enumerate(sp.actors.values()):
        for k, d in enumerate(dims):
            value = actor.positions[d]
            positions[i, k] = sp.dimensions[d].positions[value] if isinstance(value, str) else value
            salience[i, k] = actor.salience[d]
    capability = np.array([a.capability for a in sp.actors.values()], dtype=np.float64)
    return SpatialProblem(tuple(sp.actors), dims, lo, hi, positions, salience, capability)

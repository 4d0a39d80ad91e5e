"""What is on the negotiating table: the bundles that may be offered and who values them how.

A :class:`Table` is built once per scenario and shared by every negotiation on it: the bundles
that may be offered (the feasible bundles that no party whose consent they need would refuse,
exactly the candidates of the bargaining model, :func:`sim.analysis.strategy.candidates`),
every party's utility of each, and per negotiating party a :class:`Ladder` (its utilities
sorted once) from which an agent picks its offers in ``O(log m)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.core.space import decode

TIE_TOL = 1e-12
"""Own utilities within this of each other count as tied (the tool's tie tolerance)."""

LEVEL_TOL = 1e-12
"""A utility within this below an aspiration level counts as meeting it (float noise: e.g.
``42/49`` and ``1 - 3/21`` differ in the last bit)."""


@dataclass(frozen=True, eq=False)
class Ladder:
    """One party's utilities over the table, sorted once.

    Attributes
    ----------
    utilities
        ``(m,)`` the party's utility of each bundle on the table (table order).
    sorted_utilities
        ``(m,)`` ascending.
    group
        ``(m,)`` for each sorted position, the tie group it belongs to (a new group starts
        where the utility rises by more than :data:`TIE_TOL` over the previous one).
    choice
        ``(n_groups,)`` the table position each tie group offers: its lowest bundle index
        (the table is in ascending bundle-index order, so its lowest position).
    best
        The party's best utility on the table.
    """

    utilities: NDArray[np.float64]
    sorted_utilities: NDArray[np.float64] = field(init=False)
    group: NDArray[np.intp] = field(init=False)
    choice: NDArray[np.intp] = field(init=False)
    best: float = field(init=False)

    def __post_init__(self) -> None:
        order = np.argsort(self.utilities, kind="stable")
        ranked = self.utilities[order]
        starts = np.ones(ranked.shape[0], dtype=np.bool_)
        starts[1:] = np.diff(ranked) > TIE_TOL
        group = np.cumsum(starts) - 1
        first = np.flatnonzero(starts)
        choice = np.minimum.reduceat(order, first) if first.size else order[:0]
        object.__setattr__(self, "sorted_utilities", ranked)
        object.__setattr__(self, "group", group.astype(np.intp))
        object.__setattr__(self, "choice", np.asarray(choice, dtype=np.intp))
        object.__setattr__(self, "best", float(ranked[-1]) if ranked.size else float("nan"))

    def lowest_at_or_above(self, level: float) -> int:
        """The table position with the lowest own utility at or above ``level`` (within
        :data:`LEVEL_TOL`); among bundles tied on that utility (within :data:`TIE_TOL`), the
        lowest bundle index. The best bundle when none reaches ``level``.

        Examples
        --------
        >>> ladder = Ladder(np.array([0.5, 0.2, 0.9, 0.5, 0.2]))
        >>> ladder.lowest_at_or_above(0.3), ladder.lowest_at_or_above(0.2)
        (0, 1)
        >>> ladder.lowest_at_or_above(0.95)
        2
        """
        at = int(np.searchsorted(self.sorted_utilities, level - LEVEL_TOL, side="left"))
        at = min(at, self.sorted_utilities.shape[0] - 1)
        return int(self.choice[self.group[at]])


@dataclass(frozen=True, eq=False)
class Table:
    """The bundles on the table and what the negotiating parties make of them.

    Attributes
    ----------
    indices
        ``(m,)`` bundle indices on the table, ascending.
    utilities
        ``(m, n_parties)`` every party's utility of each (all scenario parties).
    parties
        Columns of the negotiating parties (the veto parties, in file order).
    names
        Every party's id (all columns).
    reservation
        ``(n_parties,)`` reservation utilities (all columns; NaN where a party has none).
    discounts
        ``(len(parties),)`` each negotiating party's discount factor per turn.
    radices
        Options per issue of the compiled problem (to step between neighbouring bundles).
    scenario
        The scenario's name.
    issues, options
        The scenario's own issues and their options (how a bundle is put in words).
    """

    indices: NDArray[np.int64]
    utilities: NDArray[np.float64]
    parties: tuple[int, ...]
    names: tuple[str, ...]
    reservation: NDArray[np.float64]
    discounts: NDArray[np.float64]
    radices: NDArray[np.int64]
    scenario: str = ""
    issues: tuple[str, ...] = ()
    options: tuple[tuple[str, ...], ...] = ()
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    """What is computed once per table and kept: ladders, equilibrium plans."""

    @property
    def size(self) -> int:
        return int(self.indices.shape[0])

    def ladder(self, column: int) -> Ladder:
        """The party's :class:`Ladder`, built on first use and kept."""
        key = ("ladder", column)
        if key not in self.cache:
            self.cache[key] = Ladder(np.ascontiguousarray(self.utilities[:, column]))
        ladder: Ladder = self.cache[key]
        return ladder

    def position(self, index: int) -> int | None:
        """The table position of a bundle index, or None if it is not on the table."""
        at = int(np.searchsorted(self.indices, index))
        if at < self.size and int(self.indices[at]) == index:
            return at
        return None

    def terms(self, positions: list[int]) -> list[tuple[tuple[str, str], ...]]:
        """The bundles at table positions in words: (issue, option) pairs, decoded at once."""
        radices = np.array([len(o) for o in self.options], dtype=np.int64)
        digits = decode(self.indices[np.asarray(positions, dtype=np.intp)], radices).tolist()
        return [
            tuple((k, o[d]) for k, o, d in zip(self.issues, self.options, row, strict=True))
            for row in digits
        ]

"""The compiled negotiation problem: everything the numeric core needs, as numpy arrays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

import numpy as np
from numpy.typing import NDArray

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """A negotiation compiled to arrays.

    Utility is additive over issues: ``u_i(b) = sum_k tables[k][i, b_k]`` where
    ``tables[k][i, o] = w_ik * v_ik(o)`` with party *i*'s weights normalised to sum 1.

    Parameters
    ----------
    name
        Scenario name.
    issues
        Issue ids, in file order (the first issue is the most significant digit of a
        bundle index).
    options
        Option ids per issue, in file order.
    parties
        Party ids, in file order.
    veto
        ``(n_parties,)`` bool: whose consent an agreement needs.
    power
        ``(n_parties,)`` bargaining power, > 0.
    reservation
        ``(n_parties,)`` reservation utility; NaN for a non-veto party that has none.
    tables
        Per issue, ``(n_parties, n_options)`` weighted values ``w_ik * v_ik(o)``.
    red_lines
        Per issue, ``(n_parties, n_options)`` bool, True where the party rejects the option
        whatever else is offered.
    source_issues, source_options, source_blocks
        The scenario's own issues and options when ``issues`` are composites of them, and which
        of them each issue joins (runs of consecutive scenario issues joined because an
        interaction term links them; a composite's options are its members' option combinations
        in mixed-radix order, so bundle indices are the same in both views; see
        :mod:`sim.core.composite`). None when every issue is the scenario's own.
    consent
        Per issue, ``(n_parties, n_options)`` bool, True where a bundle taking the option needs
        the party's consent (a party without a veto that must deliver it; see
        :mod:`sim.core.consent`); None when no party's consent is ever needed beyond the veto
        parties'.
    """

    name: str
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    parties: tuple[str, ...]
    veto: NDArray[np.bool_]
    power: NDArray[np.float64]
    reservation: NDArray[np.float64]
    tables: tuple[NDArray[np.float64], ...]
    red_lines: tuple[NDArray[np.bool_], ...]
    source_issues: tuple[str, ...] | None = None
    source_options: tuple[tuple[str, ...], ...] | None = None
    source_blocks: tuple[tuple[int, ...], ...] | None = None
    consent: tuple[NDArray[np.bool_], ...] | None = None
    radices: NDArray[np.int64] = field(init=False)
    memo: dict[object, object] = field(init=False, compare=False, repr=False)
    """Values derived from this problem's arrays alone, computed once (a problem derived with
    ``dataclasses.replace`` starts with an empty one; the problems that compiling makes from
    the same arrays share one: :func:`sim.compile.compile_problem`)."""

    def __post_init__(self) -> None:
        radices = np.array([len(o) for o in self.options], dtype=np.int64)
        object.__setattr__(self, "radices", radices)
        object.__setattr__(self, "memo", {})
        for array in (
            self.veto,
            self.power,
            self.reservation,
            radices,
            *self.tables,
            *self.red_lines,
            *(self.consent or ()),
        ):
            array.setflags(write=False)

    @property
    def size(self) -> int:
        """Number of bundles (exact Python integer, may exceed 2**63)."""
        total = 1
        for n in self.radices.tolist():
            total *= int(n)
        return total

    @property
    def bundle_issues(self) -> tuple[str, ...]:
        """The issues a bundle is described by (the scenario's own)."""
        return self.source_issues if self.source_issues is not None else self.issues

    @property
    def bundle_options(self) -> tuple[tuple[str, ...], ...]:
        return self.source_options if self.source_options is not None else self.options

    @property
    def bundle_radices(self) -> NDArray[np.int64]:
        return np.array([len(o) for o in self.bundle_options], dtype=np.int64)

    @property
    def blocks(self) -> tuple[tuple[int, ...], ...]:
        """For each issue, the scenario issues it joins."""
        if self.source_blocks is not None:
            return self.source_blocks
        return tuple((k,) for k in range(len(self.issues)))

    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def veto_indices(self) -> NDArray[np.intp]:
        return np.flatnonzero(self.veto)

    @property
    def consent_holders(self) -> NDArray[np.intp]:
        """Parties without a veto whose consent some bundle needs, in file order."""
        if self.consent is None:
            return np.zeros(0, dtype=np.intp)
        held = np.zeros(self.n_parties, dtype=np.bool_)
        for table in self.consent:
            held |= table.any(axis=1)
        return np.flatnonzero(held & ~self.veto)

    @property
    def judges(self) -> NDArray[np.intp]:
        """The parties whose utilities the frontier compares: the veto parties and every
        consent holder, in file order (the veto parties when no party holds consent)."""
        if self.consent is None:
            return self.veto_indices
        judges = self.veto.copy()
        judges[self.consent_holders] = True
        return np.flatnonzero(judges)

    def remembered(self, key: object, make: Callable[[], T]) -> T:
        """``make()``, computed once and kept in :attr:`memo` under ``key``: a value of this
        problem's arrays alone (``key`` names everything else it depends on)."""
        if key not in self.memo:
            self.memo[key] = make()
        return cast(T, self.memo[key])

    def feasible_options(self) -> tuple[NDArray[np.bool_], ...]:
        """Per issue, ``(n_options,)`` bool: options that no veto party red-lines (read-only,
        kept in the memo)."""

        def make() -> tuple[NDArray[np.bool_], ...]:
            found = tuple(np.asarray(~lines[self.veto].any(axis=0)) for lines in self.red_lines)
            for allowed in found:
                allowed.setflags(write=False)
            return found

        return self.remembered("feasible options", make)

    def issue_index(self, issue: str) -> int:
        return self.issues.index(issue)

    def option_index(self, issue: str, option: str) -> int:
        return self.options[self.issue_index(issue)].index(option)

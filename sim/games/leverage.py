"""The leverage game: which of the mediator's threats are credible, and which it uses.

A sequential game solved by backward induction (subgame perfection, Selten 1965). The
mediator first picks a policy: no pressure, or a threat against one veto side ("if you
refuse, this happens": an aid freeze for Kyiv, sanctions and more weapons for Kyiv if Moscow
refuses). It then proposes its favourite bundle among those every side accepts, where a
side accepts a bundle worth at least what refusing would bring it. After a refusal the
mediator carries the threat out only if that leaves it at least as well off as not doing so:
a threat is credible iff ``war_value(policy) + value(policy) >= war_value(none)``. An
incredible threat changes nothing, since the target knows it will not be carried out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Settlement = tuple[int, NDArray[np.float64]]
"""A bundle index and every party's utility of it."""


@dataclass(frozen=True)
class Threat:
    """A policy: its target (a veto side's position), and what it does if carried out."""

    name: str
    target: int | None
    reservation: NDArray[np.float64]
    mediator_war: float
    value: float


@dataclass(frozen=True, eq=False)
class ThreatOutcome:
    name: str
    target: int | None
    credible: bool
    refusal_values: NDArray[np.float64]
    settlement: Settlement | None
    mediator_payoff: float
    executed: bool
    effective: bool = True
    """False for a policy that changes nothing (e.g. freezing aid that is already frozen)."""


@dataclass(frozen=True, eq=False)
class LeverageResult:
    """Every policy's outcome and the one the mediator picks (ties: the first listed)."""

    outcomes: tuple[ThreatOutcome, ...]
    choice: int

    @property
    def chosen(self) -> ThreatOutcome:
        return self.outcomes[self.choice]


def solve_leverage(
    status_quo: Threat,
    threats: list[Threat],
    mediator: int,
    settle: Callable[[NDArray[np.float64]], Settlement | None],
    tol: float = 1e-12,
) -> LeverageResult:
    """Backward induction over the mediator's policies.

    Parameters
    ----------
    status_quo
        The war without pressure (``target`` None): the veto sides' war values and the
        mediator's.
    threats
        The policies to consider.
    mediator
        The mediator's column in a settlement's utilities.
    settle
        The mediator's favourite bundle that every veto side accepts given their refusal
        values, or None if no bundle is acceptable.
    """
    outcomes = []
    for threat in [status_quo, *threats]:
        credible = threat.target is None or (
            threat.mediator_war + threat.value >= status_quo.mediator_war - tol
        )
        refusal = status_quo.reservation.copy()
        if threat.target is not None and credible:
            refusal[threat.target] = threat.reservation[threat.target]
        settlement = settle(refusal)
        if settlement is not None:
            payoff, executed = float(settlement[1][mediator]), False
        elif threat.target is not None and credible:
            payoff, executed = threat.mediator_war + threat.value, True
        else:
            payoff, executed = status_quo.mediator_war, False
        effective = threat.target is None or not (
            abs(threat.reservation[threat.target] - status_quo.reservation[threat.target]) <= tol
            and abs(threat.mediator_war + threat.value - status_quo.mediator_war) <= tol
        )
        outcomes.append(
            ThreatOutcome(
                threat.name,
                threat.target,
                credible,
                refusal,
                settlement,
                payoff,
                executed,
                effective,
            )
        )
    payoffs = np.array([o.mediator_payoff for o in outcomes])
    choice = int(np.flatnonzero(payoffs >= payoffs.max() - tol)[0])
    return LeverageResult(tuple(outcomes), choice)

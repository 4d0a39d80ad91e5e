"""The compliance game against hand formulas and an independent 2x2 equilibrium analysis."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.games.compliance import ComplianceModel, compliance_game, compliance_payoffs
from sim.games.game import SolvedGame


def model(
    gain: float, exposure: float, penalty: float, base: float, bonus: float, shield: float
) -> ComplianceModel:
    """One issue with two options: option 1 adds ``bonus`` detection and shields side 1."""
    return ComplianceModel(
        sides=(0, 1),
        gain=np.array([gain, gain / 2]),
        exposure=np.array([exposure / 2, exposure]),
        penalty=np.array([penalty, penalty]),
        detection_base=base,
        detection_tables=(np.array([0.0, bonus]),),
        protection_tables=((np.zeros(2),), (np.array([0.0, shield]),)),
    )


def payoffs_2x2(
    m: ComplianceModel, digits: np.ndarray, agreement: np.ndarray, war: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """Both sides' payoff matrices (rows: the first side's comply/violate) and the detection."""
    q = m.detection(digits)
    shield = [m.protection(side, digits) for side in (0, 1)]
    a, b = compliance_payoffs(agreement, war, m.gain, m.exposure, m.penalty, shield, q)
    return a, b, q


def played(
    m: ComplianceModel, digits: np.ndarray, agreement: np.ndarray, war: np.ndarray
) -> tuple[SolvedGame, bool | None, float]:
    result = compliance_game(m, ("r", "c"), 0, digits, agreement, war)
    return result.game, result.self_enforcing, result.detection


def equilibria_2x2(a: np.ndarray, b: np.ndarray) -> tuple[set[tuple[int, int]], bool]:
    """Pure equilibria by definition, and whether a fully mixed one exists (indifference)."""
    pure = {
        (r, c)
        for r, c in itertools.product(range(2), range(2))
        if a[r, c] >= a[1 - r, c] and b[r, c] >= b[r, 1 - c]
    }
    # column mix q makes the row player indifferent; row mix p makes the column player so
    da = a[0, 0] - a[0, 1] - a[1, 0] + a[1, 1]
    db = b[0, 0] - b[0, 1] - b[1, 0] + b[1, 1]
    if abs(da) < 1e-12 or abs(db) < 1e-12:
        return pure, False
    q = (a[1, 1] - a[0, 1]) / da
    p = (b[1, 1] - b[1, 0]) / db
    return pure, bool(1e-9 < q < 1 - 1e-9 and 1e-9 < p < 1 - 1e-9)


def test_payoffs_match_the_formulas() -> None:
    m = model(gain=0.2, exposure=0.3, penalty=0.5, base=0.1, bonus=0.4, shield=0.5)
    agreement, war = np.array([0.7, 0.6]), np.array([0.5, 0.4])
    a, b, q = payoffs_2x2(m, np.array([1]), agreement, war)
    assert q == pytest.approx(0.5)
    np.testing.assert_allclose(a, [[0.7, 0.5 - 0.15], [0.5 + 0.2 - 0.25, 0.5 - 0.25]])
    # side 1 is shielded from half its exposure by option 1
    np.testing.assert_allclose(b, [[0.6, 0.4 + 0.1 - 0.25], [0.4 - 0.15, 0.4 - 0.25]])


@pytest.mark.parametrize("seed", range(40))
def test_self_enforcing_iff_mutual_compliance_is_the_only_equilibrium(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = model(*rng.uniform(0, 0.5, 3), rng.uniform(0, 0.6), rng.uniform(0, 0.4), rng.uniform(0, 1))
    option = np.array([seed % 2])
    agreement, war = rng.uniform(0.3, 0.9, 2), rng.uniform(0.2, 0.7, 2)
    game, self_enforcing, _ = played(m, option, agreement, war)
    a, b, _ = payoffs_2x2(m, option, agreement, war)
    pure, mixed = equilibria_2x2(a, b)
    assert self_enforcing == (pure == {(0, 0)} and not mixed)
    assert not game.solution.degenerate
    assert len(game.solution.equilibria) == len(pure) + int(mixed)


def test_detection_turns_a_deal_self_enforcing() -> None:
    # Without the detecting option, violating pays (gain 0.2 > agreement premium 0.1).
    m = model(gain=0.2, exposure=0.05, penalty=0.6, base=0.0, bonus=0.5, shield=0.0)
    agreement, war = np.array([0.6, 0.6]), np.array([0.5, 0.5])
    _, without, _ = played(m, np.array([0]), agreement, war)
    _, with_it, q = played(m, np.array([1]), agreement, war)
    assert q == 0.5
    assert not without
    assert with_it

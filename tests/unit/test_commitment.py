"""The durable zone against Powell's (2006) condition for a divisible good: a constant division
survives a shift of power from p_min to p_max iff p_max - p_min <= c_A + c_B, and the least
shortfall over today's zone follows in closed form (module notes of sim.core.commitment)."""

from __future__ import annotations

import numpy as np
import pytest

import sim.core.commitment as commitment_module
from sim.core.commitment import commitment_problems, durability, first_failing


def powell(p: np.ndarray, cost_a: float, cost_b: float) -> tuple[bool, float]:
    """Closed form: (commitment problem, least shortfall) for A's share of a unit pie when A
    prevails with probability p_t in month t and the war flows are p_t - c_A, 1 - p_t - c_B.

    A share x falls short by max(max p - c_A - x, x - min p - c_B) at its worst month; the
    least of this over today's zone [p_0 - c_A, p_0 + c_B] is at the midpoint of the two
    lines, moved into today's zone."""
    excess = (p.max() - p.min()) - (cost_a + cost_b)
    middle = (p.max() - cost_a + p.min() + cost_b) / 2
    x = min(max(middle, p[0] - cost_a), p[0] + cost_b)
    return bool(excess > 1e-12), max(p.max() - cost_a - x, x - p.min() - cost_b)


def pie_case(p0: float, drift: float, months: int, cost_a: float, cost_b: float):
    x = np.arange(2001) / 2000  # shares in steps of 1/2000: every midpoint below is a share
    p = np.clip(p0 + drift * np.arange(months + 1), 0, 1)
    war = np.stack([p - cost_a, 1 - p - cost_b], axis=1)
    return np.stack([x, 1 - x], axis=1), war, p


@pytest.mark.parametrize(
    ("p0", "drift", "months", "cost_a", "cost_b"),
    [
        (0.3, 0.02, 24, 0.1, 0.2),  # shift 0.48 > 0.3: a commitment problem
        (0.3, 0.01, 24, 0.1, 0.2),  # shift 0.24 < 0.3: durable deals exist
        (0.6, -0.015, 20, 0.05, 0.05),  # A declining: shift 0.3 > 0.1
        (0.5, 0.0, 12, 0.05, 0.05),  # no shift
        (0.4, 0.005, 24, 0.03, 0.03),  # shift 0.12 > 0.06
    ],
)
def test_durable_zone_matches_powell_closed_form(p0, drift, months, cost_a, cost_b):
    u, war, p = pie_case(p0, drift, months, cost_a, cost_b)
    result = durability(u, war)
    problem, shortfall = powell(p, cost_a, cost_b)
    assert result.commitment_problem is problem
    assert result.shortfall is not None and abs(result.shortfall - shortfall) <= 1e-9
    # today's zone [p0 - c_A, p0 + c_B], and the durable one [max p - c_A, min p + c_B]
    x = u[:, 0]
    assert result.today == int(((x >= p0 - cost_a - 1e-9) & (x <= p0 + cost_b + 1e-9)).sum())
    lo, hi = p.max() - cost_a, p.min() + cost_b
    assert int(result.durable.sum()) == int(((x >= lo - 1e-9) & (x <= hi + 1e-9)).sum())


def test_zone_loses_bundles_in_the_months_the_odds_move():
    u, war, _ = pie_case(0.3, 0.02, 6, 0.1, 0.2)
    result = durability(u, war)
    assert result.loss_months == (1, 2, 3, 4, 5, 6)
    assert list(result.holding) == sorted(result.holding, reverse=True)


def test_powell_check_catches_a_zone_judged_today_only(monkeypatch):
    """Mutation: a durability judged on today's war values only never finds the commitment
    problem that the closed form finds."""

    def today_only(utilities, war_values, tol=1e-9):
        return original(utilities, np.asarray(war_values)[:1], tol)

    original = commitment_module.durability
    monkeypatch.setattr(commitment_module, "durability", today_only)
    u, war, p = pie_case(0.3, 0.02, 24, 0.1, 0.2)
    assert powell(p, 0.1, 0.2)[0] is True
    assert commitment_module.durability(u, war).commitment_problem is False


def brute_durability(u: np.ndarray, war: np.ndarray, tol: float):
    """The definition, one candidate, month and party at a time."""
    n, months = u.shape[0], war.shape[0]

    def meets(b: int, t: int) -> bool:
        return all(u[b, i] >= war[t, i] - tol for i in range(u.shape[1]))

    holding = [sum(all(meets(b, s) for s in range(t + 1)) for b in range(n)) for t in range(months)]
    today = [b for b in range(n) if meets(b, 0)]
    deficits = [
        max(war[t, i] - u[b, i] for t in range(months) for i in range(u.shape[1])) for b in today
    ]
    durable = [all(meets(b, t) for t in range(months)) for b in range(n)]
    return holding, durable, (min(deficits) if deficits else None)


@pytest.mark.parametrize("seed", range(40))
def test_durability_equals_the_definition_on_random_ties(seed):
    """Utilities and war values on a coarse grid (many exact ties) and war values moved by
    exactly the tolerance: months, candidates and shortfall as the definition counts them."""
    rng = np.random.default_rng(seed)
    n, months, parties = rng.integers(0, 30), rng.integers(1, 8), rng.integers(1, 4)
    tol = 1e-9
    u = rng.integers(0, 5, (n, parties)) / 4
    war = rng.integers(0, 5, (months, parties)) / 4 + rng.choice(
        [0.0, tol, -tol], (months, parties)
    )
    result = durability(u, war, tol)
    holding, durable, shortfall = brute_durability(u, war, tol)
    assert result.holding.tolist() == holding
    assert result.durable.tolist() == durable
    assert result.shortfall == shortfall
    assert result.loss_months == tuple(t for t in range(1, months) if holding[t] < holding[t - 1])


def each_draw_alone(first_of, seed: int) -> None:  # type: ignore[no-untyped-def]
    """``first_of`` (:func:`first_failing` or a mutant) over a leading draw axis, and
    ``commitment_problems`` of it, against :func:`durability` of each draw's kept candidates
    alone, each draw with its own war values (tie-heavy grid, as above)."""
    rng = np.random.default_rng(100 + seed)
    draws, n, months, parties = 6, rng.integers(1, 25), rng.integers(2, 8), rng.integers(1, 4)
    tol = 1e-9
    u = rng.integers(0, 5, (draws, n, parties)) / 4
    war = rng.integers(0, 5, (draws, months, parties)) / 4 + rng.choice(
        [0.0, tol, -tol], (draws, months, parties)
    )
    keep = rng.random((draws, n)) < 0.7
    first = first_of(u, war, tol)
    flags = commitment_problems(first, months, keep)
    for d in range(draws):
        alone = durability(u[d][keep[d]], war[d], tol)
        assert flags[d] == alone.commitment_problem
        holding = [int((first[d][keep[d]] > t).sum()) for t in range(months)]
        assert holding == alone.holding.tolist()


@pytest.mark.parametrize("seed", range(10))
def test_many_draws_at_once_equal_each_draw_alone(seed):
    each_draw_alone(first_failing, seed)


def test_the_draw_check_catches_war_values_of_another_draw():
    """Mutation: every draw searched against the first draw's war values."""

    def first_draw_only(u, war, tol):  # type: ignore[no-untyped-def]
        return first_failing(u, np.broadcast_to(war[:1], war.shape), tol)

    for seed in range(10):
        with pytest.raises(AssertionError):
            each_draw_alone(first_draw_only, seed)

"""SMP's victory probabilities, elections and risk attitudes against a plain-Python
implementation of docs/spatial.md on a small fixture, and by hand on two actors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.model.resolve import load_scenario
from sim.spatial import smp
from sim.spatial.problem import spatial_problem
from sim.spatial.smp import (
    SmpOptions,
    condorcet_probabilities,
    election,
    risk_attitudes,
    run_smp,
    smp_actors,
    utilities,
    victory,
)
from tests.property.spatial_oracle import smp_election, smp_risk, smp_victory

FIXTURE = Path(__file__).parents[1] / "fixtures" / "spatial" / "four-actors.yaml"


def _fixture() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    problem = spatial_problem(load_scenario(FIXTURE).scenario)
    return problem.unit_positions, problem.salience, problem.capability


def _engine(
    ideals: np.ndarray, sal: np.ndarray, cap: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    options = SmpOptions()
    actors = smp_actors(ideals, sal, cap, options)
    risk = risk_attitudes(election(actors, ideals, np.zeros(len(cap)), options))
    win = victory(actors, utilities(actors, ideals, risk))
    return risk, win, condorcet_probabilities(win)


def _agrees(ideals: np.ndarray, sal: np.ndarray, cap: np.ndarray) -> bool:
    lists = (ideals.tolist(), sal.tolist(), cap.tolist())
    want_risk = smp_risk(*lists)
    want_win = smp_victory(*lists, ideals.tolist(), want_risk)
    risk, win, chance = _engine(ideals, sal, cap)
    return (
        np.allclose(risk, want_risk, atol=1e-12)
        and np.allclose(win, want_win, atol=1e-12)
        and np.allclose(chance, smp_election(want_win), atol=1e-12)
    )


def test_fixture_matches_the_oracle() -> None:
    ideals, sal, cap = _fixture()
    risk, win, _ = _engine(ideals, sal, cap)
    assert len(set(np.round(risk, 9))) == 4  # every actor its own attitude: not vacuous
    assert np.all((win > 0.0) & (win < 1.0))
    assert _agrees(ideals, sal, cap)


def test_random_cases_match_the_oracle() -> None:
    rng = np.random.default_rng(8)
    for _ in range(40):
        n, d = int(rng.integers(2, 6)), int(rng.integers(1, 4))
        assert _agrees(rng.random((n, d)), rng.random((n, d)), rng.random(n) + 0.01)


@pytest.mark.parametrize("mutant", ["square", "risk"])
def test_a_wrong_variant_is_caught(mutant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ideals, sal, cap = _fixture()
    if mutant == "square":
        original = smp.victory
        monkeypatch.setattr(smp, "victory", lambda a, u, how="linear": original(a, u, "square"))
        monkeypatch.setattr(
            "tests.unit.test_spatial_smp.victory",
            lambda a, u, how="linear": original(a, u, "square"),
        )
    else:
        flip = smp.risk_attitudes
        monkeypatch.setattr("tests.unit.test_spatial_smp.risk_attitudes", lambda p: -flip(p))
    assert not _agrees(ideals, sal, cap)


def test_two_actors_by_hand() -> None:
    """A at 0.25 with capability 3, B at 0.75 with 1, salience 1 on one dimension.

    Risk-neutral: u_A(z_B) = u_B(z_A) = 0.5, so S(A:B) = 3 * 0.5 = 1.5, S(B:A) = 0.5 and
    P(A beats B) = 0.75; the election gives (0.75, 0.25), hence R_A = 1 and R_B = -1.
    With those attitudes u_A(z_B) = 0.5 * 1.5 = 0.75 and u_B(z_A) = 0.5 * 0.5 = 0.25, so
    S(A:B) = 3 * 0.25 = 0.75 = S(B:A) = 1 * 0.75 and P = 0.5. With two actors a challenge
    only trades the election for the same lottery (gain 0): nobody moves, and the forecast
    is 0.5 * 0.25 + 0.5 * 0.75 = 0.5."""
    ideals, sal, cap = np.array([[0.25], [0.75]]), np.ones((2, 1)), np.array([3.0, 1.0])
    actors = smp_actors(ideals, sal, cap, SmpOptions())
    neutral = victory(actors, utilities(actors, ideals, np.zeros(2)))
    assert neutral[0, 1] == pytest.approx(0.75, abs=1e-15)
    risk = risk_attitudes(condorcet_probabilities(neutral))
    assert risk.tolist() == pytest.approx([1.0, -1.0], abs=1e-15)
    trace = run_smp(ideals, sal, cap, SmpOptions())
    first = trace.rounds[0]
    assert first.risk.tolist() == pytest.approx([1.0, -1.0], abs=1e-15)
    assert first.victory[0, 1] == pytest.approx(0.5, abs=1e-15)
    assert first.chance.tolist() == pytest.approx([0.5, 0.5], abs=1e-15)
    assert np.all(first.target == -1)
    assert trace.converged and len(trace.rounds) == 1
    assert trace.forecast[-1, 0] == pytest.approx(0.5, abs=1e-15)


def test_markov_election_is_stationary() -> None:
    rng = np.random.default_rng(4)
    win = rng.random((5, 5))
    win = np.where(np.eye(5, dtype=bool), 0.5, np.triu(win, 1) + np.tril(1 - win.T, -1))
    p = condorcet_probabilities(win, "markov")
    move = np.where(np.eye(5, dtype=bool), 0.0, win.T / 4)
    chain = move + np.diag(1 - move.sum(axis=1))
    assert p.sum() == pytest.approx(1.0)
    assert p @ chain == pytest.approx(p, abs=1e-12)


def test_challenges_in_blocks_equal_challenges_all_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ideals, sal, cap = _fixture()
    whole = run_smp(ideals, sal, cap, SmpOptions(rounds=5))
    monkeypatch.setattr(smp, "CHUNK", 1)  # one challenger at a time
    single = run_smp(ideals, sal, cap, SmpOptions(rounds=5))
    assert np.array_equal(whole.positions, single.positions)
    assert np.array_equal(whole.rounds[0].gain, single.rounds[0].gain)


def test_sampled_choices_are_reproducible_from_the_seed() -> None:
    ideals, sal, cap = _fixture()
    a = run_smp(ideals, sal, cap, SmpOptions(choice="sample", seed=3, rounds=20))
    b = run_smp(ideals, sal, cap, SmpOptions(choice="sample", seed=3, rounds=20))
    assert np.array_equal(a.positions, b.positions)

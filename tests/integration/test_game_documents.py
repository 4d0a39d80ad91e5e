"""One game type in the outcome and one JSON shape, whatever the number of players: the
two-player games of the war fixture and the three-player games of the trade fixture are
documented with the same keys, settlements listed per profile of positions, and every
equilibrium's regret equal to a brute force over pure deviations."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np

import sim
from sim.analysis.games import games_document
from sim.analysis.outcome import Bundle, ComplianceOutcome, PositionsOutcome
from sim.analysis.strategy import analyse_strategy
from sim.compile import compile_problem
from sim.model import load_scenario

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TWO = FIXTURES / "war" / "sanctions_threat.yaml"
THREE = FIXTURES / "trade" / "three_party.yaml"
OPTIONAL = {"bundle", "bundle_index", "note", "cross_check"}


def documents(path: Path) -> list[dict[str, Any]]:
    outcome = sim.analyse(path)
    return [g for g in games_document(outcome.games)["games"] if "payoffs" in g]


def brute_regret(payoffs: np.ndarray, strategies: list[list[float]]) -> float:
    """Each player's best pure deviation against the others' mixtures, by loops over every
    profile of pure strategies."""
    n = payoffs.shape[0]
    worst = 0.0
    for p in range(n):
        value = np.zeros(payoffs.shape[p + 1])
        own = 0.0
        for cell in itertools.product(*(range(k) for k in payoffs.shape[1:])):
            others = np.prod([strategies[q][cell[q]] for q in range(n) if q != p])
            value[cell[p]] += others * payoffs[(p, *cell)]
            own += others * strategies[p][cell[p]] * payoffs[(p, *cell)]
        worst = max(worst, float(value.max() - own))
    return worst


def test_two_and_three_players_have_one_shape() -> None:
    two, three = documents(TWO), documents(THREE)
    assert {len(g["players"]) for g in two} == {2} and {len(g["players"]) for g in three} == {3}
    for kind in ("compliance", "positions"):
        a = next(g for g in two if g["name"] == kind)
        b = next(g for g in three if g["name"] == kind)
        assert set(a) - OPTIONAL == set(b) - OPTIONAL, kind
        assert [set(e) for e in a["equilibria"]] == [set(b["equilibria"][0])] * len(a["equilibria"])
    for game in two + three:
        payoffs = np.array(game["payoffs"])
        shape = tuple(len(s) for s in game["strategies"])
        assert payoffs.shape == (len(game["players"]), *shape)
        assert len(game["eliminated"]) == len(game["players"])
        for e in game["equilibria"]:
            assert e["method"] == game["method"]
            assert abs(e["regret"] - brute_regret(payoffs, e["strategies"])) <= 1e-9
            assert e["verified"] is (e["regret"] <= game["tolerance"])


def test_two_player_settlements_per_profile_equal_the_strategy_analysis() -> None:
    loaded = load_scenario(TWO)
    problem = compile_problem(loaded.scenario)
    strategy = analyse_strategy(loaded, problem)
    assert strategy.positions is not None
    game, settled = strategy.positions
    (document,) = [g for g in documents(TWO) if g["name"] == "positions"]
    listed = document["settlements"]
    rows, columns = np.asarray(settled).shape
    assert len(listed) == rows * columns
    for (r, c), entry in zip(itertools.product(range(rows), range(columns)), listed, strict=True):
        assert entry["profile"] == [game.strategies[0][r], game.strategies[1][c]]
        index = int(settled[r][c])
        expected = None if index < 0 else Bundle.of(problem, index).as_dict()
        assert entry["bundle"] == expected
    assert any(e["bundle"] for e in listed)  # some profile settles on a bundle


def test_the_outcome_has_one_class_per_game() -> None:
    for path in (TWO, THREE):
        games = sim.analyse(path).games
        assert games.of_kind(ComplianceOutcome) and games.of_kind(PositionsOutcome)
        for g in games.of_kind(ComplianceOutcome) + games.of_kind(PositionsOutcome):
            assert type(g.game).__name__ == "NormalFormGame"

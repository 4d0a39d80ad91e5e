"""Gambit .nfg files: hand-derived games read exactly, write/read round trips keep payoffs and
equilibria, and (where pygambit is installed) Gambit itself reads what we write and we read
what it writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from sim.errors import InputError
from sim.formats.nfg import game_from_nfg, read_nfg, write_game_nfg, write_nfg
from sim.games.equilibria import all_equilibria

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nfg"


def profiles(a: NDArray[np.float64], b: NDArray[np.float64]) -> list[tuple[float, ...]]:
    """Every extreme equilibrium as one sorted list of rounded probabilities."""
    found = all_equilibria(a, b, eliminate_dominated=False)
    return sorted(
        tuple(np.round(np.concatenate(e.strategies), 9).tolist()) for e in found.equilibria
    )


def test_battle_of_the_sexes_has_its_three_hand_derived_equilibria() -> None:
    game = read_nfg(FIXTURES / "battle_of_the_sexes.nfg", players=2)
    assert game.title == "Battle of the sexes"
    assert game.players == ("Row", "Column")
    assert game.strategies == (("opera", "football"), ("opera", "football"))
    np.testing.assert_array_equal(game.payoffs[0], [[3, 0], [0, 2]])
    np.testing.assert_array_equal(game.payoffs[1], [[2, 0], [0, 3]])
    # mixed: Row plays opera with p where Column is indifferent, 2p = 3(1 - p): p = 3/5;
    # Column plays opera with q where Row is indifferent, 3q = 2(1 - q): q = 2/5.
    assert profiles(*game.payoffs) == sorted(
        [(1.0, 0.0, 1.0, 0.0), (0.0, 1.0, 0.0, 1.0), (0.6, 0.4, 0.4, 0.6)]
    )
    solved = game_from_nfg(game)
    payoffs = sorted(e.payoffs for e in solved.solution.equilibria)
    np.testing.assert_allclose(payoffs, [(1.2, 1.2), (2.0, 3.0), (3.0, 2.0)], atol=1e-9)
    assert all(e.verified for e in solved.solution.equilibria)


def test_rock_paper_scissors_payoff_version_has_the_uniform_equilibrium_only() -> None:
    game = read_nfg(FIXTURES / "rock_paper_scissors.nfg", players=2)
    assert game.strategies == (("1", "2", "3"), ("1", "2", "3"))
    beats = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    np.testing.assert_array_equal(game.payoffs[0], beats)
    np.testing.assert_array_equal(game.payoffs[1], -beats)
    third = round(1 / 3, 9)
    assert profiles(*game.payoffs) == [(third,) * 6]


def test_three_player_game_reads_with_one_axis_per_player() -> None:
    game = read_nfg(FIXTURES / "three_players.nfg")
    assert game.players == ("A", "B", "C")
    assert game.payoffs[0].shape == (2, 2, 2)
    # profile order: A fastest, then B, then C; profile 4 is (A2, B2, C1), profile 6 (A2, B1, C2)
    assert game.payoffs[2][1, 1, 0] == 1 and game.payoffs[0][1, 0, 1] == 1
    assert game.payoffs[1][1, 0, 0] == 0


def test_write_read_round_trip_keeps_payoffs_labels_and_equilibria(tmp_path: Path) -> None:
    rng = np.random.default_rng(13)
    for trial in range(5):
        shape = (int(rng.integers(2, 5)), int(rng.integers(2, 5)))
        a = np.round(rng.uniform(-1, 1, shape), 6)
        b = np.round(rng.uniform(-1, 1, shape), 6)
        a[0, 0] = 1e-7  # a small number must not be written in exponent notation
        labels = (
            tuple(f"row move {i}" for i in range(shape[0])),
            tuple(f'say "{i}"' for i in range(shape[1])),
        )
        path = tmp_path / f"game{trial}.nfg"
        write_nfg(path, f"random {trial}", ("P one", "P two"), labels, (a, b))
        assert "e-" not in path.read_text()
        back = read_nfg(path, players=2)
        assert back.title == f"random {trial}"
        assert back.players == ("P one", "P two")
        assert back.strategies == labels
        np.testing.assert_array_equal(back.payoffs[0], a)
        np.testing.assert_array_equal(back.payoffs[1], b)
        assert profiles(*back.payoffs) == profiles(a, b)


def test_write_game_nfg_from_a_solved_game(tmp_path: Path) -> None:
    game = game_from_nfg(read_nfg(FIXTURES / "battle_of_the_sexes.nfg"))
    write_game_nfg(tmp_path / "bos.nfg", game)
    back = game_from_nfg(read_nfg(tmp_path / "bos.nfg"))
    assert back.strategies == game.strategies
    mine = sorted(tuple(np.concatenate(e.strategies).round(9)) for e in game.solution.equilibria)
    theirs = sorted(tuple(np.concatenate(e.strategies).round(9)) for e in back.solution.equilibria)
    assert mine == theirs


@pytest.mark.parametrize(
    ("fixture", "players", "message"),
    [
        ("three_players.nfg", 2, "a 3-player strategic-form game; 2 players are required"),
        ("tree.efg", 2, r"an extensive-form game \(Gambit \.efg\), not a strategic-form game"),
        ("../genius/holiday_domain.xml", 2, "not a Gambit strategic-form game"),
    ],
)
def test_wrong_kind_of_file_is_named(fixture: str, players: int, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_nfg(FIXTURES / fixture, players=players)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('NFG 1 R "t" { "A" "B" } { 2 2 }\n1 2 3', "need 8 numbers; the file holds 3 more items"),
        ('NFG 1 R "t" { "A" "B" } { 2 2 }\n1 2 3 4 5 6 7 x', "expected a payoff .a number."),
        ('NFG 1 R "t" { "A" "B" } { { "a" } { "b" } } { { "" 1 } } 1', "expected a label and 2"),
        ('NFG 1 R "t" { "A" "B" } { { "a" } { "b" } } { { "" 1, 2 } } 2', "no outcome 2"),
        ('NFG 2 R "t" { "A" "B" } { 1 1 } 1 2', "unsupported header 'NFG 2 R'"),
    ],
)
def test_malformed_nfg_is_refused_with_a_reason(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.nfg"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        read_nfg(path)


def test_write_refuses_mismatched_shapes(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="have shape"):
        write_nfg(
            tmp_path / "x.nfg", "t", ("A", "B"), (("a", "b"), ("c",)), (np.zeros((2, 2)),) * 2
        )


def test_pygambit_reads_our_files_and_we_read_its(tmp_path: Path) -> None:
    gbt = pytest.importorskip("pygambit", reason="pygambit is not installed")
    rng = np.random.default_rng(5)
    a = np.round(rng.uniform(0, 1, (3, 3)), 4)
    b = np.round(rng.uniform(0, 1, (3, 3)), 4)
    labels = (("hold", "fold", "raise"), ("left", "centre", "right"))
    ours = tmp_path / "ours.nfg"
    write_nfg(ours, "random 3x3", ("Ann", "Bob"), labels, (a, b))
    game = gbt.read_nfg(str(ours))
    assert [getattr(p, "label", p) for p in game.players] == ["Ann", "Bob"]
    arrays = [np.array(x, dtype=float) for x in game.to_arrays()]
    np.testing.assert_array_equal(arrays[0], a)
    np.testing.assert_array_equal(arrays[1], b)
    theirs = tmp_path / "theirs.nfg"
    theirs.write_text(game.to_nfg())
    back = read_nfg(theirs, players=2)
    assert back.strategies == labels
    np.testing.assert_array_equal(back.payoffs[0], a)
    np.testing.assert_array_equal(back.payoffs[1], b)
    result = gbt.nash.enummixed_solve(game, rational=False)
    gambit = sorted(
        tuple(
            round(float(eq[player][strategy]), 6)
            for player, group in zip(game.players, labels, strict=True)
            for strategy in group
        )
        for eq in result.equilibria
    )
    mine = sorted(tuple(round(v, 6) for v in p) for p in profiles(a, b))
    assert mine == gambit


def test_pygambit_round_trip_of_a_three_player_game(tmp_path: Path) -> None:
    gbt = pytest.importorskip("pygambit", reason="pygambit is not installed")
    payoffs = np.round(np.random.default_rng(1).uniform(-1, 1, (3, 2, 3, 2)), 3)
    labels = (("x", "y"), ("p", "q", "r"), ("m", "n"))
    ours = tmp_path / "three.nfg"
    write_nfg(ours, "three", ("a", "b", "c"), labels, payoffs)
    game = gbt.read_nfg(str(ours))
    arrays = [np.array(x, dtype=float) for x in game.to_arrays()]
    for player in range(3):
        np.testing.assert_array_equal(arrays[player], payoffs[player])
    theirs = tmp_path / "theirs.nfg"
    theirs.write_text(game.to_nfg())
    back = read_nfg(theirs)
    assert back.strategies == labels
    for player in range(3):
        np.testing.assert_array_equal(back.payoffs[player], payoffs[player])

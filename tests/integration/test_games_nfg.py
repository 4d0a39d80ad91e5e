"""`sim games --export nfg DIR` and `sim games --import FILE.nfg`: a scenario's games leave and
come back with the same equilibria."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.cli import app
from tests.conftest import FIXTURES, WAR

NFG = FIXTURES / "nfg"


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _profiles(game: dict) -> list[np.ndarray]:  # type: ignore[type-arg]
    return sorted(
        (np.concatenate([np.array(s) for s in e["strategies"]]) for e in game["equilibria"]),
        key=lambda v: tuple(np.round(v, 9)),
    )


@pytest.mark.parametrize("name", ["sanctions_threat", "interim_ceasefire", "baseline"])
def test_exported_games_reimport_to_the_same_equilibria(name: str, tmp_path: Path) -> None:
    code, output = invoke(["games", str(WAR / f"{name}.yaml"), "--json"])
    assert code == 0
    games = [g for g in json.loads(output)["games"] if "payoffs" in g]
    assert len(games) >= 3, "compliance games over each agreed bundle and the positions game"
    code, output = invoke(["games", str(WAR / f"{name}.yaml"), "--export", "nfg", str(tmp_path)])
    assert code == 0, output
    files = sorted(tmp_path.glob("*.nfg"))
    assert len(files) == len(games)
    for game in games:
        suffix = f"-{game['bundle_index']}" if "bundle_index" in game else ""
        path = tmp_path / f"{name}-{game['name']}{suffix}.nfg"
        code, output = invoke(["games", "--import", str(path), "--json"])
        assert code == 0, output
        (back,) = json.loads(output)["games"]
        assert back["strategies"] == game["strategies"]
        assert back["players"] == game["players"]
        np.testing.assert_allclose(back["payoffs"], game["payoffs"], atol=1e-12)
        mine, theirs = _profiles(game), _profiles(back)
        assert len(mine) == len(theirs)
        for a, b in zip(mine, theirs, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-9)


def test_export_never_overwrites_without_force(tmp_path: Path) -> None:
    target = str(WAR / "sanctions_threat.yaml")
    assert invoke(["games", target, "--export", "nfg", str(tmp_path)])[0] == 0
    code, output = invoke(["games", target, "--export", "nfg", str(tmp_path)])
    assert code == 2 and "--force" in output
    assert invoke(["games", target, "--export", "nfg", str(tmp_path), "--force"])[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["games"], "give a SCENARIO, or --import"),
        (["games", str(WAR / "baseline.yaml"), "--export", "xml", "out"], "unknown format 'xml'"),
    ],
)
def test_bad_requests(args: list[str], message: str, tmp_path: Path) -> None:
    code, output = invoke([*[a if a != "out" else str(tmp_path / "o") for a in args]])
    assert code == 2 and message in output


def test_import_solves_a_three_player_game(tmp_path: Path) -> None:
    """One solver entry for any number of players: a three-player .nfg file is solved, its
    pure equilibria those of a brute force over the file's own numbers (Gambit's payoff
    version: one payoff per player per profile, the first player's strategy changing
    fastest)."""
    three = NFG / "three_players.nfg"
    numbers = [float(x) for x in three.read_text(encoding="utf-8").split("}")[-1].split()]
    u = np.zeros((3, 2, 2, 2))
    for k in range(8):
        cell = (k % 2, (k // 2) % 2, k // 4)
        u[(slice(None), *cell)] = numbers[3 * k : 3 * k + 3]
    brute = {
        cell
        for cell in itertools.product(range(2), repeat=3)
        if all(
            u[(p, *cell)] >= max(u[(p, *cell[:p], s, *cell[p + 1 :])] for s in range(2))
            for p in range(3)
        )
    }
    code, output = invoke(["games", "--import", str(three), "--json"])
    assert code == 0, output
    (game,) = json.loads(output)["games"]
    assert game["players"] == ["A", "B", "C"] and game["method"] == "support_enumeration"
    np.testing.assert_array_equal(np.array(game["payoffs"]), u)
    pure = {
        tuple(int(np.argmax(x)) for x in e["strategies"])
        for e in game["equilibria"]
        if all(max(x) == 1.0 for x in e["strategies"])
    }
    assert pure == brute and len(brute) == 4
    assert all(e["verified"] for e in game["equilibria"])
    assert game["complete"] or game["not_computed"]


def test_import_refuses_what_is_not_a_game(tmp_path: Path) -> None:
    junk = tmp_path / "junk.nfg"
    junk.write_text("not a game", encoding="utf-8")
    code, output = invoke(["games", "--import", str(junk)])
    assert code == 2 and "junk.nfg" in output


def test_import_refuses_a_game_of_more_profiles_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A three-player game with more strategy profiles than ``$SIM_MAX_PROFILES`` is refused
    before it is solved, naming the file and the limit."""
    monkeypatch.setenv("SIM_MAX_PROFILES", "7")  # the fixture has 2 x 2 x 2 = 8
    result = CliRunner().invoke(app, ["games", "--import", str(NFG / "three_players.nfg")])
    assert result.exit_code == 2, result.output
    assert "three_players.nfg" in result.output and "SIM_MAX_PROFILES" in result.output
    assert "Traceback" not in result.output

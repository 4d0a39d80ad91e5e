"""A game added in one module (here, this test module: its outcome class, its builder and its
column) and its entry in the registry reaches `sim run`, its JSON, the terminal text, the
outcome table and its schema, the stored run read back, `sim games` and the report, with no
other change (docs/architecture.md). It is a game in normal form, so it needs no renderer.

The game: each veto party of a two-party war scenario accepts the first protocol's agreement
or holds out; the deal happens only if both accept, and otherwise both get their reservation
values. Its payoffs are checked against the outcome document's own reservations and agreed
utilities, and its equilibria against a brute force over pure profiles."""

from __future__ import annotations

import csv
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import sim
from sim.analysis import games
from sim.analysis.games import GameKind, GameSetting, normal_form
from sim.analysis.outcome import GameOutcome, NormalFormOutcome, Outcome
from sim.analysis.row import column_kind
from sim.cli import app
from sim.games.game import Game, SolvedGame, solve_game

WAR = Path(__file__).resolve().parents[1] / "fixtures" / "war" / "sanctions_threat.yaml"
MOVES = ("accept", "hold out")


@dataclass(frozen=True, eq=False)
class HoldoutOutcome(NormalFormOutcome):
    """The hold-out game over the first agreement; ``pure`` counts its pure equilibria."""

    pure: int


def build(setting: GameSetting) -> list[GameOutcome]:
    problem, strategy = setting.problem, setting.strategy
    agreed = next((r.bundle for r in strategy.bargaining if r.bundle is not None), None)
    veto = [int(v) for v in strategy.timeline.veto]
    if agreed is None or len(veto) != 2:
        return []
    from sim.core.space import decode
    from sim.core.utility import bundle_utilities

    deal = bundle_utilities(problem, decode(np.array([agreed]), problem.radices))[0, veto]
    war = problem.reservation[veto]
    payoffs = np.empty((2, 2, 2))
    for p, (a, b) in itertools.product(range(2), itertools.product(range(2), range(2))):
        payoffs[p, a, b] = deal[p] if (a, b) == (0, 0) else war[p]
    players = tuple(problem.parties[v] for v in veto)
    solved = solve_game(Game("holdout", players, (MOVES, MOVES), payoffs))
    form = normal_form(problem, SolvedGame(solved.game, solved.solution, int(agreed)))
    return [HoldoutOutcome(form, len(solved.solution.pure))]


def row(_: Outcome, mine: tuple[HoldoutOutcome, ...]) -> dict[str, Any]:
    return {"holdout_pure": mine[0].pure if mine else None}


HOLDOUT = GameKind("holdout", HoldoutOutcome, build, row=row)


@pytest.fixture
def holdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(games, "GAMES", (*games.GAMES, HOLDOUT))


def invoke(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def brute_pure(payoffs: list[list[list[float]]]) -> list[tuple[int, int]]:
    """The pure equilibria of a two-player game, by checking every deviation."""
    a, b = np.asarray(payoffs[0]), np.asarray(payoffs[1])
    return [
        (r, c)
        for r, c in itertools.product(range(2), range(2))
        if a[r, c] >= a[:, c].max() - 1e-12 and b[r, c] >= b[r, :].max() - 1e-12
    ]


@pytest.mark.usefixtures("holdout")
def test_run_json_text_table_stored_run_and_report(tmp_path: Path) -> None:
    document = json.loads(invoke(["run", str(WAR), "--json", "--no-record"]))
    (game,) = [g for g in document["equilibria"]["games"] if g["name"] == "holdout"]
    first = next(r for r in document["bargaining"]["results"] if r["index"] is not None)
    players = game["players"]
    deal = [first["utilities"][p] for p in players]
    war = [document["reservations"][p] for p in players]
    for p in range(2):  # independent of the builder: from the document's own numbers
        assert game["payoffs"][p][0][0] == pytest.approx(deal[p], abs=1e-12)
        assert game["payoffs"][p][1][1] == pytest.approx(war[p], abs=1e-12)
    assert game["bundle_index"] == first["index"]
    pure = brute_pure(game["payoffs"])
    found = [
        (int(np.argmax(e["strategies"][0])), int(np.argmax(e["strategies"][1])))
        for e in game["equilibria"]
        if max(e["strategies"][0]) == 1 and max(e["strategies"][1]) == 1
    ]
    assert sorted(found) == sorted(pure) and pure
    assert all(e["verified"] for e in game["equilibria"])

    text = invoke(["run", str(WAR), "--no-record"])
    assert f"holdout game: {len(game['equilibria'])} equilibri" in text

    out = tmp_path / "run"
    invoke(["run", str(WAR), "--out", str(out)])
    with (out / "outcomes.csv").open(encoding="utf-8") as handle:
        assert next(csv.DictReader(handle))["holdout_pure"] == str(len(pure))
    assert column_kind("holdout_pure") == "number"
    assert int(sim.load_run(out)["holdout_pure"].iloc[0]) == len(pure)
    (stored,) = sim.open_run(out).outcomes.values()
    (read,) = [g for g in stored.games.games if isinstance(g, HoldoutOutcome)]
    assert read.pure == len(pure)
    assert np.array_equal(np.round(read.game.payoffs, 12), np.asarray(game["payoffs"]))

    assert "holdout: " in invoke(["games", str(WAR)])  # its payoff table, as a matrix
    invoke(["report", str(out), "--out", str(tmp_path / "report.md")])
    assert "holdout game" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_without_the_kind_nothing_is_added() -> None:
    document = json.loads(invoke(["run", str(WAR), "--json", "--no-record"]))
    assert all(g["name"] != "holdout" for g in document["equilibria"]["games"])


def test_a_stored_game_no_longer_registered_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(games, "GAMES", (*games.GAMES, HOLDOUT))
    out = tmp_path / "run"
    invoke(["run", str(WAR), "--out", str(out)])
    monkeypatch.undo()  # read back by a tool that does not know the game
    result = CliRunner().invoke(app, ["report", str(out), "--out", str(tmp_path / "r.md")])
    assert result.exit_code == 2
    assert "analysis.json" in result.output and "games[" in result.output
    assert "not one of ComplianceOutcome" in result.output
    assert not (tmp_path / "r.md").exists()

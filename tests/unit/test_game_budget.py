"""Game budgets: estimated before the work starts, refused (two players) or left out with a
note (three or more), never a run that does not end."""

from __future__ import annotations

import math
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.errors import InputError
from sim.games import budget
from sim.games.budget import GameTooLargeError, vertex_systems
from sim.games.equilibria import all_equilibria
from sim.games.game import Game, pure_equilibria, solve_game


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


def test_vertex_systems_count_every_pair_of_equal_label_sets() -> None:
    # brute force: one square system per (rows subset, columns subset) of equal size
    for m, n in [(1, 1), (2, 3), (4, 4), (5, 3)]:
        pairs = sum(
            1
            for k in range(min(m, n) + 1)
            for _ in combinations(range(m), k)
            for _ in combinations(range(n), k)
        )
        assert vertex_systems(m, n) == pairs == math.comb(m + n, m)


def nfg(path: Path, a: np.ndarray, b: np.ndarray) -> Path:
    m, n = a.shape
    numbers = [f"{a[r, c]:g} {b[r, c]:g}" for c in range(n) for r in range(m)]
    path.write_text(f'NFG 1 R "g" {{ "A" "B" }} {{ {m} {n} }}\n' + " ".join(numbers) + "\n")
    return path


@pytest.mark.parametrize("kind", ["random 16", "degenerate 20"])
def test_large_imported_games_are_refused_naming_the_file_and_option(
    tmp_path: Path, kind: str
) -> None:
    rng = np.random.default_rng(0)
    size = 16 if kind.startswith("random") else 20
    a = rng.integers(0, 100, (size, size)) if kind.startswith("random") else np.zeros((20, 20))
    b = rng.integers(0, 100, (size, size)) if kind.startswith("random") else np.zeros((20, 20))
    path = nfg(tmp_path / "big.nfg", a, b)
    code, output = invoke(["games", "--import", str(path)])
    assert code == 2 and "Traceback" not in output
    assert output.startswith("big.nfg") or "big.nfg: a " in output
    assert f"{size} x {size} game" in output
    assert f"{math.comb(2 * size, size):,} linear systems" in output
    assert "$SIM_MAX_VERTEX_SYSTEMS" in output


def test_the_limit_is_applied_after_removing_dominated_strategies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a 30 x 30 game whose first row and column strictly dominate: 1 x 1 is left, no refusal
    a = np.zeros((30, 30))
    a[0, :] = 1.0
    found = all_equilibria(a, a.T.copy(), eliminate_dominated=True)
    assert len(found.equilibria) == 1
    # and the limit is live: lowered below C(4, 2) = 6, a 2 x 2 game is refused
    monkeypatch.setenv("SIM_MAX_VERTEX_SYSTEMS", "5")
    with pytest.raises(GameTooLargeError, match="2 x 2 game"):
        all_equilibria(np.eye(2), np.eye(2))


def scenario(path: Path, parties: int, issues: int, options: int) -> Path:
    rng = np.random.default_rng(parties)
    document = {
        "name": "many",
        "issues": {f"i{i}": {"options": {f"o{k}": f"o{k}" for k in range(options)}}
                   for i in range(issues)},
        "parties": {
            f"p{p}": {
                "reservation": 0.2,
                "weights": {f"i{i}": int(rng.integers(1, 5)) for i in range(issues)},
                "values": {
                    f"i{i}": {f"o{k}": round(float(rng.random()), 2) for k in range(options)}
                    for i in range(issues)
                },
                "evidence": {f"i{i}": [{"assumption": "generated"}] for i in range(issues)},
            }
            for p in range(parties)
        },
    }  # fmt: skip
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_a_twelve_party_positions_game_is_left_out_by_name(tmp_path: Path) -> None:
    # 12 parties over 81 bundles: 3^12 = 531,441 profiles; once it ran for hours
    path = scenario(tmp_path / "many.yaml", 12, 4, 3)
    code, output = invoke(["run", str(path), "--no-record"])
    assert code == 0, output
    assert (
        "not built: the positions game: 12 players with 3 x 3 x 3 x 3 x 3 x 3 x 3 x 3 x 3 x 3 x 3"
        " x 3 = 531,441 strategy profiles, more than the limit of 200,000 (raise it with "
        "$SIM_MAX_PROFILES)"
    ) in output


def test_equilibria_beyond_the_check_budget_are_counted_not_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # four players, everyone indifferent: all 3^4 = 81 profiles are pure equilibria
    u = np.zeros((4, 3, 3, 3, 3))
    game = Game("flat", tuple("abcd"), (("x", "y", "z"),) * 4, u)
    whole = solve_game(game).solution
    assert len(whole.pure) == 81
    monkeypatch.setenv("SIM_MAX_CHECK_CELLS", str(4 * 81 * 10))  # ten checks
    cut = solve_game(game).solution
    assert cut.pure == whole.pure == tuple(pure_equilibria(u))  # every pure one still known
    assert len(cut.equilibria) == 10 and not cut.complete
    assert all(e.verified for e in cut.equilibria)
    assert [e.pure for e in cut.equilibria] == list(whole.pure[:10])
    assert "81 equilibria found (81 pure); only the first 10 are listed" in cut.not_computed
    assert "$SIM_MAX_CHECK_CELLS" in cut.not_computed


def test_a_malformed_budget_variable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIM_MAX_PROFILES", "lots")
    with pytest.raises(InputError, match=r"\$SIM_MAX_PROFILES: 'lots'"):
        budget.profiles_refusal((3, 3, 3), "the positions game")

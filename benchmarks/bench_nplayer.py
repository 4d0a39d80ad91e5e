"""Time the games with several players: random games, compliance and positions.

Usage: ``python benchmarks/bench_nplayer.py [--repeats N]``.

Random games: payoffs uniform on [-1, 1] (seed 0) for each shape; compliance games among
3 to 8 parties with random parameters; positions games among 3 and 4 parties over 2,000 random
acceptable bundles (3 demand levels each). Prints the best wall time of ``N`` runs, the number
of equilibria and whether the enumeration is complete; asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from sim.games.compliance import ComplianceModel, compliance_game
from sim.games.game import Game, Solution, solve_game
from sim.games.positions import positions_game


def best_of(repeats: int, run: Callable[[], Solution]) -> tuple[float, Solution]:
    times, solution = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        solution = run()
        times.append(time.perf_counter() - start)
    assert solution is not None
    return min(times), solution


def line(name: str, seconds: float, solution: Solution) -> str:
    status = "complete" if solution.complete else "incomplete"
    return f"{name:>28} | {seconds:>8.4f} | {len(solution.equilibria):>3} | {status}"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per case (best kept)")
    repeats = parser.parse_args().repeats
    print(f"{'game':>28} | {'best s':>8} | {'eq':>3} | enumeration")
    rng = np.random.default_rng(0)
    for shape in [(2, 2, 2), (3, 3, 3), (2, 2, 2, 2), (3, 3, 3, 3), (2,) * 5]:
        u = rng.uniform(-1.0, 1.0, (len(shape), *shape))
        labels = tuple(tuple(str(k) for k in range(s)) for s in shape)
        game = Game("random", tuple(str(i) for i in range(len(shape))), labels, u)
        seconds, solution = best_of(repeats, lambda game=game: solve_game(game).solution)
        print(line(f"random {'x'.join(map(str, shape))}", seconds, solution), flush=True)
    for n in (3, 4, 6, 8):
        model = ComplianceModel(
            tuple(range(n)),
            rng.uniform(0, 0.5, n),
            rng.uniform(0, 0.6, n),
            rng.uniform(0, 1, n),
            0.3,
            (np.array([0.0, 0.3]),),
            tuple((np.array([0.0, 0.5]),) for _ in range(n)),
        )
        agreement, war = rng.uniform(0.3, 0.9, n), rng.uniform(0.2, 0.7, n)
        players = tuple(str(k) for k in range(n))

        def compliance(
            model: ComplianceModel = model,
            players: tuple[str, ...] = players,
            agreement: np.ndarray = agreement,
            war: np.ndarray = war,
        ) -> Solution:
            result = compliance_game(model, players, 0, np.array([1]), agreement, war)
            return result.game.solution

        seconds, solution = best_of(repeats, compliance)
        print(line(f"compliance, {n} parties", seconds, solution), flush=True)
    for n in (3, 4):
        utilities = rng.uniform(0.0, 1.0, (2000, n))
        indices = np.arange(2000)
        players = tuple(str(k) for k in range(n))

        def positions(
            utilities: np.ndarray = utilities,
            indices: np.ndarray = indices,
            players: tuple[str, ...] = players,
        ) -> Solution:
            solved, _ = positions_game(players, utilities, indices, np.zeros(len(players)), None)
            return solved.solution

        seconds, solution = best_of(repeats, positions)
        print(line(f"positions, {n} parties", seconds, solution), flush=True)


if __name__ == "__main__":
    main()

"""Time the extreme-equilibrium enumerator against nashpy's enumerators.

Usage: ``python benchmarks/bench_equilibria.py [--budget SECONDS]``.

Random n×n games with standard normal payoffs (seed ``100 n + g``). nashpy runs in a
child process with a time budget; once a nashpy method exceeds it, that method is skipped
for every larger n. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
import warnings
from multiprocessing.connection import Connection

import nashpy as nash
import numpy as np
from numpy.typing import NDArray

from sim.games.equilibria import all_equilibria

SIZES = range(4, 13)
GAMES_PER_SIZE = 3
NASHPY_METHODS = ("support_enumeration", "vertex_enumeration")


def random_game(n: int, index: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    rng = np.random.default_rng(100 * n + index)
    return rng.standard_normal((n, n)), rng.standard_normal((n, n))


def _nashpy_child(method: str, n: int, index: int, pipe: Connection) -> None:
    A, B = random_game(n, index)
    if method == "vertex_enumeration":  # needs positive payoffs
        A, B = A - A.min() + 1.0, B - B.min() + 1.0
    game = nash.Game(A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        count = sum(1 for _ in getattr(game, method)())
        pipe.send((time.perf_counter() - start, count))


def time_nashpy(method: str, n: int, index: int, budget: float) -> tuple[float, int] | None:
    """Seconds and equilibrium count, or None past ``budget`` seconds."""
    receiver, sender = mp.Pipe(duplex=False)
    child = mp.Process(target=_nashpy_child, args=(method, n, index, sender))
    child.start()
    result: tuple[float, int] | None = None
    if receiver.poll(budget):
        result = receiver.recv()
    else:
        child.terminate()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per nashpy call")
    budget = parser.parse_args().budget
    timed_out: dict[str, int] = {}
    header = f"{'n':>3} {'seed':>5} | {'ours s':>8} {'#':>3} {'deg':>3}"
    header += "".join(f" | {method:>19} {'#':>3}" for method in NASHPY_METHODS)
    print(header)
    print("-" * len(header))
    for n in SIZES:
        for index in range(GAMES_PER_SIZE):
            A, B = random_game(n, index)
            start = time.perf_counter()
            found = all_equilibria(A, B)
            elapsed = time.perf_counter() - start
            ok = "" if all(e.verified for e in found.equilibria) else " UNVERIFIED"
            row = f"{n:>3} {100 * n + index:>5} | {elapsed:>8.3f} {len(found.equilibria):>3}"
            row += f" {'yes' if found.degenerate else 'no':>3}"
            for method in NASHPY_METHODS:
                if method in timed_out:
                    row += f" | {f'skipped (>{budget:g}s at n={timed_out[method]})':>23}"
                    continue
                result = time_nashpy(method, n, index, budget)
                if result is None:
                    timed_out[method] = n
                    row += f" | {f'timeout (>{budget:g}s)':>23}"
                else:
                    row += f" | {result[0]:>19.3f} {result[1]:>3}"
            print(row + ok, flush=True)


if __name__ == "__main__":
    main()

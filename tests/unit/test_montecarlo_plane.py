"""The two-party block layer against the core's frontier and solutions, draw by draw, on
coarse grids where exact ties between bundles (and on the tie-breaks) are common."""

from __future__ import annotations

import numpy as np

from sim.core.pareto import DEFAULT_TOL, distinct_pareto_front
from sim.core.solutions import bargaining_solutions
from sim.montecarlo.plane import plane_layer


def core(vectors: np.ndarray, keys: np.ndarray, floor: np.ndarray, power: np.ndarray) -> list[int]:
    front = distinct_pareto_front(vectors, DEFAULT_TOL, keys=keys)
    chosen = bargaining_solutions(
        vectors[front.rows], keys[front.rows], np.arange(2), floor, power, DEFAULT_TOL
    ).as_dict()
    names = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
    found = [chosen[name] for name in names]
    return [int(front.rows.shape[0])] + [-1 if s is None else s.index for s in found]


def test_plane_layer_equals_core_on_tied_grids() -> None:
    rng = np.random.default_rng(5)
    checked = 0
    for _ in range(40):
        n, width = 30, int(rng.integers(1, 12))
        counts = rng.integers(0, width + 1, size=n)
        valid = np.arange(width)[None, :] < counts[:, None]
        grid = int(rng.choice([3, 5, 20]))
        columns = [np.where(valid, rng.integers(0, grid, (n, width)) / grid, -np.inf) for _ in "ab"]
        indices = np.sort(rng.choice(1000, size=(n, width), replace=True), axis=1)
        indices = indices + np.arange(width)[None, :]  # ascending and distinct per draw
        floor = rng.integers(0, 3, size=(n, 2)) / 10.0
        power = rng.choice([0.5, 1.0, 2.0], size=(n, 2))
        result = plane_layer(columns, valid, indices, floor, power, DEFAULT_TOL)
        for d in range(n):
            count = int(counts[d])
            if count == 0:
                assert result.frontier[d] == 0 and (result.solutions[d] == -1).all()
                continue
            vectors = np.stack([c[d, :count] for c in columns], axis=1)
            expected = core(vectors, indices[d, :count], floor[d], power[d])
            got = [int(result.frontier[d]), *result.solutions[d].tolist()]
            assert not result.to_core[d]
            assert got == expected, (d, vectors, indices[d, :count], floor[d])
            checked += 1
    assert checked > 500


def test_near_ties_are_flagged() -> None:
    columns = [np.array([[0.3, 0.1 + 0.2]]), np.array([[0.5, 0.4]])]
    valid = np.ones((1, 2), dtype=np.bool_)
    result = plane_layer(
        columns, valid, np.array([[3, 7]]), np.zeros((1, 2)), np.ones((1, 2)), DEFAULT_TOL
    )
    assert result.to_core[0]
    exact = [np.array([[0.3, 0.3]]), np.array([[0.5, 0.4]])]
    assert not plane_layer(
        exact, valid, np.array([[3, 7]]), np.zeros((1, 2)), np.ones((1, 2)), DEFAULT_TOL
    ).to_core[0]

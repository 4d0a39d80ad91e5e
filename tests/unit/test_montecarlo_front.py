"""The many-judge block layer (sim.montecarlo.front) against the per-draw core, draw by draw:
2-5 judges, with and without consent deciders, on coarse grids where exact ties between bundles
(and on the tie-breaks) are common, with blocks wide enough for the first strike to work."""

from __future__ import annotations

import numpy as np
import pytest

import sim.montecarlo.front as front_module
from sim.core.pareto import DEFAULT_TOL
from sim.montecarlo.front import front_layer
from sim.montecarlo.static import _core_draw


def random_block(rng: np.random.Generator, consent: bool) -> tuple:
    n, width, m = 12, int(rng.integers(1, 90)), int(rng.integers(2, 6))
    counts = rng.integers(0, width + 1, size=n)
    valid = np.arange(width)[None, :] < counts[:, None]
    grid = int(rng.choice([2, 3, 5, 20]))
    columns = [np.where(valid, rng.integers(0, grid, (n, width)) / grid, -np.inf) for _ in range(m)]
    indices = np.sort(rng.choice(5000, size=(n, width), replace=True), axis=1)
    indices = indices + np.arange(width)[None, :]  # ascending and distinct per draw
    floor = rng.integers(0, 4, size=(n, m)) / 10.0
    power = rng.choice([0.5, 1.0, 2.0], size=(n, m))
    vetoes = deciders = None
    if consent:
        vetoes = np.zeros(m, dtype=np.bool_)
        vetoes[: int(rng.integers(1, m))] = True
        deciders = rng.random((n, width, m)) < 0.5
        deciders |= vetoes[None, None, :]
    return columns, valid, indices, floor, power, deciders, vetoes, counts


def per_draw(block: tuple, d: int) -> list[int]:
    columns, _, indices, floor, power, deciders, vetoes, counts = block
    count = int(counts[d])
    if count == 0:
        return [0, -1, -1, -1, -1]
    vectors = np.stack([c[d, :count] for c in columns], axis=1)
    size, solutions = _core_draw(
        vectors,
        indices[d, :count],
        floor[d],
        power[d],
        DEFAULT_TOL,
        None if deciders is None else deciders[d, :count],
        vetoes,
    )
    return [size, *solutions]


@pytest.mark.parametrize("consent", [False, True])
def test_front_layer_equals_the_core_draw_by_draw(consent: bool) -> None:
    rng = np.random.default_rng(11 if consent else 12)
    checked = 0
    for _ in range(60):
        block = random_block(rng, consent)
        columns, valid, indices, floor, power, deciders, vetoes, counts = block
        result = front_layer(columns, valid, indices, floor, power, DEFAULT_TOL, deciders, vetoes)
        for d in range(valid.shape[0]):
            assert not result.to_core[d]
            got = [int(result.frontier[d]), *result.solutions[d].tolist()]
            assert got == per_draw(block, d), d
            checked += int(counts[d] > 0)
    assert checked > 500


@pytest.mark.parametrize("strikes", [(), (1,), (2, 3), (200,)])
def test_any_number_of_strikes_gives_the_same_front(strikes, monkeypatch) -> None:
    """The first strike only saves work: none, one row, or more rows than a draw has."""
    rng = np.random.default_rng(13)
    monkeypatch.setattr(front_module, "STRIKES", strikes)
    for _ in range(15):
        block = random_block(rng, True)
        columns, valid, indices, floor, power, deciders, vetoes, _ = block
        result = front_layer(columns, valid, indices, floor, power, DEFAULT_TOL, deciders, vetoes)
        for d in range(valid.shape[0]):
            assert [int(result.frontier[d]), *result.solutions[d].tolist()] == per_draw(block, d)


def test_small_pair_budget_splits_draws_into_many_chunks(monkeypatch) -> None:
    rng = np.random.default_rng(14)
    monkeypatch.setattr(front_module, "PAIR_CELLS", 50)
    block = random_block(rng, True)
    columns, valid, indices, floor, power, deciders, vetoes, _ = block
    result = front_layer(columns, valid, indices, floor, power, DEFAULT_TOL, deciders, vetoes)
    for d in range(valid.shape[0]):
        assert [int(result.frontier[d]), *result.solutions[d].tolist()] == per_draw(block, d)


def test_near_ties_are_left_to_the_core() -> None:
    columns = [np.array([[0.3, 0.1 + 0.2, 0.0]]), np.array([[0.5, 0.4, 0.9]]), np.ones((1, 3))]
    valid = np.ones((1, 3), dtype=np.bool_)
    args = (np.array([[3, 7, 9]]), np.zeros((1, 3)), np.ones((1, 3)), DEFAULT_TOL)
    assert front_layer(columns, valid, *args).to_core[0]
    columns[0] = np.array([[0.3, 0.3, 0.0]])
    assert not front_layer(columns, valid, *args).to_core[0]


def test_a_strike_that_also_takes_the_strikers_twins_is_caught(monkeypatch) -> None:
    """The checks above can fail: a strike that also strikes a striker with a twin (identical
    vector, higher bundle index) lists the vector under the twin's index, which the core does
    not (SPEC §1: ties go to the lowest index)."""

    def greedy(columns, valid, strikers):
        live = original(columns, valid, strikers)
        sums = np.where(valid, sum(columns), -np.inf)
        top = np.argmax(sums, axis=1)
        draws = np.arange(valid.shape[0])
        twin = valid.copy()
        for column in columns:
            twin &= column == column[draws, top][:, None]
        twin[draws, top] = False
        has_twin = twin.any(axis=1)
        live[draws[has_twin], top[has_twin]] = False  # the striker goes, its twins stay
        return live

    original = front_module.strike
    rng = np.random.default_rng(15)
    blocks = [random_block(rng, False) for _ in range(20)]
    monkeypatch.setattr(front_module, "strike", greedy)
    mismatches = 0
    for block in blocks:
        columns, valid, indices, floor, power, deciders, vetoes, _ = block
        result = front_layer(columns, valid, indices, floor, power, DEFAULT_TOL, deciders, vetoes)
        for d in range(valid.shape[0]):
            got = [int(result.frontier[d]), *result.solutions[d].tolist()]
            mismatches += got != per_draw(block, d)
    assert mismatches > 0


def test_draws_taken_a_few_at_a_time_give_the_same_results(monkeypatch) -> None:
    rng = np.random.default_rng(16)
    block = random_block(rng, True)
    columns, valid, indices, floor, power, deciders, vetoes, _ = block
    whole = front_layer(columns, valid, indices, floor, power, DEFAULT_TOL, deciders, vetoes)
    monkeypatch.setattr(front_module, "PIECE_DRAWS", 5)  # 12 draws: pieces of 5, 5 and 2
    pieces = front_layer(columns, valid, indices, floor, power, DEFAULT_TOL, deciders, vetoes)
    assert np.array_equal(whole.frontier, pieces.frontier)
    assert np.array_equal(whole.solutions, pieces.solutions)
    for d in range(valid.shape[0]):
        assert [int(pieces.frontier[d]), *pieces.solutions[d].tolist()] == per_draw(block, d)


def test_a_draw_too_wide_for_every_pair_is_left_to_the_core(monkeypatch) -> None:
    """The pairwise comparison has a size limit: a draw with more survivors than it may hold
    (many judges put most bundles on the front) is flagged for the core, never compared."""
    rng = np.random.default_rng(17)
    block = random_block(rng, True)
    columns, valid, indices, floor, power, deciders, vetoes, counts = block
    whole = front_layer(columns, valid, indices, floor, power, DEFAULT_TOL, deciders, vetoes)
    monkeypatch.setattr(front_module, "WIDEST", 3)
    narrow = front_layer(columns, valid, indices, floor, power, DEFAULT_TOL, deciders, vetoes)
    assert narrow.to_core.any() and not narrow.to_core.all()
    for d in range(valid.shape[0]):
        if narrow.to_core[d]:
            assert counts[d] > 3 and narrow.frontier[d] == 0  # not decided here
        else:
            assert narrow.frontier[d] == whole.frontier[d]
            assert np.array_equal(narrow.solutions[d], whole.solutions[d])

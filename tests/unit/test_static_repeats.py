"""Draws with the same compiled numbers are evaluated once by the static layer and the result
is the same as each draw evaluated alone (the one-at-a-time design repeats many rows)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim.montecarlo.static as static_module
from sim.model import load_scenario
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.static import BlockResult, build_structure, distinct_rows, evaluate_block

WAR = Path(__file__).resolve().parents[1] / "fixtures" / "war" / "baseline.yaml"


def same_per_draw(block: BlockResult, alone: list[BlockResult]) -> None:
    for d, one in enumerate(alone):
        assert block.acceptable[d] == one.acceptable[0], d
        assert block.frontier[d] == one.frontier[0], d
        assert np.array_equal(block.solutions[d], one.solutions[0]), d
        assert np.array_equal(block.verdicts[d], one.verdicts[0]), d
        assert np.array_equal(block.completable[d], one.completable[0]), d
        for name in ("surplus", "utility_low", "utility_high", "reservations"):
            assert np.array_equal(
                getattr(block.measures, name)[d], getattr(one.measures, name)[0], equal_nan=True
            ), (d, name)
    assert np.array_equal(block.bundle_counts, sum(one.bundle_counts for one in alone))


@pytest.fixture(scope="module")
def case() -> tuple[object, np.ndarray]:
    loaded = load_scenario(WAR)
    judgments = resolve_judgments(loaded)
    structure = build_structure(loaded, judgments)
    drawn = draw_block(judgments, 3, 0, 6)
    base = np.array([j.base for j in judgments])
    # repeats, the stated values, and the stated values with one judgment moved
    moved = [base.copy() for _ in judgments]
    for j, row in enumerate(moved):
        row[j] *= 1.1
    rows = np.vstack([drawn, drawn[[2, 0]], base, base, *moved[:12], drawn[[5]]])
    return structure, rows


def test_repeated_draws_equal_each_draw_alone(case) -> None:  # type: ignore[no-untyped-def]
    structure, rows = case
    tables, reservation, power = static_module.block_arrays(structure, rows)
    first, _ = distinct_rows([*tables, reservation, power], len(rows))
    assert len(first) <= len(rows) - 4  # the repeats are found
    block = evaluate_block(structure, rows)
    same_per_draw(block, [evaluate_block(structure, rows[d : d + 1]) for d in range(len(rows))])


def test_the_check_catches_results_of_the_wrong_draw(case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Mutation: the evaluated rows handed back in the order they were found, not per draw."""
    structure, rows = case
    original = distinct_rows

    def unmapped(arrays, n):  # type: ignore[no-untyped-def]
        first, where = original(arrays, n)
        return first, np.sort(where)

    alone = [evaluate_block(structure, rows[d : d + 1]) for d in range(len(rows))]
    monkeypatch.setattr(static_module, "distinct_rows", unmapped)
    with pytest.raises(AssertionError):
        same_per_draw(evaluate_block(structure, rows), alone)


def test_rows_the_same_bit_for_bit_only() -> None:
    """0.0 and -0.0 compare equal but are kept apart; equal rows share their first."""
    a = np.array([[0.0, 1.0], [-0.0, 1.0], [0.0, 1.0], [2.0, 3.0], [-0.0, 1.0]])
    first, where = distinct_rows([a], 5)
    assert first.tolist() == [0, 1, 3]
    assert where.tolist() == [0, 1, 0, 2, 1]
    assert distinct_rows([a[:0]], 0)[0].shape == (0,)


@pytest.mark.parametrize("parties", [1, 4, 64, 65])
def test_packed_deciders_equal_the_flags(parties: int) -> None:
    """Whose consent a bundle needs, read from each half's packed bits, equals the flags
    gathered one by one (65 parties: no packing, the flags themselves)."""
    from sim.montecarlo.static import ConsentHalves

    rng = np.random.default_rng(parties)
    needs = (rng.random((7, parties)) < 0.4, rng.random((5, parties)) < 0.4)
    halves = ConsentHalves(needs, needs)
    assert (halves.packed is None) == (parties > 64)
    first, second = rng.integers(0, 7, (3, 9)), rng.integers(0, 5, (3, 9))
    expected = needs[0][first] | needs[1][second]
    assert np.array_equal(halves.deciders_at(first, second), expected)
    columns = np.array([parties - 1, 0])
    assert np.array_equal(halves.deciders_at(first, second, columns), expected[..., columns])

"""The utilities and marks of bundles, gathered party by party for speed, equal a plain loop
over bundles and issues: the utilities float for float (the same additions in issue order),
the marks (red lines, consent) exactly."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.problem import Problem
from sim.core.space import decode
from sim.core.utility import approvals, bundle_utilities, deciders, marked
from tests.property.strategies import problems


def looped(problem: Problem, digits: np.ndarray) -> np.ndarray:
    """Oracle: each bundle's utility to each party, summed issue by issue from 0.0."""
    out = np.zeros((digits.shape[0], problem.n_parties))
    for b, row in enumerate(digits.tolist()):
        for i in range(problem.n_parties):
            total = 0.0
            for k, option in enumerate(row):
                total += float(problem.tables[k][i, option])
            out[b, i] = total
    return out


def looped_marks(tables: list[np.ndarray], digits: np.ndarray, parties: int) -> np.ndarray:
    return np.array(
        [
            [any(bool(t[i, o]) for t, o in zip(tables, row, strict=True)) for i in range(parties)]
            for row in digits.tolist()
        ],
        dtype=np.bool_,
    ).reshape(digits.shape[0], parties)


@settings(max_examples=60, deadline=None)
@given(problems(), st.data())
def test_gathered_utilities_and_marks_equal_a_loop(problem: Problem, data: st.DataObject) -> None:
    size = int(np.prod(problem.radices))
    chosen = data.draw(st.lists(st.integers(0, size - 1), max_size=40))
    for indices in (np.arange(size), np.array(chosen, dtype=np.int64)):
        digits = decode(indices, problem.radices)
        for given_digits in (digits, np.ascontiguousarray(digits)):  # either memory order
            got = bundle_utilities(problem, given_digits)
            assert got.flags["C_CONTIGUOUS"] and got.shape == (indices.size, problem.n_parties)
            assert got.tobytes() == looped(problem, given_digits).tobytes()
            lines = list(problem.red_lines)
            hits = looped_marks(lines, given_digits, problem.n_parties)
            assert np.array_equal(marked(lines, given_digits, problem.n_parties), hits)
            reservation = problem.reservation[None, :] - 1e-12
            expected = (got >= reservation) & ~hits
            assert np.array_equal(approvals(problem, given_digits, got), expected)
            consent = tuple(
                np.array(
                    data.draw(st.lists(st.booleans(), min_size=r * n, max_size=r * n))
                ).reshape(n, r)
                for n in [problem.n_parties]
                for r in problem.radices.tolist()
            )
            with_consent = dataclasses.replace(problem, consent=consent)
            needed = looped_marks(list(consent), given_digits, problem.n_parties)
            assert np.array_equal(
                deciders(with_consent, given_digits), needed | problem.veto[None, :]
            )


@settings(max_examples=40, deadline=None)
@given(problems(), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_utilities_of_many_draws_at_once_equal_each_draws_own(
    problem: Problem, draws: int, seed: int
) -> None:
    """Value tables with a leading draw axis (a Monte Carlo block): each draw's utilities are
    the bytes that draw's own problem gives."""
    rng = np.random.default_rng(seed)
    tables = [t[None] + rng.integers(-3, 4, (draws, *t.shape)) / 7 for t in problem.tables]
    digits = decode(np.arange(int(np.prod(problem.radices))), problem.radices)
    block = bundle_utilities(problem, digits, tables)
    assert block.flags["C_CONTIGUOUS"] and block.shape == (
        draws,
        digits.shape[0],
        problem.n_parties,
    )
    for d in range(draws):
        own = dataclasses.replace(problem, tables=tuple(np.ascontiguousarray(t[d]) for t in tables))
        assert block[d].tobytes() == looped(own, digits).tobytes()

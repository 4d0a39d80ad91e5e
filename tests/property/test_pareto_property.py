"""The Pareto filter against a plain-Python brute force and the pairwise filter it replaced.

Points are drawn with 2-6 columns on coarse grids (ties, equal coordinates) and at tolerance
edges (values a fraction of ``tol`` apart chain into one class; values just beyond it do not).
The k-d tree merge of :mod:`sim.core.maxima` only starts above its leaf sizes, so every check
also runs with those shrunk to a row or two and with the traversal cut into batches of a few
pairs, which sends small inputs down every branch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.core import maxima, pareto
from sim.core.pareto import distinct_pareto_front

EDGES = (0.0, 0.4, 0.9, 1.0, 1.6, 2.5, 1000.0)
"""Offsets in units of ``tol``: within it (chained), at it, and beyond it."""


def brute_front(
    rows: list[list[float]], keys: list[int], counts: list[int], tol: float
) -> list[tuple[int, int]]:
    """(row of the lowest key, multiplicity) of each non-dominated distinct vector, by key.

    Plain Python: a column's values form one class while consecutive sorted values are at
    most ``tol`` apart; vectors are compared by their classes, every pair."""
    columns = len(rows[0]) if rows else 0
    classes: list[dict[float, int]] = []
    for j in range(columns):
        label: dict[float, int] = {}
        rank, previous = 0, None
        for value in sorted({row[j] for row in rows}):
            if previous is not None and value - previous > tol:
                rank += 1
            label[value] = rank
            previous = value
        classes.append(label)
    groups: dict[tuple[int, ...], list[int]] = {}  # class vector -> [row of lowest key, count]
    for r, row in enumerate(rows):
        vector = tuple(classes[j][row[j]] for j in range(columns))
        if vector not in groups:
            groups[vector] = [r, 0]
        elif keys[r] < keys[groups[vector][0]]:
            groups[vector][0] = r
        groups[vector][1] += counts[r]
    front = [
        (first, total)
        for vector, (first, total) in groups.items()
        if not any(
            other != vector and all(o >= v for o, v in zip(other, vector, strict=True))
            for other in groups
        )
    ]
    return sorted(front, key=lambda item: keys[item[0]])


@contextmanager
def tiny_leaves(leaf: int = 2, parts: int = 1) -> Iterator[None]:
    """Every branch of the tree merge on small inputs."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(maxima, "LEAF_ROWS", 2)
        patch.setattr(maxima, "TREE_LEAF", leaf)
        patch.setattr(maxima, "SUBLEAVES", parts)
        patch.setattr(maxima, "TREE_PAIRS", 3)
        yield


@contextmanager
def pairwise_filter() -> Iterator[None]:
    """The filter before the divide and conquer: every candidate against every survivor."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pareto, "maxima", maxima.blocked_maxima)
        yield


@st.composite
def point_sets(draw: st.DrawFn) -> tuple[list[list[float]], list[int], list[int], float]:
    columns = draw(st.integers(2, 6))
    n = draw(st.integers(0, 60))
    tol = draw(st.sampled_from([1e-12, 1e-9]))
    grid = draw(st.sampled_from([1, 2, 3, 10, 1000]))
    edged = draw(st.booleans())
    rows = []
    for _ in range(n):
        row = []
        for _ in range(columns):
            value = draw(st.integers(0, grid)) / grid
            if edged:
                value += draw(st.sampled_from(EDGES)) * tol
            row.append(value)
        rows.append(row)
    keys = draw(st.permutations(range(n)))
    counts = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    return rows, list(keys), counts, tol


def _engine(
    rows: list[list[float]], keys: list[int], counts: list[int], tol: float, columns: int
) -> list[tuple[int, int]]:
    points = np.array(rows, dtype=np.float64).reshape(len(rows), columns)
    front = distinct_pareto_front(
        points, tol, keys=np.array(keys, dtype=np.int64), counts=np.array(counts, dtype=np.int64)
    )
    return list(zip(front.rows.tolist(), front.multiplicity.tolist(), strict=True))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(point_sets())
def test_filter_equals_brute_force_and_the_pairwise_filter(
    case: tuple[list[list[float]], list[int], list[int], float],
) -> None:
    rows, keys, counts, tol = case
    columns = len(rows[0]) if rows else 3
    expected = brute_front(rows, keys, counts, tol)
    assert _engine(rows, keys, counts, tol, columns) == expected
    for leaf, parts in ((1, 1), (2, 2), (5, 1), (4, 4)):
        with tiny_leaves(leaf, parts):
            assert _engine(rows, keys, counts, tol, columns) == expected
    with pairwise_filter():
        assert _engine(rows, keys, counts, tol, columns) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda m: st.tuples(
            st.lists(st.lists(st.integers(0, 4), min_size=m, max_size=m), max_size=40),
            st.lists(st.lists(st.integers(0, 4), min_size=m, max_size=m), max_size=40),
        )
    )
)
def test_covering_equals_every_pair(case: tuple[list[list[int]], list[list[int]]]) -> None:
    candidates, others = case
    expected = [
        any(all(o >= c for o, c in zip(b, a, strict=True)) for b in others) for a in candidates
    ]
    m = len((candidates or others or [[0]])[0])
    a = np.array(candidates, dtype=np.int32).reshape(len(candidates), m)
    b = np.array(others, dtype=np.int32).reshape(len(others), m)
    assert maxima.covered_blocked(a, b).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(
    st.integers(3, 6).flatmap(
        lambda m: st.sets(st.tuples(*[st.integers(-3, 3)] * m), min_size=1, max_size=80).map(sorted)
    ),
    st.sampled_from([1, 2, 3, 8]),
    st.sampled_from([1, 2, 5, 1 << 16]),
    st.sampled_from([1, 2, 4]),
)
def test_tree_merge_equals_every_pair(
    rows: list[tuple[int, ...]], leaf: int, pairs: int, parts: int
) -> None:
    """Distinct integer rows (negative ones too), any leaf size, parts of a leaf and batch of
    pairs."""
    expected = [
        not any(
            other != row and all(o >= r for o, r in zip(other, row, strict=True)) for other in rows
        )
        for row in rows
    ]
    points = np.array(rows, dtype=np.int64)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(maxima, "TREE_LEAF", leaf)
        patch.setattr(maxima, "TREE_PAIRS", pairs)
        patch.setattr(maxima, "SUBLEAVES", parts)
        assert maxima._tree_maxima(points).tolist() == expected


def test_a_forgotten_comparison_is_caught() -> None:
    """The checks above can fail: a merge that never compares the rows of two paired leaves
    (only whole cells are struck) keeps dominated points on the front."""
    rng = np.random.default_rng(3)
    rows = (rng.integers(0, 3, size=(60, 4)) / 2).tolist()
    keys, counts = list(range(60)), [1] * 60
    expected = brute_front(rows, keys, counts, 1e-12)

    def forgetful(*args: object) -> np.ndarray:
        return np.zeros(0, dtype=np.int64)

    with tiny_leaves(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(maxima, "_strike_in_leaves", forgetful)
        assert _engine(rows, keys, counts, 1e-12, 4) != expected
    with tiny_leaves():
        assert _engine(rows, keys, counts, 1e-12, 4) == expected

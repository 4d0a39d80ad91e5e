"""`sim.core.distinct` against its oracle, numpy's own set functions, on random arrays."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.distinct import absent_indices, distinct_indices, distinct_values


@pytest.mark.parametrize("seed", range(20))
def test_distinct_values_equal_numpy_unique(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(50):
        n = int(rng.integers(0, 30))
        values = np.round(rng.random(n) * 3, 1)
        values[rng.random(n) < 0.1] = np.nan
        values[rng.random(n) < 0.1] = -0.0
        expected, found = np.unique(values), distinct_values(values)
        assert found.dtype == expected.dtype
        assert np.array_equal(found, expected, equal_nan=True)
        assert np.array_equal(np.signbit(found), np.signbit(expected))


@pytest.mark.parametrize("seed", range(20))
def test_index_sets_equal_numpy_unique_and_setdiff(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(50):
        bound = int(rng.integers(1, 12))
        indices = rng.integers(0, bound, size=int(rng.integers(0, 20)))
        assert np.array_equal(distinct_indices(indices, bound), np.unique(indices))
        everything = np.arange(bound, dtype=np.intp)
        assert np.array_equal(absent_indices(indices, bound), np.setdiff1d(everything, indices))

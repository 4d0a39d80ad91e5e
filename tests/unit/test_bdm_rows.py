"""BDM's success probabilities for every dimension at once equal one dimension at a time, to
the last bit (ties, coinciding positions and zero weights included)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.spatial.bdm import BATCH_ACTORS, _probability_1d, _probability_rows


@pytest.mark.parametrize("how", ["votes", "count"])
@pytest.mark.parametrize("third", [False, True])
def test_rows_equal_one_dimension_at_a_time(how: str, third: bool) -> None:
    rng = np.random.default_rng(7)
    for n in range(1, BATCH_ACTORS + 1):
        for _ in range(20):
            x = rng.integers(0, 4, size=(6, n)).astype(float) * rng.choice([0.5, 1.3])  # ties
            x[1] = rng.normal(size=n)
            w = rng.uniform(size=(6, n))
            w[2, 0] = 0.0
            batch = _probability_rows(x, w, how, third)
            for k in range(x.shape[0]):
                one = _probability_1d(x[k], w[k], how, third)
                assert np.array_equal(batch[k], one), (n, k, how, third)

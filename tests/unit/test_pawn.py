"""PAWN over every judgment at once equals SALib's one-at-a-time implementation."""

from __future__ import annotations

import numpy as np
import pytest

from sim.montecarlo.sensitivity import SLICES, pawn_medians

pawn = pytest.importorskip("SALib.analyze.pawn", reason="the oracle is SALib's PAWN")


def salib(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    problem = {
        "num_vars": x.shape[1],
        "names": [f"x{i}" for i in range(x.shape[1])],
        "bounds": [[float(c.min()), float(c.max())] for c in x.T],
    }
    return np.asarray(pawn.analyze(problem, x, y, S=SLICES)["median"], dtype=np.float64)


@pytest.mark.parametrize("n", [200, 997, 1000])
def test_equals_salib_on_continuous_binary_and_tied_samples(n: int) -> None:
    rng = np.random.default_rng(n)
    x = np.column_stack(
        [
            rng.uniform(size=n),
            rng.normal(size=n),
            rng.integers(0, 4, size=n).astype(float),  # ties: slices may be empty
            rng.uniform(size=n),
        ]
    )
    outputs = {
        "continuous": x[:, 0] * 2 + np.sin(x[:, 1]) + rng.normal(scale=0.1, size=n),
        "binary": (x[:, 0] + 0.3 * x[:, 1] > 0.6).astype(float),
        "discrete": np.round(x[:, 0] * 3 + x[:, 2]),
    }
    for name, y in outputs.items():
        ours, theirs = pawn_medians(x, y, SLICES), salib(x, y)
        assert np.allclose(ours, theirs, rtol=0, atol=1e-12, equal_nan=True), (name, ours, theirs)


def test_an_inert_column_scores_less_than_a_deciding_one() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(size=(2000, 2))
    medians = pawn_medians(x, (x[:, 0] > 0.5).astype(float), SLICES)
    assert medians[0] > 0.4 and medians[1] < 0.1

"""Common random numbers and the truncated inverse CDFs, against independent implementations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.montecarlo.draws import draw_block, support, uniforms, values
from sim.montecarlo.judgments import Judgment


def judgment(name: str, params: tuple[float, ...], low: float = 0.0, high: float = 1.0) -> Judgment:
    return Judgment("x", "values", 0.5, name, params, low, high, "x", "test")


def test_draw_n_is_the_same_in_any_block() -> None:
    whole = uniforms(11, "parties.a.values.i.o", 0, 1000)
    assert ((whole > 0) & (whole < 1)).all()
    pieces = np.concatenate(
        [uniforms(11, "parties.a.values.i.o", a, b) for a, b in [(0, 3), (3, 250), (250, 1000)]]
    )
    assert (pieces == whole).all()
    assert not np.allclose(whole, uniforms(12, "parties.a.values.i.o", 0, 1000))
    assert not np.allclose(whole, uniforms(11, "parties.b.values.i.o", 0, 1000))
    # uniform on (0, 1): the mean within 4 standard errors of 1/2
    assert abs(whole.mean() - 0.5) < 4 * np.sqrt(1 / 12 / 1000)


def test_uniform_is_truncated_not_clipped() -> None:
    j = judgment("uniform", (-0.5, 0.5))
    drawn = values(j, uniforms(1, "u", 0, 20000))
    assert drawn.min() >= 0.0 and drawn.max() <= 0.5
    assert (drawn == 0.0).sum() == 0  # no mass piled on the bound
    assert abs(drawn.mean() - 0.25) < 4 * 0.5 / np.sqrt(12 * 20000)


def test_triangular_quantiles_match_numpy_sampler() -> None:
    j = judgment("triangular", (0.1, 0.3, 0.9))
    q = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    sample = np.random.default_rng(0).triangular(0.1, 0.3, 0.9, size=400_000)
    assert values(j, q) == pytest.approx(np.quantile(sample, q), abs=0.005)


def test_truncated_triangular_matches_conditioning() -> None:
    j = judgment("triangular", (-0.5, 0.0, 1.5))
    q = np.array([0.1, 0.5, 0.9])
    sample = np.random.default_rng(1).triangular(-0.5, 0.0, 1.5, size=600_000)
    kept = sample[(sample >= 0.0) & (sample <= 1.0)]
    assert values(j, q) == pytest.approx(np.quantile(kept, q), abs=0.005)


def test_truncated_normal_matches_scipy_truncnorm() -> None:
    j = judgment("normal", (0.9, 0.2))
    q = np.linspace(0.01, 0.99, 9)
    law = stats.truncnorm((0.0 - 0.9) / 0.2, (1.0 - 0.9) / 0.2, loc=0.9, scale=0.2)
    assert values(j, q) == pytest.approx(law.ppf(q), abs=1e-9)


def test_beta_is_scaled_to_the_fields_range() -> None:
    j = judgment("beta", (2.0, 5.0), low=-1.0, high=1.0)
    q = np.array([0.1, 0.5, 0.9])
    assert values(j, q) == pytest.approx(-1.0 + 2.0 * stats.beta.ppf(q, 2.0, 5.0), abs=1e-9)


def test_support_ends() -> None:
    assert support(judgment("uniform", (-0.2, 0.4))) == (0.0, 0.4)
    low, high = support(judgment("normal", (0.5, 0.1)))
    assert low == pytest.approx(0.5 - 1.959964 * 0.1, abs=1e-4)
    assert high == pytest.approx(0.5 + 1.959964 * 0.1, abs=1e-4)


def test_a_group_shares_one_uniform() -> None:
    a = Judgment("a", "levers", 1.0, "uniform", (0.0, 2.0), -np.inf, np.inf, "group:g", "")
    b = Judgment("b", "levers", 0.0, "normal", (0.0, 1.0), -np.inf, np.inf, "group:g", "")
    c = Judgment("c", "levers", 0.0, "uniform", (0.0, 1.0), -np.inf, np.inf, "c", "")
    block = draw_block((a, b, c), 5, 0, 500)
    order_a, order_b = np.argsort(block[:, 0]), np.argsort(block[:, 1])
    assert (order_a == order_b).all()  # comonotone: one draw moves both
    assert abs(np.corrcoef(block[:, 0], block[:, 2])[0, 1]) < 0.2
    # block independence holds for groups too
    assert (draw_block((a, b, c), 5, 100, 200) == block[100:200]).all()

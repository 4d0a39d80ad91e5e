"""BDM's first round on the EC emissions fixture against a plain-Python implementation of
docs/spatial.md (tests/property/spatial_oracle.py), option by option."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.model.resolve import load_scenario
from sim.spatial import bdm
from sim.spatial.bdm import OFFER_KINDS, BdmOptions, bdm_round, run_bdm, success_probability
from sim.spatial.problem import spatial_problem
from tests.property.spatial_oracle import bdm_first_round

FIXTURE = Path(__file__).parents[1] / "fixtures" / "spatial" / "ec-emissions.yaml"

VARIANTS = [
    {},
    {"group": "mean"},
    {"probability": "count"},
    {"q": 0.5, "t": 0.3},
    {"security": "own"},
    {"perception": "challenger"},
    {"conflict": "probability"},
    {"voters": "third"},
    {"voters": "third", "probability": "count"},
]


def _ec() -> tuple[list[float], list[float], list[float]]:
    problem = spatial_problem(load_scenario(FIXTURE).scenario)
    return (
        [float(v) for v in problem.positions[:, 0]],
        [float(v) for v in problem.salience[:, 0]],
        [float(v) for v in problem.capability],
    )


def _disagreements(x: list[float], s: list[float], c: list[float], variant: dict) -> list[str]:
    """Where the engine's first round differs from the oracle's (empty: they agree)."""
    ref = bdm_first_round(x, s, c, 6.0, **variant)
    got = bdm_round(
        np.array([x]), np.array([s]), np.array(c), np.array([6.0]), BdmOptions(**variant)
    )
    out = []
    for i, r in enumerate(ref.risk):
        if abs(got.risk[0, i] - r) > 1e-9:
            out.append(f"risk {i}: {got.risk[0, i]} != {r}")
    for i in range(len(x)):
        for j in range(len(x)):
            kind = OFFER_KINDS[got.offers[0, i, j]]
            want = ref.offers.get((i, j), ("none", float("nan")))
            if kind != want[0]:
                out.append(f"offer {i}->{j}: {kind} != {want[0]}")
            elif kind != "none" and abs(got.proposed[0, i, j] - want[1]) > 1e-9:
                out.append(f"offer {i}->{j} to {got.proposed[0, i, j]} != {want[1]}")
    if list(got.accepted[0]) != ref.accepted:
        out.append(f"accepted {list(got.accepted[0])} != {ref.accepted}")
    if not np.allclose(got.after[0], ref.after, atol=1e-9):
        out.append(f"after {list(got.after[0])} != {ref.after}")
    return out


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: ",".join(v) or "default")
def test_first_round_on_the_ec_fixture_matches_the_oracle(variant: dict) -> None:
    x, s, c = _ec()
    assert _disagreements(x, s, c, variant) == []


def test_the_first_round_has_offers_of_every_kind_to_check() -> None:
    """The comparison above is not vacuous: the default first round on the fixture has
    conflicts, a compromise, risk exponents spread over [0.5, 2] and actors that move."""
    x, s, c = _ec()
    ref = bdm_first_round(x, s, c, 6.0)
    kinds = {kind for kind, _ in ref.offers.values()}
    assert {"conflict", "compromise"} <= kinds
    assert min(ref.risk) == pytest.approx(0.5) and max(ref.risk) == pytest.approx(2.0)
    assert sum(a != b for a, b in zip(ref.after, x, strict=True)) >= 5


@pytest.mark.parametrize(
    "mutant",
    [
        "risk_exponents",  # R's sign flipped: the secure become risk acceptant
        "success_probability",  # P(i beats j) read the other way round
    ],
)
def test_a_wrong_variant_is_caught(mutant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    x, s, c = _ec()
    original = getattr(bdm, mutant)
    if mutant == "risk_exponents":
        monkeypatch.setattr(bdm, mutant, lambda sec: original(-sec))
    else:
        monkeypatch.setattr(bdm, mutant, lambda *a: np.swapaxes(original(*a), -1, -2))
    assert _disagreements(x, s, c, {}) != []


def test_probability_by_prefix_sums_equals_the_direct_sum() -> None:
    """The ``O(n^2 log n)`` path equals summing every third party's vote (ties included)."""
    rng = np.random.default_rng(5)
    for trial in range(60):
        n = int(rng.integers(1, 9))
        x = rng.integers(0, 4, size=(2, n)).astype(float) if trial % 2 else rng.random((2, n))
        w = rng.random((2, n))
        for how, third in [(h, t) for h in ("votes", "count") for t in (False, True)]:
            p = success_probability(x, w, how, third)
            for d in range(2):
                for i in range(n):
                    for j in range(n):
                        keep = np.ones(n, dtype=bool)
                        if third:
                            keep[[i, j]] = False
                        xk, wk = x[d][keep], w[d][keep]
                        di, dj = np.abs(xk - x[d, i]), np.abs(xk - x[d, j])
                        if x[d, i] == x[d, j]:
                            want = 0.5
                        elif how == "votes":
                            v = wk * (dj - di)
                            den = np.abs(v).sum()
                            want = v[v > 0].sum() / den if den > 1e-12 else 0.5
                        else:
                            f, g = wk[di < dj].sum(), wk[dj < di].sum()
                            want = f / (f + g) if f + g > 1e-12 else 0.5
                        assert p[d, i, j] == pytest.approx(want, abs=1e-9)


def test_dimensions_together_equal_dimensions_one_at_a_time() -> None:
    rng = np.random.default_rng(2)
    x, s, c = rng.random((3, 12)) * 10, rng.random((3, 12)), rng.random(12)
    span = np.full(3, 10.0)
    together = run_bdm(x, s, c, span, BdmOptions(rounds=8))
    lengths = []
    for k in range(3):
        alone = run_bdm(x[k : k + 1], s[k : k + 1], c, span[k : k + 1], BdmOptions(rounds=8))
        rounds = alone.positions.shape[0]
        lengths.append(rounds)
        assert np.array_equal(together.positions[:rounds, k], alone.positions[:, 0])
        # a dimension that stopped keeps its positions while the others play on
        assert np.all(together.positions[rounds:, k] == alone.positions[-1, 0])
        for detail in together.rounds[rounds - 1 :]:
            assert not detail.offers[k].any()
    assert together.positions.shape[0] == max(lengths)

"""Properties of every spatial model on random problems: positions never leave their scales;
one actor's forecast is its position; with identical positions nothing moves."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.spatial.forecast import MODELS, forecast, model_options
from sim.spatial.problem import SpatialProblem
from sim.spatial.result import SpatialResult

ROUNDS = {"bdm": 12, "smp": 6}


@st.composite
def problems(draw: st.DrawFn, n: int | None = None, same_positions: bool = False) -> SpatialProblem:
    n = draw(st.integers(1, 6)) if n is None else n
    d = draw(st.integers(1, 2))
    lo = np.array([draw(st.sampled_from([-10.0, 0.0, 4.0])) for _ in range(d)])
    hi = lo + np.array([draw(st.sampled_from([1.0, 6.0, 100.0])) for _ in range(d)])
    unit = st.floats(0.0, 1.0, allow_nan=False)
    share = np.array([[draw(unit) for _ in range(d)] for _ in range(1 if same_positions else n)])
    positions = lo + np.broadcast_to(share, (n, d)) * (hi - lo)
    salience = np.array([[draw(st.floats(0.05, 1.0)) for _ in range(d)] for _ in range(n)])
    capability = np.array([draw(st.floats(0.01, 10.0)) for _ in range(n)])
    actors = tuple(f"a{i}" for i in range(n))
    dims = tuple(f"d{k}" for k in range(d))
    return SpatialProblem(actors, dims, lo, hi, positions.copy(), salience, capability)


def _run(problem: SpatialProblem, model: str) -> SpatialResult:
    return forecast(problem, "p", model, model_options(model, {}, ROUNDS.get(model)))


@pytest.mark.parametrize("model", list(MODELS))
@settings(max_examples=40, deadline=None)
@given(problem=problems())
def test_positions_never_leave_their_scales(model: str, problem: SpatialProblem) -> None:
    result = _run(problem, model)
    tol = 1e-9 * (problem.hi - problem.lo)
    positions = np.asarray(result.positions)
    assert np.all(positions >= problem.lo - tol) and np.all(positions <= problem.hi + tol)
    group = np.asarray(result.group)
    assert np.all(group >= problem.lo - tol) and np.all(group <= problem.hi + tol)


@pytest.mark.parametrize("model", list(MODELS))
@settings(max_examples=25, deadline=None)
@given(problem=problems(n=1))
def test_one_actor_forecasts_its_position(model: str, problem: SpatialProblem) -> None:
    result = _run(problem, model)
    assert result.forecast == pytest.approx(tuple(problem.positions[0]), abs=1e-12)
    assert not result.challenges


@pytest.mark.parametrize("model", list(MODELS))
@settings(max_examples=25, deadline=None)
@given(problem=problems(same_positions=True))
def test_identical_positions_do_not_move(model: str, problem: SpatialProblem) -> None:
    result = _run(problem, model)
    start = np.asarray(result.positions[0])
    for later in result.positions:
        assert np.array_equal(np.asarray(later), start)
    assert result.forecast == pytest.approx(tuple(problem.positions[0]), abs=1e-9)
    assert not result.challenges
    assert result.converged


def test_the_scale_property_catches_an_overshooting_compromise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A BDM whose compromises overshoot the challenger leaves the scale on some problem."""
    from sim.spatial import bdm

    original = bdm.bdm_round

    def overshoot(x, salience, capability, span, options):  # type: ignore[no-untyped-def]
        out = original(x, salience, capability, span, options)
        after = np.where(out.accepted >= 0, x + 3.0 * (out.after - x), x)
        return bdm.BdmRound(
            out.group, out.probability, out.risk, out.expected, out.offers,
            out.proposed, out.accepted, after,
        )  # fmt: skip

    monkeypatch.setattr(bdm, "bdm_round", overshoot)
    x = np.array([0.0, 1.0, 0.5]) * 10
    problem = SpatialProblem(
        ("a", "b", "c"), ("d",), np.array([0.0]), np.array([10.0]), x[:, None],
        np.array([[0.9], [0.8], [0.3]]), np.array([1.0, 1.0, 0.5]),
    )  # fmt: skip
    positions = np.asarray(_run(problem, "bdm").positions)
    assert np.any(positions < 0.0) or np.any(positions > 10.0)


def _one_actor_problem() -> SpatialProblem:
    return SpatialProblem(
        ("a",), ("d",), np.array([0.0]), np.array([10.0]), np.array([[3.0]]),
        np.array([[0.7]]), np.array([2.0]),
    )  # fmt: skip


def _same_positions_problem() -> SpatialProblem:
    return SpatialProblem(
        ("a", "b", "c"), ("d",), np.array([0.0]), np.array([10.0]), np.full((3, 1), 4.0),
        np.array([[0.9], [0.5], [0.2]]), np.array([1.0, 2.0, 3.0]),
    )  # fmt: skip


def test_the_one_actor_property_catches_a_biased_compromise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sim.spatial import forecast as forecast_module

    biased = forecast_module._static(lambda x, w: forecast_module.weighted_mean(x, w) + 0.5)
    model = dataclasses.replace(forecast_module.MODELS["compromise"], run=biased)
    monkeypatch.setitem(forecast_module.MODELS, "compromise", model)
    result = _run(_one_actor_problem(), "compromise")
    assert result.forecast != pytest.approx((3.0,), abs=1e-12)


def test_the_no_move_property_catches_a_drifting_bdm(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.spatial import bdm

    original = bdm.bdm_round

    def drift(x, salience, capability, span, options):  # type: ignore[no-untyped-def]
        return dataclasses.replace(original(x, salience, capability, span, options), after=x + 0.1)

    monkeypatch.setattr(bdm, "bdm_round", drift)
    result = _run(_same_positions_problem(), "bdm")
    assert any(
        not np.array_equal(np.asarray(later), np.asarray(result.positions[0]))
        for later in result.positions
    )

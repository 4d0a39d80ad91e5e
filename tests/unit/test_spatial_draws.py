"""The spatial forecast under uncertainty: the draws, and the all-draws-at-once paths equal
to running the draws one at a time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sim.model.resolve import load_scenario
from sim.spatial.draws import drawn_problems, spatial_draws
from sim.spatial.forecast import forecast, model_options
from sim.spatial.problem import spatial_problem

FIXTURES = Path(__file__).parents[1] / "fixtures" / "spatial"
VARY = [
    "spatial.actors.*.salience.*=jitter:0.2",
    "spatial.actors.*.positions.*=uniform:3,11",
    "spatial.actors.*.capability=relative:0.5",
]


def _one_at_a_time(model: str, count: int, rounds: int | None = None) -> None:
    loaded = load_scenario(FIXTURES / "ec-emissions.yaml")
    options = model_options(model, {}, rounds)
    result = spatial_draws(loaded, model, options, count, seed=4, vary=VARY)
    problem = spatial_problem(loaded.scenario)
    positions, salience, capability = drawn_problems(
        problem,
        tuple(j for j in _judgments(loaded) if j.path in result.judgments),
        result.values,
    )
    for i in range(count):
        one = dataclasses.replace(
            problem, positions=positions[i], salience=salience[i], capability=capability[i]
        )
        alone = forecast(one, "x", model, options).forecast
        assert result.forecasts[i] == pytest.approx(alone, abs=1e-12), i


def _judgments(loaded):  # type: ignore[no-untyped-def]
    from sim.montecarlo.judgments import parse_vary, resolve_judgments

    return resolve_judgments(loaded, parse_vary(VARY))


@pytest.mark.parametrize("model", ["compromise", "median"])
def test_static_models_over_all_draws_equal_one_at_a_time(model: str) -> None:
    _one_at_a_time(model, 60)


def test_bdm_over_all_draws_equals_one_at_a_time() -> None:
    _one_at_a_time("bdm", 12, rounds=15)


def test_draws_stay_in_range_and_follow_the_seed() -> None:
    loaded = load_scenario(FIXTURES / "ec-emissions.yaml")
    options = model_options("compromise", {})
    a = spatial_draws(loaded, "compromise", options, 500, seed=4, vary=VARY)
    b = spatial_draws(loaded, "compromise", options, 500, seed=4, vary=VARY)
    c = spatial_draws(loaded, "compromise", options, 500, seed=5, vary=VARY)
    assert np.array_equal(a.values, b.values) and not np.array_equal(a.values, c.values)
    assert len(a.judgments) == 30
    for column, path in enumerate(a.judgments):
        drawn = a.values[:, column]
        if ".positions." in path:  # uniform 3..11 truncated to the scale [4, 10]
            assert drawn.min() >= 4.0 and drawn.max() <= 10.0 and drawn.min() < 4.5
        elif ".salience." in path:
            assert drawn.min() >= 0.0 and drawn.max() <= 1.0
        else:
            assert drawn.min() >= 0.0
    assert np.all((a.forecasts >= 4.0) & (a.forecasts <= 10.0))
    summary = a.summary()["dimensions"]["standard"]
    assert summary["stated"] == pytest.approx(5.003 / 0.677, abs=1e-12)
    assert summary["quantiles"]["0.05"] <= summary["mean"] <= summary["quantiles"]["0.95"]


def test_nothing_declared_nothing_varies() -> None:
    """The fixture declares no uncertainty: every draw is the stated forecast."""
    loaded = load_scenario(FIXTURES / "ec-emissions.yaml")
    result = spatial_draws(loaded, "compromise", model_options("compromise", {}), 10, seed=0)
    assert result.judgments == ()
    assert np.all(result.forecasts == result.stated[0])

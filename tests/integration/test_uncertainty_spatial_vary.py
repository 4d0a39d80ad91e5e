"""`sim uncertainty --vary` reaches the spatial forecast it adds, as `sim spatial --draws --vary`
draws it."""

from __future__ import annotations

from sim.model import load_many
from sim.runs.uncertainty import uncertainty
from sim.spatial.draws import spatial_draws
from sim.spatial.forecast import scenario_options
from tests.conftest import WAR

BASELINE = WAR / "baseline.yaml"
VARY = ["spatial.actors.*.capability=uniform:0.1,0.9"]


def test_vary_reaches_the_spatial_forecast() -> None:
    plain = uncertainty(BASELINE, draws=150, seed=4, sensitivity=False, strategic_draws=0)
    varied = uncertainty(
        BASELINE, draws=150, seed=4, sensitivity=False, strategic_draws=0, vary=VARY
    )
    loaded = load_many(str(BASELINE))[0]
    model, options = scenario_options(loaded.scenario)
    expected = spatial_draws(loaded, model, options, 150, 4, vary=VARY).summary()
    got = varied["baseline"].summary.spatial
    assert got == {**expected, "scenario": "baseline"}
    assert got != plain["baseline"].summary.spatial  # the override moved the forecast

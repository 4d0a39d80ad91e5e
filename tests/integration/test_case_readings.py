"""The case under its contested readings (scenarios/ukraine/readings/territory.yaml): Moscow's
withdrawal demand a red line or a weight, Kyiv's refusal firm with a probability."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.model import LoadedScenario, load_scenario
from sim.montecarlo.structures import expand
from sim.runs.uncertainty import uncertainty
from tests.conftest import REPO, documents_folder

READINGS = REPO / "scenarios" / "ukraine" / "readings" / "territory.yaml"
BASELINE = REPO / "scenarios" / "ukraine" / "baseline.yaml"


def load(path: Path) -> LoadedScenario:
    """The file extends ../baseline.yaml: the scenario root must be allowed, as the commands
    allow it."""
    return load_scenario(path, roots=[REPO / "scenarios"])


def test_the_readings_are_the_weighted_combinations() -> None:
    found = {s.name: s.weight for s in expand(load(READINGS))}
    assert found == {
        "demand_weight": 0.56,
        "demand_weight-without-ukraine-territory": 0.14,
        "demand_red_line": 0.24,
        "demand_red_line-without-ukraine-territory": 0.06,
    }


def test_the_mixed_zone_is_the_weight_of_the_readings_with_a_zone() -> None:
    """Whether each reading has a zone at its stated values (the core's own analysis of its
    scenario) weighs the readings; the Monte Carlo's mixture recovers that sum, and the only
    reading without a zone is Moscow's demand as a red line against Kyiv's firm refusal (no
    feasible territory)."""
    readings = expand(load(READINGS))
    zone = {
        s.name: analyse(compile_problem(s.loaded.scenario)).acceptable.value > 0 for s in readings
    }
    assert [name for name, found in zone.items() if not found] == ["demand_red_line"]
    expected = sum(s.weight for s in readings if zone[s.name])
    result = uncertainty([load(READINGS)], draws=100, seed=3, sensitivity=False, strategic_draws=0)
    mix = result.structures["territory_readings"]["measures"]["zone"]
    assert mix["by_structure"] == {s.name: float(zone[s.name]) for s in readings}
    assert mix["mixed"]["p"] == pytest.approx(expected) == pytest.approx(0.76)
    assert "zone" in result.structures["territory_readings"]["depends_on_structure"]


def test_the_readings_run_as_baseline_and_quote_verbatim() -> None:
    """Deterministically the file is baseline (its readings only matter under uncertainty);
    every quote it adds, in its structures too, is verbatim in the documents."""
    reading, baseline = load(READINGS).scenario, load(BASELINE).scenario
    assert (
        analyse(compile_problem(reading)).acceptable.value
        == analyse(compile_problem(baseline)).acceptable.value
    )
    folder = documents_folder()
    if not folder.is_dir():
        pytest.skip(f"the case's documents are not at {folder} (set SIM_DOCUMENTS)")
    result = CliRunner().invoke(app, ["validate", str(READINGS), "--documents", str(folder)])
    assert result.exit_code == 0, result.output
    assert "ok: 1 scenario and their quotes valid" in result.output
    assert "warning: uncertainty.structures.demand_red_line: no feasible bundle" in result.output


NATO = REPO / "scenarios" / "ukraine" / "readings" / "nato.yaml"


def test_the_nato_reading_decides_whether_moscow_rejects_the_delay_without_troops() -> None:
    """Where Moscow's red line reaches the 20-year delay, no completion of the floated plan
    without its European troops is feasible, so none is in the zone (by construction); as
    baseline codes it, some completion is in most draws. The mixed share is the traded
    reading's weight times its share."""
    readings = expand(load(NATO))
    assert {s.name: s.weight for s in readings} == {"delay_traded": 0.6, "delay_red_line": 0.4}
    red = next(s for s in readings if s.name == "delay_red_line").loaded.scenario
    assert "delay_20y" in red.parties["russia"].red_lines[0].options
    result = uncertainty([load(NATO)], draws=200, seed=3, sensitivity=False, strategic_draws=0)
    some = result.structures["nato_readings"]["measures"]["delay_without_troops.some"]
    assert some["by_structure"]["delay_red_line"] == 0.0
    assert some["by_structure"]["delay_traded"] > 0.9
    assert some["mixed"]["p"] == pytest.approx(0.6 * some["by_structure"]["delay_traded"])
    assert "delay_without_troops.some" in result.structures["nato_readings"]["depends_on_structure"]


def test_the_derived_red_lines_are_drawn_with_their_probabilities() -> None:
    readings = expand(load(REPO / "scenarios" / "ukraine" / "readings" / "red_lines.yaml"))
    assert {s.name: s.weight for s in readings} == pytest.approx(
        {
            "stated": 0.72,
            "stated-without-ukraine-recognition": 0.18,
            "stated-without-russia-territory": 0.08,
            "stated-without-russia-territory-ukraine-recognition": 0.02,
        }
    )
    lifted = next(s for s in readings if s.name == "stated-without-russia-territory")
    assert [r.issue for r in lifted.loaded.scenario.parties["russia"].red_lines] == [
        "nato",
        "peacekeepers",
    ]

"""The scenario file format: reading, `extends`, `set:` overrides and validation."""

from sim.model.catalog import find_scenarios, load_many, validate_paths
from sim.model.resolve import LoadedScenario, load_scenario
from sim.model.schema import Scenario

__all__ = [
    "LoadedScenario",
    "Scenario",
    "find_scenarios",
    "load_many",
    "load_scenario",
    "validate_paths",
]

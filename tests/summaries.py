"""Hand-written uncertainty summaries for the renderers' tests: typed records with every part
a test does not name set to an empty or neutral value."""

from __future__ import annotations

from typing import Any

from sim.montecarlo.document import (
    Acceptable,
    Difference,
    Modal,
    Odds,
    ScenarioSummary,
    Sensitivity,
    SolutionOdds,
    UncertaintySummary,
    VersusParent,
)

NONE = Odds(0.0, 0.0, 0.0)
NO_CHANGE = Difference(0.0, 0.0, 0.0)


def odds(p: float, low: float | None = None, high: float | None = None) -> Odds:
    """A share; without an interval, one of zero width."""
    return Odds(p, p if low is None else low, p if high is None else high)


def solution(modal_p: float | None = None, exists: Odds = NONE, **options: Any) -> SolutionOdds:
    """A solution that exists with ``exists`` odds, its modal bundle chosen in ``modal_p`` of
    the draws (None: no modal bundle), and per issue the options' shares."""
    modal = None if modal_p is None else Modal(0, {}, modal_p)
    return SolutionOdds(exists, modal, dict(options))


def sensitivity(**document: Any) -> Sensitivity:
    """A sensitivity part read from a document (method and tornado empty unless given)."""
    return Sensitivity.from_json({"method": "PAWN", "tornado": [], **document}, "sensitivity")


def versus(parent: str, **parts: Any) -> VersusParent:
    """Paired differences against ``parent``: none unless given."""
    values: dict[str, Any] = {
        "parent": parent,
        "shared_judgments": 0,
        "zone": NO_CHANGE,
        "acceptable_mean": NO_CHANGE,
        "zone_in_both": 0.0,
        "zone_only_in_variant": 0.0,
        "zone_only_in_parent": 0.0,
        "nash_same_bundle": 0.0,
        "surplus": None,
        "reservations": None,
        "proposals": {},
        "bargaining": None,
    }
    return VersusParent(**{**values, **parts})


def scenario(**parts: Any) -> ScenarioSummary:
    """One scenario's summary: no zone, nothing acceptable, no proposal or solution, no
    parent, unless given."""
    values: dict[str, Any] = {
        "draws": 100,
        "judgments": 1,
        "zone": NONE,
        "zone_value": None,
        "acceptable": Acceptable(0.0, {"0.05": 0.0, "0.5": 0.0, "0.95": 0.0}, {}),
        "frontier_mean": 0.0,
        "proposals": {},
        "robust_threshold": 0.9,
        "robust_bundles": (),
        "top_bundles": (),
        "solutions": {},
        "versus_parent": None,
    }
    return ScenarioSummary(**{**values, **parts})


def acceptable(mean: float) -> Acceptable:
    return Acceptable(mean, {"0.05": mean, "0.5": mean, "0.95": mean}, {})


def summary(draws: int = 100, seed: int = 1, **scenarios: ScenarioSummary) -> UncertaintySummary:
    return UncertaintySummary(draws, seed, (), dict(scenarios), {})

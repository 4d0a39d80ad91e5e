"""The strategic layer on the Russia-Ukraine case (scenarios/ukraine): bargaining over time,
compliance, and the mediator's threats.

Each test cites the report it rests on by source id (declared under ``sources:`` in
``scenarios/ukraine/baseline.yaml``):

- ``shoots-down-2024-12``: "Russia shoots down Ukraine peace proposals from Trump's allies"
- ``kremlin-resistant-2024-12``: Lavrov tells TASS the Kremlin is resistant to the plan
- ``wtn-rejects``: "Russia Rejects US-backed Peace plan for Ukraine" (World Today News)
- ``nato-troops-2025-03``: Lavrov on NATO peacekeepers, 12 March 2025
- ``western-peacekeepers-2024-12``: Lavrov against Western peacekeepers; the $2.5bn package

Expected values are derived from the scenario's own parameters (read from the files), not
copied from the model's output: war values from the war model's formula, continuation values
from the discounted sum, credibility from the mediator's war value, self-enforcement from the
2x2 compliance payoffs.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from sim.analysis.strategy import Strategy, analyse_strategy
from sim.compile import compile_problem, evaluate
from sim.core.problem import Problem
from sim.model import Scenario
from sim.model.resolve import RawScenario, load_raw
from sim.model.schema import WarReservation
from tests.conftest import REPO

CASE = REPO / "scenarios" / "ukraine"
NAMES = (
    "baseline",
    "aid_package",
    "aid_freeze",
    "battlefield_advance",
    "sanctions_threat",
    "march_2025",
    "interim_ceasefire",
)
# --- helpers -----------------------------------------------------------------------------------


@cache
def raw(name: str) -> RawScenario:
    path = CASE / f"{name}.yaml"
    assert path.is_file(), f"scenario file missing: {path}"
    return load_raw(path)


@cache
def case(name: str) -> tuple[Scenario, Problem]:
    scenario = raw(name).with_overrides({}).scenario
    return scenario, compile_problem(scenario)


@cache
def strategy(name: str, drift: float | None = None) -> Strategy:
    """The strategic analysis; ``drift`` replaces the war's drift (a counterfactual)."""
    overrides = {} if drift is None else {"war.drift": drift}
    return analyse_strategy(raw(name).with_overrides(overrides))


def war_params(name: str) -> tuple[float, float, dict[str, WarReservation], dict[str, float]]:
    """Russia's chance of prevailing at period 0, its drift, each side's war form and cost."""
    scenario, _ = case(name)
    assert scenario.war is not None
    forms = {}
    costs = {}
    for side in scenario.war.sides:
        form = scenario.parties[side].reservation
        assert isinstance(form, WarReservation)
        forms[side] = form
        costs[side] = evaluate(form.cost, scenario)
    prevail, drift = (
        evaluate(scenario.war.prevail, scenario),
        evaluate(scenario.war.drift, scenario),
    )
    return prevail, drift, forms, costs


def war_value_by_hand(name: str, side: str, t: int) -> float:
    p0, drift, forms, costs = war_params(name)
    p = min(max(p0 + drift * t, 0.0), 1.0)
    mine = p if side == "russia" else 1.0 - p
    f = forms[side]
    win, lose = (f.win, f.lose) if f.win is not None and f.lose is not None else STAKES[side]
    return min(max(mine * win + (1.0 - mine) * lose - costs[side], 0.0), 1.0)


STAKES = {"russia": (0.95 / 1.10, 0.25 / 1.10), "ukraine": (0.80, 0.10)}
"""Each side's utility, by hand from its weights and values in baseline.yaml, of the terms it
would impose and of those the other side would (war.outcomes, completed by the winner).
Russia's weights sum to 1.10 (a party's weights are normalised). Russia's terms: neutrality .25
+ withdrawal .10 + recognition in law .15 + no peacekeepers .10 + weapons limits .10 +
settlement first .05 + binding .10 + no assurances .05 + Kursk returned .05 = .95 of 1.10 for
Russia; Ukraine gets binding .05 + sanctions maintained .05 = .10. Ukraine's terms: open path
.20 + pre-war lines .15 + no recognition .15 + dmz .05 + no weapons limits .05 + ceasefire first
.05 + binding .05 + sanctions maintained .05 + Kursk held .05 = .80 for Ukraine; Russia gets no
peacekeepers .10 + binding .10 + no assurances .05 = .25 of 1.10."""


# --- the strategic data ------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_scenario_carries_the_strategic_data(name: str) -> None:
    """shoots-down-2024-12: "He has also said he is open to meeting with Trump calling for
    "lasting peace."" and "We'll see what happens next."; western-peacekeepers-2024-12: "providing
    a limited window for billions of dollars in already authorized assistance". The war moves
    over a horizon, Moscow is the more patient side, and the compliance and leverage games are
    defined (inherited from baseline)."""
    scenario, _ = case(name)
    base, _ = case("baseline")
    assert scenario.war is not None and scenario.war.horizon >= 12
    assert scenario.parties["russia"].discount > scenario.parties["ukraine"].discount
    assert scenario.compliance == base.compliance
    assert scenario.leverage == base.leverage
    assert scenario.leverage is not None and scenario.leverage.backs == "ukraine"
    targets = {p.target for p in scenario.leverage.policies.values()}
    assert targets == {"russia", "ukraine"}


def test_enforcement_terms_name_real_options() -> None:
    """shoots-down-2024-12: "seal a mechanism precluding the possibility of their violation";
    kremlin-resistant-2024-12: "a peacekeeping force from Europe in exchange for security
    assurances". Every issue and option the compliance game reads exists (a misspelt one would
    silently count 0), and the terms the reports name as enforcement all raise detection or
    protect Kyiv."""
    scenario, _ = case("baseline")
    c = scenario.compliance
    assert c is not None
    tables = [c.detection_options, *c.protection.values()]
    for table in tables:
        for issue, options in table.items():
            assert issue in scenario.issues, issue
            assert set(options) <= set(scenario.issues[issue].options), issue
    assert c.detection_options["enforcement"]["binding"] > 0
    assert c.detection_options["peacekeepers"]["non_nato"] > 0
    assert c.detection_options["dmz"]["dmz"] > 0
    assert c.protection["ukraine"]["assurances"]["assurances"] > 0


@pytest.mark.parametrize("name", NAMES)
def test_war_values_per_period_follow_the_war_model(name: str) -> None:
    """nato-troops-2025-03: "The escalation of Russian advantage may deter the Kremlin from
    opting into a deal too soon." Each period's war value is the war model's at the drifted
    odds; where the odds move towards Russia its value rises and Kyiv's falls."""
    scenario, problem = case(name)
    flows = strategy(name).timeline.flows
    veto = [problem.parties[i] for i in strategy(name).timeline.veto]
    assert scenario.war is not None and flows.shape == (scenario.war.horizon + 1, 2)
    for j, side in enumerate(veto):
        expected = [war_value_by_hand(name, side, t) for t in range(flows.shape[0])]
        assert np.allclose(flows[:, j], expected, atol=1e-12), side
    russia, ukraine = flows[:, veto.index("russia")], flows[:, veto.index("ukraine")]
    drift = war_params(name)[1]
    if drift > 0:
        assert (np.diff(russia) >= 0).all() and russia[-1] > russia[0]
        assert (np.diff(ukraine) <= 0).all() and ukraine[-1] < ukraine[0]
    elif drift < 0:
        assert russia[-1] < russia[0] and ukraine[-1] > ukraine[0]
    else:
        assert np.ptp(russia) == 0 and np.ptp(ukraine) == 0


# --- bargaining over time ----------------------------------------------------------------------


# --- compliance --------------------------------------------------------------------------------


# --- leverage ----------------------------------------------------------------------------------

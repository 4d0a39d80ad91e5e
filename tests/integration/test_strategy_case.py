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
from numpy.typing import NDArray

from sim.compile import compile_problem, evaluate
from sim.core.bargaining import BargainingResult
from sim.core.problem import Problem
from sim.core.space import decode, encode
from sim.core.utility import ACCEPT_TOL, bundle_utilities
from sim.experiments.strategy import Strategy, analyse_strategy, candidates, compliance_model
from sim.games.compliance import compliance_game
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
NO_PRESSURE_ON_MOSCOW = (
    "baseline",
    "aid_package",
    "aid_freeze",
    "battlefield_advance",
    "march_2025",
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


@cache
def feasible_space(name: str) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Bundle indices and utilities of every bundle that breaks no red line."""
    _, problem = case(name)
    indices, utilities, source = candidates(problem)
    assert source == "feasible set"
    return indices, utilities


def column(name: str, party: str) -> int:
    return case(name)[1].parties.index(party)


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


STAKES = {"russia": (0.90, 0.20), "ukraine": (0.80, 0.10)}
"""Each side's utility, by hand from its weights and values in baseline.yaml, of the terms it
would impose and of those the other side would (war.outcomes, completed by the winner).
Russia's terms: neutrality .25 + withdrawal .10 + recognition in law .15 + no peacekeepers .10
+ weapons limits .10 + settlement first .05 + binding .05 + no assurances .05 + Kursk returned
.05 = .90 for Russia; Ukraine gets binding .05 + sanctions maintained .05 = .10. Ukraine's
terms: open path .20 + pre-war lines .15 + no recognition .15 + dmz .05 + no weapons limits .05
+ ceasefire first .05 + binding .05 + sanctions maintained .05 + Kursk held .05 = .80 for
Ukraine; Russia gets no peacekeepers .10 + binding .05 + no assurances .05 = .20."""


def continuation_if_war_to_the_end(name: str, side: str, t: int) -> float:
    """``C(t)`` when no period from ``t`` on agrees: the normalised discounted war stream, war
    for ever at ``w(T)`` after the horizon."""
    scenario, _ = case(name)
    assert scenario.war is not None
    delta, horizon = scenario.parties[side].discount, scenario.war.horizon
    total = sum(
        (1 - delta) * delta ** (s - t) * war_value_by_hand(name, side, s)
        for s in range(t, horizon + 1)
    )
    return total + delta ** (horizon + 1 - t) * war_value_by_hand(name, side, horizon)


def zone(name: str) -> NDArray[np.bool_]:
    """Feasible bundles that meet both veto parties' period-0 war values."""
    _, problem = case(name)
    _, utilities = feasible_space(name)
    veto = problem.veto_indices
    meets: NDArray[np.bool_] = utilities[:, veto] >= problem.reservation[veto] - ACCEPT_TOL
    return np.asarray(meets.all(axis=1), dtype=np.bool_)


def protocols(name: str, drift: float | None = None) -> dict[str, BargainingResult]:
    _, problem = case(name)
    result = {}
    for r in strategy(name, drift).bargaining:
        key = r.protocol if r.protocol == "mediated" else f"{problem.parties[r.veto[0]]}_first"
        result[key] = r
    assert set(result) == {"russia_first", "ukraine_first", "mediated"}
    return result


def digits_of(name: str, index: int) -> NDArray[np.int64]:
    digits: NDArray[np.int64] = decode(np.array([index], dtype=np.int64), case(name)[1].radices)
    return np.asarray(digits[0], dtype=np.int64)


def with_option(name: str, index: int, issue: str, option: str) -> int:
    _, problem = case(name)
    digits = digits_of(name, index).copy()
    digits[problem.issue_index(issue)] = problem.option_index(issue, option)
    return int(encode(digits[None, :], problem.radices)[0])


def war_sides_utilities(name: str, index: int) -> NDArray[np.float64]:
    _, problem = case(name)
    model = compliance_model(*case(name))
    assert model is not None
    return bundle_utilities(problem, digits_of(name, index)[None, :])[0, list(model.sides)]


def war_present_by_hand(name: str, side: str) -> float:
    """A war side's present value of fighting on along the drifting war path: the war values of
    months 0..T (Fearon's formula at that month's odds), then month T's for ever, discounted at
    the side's own rate; the war payoff of the compliance game."""
    scenario, _ = case(name)
    war = scenario.war
    assert war is not None
    form = scenario.parties[side].reservation
    assert isinstance(form, WarReservation)
    delta = scenario.parties[side].discount
    value = 0.0
    for t in range(war.horizon + 1):
        p = evaluate(war.prevail, scenario) + evaluate(war.drift, scenario) * t
        p = min(max(p, 0.0), 1.0)
        p = p if war.sides[0] == side else 1.0 - p
        flow = min(
            max(p * form.win + (1 - p) * form.lose - evaluate(form.cost, scenario), 0.0), 1.0
        )
        value += (1 - delta) * delta**t * flow
    return value + delta ** (war.horizon + 1) * flow


def compliance_verdict(
    name: str, index: int, agreement: NDArray[np.float64] | None = None
) -> tuple[bool, float]:
    """Whether the bundle is self-enforcing, and its detection; ``agreement`` replaces the two
    sides' utilities of the bundle (to vary the detection alone)."""
    scenario, problem = case(name)
    model = compliance_model(scenario, problem)
    assert model is not None
    assert scenario.war is not None
    war = np.array([war_present_by_hand(name, side) for side in scenario.war.sides])
    if agreement is None:
        agreement = war_sides_utilities(name, index)
    _, self_enforcing, q = compliance_game(
        model, ("russia", "ukraine"), index, digits_of(name, index), agreement, war
    )
    return self_enforcing, q


def self_enforcing_by_hand(name: str, index: int, agreement: NDArray[np.float64]) -> bool:
    """Mutual compliance is the only equilibrium of the 2x2 game iff both sides strictly prefer
    keeping the deal to breaking it alone, and at least one of them strictly prefers keeping it
    even when the other breaks it (then complying is dominant for that side)."""
    scenario, problem = case(name)
    c = scenario.compliance
    model = compliance_model(scenario, problem)
    assert c is not None and model is not None and scenario.war is not None
    digits = digits_of(name, index)
    q = c.detection + sum(
        c.detection_options.get(issue, {}).get(problem.options[k][int(digits[k])], 0.0)
        for k, issue in enumerate(problem.issues)
    )
    q = min(max(q, 0.0), 1.0)
    keeps_alone, keeps_anyway = [], []
    for j, side in enumerate(scenario.war.sides):
        war = war_present_by_hand(name, side)
        shield = min(
            1.0,
            sum(
                c.protection.get(side, {})
                .get(issue, {})
                .get(problem.options[k][int(digits[k])], 0.0)
                for k, issue in enumerate(problem.issues)
            ),
        )
        keeps_alone.append(agreement[j] > war + c.gain[side] - q * c.penalty[side])
        keeps_anyway.append(c.exposure[side] * (1.0 - shield) < q * c.penalty[side])
    return all(keeps_alone) and any(keeps_anyway)


def mediator_war_by_hand(scenario: Scenario) -> float:
    """Washington's present value of the war going on along the drifting war path: the flows
    of months 0..T, then month T's for ever, discounted at its own rate."""
    lev, war = scenario.leverage, scenario.war
    assert lev is not None and war is not None
    delta = scenario.parties[lev.mediator].discount
    value = 0.0
    for t in range(war.horizon + 1):
        p_russia = evaluate(war.prevail, scenario) + evaluate(war.drift, scenario) * t
        p_russia = min(max(p_russia, 0.0), 1.0)
        p = p_russia if war.sides[0] == lev.backs else 1.0 - p_russia
        flow = p * lev.war.win + (1.0 - p) * lev.war.lose - evaluate(lev.war.cost, scenario)
        value += (1.0 - delta) * delta**t * flow
    return value + delta ** (war.horizon + 1) * flow


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

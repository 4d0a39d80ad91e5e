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

import math
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
from sim.games.compliance import compliance_game, compliance_payoffs
from sim.games.game import is_pure_equilibrium
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
    return min(max(mine * f.win + (1.0 - mine) * f.lose - costs[side], 0.0), 1.0)


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


def test_the_drift_follows_momentum_and_aid() -> None:
    """nato-troops-2025-03: "A recent decision from the White House to freeze U.S. military aid
    and intelligence-sharing with Ukraine is exacerbating its deterioration on the front lines."
    ... "Putin has a strong position because Russia is advancing". The front holds at late-2024
    levels; the freeze and the advance each make it move towards Russia, together most; more aid
    slows it."""
    drift = {name: war_params(name)[1] for name in NAMES}
    assert math.isclose(drift["baseline"], 0.0, abs_tol=1e-12)
    assert drift["march_2025"] > drift["battlefield_advance"] > drift["aid_freeze"] > 0.0
    assert math.isclose(drift["interim_ceasefire"], drift["march_2025"])
    assert drift["aid_package"] < 0.0 and math.isclose(
        drift["sanctions_threat"], drift["aid_package"]
    )


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


def test_moving_the_odds_alone_never_opens_a_zone_of_agreement() -> None:
    """western-peacekeepers-2024-12: "positions in Kyiv and Moscow appear far apart on what would
    be acceptable terms for a peace deal". Without new sanctions, at no balance of power (any
    chance p of Russia prevailing) does a bundle meet both sides' war values: a drifting war
    alone cannot open a zone of agreement in any period."""
    _, _, forms, costs = war_params("baseline")
    _, utilities = feasible_space("baseline")
    r, u = utilities[:, column("baseline", "russia")], utilities[:, column("baseline", "ukraine")]
    for p in np.linspace(0.0, 1.0, 1001):
        w_r = p * forms["russia"].win + (1 - p) * forms["russia"].lose - costs["russia"]
        w_u = (1 - p) * forms["ukraine"].win + p * forms["ukraine"].lose - costs["ukraine"]
        assert not ((r >= w_r - ACCEPT_TOL) & (u >= w_u - ACCEPT_TOL)).any(), p


@pytest.mark.parametrize("name", NO_PRESSURE_ON_MOSCOW)
def test_no_agreement_in_any_period_without_pressure_on_moscow(name: str) -> None:
    """western-peacekeepers-2024-12: "positions in Kyiv and Moscow appear far apart"; wtn-rejects:
    "a negotiated settlement appears distant". No protocol reaches agreement before the horizon,
    and no period's plan is a deal."""
    for key, result in protocols(name).items():
        assert result.agreement_period is None, key
        assert not any(step.agreed for step in result.path), key


def test_baseline_deadlock_is_mutual() -> None:
    """western-peacekeepers-2024-12: "positions in Kyiv and Moscow appear far apart". The war
    values are constant; the best either side can offer the other while meeting its own war
    value falls short of the other's, for both sides; yet each alone would take some bundle."""
    flows = strategy("baseline").timeline.flows
    assert np.ptp(flows, axis=0).max() == 0
    _, utilities = feasible_space("baseline")
    r, u = utilities[:, column("baseline", "russia")], utilities[:, column("baseline", "ukraine")]
    w_r = war_value_by_hand("baseline", "russia", 0)
    w_u = war_value_by_hand("baseline", "ukraine", 0)
    best_for_kyiv = u[r >= w_r - ACCEPT_TOL].max()
    best_for_moscow = r[u >= w_u - ACCEPT_TOL].max()
    assert best_for_kyiv < w_u and best_for_moscow < w_r
    assert r.max() > w_r and u.max() > w_u


def test_battlefield_advance_russia_holds_out_for_the_whole_horizon() -> None:
    """nato-troops-2025-03: "Putin has a strong position because Russia is advancing" ... "The
    escalation of Russian advantage may deter the Kremlin from opting into a deal too soon."
    Delay relative to baseline is undefined (neither agrees in any period); what the advance
    changes is why: Russia's war value rises over the horizon and passes the best bundle Kyiv
    could sign at the period derived by hand, and Russia's continuation value is above that
    bundle in every period, so Moscow would refuse anything Kyiv could sign at any time."""
    for name in ("baseline", "battlefield_advance"):
        assert all(r.agreement_period is None for r in protocols(name).values())
    _, problem = case("battlefield_advance")
    _, utilities = feasible_space("battlefield_advance")
    best_russia = utilities[:, column("battlefield_advance", "russia")].max()
    _, drift, forms, _ = war_params("battlefield_advance")
    slope = drift * (forms["russia"].win - forms["russia"].lose)  # per period, while p < 1
    w0 = war_value_by_hand("battlefield_advance", "russia", 0)
    crossing = math.ceil((best_russia - w0) / slope)
    veto = [problem.parties[i] for i in strategy("battlefield_advance").timeline.veto]
    russia = strategy("battlefield_advance").timeline.flows[:, veto.index("russia")]
    assert russia[0] < best_russia <= russia[-1]
    assert int(np.flatnonzero(russia > best_russia)[0]) == crossing
    for result in protocols("battlefield_advance").values():
        j = [problem.parties[i] for i in result.veto].index("russia")
        for t, step in enumerate(result.path):
            assert step.continuation[j] > best_russia, t
            assert math.isclose(
                step.continuation[j],
                continuation_if_war_to_the_end("battlefield_advance", "russia", t),
                abs_tol=1e-9,
            )
    # In baseline, by contrast, Moscow alone would settle: its continuation is below its best
    # bundle; the deadlock there is mutual (test_baseline_deadlock_is_mutual).
    for result in protocols("baseline").values():
        j = [case("baseline")[1].parties[i] for i in result.veto].index("russia")
        assert (
            result.path[0].continuation[j]
            < feasible_space("baseline")[1][:, column("baseline", "russia")].max()
        )


def test_interim_ceasefire_russia_refuses_because_of_the_advance() -> None:
    """nato-troops-2025-03: "The escalation of Russian advantage may deter the Kremlin from
    opting into a deal too soon." and ""The ball is now in their court."" At period 0 one bundle
    meets both sides' war values; with the war as it stands (no drift) every protocol agrees on
    it at once, but with Russia's advantage growing Moscow's continuation value exceeds what the
    bundle gives it and no protocol agrees in any period."""
    name = "interim_ceasefire"
    indices, utilities = feasible_space(name)
    in_zone = zone(name)
    assert in_zone.sum() == 1
    only = int(indices[in_zone][0])
    russia_gets = utilities[in_zone, column(name, "russia")][0]
    for key, result in protocols(name, drift=0.0).items():
        assert result.agreement_period == 0 and result.bundle == only, key
    assert war_params(name)[1] > 0
    for key, result in protocols(name).items():
        assert result.agreement_period is None, key
    assert continuation_if_war_to_the_end(name, "russia", 0) > russia_gets
    result = protocols(name)["mediated"]
    j = [case(name)[1].parties[i] for i in result.veto].index("russia")
    assert math.isclose(
        result.path[0].continuation[j],
        continuation_if_war_to_the_end(name, "russia", 0),
        abs_tol=1e-9,
    )


def test_sanctions_threat_agrees_at_once_on_kyivs_best_bundle_in_the_zone() -> None:
    """kremlin-resistant-2024-12: "threatening Russia with increased weapons for Kyiv if Moscow
    refuses to negotiate"; nato-troops-2025-03: "The president has previously threatened
    sanctions and other economic punishments on Russia". Every protocol agrees in period 0, on a
    bundle in the zone of agreement; with the odds drifting towards Kyiv, the deal gives Kyiv
    the most any bundle in the zone gives it, whoever proposes."""
    name = "sanctions_threat"
    assert war_params(name)[1] < 0
    indices, utilities = feasible_space(name)
    in_zone = zone(name)
    kyiv_best = utilities[in_zone, column(name, "ukraine")].max()
    for key, result in protocols(name).items():
        assert result.agreement_period == 0, key
        assert result.bundle in set(indices[in_zone].tolist()), key
        assert result.utilities is not None
        assert math.isclose(result.utilities[column(name, "ukraine")], kyiv_best, abs_tol=1e-9), key
        assert result.bundle is not None
        _, problem = case(name)
        digits = digits_of(name, result.bundle)
        terms = {
            issue: problem.options[k][int(digits[k])] for k, issue in enumerate(problem.issues)
        }
        assert terms["nato"] == "neutrality" and terms["territory"] == "current_line"
        assert terms["enforcement"] == "binding" and terms["assurances"] == "assurances"


# --- compliance --------------------------------------------------------------------------------


def test_sanctions_threat_agreement_is_self_enforcing_with_its_binding_mechanism() -> None:
    """shoots-down-2024-12: "reliable and legally binding agreements that would eliminate the root
    causes of the conflict and seal a mechanism precluding the possibility of their violation".
    The agreed bundle is self-enforcing; the same bundle as a political declaration is not (both
    sides value the binding form, so without it Kyiv's gain from the deal no longer covers its
    net gain from breaking it) and is not even acceptable to Moscow."""
    name = "sanctions_threat"
    games = strategy(name).compliance
    agreed = {r.bundle for r in strategy(name).bargaining}
    assert {g.bundle for g, _, _ in games} == agreed and len(games) == 1
    game, self_enforcing, q = games[0]
    assert self_enforcing
    assert is_pure_equilibrium(game, 0, 0)
    bundle = int(game.bundle)  # type: ignore[arg-type]
    political = with_option(name, bundle, "enforcement", "political")
    se_political, q_political = compliance_verdict(name, political)
    assert not se_political and q_political < q
    indices, _ = feasible_space(name)
    assert political not in set(indices[zone(name)].tolist())


@pytest.mark.parametrize("name", ["sanctions_threat", "interim_ceasefire"])
def test_self_enforcement_matches_the_hand_derived_condition(name: str) -> None:
    """shoots-down-2024-12: "seal a mechanism precluding the possibility of their violation";
    western-peacekeepers-2024-12: "foreign troops in Ukraine to enforce any peace deal". For every
    bundle in the zone of agreement, and its political-declaration twin, the compliance game's
    verdict is the 2x2 condition worked out from gain, exposure, penalty, detection and
    protection."""
    indices, _ = feasible_space(name)
    checked = 0
    for index in indices[zone(name)].tolist():
        for bundle in (index, with_option(name, index, "enforcement", "political")):
            agreement = war_sides_utilities(name, bundle)
            verdict, _ = compliance_verdict(name, bundle)
            assert verdict == self_enforcing_by_hand(name, bundle, agreement), bundle
            checked += 1
    assert checked >= 2


def test_in_sanctions_threat_only_deals_worth_more_to_kyiv_than_the_war_to_come_hold() -> None:
    """western-peacekeepers-2024-12: "the deployment of European troops to monitor any ceasefire
    along the 1,000-kilometre front line"; kremlin-resistant-2024-12: "in exchange for security
    assurances". With the odds drifting towards Kyiv, its present value of fighting on exceeds
    its month-0 war value, so a bundle of the (month-0) zone that gives Kyiv less than that
    present value is not self-enforcing, whatever its monitors; the bargaining agreement, which
    gives Kyiv the most the zone offers, is."""
    name = "sanctions_threat"
    indices, _ = feasible_space(name)
    kyiv_war = war_present_by_hand(name, "ukraine")
    assert kyiv_war > case(name)[1].reservation[case(name)[1].parties.index("ukraine")]
    held = []
    for index in indices[zone(name)].tolist():
        kyiv = war_sides_utilities(name, index)[1]
        verdict = compliance_verdict(name, index)[0]
        if kyiv < kyiv_war:
            assert not verdict, index
        held.append((index, verdict))
    agreed = {r.bundle for r in strategy(name).bargaining}
    assert all(verdict for index, verdict in held if index in agreed)
    assert any(not verdict for _, verdict in held)


def test_interim_ceasefire_deal_would_not_hold_as_russia_rises() -> None:
    """nato-troops-2025-03: "The escalation of Russian advantage may deter the Kremlin from opting
    into a deal too soon."; "The preliminary deal would establish an immediate 30-day interim
    ceasefire capable of being extended with the consent of both parties." The one bundle both
    sides accept at month-0 war values gives Moscow less than its present value of fighting on as
    its odds rise, so Moscow is better off breaking it: the commitment problem of a power shift
    (Powell 2006). The interim package (a political commitment, no monitors) does not hold
    either."""
    name = "interim_ceasefire"
    scenario, problem = case(name)
    model = compliance_model(scenario, problem)
    assert model is not None
    indices, _ = feasible_space(name)
    only = int(indices[zone(name)][0])
    russia_war = war_present_by_hand(name, "russia")
    assert war_sides_utilities(name, only)[0] < russia_war
    assert not compliance_verdict(name, only)[0]
    terms = scenario.proposals["interim_ceasefire_package"].terms
    digits = np.array([problem.option_index(i, terms[i]) for i in problem.issues], dtype=np.int64)
    package = int(encode(digits[None, :], problem.radices)[0])
    assert not compliance_verdict(name, package)[0]
    war = np.array([war_present_by_hand(name, side) for side in ("russia", "ukraine")])
    a, _, _ = compliance_payoffs(model, digits, war_sides_utilities(name, package), war)
    assert a[1, 0] > a[0, 0]  # Russia gains by breaking it while Kyiv keeps it


# --- leverage ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_credibility_is_the_mediators_own_interest(name: str) -> None:
    """kremlin-resistant-2024-12: "getting Ukraine to the negotiating table by threatening to
    withhold aid, while simultaneously threatening Russia with increased weapons for Kyiv if
    Moscow refuses to negotiate". A threat is credible iff carrying it out leaves Washington at
    least as well off, by the war value worked out by hand from the leverage parameters."""
    scenario, _ = case(name)
    assert scenario.leverage is not None
    leverage = strategy(name).leverage
    assert leverage is not None
    before = mediator_war_by_hand(scenario)
    outcomes = {o.name: o for o in leverage.outcomes}
    assert set(outcomes) == {"none", *scenario.leverage.policies}
    for pid, policy in scenario.leverage.policies.items():
        after = mediator_war_by_hand(raw(name).with_overrides(policy.set).scenario)
        assert outcomes[pid].credible == (after + policy.value >= before - 1e-12), pid


def test_sanctions_alone_leave_washingtons_war_value_unchanged() -> None:
    """nato-troops-2025-03: "The president has previously threatened sanctions and other economic
    punishments on Russia if the Kremlin fails to come to the negotiating table." The sanctions
    raise Moscow's cost of fighting and move neither the odds nor Washington's cost, so carrying
    them out leaves Washington exactly as well off: credible, by indifference."""
    for name in NAMES:
        scenario, _ = case(name)
        lev = scenario.leverage
        assert lev is not None
        sanctioned = raw(name).with_overrides(lev.policies["sanctions_moscow"].set).scenario
        after = mediator_war_by_hand(sanctioned)
        assert math.isclose(after, mediator_war_by_hand(scenario), abs_tol=1e-12)
        outcomes = {o.name: o for o in strategy(name).leverage.outcomes}  # type: ignore[union-attr]
        assert outcomes["sanctions_moscow"].credible


@pytest.mark.parametrize("name", NAMES)
def test_the_mediators_choice_is_its_best_credible_policy(name: str) -> None:
    """shoots-down-2024-12: "I want to reach an agreement, and the only way you're going to reach
    an agreement is not to abandon". Washington picks a credible policy with the highest payoff;
    a credible threat against a side lowers that side's refusal value to its war value under the
    threat, so it opens a settlement in baseline, where there is none without pressure."""
    leverage = strategy(name).leverage
    assert leverage is not None
    chosen = leverage.chosen
    assert chosen.credible
    assert all(chosen.mediator_payoff >= o.mediator_payoff - 1e-12 for o in leverage.outcomes)
    none = leverage.outcomes[0]
    assert none.name == "none"
    for o in leverage.outcomes[1:]:
        if not o.credible:
            assert np.allclose(o.refusal_values, none.refusal_values)
        elif o.target is not None:
            assert o.refusal_values[o.target] <= none.refusal_values[o.target] + 1e-12
    if name == "baseline":
        assert none.settlement is None
        assert chosen.settlement is not None and chosen.name != "none"


def test_the_advance_delays_a_settlement_that_sanctions_make_possible() -> None:
    """nato-troops-2025-03: "The escalation of Russian advantage may deter the Kremlin from
    opting into a deal too soon." Baseline has no zone of agreement, so the comparison is made
    where a sanctions threat opens one (sanctions 0.7, sweep momentum_under_sanctions): at the
    late-2024 front every protocol agrees at once; at the March 2025 advance none agrees in
    month 0, and it is Moscow that waits: in month 0 it could offer a bundle Kyiv would accept
    and prefers to let the month pass."""
    base = raw("baseline")
    periods = {}
    for momentum in (0.0, 1.0):
        loaded = base.with_overrides(
            {"levers.sanctions.value": 0.7, "levers.momentum.value": momentum}
        )
        results = analyse_strategy(loaded).bargaining
        periods[momentum] = [r.agreement_period for r in results]
        if momentum == 1.0:
            _, problem = case("baseline")
            russia_first = next(
                r
                for r in results
                if r.protocol == "alternating" and problem.parties[r.veto[0]] == "russia"
            )
            month0 = russia_first.path[0]
            assert month0.offer is not None and not month0.agreed
    assert periods[0.0] == [0, 0, 0]
    assert all(p is not None and p > 0 for p in periods[1.0])


def test_a_war_that_wears_moscow_down_brings_a_late_settlement_in_baseline() -> None:
    """A counterfactual the reports do not give a rate for (cost_growth): if Russia's cost of
    fighting rose each month, baseline's deadlock would end in a settlement some months on,
    while its month-0 reservation values stay as they are."""
    base = raw("baseline")
    _, problem = case("baseline")
    for growth, expect_deal in ((0.0, False), (0.005, True)):
        loaded = base.with_overrides({"parties.russia.reservation.cost_growth": growth})
        assert np.allclose(
            compile_problem(loaded.scenario).reservation[:2], problem.reservation[:2]
        )
        periods = [r.agreement_period for r in analyse_strategy(loaded).bargaining]
        if expect_deal:
            assert all(p is not None and p > 0 for p in periods), periods
        else:
            assert periods == [None, None, None]

"""The leverage game on a case worked by hand."""

from __future__ import annotations

import numpy as np

from sim.games.leverage import Settlement, Threat, solve_leverage

# columns: R, U, mediator
CANDIDATES = np.array([[0.5, 0.7, 0.9], [0.65, 0.55, 0.8]])


def settle(refusal: np.ndarray) -> Settlement | None:
    ok = [i for i, u in enumerate(CANDIDATES) if (u[:2] >= refusal).all()]
    if not ok:
        return None
    best = max(ok, key=lambda i: (CANDIDATES[i, 2], -i))
    return best, CANDIDATES[best]


def test_credible_threat_opens_a_deal_and_is_chosen() -> None:
    status_quo = Threat("none", None, np.array([0.6, 0.6]), mediator_war=0.3, value=0.0)
    squeeze_u = Threat("squeeze_u", 1, np.array([0.7, 0.5]), mediator_war=0.2, value=0.15)
    squeeze_r = Threat("squeeze_r", 0, np.array([0.45, 0.7]), mediator_war=0.4, value=-0.2)
    result = solve_leverage(status_quo, [squeeze_u, squeeze_r], mediator=2, settle=settle)
    none, u, r = result.outcomes
    assert none.settlement is None and none.mediator_payoff == 0.3
    # 0.2 + 0.15 >= 0.3: credible; U's refusal value drops to 0.5 and bundle 1 is accepted
    assert u.credible and u.refusal_values.tolist() == [0.6, 0.5]
    assert u.settlement is not None and u.settlement[0] == 1 and u.mediator_payoff == 0.8
    # 0.4 - 0.2 < 0.3: not credible, so it changes nothing
    assert not r.credible and r.refusal_values.tolist() == [0.6, 0.6]
    assert r.settlement is None and not r.executed and r.mediator_payoff == 0.3
    assert result.chosen.name == "squeeze_u"


def test_credible_threat_without_a_deal_is_carried_out() -> None:
    status_quo = Threat("none", None, np.array([0.8, 0.8]), mediator_war=0.3, value=0.0)
    threat = Threat("t", 0, np.array([0.7, 0.9]), mediator_war=0.35, value=0.0)
    result = solve_leverage(status_quo, [threat], mediator=2, settle=settle)
    outcome = result.outcomes[1]
    assert outcome.credible and outcome.settlement is None and outcome.executed
    assert outcome.mediator_payoff == 0.35
    assert result.chosen.name == "t"


def test_a_policy_that_changes_nothing_is_flagged() -> None:
    status_quo = Threat("none", None, np.array([0.8, 0.8]), mediator_war=0.3, value=0.0)
    same = Threat("same", 1, np.array([0.1, 0.8]), mediator_war=0.3, value=0.0)
    moves = Threat("moves", 1, np.array([0.8, 0.7]), mediator_war=0.3, value=0.0)
    result = solve_leverage(status_quo, [same, moves], mediator=2, settle=settle)
    assert [o.effective for o in result.outcomes] == [True, False, True]

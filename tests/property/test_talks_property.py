"""Why talks fail on random two-party scenarios: invariants of screening and durability, and the
optimism threshold against the zone computed with the beliefs written into the scenario."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.analysis.analyse import analyse_scenario
from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.model import load_many

UNIT = st.floats(0.0, 1.0, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    radices = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    issues = {
        f"i{k}": {"options": {f"o{o}": f"option {o}" for o in range(r)}}
        for k, r in enumerate(radices)
    }
    parties = {}
    for side in ("p0", "p1"):
        parties[side] = {
            "discount": draw(st.floats(0.5, 0.95).map(lambda x: round(x, 3))),
            "reservation": {
                "win": draw(st.floats(0.6, 1.0).map(lambda x: round(x, 3))),
                "lose": draw(st.floats(0.0, 0.3).map(lambda x: round(x, 3))),
                "cost": draw(st.floats(0.0, 0.2).map(lambda x: round(x, 3))),
            },
            "weights": {f"i{k}": draw(st.integers(1, 3)) for k in range(len(radices))},
            "values": {
                f"i{k}": {f"o{o}": draw(UNIT) for o in range(r)} for k, r in enumerate(radices)
            },
        }
    field = draw(st.sampled_from(["cost", "odds"]))
    lo = draw(st.floats(0.0, 0.5).map(lambda x: round(x, 3)))
    hi = round(lo + draw(st.floats(0.05, 0.5)), 3)
    return {
        "name": "random",
        "war": {
            "sides": ["p0", "p1"],
            "prevail": draw(st.floats(0.2, 0.8).map(lambda x: round(x, 3))),
            "drift": draw(st.sampled_from([0.0, 0.01, -0.02, 0.03])),
            "horizon": draw(st.integers(0, 8)),
            "private": {
                "p1": {
                    "field": field,
                    "belief": {"uniform": [lo, min(hi, 1.0)]},
                    "grid": draw(st.integers(1, 12)),
                }
            },
        },
        "issues": issues,
        "parties": parties,
    }


def load(document: dict[str, Any]):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.yaml"
        path.write_text(json.dumps(document), encoding="utf-8")
        return load_many(str(path))[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_screening_and_durability_invariants(document):
    outcome = analyse_scenario(load(document))
    talks = outcome.talks
    assert talks is not None and talks.private is not None
    head = talks.headline
    assert head is not None and head.key == "screening"
    by = np.array(head.p_agreement_by)
    assert ((by >= 0) & (by <= 1 + 1e-12)).all() and (np.diff(by) >= -1e-12).all()
    assert abs(head.p_breakdown - (1 - by[-1])) <= 1e-9
    if head.expected_month is not None:
        assert 0 <= head.expected_month <= len(by) - 1
    durable = talks.durable
    assert durable.today == outcome.space.acceptable
    assert list(durable.holding) == sorted(durable.holding, reverse=True)
    assert durable.durable == durable.holding[-1]
    assert durable.commitment_problem == (durable.today > 0 and durable.durable == 0)
    if document["war"]["drift"] == 0.0:
        assert durable.loss_months == () and durable.durable == durable.today


def zone(loaded, d: float) -> int:
    p = loaded.scenario.war.prevail
    over = {"war.beliefs": {"p0": p + d, "p1": p - d}}
    return analyse(compile_problem(loaded.raw().with_overrides(over).scenario)).acceptable.value


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_optimism_threshold_separates_a_zone_from_none(document):
    loaded = load(document)
    talks = analyse_scenario(loaded).talks
    assert talks is not None and talks.expectations is not None
    threshold = talks.expectations.optimism_threshold
    if threshold is None:  # no optimism empties it: some bundle survives certain victory
        assert zone(loaded, 1.0) > 0
        return
    if threshold == 0.0:
        assert zone(loaded, 1e-7) == 0
        return
    assert zone(loaded, threshold - 1e-7) > 0
    assert zone(loaded, threshold + 1e-7) == 0

"""Random scenarios: loading and compiling agree with the utility formula of SPEC §1, and no
input, however malformed, escapes as anything but a ScenarioError."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.compile import compile_problem
from sim.core.space import decode
from sim.core.utility import acceptable, bundle_utilities
from sim.errors import ScenarioError
from sim.model import load_scenario
from sim.model.schema import Scenario


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    n_issues = draw(st.integers(1, 4))
    radices = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    issues = {
        f"i{k}": {"options": {f"o{j}": None for j in range(r)}} for k, r in enumerate(radices)
    }
    parties = {}
    for i in range(draw(st.integers(1, 4))):
        weights = {f"i{k}": draw(st.sampled_from([0, 0.5, 1, 2, 3.7])) for k in range(n_issues)}
        if not any(weights.values()):
            weights["i0"] = 1
        values = {
            f"i{k}": {f"o{j}": draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])) for j in range(r)}
            for k, r in enumerate(radices)
            if weights[f"i{k}"] > 0
        }
        party: dict[str, Any] = {"weights": weights, "values": values}
        party["reservation"] = draw(st.sampled_from([0.0, 0.3, 0.5, 0.8]))
        party["veto"] = draw(st.booleans()) if i else True
        if n_issues >= 2 and draw(st.booleans()):
            linked = draw(
                st.lists(st.integers(0, n_issues - 1), min_size=2, max_size=3, unique=True)
            )
            party["interactions"] = [
                {
                    "when": {f"i{k}": f"o{draw(st.integers(0, radices[k] - 1))}" for k in linked},
                    "value": draw(st.sampled_from([-0.2, 0.1, 0.3])),
                }
            ]
        if draw(st.booleans()):
            k = draw(st.integers(0, n_issues - 1))
            party["red_lines"] = [
                {"issue": f"i{k}", "options": [f"o{draw(st.integers(0, radices[k] - 1))}"]}
            ]
        parties[f"p{i}"] = party
    return {"name": "random", "issues": issues, "parties": parties}


@settings(max_examples=80, deadline=None)
@given(scenarios())
def test_compiled_utilities_follow_the_formula(document: dict[str, Any]) -> None:
    scenario = Scenario.model_validate(document)
    problem = compile_problem(scenario)
    assert problem.size == int(np.prod(problem.bundle_radices))
    # the compiled (possibly composite) digits and the scenario's digits of the same indices
    digits = decode(np.arange(problem.size), problem.radices)
    utilities = bundle_utilities(problem, digits)
    names = list(document["issues"])
    options = [list(document["issues"][k]["options"]) for k in names]
    veto = [p for p, v in document["parties"].items() if v["veto"]]
    allowed = acceptable(problem, digits, utilities)
    for b, choice in enumerate(itertools.product(*[range(len(o)) for o in options])):
        for i, (pid, party) in enumerate(document["parties"].items()):
            total = sum(party["weights"].values())
            expected = sum(
                w / total * party["values"][issue][options[k][choice[k]]]
                for k, issue in enumerate(names)
                if (w := party["weights"][issue]) > 0
            )
            for term in party.get("interactions", []):
                if all(
                    options[names.index(k)][choice[names.index(k)]] == o
                    for k, o in term["when"].items()
                ):
                    expected += term["value"]
            assert abs(utilities[b, i] - expected) < 1e-12, (b, pid)
        blocked = any(
            options[names.index(line["issue"])][choice[names.index(line["issue"])]]
            in line["options"]
            for p in veto
            for line in document["parties"][p].get("red_lines", [])
        )
        meets = all(
            utilities[b, list(document["parties"]).index(p)]
            >= document["parties"][p]["reservation"] - 1e-12
            for p in veto
        )
        assert bool(allowed[b]) == (not blocked and meets)


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.sampled_from([0.1, 3.0, 1000.0]))
def test_weights_are_normalised(document: dict[str, Any], scale: float) -> None:
    scaled = yaml.safe_load(yaml.safe_dump(document))
    for party in scaled["parties"].values():
        party["weights"] = {k: v * scale for k, v in party["weights"].items()}
    a = compile_problem(Scenario.model_validate(document))
    b = compile_problem(Scenario.model_validate(scaled))
    for ta, tb in zip(a.tables, b.tables, strict=True):
        np.testing.assert_allclose(ta, tb, atol=1e-12)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300)))
def test_any_file_content_is_loaded_or_refused_with_a_scenario_error(
    tmp_path: Path, content: bytes | str
) -> None:
    path = tmp_path / "fuzz.yaml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    try:
        load_scenario(path)
    except ScenarioError as error:
        assert error.diagnostics
        assert all(
            str(d).startswith("fuzz.yaml") or "fuzz.yaml" in str(d) for d in error.diagnostics
        )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenarios(), st.data())
def test_mutated_scenarios_are_loaded_or_refused_with_a_scenario_error(
    tmp_path: Path, document: dict[str, Any], data: st.DataObject
) -> None:
    """Replace one value anywhere in a valid scenario with something of another kind."""
    paths = list(_leaves(document))
    where = data.draw(st.sampled_from(paths))
    junk = data.draw(st.sampled_from([None, "x", -1, 2.5, [], {}, True, "1e9", [1, 2]]))
    node: Any = document
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = junk
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError as error:
        assert error.diagnostics


def _leaves(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*prefix, k))] + (
            [prefix] if prefix else []
        )
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*prefix, i))] + [prefix]
    return [prefix]

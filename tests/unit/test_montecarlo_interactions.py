"""Interaction terms in `sim uncertainty`: composite issues are drawn like every other issue.

The fixture links two of three issues for both sides (tests/fixtures/linked), and its
uncertainty draws the interaction terms' values, option values, weights and a reservation.
Each draw equals the one-draw path: the draw's values set on the scenario (`set:` overrides,
validated and compiled again), analysed by `analyse`, the proposals judged by
`judge_allowed` over the options their terms allow, and bargaining over time and compliance
by `analyse_strategy`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import sim.montecarlo.static as static
from sim.analysis.analyse import allowed_options
from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.core.verdict import judge_allowed
from sim.model import load_scenario
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.static import VERDICTS, build_structure, evaluate_block
from tests.unit.test_montecarlo_induction import assert_equal_blocks
from tests.unit.test_montecarlo_strategic import check

LINKED = Path(__file__).parents[1] / "fixtures" / "linked" / "linked.yaml"


def drawn_linked(tmp_path: Path) -> Path:
    document: dict[str, Any] = yaml.safe_load(LINKED.read_text(encoding="utf-8"))
    document["proposals"] = {
        "monitored": {"terms": {"zone": "dmz", "monitors": "foreign"}},
        "middle": {"terms": {"border": "middle"}},
    }
    document["uncertainty"] = {
        "vary": {
            "parties.a.interactions.0.value": {"uniform": [-0.3, 0.3]},
            "parties.b.interactions.0.value": {"uniform": [-0.4, 0.2]},
            "parties.*.values.*.*": {"jitter": 0.1},
            "parties.a.weights.border": {"uniform": [1.0, 3.0]},
            "parties.b.reservation": {"uniform": [0.2, 0.6]},
        }
    }
    path = tmp_path / "linked.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def one_draw(path: Path, overrides: dict[str, float]) -> dict[str, Any]:
    scenario = load_scenario(path).raw().with_overrides(overrides).scenario
    problem = compile_problem(scenario)
    assert problem.source_blocks is not None  # a composite issue
    analysis = analyse(problem)
    return {
        "acceptable": analysis.acceptable.value,
        "frontier": analysis.frontier.size,
        "solutions": [-1 if s is None else s.index for s in analysis.solutions.as_dict().values()],
        "verdicts": [
            [
                VERDICTS.index(v.verdict)
                for v in judge_allowed(problem, allowed_options(problem, proposal.terms))
            ]
            for proposal in scenario.proposals.values()
        ],
    }


def test_composite_issues_are_drawn_as_the_one_draw_path_computes_them(tmp_path: Path) -> None:
    path = drawn_linked(tmp_path)
    loaded = load_scenario(path)
    judgments = resolve_judgments(loaded)
    assert any(j.path == "parties.a.interactions.0.value" for j in judgments)
    structure = build_structure(loaded, judgments)
    drawn = draw_block(judgments, 11, 0, 80)
    block = evaluate_block(structure, drawn)
    tables, _, _ = static.block_arrays(structure, drawn)
    zones = 0
    for d in range(80):
        overrides = {j.path: float(v) for j, v in zip(judgments, drawn[d], strict=True)}
        problem = compile_problem(loaded.raw().with_overrides(overrides).scenario)
        assert [t[d].tolist() for t in tables] == [t.tolist() for t in problem.tables], d
        got = {
            "acceptable": int(block.acceptable[d]),
            "frontier": int(block.frontier[d]),
            "solutions": block.solutions[d].tolist(),
            "verdicts": block.verdicts[d].tolist(),
        }
        assert got == one_draw(path, overrides), d
        zones += int(block.acceptable[d] > 0)
    assert 0 < zones < 80  # the draws move the zone
    agreed, _ = check(path, 30, 4)  # per draw: analyse_strategy of the drawn scenario
    assert agreed > 0
    assert_equal_blocks(path, 30, 4)  # the vectorised block: the one-draw block


def test_the_oracle_sees_a_block_that_ignores_the_drawn_interactions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mutation: the block's tables with the stated interaction values."""
    path = drawn_linked(tmp_path)
    loaded = load_scenario(path)
    judgments = resolve_judgments(loaded)
    structure = build_structure(loaded, judgments)
    drawn = draw_block(judgments, 11, 0, 40)
    original = static.compiled_tables

    def stated_terms(scenario, issues, options, layout, values, draws):  # type: ignore[no-untyped-def]
        kept = type(values)({k: v for k, v in values.columns.items() if ".interactions." not in k})
        return original(scenario, issues, options, layout, kept, draws)

    monkeypatch.setattr(static, "compiled_tables", stated_terms)
    block = evaluate_block(structure, drawn)
    differs = 0
    for d in range(40):
        overrides = {j.path: float(v) for j, v in zip(judgments, drawn[d], strict=True)}
        expected = one_draw(path, overrides)
        differs += int(block.acceptable[d]) != expected["acceptable"] or (
            block.solutions[d].tolist() != expected["solutions"]
        )
    assert differs > 0


def test_compliance_over_composite_issues_is_drawn_as_the_one_draw_path_computes_it(
    tmp_path: Path,
) -> None:
    """A war between the linked sides with a compliance game whose detection and protection
    come from options of the composite issue (zone and monitors): each draw's verdicts equal
    `analyse_strategy` of the drawn scenario, and the vectorised block the one-draw block."""
    document: dict[str, Any] = yaml.safe_load(drawn_linked(tmp_path).read_text(encoding="utf-8"))
    document["war"] = {"sides": ["a", "b"], "prevail": 0.5, "drift": 0.02, "horizon": 4}
    document["compliance"] = {
        "gain": {"a": 0.1, "b": 0.1},
        "exposure": {"a": 0.1, "b": 0.1},
        "penalty": {"a": 0.3, "b": 0.3},
        "detection": 0.2,
        "detection_options": {"zone": {"dmz": 0.2}, "monitors": {"foreign": 0.3}},
        "protection": {"b": {"monitors": {"foreign": 0.5}}},
    }
    document["uncertainty"]["vary"] |= {
        "compliance.detection_options.monitors.foreign": {"uniform": [0.0, 0.6]},
        "compliance.gain.*": {"uniform": [0.0, 0.3]},
    }
    path = tmp_path / "linked_war.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    agreed, judged = check(path, 40, 6)
    assert agreed > 0 and judged > 0
    assert_equal_blocks(path, 40, 6)


def test_a_block_bounds_its_value_tables_when_a_composite_issue_is_large(tmp_path: Path) -> None:
    """Two issues of 600 options joined by an interaction term make a composite issue of
    360,000 options, of which red lines leave 4 bundles feasible: a block holds few draws, so
    its tables (every party's value of every compiled option) stay within BLOCK_CELLS.
    Mutation: sized by the feasible bundles alone, a block would hold 4,096 draws (about
    1.2 GB of tables)."""
    options = {f"o{k}": None for k in range(600)}
    document = {
        "name": "wide",
        "issues": {"a": {"options": options}, "b": {"options": options}},
        "parties": {
            p: {
                "reservation": 0.1,
                "weights": {"a": 1.0, "b": 1.0},
                "values": {
                    "a": dict.fromkeys(options, 0.0) | {"o0": 1.0, "o1": 0.5},
                    "b": dict.fromkeys(options, 0.0) | {"o0": 0.5, "o1": 1.0},
                },
                "interactions": [{"when": {"a": "o0", "b": "o1"}, "value": 0.1}],
                "red_lines": [
                    {"issue": "a", "options": [f"o{k}" for k in range(2, 600)]},
                    {"issue": "b", "options": [f"o{k}" for k in range(2, 600)]},
                ],
            }
            for p in ("x", "y")
        },
        "uncertainty": {"vary": {"parties.x.interactions.0.value": {"uniform": [0.0, 0.2]}}},
    }
    path = tmp_path / "wide.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    loaded = load_scenario(path)
    judgments = resolve_judgments(loaded)
    structure = build_structure(loaded, judgments)
    assert structure.bundles.shape[0] == 4
    step = static.block_size(structure)
    cells = structure.problem.n_parties * int(structure.problem.radices.sum())
    assert cells == 2 * 360_000 and step * cells <= static.BLOCK_CELLS
    block = evaluate_block(structure, draw_block(judgments, 1, 0, step))
    assert (block.acceptable > 0).all()

"""The vectorised draws equal the one-draw-at-a-time path exactly, draw by draw.

The oracle applies each draw's values as `set:` overrides (`RawScenario.with_overrides`),
validates and compiles the scenario again, and calls `sim.core.analysis.analyse` and
`sim.core.verdict.judge_terms`: none of the vectorised code (tables built for a block,
half-space sums, the per-draw frontier of the acceptable set) is on that path.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.core.verdict import judge_terms
from sim.model import LoadedScenario, load_scenario
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.static import VERDICTS, build_structure, evaluate_block
from tests.conftest import WAR
from tests.property.strategies import add_war_terms


def one_draw(loaded: LoadedScenario, paths: list[str], row: np.ndarray) -> dict[str, Any]:
    """The static layer of one draw through the scenario pipeline and `analyse`."""
    overrides = {p: float(v) for p, v in zip(paths, row, strict=True)}
    scenario = loaded.raw().with_overrides(overrides).scenario
    problem = compile_problem(scenario)
    analysis = analyse(problem)
    solutions = [-1 if s is None else s.index for s in analysis.solutions.as_dict().values()]
    verdicts = []
    for proposal in scenario.proposals.values():
        terms = {
            problem.issues.index(k): problem.options[problem.issues.index(k)].index(o)
            for k, o in proposal.terms.items()
        }
        verdicts.append([VERDICTS.index(v.verdict) for v in judge_terms(problem, terms)])
    assert analysis.acceptable.exact
    return {
        "acceptable": analysis.acceptable.value,
        "frontier": analysis.frontier.size,
        "solutions": solutions,
        "verdicts": verdicts,
    }


def assert_exact(loaded: LoadedScenario, draws: int, seed: int) -> int:
    """Compare every draw; return how many draws had a zone (so tests can see both kinds)."""
    judgments = resolve_judgments(loaded)
    structure = build_structure(loaded, judgments)
    drawn = draw_block(judgments, seed, 0, draws)
    block = evaluate_block(structure, drawn)
    paths = [j.path for j in judgments]
    for d in range(draws):
        expected = one_draw(loaded, paths, drawn[d])
        got = {
            "acceptable": int(block.acceptable[d]),
            "frontier": int(block.frontier[d]),
            "solutions": block.solutions[d].tolist(),
            "verdicts": block.verdicts[d].tolist(),
        }
        assert got == expected, f"draw {d}"
    return int((block.acceptable > 0).sum())


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small scenario document with an uncertainty section over every kind of judgment,
    often with war outcomes as terms and beliefs by side."""
    n_issues = draw(st.integers(1, 3))
    radices = [draw(st.integers(2, 3)) for _ in range(n_issues)]
    issues = {
        f"i{k}": {"options": {f"o{o}": None for o in range(r)}} for k, r in enumerate(radices)
    }
    n_parties = draw(st.integers(2, 3))
    unit = st.floats(0.0, 1.0).map(lambda x: round(x, 2))
    parties: dict[str, Any] = {}
    for i in range(n_parties):
        veto = i < 2 or draw(st.booleans())
        party: dict[str, Any] = {
            "veto": veto,
            "power": draw(st.sampled_from([0.5, 1.0, 2.0])),
            "weights": {f"i{k}": draw(st.floats(0.1, 1.0)) for k in range(n_issues)},
            "values": {
                f"i{k}": {f"o{o}": draw(unit) for o in range(r)} for k, r in enumerate(radices)
            },
        }
        if i < 2:
            party["reservation"] = {
                "win": draw(unit),
                "lose": draw(unit),
                "cost": {"base": draw(st.floats(0.0, 0.2)), "effects": {"push": 0.05}},
            }
        elif veto or draw(st.booleans()):
            party["reservation"] = draw(unit)
        if veto and draw(st.booleans()):
            k = draw(st.integers(0, n_issues - 1))
            party["red_lines"] = [{"issue": f"i{k}", "options": [f"o{radices[k] - 1}"]}]
        parties[f"p{i}"] = party
    proposals = {
        "full": {
            "terms": {f"i{k}": f"o{draw(st.integers(0, r - 1))}" for k, r in enumerate(radices)}
        },
        "partial": {"terms": {"i0": "o0"}},
    }
    document = {
        "name": "generated",
        "levers": {"push": {"value": draw(st.floats(-1.0, 1.0))}},
        "war": {"sides": ["p0", "p1"], "prevail": {"base": draw(unit), "effects": {"push": 0.1}}},
        "issues": issues,
        "parties": parties,
        "proposals": proposals,
        "uncertainty": {
            "defaults": {
                "values": {"jitter": 0.2},
                "weights": {"relative": 0.5},
                "reservations": {"jitter": 0.1},
                "levers": {"jitter": 0.5},
                "war": {"normal": [0.0, 0.2]},
                "power": {"uniform": [0.5, 2.0]},
            }
        },
    }
    add_war_terms(
        draw,
        document,
        radices,
        bases=st.floats(0.0, 1.0).map(lambda x: round(x, 2)),
        effects=st.floats(-0.2, 0.2),
    )
    return document


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.integers(0, 2**32))
def test_vectorised_equals_one_draw_at_a_time(document: dict[str, Any], seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(yaml.safe_dump(document), encoding="utf-8")
        assert_exact(load_scenario(path), draws=12, seed=seed)


def test_war_fixture_vectorised_equals_one_draw_at_a_time() -> None:
    """Every scenario of the war fixture (consent, partial proposals, war-derived
    reservations with beliefs by side), a few draws each: the baseline has draws without a
    zone (4 of these 15) as well as draws with one; the variants have a zone in every one."""
    zones = []
    for name in ("baseline", "sanctions_threat", "interim_ceasefire", "aid_freeze"):
        loaded = load_scenario(WAR / f"{name}.yaml")
        zones.append(assert_exact(loaded, draws=15, seed=3))
    assert zones == [11, 15, 15, 15]

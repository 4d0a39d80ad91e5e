"""The vectorised strategic layer equals the one-draw-at-a-time path exactly, draw by draw.

Oracles: :func:`sim.montecarlo.strategic.strategic_block` (the core's backward induction and
compliance game run on each draw; itself checked against `analyse_strategy` on the drawn
scenario in test_montecarlo_strategic.py), the core's `war_path`/`war_present_value` per draw,
and the game solver (`solve_game`, only mutual compliance) on every 2x2 game with payoffs in a small
grid (so that every kind of tie occurs).
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.strategy import timeline
from sim.compile import compile_problem
from sim.games.game import Game, solve_game
from sim.model import load_scenario
from sim.montecarlo.draws import draw_block
from sim.montecarlo.induction import self_enforcing, vectorised_strategic_block, war_block
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.static import block_arrays, build_structure, drawn_values
from sim.montecarlo.strategic import strategic_block
from tests.conftest import WAR
from tests.property.strategies import add_war_terms

REPO = Path(__file__).resolve().parents[2]


def assert_equal_blocks(path: Path, draws: int, seed: int) -> tuple[int, int]:
    """Every draw equal; returns how many (draw, protocol) runs agreed and were judged."""
    loaded = load_scenario(path)
    structure = build_structure(loaded, resolve_judgments(loaded))
    drawn = draw_block(structure.judgments, seed, 0, draws)
    expected = strategic_block(structure, drawn)
    got = vectorised_strategic_block(structure, drawn)
    assert got.names == expected.names
    for d in range(draws):
        assert got.period[d].tolist() == expected.period[d].tolist(), d
        assert got.bundle[d].tolist() == expected.bundle[d].tolist(), d
        assert got.self_enforcing[d].tolist() == expected.self_enforcing[d].tolist(), d
    return int((expected.period >= 0).sum()), int((expected.self_enforcing >= 0).sum())


@pytest.mark.parametrize(
    "name", ["baseline", "sanctions_threat", "interim_ceasefire", "aid_freeze"]
)
def test_war_fixture_equals_one_draw_at_a_time(name: str) -> None:
    """Two protocols (alternating offers played both ways, the broker's mediated one), beliefs
    by side, terms each side imposes, consent and a drifting war."""
    agreed, judged = assert_equal_blocks(WAR / f"{name}.yaml", 60, 11)
    assert agreed > 0 and judged > 0  # agreements and compliance games are exercised
    if name == "baseline":
        assert agreed < 60 * 3  # and draws in which a protocol reaches no agreement


def test_toy_with_mediator_equals_one_draw_at_a_time() -> None:
    agreed, judged = assert_equal_blocks(REPO / "tests" / "fixtures" / "toy" / "base.yaml", 80, 4)
    assert agreed > 0 and judged > 0


def terms_document() -> dict[str, Any]:
    """Two veto war sides over land and status with a drifting war: a imposes all of the land
    and completes status with its own drawn favourite, b imposes all_b and completes status
    with its own; beliefs differ by side and are drawn; neither reservation states win or lose
    (b states win); compliance; a mediator whose leverage war states neither."""
    return {
        "name": "terms",
        "levers": {"pressure": {"value": 1.0}},
        "war": {
            "sides": ["a", "b"],
            "prevail": 0.5,
            "drift": 0.04,
            "horizon": 6,
            "beliefs": {"a": {"base": 0.6, "effects": {"pressure": 0.05}}, "b": 0.4},
            "outcomes": {"a": {"land": "all_a"}, "b": {"land": "all_b"}},
        },
        "issues": {
            "land": {"options": {"all_a": None, "split": None, "all_b": None}},
            "status": {"options": {"aligned": None, "neutral": None}},
        },
        "parties": {
            "a": {
                "reservation": {"cost": 0.05, "cost_growth": 0.01},
                "discount": 0.9,
                "weights": {"land": 0.6, "status": 0.4},
                "values": {
                    "land": {"all_a": 1.0, "split": 0.5, "all_b": 0.0},
                    "status": {"aligned": 0.5, "neutral": 0.5},
                },
            },
            "b": {
                "reservation": {"win": 0.9, "cost": 0.1},
                "discount": 0.8,
                "weights": {"land": 0.5, "status": 0.5},
                "values": {
                    "land": {"all_a": 0.0, "split": 0.6, "all_b": 1.0},
                    "status": {"aligned": 0.6, "neutral": 0.4},
                },
            },
            "m": {
                "veto": False,
                "weights": {"land": 1.0},
                "values": {"land": {"all_a": 0.2, "split": 1.0, "all_b": 0.3}},
            },
        },
        "compliance": {
            "gain": {"a": 0.1, "b": 0.05},
            "exposure": {"a": 0.1, "b": 0.2},
            "penalty": {"a": 0.3, "b": 0.2},
            "detection": 0.4,
        },
        "leverage": {
            "mediator": "m",
            "backs": "b",
            "war": {"cost": 0.05},
            "policies": {"squeeze": {"target": "b", "set": {"levers.pressure.value": 0.0}}},
        },
        "uncertainty": {
            "vary": {
                "parties.*.values.status.*": {"uniform": [0.0, 1.0]},
                "parties.*.values.land.split": {"jitter": 0.2},
                "war.beliefs.a.base": {"uniform": [0.2, 0.9]},
                "war.beliefs.b": {"uniform": [0.1, 0.8]},
                "war.drift": {"uniform": [-0.05, 0.05]},
            }
        },
    }


def write_terms(folder: Path) -> Path:
    path = folder / "terms.yaml"
    path.write_text(yaml.safe_dump(terms_document(), sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("which", ["war", "terms"])
def test_war_flows_equal_the_one_draw_timeline(which: str, tmp_path: Path) -> None:
    """The flows and present values of every draw equal `timeline` of the drawn scenario
    compiled again (beliefs by side; win and lose valued over the drawn completions)."""
    path = WAR / "sanctions_threat.yaml" if which == "war" else write_terms(tmp_path)
    loaded = load_scenario(path)
    structure = build_structure(loaded, resolve_judgments(loaded))
    drawn = draw_block(structure.judgments, 2, 0, 40)
    tables, reservation, _ = block_arrays(structure, drawn)
    at = drawn_values(structure, drawn)
    war = war_block(structure, at, reservation, 40, tables)
    for d in range(40):
        row = {j.path: float(v) for j, v in zip(structure.judgments, drawn[d], strict=True)}
        scenario = loaded.raw().with_overrides(row).scenario
        line = timeline(scenario, compile_problem(scenario))
        assert np.array_equal(war.flows[d], line.flows), d
        assert np.array_equal(war.discounts[d], line.discounts), d
        assert np.array_equal(war.present[d], line.present), d


def test_war_terms_and_beliefs_equal_one_draw_at_a_time(tmp_path: Path) -> None:
    agreed, judged = assert_equal_blocks(write_terms(tmp_path), 80, 6)
    assert 0 < agreed < 80 * 3 and judged > 0  # agreements, their absence, compliance games


def _solver_says(a: np.ndarray, b: np.ndarray) -> bool:
    game = Game("g", ("r", "c"), (("comply", "violate"),) * 2, np.stack([a, b]))
    return solve_game(game).solution.only((0, 0))


def _margins(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.array(
        [a[0, 0] - a[1, 0], a[0, 1] - a[1, 1], b[0, 0] - b[0, 1], b[1, 0] - b[1, 1]], float
    )


def test_self_enforcing_condition_equals_the_solver_on_every_tie() -> None:
    """Every 2x2 game with payoffs in {0, 1} (256) and 600 with payoffs in {0, 1, 2}: all
    margins are 0 or at least 1, so the condition decides every one, ties included."""
    games = [np.array(p, float).reshape(2, 2, 2) for p in itertools.product((0, 1), repeat=8)]
    rng = np.random.default_rng(5)
    games += list(rng.integers(0, 3, size=(600, 2, 2, 2)).astype(float))
    margins = np.stack([_margins(g[0], g[1]) for g in games], axis=1)
    scale = np.array([max(1.0, np.abs(g).max()) for g in games])
    decided, unsure = self_enforcing(margins, scale)
    assert not unsure.any()
    expected = [_solver_says(g[0], g[1]) for g in games]
    assert decided.tolist() == expected
    assert 0 < sum(expected) < len(expected)


def test_self_enforcing_near_ties_are_left_to_the_solver() -> None:
    rng = np.random.default_rng(8)
    base = rng.uniform(-1, 1, size=(300, 2, 2, 2))
    base[:, 0, 1, 0] = base[:, 0, 0, 0] - rng.choice([1e-13, -1e-13, 1e-8, 0.0], size=300)
    margins = np.stack([_margins(g[0], g[1]) for g in base], axis=1)
    scale = np.maximum(1.0, np.abs(base).reshape(300, -1).max(axis=1))
    decided, unsure = self_enforcing(margins, scale)
    assert unsure.sum() > 100
    for g, ok, doubt in zip(base, decided, unsure, strict=True):
        if not doubt:
            assert bool(ok) == _solver_says(g[0], g[1])


@st.composite
def strategic_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small scenario with a war model that drifts, compliance and often a mediator, with
    every kind of judgment drawn (discounts included), often war outcomes as terms and beliefs
    by side."""
    n_issues = draw(st.integers(1, 3))
    radices = [draw(st.integers(2, 3)) for _ in range(n_issues)]
    issues = {
        f"i{k}": {"options": {f"o{o}": None for o in range(r)}} for k, r in enumerate(radices)
    }
    grid = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])  # coarse: exact ties are common
    unit = st.one_of(grid, st.floats(0.0, 1.0).map(lambda x: round(x, 2)))
    parties: dict[str, Any] = {}
    mediator = draw(st.booleans())
    for i in range(3 if mediator else 2):
        party: dict[str, Any] = {
            "weights": {f"i{k}": draw(st.sampled_from([0.5, 1.0, 2.0])) for k in range(n_issues)},
            "values": {
                f"i{k}": {f"o{o}": draw(unit) for o in range(r)} for k, r in enumerate(radices)
            },
            "discount": draw(st.sampled_from([0.5, 0.8, 0.95])),
        }
        if i < 2:
            party["reservation"] = {
                "win": draw(unit),
                "lose": draw(unit),
                "cost": {"base": draw(st.floats(0.0, 0.2)), "effects": {"push": 0.05}},
                "cost_growth": draw(st.sampled_from([0.0, 0.01, -0.01])),
            }
            if draw(st.booleans()):
                k = draw(st.integers(0, n_issues - 1))
                party["red_lines"] = [{"issue": f"i{k}", "options": [f"o{radices[k] - 1}"]}]
        else:
            party["veto"] = False
        parties[f"p{i}"] = party
    document: dict[str, Any] = {
        "name": "generated",
        "levers": {"push": {"value": draw(st.floats(-1.0, 1.0))}},
        "war": {
            "sides": ["p0", "p1"],
            "prevail": {"base": draw(unit), "effects": {"push": 0.1}},
            "drift": draw(st.sampled_from([0.0, 0.02, -0.03])),
            "horizon": draw(st.integers(0, 8)),
        },
        "issues": issues,
        "parties": parties,
        "compliance": {
            "gain": {"p0": draw(grid), "p1": draw(grid)},
            "exposure": {"p0": draw(grid), "p1": draw(grid)},
            "penalty": {"p0": draw(grid), "p1": draw(grid)},
            "detection": draw(grid),
            "detection_options": {"i0": {"o0": draw(grid)}},
            "protection": {"p1": {"i0": {"o1": draw(grid)}}},
        },
        "uncertainty": {
            "defaults": {
                "values": {"jitter": draw(st.sampled_from([0.0, 0.1]))},
                "weights": {"relative": 0.3},
                "reservations": {"jitter": 0.1},
                "levers": {"jitter": 0.5},
                "war": {"normal": [0.0, 0.1]},
                "discount": {"jitter": 0.05},
            }
        },
    }
    if mediator and draw(st.booleans()):  # a third veto party: only the mediated protocol
        parties["p3"] = {
            "weights": {f"i{k}": 1.0 for k in range(n_issues)},
            "values": {
                f"i{k}": {f"o{o}": draw(unit) for o in range(r)} for k, r in enumerate(radices)
            },
            "reservation": draw(st.sampled_from([0.0, 0.2, 0.4])),
        }
        for key in ("gain", "exposure", "penalty"):
            document["compliance"][key]["p3"] = draw(grid)
    if mediator:
        document["leverage"] = {
            "mediator": "p2",
            "backs": "p1",
            "war": {"win": 0.8, "lose": 0.2, "cost": 0.05},
            "policies": {"squeeze": {"target": "p1", "set": {"levers.push.value": 0.0}}},
        }
    add_war_terms(
        draw,
        document,
        radices,
        bases=st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0]),
        effects=st.just(0.1),
    )
    return document


@settings(max_examples=30, deadline=None)
@given(strategic_scenarios(), st.integers(0, 2**32))
def test_random_scenarios_equal_one_draw_at_a_time(document: dict[str, Any], seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(yaml.safe_dump(document), encoding="utf-8")
        assert_equal_blocks(path, 16, seed)


def test_games_left_to_the_solver_give_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the band widened every compliance game goes to the solver: same results."""
    import sim.montecarlo.induction as induction

    calls = []
    solve = induction.compliance_game

    def counted(*args: Any) -> Any:
        calls.append(args[2])
        return solve(*args)

    monkeypatch.setattr(induction, "GAME_BAND", 1e6)
    monkeypatch.setattr(induction, "compliance_game", counted)
    _, judged = assert_equal_blocks(WAR / "sanctions_threat.yaml", 30, 3)
    assert judged > 0 and len(calls) == judged


def test_drawn_compliance_parameters_equal_one_draw_at_a_time(tmp_path: Path) -> None:
    from tests.unit.test_montecarlo_strategic import write_drawn_compliance

    agreed, judged = assert_equal_blocks(write_drawn_compliance(tmp_path), 200, 7)
    assert agreed > 0 and judged > 0

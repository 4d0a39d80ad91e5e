"""War outcomes as terms, beliefs that differ by side, and the war-creates-value warning."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from sim.analysis.strategy import timeline
from sim.cli import app
from sim.compile import compile_problem, reservation_breakdown, war_value_gap
from sim.model import load_scenario

BASE = {
    "name": "duel",
    "levers": {"pressure": {"value": 1.0, "evidence": [{"assumption": "test"}]}},
    "war": {
        "sides": ["a", "b"],
        "prevail": 0.6,
        "horizon": 2,
        "outcomes": {"a": {"land": "all_a"}, "b": {"land": "all_b", "status": "neutral"}},
    },
    "issues": {
        "land": {"options": {"all_a": None, "split": None, "all_b": None}},
        "status": {"options": {"aligned": None, "neutral": None}},
    },
    "parties": {
        "a": {
            "reservation": {"cost": {"base": 0.05, "effects": {"pressure": 0.02}}},
            "weights": {"land": 0.75, "status": 0.25},
            "values": {
                "land": {"all_a": 1.0, "split": 0.5, "all_b": 0.0},
                "status": {"aligned": 0.2, "neutral": 1.0},
            },
        },
        "b": {
            "reservation": {"cost": 0.1},
            "weights": {"land": 0.5, "status": 0.5},
            "values": {
                "land": {"all_a": 0.0, "split": 0.6, "all_b": 1.0},
                "status": {"aligned": 1.0, "neutral": 0.0},
            },
            "red_lines": [{"issue": "land", "options": ["all_a"]}],
        },
    },
}


def write(tmp_path: Path, data: dict) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "duel.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def utility(party: dict, bundle: dict[str, str]) -> float:  # type: ignore[type-arg]
    total = sum(party["weights"].values())
    return sum(w / total * party["values"][k][bundle[k]] for k, w in party["weights"].items())


def test_war_is_a_lottery_over_the_terms_each_side_imposes(tmp_path: Path) -> None:
    loaded = load_scenario(write(tmp_path, BASE))
    problem = compile_problem(loaded.scenario)
    a, b = BASE["parties"]["a"], BASE["parties"]["b"]
    # a imposes all_a and completes `status` with its own favourite (neutral);
    # b imposes all_b and neutral (fully specified).
    if_a = {"land": "all_a", "status": "neutral"}
    if_b = {"land": "all_b", "status": "neutral"}
    expected_a = 0.6 * utility(a, if_a) + 0.4 * utility(a, if_b) - (0.05 + 0.02)
    expected_b = 0.4 * utility(b, if_b) + 0.6 * utility(b, if_a) - 0.1
    assert problem.reservation == pytest.approx([expected_a, expected_b], abs=1e-12)
    breakdown = reservation_breakdown(loaded.scenario, "a", problem)
    assert breakdown is not None
    assert (breakdown.win, breakdown.lose) == pytest.approx((utility(a, if_a), utility(a, if_b)))


def test_the_winner_completes_open_terms_without_its_own_red_lines(tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["war"]["outcomes"]["b"] = {"status": "aligned"}  # land left to b: not all_a (red line)
    problem = compile_problem(load_scenario(write(tmp_path, data)).scenario)
    b = data["parties"]["b"]
    best = max(
        ({"land": land, "status": "aligned"} for land in ("split", "all_b")),
        key=lambda x: utility(b, x),
    )
    assert best["land"] == "all_b"
    breakdown = reservation_breakdown(load_scenario(write(tmp_path, data)).scenario, "b", problem)
    assert breakdown is not None and breakdown.win == pytest.approx(utility(b, best))


def test_beliefs_that_differ_by_side(tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["war"]["beliefs"] = {"a": 0.7, "b": 0.4}  # a: 70% it wins; b: 60% it wins
    data["war"]["drift"] = 0.1
    loaded = load_scenario(write(tmp_path, data))
    problem = compile_problem(loaded.scenario)
    a, b = data["parties"]["a"], data["parties"]["b"]
    if_a = {"land": "all_a", "status": "neutral"}
    if_b = {"land": "all_b", "status": "neutral"}
    line = timeline(loaded.scenario, problem)
    for t in range(3):
        pa = min(max(0.7 + 0.1 * t, 0.0), 1.0)
        pb = 1.0 - min(max(0.4 + 0.1 * t, 0.0), 1.0)
        wa = pa * utility(a, if_a) + (1 - pa) * utility(a, if_b) - 0.07
        wb = pb * utility(b, if_b) + (1 - pb) * utility(b, if_a) - 0.1
        assert line.flows[t] == pytest.approx([max(wa, 0.0), max(wb, 0.0)], abs=1e-12)


def test_war_value_gap_against_brute_force(tmp_path: Path) -> None:
    loaded = load_scenario(write(tmp_path, BASE))
    problem = compile_problem(loaded.scenario)
    gap = war_value_gap(loaded.scenario, problem)
    assert gap is not None
    a, b = BASE["parties"]["a"], BASE["parties"]["b"]
    joint = max(
        utility(a, dict(zip(("land", "status"), combo, strict=True)))
        + utility(b, dict(zip(("land", "status"), combo, strict=True)))
        for combo in itertools.product(("split", "all_b"), ("aligned", "neutral"))  # feasible
    )
    assert gap == pytest.approx((float(problem.reservation.sum()), joint), abs=1e-12)


def test_validate_warns_when_war_creates_value(tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["parties"]["a"]["reservation"] = {"win": 1.0, "lose": 0.9, "cost": 0.0}
    data["parties"]["b"]["reservation"] = {"win": 1.0, "lose": 0.9, "cost": 0.0}
    path = write(tmp_path, data)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert "war creates value" in result.output and "duel" in result.output
    consistent = write(tmp_path, BASE)
    result = CliRunner().invoke(app, ["validate", str(consistent)])
    assert result.exit_code == 0 and "war creates value" not in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["war"]["outcomes"].update({"c": {"land": "split"}}), "war.outcomes.c"),
        (lambda d: d["war"]["outcomes"]["a"].update({"land": "most"}), "unknown option 'most'"),
        (lambda d: d["war"]["outcomes"].pop("b"), "must give war.outcomes for 'b'"),
        (lambda d: d["war"].update({"beliefs": {"x": 0.5}}), "war.beliefs.x"),
    ],
)
def test_bad_war_terms(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(yaml.safe_dump(BASE))
    change(data)
    result = CliRunner().invoke(app, ["validate", str(write(tmp_path, data))])
    assert result.exit_code == 2 and message in result.output, result.output


def test_uncertainty_draws_beliefs_and_values_war_over_the_imposed_terms(tmp_path: Path) -> None:
    """One issue; a imposes all_a and b all_b, so a values war at p_a * 1 + (1 - p_a) * 0 less
    0.1, and b (who believes a prevails with 0.55) at 0.45 * 1 - 0.1 = 0.35. split gives both
    0.5: b accepts it, a exactly when p_a - 0.1 <= 0.5; all_a is below b's 0.35 and all_b gives
    a 0, below p_a - 0.1 for every p_a >= 0.4. With a's belief uniform on [0.4, 0.9], a zone
    exists with probability (0.6 - 0.4) / 0.5 = 0.4, draw by draw where 0.4 + 0.5 u <= 0.6."""
    from sim.montecarlo.draws import uniforms
    from sim.runs.uncertainty import uncertainty

    data = {
        "name": "duel",
        "war": {
            "sides": ["a", "b"],
            "prevail": 0.5,
            "beliefs": {"a": 0.6, "b": 0.55},
            "outcomes": {"a": {"land": "all_a"}, "b": {"land": "all_b"}},
        },
        "issues": {"land": {"options": {"all_a": None, "split": None, "all_b": None}}},
        "parties": {
            "a": {
                "reservation": {"cost": 0.1},
                "weights": {"land": 1.0},
                "values": {"land": {"all_a": 1.0, "split": 0.5, "all_b": 0.0}},
            },
            "b": {
                "reservation": {"cost": 0.1},
                "weights": {"land": 1.0},
                "values": {"land": {"all_a": 0.0, "split": 0.5, "all_b": 1.0}},
            },
        },
        "uncertainty": {"vary": {"war.beliefs.a": {"uniform": [0.4, 0.9]}}},
    }
    result = uncertainty([write(tmp_path, data)], draws=20000, seed=5, sensitivity=False)
    summary = result["duel"].summary
    u = uniforms(5, "war.beliefs.a", 0, 20000)
    assert summary.zone.p == float(np.mean(0.4 + 0.5 * u <= 0.6))
    low, high = summary.zone.low, summary.zone.high
    assert low <= 0.4 <= high and high - low < 0.02
    modal = summary.solutions["nash"].modal
    assert modal is not None and modal.bundle == {"land": "split"}


def test_one_bundle_for_every_draw_is_the_bundle_repeated_per_draw() -> None:
    """terms_utilities with one bundle's digits (a plain index) equals the same digits given
    for each leading index (the gather path), float for float; and a sum by hand."""
    from sim.core.war_terms import terms_utilities

    rng = np.random.default_rng(3)
    tables = [rng.random((5, 3, size)) for size in (2, 4, 3)]
    digits = np.array([1, 3, 0])
    one = terms_utilities(tables, digits)
    repeated = terms_utilities(tables, np.tile(digits, (5, 1)))
    assert one.tolist() == repeated.tolist()
    by_hand = tables[0][:, :, 1] + tables[1][:, :, 3] + tables[2][:, :, 0]
    assert one.tolist() == by_hand.tolist()

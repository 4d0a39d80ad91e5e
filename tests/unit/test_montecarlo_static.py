"""Closed forms for the Monte Carlo estimates, paired differences and block independence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import sim.montecarlo.static as static
from sim.compile import compile_problem
from sim.errors import InputError
from sim.model import load_scenario
from sim.montecarlo.draws import draw_block, uniforms
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.results import simulate
from sim.montecarlo.static import build_structure
from sim.montecarlo.summary import wilson
from sim.runs.uncertainty import uncertainty
from tests.conftest import WAR

REPO = Path(__file__).resolve().parents[2]


def two_sides(r0: list[float], r1: float | list[float], name: str = "two") -> dict[str, Any]:
    """One issue; bundle x gives p0 0.5 and p1 0.6, bundle y less to both. p0's reservation
    is drawn uniform[r0]; p1's is fixed or drawn uniform[r1]."""
    vary: dict[str, Any] = {"parties.p0.reservation": {"uniform": r0}}
    if isinstance(r1, list):
        vary["parties.p1.reservation"] = {"uniform": r1}
    return {
        "name": name,
        "issues": {"deal": {"options": {"x": None, "y": None}}},
        "parties": {
            "p0": {
                "reservation": 0.5,
                "weights": {"deal": 1.0},
                "values": {"deal": {"x": 0.5, "y": 0.3}},
            },
            "p1": {
                "reservation": r1 if isinstance(r1, float) else 0.5,
                "weights": {"deal": 1.0},
                "values": {"deal": {"x": 0.6, "y": 0.1}},
            },
        },
        "proposals": {"x_only": {"terms": {"deal": "x"}}},
        "uncertainty": {"vary": vary},
    }


def write(folder: Path, document: dict[str, Any]) -> Path:
    path = folder / f"{document['name']}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_one_uniform_reservation_gives_the_closed_form(tmp_path: Path) -> None:
    """p_zone = (u - a) / (b - a) with u = 0.5, [a, b] = [0.2, 0.8]: 0.5."""
    path = write(tmp_path, two_sides([0.2, 0.8], 0.0))
    result = uncertainty([path], draws=20000, seed=3, sensitivity=False)
    s = result["two"].summary
    low, high = s.zone.ci
    assert low <= 0.5 <= high
    assert high - low < 0.02
    # p0 accepts the proposal x exactly when a zone exists (x is p0's best bundle)
    assert s.proposals["x_only"]["p0"].p == s.zone.p
    assert s.proposals["x_only"]["p1"].p == 1.0
    assert s.proposals["x_only"]["p0"].ci == s.zone.ci


def test_two_independent_reservations_give_the_product(tmp_path: Path) -> None:
    """(0.5 - 0.2) / 0.6 * (0.6 - 0.4) / 0.5 = 0.5 * 0.4 = 0.2."""
    path = write(tmp_path, two_sides([0.2, 0.8], [0.4, 0.9]))
    s = uncertainty([path], draws=20000, seed=4, sensitivity=False)["two"].summary
    low, high = s.zone.ci
    assert low <= 0.2 <= high and high - low < 0.02
    nash = s.solutions["nash"]
    assert nash.exists.p == s.zone.p
    assert nash.modal is not None and nash.modal.bundle == {"deal": "x"}


def test_intervals_cover_at_about_the_stated_rate(tmp_path: Path) -> None:
    """Over 300 seeds, the 95% interval of 100 draws covers the true 0.5 in about 95%."""
    structure = build_structure(
        load_scenario(write(tmp_path, two_sides([0.2, 0.8], 0.0))),
        resolve_judgments(load_scenario(tmp_path / "two.yaml")),
    )
    covered = 0
    for seed in range(300):
        acceptable = simulate(structure, 100, seed)[0]
        share = wilson(int((acceptable > 0).sum()), 100)
        covered += share.low <= 0.5 <= share.high
    # binomial(300, 0.95): mean 285, sd 3.8
    assert 270 <= covered <= 297


def test_paired_difference_with_common_random_numbers(tmp_path: Path) -> None:
    """The variant moves p0's reservation up to uniform[0.3, 0.8]: the shared uniform gives
    it a value at least the parent's in every draw, so the variant has a zone only where the
    parent has one, and the paired difference is 0.4 - 0.5 = -0.1."""
    write(tmp_path, two_sides([0.2, 0.8], 0.0, name="parent"))
    child = {
        "name": "child",
        "extends": "parent",
        "uncertainty": {"vary": {"parties.p0.reservation": {"uniform": [0.3, 0.8]}}},
    }
    child_path = write(tmp_path, child)
    result = uncertainty(
        [tmp_path / "parent.yaml", child_path], draws=4000, seed=9, sensitivity=False
    )
    versus = result["child"].summary.versus_parent
    assert versus is not None and versus.parent == "parent"
    assert versus.zone_only_in_variant == 0.0
    # draw by draw: the parent has a zone when u <= 0.5, the variant when u <= 0.4
    u = uniforms(9, "parties.p0.reservation", 0, 4000)
    expected = -float(np.mean((u > 0.4) & (u <= 0.5)))
    difference = versus.zone
    assert difference.difference == pytest.approx(expected, abs=1e-12)
    assert abs(expected + 0.1) < 4 * np.sqrt(0.09 / 4000)
    # the paired interval is far narrower than two independent marginals' would be
    assert difference.high - difference.low < 0.025
    assert result["parent"].summary.versus_parent is None
    assert result["parent"].summary.to_json()["versus_parent"] == {"parent": None}


def test_results_do_not_depend_on_block_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_scenario(WAR / "baseline.yaml")
    structure = build_structure(loaded, resolve_judgments(loaded))
    big = simulate(structure, 300, 2)
    assert static.block_size(structure) == 4096  # the 300 draws in one piece
    per_draw = structure.bundles.shape[0] * structure.problem.judges.shape[0]  # cells a draw
    monkeypatch.setattr(static, "BLOCK_CELLS", 7 * per_draw)
    assert static.block_size(structure) == 7
    small = simulate(structure, 300, 2)
    for a, b in zip(big, small, strict=True):
        assert (a == b).all()
    assert (big[0] > 0).any() and (big[0] == 0).any() and len(np.unique(big[0])) > 2


def test_undrawn_scenario_matches_its_stated_analysis() -> None:
    """With every judgment at its stated value, the layer gives the acceptable counts of the
    stated analysis of the war fixture (`sim run tests/fixtures/war/`, with consent)."""
    counts = {"baseline": 4, "aid_freeze": 11, "sanctions_threat": 12, "interim_ceasefire": 15}
    for name, zone in counts.items():
        loaded = load_scenario(WAR / f"{name}.yaml")
        judgments = resolve_judgments(loaded)
        structure = build_structure(loaded, judgments)
        stated = np.array([[j.base for j in judgments]])
        assert int(static.evaluate_block(structure, stated).acceptable[0]) == zone


def test_spaces_beyond_the_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, two_sides([0.2, 0.8], 0.0))
    loaded = load_scenario(path)
    monkeypatch.setattr(static, "FEASIBLE_LIMIT", 1)
    with pytest.raises(InputError, match=r"enumerates the feasible bundles.*has 2, more than 1"):
        build_structure(loaded, resolve_judgments(loaded))


def war_terms_document() -> dict[str, Any]:
    """Two war sides over land and status. a imposes all of the land and completes status
    with its own drawn favourite (its values of aligned and neutral are drawn across each
    other); b imposes all_b and leaves status to its own (fixed) favourite, aligned. Beliefs
    differ by side and are drawn; a's reservation leaves out win and lose, b's only lose."""
    return {
        "name": "terms",
        "levers": {"pressure": {"value": 1.0}},
        "war": {
            "sides": ["a", "b"],
            "prevail": 0.5,
            "beliefs": {"a": {"base": 0.6, "effects": {"pressure": 0.05}}, "b": 0.4},
            "outcomes": {"a": {"land": "all_a"}, "b": {"land": "all_b"}},
        },
        "issues": {
            "land": {"options": {"all_a": None, "split": None, "all_b": None}},
            "status": {"options": {"aligned": None, "neutral": None}},
        },
        "parties": {
            "a": {
                "reservation": {"cost": 0.05},
                "weights": {"land": 0.6, "status": 0.4},
                "values": {
                    "land": {"all_a": 1.0, "split": 0.5, "all_b": 0.0},
                    "status": {"aligned": 0.5, "neutral": 0.5},
                },
            },
            "b": {
                "power": 1.0,
                "reservation": {"win": 0.9, "cost": 0.1},
                "weights": {"land": 0.5, "status": 0.5},
                "values": {
                    "land": {"all_a": 0.0, "split": 0.6, "all_b": 1.0},
                    "status": {"aligned": 1.0, "neutral": 0.2},
                },
            },
        },
        "proposals": {"split": {"terms": {"land": "split"}}},
        "uncertainty": {
            "vary": {
                "parties.a.values.status.*": {"uniform": [0.0, 1.0]},
                "war.beliefs.a.base": {"uniform": [0.3, 0.9]},
                "war.beliefs.b": {"uniform": [0.2, 0.7]},
                "parties.b.reservation.win": {"jitter": 0.1},
                "parties.a.weights.land": {"uniform": [0.3, 0.9]},
                "parties.b.power": {"uniform": [0.5, 2.0]},
            }
        },
    }


def test_war_terms_and_beliefs_are_drawn_as_the_one_draw_path_computes_them(
    tmp_path: Path,
) -> None:
    """Per draw, the reservations equal those of the drawn scenario compiled again, and the
    closed form p * u(terms a imposes) + (1 - p) * u(terms b imposes) - cost with a's drawn
    completion of status; both completions occur."""
    from sim.compile import imposed_bundles

    loaded = load_scenario(write(tmp_path, war_terms_document()))
    judgments = resolve_judgments(loaded)
    assert {j.kind for j in judgments if j.path.startswith("war.beliefs")} == {"war"}
    structure = build_structure(loaded, judgments)
    drawn = draw_block(judgments, 7, 0, 60)
    tables, reservation, power = static.block_arrays(structure, drawn)
    completions = set()
    for d in range(60):
        row = {j.path: float(v) for j, v in zip(judgments, drawn[d], strict=True)}
        scenario = loaded.raw().with_overrides(row).scenario
        problem = compile_problem(scenario)
        assert reservation[d].tolist() == problem.reservation.tolist(), d
        assert [t[d].tolist() for t in tables] == [t.tolist() for t in problem.tables], d
        assert power[d].tolist() == problem.power.tolist(), d
        if_a = imposed_bundles(scenario, problem)["a"]
        completions.add(int(if_a[1]))
        aligned, neutral = (
            row["parties.a.values.status.aligned"],
            row["parties.a.values.status.neutral"],
        )
        land = row["parties.a.weights.land"]  # status weighs 0.4
        share_land, share_status = land / (land + 0.4), 0.4 / (land + 0.4)
        status = share_status * (aligned if aligned >= neutral else neutral)  # ties: the first
        win_a, lose_a = share_land + status, share_status * aligned  # b imposes all_b, aligned
        p_a = min(max(row["war.beliefs.a.base"] + 0.05, 0.0), 1.0)
        expected_a = min(max(p_a * win_a + (1 - p_a) * lose_a - 0.05, 0.0), 1.0)
        p_b = 1.0 - row["war.beliefs.b"]
        lose_b = 0.5 * (1.0 if aligned >= neutral else 0.2)
        expected_b = min(
            max(p_b * row["parties.b.reservation.win"] + (1 - p_b) * lose_b - 0.1, 0.0), 1.0
        )
        assert reservation[d] == pytest.approx([expected_a, expected_b], abs=1e-12), d
    assert completions == {0, 1}

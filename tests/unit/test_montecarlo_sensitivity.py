"""Sensitivity: PAWN recovers the known ranking of additive test functions; the tornado table
lists exactly the judgments whose move alone flips a headline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.montecarlo.sensitivity import pawn_indices
from sim.runs.uncertainty import uncertainty

pytest.importorskip("SALib")


def test_pawn_ranks_a_linear_model() -> None:
    """y = 3a + 2b + c with five inert inputs: a > b > c > every inert one."""
    rng = np.random.default_rng(0)
    x = rng.random((2000, 8))
    y = 3 * x[:, 0] + 2 * x[:, 1] + x[:, 2]
    names = [f"x{i}" for i in range(8)]
    found = pawn_indices(x, y, names)
    assert found is not None
    assert found["x0"] > found["x1"] > found["x2"] > max(found[f"x{i}"] for i in range(3, 8))


def test_pawn_ranks_the_ishigami_function() -> None:
    """Ishigami (a=7, b=0.1) on [-pi, pi]^3 plus an inert input: x1 and x2 clearly matter
    (first-order Sobol 0.31 and 0.44), x3 only through its interaction with x1, x4 not at all."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-np.pi, np.pi, (3000, 4))
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    found = pawn_indices(x, y, ["x1", "x2", "x3", "x4"])
    assert found is not None
    assert min(found["x1"], found["x2"]) > found["x3"] > found["x4"]


def test_a_constant_input_gets_zero() -> None:
    x = np.column_stack([np.linspace(0, 1, 100), np.full(100, 0.5)])
    found = pawn_indices(x, x[:, 0] * 2, ["moving", "fixed"])
    assert found is not None and found["fixed"] == 0.0 and found["moving"] > 0.5


def test_tornado_and_indices_on_a_two_sided_scenario(tmp_path: Path) -> None:
    """p0 gets 0.5 from bundle x and its reservation is stated 0.45, varied uniform[0.2, 0.8]:
    at the high end (0.8) the zone closes; p1's reservation (stated 0.3, varied uniform[0.0,
    0.5], p1 gets 0.6) never closes it; a weight of an inert party moves nothing."""
    document = {
        "name": "two",
        "issues": {"deal": {"options": {"x": None, "y": None}}},
        "parties": {
            "p0": {
                "reservation": 0.45,
                "weights": {"deal": 1.0},
                "values": {"deal": {"x": 0.5, "y": 0.3}},
            },
            "p1": {
                "reservation": 0.3,
                "weights": {"deal": 1.0},
                "values": {"deal": {"x": 0.6, "y": 0.1}},
            },
            "p2": {"veto": False, "weights": {"deal": 1.0}, "values": {"deal": {"x": 1, "y": 0}}},
        },
        "uncertainty": {
            "vary": {
                "parties.p0.reservation": {"uniform": [0.2, 0.8]},
                "parties.p1.reservation": {"uniform": [0.0, 0.5]},
                "parties.p2.weights.deal": {"uniform": [0.5, 1.5]},
            }
        },
    }
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    typed = uncertainty([path], draws=2000, seed=2)["two"].summary.sensitivity
    assert typed is not None
    sensitivity = typed.to_json()  # as summary.json holds it
    flips = [(f["path"], f["end"], f["headline"]) for f in sensitivity["tornado"]]
    assert flips == [
        ("parties.p0.reservation", "high", "zone"),
        ("parties.p0.reservation", "high", "nash"),
    ]
    ranked = sensitivity["p_zone"]
    assert ranked[0]["path"] == "parties.p0.reservation" and ranked[0]["index"] > 0.3
    assert ranked[0]["above_noise"] and sensitivity["noise"]["p_zone"] < 0.1
    others = {r["path"]: r["index"] for r in ranked[1:]}
    assert max(others.values()) < 0.1
    assert "PAWN" in sensitivity["method"]

"""Sobol indices against their closed forms: the Ishigami function and a linear model."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.montecarlo.sobol import DUMMY, sobol_indices
from sim.runs.uncertainty import uncertainty

pytest.importorskip("SALib", reason="Sobol indices need sim[sensitivity] (SALib)")


def ishigami(u: np.ndarray, a: float = 7.0, b: float = 0.1) -> dict[str, np.ndarray]:
    x = -math.pi + 2 * math.pi * u
    return {"y": np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])}


def ishigami_closed_form(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """Variance parts of Ishigami (Sobol & Levitan 1999; Saltelli et al. 2000)."""
    pi4, pi8 = math.pi**4, math.pi**8
    v1 = 0.5 * (1 + b * pi4 / 5) ** 2
    v2 = a * a / 8
    v13 = b * b * pi8 * (1 / 18 - 1 / 50)
    total = v1 + v2 + v13
    return [v1 / total, v2 / total, 0.0], [(v1 + v13) / total, v2 / total, v13 / total]


def by_name(rows: list[dict]) -> dict[str, dict]:
    return {r["name"]: r for r in rows}


def within(row: dict, key: str, truth: float) -> bool:
    low, high = row[f"{key}_ci"]
    return low <= truth <= high


def test_ishigami_indices_match_the_closed_form() -> None:
    found = sobol_indices(ishigami, ["x1", "x2", "x3"], 4096, seed=3)
    assert found is not None and found["evaluations"] == 4096 * 6
    rows = by_name(found["measures"]["y"])
    first, total = ishigami_closed_form()
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)  # the published values
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)
    for i, name in enumerate(("x1", "x2", "x3")):
        assert within(rows[name], "S1", first[i]), (name, rows[name])
        assert within(rows[name], "ST", total[i]), (name, rows[name])
    assert rows[DUMMY]["S1"] == 0.0 and rows[DUMMY]["ST"] == 0.0
    assert [r["name"] for r in found["measures"]["y"]][:2] == ["x1", "x2"]


def test_a_wrong_closed_form_is_outside_the_intervals() -> None:
    """The mutation: swapping x1's and x2's true indices is caught by the intervals."""
    rows = by_name(sobol_indices(ishigami, ["x1", "x2", "x3"], 4096, seed=3)["measures"]["y"])
    first, total = ishigami_closed_form()
    assert not within(rows["x1"], "S1", first[1]) or not within(rows["x2"], "S1", first[0])
    assert not within(rows["x1"], "ST", total[1])


def test_a_linear_model_gives_squared_coefficient_shares() -> None:
    """y = sum a_i x_i with independent uniform x_i: S1_i = ST_i = a_i^2 / sum a_j^2."""
    coefficients = np.array([3.0, 2.0, 1.0, 0.0])

    def linear(u: np.ndarray) -> dict[str, np.ndarray]:
        return {"y": u @ coefficients, "constant": np.ones(u.shape[0])}

    names = ["a", "b", "c", "d"]
    found = sobol_indices(linear, names, 2048, seed=5)
    assert found is not None
    assert found["measures"]["constant"] == "constant over the design"
    rows = by_name(found["measures"]["y"])
    shares = coefficients**2 / (coefficients**2).sum()
    for name, share in zip(names, shares, strict=True):
        assert within(rows[name], "S1", share), (name, rows[name])
        assert within(rows[name], "ST", share), (name, rows[name])
    assert rows["d"]["ST"] == 0.0


def test_groups_give_one_index_per_group() -> None:
    """Grouping x2 and x3 of Ishigami: the group's total index is V2 + V13 over the total
    variance, x1's is unchanged."""
    found = sobol_indices(ishigami, ["x1", "x2", "x3"], 4096, seed=7, groups=["g1", "g2", "g2"])
    rows = by_name(found["measures"]["y"])
    _, total = ishigami_closed_form()
    assert set(rows) == {"g1", "g2", DUMMY}
    assert within(rows["g2"], "ST", total[1] + total[2])
    assert within(rows["g1"], "ST", total[0])
    assert found["evaluations"] == 4096 * 5


def costs_scenario(folder: Path) -> Path:
    """The toy with only the two sides' costs of fighting on drawn: each reservation falls by
    its side's cost, and the zone's best bundle stays acceptable, so the joint surplus is
    linear in the two costs."""
    toy = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"
    (folder / "base.yaml").write_text(toy.read_text(encoding="utf-8"), encoding="utf-8")
    vary = {
        "parties.a.reservation.cost": {"uniform": [0.1, 0.2]},
        "parties.b.reservation.cost": {"uniform": [0.05, 0.25]},
    }
    path = folder / "costs.yaml"
    document = {"name": "costs", "extends": "base", "uncertainty": {"vary": vary}}
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_the_scenarios_indices_match_the_linear_closed_form(tmp_path: Path) -> None:
    """Surplus = constant + cost_a + cost_b with independent uniform costs of widths 0.1 and
    0.2: S1 = ST = 0.1^2 / 0.05 = 0.2 and 0.8; each reservation depends on its side's cost
    alone (ST = 1 for it, exactly 0 for the other)."""
    result = uncertainty(costs_scenario(tmp_path), draws=40, seed=2, strategic_draws=0, sobol=1024)
    sensitivity = result["costs"].summary.sensitivity
    assert sensitivity is not None
    summary = sensitivity.document["sobol"]
    assert summary["evaluations"] == 1024 * (2 + 3)
    surplus = by_name(summary["measures"]["surplus"])
    for group, share in (("a reservations", 0.2), ("b reservations", 0.8)):
        assert within(surplus[group], "S1", share), surplus[group]
        assert within(surplus[group], "ST", share), surplus[group]
    own = by_name(summary["measures"]["reservation.a"])
    assert within(own["a reservations"], "ST", 1.0) and own["b reservations"]["ST"] == 0.0
    by_judgment = uncertainty(
        costs_scenario(tmp_path), draws=40, seed=2, strategic_draws=0, sobol=256,
        sobol_by="judgment",
    ).scenarios[0].summary.sensitivity  # fmt: skip
    assert by_judgment is not None
    judgment = by_judgment.document["sobol"]
    assert {r["name"] for r in judgment["measures"]["surplus"]} == {
        "parties.a.reservation.cost",
        "parties.b.reservation.cost",
        DUMMY,
    }


def test_bad_sobol_options_are_refused(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sim.cli import app

    path = str(costs_scenario(tmp_path))
    for args, message in (
        (["--sobol", "100"], "--sobol: 100 is not a power of 2 of at least 16"),
        (["--sobol", "8"], "--sobol: 8 is not a power of 2"),
        (["--sobol", "64", "--sobol-by", "party"], "--sobol-by: 'party' is not one of"),
        (["--sobol", str(2**20)], "evaluations, above the limit of 2,000,000"),
    ):
        result = CliRunner().invoke(app, ["uncertainty", path, "--no-record", *args])
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output

"""The case's spatial reading (scenarios/ukraine/baseline.yaml `spatial:`): every model runs on
it, inherited by every scenario, and the forecasts the case README reports hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "scenarios" / "ukraine"


def forecast(scenario: str, *options: str) -> dict[str, float]:
    result = CliRunner().invoke(
        app, ["spatial", str(CASE / f"{scenario}.yaml"), "--json", "--no-record", *options]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    found: dict[str, float] = document["forecast"]
    return found


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("compromise", {"nato_deferral": 20.011, "territory": 0.9962}),
        ("median", {"nato_deferral": 20.0, "territory": 1.0}),
        ("bdm", {"nato_deferral": 20.0, "territory": 1.0}),
        ("smp", {"nato_deferral": 23.79, "territory": 1.543}),
    ],
)
def test_the_forecasts_the_case_readme_reports(model: str, expected: dict[str, float]) -> None:
    got = forecast("baseline", "--model", model)
    assert got == pytest.approx(expected, abs=0.005)


def test_the_compromise_by_hand() -> None:
    # weights capability x salience: russia 0.4 (nato) and 0.16 (territory), ukraine 0.15 and
    # 0.1125, united states 0.3 and 0.3 * 0.67, europe 0.15 * 0.33 on both
    nato = (0.4 * 30 + 0.3 * 20) / (0.4 + 0.15 + 0.3 + 0.15 * 0.33)
    territory = (0.16 * 2 + 0.3 * 0.67 * 1) / (0.16 + 0.1125 + 0.3 * 0.67 + 0.15 * 0.33)
    got = forecast("baseline", "--model", "compromise")
    assert got["nato_deferral"] == pytest.approx(nato, abs=1e-9)
    assert got["territory"] == pytest.approx(territory, abs=1e-9)


def test_every_scenario_inherits_the_reading_and_draws_stay_on_the_scales(
    tmp_path: Path,
) -> None:
    for scenario in ("aid_freeze", "march_2025"):
        assert forecast(scenario) == pytest.approx({"nato_deferral": 20.0, "territory": 1.0})
    out = tmp_path / "drawn"
    result = CliRunner().invoke(
        app, ["spatial", str(CASE / "baseline.yaml"), "--draws", "200", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "uncertainty" / "baseline.json").read_text(encoding="utf-8"))
    text = json.dumps(summary)
    assert "nato_deferral" in text and "territory" in text
    rows = (out / "draws" / "baseline.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    nato = header.index("forecast_nato_deferral")
    territory = header.index("forecast_territory")
    values = [row.split(",") for row in rows[1:]]
    assert len(values) == 200
    assert all(0 <= float(v[nato]) <= 30 and 0 <= float(v[territory]) <= 2 for v in values)


def test_a_sweep_of_the_spatial_reading_forecasts_it(tmp_path: Path) -> None:
    out = tmp_path / "swept"
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            str(CASE / "baseline.yaml"),
            "--grid",
            "spatial.actors.russia.capability=0.2,0.6",
            "--executor",
            "serial",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = (out / "outcomes.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    assert "forecast_nato_deferral" in header and "acceptable" not in header
    first = dict(zip(header, rows[1].split(","), strict=True))
    assert float(first["forecast_nato_deferral"]) == pytest.approx(20.0)


def test_a_sweep_that_also_varies_an_issue_analyses_the_bundles(tmp_path: Path) -> None:
    out = tmp_path / "mixed"
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            str(CASE / "baseline.yaml"),
            "--grid",
            "spatial.actors.russia.capability=0.2",
            "--grid",
            "levers.aid.value=1",
            "--executor",
            "serial",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    header = (out / "outcomes.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "acceptable" in header and "forecast_nato_deferral" not in header


def test_sim_uncertainty_forecasts_the_spatial_reading_as_sim_spatial_draws_it(
    tmp_path: Path,
) -> None:
    result = CliRunner().invoke(
        app,
        ["uncertainty", str(CASE / "baseline.yaml"), "--draws", "60", "--seed", "4", "--json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["scenarios"]["baseline"]["spatial"]
    out = tmp_path / "spatial"
    drawn = CliRunner().invoke(
        app,
        ["spatial", str(CASE / "baseline.yaml"), "--draws", "60", "--seed", "4", "--out", str(out)],
    )
    assert drawn.exit_code == 0, drawn.output
    expected = json.loads((out / "uncertainty" / "baseline.json").read_text(encoding="utf-8"))
    assert summary == expected
    assert summary["dimensions"]["nato_deferral"]["stated"] == pytest.approx(20.0)

"""`sim spatial` end to end: the text, --json, the run folder, the figure, compare."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.spatial.result import SpatialResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spatial"
EC = FIXTURES / "ec-emissions.yaml"


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def test_text_shows_forecast_rounds_challenges_and_movement() -> None:
    code, output = invoke(["spatial", str(EC), "--model", "bdm", "--rounds", "3", "--no-record"])
    assert code == 0, output
    assert "forecast: standard 7" in output
    assert "rounds: 3 (still moving at the last round)" in output
    assert "positions on standard [4, 10] by round:" in output
    assert "challenges (" in output and "conflict" in output and "accepted" in output
    assert "movement (last minus first position):" in output


def test_compromise_json_and_run_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, output = invoke(["spatial", str(EC), "--model", "compromise", "--out", str(out)])
    assert code == 0, output
    assert "forecast: standard 7.39" in output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "spatial" and manifest["status"] == "complete"
    assert manifest["models"]["ec-emissions"]["model"] == "compromise"
    with (out / "outcomes.csv").open() as stream:
        (row,) = list(csv.DictReader(stream))
    assert row["model"] == "compromise" and float(row["forecast_standard"]) == pytest.approx(
        5.003 / 0.677, abs=1e-8
    )
    document = json.loads((out / "outcomes" / "ec-emissions.json").read_text())
    result = SpatialResult.from_json(document)
    assert result.forecast[0] == pytest.approx(5.003 / 0.677, abs=1e-12)
    assert SpatialResult.from_json(result.to_json()) == result
    svg = (out / "figures" / "ec-emissions.svg").read_text()
    assert svg.lstrip().startswith("<") and "svg" in svg[:400]


@pytest.mark.parametrize("model", ["median", "bdm", "smp"])
def test_json_of_each_model_reads_back(model: str) -> None:
    code, output = invoke(["spatial", str(EC), "--model", model, "--json", "--no-record"])
    assert code == 0, output
    document = json.loads(output)
    result = SpatialResult.from_json(document)
    assert result.model == model and result.actors[0] == "netherlands"
    assert len(result.positions) == result.rounds + 1
    assert set(document["movement"]) == set(result.actors)
    for challenge in document["challenges"]:
        assert challenge["kind"] in {"conflict", "compromise", "capitulation", "bargain"}


def test_an_option_changes_the_model() -> None:
    args = ["spatial", str(EC), "--rounds", "1", "--json", "--no-record"]
    _, default = invoke(args)
    code, mean = invoke([*args, "--option", "group=mean"])
    assert code == 0, mean
    assert json.loads(mean)["options"]["group"] == "mean"
    assert json.loads(mean)["forecast"] != json.loads(default)["forecast"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--model", "nope"], "unknown model 'nope'"),
        (["--option", "group=middle"], "--option group: 'middle' is not one of median, mean"),
        (["--option", "colour=red"], "bdm has no setting 'colour'"),
        (["--option", "q=2"], "--option q: '2' is out of range"),
        (["--option", "q"], "is not NAME=VALUE"),
        (["--model", "compromise", "--rounds", "3"], "the compromise model has no rounds"),
    ],
)
def test_bad_arguments_exit_2(args: list[str], fragment: str) -> None:
    code, output = invoke(["spatial", str(EC), "--no-record", *args])
    assert code == 2, output
    assert fragment in output
    assert "Traceback" not in output


def test_a_scenario_without_a_spatial_section_exits_2() -> None:
    toy = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"
    code, output = invoke(["spatial", str(toy), "--no-record"])
    assert code == 2
    assert "spatial: none" in output


def test_compare_two_spatial_runs(tmp_path: Path) -> None:
    for name, model in (("a", "compromise"), ("b", "median")):
        code, output = invoke(["spatial", str(EC), "--model", model, "--out", str(tmp_path / name)])
        assert code == 0, output
    code, output = invoke(["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--fail-on-change"])
    assert code == 1, output
    assert "forecast_standard" in output and "7.389955687" in output


def test_report_and_plot_read_the_stored_results(tmp_path: Path) -> None:
    """The report and the figure come from the run's documents: a document edited after
    the run shows in the report (nothing is re-run)."""
    run = tmp_path / "run"
    code, output = invoke(["spatial", str(EC), "--model", "compromise", "--out", str(run)])
    assert code == 0, output
    path = run / "outcomes" / "ec-emissions.json"
    document = json.loads(path.read_text())
    document["dimensions"]["standard"]["forecast"] = 6.125
    path.write_text(json.dumps(document))
    code, output = invoke(
        ["report", str(run), "--format", "markdown", "--out", str(tmp_path / "r.md")]
    )
    assert code == 0, output
    text = (tmp_path / "r.md").read_text()
    assert "Spatial forecast: ec-emissions" in text
    assert "Forecast: standard 6.125." in text
    assert "| united\\_kingdom | standard | 10 | 10 | 0 |" in text
    code, output = invoke(["plot", str(run), "spatial", "--out", str(tmp_path / "p.svg")])
    assert code == 0, output
    assert (tmp_path / "p.svg").read_text().lstrip().startswith("<")
    code, output = invoke(["plot", str(run), "zone", "--out", str(tmp_path / "z.svg")])
    assert code == 2 and "does not apply to a spatial" in output


def test_report_of_a_damaged_spatial_run_exits_2(tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert invoke(["spatial", str(EC), "--model", "median", "--out", str(run)])[0] == 0
    (run / "outcomes" / "ec-emissions.json").write_text('{"schema": "other"}')
    code, output = invoke(["report", str(run), "--out", str(tmp_path / "r.html")])
    assert code == 2, output
    assert "not a spatial result" in output and "Traceback" not in output


def test_sweep_of_a_spatial_reading(tmp_path: Path) -> None:
    """Each point is the scenario's model (here set to the compromise) on the varied file;
    Germany's salience moves the compromise as the closed form says."""
    scenario = tmp_path / "ec.yaml"
    scenario.write_text(EC.read_text().replace("spatial:\n", "spatial:\n  model: compromise\n", 1))
    out = tmp_path / "sweep"
    grid = "spatial.actors.germany.salience.standard=0.2,0.8"
    code, output = invoke(
        ["sweep", str(scenario), "--grid", grid, "--out", str(out), "--executor", "serial"]
    )
    assert code == 0, output
    with (out / "outcomes.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    # Germany (capability 0.16, position 4): its weight 0.16 s replaces 0.128 in 5.003 / 0.677
    for row, s in zip(rows, (0.2, 0.8), strict=True):
        expected = (5.003 - 0.128 * 4 + 0.16 * s * 4) / (0.677 - 0.128 + 0.16 * s)
        assert row["model"] == "compromise"
        assert float(row["forecast_standard"]) == pytest.approx(expected, abs=1e-8)
    code, output = invoke(
        ["report", str(out), "--format", "markdown", "--out", str(tmp_path / "r.md")]
    )
    assert code == 0, output
    assert (
        "forecast\\_standard over spatial.actors.germany.salience.standard"
        in (tmp_path / "r.md").read_text()
    )


def test_the_scenario_names_its_model_and_options(tmp_path: Path) -> None:
    scenario = tmp_path / "ec.yaml"
    text = EC.read_text().replace(
        "spatial:\n", "spatial:\n  model: bdm\n  options: {group: mean, rounds: 2}\n", 1
    )
    scenario.write_text(text)
    code, output = invoke(["spatial", str(scenario), "--json", "--no-record"])
    assert code == 0, output
    document = json.loads(output)
    assert document["options"]["group"] == "mean" and document["rounds"] == 2
    code, output = invoke(["spatial", str(scenario), "--model", "median", "--json", "--no-record"])
    assert code == 0 and json.loads(output)["model"] == "median"
    scenario.write_text(text.replace("group: mean", "group: middle"))
    code, output = invoke(["spatial", str(scenario), "--no-record"])
    assert code == 2
    assert "spatial.options" in output and "'middle' is not one of median, mean" in output


def test_draws_write_a_summary_and_a_row_per_draw(tmp_path: Path) -> None:
    out = tmp_path / "run"
    vary = "spatial.actors.*.salience.*=jitter:0.1"
    args = ["spatial", str(EC), "--model", "compromise", "--draws", "40", "--seed", "3"]
    code, output = invoke([*args, "--vary", vary, "--out", str(out)])
    assert code == 0, output
    assert "compromise over 40 draws (seed 3), 10 judgments varying" in output
    summary = json.loads((out / "uncertainty" / "ec-emissions.json").read_text())
    assert summary["draws"] == 40 and summary["seed"] == 3
    with (out / "draws" / "ec-emissions.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 40
    forecasts = [float(r["forecast_standard"]) for r in rows]
    assert summary["dimensions"]["standard"]["mean"] == pytest.approx(sum(forecasts) / 40, abs=1e-8)
    assert json.loads((out / "manifest.json").read_text())["seed"] == 3


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--seed", "3"], "--seed and --vary go with --draws"),
        (["--draws", "5", "--vary", "spatial.actors.*.colour=jitter:0.1"], "matches no field"),
        (["--draws", "5", "--vary", "spatial.actors.*.salience.*=gauss:1"], "unknown distribution"),
    ],
)
def test_bad_draw_arguments_exit_2(args: list[str], fragment: str) -> None:
    code, output = invoke(["spatial", str(EC), "--no-record", *args])
    assert code == 2, output
    assert fragment in output and "Traceback" not in output


def test_sim_uncertainty_on_a_spatial_reading_alone(tmp_path: Path) -> None:
    """`sim uncertainty` runs the scenario's model over the declared draws, as
    `sim spatial --draws` does (same summary for the same seed)."""
    vary = ["--vary", "spatial.actors.*.capability=relative:0.3"]
    out = tmp_path / "u"
    code, output = invoke(
        ["uncertainty", str(EC), "--draws", "30", "--seed", "2", *vary, "--out", str(out)]
    )
    assert code == 0, output
    assert "bdm over 30 draws (seed 2), 10 judgments varying" in output
    summary = json.loads((out / "uncertainty" / "ec-emissions.json").read_text())
    code, output = invoke(
        ["spatial", str(EC), "--draws", "30", "--seed", "2", *vary, "--json", "--no-record"]
    )
    assert code == 0, output
    assert json.loads(output)["uncertainty"] == summary
    code, output = invoke(["uncertainty", str(EC), "--strategic-draws", "3", "--no-record"])
    assert code == 2 and "no bargaining over time" in output

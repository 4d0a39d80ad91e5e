"""The recipes of the command line: runs named with --latest, reports into the run folder,
missing files, --set messages, sim runs of an uncertainty run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.runs import latest
from sim.runs.latest import resolve_run, runs_named
from tests.conftest import FIXTURES

TOY = FIXTURES / "toy"


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


@pytest.fixture
def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SIM_RESULTS", str(tmp_path / "results"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "results"


def test_compare_takes_names_with_latest_after_several_runs(results: Path) -> None:
    for target in ("base", "base", "child"):
        code, output = invoke(["run", str(TOY / f"{target}.yaml")])
        assert code == 0, output
    bases = runs_named("base", results)
    assert len(bases) == 2  # two runs of base: a glob would give compare three folders
    code, output = invoke(["compare", "base", "child", "--latest"])
    assert code == 0, output
    assert f"A: {bases[-1]}".replace(str(Path.cwd()) + "/", "") in output
    assert "base -> child" in output
    code, output = invoke(["compare", "base", "child"])
    assert code == 2
    assert "no such run folder; to take the newest run of 'base', give --latest" in output
    code, output = invoke(["compare", "nothing", "child", "--latest"])
    assert code == 2 and "no complete run named 'nothing'" in output


def test_latest_is_the_newest_by_stamp_then_suffix(tmp_path: Path) -> None:
    names = [
        "20260102T000000Z-base-2",
        "20260101T235959Z-base",
        "20260102T000000Z-base",
        "20260103T000000Z-base_x",
        "20260104T000000Z-other",
    ]
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text(json.dumps({"status": "complete"}))
    running = tmp_path / "20260105T000000Z-base"
    running.mkdir()
    (running / "manifest.json").write_text(json.dumps({"status": "running"}))
    newest = resolve_run(Path("base"), latest=True, results=tmp_path)
    assert newest.name == "20260102T000000Z-base-2"  # not the running one, not base_x


def test_latest_refuses_an_unfinished_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "20260101T000000Z-base"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"status": "running"}))
    with pytest.raises(Exception, match="no complete run"):
        resolve_run(Path("base"), latest=True, results=tmp_path)
    monkeypatch.setattr(latest, "_complete", lambda folder: True)  # the check can fail
    assert resolve_run(Path("base"), latest=True, results=tmp_path) == folder


def test_report_writes_into_the_run_folder_and_replaces_its_own(results: Path) -> None:
    code, output = invoke(["run", str(TOY / "base.yaml")])
    assert code == 0, output
    (run,) = runs_named("base", results)
    for _ in range(2):
        code, output = invoke(["report", "base", "--latest"])
        assert code == 0, output
        assert (run / "report.html").is_file()
    assert not (Path.cwd() / "report.html").exists()
    code, output = invoke(["report", str(run), "--out", "mine.html"])
    assert code == 0 and Path("mine.html").is_file()
    code, output = invoke(["report", str(run), "--out", "mine.html"])
    assert code == 2 and "exists; give --force" in output  # a file the user named is kept


def test_a_missing_sweep_file_is_no_such_file(results: Path) -> None:
    code, output = invoke(["sweep", "sweeps/nope.yaml"])
    assert (code, output.strip()) == (2, "sweeps/nope.yaml: no such file")


def test_set_errors_name_the_command_line_and_the_closest_path(results: Path) -> None:
    code, output = invoke(["run", str(TOY / "base.yaml"), "--set", "levers.aid.valeu=1"])
    assert code == 2
    assert output.strip() == (
        "command line (--set): levers.aid.valeu: unknown key; did you mean levers.aid.value?"
    )
    code, output = invoke(["run", str(TOY / "base.yaml"), "--set", "levers.aidd.value=1"])
    assert code == 2
    assert "command line (--set): levers.aidd.value: no such field 'levers.aidd'" in output
    assert "did you mean levers.aid.value?" in output
    assert "base.yaml" not in output


def test_sim_runs_counts_the_draws_of_an_uncertainty_run(results: Path) -> None:
    code, output = invoke(["uncertainty", str(TOY / "base.yaml"), "--draws", "40"])
    assert code == 0, output
    assert "uncertainty: 40/40 draws" in output  # the progress total: draws, each once
    code, output = invoke(["runs"])
    assert code == 0
    (line,) = [x for x in output.splitlines() if "uncertainty" in x and "complete" in x]
    assert "40 draws (40 x 1 scenario)" in line


def test_a_misspelt_sweep_path_suggests_the_closest(results: Path) -> None:
    code, output = invoke(["sweep", str(TOY / "base.yaml"), "--grid", "levers.aid.valeu=1,2"])
    assert code == 2
    assert "levers.aid.valeu: no such field" in output
    assert output.strip().endswith("did you mean levers.aid.value?")

"""The Python API gives the same results as the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.errors import InputError
from tests.conftest import WAR


def test_run_and_load_match_the_cli(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    record = sim.run(WAR, out=tmp_path / "api")
    assert CliRunner().invoke(app, ["run", str(WAR), "--out", str(tmp_path / "cli")]).exit_code == 0
    assert (tmp_path / "api" / "outcomes.csv").read_bytes() == (
        tmp_path / "cli" / "outcomes.csv"
    ).read_bytes()
    frame = sim.load_run(record.folder)
    assert list(frame["scenario"]) == [row["scenario"] for row in record.rows]
    assert list(frame["acceptable"]) == [row["acceptable"] for row in record.rows]
    assert sim.compare_runs(tmp_path / "api", tmp_path / "cli").identical


def test_sweep_from_python(tmp_path: Path) -> None:
    record = sim.sweep(
        WAR / "baseline.yaml",
        grid={"levers.aid.value": [0.0, 1.0]},
        executor="serial",
        out=tmp_path / "s",
    )
    assert (record.total, record.failed) == (2, 0)
    with pytest.raises(InputError):
        sim.load_run(tmp_path)

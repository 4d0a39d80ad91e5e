"""`sim.open_run` reads any run folder back into its typed results, and every reader of run
folders (the report, `sim compare`, `load_run`, `load_outcomes`) goes through it.

Oracles: what each kind holds equals what the command that made the folder returned in
memory (the run's outcomes, the uncertainty document, the spatial results) or the folder's
files read independently (the outcome table by the csv module, the declared columns by
the manifest's JSON); a damaged folder is refused by every reader with the same message.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sim
from sim.analysis.document import outcome_document
from sim.cli import app
from sim.errors import InputError
from sim.runs.opened import KINDS, RunResult
from tests.conftest import FIXTURES

TOY = FIXTURES / "toy" / "base.yaml"


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, object]]:
    """A folder of every kind, with what the command that made it returned."""
    from sim.model import load_many
    from sim.runs.spatial import run_spatial
    from sim.runs.uncertainty import uncertainty

    root = tmp_path_factory.mktemp("kinds")
    toy = sim.load_scenario(TOY)
    made: dict[str, tuple[Path, object]] = {}
    record = sim.run(TOY, out=root / "run")
    assert record is not None
    made["run"] = (root / "run", record)
    swept = sim.sweep(TOY, grid={"levers.aid.value": [0.0, 1.0, 2.0]}, out=root / "sweep")
    made["sweep"] = (root / "sweep", swept)
    odds = uncertainty([TOY], draws=40, seed=3, out=root / "unc", record=True)
    made["uncertainty"] = (root / "unc", odds)
    four = load_many(str(FIXTURES / "spatial" / "four-actors.yaml"))
    spatial = run_spatial(four, out=root / "sp")
    made["spatial"] = (root / "sp", spatial)
    sim.api.negotiate(toy, "boulware,linear", rounds=10, out=root / "neg")
    made["negotiation"] = (root / "neg", None)
    sim.api.tournament([toy], "boulware,linear", rounds=10, out=root / "tour")
    made["tournament"] = (root / "tour", None)
    assert set(made) == set(KINDS)
    return made


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_opens_into_its_typed_results(
    folders: dict[str, tuple[Path, object]], kind: str
) -> None:
    folder, made = folders[kind]
    result = sim.open_run(folder)
    assert isinstance(result, RunResult)
    assert (result.kind, result.status, result.changed, result.notes) == (
        kind,
        "complete",
        (),
        (),
    )
    if kind == "uncertainty":
        assert result.table is None
        document = made.document()  # type: ignore[attr-defined]
        assert result.summary is not None
        assert json.dumps(result.summary.to_json()) == json.dumps(document)
        with pytest.raises(InputError, match="an uncertainty run has no outcome table"):
            result.outcome_table()
        return
    assert result.summary is None
    table = result.outcome_table()
    assert table.rows == csv_rows(folder / "outcomes.csv")
    if kind == "run":
        expected = {o.scenario: outcome_document(o) for o in made.outcomes}  # type: ignore[attr-defined]
        assert result.outcomes is not None
        assert {n: outcome_document(o) for n, o in result.outcomes.items()} == expected
    else:
        assert result.outcomes is None
    if kind in ("run", "sweep"):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert table.columns == {c["name"]: c for c in manifest["columns"]}
        assert set(table.columns) >= set(table.rows[0]) - {"error"}
    if kind == "sweep":
        assert len(table.rows) == made.total == 3  # type: ignore[attr-defined]
        assert table.keys == ("levers.aid.value",)
    if kind == "spatial":
        assert [r.to_json() for r in result.spatial] == [
            r.to_json()
            for r in made.results  # type: ignore[attr-defined]
        ]


def test_an_input_changed_since_the_run_is_named(
    folders: dict[str, tuple[Path, object]], tmp_path: Path
) -> None:
    scenario = tmp_path / "base.yaml"
    scenario.write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    record = sim.run(scenario, out=tmp_path / "run")
    assert record is not None
    assert sim.open_run(record.folder).changed == ()
    scenario.write_text(TOY.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    changed = sim.open_run(record.folder).changed
    assert len(changed) == 1 and changed[0].endswith("changed since the run (its sha256 differs)")
    scenario.unlink()
    assert sim.open_run(record.folder).changed[0].endswith("base.yaml: not found")


def test_a_damaged_folder_is_refused_by_every_reader(
    folders: dict[str, tuple[Path, object]], tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "run"
    shutil.copytree(folders["run"][0], folder)
    other = tmp_path / "other"
    shutil.copytree(folders["run"][0], other)
    table = folder / "outcomes.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("0.", "1.", 1), encoding="utf-8")
    with pytest.raises(InputError) as opened:
        sim.open_run(folder)
    message = str(opened.value)
    assert "outcomes.csv" in message
    for reader in (sim.load_outcomes, lambda f: sim.compare_runs(f, other)):
        with pytest.raises(InputError) as refused:
            reader(folder)
        assert str(refused.value) == message
    report = ["report", str(folder), "--out", str(tmp_path / "r.html")]
    for command in (["compare", str(folder), str(other)], report):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2
        assert message in result.output and "Traceback" not in result.output


def test_compare_names_a_run_without_an_outcome_table(
    folders: dict[str, tuple[Path, object]],
) -> None:
    unc, run = folders["uncertainty"][0], folders["run"][0]
    result = CliRunner().invoke(app, ["compare", str(run), str(unc)])
    assert result.exit_code == 2
    assert "an uncertainty run has no outcome table (outcomes.csv)" in result.output

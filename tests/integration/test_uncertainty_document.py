"""The typed uncertainty summary (sim.montecarlo.document): summary.json read back into records
and written again gives the same bytes, every part of the document is a record or a carried
document, and a damaged summary is refused with the file and the field named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.errors import InputError
from sim.montecarlo.document import (
    BargainingOdds,
    SummaryError,
    TalksOdds,
    UncertaintySummary,
    VersusParent,
    ZoneValue,
)
from sim.runs.files import document_text
from sim.runs.opened import open_run
from sim.runs.uncertainty import uncertainty

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WAR = [
    *(FIXTURES / "war" / f"{name}.yaml" for name in ("baseline", "aid_freeze", "readings")),
    FIXTURES / "talks" / "two_party.yaml",
]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run folder whose summary has every part: bargaining, talks, zone value, a parent,
    sensitivity, structures (readings) and a spatial forecast (baseline's spatial reading)."""
    folder = tmp_path_factory.mktemp("odds") / "run"
    uncertainty(WAR, draws=120, seed=4, out=folder, record=True)
    return folder


def test_summary_json_reads_back_into_records_and_writes_the_same_bytes(recorded: Path) -> None:
    stored = (recorded / "summary.json").read_text(encoding="utf-8")
    summary = UncertaintySummary.from_json(json.loads(stored))
    assert document_text(summary.to_json()) == stored
    # no part is vacuous: each record was read from the stored document
    parts = summary.scenarios.values()
    assert any(isinstance(s.bargaining, BargainingOdds) for s in parts)
    assert any(isinstance(s.talks, TalksOdds) and s.talks.screening for s in parts)
    assert any(isinstance(s.zone_value, ZoneValue) for s in parts)
    assert any(isinstance(s.versus_parent, VersusParent) and s.versus_parent.surplus for s in parts)
    assert any(s.versus_parent is None for s in parts)
    assert any(s.sensitivity is not None for s in parts) and any(s.spatial for s in parts)
    assert summary.structures  # readings declares structures
    # the records hold the document's numbers (read independently from the JSON)
    raw = json.loads(stored)["scenarios"]["aid_freeze"]
    typed = summary["aid_freeze"]
    assert (typed.zone.p, typed.zone.ci) == (raw["p_zone"], raw["p_zone_ci"])
    assert typed.versus_parent is not None
    assert typed.versus_parent.zone.difference == raw["versus_parent"]["p_zone"]["difference"]
    pid = next(iter(raw["proposals"]))
    assert typed.proposals[pid]["all"].ci == raw["proposals_ci"][pid]["all"]


def test_open_run_gives_the_typed_summary_of_the_run(recorded: Path) -> None:
    again = uncertainty(WAR, draws=120, seed=4)
    opened = open_run(recorded).summary
    assert isinstance(opened, UncertaintySummary)
    assert document_text(opened.to_json()) == document_text(again.document())


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        (lambda d: d["scenarios"]["baseline"].pop("p_zone_ci"), "scenarios.baseline.p_zone_ci"),
        (
            lambda d: d["scenarios"]["baseline"]["bargaining"]["protocols"].update(x={"p": 1}),
            "scenarios.baseline.bargaining.protocols.x.p_agreement",
        ),
        (
            lambda d: d["scenarios"]["aid_freeze"]["versus_parent"]["p_zone"].update(
                difference="much"
            ),
            "scenarios.aid_freeze.versus_parent.p_zone.difference",
        ),
    ],
)
def test_a_damaged_summary_is_refused_with_the_field_named(
    recorded: Path, tmp_path: Path, damage: object, field: str
) -> None:
    document = json.loads((recorded / "summary.json").read_text(encoding="utf-8"))
    damage(document)  # type: ignore[operator]
    with pytest.raises(SummaryError, match=field.replace(".", r"\.")):
        UncertaintySummary.from_json(document)


def test_sim_report_names_the_file_and_the_field_of_a_damaged_summary(
    recorded: Path, tmp_path: Path
) -> None:
    """A summary.json edited by hand (its hash updated, so the damage is in the shape, not the
    bytes) is refused by open_run and by `sim report`: exit 2, the file and the field."""
    import shutil

    from sim.runs.integrity import outputs_record

    folder = tmp_path / "run"
    shutil.copytree(recorded, folder)
    document = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    del document["scenarios"]["baseline"]["solutions"]
    (folder / "summary.json").write_text(document_text(document), encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"] = outputs_record(folder, ["draws.csv", "summary.csv", "summary.json"])
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError, match=r"summary\.json: scenarios\.baseline\.solutions"):
        open_run(folder)
    result = CliRunner().invoke(app, ["report", str(folder), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "summary.json: scenarios.baseline.solutions: missing" in result.output
    assert "Traceback" not in result.output

"""An outcome table's columns are declared, stored in the run folder's manifest and read back:
`load_run` takes each column's kind and party from them instead of guessing a party from a
column's suffix (with a party named ``share``, ``zopa_share`` was taken for that party's)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import sim
from sim.analysis.row import column_kind
from tests.conftest import FIXTURES

pytest.importorskip("pandas")


def renamed(tmp_path: Path) -> Path:
    """The toy with party ``b`` named ``share``."""
    text = (FIXTURES / "toy" / "base.yaml").read_text(encoding="utf-8")
    path = tmp_path / "base.yaml"
    path.write_text(re.sub(r"\bb\b", "share", text), encoding="utf-8")
    return path


def test_a_run_stores_its_columns_and_load_run_reads_their_parties(tmp_path: Path) -> None:
    record = sim.run(renamed(tmp_path), out=tmp_path / "run")
    manifest = json.loads((record.folder / "manifest.json").read_text(encoding="utf-8"))
    declared = {c["name"]: c for c in manifest["columns"]}
    assert list(declared) == list(record.rows[0])
    assert all(c["kind"] == column_kind(name) for name, c in declared.items())
    assert declared["zopa_share"]["party"] is None
    assert declared["nash_share"]["party"] == "share"
    assert declared["reservation_a"]["party"] == "a"
    tidy = sim.load_run(record.folder, tidy=True)
    zopa = tidy[tidy.metric == "zopa_share"]
    assert len(zopa) == 1 and zopa.party.isna().all()
    nash = tidy[(tidy.metric == "nash") & (tidy.party == "share")]
    assert len(nash) == 1
    assert float(nash.value.iloc[0]) == float(record.rows[0]["nash_share"])


def test_a_sweep_stores_its_columns(tmp_path: Path) -> None:
    record = sim.sweep(
        renamed(tmp_path),
        grid={"levers.aid.value": [0.5, 1.0]},
        out=tmp_path / "sweep",
        executor="serial",
    )
    manifest = json.loads((record.folder / "manifest.json").read_text(encoding="utf-8"))
    declared = {c["name"]: c for c in manifest["columns"]}
    assert declared["zopa_share"]["party"] is None
    assert declared["utilitarian_share"]["party"] == "share"
    assert declared["point"]["kind"] == column_kind("point")
    tidy = sim.load_run(record.folder, tidy=True)
    assert tidy[tidy.metric == "zopa_share"].party.isna().all()

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


def test_each_protocols_verdict_is_read_from_the_outcome_not_a_string(tmp_path: Path) -> None:
    """`load_run`'s ``<protocol>_self_enforcing``: the compliance verdict over the bundle that
    protocol agreed on, as the typed outcome has it, for every scenario of the war fixture and
    every point of a sweep (the table's ``self_enforcing`` words are not parsed)."""
    from sim.analysis.outcome import ComplianceOutcome
    from tests.conftest import WAR

    def expected(outcome: sim.Outcome) -> dict[str, bool | None]:
        verdicts = {
            g.game.bundle.index: g.self_enforcing
            for g in outcome.games.of_kind(ComplianceOutcome)
            if isinstance(g, ComplianceOutcome) and g.game.bundle is not None
        }
        return {
            r.column: None if r.agreed is None else verdicts.get(r.agreed.index)
            for r in outcome.bargaining.results
        }

    record = sim.run(WAR, out=tmp_path / "run")
    frame = sim.load_run(record.folder).set_index("scenario")
    checked = 0
    for outcome in record.outcomes:
        for protocol, verdict in expected(outcome).items():
            value = frame.loc[outcome.scenario, f"{protocol}_self_enforcing"]
            assert (None if value is pd_na() else bool(value)) == verdict, (
                outcome.scenario,
                protocol,
            )
            checked += verdict is not None
    assert checked >= 4
    sweep = sim.sweep(
        WAR / "sanctions_threat.yaml",
        grid={"levers.aid.value": [0.0, 1.5]},
        out=tmp_path / "sweep",
        executor="serial",
    )
    frame = sim.load_run(sweep.folder)
    checked = 0
    for point, aid in enumerate([0.0, 1.5]):
        outcome = sim.analyse(WAR / "sanctions_threat.yaml", overrides={"levers.aid.value": aid})
        for protocol, verdict in expected(outcome).items():
            value = frame.loc[point, f"{protocol}_self_enforcing"]
            assert (None if value is pd_na() else bool(value)) == verdict, (point, protocol)
            checked += verdict is not None
    assert checked >= 2


def pd_na() -> object:
    import pandas

    return pandas.NA

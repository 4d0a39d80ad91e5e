"""An analysis too large for the limit is refused before any work; a long one reports progress."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import sim
from sim.analysis.analyse import AnalysisOptions, analyse_scenario
from sim.cli import app


def big(tmp_path: Path, issues: int, options: int) -> Path:
    names = [f"o{j}" for j in range(options)]
    data = {
        "name": "big",
        "issues": {f"i{k}": {"options": dict.fromkeys(names)} for k in range(issues)},
        "parties": {
            party: {
                "reservation": 0.5,
                "weights": {f"i{k}": 1.0 for k in range(issues)},
                "values": {
                    f"i{k}": {
                        n: (j / (options - 1) if party == "p" else 1 - j / (options - 1))
                        for j, n in enumerate(names)
                    }
                    for k in range(issues)
                },
            }
            for party in ("p", "q")
        },
    }
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_space_beyond_the_limit_is_refused_at_once(tmp_path: Path) -> None:
    path = big(tmp_path, 14, 10)  # 10^14 feasible bundles x 2 veto parties
    start = time.perf_counter()
    result = CliRunner().invoke(app, ["run", str(path), "--no-record"])
    assert result.exit_code == 2
    assert "more than the analysis limit of 10,000,000,000,000" in result.output
    assert "--max-space" in result.output
    assert time.perf_counter() - start < 10  # refused before the analysis, not after it


def test_the_limit_can_be_lowered_and_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = big(tmp_path, 4, 10)  # 10^4 x 2
    assert CliRunner().invoke(app, ["run", str(path), "--no-record"]).exit_code == 0
    refused = CliRunner().invoke(app, ["run", str(path), "--no-record", "--max-space", "19999"])
    assert refused.exit_code == 2 and "20,000, more than the analysis limit of 19,999" in (
        refused.output
    )
    monkeypatch.setenv("SIM_MAX_SPACE", "100")
    assert CliRunner().invoke(app, ["run", str(path), "--no-record"]).exit_code == 2
    monkeypatch.setenv("SIM_MAX_SPACE", "many")
    result = CliRunner().invoke(app, ["run", str(path), "--no-record"])
    assert result.exit_code == 2 and "SIM_MAX_SPACE" in result.output


def test_progress_is_told_of_every_issue_merged(tmp_path: Path) -> None:
    loaded = sim.load_scenario(big(tmp_path, 6, 10))  # 10^6 feasible: merged, not enumerated
    seen: list[tuple[int, int, int]] = []
    analyse_scenario(loaded, AnalysisOptions(progress=lambda *a: seen.append(a)))
    assert [s[0] for s in seen] == list(range(1, 7)) and all(s[1] == 6 for s in seen)
    assert all(points >= 1 for _, _, points in seen)

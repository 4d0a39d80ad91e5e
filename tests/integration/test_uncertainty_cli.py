"""`sim uncertainty` end to end: the printed summary, the JSON document, the run folder,
reproducibility and bad input."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import sim.montecarlo.static as static
from sim.cli import app

REPO = Path(__file__).resolve().parents[2]
TOY = REPO / "tests" / "fixtures" / "toy"


def invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    return folder


def test_folder_run_writes_the_run_folder(toy: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, stdout, stderr = invoke(
        ["uncertainty", str(toy), "--draws", "300", "--seed", "4", "--out", str(out)]
    )
    assert code == 0, stderr
    assert "== base (300 draws" in stdout and "== child (300 draws" in stdout
    assert "zone of agreement:" in stdout and "versus base (paired" in stdout
    assert "no uncertainty declared" in stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "uncertainty" and manifest["status"] == "complete"
    assert manifest["seed"] == 4 and manifest["draws"] == 300
    with (out / "draws.csv").open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 600
    assert [r["draw"] for r in rows[:3]] == ["0", "1", "2"]
    assert {r["scenario"] for r in rows} == {"base", "child"}
    assert {r["compromise.a"] for r in rows} <= {"accepts", "rejects", "some", "not_consulted"}
    assert "parties.a.values.border.middle" in rows[0]
    summary = json.loads((out / "summary.json").read_text())
    base = summary["scenarios"]["base"]
    zone = sum(int(r["zone"]) for r in rows if r["scenario"] == "base") / 300
    assert base["p_zone"] == zone
    with (out / "summary.csv").open(newline="") as stream:
        table = list(csv.DictReader(stream))
    assert [r["scenario"] for r in table] == ["base", "child"]
    assert table[1]["parent"] == "base"


def test_json_follows_the_contract(toy: Path) -> None:
    code, stdout, stderr = invoke(
        ["uncertainty", str(toy / "base.yaml"), "--draws", "200", "--json", "--no-record"]
    )
    assert code == 0, stderr
    document = json.loads(stdout)
    assert document["draws"] == 200 and document["seed"] == 0
    base = document["scenarios"]["base"]
    low, high = base["p_zone_ci"]
    assert 0 <= low <= base["p_zone"] <= high <= 1
    assert set(base["acceptable"]["quantiles"]) == {"0.05", "0.5", "0.95"}
    assert set(base["proposals"]["compromise"]) >= {"a", "b", "all"}
    assert all(isinstance(p, float) for p in base["proposals"]["compromise"].values())
    assert base["proposals_ci"]["compromise"]["all"][0] <= base["proposals"]["compromise"]["all"]
    bargaining = base["bargaining"]
    assert bargaining["draws"] == 200 and 0 <= bargaining["p_agreement"] <= 1
    assert set(bargaining["period"]) == {"median", "distribution"}
    assert set(bargaining["protocols"]) == {
        "alternating_a_first",
        "alternating_b_first",
        "mediated",
    }
    assert set(base["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    for entry in base["robust_bundles"]:
        assert entry["p_acceptable"] >= 0.9 and set(entry["bundle"]) == {"border", "status"}
    assert base["versus_parent"] == {"parent": None}
    assert (
        "PAWN" in base["sensitivity"]["method"] or "not computed" in base["sensitivity"]["method"]
    )


def test_same_seed_same_bytes_whatever_the_block_size(
    toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["uncertainty", str(toy), "--draws", "250", "--seed", "8", "--no-sensitivity"]
    assert invoke([*args, "--out", str(tmp_path / "a")])[0] == 0
    monkeypatch.setattr(static, "BLOCK_CELLS", 13)
    assert invoke([*args, "--out", str(tmp_path / "b")])[0] == 0
    for name in ("draws.csv", "summary.csv", "summary.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_vary_option_and_declared_section(toy: Path) -> None:
    code, stdout, _ = invoke(
        [
            "uncertainty",
            str(toy / "base.yaml"),
            "--draws",
            "50",
            "--vary",
            "war.prevail.base=uniform:0.5,0.9",
            "--json",
            "--no-record",
            "--no-sensitivity",
        ]
    )
    assert code == 0
    assert json.loads(stdout)["scenarios"]["base"]["judgments"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--draws", "0"], "--draws: 0 is not a positive number of draws"),
        (["--draws", "2000000"], "raise it with --max-draws"),
        (["--vary", "levers.aid.value=gauss:1"], "unknown distribution 'gauss'"),
        (["--vary", "levers.nothing.value=jitter:1"], "levers.nothing.value: matches no field"),
        (["--vary", "issues.border.options.west=jitter:1"], "matches no numeric field"),
    ],
)
def test_bad_command_line_exits_2_without_traceback(
    toy: Path, args: list[str], message: str
) -> None:
    code, stdout, stderr = invoke(["uncertainty", str(toy / "base.yaml"), "--no-record", *args])
    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr + stdout


def test_bad_section_exits_2_naming_file_path_and_reason(toy: Path) -> None:
    bad = toy / "bad.yaml"
    bad.write_text(
        yaml.safe_dump(
            {
                "name": "bad",
                "extends": "base",
                "uncertainty": {
                    "vary": {
                        "parties.a.red_lines.0.options.0": {"jitter": 0.1},
                        "war.prevail.base": {"triangular": [0.0, 2.0, 1.0]},
                    },
                    "groups": {"west": {"paths": ["levers.sanctions.value"]}},
                },
            }
        ),
        encoding="utf-8",
    )
    code, _, stderr = invoke(["uncertainty", str(bad), "--no-record"])
    assert code == 2
    lines = stderr.strip().splitlines()
    assert any(line.startswith("bad.yaml:") or "bad.yaml:" in line for line in lines), lines
    assert any("triangular: mode 2.0 outside [0.0, 1.0]" in line for line in lines)
    assert "Traceback" not in stderr


def test_a_scenario_named_twice_is_analysed_once(toy: Path) -> None:
    code, stdout, _ = invoke(
        ["uncertainty", str(toy / "child.yaml"), str(toy), "--draws", "30", "--json",
         "--no-record", "--no-sensitivity", "--strategic-draws", "0"]
    )  # fmt: skip
    assert code == 0
    document = json.loads(stdout)
    assert list(document["scenarios"]) == ["child", "base"]
    assert document["scenarios"]["child"]["versus_parent"]["parent"] == "base"


def test_validate_checks_the_uncertainty_section(toy: Path) -> None:
    """`sim validate` finds what `sim uncertainty` would refuse: patterns that match no field
    or no numeric one, a spread outside its field's range; a sound section passes."""
    bad = toy / "bad.yaml"
    bad.write_text(
        yaml.safe_dump(
            {
                "name": "bad",
                "extends": "base",
                "uncertainty": {
                    "vary": {
                        "issues.border.options.west": {"jitter": 0.1},
                        "levers.nothing.value": {"jitter": 0.1},
                        "parties.a.values.border.west": {"uniform": [1.5, 2.0]},
                        "parties.b.values.border.*": {"jitter": 0.1},
                    },
                },
            }
        ),
        encoding="utf-8",
    )
    code, stdout, stderr = invoke(["validate", str(toy)])
    assert code == 2 and "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if "bad.yaml" in line]
    assert len(lines) == 3, stderr
    assert any("issues.border.options.west" in x and "no numeric field" in x for x in lines)
    assert any("levers.nothing.value" in x and "matches no field" in x for x in lines)
    assert any("border.west" in x and "outside the field's valid range" in x for x in lines)
    assert not any("parties.b.values.border" in x for x in lines)
    document = yaml.safe_load(bad.read_text())
    document["uncertainty"]["vary"] = {"parties.b.values.border.*": {"jitter": 0.1}}
    bad.write_text(yaml.safe_dump(document), encoding="utf-8")
    code, stdout, stderr = invoke(["validate", str(toy)])
    assert code == 0, stderr
    assert "ok: 3 scenarios" in stdout

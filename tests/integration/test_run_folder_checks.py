"""Run folders are checked before they are read (sim/runs/integrity.py).

Damage is generated on real run folders (a table emptied, made ragged, edited, removed; a
manifest removed or garbled); ``compare``, ``report``, ``plot`` and ``runs`` must refuse or
flag it, naming the file. With the check switched off (the mutant) the same damage passes
silently. A folder left holding only the claim of a process killed before it wrote its
manifest (a real process, ended with ``os._exit``) can be reused or is explained.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.runs import files, integrity, opened

REPO = Path(__file__).resolve().parents[2]
TOY = REPO / "tests" / "fixtures" / "toy" / "base.yaml"


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two run folders of the toy scenario, ``a`` and ``b``, in ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(TOY, tmp_path / "base.yaml")
    for name in ("a", "b"):
        code, output = run(["run", "base.yaml", "--out", name])
        assert code == 0, output
    return tmp_path


def _empty(folder: Path) -> None:
    (folder / "outcomes.csv").write_text("")


def _ragged(folder: Path) -> None:
    lines = (folder / "outcomes.csv").read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0]
    (folder / "outcomes.csv").write_text("\n".join(lines) + "\n")


def _edited(folder: Path) -> None:
    text = (folder / "outcomes.csv").read_text()
    (folder / "outcomes.csv").write_text(text.replace("0.4", "0.9", 1))


def _row_added(folder: Path) -> None:
    lines = (folder / "outcomes.csv").read_text().splitlines()
    (folder / "outcomes.csv").write_text("\n".join([*lines, lines[1]]) + "\n")


def _table_removed(folder: Path) -> None:
    (folder / "outcomes.csv").unlink()


def _manifest_removed(folder: Path) -> None:
    (folder / "manifest.json").unlink()


def _manifest_garbled(folder: Path) -> None:
    (folder / "manifest.json").write_text('{"kind": "run", "status": ')


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "emptied": (_empty, r"outcomes\.csv: empty, without even a header row"),
    "ragged": (_ragged, r"outcomes\.csv: row 1 has \d+ fields, the header \d+"),
    "edited": (_edited, r"outcomes\.csv: changed since the run wrote it \(recorded sha256"),
    "row added": (_row_added, r"outcomes\.csv: 2 rows, the run wrote 1"),
    "table removed": (_table_removed, r"no outcomes\.csv|outcomes\.csv: missing; the run wrote it"),
    "manifest removed": (_manifest_removed, r"not a run folder \(no manifest\.json\)"),
    "manifest garbled": (_manifest_garbled, r"manifest\.json: not valid JSON"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_run_folder_is_refused_naming_what_is_wrong(runs: Path, damage: str) -> None:
    harm, message = DAMAGE[damage]
    harm(runs / "b")
    for args in (
        ["compare", "a", "b"],
        ["report", "b", "--out", "r.html"],
        ["plot", "b", "space", "--out", "f.svg"],
    ):
        code, output = run(args)
        assert code == 2, (args, output)
        assert re.search(message, output) and "Traceback" not in output, (args, output)
    assert not (runs / "r.html").exists() and not (runs / "f.svg").exists()


@pytest.mark.parametrize("damage", ["emptied", "ragged", "edited", "row added"])
def test_runs_lists_a_damaged_folder_as_damaged(runs: Path, damage: str) -> None:
    harm, message = DAMAGE[damage]
    harm(runs / "b")
    code, output = run(["runs", "."])
    assert code == 0
    line = next(row for row in output.splitlines() if row.startswith("b "))
    assert "damaged (" in line and re.search(message, line)
    assert "damaged" not in next(row for row in output.splitlines() if row.startswith("a "))


@pytest.mark.parametrize("damage", ["emptied", "ragged", "edited", "row added"])
def test_without_the_check_the_damage_passes_silently(
    runs: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mutation check: with ``verify_outputs`` a no-op, the damaged folder is not refused
    (compared with exit 0, or a crash: exit 1), and nothing names the damage."""
    DAMAGE[damage][0](runs / "b")
    monkeypatch.setattr(opened, "verify_outputs", lambda folder, manifest: None)
    code, output = run(["compare", "a", "b"])
    assert code in (0, 1) and "damaged" not in output and "changed since" not in output


def test_a_sweep_table_without_recorded_outputs_is_checked_against_its_plan(
    tmp_path: Path,
) -> None:
    """A folder written before manifests recorded ``outputs``: the row count is checked
    against the plan's points."""
    manifest = {"kind": "sweep", "status": "complete", "plan": {"points": [[0], [1], [2]]}}
    (tmp_path / "outcomes.csv").write_text("point,x\n0,a\n1,b\n")
    with pytest.raises(integrity.InputError, match="2 rows, the run recorded 3"):
        integrity.verify_outputs(tmp_path, manifest)
    (tmp_path / "outcomes.csv").write_text("point,x\n0,a\n1,b\n2,c\n")
    integrity.verify_outputs(tmp_path, manifest)


CLAIM_AND_DIE = """
import os, sys
from pathlib import Path
from sim.runs.files import claim_run_folder
lock = claim_run_folder(Path("."), "x", Path(sys.argv[1]))
handle = os.open(Path(sys.argv[1]) / ".manifest.json.0123abcd.tmp", os.O_WRONLY | os.O_CREAT)
os.write(handle, b'{"kind": "sw')  # killed while writing its manifest
os._exit(9)
"""


def test_a_folder_left_with_only_a_dead_claim_is_explained_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(TOY, tmp_path / "base.yaml")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    died = subprocess.run([sys.executable, "-c", CLAIM_AND_DIE, "left"], env=env, check=False)
    assert died.returncode == 9 and (tmp_path / "left" / ".lock").is_file()

    code, output = run(["runs", "."])
    assert code == 0 and "abandoned before its manifest" in output
    code, output = run(["sweep", "--resume", "left"])
    assert code == 2 and "stopped before it wrote one" in output and "--out left" in output

    args = ["sweep", "base.yaml", "--grid", "levers.aid.value=0.5,1", "--executor", "serial"]
    code, output = run([*args, "--out", "left"])
    assert code == 0, output
    assert json.loads((tmp_path / "left" / "manifest.json").read_text())["status"] == "complete"
    assert not list((tmp_path / "left").glob(".*.tmp"))
    code, output = run(["compare", "left", "left"])  # a folder of its own now
    assert "comparing a run with itself" in output


def test_a_folder_claimed_by_a_live_process_is_not_taken(tmp_path: Path) -> None:
    """The claim of a live process (this one) is never reused."""
    from sim.runs.files import new_run_folder

    folder = new_run_folder(tmp_path, "x", tmp_path / "live")
    assert files.abandoned_claim(folder) is None
    code, output = run(["run", str(TOY), "--out", str(folder)])
    assert code == 2 and "already exists" in output


def test_runs_escapes_control_characters_a_manifest_was_edited_to_hold(
    runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terminal tables escape what no load checked (mutant: the raw text reaches the terminal)."""
    from sim.report import text

    path = runs / "b" / "manifest.json"
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps({**manifest, "kind": "run\x9b2J\x07"}))
    code, output = run(["runs", "."])
    assert code == 0 and "run\\x9b2J\\x07" in output and not re.search("[\x07\x9b]", output)
    monkeypatch.setattr(text, "escape_controls", lambda cell: cell)
    _, output = run(["runs", "."])
    assert "\x9b2J\x07" in output

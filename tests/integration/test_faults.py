"""Sweeps under real faults: a full disk, read-only folders, killed processes, changed inputs,
damaged run folders and hostile command-line values.

Every fault is real (a tmpfs that fills up, a read-only mount, kill -9 of a real process); the
oracle of each table is an uninterrupted serial sweep of the same plan. The mount tests need
root and are skipped, with the reason, without it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.model.resolve import load_raw
from sim.runs.files import StorageError, lock_run_folder
from sim.runs.limits import Limits
from sim.runs.sweep import run_sweep
from sim.runs.targets import sweep_plan
from tests.integration.faults_support import (
    BASELINE,
    IS_ROOT,
    REPO,
    copy_baseline,
    grid_args,
    invoke,
    journal,
    oracle,
    sim_process,
)

needs_root = pytest.mark.skipif(not IS_ROOT, reason="mounting a tmpfs needs root")


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return copy_baseline(tmp_path)


@contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A real tmpfs mounted at ``where`` for the block, unmounted afterwards."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


# 1. Failures are classified ------------------------------------------------------------------


@needs_root
def test_full_disk_stops_the_sweep_and_resume_redoes_the_missing_points(
    tmp_path: Path, case: Path
) -> None:
    """A disk that fills up mid-sweep: exit 2 naming the file and the reason, no point recorded
    as failed; after space is freed, --resume gives the uninterrupted table."""
    expected = oracle(tmp_path, case)
    with tmpfs(tmp_path / "disk", "size=300k") as disk:  # the whole run takes about 480k
        out = disk / "run"
        code, output = invoke([*grid_args(case), "--executor", "serial", "--out", str(out)])
        assert code == 2, output
        assert "No space left on device" in output
        assert "Traceback" not in output
        rows = journal(out) if (out / "rows.jsonl").exists() else []
        assert len(rows) < 16, "the disk must fill up mid-sweep for this test to mean anything"
        assert all(not row["row"]["error"] for row in rows)  # type: ignore[index]
        assert not (out / "outcomes.csv").exists()
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
        assert code == 0, output
        assert f"16 points ({16 - len(rows)} run now), 0 failed" in output
        assert (out / "outcomes.csv").read_bytes() == expected
        assert json.loads((out / "manifest.json").read_text())["status"] == "complete"


@needs_root
def test_read_only_outcomes_folder_stops_and_resume_redoes(tmp_path: Path, case: Path) -> None:
    """An interrupted run whose outcomes/ folder became read-only: resume stops at the first
    write (EROFS) without recording anything; once writable, resume finishes it."""
    expected = oracle(tmp_path, case)
    out = tmp_path / "run"
    code, output = invoke([*grid_args(case), "--executor", "serial", "--out", str(out)])
    assert code == 0, output
    # as a kill after 3 rows would leave it: 3 journalled rows, no table
    lines = (out / "rows.jsonl").read_bytes().split(b"\n")
    (out / "rows.jsonl").write_bytes(b"\n".join(lines[:3]) + b"\n")
    (out / "outcomes.csv").unlink()
    shutil.rmtree(out / "outcomes")
    with tmpfs(out / "outcomes", "ro,size=1m"):
        code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
        assert code == 2, output
        assert "Read-only file system" in output and "outcomes/" in output
        assert "Traceback" not in output
        assert len(journal(out)) == 3
        assert json.loads((out / "manifest.json").read_text())["status"] == "stopped"
    code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
    assert code == 0, output
    assert "(13 run now), 0 failed" in output
    assert (out / "outcomes.csv").read_bytes() == expected


@needs_root
def test_out_on_a_read_only_file_system(tmp_path: Path, case: Path) -> None:
    with tmpfs(tmp_path / "ro", "ro,size=1m") as read_only:
        code, output = invoke([*grid_args(case, 2), "--out", str(read_only / "run")])
    assert code == 2, output
    assert "Read-only file system" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("where", ["under_a_file", "dangling_link", "proc"])
def test_out_that_cannot_be_created(where: str, tmp_path: Path, case: Path) -> None:
    if where == "under_a_file":
        (tmp_path / "file").write_text("x")
        out = tmp_path / "file" / "run"
    elif where == "dangling_link":
        out = tmp_path / "link"
        out.symlink_to(tmp_path / "nowhere" / "run")
    else:
        out = Path("/proc/sim-test-run")
    code, output = invoke([*grid_args(case, 2), "--executor", "serial", "--out", str(out)])
    assert code == 2, output
    assert output.count("\n") == 1 and str(out.name) in output
    assert "Traceback" not in output


def test_results_that_is_a_plain_file(tmp_path: Path, case: Path) -> None:
    (tmp_path / "results").write_text("not a folder")
    plan, base, _ = sweep_plan(case, grid={"levers.aid.value": [0.0]})
    with pytest.raises(StorageError, match="results: cannot create"):
        run_sweep(plan, base, results=tmp_path / "results", executor="serial")


def test_a_point_error_is_still_recorded_as_that_point_failure(tmp_path: Path) -> None:
    """The classification keeps the other side: a scenario that cannot be analysed (no party
    holds a veto) is that point's failure, recorded in its row."""
    out = tmp_path / "run"
    code, output = invoke(
        [
            "sweep",
            str(BASELINE),
            "--grid",
            "parties.north.veto=true,false",
            "--grid",
            "parties.south.veto=true,false",
            "--executor",
            "processes",
            "--workers",
            "2",
            "--out",
            str(out),
        ]
    )
    expected = []
    for north in (True, False):
        for south in (True, False):
            overrides = {"parties.north.veto": north, "parties.south.veto": south}
            try:
                load_raw(BASELINE).with_overrides(overrides)
                expected.append(False)
            except ScenarioError:
                expected.append(True)
    assert any(expected) and not all(expected)
    assert code == 1, output
    rows = sorted(journal(out), key=lambda r: r["point"])  # type: ignore[arg-type,return-value]
    assert [bool(r["row"]["error"]) for r in rows] == expected  # type: ignore[index]


# 3. Inputs pinned ------------------------------------------------------------------------------


def edit_aid(base: Path, value: str) -> None:
    text = base.read_text()
    anchor = "  aid:\n"
    start = text.index(anchor)
    before, after = text[:start], text[start:]
    assert "    value: 1.0\n" in after
    base.write_text(before + after.replace("    value: 1.0\n", f"    value: {value}\n", 1))


def test_resume_refuses_changed_inputs_then_redoes_every_point(tmp_path: Path, case: Path) -> None:
    out = tmp_path / "run"
    args = ["sweep", str(case), "--range", "levers.momentum.value=0:1:6", "--executor", "serial"]
    code, output = invoke([*args, "--out", str(out)])
    assert code == 0, output
    manifest = json.loads((out / "manifest.json").read_text())
    old = manifest["inputs"][0]["sha256"]
    assert manifest["inputs"][0]["absolute"] == str(case.resolve())
    assert manifest["inputs"][0]["given"] == str(case)
    assert manifest["base"]["absolute"] == str(case.resolve())
    assert manifest["base"]["document"]["levers"]["aid"]["value"] == 1.0
    lines = (out / "rows.jsonl").read_bytes().split(b"\n")
    (out / "rows.jsonl").write_bytes(b"\n".join(lines[:2]) + b"\n")  # as after a kill
    edit_aid(case, "0.25")
    new = __import__("hashlib").sha256(case.read_bytes()).hexdigest()
    code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
    assert code == 2, output
    assert str(case.resolve()) in output and old in output and new in output
    assert "--allow-changed-inputs" in output
    # from another working directory, with the option: every point is redone
    resumed = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            "--resume",
            str(out),
            "--executor",
            "serial",
            "--allow-changed-inputs",
        ],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert "6 points (6 run now)" in resumed.stdout.decode()
    fresh = tmp_path / "fresh"
    assert invoke([*args, "--out", str(fresh)])[0] == 0
    assert (out / "outcomes.csv").read_bytes() == (fresh / "outcomes.csv").read_bytes()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["inputs"][0]["sha256"] == new
    assert manifest["base"]["document"]["levers"]["aid"]["value"] == 0.25


def test_resume_from_another_directory(tmp_path: Path, case: Path) -> None:
    """The base, given relative to the working directory, is recorded as an absolute path:
    a resume started elsewhere finds it."""
    out = tmp_path / "run"
    relative = os.path.relpath(case, Path.cwd())
    code, output = invoke(
        [*grid_args(Path(relative), 3), "--executor", "serial", "--out", str(out)]
    )
    assert code == 0, output
    expected = (out / "outcomes.csv").read_bytes()
    lines = (out / "rows.jsonl").read_bytes().split(b"\n")
    (out / "rows.jsonl").write_bytes(b"\n".join(lines[:2]) + b"\n")
    (out / "outcomes.csv").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    resumed = sim_process("sweep", "--resume", str(out), "--executor", "serial", cwd=elsewhere)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()
    assert (out / "outcomes.csv").read_bytes() == expected


# 6. Damaged run folders ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished 6-point sweep of a private copy of the war fixture's baseline (copied by
    each test)."""
    root = tmp_path_factory.mktemp("finished")
    shutil.copy(BASELINE, root / "baseline.yaml")
    out = root / "run"
    args = [*grid_args(root / "baseline.yaml", 3), "--executor", "serial", "--out", str(out)]
    code, output = invoke(args)
    assert code == 0, output
    return out


def finished_run(tmp_path: Path, finished: Path, name: str = "run") -> tuple[Path, bytes]:
    out = tmp_path / name
    shutil.copytree(finished, out)
    return out, (out / "outcomes.csv").read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        b"[1, 2]\n",
        b'{"point": "x", "row": {}}\n',
        b'{"point": 1, "row": []}\n',
        b'{"point": -1, "row": {}}\n',
        b'{"point": 99999, "row": {}}\n',
        b"null\n",
        b"\xff\xfe not utf-8\n",
        b'{"point": 2, "row"',
    ],
)
def test_damaged_journal_lines_are_redone(damage: bytes, tmp_path: Path, finished: Path) -> None:
    """Lines of the wrong shape or not UTF-8 are skipped, their points redone: the table is
    the uninterrupted one."""
    out, expected = finished_run(tmp_path, finished)
    lines = (out / "rows.jsonl").read_bytes().split(b"\n")[:-1]
    kept = [line for i, line in enumerate(lines) if i not in (1, 2)]
    (out / "rows.jsonl").write_bytes(b"\n".join([*kept, damage.rstrip(b"\n")]) + b"\n")
    (out / "outcomes.csv").unlink()
    code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
    assert code == 0, output
    assert "(2 run now)" in output
    assert (out / "outcomes.csv").read_bytes() == expected


@pytest.mark.parametrize(
    ("manifest", "fragment"),
    [
        ("[]", "not a manifest (a list, not a mapping)"),
        ('{"kind": "sweep", "keys": null}', "keys: must be a list of column names"),
        ("drop-base", "base: missing"),
        ("points-not-a-list", "plan.points: missing or of the wrong type"),
        ('"\xff"', "not valid JSON"),
    ],
)
def test_broken_manifests_are_clear_errors(
    manifest: str, fragment: str, tmp_path: Path, finished: Path
) -> None:
    out, _ = finished_run(tmp_path, finished)
    path = out / "manifest.json"
    document = json.loads(path.read_text())
    if manifest == "drop-base":
        del document["base"]
        path.write_text(json.dumps(document))
    elif manifest == "points-not-a-list":
        document["plan"]["points"] = 7
        path.write_text(json.dumps(document))
    elif manifest.startswith('"\xff'):
        path.write_bytes(b"\xff\xfe{}")
    else:
        path.write_text(manifest)
    code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
    assert code == 2, output
    assert fragment in output
    assert "Traceback" not in output
    # one broken folder does not stop the listing of the others
    finished_run(tmp_path, finished, "other")
    code, output = invoke(["runs", str(tmp_path)])
    assert code == 0, output
    if manifest in ("drop-base", "points-not-a-list"):  # enough of a manifest to be listed
        assert any(line.split()[:2] == ["run", "sweep"] for line in output.splitlines())
    else:
        assert "unreadable manifest" in output
    assert any(line.split()[:3] == ["other", "sweep", "complete"] for line in output.splitlines())


def test_non_utf8_table_is_a_clear_error(tmp_path: Path, finished: Path) -> None:
    out, _ = finished_run(tmp_path, finished)
    other, _ = finished_run(tmp_path, finished, "other")
    (other / "outcomes.csv").write_bytes(b"point,x\n0,\xff\xfe\n")
    code, output = invoke(["compare", str(out), str(other)])
    assert code == 2, output
    assert "outcomes.csv: not UTF-8" in output
    assert "Traceback" not in output


def test_stray_temporary_file_of_a_killed_write_is_removed_on_resume(
    tmp_path: Path, finished: Path
) -> None:
    """A kill during the final write leaves `.outcomes.csv.XXXX.tmp` (the file write_atomic
    writes before renaming); the next writer of the folder removes it."""
    out, expected = finished_run(tmp_path, finished)
    (out / "outcomes.csv").unlink()
    stray = out / ".outcomes.csv.k1ll3d.tmp"
    stray.write_bytes(expected[:100])
    (out / "outcomes" / ".000001.json.x.tmp").write_text("{")
    code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
    assert code == 0, output
    assert not stray.exists()
    assert not list(out.rglob("*.tmp"))
    assert (out / "outcomes.csv").read_bytes() == expected


# 5. Bounded resources --------------------------------------------------------------------------


def test_a_huge_range_is_refused_before_the_plan_is_built(tmp_path: Path) -> None:
    start = time.monotonic()
    out = tmp_path / "s"
    code, output = invoke(
        ["sweep", str(BASELINE), "--range", "levers.aid.value=0:1:10000000", "--out", str(out)]
    )
    assert time.monotonic() - start < 5
    assert code == 2, output
    assert "10,000,000 points, more than the limit of 100,000" in output
    assert "--max-points" in output
    assert not out.exists()


def test_max_points_lowers_and_raises_the_limit(tmp_path: Path) -> None:
    args = ["sweep", str(BASELINE), "--range", "levers.aid.value=0:1:3", "--executor", "serial"]
    code, output = invoke([*args, "--max-points", "2", "--out", str(tmp_path / "a")])
    assert code == 2 and "3 points, more than the limit of 2" in output
    code, output = invoke([*args, "--max-points", "3", "--out", str(tmp_path / "b")])
    assert code == 0, output


def test_a_huge_sample_is_refused_before_allocation() -> None:
    code, output = invoke(
        ["sweep", str(BASELINE), "--sample", "lhs:100000000000", "--range", "levers.aid.value=0:1"]
    )
    assert code == 2, output
    assert "100,000,000,000 points" in output


@pytest.mark.parametrize(
    "axis",
    ["levers.aid.value: {range: [0, 1, 1000000000]}", "levers.aid.value: {range: [0, 1, 2.7]}"],
)
def test_validate_refuses_a_huge_or_fractional_sweep_file_at_once(
    axis: str, tmp_path: Path
) -> None:
    folder = tmp_path / "case"
    (folder / "sweeps").mkdir(parents=True)
    shutil.copy(BASELINE, folder / "baseline.yaml")
    grid = ["levers.momentum.value: {range: [0, 1, 1000]}", axis]
    text = "name: huge\nbase: baseline\ngrid:\n" + "".join(f"  {line}\n" for line in grid)
    (folder / "sweeps" / "huge.yaml").write_text(text)
    start = time.monotonic()
    code, output = invoke(["validate", str(folder)])
    assert time.monotonic() - start < 10
    assert code == 2, output
    assert "huge.yaml" in output
    assert ("more than the limit" in output) or ("whole number" in output)
    assert "Traceback" not in output


# 6. Command-line values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--sample", "lhs:5", "--range", "levers.aid.value=0:1", "--seed", "-1"], "--seed"),
        (["--range", "levers.aid.value=0:1:3:4"], "is not path=lo:hi:n"),
        (["--sample", "lhs:5", "--range", "levers.aid.value=0:1:3"], "is not path=lo:hi"),
        (["--grid", "levers.aid.value=0", "--grid", "levers.aid.value=1"], "given twice"),
        (["--range", "levers.aid.value=0:1:2", "--range", "levers.aid.value=0:1:3"], "given twice"),
        (
            ["--grid", "levers.aid.value=0", "--range", "levers.aid.value=0:1:3"],
            "--grid and --range both vary levers.aid.value",
        ),
        (["--range", "levers.aid.value=0:1:2.7"], "n must be a whole number"),
        (["--range", "levers.aid.value=nan:1:3"], "must be finite"),
        (["--sample", "lhs:2.7", "--range", "levers.aid.value=0:1"], "is not method:n"),
        (["--grid", "levers.aid.value=1", "--max-points", "0"], "--max-points"),
    ],
)
def test_hostile_sweep_values(args: list[str], fragment: str, tmp_path: Path) -> None:
    out = tmp_path / "s"
    code, output = invoke(["sweep", str(BASELINE), *args, "--out", str(out)])
    assert code == 2, output
    assert fragment in output
    assert "Traceback" not in output
    assert not out.exists()


def test_resume_with_out_is_refused(tmp_path: Path, finished: Path) -> None:
    out, _ = finished_run(tmp_path, finished)
    code, output = invoke(["sweep", "--resume", str(out), "--out", str(tmp_path / "elsewhere")])
    assert code == 2, output
    assert "--out: not with --resume" in output
    assert not (tmp_path / "elsewhere").exists()


def test_bad_scheduler_address_leaves_no_run_folder(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    out = tmp_path / "s"
    code, output = invoke(
        [
            "sweep",
            str(BASELINE),
            "--grid",
            "levers.aid.value=1",
            "--executor",
            "dask",
            "--scheduler",
            "foo://bar",
            "--out",
            str(out),
        ]
    )
    assert code == 2, output
    assert "--scheduler foo://bar: cannot connect" in output
    assert "Traceback" not in output
    assert not out.exists()


# 2. The lock, in-process -----------------------------------------------------------------------


def test_a_held_run_folder_names_its_holder(tmp_path: Path, finished: Path) -> None:
    out, _ = finished_run(tmp_path, finished)
    with lock_run_folder(out):
        code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
        assert code == 2, output
        assert f"in use by pid {os.getpid()} on " in output
        code, output = invoke(["runs", str(tmp_path)])
        assert "complete" in output
    code, output = invoke(["sweep", "--resume", str(out), "--executor", "serial"])
    assert code == 0, output


# reference --update ----------------------------------------------------------------------------


@needs_root
def test_reference_update_on_a_read_only_folder(tmp_path: Path) -> None:
    (tmp_path / "scenarios" / "toy").mkdir(parents=True)
    for name in ("base.yaml", "child.yaml"):
        shutil.copy(REPO / "tests" / "fixtures" / "toy" / name, tmp_path / "scenarios" / "toy")
    with tmpfs(tmp_path / "results" / "reference", "ro,size=1m"):
        done = subprocess.run(
            [sys.executable, "-m", "sim", "reference", "--update"],
            cwd=tmp_path,
            capture_output=True,
            timeout=120,
        )
    message = done.stderr.decode()
    assert done.returncode == 2, message
    assert "results/reference/toy.csv: cannot write: Read-only file system" in message
    assert "Traceback" not in message


def test_limits_default_is_documented() -> None:
    doc = (REPO / "docs" / "reliability.md").read_text()
    assert f"{Limits().max_points:,}" in doc


def test_progress_of_a_resume_with_nothing_left_has_no_nan(tmp_path: Path, finished: Path) -> None:
    """Resuming a finished run does no point: the log line gives an ETA of 0 s, not nan."""
    out, _ = finished_run(tmp_path, finished)
    resumed = sim_process("sweep", "--resume", str(out), "--executor", "serial")
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err.decode()
    assert "sweep: 6/6 points" in err.decode()
    assert "nan" not in err.decode()

"""Nothing is read outside its place: a sweep's base, scenario search, source documents.

Each check watches which files are read (``read_yaml`` is wrapped) and is run once more
against a mutant (the unconfined code it replaced), which it must catch.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.errors import InputError
from sim.model import catalog, resolve, yamlio
from sim.runs import targets

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy"


def _case(tmp_path: Path, base: str) -> tuple[Path, Path]:
    """A scenario folder with a sweep whose base is ``base``, and a secret scenario outside."""
    case = tmp_path / "case"
    (case / "sweeps").mkdir(parents=True)
    for f in TOY.glob("*.yaml"):
        shutil.copy(f, case / f.name)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text((TOY / "base.yaml").read_text().replace("name: base", "name: secret"))
    sweep = case / "sweeps" / "s.yaml"
    sweep.write_text(f"name: s\nbase: {base}\ngrid:\n  levers.aid.value: [0.5, 1]\n")
    return sweep, secret


def _run_watching(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> tuple[int, str, set[Path]]:
    """Exit status, output and the real paths of every YAML file read."""
    read: set[Path] = set()
    real_read = yamlio.read_yaml

    def watched(path: Path, *rest: object, **options: object) -> object:
        read.add(Path(path).resolve())
        return real_read(path, *rest, **options)  # type: ignore[arg-type]

    for module in (yamlio, resolve, targets, catalog):
        if hasattr(module, "read_yaml"):
            monkeypatch.setattr(module, "read_yaml", watched)
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output, read


def _unconfined_base(sweep_file: Path, base: str, *, allow_outside: bool = False) -> Path:
    """The mutant: the sweep base as it was looked up before (no scope)."""
    return sweep_file.parent / base


@pytest.mark.parametrize("command", ["validate", "sweep"])
@pytest.mark.parametrize("base", ["../../outside/secret.yaml", "/etc/passwd", "ABS"])
def test_a_sweep_base_outside_the_scenario_folders_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, base: str
) -> None:
    sweep, secret = _case(tmp_path, "PLACEHOLDER")
    given = str(secret) if base == "ABS" else base
    sweep.write_text(sweep.read_text().replace("PLACEHOLDER", given))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SIM_SCENARIOS", str(tmp_path / "case"))
    args = [command, str(sweep)] + (
        ["--executor", "serial", "--out", "run"] if command == "sweep" else []
    )

    code, output, read = _run_watching(monkeypatch, args)
    assert code == 2, output
    assert "is outside the scenario folders" in output and "--allow-outside" in output
    assert secret.resolve() not in read and Path("/etc/passwd") not in read
    assert not (tmp_path / "run").exists()

    monkeypatch.setattr(targets, "sweep_base", _unconfined_base)
    _, _, read = _run_watching(monkeypatch, args)
    assert secret.resolve() in read or Path("/etc/passwd") in read, "the mutant reads it"


def test_allow_outside_lets_a_sweep_base_leave_and_pins_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sweep, secret = _case(tmp_path, "../../outside/secret.yaml")
    monkeypatch.chdir(tmp_path)
    code, output, _ = _run_watching(
        monkeypatch,
        ["sweep", str(sweep), "--executor", "serial", "--out", "run", "--allow-outside"],
    )
    assert code == 0, output
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["base"]["absolute"] == str(secret.resolve())


def test_a_sweep_base_by_name_or_relative_path_inside_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for base in ("base", "../base.yaml"):
        sweep, _ = _case(tmp_path / base.replace("/", "_"), base)
        assert targets.sweep_base(sweep, base).resolve() == (sweep.parents[1] / "base.yaml")


def _tree(root: Path, folders: int, per_folder: int) -> None:
    """A generated scenario root: ``folders`` folders of ``per_folder`` small files."""
    for f in range(folders):
        folder = root / f"f{f:03d}"
        folder.mkdir(parents=True)
        for i in range(per_folder):
            (folder / f"note{i}.txt").write_text("not a scenario")


def test_a_scenario_search_over_too_many_entries_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    _tree(root, folders=30, per_folder=10)
    shutil.copy(TOY / "base.yaml", root / "f029" / "base.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SIM_SCENARIOS", str(root))
    monkeypatch.setenv("SIM_MAX_SCAN", "200")
    code, output, read = _run_watching(monkeypatch, ["show", "base"])
    assert code == 2 and "more than 200 entries" in output and "$SIM_SCENARIOS=" in output
    assert read == set()
    monkeypatch.setenv("SIM_MAX_SCAN", "1000")  # the same search within its limit finds it
    code, output, _ = _run_watching(monkeypatch, ["show", "base"])
    assert code == 0, output


def test_scenario_search_does_not_follow_links_out_of_its_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    shutil.copy(TOY / "base.yaml", outside / "base.yaml")
    (root / "linked-folder").symlink_to(outside)
    (root / "linked.yaml").symlink_to(outside / "base.yaml")
    (root / "loop").symlink_to(root)  # a link back up is walked once
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SIM_SCENARIOS", str(root))
    code, output, read = _run_watching(monkeypatch, ["show", "base"])
    assert code == 2 and "no such file, folder or scenario name" in output
    assert (outside / "base.yaml").resolve() not in read

    def unbounded(root: Path) -> list[Path]:  # the mutant: the old rglob
        return sorted(p for p in root.rglob("*.y*ml") if p.is_file())

    monkeypatch.setattr(catalog, "_all_files", unbounded)
    code, _, read = _run_watching(monkeypatch, ["show", "base"])
    assert (outside / "base.yaml").resolve() in read


def test_uncertainty_finds_names_under_sim_scenarios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "elsewhere"
    root.mkdir()
    shutil.copy(TOY / "base.yaml", root / "base.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SIM_SCENARIOS", str(root))
    args = ["uncertainty", "base", "--vary", "levers.aid.value=uniform:0.5,1", "--draws", "8"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "== base (8 draws" in result.output


def test_source_documents_are_read_only_as_regular_files_inside_their_folder(
    tmp_path: Path,
) -> None:
    from sim.model.evidence import _documents

    documents, outside = tmp_path / "docs", tmp_path / "secret.txt"
    documents.mkdir()
    outside.write_text("secret text")
    (documents / "toy.txt").write_text("a is likely to prevail")
    (documents / "leak.txt").symlink_to(outside)
    (documents / "null").symlink_to("/dev/null")
    texts, problems = _documents(documents)
    assert texts == {"toy.txt": "a is likely to prevail"} and problems == []


def test_sim_max_scan_must_be_a_positive_number(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.model.walk import scan_limit

    monkeypatch.setenv("SIM_MAX_SCAN", "0")
    with pytest.raises(InputError, match="SIM_MAX_SCAN"):
        scan_limit()

"""`sim run --only`, the API's ``only=``, a scenario's ``analyses:`` and `sim sweep --only`."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sim
from sim.cli import app

REPO = Path(__file__).resolve().parents[2]
TOY = REPO / "tests" / "fixtures" / "toy" / "base.yaml"

FOUR = """\
name: four
issues:
  a: {options: {x: x, y: y, z: z}}
  b: {options: {x: x, y: y}}
  c: {options: {x: x, y: y, z: z}}
parties:
"""
VALUES = [
    ({"a": 1, "b": 2, "c": 1}, [[0.0, 0.5, 1.0], [1.0, 0.0], [0.2, 0.9, 0.4]]),
    ({"a": 2, "b": 1, "c": 1}, [[1.0, 0.4, 0.0], [0.0, 1.0], [0.7, 0.1, 1.0]]),
    ({"a": 1, "b": 1, "c": 2}, [[0.3, 1.0, 0.6], [0.5, 0.8], [1.0, 0.5, 0.0]]),
    ({"a": 1, "b": 3, "c": 1}, [[0.6, 0.2, 0.9], [0.9, 0.3], [0.0, 0.6, 1.0]]),
]


def four_party(folder: Path, extra: str = "") -> Path:
    """A four-veto-party scenario without a war model (18 bundles)."""
    text = FOUR
    for p, (weights, values) in enumerate(VALUES):
        text += f"  p{p}:\n    reservation: 0.3\n"
        text += "    weights: {" + ", ".join(f"{k}: {w}" for k, w in weights.items()) + "}\n"
        text += "    values:\n"
        for issue, row in zip("abc", values, strict=True):
            options = ["x", "y", "z"][: len(row)]
            pairs = ", ".join(f"{o}: {v}" for o, v in zip(options, row, strict=True))
            text += f"      {issue}: {{{pairs}}}\n"
    path = folder / "four.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def run_json(args: list[str]) -> dict[str, object]:
    code, out, err = invoke(["run", *args, "--json", "--no-record"])
    assert code == 0, out + err
    return json.loads(out)


def test_only_lists_the_chosen_analyses_and_equals_the_full_run(tmp_path: Path) -> None:
    path = four_party(tmp_path)
    full = run_json([str(path)])
    only = run_json([str(path), "--only", "space,frontier,solutions"])
    assert only["analyses"] == ["space", "frontier", "solutions"]
    assert only["not_computed"] == ["proposals", "bargaining", "games"]
    for key in ("proposals", "bargaining", "equilibria"):
        assert key in full and key not in only
    for key in ("space", "frontier", "solutions", "best_acceptable", "binding", "reservations"):
        assert only[key] == full[key]
    assert "analyses" not in full  # the default document is unchanged


def test_games_bring_bargaining_and_space_is_always_computed(tmp_path: Path) -> None:
    document = run_json([str(four_party(tmp_path)), "--only", "games"])
    assert document["analyses"] == ["space", "bargaining", "games"]
    assert "equilibria" in document and "bargaining" in document
    assert "frontier" not in document and "solutions" not in document


def test_bargaining_alone_says_the_games_were_not_built(tmp_path: Path) -> None:
    document = run_json([str(four_party(tmp_path)), "--only", "bargaining"])
    bargaining = document["bargaining"]
    assert isinstance(bargaining, dict)
    assert "games: not computed (not asked for)" in bargaining["not_built"]
    assert "equilibria" not in document


def test_unchosen_games_are_not_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the positions game broken, a run that leaves the games out still works, and one
    that asks for them fails: the selection really skips the work."""
    import sim.analysis.strategy as strategy

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the positions game was built")

    path = four_party(tmp_path)
    monkeypatch.setattr(strategy, "_many_sided_games", broken)
    assert run_json([str(path), "--only", "space,frontier,solutions,bargaining"])
    with pytest.raises(RuntimeError, match="positions game was built"):
        sim.analyse(path)


def test_an_unknown_analysis_is_bad_input(tmp_path: Path) -> None:
    code, out, err = invoke(["run", str(four_party(tmp_path)), "--only", "space,frontiers"])
    assert code == 2
    assert "--only: unknown analysis 'frontiers'" in err
    assert "known: space, frontier, solutions, proposals, bargaining, games" in err
    assert "Traceback" not in out + err
    code, _, err = invoke(["run", str(four_party(tmp_path)), "--only", " , "])
    assert code == 2 and "--only: name at least one analysis" in err


def test_the_scenario_says_which_analyses_it_wants(tmp_path: Path) -> None:
    path = four_party(tmp_path, "analyses: [frontier, proposals]\n")
    document = run_json([str(path)])
    assert document["analyses"] == ["space", "frontier", "proposals"]
    assert "solutions" not in document and "bargaining" not in document
    overridden = run_json([str(path), "--only", "solutions"])  # the command line wins
    assert overridden["analyses"] == ["space", "solutions"]


def test_a_scenario_naming_an_unknown_analysis_is_refused(tmp_path: Path) -> None:
    path = four_party(tmp_path, "analyses: [space, gmaes]\n")
    code, out, err = invoke(["run", str(path), "--no-record"])
    assert code == 2
    assert "four.yaml" in err and "analyses" in err and "gmaes" in err
    assert "Traceback" not in out + err


def test_the_api_takes_only(tmp_path: Path) -> None:
    path = four_party(tmp_path)
    outcome = sim.analyse(path, only="space,frontier")
    assert outcome.analyses == ("space", "frontier")
    assert outcome.solutions == () and outcome.bargaining.results == ()
    record = sim.run(path, record=False, only=["solutions"])
    assert record.outcomes[0].analyses == ("space", "solutions")
    with pytest.raises(sim.api.InputError, match="only: unknown analysis 'nope'"):
        sim.analyse(path, only="nope")


def test_text_output_says_what_was_left_out(tmp_path: Path) -> None:
    code, out, err = invoke(["run", str(four_party(tmp_path)), "--no-record", "--only", "space"])
    assert code == 0, out + err
    assert (
        "computed: space; not asked for: frontier, solutions, proposals, bargaining, games" in out
    )
    assert "no settlement exists" not in out  # solutions were not asked for, not absent


def test_sweep_only_computes_the_chosen_analyses_at_each_point(tmp_path: Path) -> None:
    out = tmp_path / "run"
    code, stdout, err = invoke(
        [
            "sweep",
            str(TOY),
            "--grid",
            "parties.b.power=1,2",
            "--executor",
            "serial",
            "--out",
            str(out),
            "--only",
            "space,solutions",
        ]
    )
    assert code == 0, stdout + err
    with (out / "outcomes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    assert "nash_bundle" in rows[0]
    assert not any(column.endswith("_period") for column in rows[0])  # no bargaining
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["plan"]["only"] == ["space", "solutions"]
    code, _, err = invoke(["sweep", "--resume", str(out), "--only", "space"])
    assert code == 2 and "--resume RUN alone resumes" in err


def test_leaving_the_games_out_leaves_scipy_unimported(tmp_path: Path) -> None:
    path = four_party(tmp_path)
    probe = (
        "import sys, sim; sim.analyse(sys.argv[1], only=sys.argv[2].split(',') if sys.argv[2] "
        "else None); print('scipy.optimize' in sys.modules)"
    )

    def imports_scipy(only: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, str(path), only],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        )
        return done.stdout.strip()

    assert imports_scipy("space,frontier,solutions") == "False"
    assert imports_scipy("") == "True"  # the four-player positions game needs it
    path = REPO / "tests" / "fixtures" / "war" / "sanctions_threat.yaml"
    assert imports_scipy("") == "False"  # two players: vertex enumeration, no linprog


NOT_NEEDED = ("sim.analysis.strategy", "sim.analysis.talks", "sim.games", "numpy.random", "scipy")
"""Modules and packages that `sim run --only space,frontier,solutions` has no use for."""


def not_needed(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in NOT_NEEDED)


def test_the_only_path_of_the_command_line_imports_no_strategy_games_or_draws(
    tmp_path: Path,
) -> None:
    """The whole entry point in a fresh process, as `sim run X --only ... --json` runs it."""
    path = four_party(tmp_path)
    code = (
        "import sys\n"
        "from sim.entry import main\n"
        "sys.argv = ['sim', 'run', sys.argv[1], '--json', '--no-record', *sys.argv[2:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )

    def imported(*only: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path), *only],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        )
        assert json.loads(done.stdout)["scenario"] == "four"
        modules = done.stderr.strip().splitlines()[-1].split()
        return [m for m in modules if not_needed(m)]

    assert imported("--only", "space,frontier,solutions") == []
    everything = imported()  # the probe sees them when the analyses need them
    assert "sim.analysis.strategy" in everything and "sim.games.positions" in everything

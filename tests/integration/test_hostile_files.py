"""Hostile scenario files: each gives exit 2 and one clear message (file, field or line,
reason) and never a traceback; YAML 1.2 numbers and merge keys read as YAML says."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.errors import ScenarioError
from sim.model import load_scenario
from sim.model.schema import WarReservation
from sim.model.yamlio import MAX_DEPTH, plain_scalar, read_yaml

# Two issues, two veto parties fighting a war whose chances move with one lever.
GOOD = """\
name: {name}
title: A border and a status
levers:
  push: {{value: 0.5}}
war:
  sides: [a, b]
  prevail: {{base: 0.4, effects: {{push: 0.2}}}}
  drift: 0.01
  horizon: 6
issues:
  border:
    options: {{west: West, east: East}}
  status:
    options: {{aligned: Aligned, neutral: Neutral}}
parties:
  a:
    reservation: {{win: 0.9, lose: 0.1, cost: 0.1}}
    weights: {{border: 1, status: 1}}
    values:
      border: {{west: 0.0, east: 1.0}}
      status: {{aligned: 0.0, neutral: 1.0}}
  b:
    reservation: {{win: 0.8, lose: 0.2, cost: 0.1}}
    weights: {{border: 1}}
    values:
      border: {{west: 1.0, east: 0.0}}
"""


def good(name: str = "good") -> str:
    return GOOD.format(name=name)


def cli(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Run the CLI in ``cwd``; no exception other than the exit may escape."""
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str | bytes,
    fragments: list[str],
    commands: tuple[str, ...] = ("validate", "run"),
) -> None:
    """``bad.yaml`` holding ``text`` is bad input, with one message holding ``fragments``,
    for each command, and no run folder is written."""
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    for command in commands:
        args = {"validate": ["validate"], "run": ["run"], "show": ["show"]}[command]
        code, output = cli([*args, "bad.yaml"], tmp_path, monkeypatch)
        assert code == 2, (command, output)
        lines = output.strip().splitlines()
        assert len(lines) == 1, (command, output)
        for fragment in fragments:
            assert fragment in lines[0], (command, fragment, output)
    assert not (tmp_path / "results").exists()


# 1. Nesting deeper than the parser's recursion.


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "a: " + "{a: " * 10_000 + "1" + "}" * 10_000,
        "".join(" " * i + "- \n" for i in range(0, 800, 2)),
        "".join(" " * i + "k:\n" for i in range(400)),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists", "block-mappings"],
)
def test_deep_nesting_is_refused_before_the_parser_recurses(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused(tmp_path, monkeypatch, text, ["bad.yaml:", f"nested more than {MAX_DEPTH} levels"])


def test_nesting_up_to_the_limit_is_read_and_one_more_is_not(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", encoding="utf-8")
    data, _ = read_yaml(path)
    data = data["a"]
    for _ in range(MAX_DEPTH - 1):
        (data,) = data
    assert data == []  # every level was built
    path.write_text("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n")
    with pytest.raises(ScenarioError, match="nested"):
        read_yaml(path)


def scenarios_tree(tmp_path: Path) -> Path:
    """A working folder with ``scenarios/case/base.yaml`` and an unreadable deep file."""
    case = tmp_path / "scenarios" / "case"
    case.mkdir(parents=True)
    (case / "base.yaml").write_text(good("base"), encoding="utf-8")
    (case / "deep.yaml").write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    return tmp_path


def test_a_deep_file_under_scenarios_does_not_break_name_lookup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = scenarios_tree(tmp_path)
    code, output = cli(["run", "--no-record", "base"], work, monkeypatch)
    assert code == 0, output
    assert "base: A border and a status" in output


def test_an_unknown_name_names_the_files_that_could_not_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = scenarios_tree(tmp_path)
    code, output = cli(["run", "--no-record", "nowhere"], work, monkeypatch)
    assert code == 2
    (line,) = output.strip().splitlines()
    assert "nowhere: no such file, folder or scenario name" in line
    assert "known: base" in line
    assert "scenarios/case/deep.yaml" in line
    code, output = cli(["validate", "scenarios"], work, monkeypatch)
    assert code == 2
    assert output.strip().splitlines() == [
        f"scenarios/case/deep.yaml:1: YAML nested more than {MAX_DEPTH} levels deep; "
        "a scenario never needs that"
    ]


# 2. Symlinks in `extends`.


def test_a_symlink_loop_in_extends_is_reported_at_the_extends_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.symlink("loop.yaml", tmp_path / "loop.yaml")
    refused(
        tmp_path,
        monkeypatch,
        good("bad") + "extends: loop.yaml\n",
        ["bad.yaml:27: extends:", "'loop.yaml'", "symlink loop"],
        ("validate", "run", "show"),
    )


def test_a_symlink_loop_given_as_the_scenario_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.symlink("b.yaml", tmp_path / "a.yaml")
    os.symlink("a.yaml", tmp_path / "b.yaml")
    with pytest.raises(ScenarioError, match="symlink loop"):
        load_scenario(tmp_path / "a.yaml")
    code, output = cli(["validate", "a.yaml"], tmp_path, monkeypatch)
    assert code == 2
    assert "a.yaml" in output


def test_a_cycle_through_a_symlink_is_a_cycle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.symlink("bad.yaml", tmp_path / "alias.yaml")
    refused(
        tmp_path,
        monkeypatch,
        good("bad") + "extends: alias.yaml\n",
        ["bad.yaml: extends: cycle: bad.yaml -> bad.yaml"],
    )


def test_extends_follows_symlinks_inside_the_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "real.yaml").write_text(good("parent"), encoding="utf-8")
    (tmp_path / "case").mkdir()
    os.symlink("../shared/real.yaml", tmp_path / "case" / "linked.yaml")
    (tmp_path / "case" / "child.yaml").write_text(
        "name: child\nextends: linked.yaml\nset:\n  war.drift: 0.0\n", encoding="utf-8"
    )
    # The start folder is case/; shared/ is reachable through the scenario root.
    loaded = load_scenario(tmp_path / "case" / "child.yaml", roots=[tmp_path])
    assert loaded.scenario.war is not None and loaded.scenario.war.drift == 0.0
    assert loaded.files[1] == (tmp_path / "shared" / "real.yaml").resolve()
    with pytest.raises(ScenarioError, match="outside the scenario folders"):
        load_scenario(tmp_path / "case" / "child.yaml")
    # A parent found by name through a symlink in the start folder.
    os.symlink("../shared/real.yaml", tmp_path / "case" / "by-name.yaml")
    (tmp_path / "case" / "child.yaml").write_text(
        "name: child\nextends: parent\n", encoding="utf-8"
    )
    (tmp_path / "case" / "linked.yaml").unlink()
    assert load_scenario(tmp_path / "case" / "child.yaml", roots=[tmp_path]).scenario.name == (
        "child"
    )
    # ... is not a candidate when the link leaves the allowed folders.
    with pytest.raises(ScenarioError, match="no scenario named 'parent'"):
        load_scenario(tmp_path / "case" / "child.yaml")


# 3. Integers too long to convert.


def test_a_5000_digit_integer_is_refused_with_its_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = good("bad").replace("horizon: 6", "horizon: " + "9" * 5000)
    refused(tmp_path, monkeypatch, text, ["bad.yaml:9: war.horizon:", "5000 digits"])


def test_a_long_integer_in_a_list_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = good("bad") + "set:\n  war.sides: [a, -" + "1" * 4400 + "]\n"
    refused(tmp_path, monkeypatch, text, ["bad.yaml:28: set.war.sides.1:", "4400 digits"])


# 4. Lone surrogates.


@pytest.mark.parametrize(
    ("edit", "fragments"),
    [
        (("title: A border and a status", 'title: "A \\udc80 border"'), ["bad.yaml:2: title:"]),
        (("East}", '"E\\ud800"}'), ["bad.yaml:12: issues.border.options.east:"]),
        (
            ("options: {aligned", 'options: {"\\udfff": X, aligned'),
            ["bad.yaml:14: issues.status.options:"],
        ),
    ],
    ids=["title", "option-label", "key"],
)
def test_a_lone_surrogate_is_refused_by_validate_and_run(
    edit: tuple[str, str], fragments: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = good("bad").replace(*edit)
    assert text != good("bad")
    refused(
        tmp_path, monkeypatch, text, [*fragments, "lone surrogate"], ("validate", "run", "show")
    )


def test_a_surrogate_pair_written_as_one_character_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(good("ok").replace("A border and a status", "A border \U0001f600"), "utf-8")
    assert load_scenario(path).scenario.title == "A border \U0001f600"


# 5. `extends` stays inside the scenario folders.


@pytest.mark.parametrize("ref", ["/etc/passwd", "../../../../../../../../../etc/passwd"])
def test_extends_to_a_system_file_is_refused_unread(
    ref: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused(
        tmp_path,
        monkeypatch,
        good("bad") + f"extends: {ref}\n",
        ["bad.yaml:27: extends:", "outside the scenario folders", "may not leave them"],
        ("validate", "run", "show"),
    )


def test_no_content_of_an_outside_file_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.txt").write_text("TOPSECRET: hunter2\nissues: 7\n", encoding="utf-8")
    case = tmp_path / "case"
    case.mkdir()
    (case / "bad.yaml").write_text(good("bad") + "extends: ../secret.txt\n", encoding="utf-8")
    for args in (["validate", "case"], ["show", "case/bad.yaml"], ["run", "case/bad.yaml"]):
        code, output = cli(args, tmp_path, monkeypatch)
        assert code == 2
        assert "outside the scenario folders" in output
        assert "TOPSECRET" not in output and "hunter2" not in output


def test_allow_outside_lets_extends_leave_the_tree(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "parent.yaml").write_text(good("parent"), encoding="utf-8")
    (tmp_path / "case").mkdir()
    child = tmp_path / "case" / "child.yaml"
    child.write_text(
        "name: child\nextends: ../elsewhere/parent.yaml\nset:\n  levers.push.value: 1.0\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    (problem,) = caught.value.diagnostics
    assert (problem.line, problem.path) == (2, "extends")
    loaded = load_scenario(child, allow_outside=True)
    assert loaded.scenario.levers["push"].value == 1.0
    assert (
        loaded.scenario.issues
        == load_scenario(tmp_path / "elsewhere" / "parent.yaml").scenario.issues
    )


def test_extends_up_and_down_inside_the_tree_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "case" / "variants").mkdir(parents=True)
    (tmp_path / "case" / "base.yaml").write_text(good("base"), encoding="utf-8")
    child = tmp_path / "case" / "variants" / "child.yaml"
    child.write_text("name: child\nextends: ../variants/../base.yaml\n", encoding="utf-8")
    # ../base.yaml leaves the child's own folder: allowed only under a scenario root.
    with pytest.raises(ScenarioError, match="outside"):
        load_scenario(child)
    assert load_scenario(child, roots=[tmp_path / "case"]).scenario.name == "child"


# 6. YAML 1.2 numbers.


@pytest.mark.parametrize(
    ("written", "value"),
    [("3e-1", 0.3), ("1E-1", 0.1), (".5", 0.5), ("+0.25", 0.25), ("1.", 1.0), ("1e-320", 1e-320)],
)
def test_yaml_1_2_floats_are_numbers(written: str, value: float, tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    text = good("ok").replace("lose: 0.1, cost: 0.1", f"lose: 0.1, cost: {written}")
    path.write_text(text, encoding="utf-8")
    reservation = load_scenario(path).scenario.parties["a"].reservation
    assert isinstance(reservation, WarReservation)
    assert reservation.cost == value


@pytest.mark.parametrize(("written", "value"), [("1E3", 1000.0), ("0x10", 16), ("0o10", 8)])
def test_yaml_1_2_large_and_based_numbers(written: str, value: float, tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    text = good("ok").replace("weights: {border: 1}", f"weights: {{border: {written}}}")
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).scenario.parties["b"].weights["border"] == value


def test_plain_scalars_read_as_in_a_file() -> None:
    written = ["3e-1", "1e-320", "1E3", ".5", "+1.0", "-.inf", "0x1F", "yes", "1:30", "~", "x"]
    assert [plain_scalar(t) for t in written] == [
        0.3, 1e-320, 1000.0, 0.5, 1.0, float("-inf"), 31, "yes", "1:30", None, "x"
    ]  # fmt: skip
    assert plain_scalar("9" * 5000) == "9" * 5000  # not converted: stays text


@pytest.mark.parametrize(
    ("edit", "fragments"),
    [
        (
            ("lose: 0.1, cost: 0.1}", "lose: 0.1, cost: .inf}"),
            ["parties.a.reservation.cost", "finite"],
        ),
        (("drift: 0.01", "drift: .NaN"), ["war.drift", "finite"]),
        (("drift: 0.01", "drift: -.inf"), ["war.drift", "finite"]),
        # YAML 1.1 booleans and sexagesimals are strings in YAML 1.2.
        (
            ("    weights: {border: 1}", "    veto: yes\n    weights: {border: 1}"),
            ["veto", "'yes'"],
        ),
        (("horizon: 6", "horizon: 1:30"), ["war.horizon", "'1:30'"]),
        (("horizon: 6", "horizon: !!int six"), ["war.horizon", "'six' is not a valid int"]),
        (("horizon: 6", "horizon: !foo 6"), ["war.horizon", "unsupported YAML tag '!foo'"]),
        (("drift: 0.01", "drift: 2024-13-45"), ["war.drift", "'2024-13-45' is not a valid date"]),
        (("drift: 0.01", "drift: !!timestamp ''"), ["war.drift", "'' is not a valid date"]),
        (("drift: 0.01", "drift: !!binary AAAA"), ["war.drift", "unsupported YAML tag"]),
    ],
)
def test_non_finite_and_yaml_1_1_forms_are_refused(
    edit: tuple[str, str], fragments: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = good("bad").replace(*edit)
    assert text != good("bad")
    refused(tmp_path, monkeypatch, text, fragments, ("validate",))


# 7. Merge keys.


def test_a_merge_key_merges_and_a_later_key_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parties = good("merged").split("parties:\n")[1]
    text = good("merged").replace(parties, "") + (
        "  a: &side\n"
        "    power: 2.0\n"
        "    reservation: {win: 0.9, lose: 0.1, cost: 0.1}\n"
        "    weights: {border: 1, status: 1}\n"
        "    values:\n"
        "      border: {west: 0.0, east: 1.0}\n"
        "      status: {aligned: 0.0, neutral: 1.0}\n"
        "  b:\n"
        "    <<: *side\n"
        "    weights: {border: 1}\n"
        "    values:\n"
        "      border: {west: 1.0, east: 0.0}\n"
    )
    path = tmp_path / "merged.yaml"
    path.write_text(text, encoding="utf-8")
    code, output = cli(["validate", "merged.yaml"], tmp_path, monkeypatch)
    assert (code, output) == (0, "ok: 1 scenario valid\n")
    scenario = load_scenario(path).scenario
    a, b = scenario.parties["a"], scenario.parties["b"]
    assert b.power == 2.0 and b.reservation == a.reservation  # merged
    assert b.weights == {"border": 1.0} and a.weights == {"border": 1.0, "status": 1.0}
    assert b.values == {"border": {"west": 1.0, "east": 0.0}}  # overridden
    _, lines = read_yaml(path)
    # A merged key is placed where it is written, an overriding key where it overrides.
    assert lines[("parties", "b", "power")] == lines[("parties", "a", "power")] == 17
    assert lines[("parties", "b", "weights")] == 25
    # A problem in a merged value is reported in both parties, at the anchor's line.
    path.write_text(text.replace("power: 2.0", "power: -2.0"), encoding="utf-8")
    code, output = cli(["validate", "merged.yaml"], tmp_path, monkeypatch)
    assert code == 2
    assert [line.split(": ")[:2] for line in output.strip().splitlines()] == [
        ["merged.yaml:17", "parties.a.power"],
        ["merged.yaml:17", "parties.b.power"],
    ]


def test_merge_of_a_list_of_mappings_keeps_the_first(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "one: &one {x: 1, y: 1}\ntwo: &two {y: 2, z: 2}\nboth:\n  <<: [*one, *two]\n  z: 3\n"
    )
    data, _ = read_yaml(path)
    assert data["both"] == {"x": 1, "y": 1, "z": 3}


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("a: &a {x: 1}\nb:\n  <<: *a\n  y: 1\n  y: 2\n", ["bad.yaml:5: b.y: duplicate key 'y'"]),
        ("a: 1\nb:\n  <<: 3\n", ["bad.yaml:3: b:", "merge key (<<) takes a mapping"]),
        ("a: &a\n  <<: *a\n", ["bad.yaml", "merge keys"]),
    ],
    ids=["duplicate-after-merge", "merge-of-a-scalar", "recursive-merge"],
)
def test_bad_merges_and_real_duplicates_are_errors(
    text: str, fragments: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused(tmp_path, monkeypatch, text, fragments, ("validate",))


# 8. Finite numbers that overflow together.


BIG_LEVER = ("push: {value: 0.5}", "push: {value: 1e10}")


@pytest.mark.parametrize(
    ("edits", "fragments"),
    [
        (
            [
                ("push: {value: 0.5}", "push: {value: 1e200}\n  pull: {value: 1e200}"),
                ("effects: {push: 0.2}", "effects: {push: 1e200, pull: -1e200}"),
            ],
            ["bad.yaml:8: war.prevail:", "evaluates to nan", "overflow"],
        ),
        (
            [BIG_LEVER, ("effects: {push: 0.2}", "effects: {push: 1e300}")],
            ["bad.yaml:7: war.prevail:", "evaluates to inf"],
        ),
        ([("drift: 0.01", "drift: 1e308")], ["bad.yaml:8: war.drift:", "reaches inf by period 6"]),
        (
            [BIG_LEVER, ("lose: 0.1, cost: 0.1", "lose: 0.1, cost: {effects: {push: -1e300}}")],
            ["bad.yaml:17: parties.a.reservation.cost:", "evaluates to -inf"],
        ),
        (
            [("lose: 0.2, cost: 0.1", "lose: 0.2, cost: 1e308")],
            ["bad.yaml:23: parties.b.reservation.cost:", "summed over the 7 periods"],
        ),
        (
            [("{border: 1, status: 1}", "{border: 1e308, status: 1e308}")],
            ["bad.yaml:18: parties.a.weights:", "add up to more than the largest float"],
        ),
    ],
    ids=["prevail-nan", "prevail-inf", "drift", "cost", "cost-sum", "weights"],
)
def test_values_that_overflow_together_are_caught_by_validate(
    edits: list[tuple[str, str]],
    fragments: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = good("bad")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    refused(tmp_path, monkeypatch, text, fragments)


# 9. Files that are not scenario text.


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        (b"name: caf\xe9\n", ["bad.yaml: not UTF-8 text (byte 9"]),
        (b"", ["bad.yaml: file is empty; expected a mapping"]),
        (b"# only a comment\n", ["bad.yaml: file is empty"]),
        (b"- a\n- b\n", ["bad.yaml:1: expected a mapping at top level, got list"]),
        (b"just words\n", ["bad.yaml:1: expected a mapping at top level, got str"]),
        (b"42\n", ["bad.yaml:1: expected a mapping at top level, got int"]),
    ],
    ids=["latin-1", "empty", "comment", "list", "scalar", "number"],
)
def test_files_that_are_not_a_mapping_of_text(
    text: bytes, fragments: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused(tmp_path, monkeypatch, text, fragments, ("validate", "run", "show"))


def test_a_folder_named_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dir.yaml").mkdir()
    for args in (["validate", "dir.yaml"], ["run", "dir.yaml"]):
        code, output = cli(args, tmp_path, monkeypatch)
        assert code == 2
        assert output.strip().splitlines() == [
            "dir.yaml: no scenario files (*.yaml) here"
            if args[0] == "validate"
            else "dir.yaml: no scenario files (*.yaml) in this folder"
        ]
    refused(
        tmp_path,
        monkeypatch,
        good("bad") + "extends: dir.yaml\n",
        ["dir.yaml: is a folder, not a file"],
    )


def test_a_fifo_named_yaml_is_refused_without_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    refused(
        tmp_path,
        monkeypatch,
        good("bad") + "extends: pipe.yaml\n",
        ["pipe.yaml: is not a regular file"],
    )


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(good("bad"), encoding="utf-8")
    bad.chmod(0)
    try:
        bad.read_bytes()
    except PermissionError:
        pass
    else:
        pytest.skip("running as root: a file with mode 000 is still readable (see the next test)")
    code, output = cli(["validate", "bad.yaml"], tmp_path, monkeypatch)
    assert (code, output) == (2, "bad.yaml: cannot read: Permission denied\n")


def test_a_file_the_system_refuses_to_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What an unreadable file gives, also as root: the open itself fails with EACCES."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(good("bad"), encoding="utf-8")
    real_open = os.open

    def refusing_open(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("bad.yaml"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("sim.model.yamlio.os.open", refusing_open)
    code, output = cli(["validate", "bad.yaml"], tmp_path, monkeypatch)
    assert (code, output) == (2, "bad.yaml: cannot read: Permission denied\n")


def test_a_file_over_the_size_limit_is_not_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused(
        tmp_path,
        monkeypatch,
        b"# " + b"x" * (1 << 21) + b"\n",
        [f"bad.yaml: file is {(1 << 21) + 3} bytes; scenario files are limited to 1048576"],
        ("validate",),
    )

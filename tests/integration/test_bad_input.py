"""Every class of bad scenario input: exit 2, one message naming file, field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app

GOOD = """\
name: {name}
issues:
  border:
    options: {{west: West, east: East}}
  status:
    options: {{aligned: Aligned, neutral: Neutral}}
parties:
  a:
    reservation: 0.4
    weights: {{border: 1, status: 1}}
    values:
      border: {{west: 0.0, east: 1.0}}
      status: {{aligned: 0.0, neutral: 1.0}}
  b:
    reservation: 0.3
    weights: {{border: 1}}
    values:
      border: {{west: 1.0, east: 0.0}}
"""


def good(name: str = "good") -> str:
    return GOOD.format(name=name)


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


CASES: dict[str, tuple[str, list[str]]] = {
    # case id: (file text, fragments the message must contain)
    "malformed_yaml": ("name: x\nissues: [a, b\n", ["bad.yaml:", "malformed YAML"]),
    "unknown_key": (good("bad") + "colour: blue\n", ["bad.yaml:19", "colour", "unknown key"]),
    "missing_required": (
        "name: bad\nissues: {}\n",
        ["bad.yaml", "parties", "required key is missing"],
    ),
    "wrong_type": (
        good("bad").replace("reservation: 0.4", "reservation: high"),
        ["bad.yaml:9", "parties.a.reservation", "valid number"],
    ),
    "negative_weight": (
        good("bad").replace("{border: 1, status: 1}", "{border: -1, status: 1}"),
        ["bad.yaml:10", "parties.a.weights.border", "greater than or equal to 0"],
    ),
    "zero_weights": (
        good("bad").replace("{border: 1, status: 1}", "{border: 0, status: 0}"),
        ["bad.yaml:10", "parties.a.weights", "all zero"],
    ),
    "value_out_of_range": (
        good("bad").replace("{west: 0.0, east: 1.0}", "{west: 0.0, east: 1.5}"),
        ["bad.yaml:12", "parties.a.values.border.east", "less than or equal to 1"],
    ),
    "unknown_issue_in_values": (
        good("bad").replace("      status: {aligned", "      statuz: {aligned"),
        ["bad.yaml:13", "parties.a.values.statuz", "unknown issue 'statuz'"],
    ),
    "unknown_option_in_values": (
        good("bad").replace("{aligned: 0.0, neutral: 1.0}", "{aligned: 0.0, nuetral: 1.0}"),
        ["parties.a.values.status.nuetral", "unknown option 'nuetral'"],
    ),
    "unknown_option_in_red_line": (
        good("bad") + "",
        [],
    ),
    "unvalued_option": (
        good("bad").replace("{west: 1.0, east: 0.0}", "{west: 1.0}"),
        ["bad.yaml:18", "parties.b.values.border", "unvalued: east"],
    ),
    "veto_without_reservation": (
        good("bad").replace("    reservation: 0.3\n", ""),
        ["parties.b.reservation", "required for a veto party"],
    ),
    "bad_set_path": (
        good("bad") + "set:\n  parties.c.weights.border: 1\n",
        ["bad.yaml:20", "set.parties.c.weights.border", "no such field 'parties.c'"],
    ),
    "set_unknown_issue": (
        good("bad") + "set:\n  parties.a.weights.nato: 1\n",
        ["bad.yaml:20", "parties.a.weights.nato", "unknown issue 'nato'"],
    ),
    "not_a_mapping": ("- just\n- a list\n", ["bad.yaml:1", "expected a mapping"]),
    "empty_file": ("", ["bad.yaml", "empty"]),
    "control_character": ("name: x\x1f\n", ["bad.yaml", "character #x001f", "not allowed"]),
    "duplicate_key": (
        good("bad").replace("  b:\n", "  a:\n"),
        ["bad.yaml:14", "parties.a", "duplicate key 'a'"],
    ),
    "alias_bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
            for i in range(6)
        ),
        ["bad.yaml", "runaway alias expansion"],
    ),
}
CASES["unknown_option_in_red_line"] = (
    good("bad") + "    red_lines:\n      - issue: border\n        options: [north]\n",
    ["bad.yaml:21", "parties.b.red_lines.0.options", "unknown option 'north'"],
)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_gives_exit_2_and_a_located_message(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, fragments = CASES[case]
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "bad.yaml"])
    assert code == 2, output
    assert "Traceback" not in output
    for fragment in fragments:
        assert fragment in output, f"{fragment!r} not in:\n{output}"


def test_the_good_file_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "good.yaml").write_text(good(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["validate", "good.yaml"]) == (0, "ok: 1 scenario valid\n")


def test_every_problem_in_a_file_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        good("bad")
        .replace("{border: 1, status: 1}", "{border: -1, status: 1, nato: 1}")
        .replace("{west: 1.0, east: 0.0}", "{west: 1.0, east: 2.0}")
    ) + "colour: blue\n"
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "bad.yaml"])
    assert code == 2
    lines = output.strip().splitlines()
    assert len(lines) == 4, output
    assert any("weights.border" in x for x in lines)
    assert any("unknown issue 'nato'" in x for x in lines)
    assert any("values.border.east" in x for x in lines)
    assert any("colour: unknown key" in x for x in lines)


def test_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"name: caf\xe9\n")
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "bad.yaml"])
    assert code == 2
    assert "bad.yaml: not UTF-8" in output


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_text("# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "bad.yaml"])
    assert code == 2
    assert "limited to 1048576" in output


def test_extends_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nextends: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "a.yaml"])
    assert code == 2
    assert "extends: cycle: a.yaml -> b.yaml -> a.yaml" in output


def test_missing_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nextends: nowhere\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "a.yaml"])
    assert code == 2
    assert "a.yaml:2: extends: no scenario named 'nowhere'" in output


def test_duplicate_names_in_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "one.yaml").write_text(good("same"), encoding="utf-8")
    (tmp_path / "two.yaml").write_text(good("same"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "."])
    assert code == 2
    assert "two.yaml: name: scenario name 'same' is already used by one.yaml" in output


def test_name_found_twice_under_scenarios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("x", "y"):
        (tmp_path / "scenarios" / folder).mkdir(parents=True)
        (tmp_path / "scenarios" / folder / "s.yaml").write_text(good("same"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["show", "same"])
    assert code == 2
    assert "same: scenario name found more than once" in output


def test_unknown_scenario_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "s.yaml").write_text(good("known"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["show", "unknown"])
    assert code == 2
    assert (
        "unknown: no such file, folder or scenario name under scenarios/ (known: known)" in output
    )


@pytest.mark.parametrize(
    ("bundle", "fragment"),
    [
        ("nato=open", "--bundle: unknown issue 'nato' (known: border, status)"),
        ("border=north", "--bundle: unknown option 'north' for issue 'border'"),
        ("border", "--bundle: 'border' is not issue=option"),
        ("border=west,border=east", "--bundle: issue 'border' given twice"),
    ],
)
def test_bad_bundle(
    bundle: str, fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "good.yaml").write_text(good(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["explain", "good.yaml", "--bundle", bundle])
    assert code == 2
    assert fragment in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        (
            "compliance.detection_options.status.sideways: 0.1",
            "compliance.detection_options.status.sideways: unknown option 'sideways'",
        ),
        ("compliance.gain: {a: 0.1}", "compliance.gain: missing a value for war side 'b'"),
        (
            "war.drift: {base: 0.0, effects: {nothing: 1}}",
            "war.drift.effects.nothing: unknown lever 'nothing'",
        ),
        (
            "leverage.policies.squeeze_b.target: zz",
            "leverage.policies.squeeze_b.target: unknown party 'zz'",
        ),
        (
            "leverage.policies.squeeze_b.set: {levers.aid.value: abc}",
            "leverage.policies.squeeze_b.set: levers.aid.value: Input should be a valid number",
        ),
        (
            "leverage.policies.squeeze_b.set: {levers.nothing.value: 1}",
            "leverage.policies.squeeze_b.set: levers.nothing.value: no such field 'levers.nothing'",
        ),
    ],
)
def test_bad_strategic_sections(
    override: str,
    fragment: str,
    toy_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "base.yaml").write_text((toy_folder / "base.yaml").read_text(), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(
        f"name: bad\nextends: base\nset:\n  {override}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "bad.yaml"])
    assert code == 2, output
    assert fragment in output, output
    assert "bad.yaml:4" in output


def test_empty_space(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_text(
        "name: bad\nissues: {}\nparties:\n  a: {reservation: 0.1}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, output = run(["run", "bad.yaml", "--no-record"])
    assert code == 2
    assert "bad.yaml:2: issues: Dictionary should have at least 1 item" in output


def test_single_option_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_text(good("bad").replace("west: West, east: East", "west: West"))
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "bad.yaml"])
    assert code == 2
    assert "issues.border.options: Dictionary should have at least 2 items" in output


def test_space_too_large_for_any_method(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """3**64 bundles: beyond 2**62, the largest space any method here handles."""
    issues = "".join(f"  i{k}:\n    options: {{a: A, b: B, c: C}}\n" for k in range(64))
    values = "".join(f"      i{k}: {{a: 0.0, b: 0.5, c: 1.0}}\n" for k in range(64))
    weights = ", ".join(f"i{k}: 1" for k in range(64))
    text = (
        f"name: huge\nissues:\n{issues}parties:\n  p:\n    reservation: 0.5\n"
        f"    weights: {{{weights}}}\n    values:\n{values}"
    )
    (tmp_path / "huge.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run(["run", "huge.yaml", "--no-record"])
    assert code == 2, output
    assert "huge.yaml: space too large: the outcome space has" in output
    assert "Traceback" not in output


def test_a_long_list_of_options_is_cut_in_a_message(tmp_path: Path) -> None:
    """A weighted issue of 600 options with one valued: the message names the first few
    unvalued options and counts the rest, instead of listing 599 names."""
    options = ", ".join(f"o{k}: O{k}" for k in range(600))
    text = good().replace("{west: West, east: East}", "{" + options + "}")
    text = text.replace("{west: 0.0, east: 1.0}", "{o0: 0.0}").replace(
        "{west: 1.0, east: 0.0}", "{o0: 1.0}"
    )
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    code, output = run(["validate", str(path)])
    assert code == 2
    line = next(line for line in output.splitlines() if "leaves options unvalued" in line)
    assert "o1, o2, o3" in line and "o12 and 587 more" in line and "o13," not in line
    assert len(line) < 300

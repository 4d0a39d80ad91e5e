"""Fuzzing the scenario reader through the command line: random bytes, random YAML text,
random YAML structures and random edits of a valid scenario, fed to `sim validate`, `sim show`,
`sim run --no-record` and `sim explain`. Whatever the file, the exit status is 0, 1 or 2 and no
exception escapes (bad input is a message, never a traceback)."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sim.cli import app

VALID = """\
name: fuzzed
title: A border and a status
levers:
  push: {value: 0.5}
war:
  sides: [a, b]
  prevail: {base: 0.4, effects: {push: 0.2}}
  drift: 0.01
  horizon: 4
issues:
  border:
    options: {west: West, east: East}
  status:
    options: {aligned: Aligned, neutral: Neutral}
parties:
  a:
    reservation: {win: 0.9, lose: 0.1, cost: {base: 0.1, effects: {push: 0.1}}}
    weights: {border: 1, status: 1}
    values:
      border: {west: 0.0, east: 1.0}
      status: {aligned: 0.0, neutral: 1.0}
    red_lines:
      - issue: status
        options: [aligned]
  b:
    reservation: {win: 0.8, lose: 0.2, cost: 0.1, cost_growth: 0.01}
    weights: {border: 1}
    values:
      border: {west: 1.0, east: 0.0}
    interactions:
      - when: {border: west, status: neutral}
        value: 0.1
proposals:
  split:
    terms: {border: west, status: neutral}
"""

FIELDS = (
    "name title description extends set sources levers value war sides prevail drift horizon "
    "issues options parties veto power discount reservation win lose cost cost_growth weights "
    "values red_lines issue interactions when evidence quote source assumption proposals terms "
    "compliance gain exposure penalty detection detection_options protection leverage mediator "
    "backs policies target base effects a b border status west east aligned neutral push << "
    "uncertainty"
).split()

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

COMMANDS = (
    ["validate"],
    ["show"],
    ["run", "--no-record"],
    ["explain", "--bundle", "border=west"],
    ["explain", "--proposal", "split"],
)


def check_every_command(content: bytes) -> None:
    """Each command, given a file holding ``content``, ends with 0, 1 or 2 and no exception."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.yaml"
        path.write_bytes(content)
        for command in COMMANDS:
            result = CliRunner().invoke(app, [*command, str(path)])
            escaped = result.exception
            assert escaped is None or isinstance(escaped, SystemExit), (
                command,
                content[:500],
                repr(escaped),
            )
            assert result.exit_code in (0, 1, 2), (command, content[:500], result.output)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**200), max_value=10**200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, 0.5, 1e308, -1e308, 5e-324, 1e-320, 1e300]),
    st.text(max_size=20),
    st.sampled_from(FIELDS),
)
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=8))
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=25,
)


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=False, sort_keys=False).encode("utf-8")


@SETTINGS
@given(st.binary(max_size=600), st.booleans())
def test_random_bytes(noise: bytes, after_valid_text: bool) -> None:
    check_every_command(VALID.encode("utf-8") + noise if after_valid_text else noise)


TOKENS = [
    "[", "]", "{", "}", ",", ": ", "- ", "\n", "\n  ", "\n    ", "? ", "&a ", "*a", "<<: ",
    "!!int ", "!!float ", "!!str ", "!!binary ", "!!timestamp ", "!!set ", "!foo ", "|\n  ",
    ">\n  ", '"\\udc80"', '"\\ud83d\\ude00"', "'x'", "9" * 5000, ".inf", "-.inf", ".nan",
    "1e-320", "3e-1", "1E3", ".5", "+1.0", "0x1F", "0o17", "1_000", "1:30", "yes", "~", "null",
    "2024-13-45", "2024-12-30", "#", "%YAML 1.2\n---\n", "---\n", "...\n", "\t", "\x00", "\x85",
    "\ufeff", *FIELDS,
]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=40), st.booleans())
def test_random_yaml_text(tokens: list[str], after_valid_text: bool) -> None:
    text = "".join(tokens)
    check_every_command(
        ((VALID + "\n") if after_valid_text else "").encode("utf-8")
        + text.encode("utf-8", "surrogatepass")
    )


@SETTINGS
@given(structures)
def test_random_yaml_structures(data: Any) -> None:
    check_every_command(dump(data))


def paths_of(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in a document of dicts and lists."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths_of(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths_of(value, (*prefix, i))
    return found


def value_at(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-2.0, max_value=2.0),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.sampled_from([0, 1, -1, 0.0, 1.0, 1e-320, 5e-324, 1e308, -1e308, 1200, 1201]),
)


@st.composite
def edited_scenarios(draw: st.DrawFn) -> Any:
    """The valid scenario with a few values replaced, keys deleted or keys added."""
    document = yaml.safe_load(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = paths_of(document)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["number", "replace", "delete", "add"]))
        if action == "number":  # keeps the shape: reaches the analysis more often
            numeric = [p for p in paths if p and isinstance(value_at(document, p), int | float)]
            path = draw(st.sampled_from(numeric))
            parent = value_at(document, path[:-1])
            parent[path[-1]] = draw(numbers)
        elif action == "replace":
            parent[path[-1]] = draw(structures)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(keys)] = draw(structures)
        else:
            parent.append(draw(structures))
    return copy.deepcopy(document)


@SETTINGS
@given(edited_scenarios())
def test_random_edits_of_a_valid_scenario(document: Any) -> None:
    check_every_command(dump(document))


def test_the_valid_scenario_is_valid() -> None:
    """The fuzzed edits start from a scenario every command accepts."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.yaml"
        path.write_text(VALID, encoding="utf-8")
        for command in COMMANDS:
            result = CliRunner().invoke(app, [*command, str(path)])
            assert result.exit_code == 0, (command, result.output)

"""The `uncertainty:` section: patterns, kinds and ranges, precedence, groups, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.errors import InputError, ScenarioError
from sim.model import load_scenario
from sim.montecarlo.judgments import judgment_kind, matches, parse_vary, resolve_judgments

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"


def write(folder: Path, name: str, uncertainty: object, **extra: object) -> Path:
    base = folder / "base.yaml"
    if not base.exists():
        base.write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / f"{name}.yaml"
    document = {"name": name, "extends": "base", "uncertainty": uncertainty, **extra}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        resolve_judgments(load_scenario(path))
    return caught.value.messages()


def load_messages(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.messages()


def test_patterns_match_whole_segments() -> None:
    assert matches("parties.*.values.*.*", "parties.a.values.border.west")
    assert not matches("parties.*.values.*", "parties.a.values.border.west")
    assert matches("levers.*.value", "levers.aid.value")
    assert not matches("levers.a*.value", "levers.momentum.value")


def test_kinds_and_ranges() -> None:
    assert judgment_kind("parties.a.weights.border") == ("weights", 0.0, float("inf"))
    assert judgment_kind("parties.a.reservation.win") == ("reservations", 0.0, 1.0)
    assert judgment_kind("parties.a.reservation.cost.effects.aid")[0] == "reservations"
    assert judgment_kind("war.prevail.effects.aid")[0] == "war"
    assert judgment_kind("compliance.gain.a") == ("compliance", 0.0, 1.0)
    assert judgment_kind("compliance.protection.b.border.middle") == ("compliance", 0.0, 1.0)
    assert judgment_kind("compliance.detection_options.status.neutral")[0] == "compliance"
    assert judgment_kind("leverage.war.win") == ("leverage", 0.0, 1.0)
    assert judgment_kind("war.horizon") is None
    assert judgment_kind("parties.a.veto") is None


def test_defaults_vary_and_precedence(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "u",
        {
            "defaults": {"values": {"jitter": 0.05}},
            "vary": {
                "parties.*.values.border.*": {"jitter": 0.1},
                "parties.a.values.border.west": {"uniform": [0.0, 0.3]},
                "war.prevail.base": {"normal": [0.7, 0.1]},
            },
        },
    )
    found = {j.path: j for j in resolve_judgments(load_scenario(path))}
    # the most specific pattern wins; the defaults cover what no entry matches
    assert found["parties.a.values.border.west"].parameters == (0.0, 0.3)
    assert found["parties.a.values.border.middle"].parameters == pytest.approx((0.4, 0.6))
    assert found["parties.a.values.status.neutral"].declared == "defaults.values"
    assert found["war.prevail.base"].distribution == "normal"
    assert "parties.a.weights.border" not in found  # no default for weights was declared
    # c values border too (every party): 3 parties x 3 options on border
    border = [p for p in found if ".values.border." in p]
    assert len(border) == 9
    # --vary overrides the file
    extra = parse_vary(["parties.a.values.border.west=jitter:0.01"])
    again = {j.path: j for j in resolve_judgments(load_scenario(path), extra)}
    assert again["parties.a.values.border.west"].parameters == pytest.approx((-0.01, 0.01))


def test_no_section_falls_back_to_values_and_weights() -> None:
    found = resolve_judgments(load_scenario(TOY))
    assert {j.kind for j in found} == {"values", "weights"}
    assert all(j.parameters[1] - j.parameters[0] == pytest.approx(0.1) for j in found)


def test_variants_inherit_and_override(tmp_path: Path) -> None:
    parent = write(tmp_path, "parent", {"vary": {"levers.aid.value": {"jitter": 0.5}}})
    child = tmp_path / "child.yaml"
    child.write_text(
        yaml.safe_dump(
            {
                "name": "child",
                "extends": "parent",
                "uncertainty": {"vary": {"war.prevail.base": {"jitter": 0.1}}},
            }
        ),
        encoding="utf-8",
    )
    found = {j.path for j in resolve_judgments(load_scenario(child))}
    assert found == {"levers.aid.value", "war.prevail.base"}
    assert {j.path for j in resolve_judgments(load_scenario(parent))} == {"levers.aid.value"}


def test_groups_share_a_stream(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g",
        {
            "vary": {
                "levers.aid.value": {"jitter": 0.5},
                "war.prevail.base": {"jitter": 0.1},
                "parties.b.reservation.cost": {"jitter": 0.01},
            },
            "groups": {"resolve": {"paths": ["levers.aid.value", "war.prevail.*"]}},
        },
    )
    found = {j.path: j for j in resolve_judgments(load_scenario(path))}
    assert found["levers.aid.value"].stream == found["war.prevail.base"].stream == "group:resolve"
    assert found["parties.b.reservation.cost"].stream == "parties.b.reservation.cost"


def test_every_bad_pattern_is_reported_with_file_path_and_reason(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad",
        {
            "vary": {
                "parties.*.nothing": {"jitter": 0.1},
                "issues.border.options.*": {"jitter": 0.1},
                "proposals.compromise.terms.border": {"jitter": 0.1},
                "parties.a.red_lines.0.options.0": {"jitter": 0.1},
                "parties.c.veto": {"jitter": 0.1},
                "levers.aid.value": {"beta": [2, 2]},
                "parties.a.values.border.west": {"uniform": [2.0, 3.0]},
                "leverage.war.win": {"jitter": 0.01},
            },
            "groups": {"g": {"paths": ["levers.nothing.value"]}},
        },
    )
    found = messages(path)
    text = "\n".join(found)
    assert all(m.startswith(f"{path.name}:") or str(path) in m for m in found), found
    assert "parties.*.nothing: matches no field of the scenario" in text
    assert "issues.border.options.*: matches no numeric field" in text  # option names
    assert "proposals.compromise.terms.border: matches no numeric field" in text
    assert "red_lines.0.options.0: matches no numeric field" in text
    assert "parties.c.veto: matches no numeric field (parties.c.veto is False)" in text
    assert "vary.levers.aid.value: beta needs a field with a bounded range" in text
    assert "uniform [2.0, 3.0] lies outside the field's valid range [0.0, 1.0]" in text
    assert "uncertainty.groups.g.paths.0: 'levers.nothing.value' names no varied judgment" in text
    assert "leverage judgments cannot vary yet" in text
    assert len(found) == 9


def test_bad_distributions_are_reported_by_validation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad",
        {
            "defaults": {"bogus": {"jitter": 0.1}},
            "vary": {
                "war.prevail.base": {"uniform": [0.6, 0.4]},
                "levers.aid.value": {"gaussian": [1, 2]},
                "parties.a.power": {"normal": [1, 0]},
                "parties.b.power": {"beta": [1, -1]},
                "parties.c.power": {"triangular": [0, 2, 1]},
                "parties.a.weights.border": {"jitter": 0.1, "relative": 0.1},
                "parties.b.weights.border": {"jitter": -0.1},
            },
        },
    )
    text = "\n".join(load_messages(path))
    assert "uncertainty.defaults.bogus" in text
    assert "uniform: lo 0.6 > hi 0.4" in text
    assert "unknown distribution 'gaussian'" in text
    assert "normal: sd 0.0 must be > 0" in text
    assert "beta: parameters [1.0, -1.0] must be > 0" in text
    assert "triangular: mode 2.0 outside [0.0, 1.0]" in text
    assert "give exactly one distribution" in text
    assert "uncertainty.vary.parties.b.weights.border.jitter" in text


def test_vary_option_parsing() -> None:
    found = parse_vary(["levers.*.value=uniform:0,2", "x.y=jitter:0.1"])
    assert found["levers.*.value"].uniform == [0.0, 2.0]
    assert found["x.y"].jitter == 0.1
    with pytest.raises(InputError) as caught:
        parse_vary(["a=gauss:1", "b=uniform:2,1", "c", "d=normal:x"])
    text = str(caught.value)
    assert "unknown distribution 'gauss'" in text
    assert "uniform: lo 2.0 > hi 1.0" in text
    assert "'c': expected PATTERN=DIST:PARAMS" in text
    assert "parameters must be numbers" in text

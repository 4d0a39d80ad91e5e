"""Control characters in scenario, game or domain text are refused at load (sim/text.py).

Each input is generated here. The claim that the refusal is what keeps terminals, XML and
messages clean is checked with mutants: with the rule switched off, the same inputs reach the
terminal raw or make an exported Genius file ill-formed.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.commands import base as command_base
from sim.errors import ScenarioError
from sim.model import validation
from sim.model.resolve import load_scenario
from sim.text import CONTROL, control_character

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TOY = FIXTURES / "toy" / "base.yaml"

# YAML double-quoted escapes for: NUL, BEL, BS, VT, FF, CR, ESC, DEL, NEL (C1), CSI (C1)
ESCAPES = ["\\0", "\\a", "\\b", "\\v", "\\f", "\\r", "\\e", "\\x7f", "\\N", "\\x9b"]


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def _scenario(tmp_path: Path, title: str) -> Path:
    path = tmp_path / "s.yaml"
    text = TOY.read_text()
    line = f'title: "{title}"'
    path.write_text(re.sub(r"^title: .*$", lambda _: line, text, count=1, flags=re.M))
    return path


def test_the_rule_covers_c0_del_c1_but_not_tab_or_newline() -> None:
    refused = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"]
    refused += [chr(0x7F), *map(chr, range(0x80, 0xA0))]
    assert all(control_character(f"a{c}b") is not None for c in refused)
    allowed = ["\t", "\n", " ", "é", "\u00a0", "€", "—", "\U0001f600"]
    assert all(control_character(f"a{c}b") is None for c in allowed)
    everything = "".join(map(chr, range(0x100)))
    assert "".join(CONTROL.findall(everything)) == "".join(refused)


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_scenario_title_with_a_control_character_is_refused(tmp_path: Path, escape: str) -> None:
    path = _scenario(tmp_path, f"clear{escape}[2J screen")
    code, output = run(["validate", str(path)])
    assert code == 2
    assert re.search(r"s\.yaml:2: title: the text holds the control character U\+00", output)
    assert CONTROL.search(output) is None


def test_tab_and_newline_are_text(tmp_path: Path) -> None:
    path = _scenario(tmp_path, "a\\ttab and a\\nnewline")
    code, output = run(["validate", str(path)])
    assert code == 0, output


def test_a_key_with_a_control_character_is_refused_without_echoing_it(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(TOY.read_text().replace("west: West line", '"we\\est": West line'))
    code, output = run(["validate", str(path)])
    assert code == 2 and "issues.border.options: a key holds the control character" in output
    assert CONTROL.search(output) is None


def test_an_override_with_a_control_character_is_refused(tmp_path: Path) -> None:
    shutil.copy(TOY, tmp_path / "base.yaml")
    code, output = run(["run", str(tmp_path / "base.yaml"), "--set", "title=x\x1b]0;pwned\x07"])
    assert code == 2 and "title: the text holds the control character U+001B" in output
    assert CONTROL.search(output) is None


def test_without_the_rule_the_text_reaches_the_terminal_and_the_xml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mutation check: switch the rule off and the same scenario writes ESC to the
    terminal and an ill-formed Genius domain file. (The test runner's echo strips ``ESC [``
    sequences, as click does for output that is not a terminal; a real terminal gets them.)"""
    path = _scenario(tmp_path, "clear\\x9b2J screen")  # C1 CSI: click strips only ESC [
    path.write_text(path.read_text().replace("West line", '"We\\est line"'))
    code, _ = run(["export", "genius", str(path), str(tmp_path / "out")])
    assert code == 2 and not (tmp_path / "out").exists()

    monkeypatch.setattr(validation, "control_character", lambda _: None)
    code, output = run(["run", str(path), "--no-record"])
    assert code == 0 and "clear\x9b2J screen" in output
    code, _ = run(["export", "genius", str(path), str(tmp_path / "out")])
    assert code == 0
    with pytest.raises(ET.ParseError):
        ET.parse(tmp_path / "out" / "base.domain.xml")


def _genius_files(tmp_path: Path, old: str, new: str) -> list[str]:
    """The holiday domain and profiles with one value renamed in all three files."""
    files = []
    for name in ("holiday_domain.xml", "holiday_alice.xml", "holiday_bob.xml"):
        target = tmp_path / name
        target.write_text((FIXTURES / "genius" / name).read_text().replace(old, new))
        files.append(str(target))
    return files


@pytest.mark.parametrize("reference", ["&#x9b;", "&#x85;", "&#x7f;"])
def test_a_genius_value_with_a_control_character_is_refused(tmp_path: Path, reference: str) -> None:
    files = _genius_files(tmp_path, 'value="City"', f'value="Ci{reference}ty"')
    code, output = run(["import", "genius", *files, "--out", str(tmp_path / "x.yaml")])
    assert code == 2 and "holiday_domain.xml: issue 1 value 2: holds the control" in output
    assert CONTROL.search(output) is None and not (tmp_path / "x.yaml").exists()


def test_a_geniusweb_name_with_a_control_character_is_refused(tmp_path: Path) -> None:
    files = []
    for name in ("fruit_domain.json", "fruit_buyer.json", "fruit_seller.json"):
        target = tmp_path / name
        text = (FIXTURES / "genius" / name).read_text()
        target.write_text(text.replace('"banana"', '"ban\\u001bana"'))
        files.append(str(target))
    code, output = run(["import", "genius", *files, "--out", str(tmp_path / "x.yaml")])
    assert code == 2 and "fruit_domain.json: issue 1 value 2: holds the control" in output
    assert CONTROL.search(output) is None


def test_an_nfg_label_with_a_control_character_is_refused(tmp_path: Path) -> None:
    source = (FIXTURES / "nfg" / "battle_of_the_sexes.nfg").read_text()
    path = tmp_path / "g.nfg"
    path.write_text(source.replace('"football"', '"foot\x1b[2Jball"', 1))
    code, output = run(["games", "--import", str(path)])
    assert code == 2 and "g.nfg: player 1 strategy 2: holds the control character" in output
    assert CONTROL.search(output) is None


def test_messages_escape_what_they_quote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A message naming a file whose name holds ESC shows it escaped (mutant: raw)."""
    monkeypatch.chdir(tmp_path)
    code, output = run(["validate", "bad\x1b]0;title\x07.yaml"])
    assert code == 2 and "bad\\x1b]0;title\\x07.yaml" in output
    assert CONTROL.search(output) is None
    monkeypatch.setattr(command_base, "escape_controls", lambda text: text)
    _, output = run(["validate", "bad\x1b]0;title\x07.yaml"])
    assert CONTROL.search(output) is not None


def test_a_validated_document_is_scanned_again_only_where_it_is_overridden() -> None:
    """A variant of a loaded scenario scans only its overrides (the rest was scanned at load),
    and finds a control character at any depth of an override, named at its path; a document
    that was never validated is scanned whole."""
    raw = load_scenario(TOY).raw()
    assert raw.checked
    with pytest.raises(ScenarioError) as caught:
        raw.with_overrides({"parties.a.values": {"bad\x1b": {}}})
    assert [d.path for d in caught.value.diagnostics] == ["parties.a.values"]
    assert "a key" in caught.value.diagnostics[0].reason
    unchecked = dataclasses.replace(raw, document={**raw.document, "title": "x\x07"}, checked=False)
    with pytest.raises(ScenarioError, match="title"):
        unchecked.with_overrides({})
    passed = dataclasses.replace(unchecked, checked=True)  # the mutant: trusting it as checked
    assert passed.with_overrides({}).scenario.title == "x\x07"

"""Malformed Genius XML, GeniusWeb JSON and Gambit ``.nfg`` inputs, generated here: each is
refused with exit 2 and one message naming the input and the reason, never a traceback."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.formats import inputs

GENIUS = Path(__file__).resolve().parents[1] / "fixtures" / "genius"


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


def refused(args: list[str], name: str, reason: str) -> None:
    code, output = invoke(args)
    assert code == 2, output
    assert "Traceback" not in output
    lines = output.strip().splitlines()
    assert len(lines) == 1, lines
    assert name in lines[0] and reason in lines[0], lines[0]


def xml_import(tmp: Path, domain: str | None = None, alice: str | None = None) -> list[str]:
    files = []
    for stem, text in (("holiday_domain", domain), ("holiday_alice", alice)):
        if text is None:
            files.append(str(GENIUS / f"{stem}.xml"))
        else:
            (tmp / f"bad_{stem}.xml").write_text(text, encoding="utf-8")
            files.append(str(tmp / f"bad_{stem}.xml"))
    files.append(str(GENIUS / "holiday_bob.xml"))
    return ["import", "genius", *files, "--out", str(tmp / "out.yaml")]


def json_import(tmp: Path, buyer: str) -> list[str]:
    (tmp / "bad_buyer.json").write_text(buyer, encoding="utf-8")
    files = [GENIUS / "fruit_domain.json", tmp / "bad_buyer.json", GENIUS / "fruit_seller.json"]
    return ["import", "genius", *map(str, files), "--out", str(tmp / "out.yaml")]


DOMAIN = (GENIUS / "holiday_domain.xml").read_text(encoding="utf-8")
ALICE = (GENIUS / "holiday_alice.xml").read_text(encoding="utf-8")
BUYER = (GENIUS / "fruit_buyer.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("encoding", "reason"),
    [
        ("x-unknown-9", "unknown text encoding 'x-unknown-9'"),
        ("undefined", "unknown text encoding 'undefined'"),
        ("punycode", "unknown text encoding 'punycode'"),
        ("unicode_escape", "unknown text encoding 'unicode_escape'"),
    ],
)
def test_xml_declaring_an_unknown_encoding(tmp_path: Path, encoding: str, reason: str) -> None:
    bad = DOMAIN.replace('encoding="UTF-8"', f'encoding="{encoding}"')
    refused(xml_import(tmp_path, domain=bad), "bad_holiday_domain.xml", reason)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('evaluation="4"', 'evaluation="0_5"', "'0_5' is not a finite decimal number"),
        ('evaluation="4"', 'evaluation="\uff14"', "is not a finite decimal number"),
        ('evaluation="4"', 'evaluation="1e400"', "'1e400' is not a finite decimal number"),
        (
            '<weight index="1" value="0.5"/>\n    <weight index="2" value="0.3"/>',
            '<weight index="1" value="1e308"/>\n    <weight index="2" value="1e308"/>',
            "the weights sum to more than the largest double",
        ),
        (
            '<item index="2" value="City" evaluation="2"/>',
            '<item index="2" value="City" evaluation="2"/><item index="2" value="City" '
            'evaluation="3"/>',
            "<item value='City'>: the item is given twice",
        ),
        (
            '<weight index="3" value="0.2"/>',
            '<weight index="3" value="0.2"/><weight index="3" value="0.9"/>',
            "two <weight> elements have this index",
        ),
    ],
)
def test_bad_genius_profiles(tmp_path: Path, old: str, new: str, reason: str) -> None:
    assert old in ALICE
    refused(xml_import(tmp_path, alice=ALICE.replace(old, new)), "bad_holiday_alice.xml", reason)


def test_duplicate_items_in_a_genius_domain(tmp_path: Path) -> None:
    item = '<item index="2" value="City"/>'
    bad = DOMAIN.replace(item, item + item)
    refused(xml_import(tmp_path, domain=bad), "bad_holiday_domain.xml", "two items have the same")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9" * 5000, "an integer of 5000 digits; at most 100"),
        ("[" * 100_000 + "]" * 100_000, "JSON nested 100003 levels deep; at most 64"),
        ("1e400", "the number 1e400 is beyond the range of doubles"),
        ("-1e400", "the number -1e400 is beyond the range of doubles"),
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ('"0_5"', "issueWeights.Fruit: expected a finite number, found '0_5'"),
        ('"\uff10.5"', "issueWeights.Fruit: expected a finite number"),
        ('0.6, "Fruit": 0.1', "the key 'Fruit' appears twice in one object"),
    ],
)
def test_bad_geniusweb_profiles(tmp_path: Path, value: str, reason: str) -> None:
    assert '"Fruit": 0.6' in BUYER
    refused(
        json_import(tmp_path, BUYER.replace('"Fruit": 0.6', f'"Fruit": {value}')),
        "bad_buyer.json",
        reason,
    )


def test_geniusweb_weights_whose_sum_overflows_name_the_input(tmp_path: Path) -> None:
    buyer = BUYER.replace(
        '"Fruit": 0.6, "Amount (kg)": 0.4', '"Fruit": 1e308, "Amount (kg)": 1e308'
    )
    args = json_import(tmp_path, buyer)
    code, output = invoke(args)
    assert code == 2 and "bad_buyer.json: issueWeights: the weights sum to more" in output
    assert "partial" not in output  # not the temporary scenario file


def nfg(tmp: Path, text: str) -> list[str]:
    (tmp / "bad.nfg").write_text(text, encoding="utf-8")
    return ["games", "--import", str(tmp / "bad.nfg")]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('NFG 1 R "x" { "A" "B" } { 2 2 }\n1e400 1 1 1 1 1 1 1\n', "found '1e400'"),
        ('NFG 1 R "x" { "A" "B" } { 2 2 }\n0_5 1 1 1 1 1 1 1\n', "found '0_5'"),
        ('NFG 1 R "x" { "A" "B" } { 2 2 }\n\uff11 1 1 1 1 1 1 1\n', "found '\uff11'"),
        ('NFG 1 R "x" { "A" "B" } { 2 2 }\n1/0 1 1 1 1 1 1 1\n', "found '1/0'"),
        (
            'NFG 1 R "x" { "A" "B" } { { "a" "b" } { "c" "d" } }\n{ { "" 1e400, 1 } }\n1 1 1 1\n',
            "outcome 1: a payoff is not a finite number",
        ),
        (
            'NFG 1 R "x" { "A" "B" } { 1000000000 1000000000 }\n1 1\n',
            "1,000,000,000,000,000,000 strategy profiles (1000000000 x 1000000000)",
        ),
    ],
)
def test_bad_nfg_files(tmp_path: Path, text: str, reason: str) -> None:
    refused(nfg(tmp_path, text), "bad.nfg", reason)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_as_input_fails_fast(tmp_path: Path) -> None:
    refused(["games", "--import", "/dev/zero"], "/dev/zero", "is not a regular file")
    args = ["import", "genius", "/dev/zero", str(GENIUS / "holiday_alice.xml")]
    refused([*args, "--out", str(tmp_path / "o.yaml")], "/dev/zero", "is not a regular file")
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    refused(["games", "--import", str(fifo)], "pipe.xml", "is not a regular file")


def test_a_file_larger_than_the_cap_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: 1 GiB of size, no data written
        handle.truncate(1 << 30)
    args = ["import", "genius", str(GENIUS / "fruit_domain.json"), str(big)]
    refused([*args, "--out", str(tmp_path / "o.yaml")], "big.json", "JSON files are limited to")


def test_yaml_tags_on_mappings_are_refused(tmp_path: Path) -> None:
    scenario = tmp_path / "tagged.yaml"
    scenario.write_text("name: tagged\nlevers: !!python/object:os.system\n  aid: {value: 1.0}\n")
    code, output = invoke(["validate", str(scenario)])
    assert code == 2 and "Traceback" not in output
    assert "tagged.yaml:2: levers: unsupported YAML tag" in output and "on a mapping" in output


def test_the_checks_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # without the duplicate-key hook and the strict numbers, the same inputs are accepted
    monkeypatch.setattr(inputs, "_pairs", dict)
    args = json_import(tmp_path, BUYER.replace('"Fruit": 0.6', '"Fruit": 0.6, "Fruit": 0.1'))
    assert invoke([*args, "--force"])[0] == 0
    from sim.formats import genius

    monkeypatch.setattr(genius, "strict_number", float)
    args = xml_import(tmp_path, alice=ALICE.replace('evaluation="4"', 'evaluation="0_5"'))
    assert invoke([*args, "--force"])[0] == 0


def _wide_domain(tmp: Path, values: int) -> Path:
    items = "".join(f'<item index="{i + 1}" value="v{i}"/>' for i in range(values))
    path = tmp / "wide.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<negotiation_template><utility_space>'
        '<objective index="0" name="Wide" type="objective" etype="objective">'
        f'<issue index="1" name="A" type="discrete">{items}</issue>'
        '<issue index="2" name="B" type="discrete"><item index="1" value="x"/>'
        '<item index="2" value="y"/></issue></objective></utility_space></negotiation_template>',
        encoding="utf-8",
    )
    return path


def test_values_and_discretisation_have_a_budget(tmp_path: Path) -> None:
    out = ["--out", str(tmp_path / "o.yaml")]
    wide = str(_wide_domain(tmp_path, 50_000))
    refused(
        ["import", "genius", wide, str(GENIUS / "holiday_alice.xml"), *out],
        "wide.xml",
        "50,002 values over 2 issues, more than the limit of 5,000 (raise it with --max-values)",
    )
    rent = [str(GENIUS / "rent_domain.xml"), str(GENIUS / "rent_tenant.xml")]
    refused(
        ["import", "genius", *rent, "--discretise", "100000000", *out],
        "--discretise",
        "100,000,000 values, more than the limit of 5,000 (raise it with --max-values)",
    )
    code, output = invoke(["import", "genius", *rent, "--discretise", "3", *out])
    assert code == 0, output  # the same files within the limit
    lowered = ["import", "genius", *rent, "--discretise", "3", "--max-values", "4", *out]
    assert "more than the limit of 4" in invoke([*lowered, "--force"])[1]

"""`sim import genius` and `sim export genius` from the command line: a Genius domain imports
and runs with the hand-computed frontier and Nash point; every class of bad input exits 2 with
one message naming the file and the reason."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from tests.conftest import WAR

GENIUS = Path(__file__).resolve().parents[1] / "fixtures" / "genius"
HOLIDAY = [str(GENIUS / f"holiday_{n}.xml") for n in ("domain", "alice", "bob")]


def invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def test_import_then_run_gives_the_hand_computed_frontier_and_nash(tmp_path: Path) -> None:
    out = tmp_path / "holiday.yaml"
    code, stdout, stderr = invoke(["import", "genius", *HOLIDAY, "--out", str(out)])
    assert code == 0, stderr
    assert "scenario holiday, 3 issues, 12 bundles, 2 parties" in stdout
    code, stdout, stderr = invoke(["run", str(out), "--json", "--no-record"])
    assert code == 0, stderr
    outcome = json.loads(stdout)
    assert [row["index"] for row in outcome["frontier"]] == [0, 2, 4]
    assert outcome["solutions"]["nash"]["bundle"] == {
        "location": "beach",
        "duration": "weekend",
        "budget": "low",
    }


def test_export_then_import_from_the_command_line(tmp_path: Path) -> None:
    baseline = WAR / "baseline.yaml"
    code, stdout, stderr = invoke(["export", "genius", str(baseline), str(tmp_path / "g")])
    assert code == 0, stderr
    assert "not in the Genius files: north: red line on status (aligned)" in stdout
    files = sorted((tmp_path / "g").glob("*.xml"))
    domain = tmp_path / "g" / "baseline.domain.xml"
    profiles = [str(f) for f in files if f != domain]
    out = tmp_path / "back.yaml"
    code, stdout, stderr = invoke(["import", "genius", str(domain), *profiles, "--out", str(out)])
    assert code == 0, stderr
    assert "144 bundles, 3 parties" in stdout


def bad(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def profile_xml(body: str, weights: str = '<weight index="1" value="1"/>') -> str:
    return f"""<utility_space><objective index="0" name="Holiday">
{body}
{weights}
</objective></utility_space>"""


TWO_ISSUE_DOMAIN = """<negotiation_template><utility_space><objective index="0" name="d">
<issue index="1" name="A" type="discrete"><item index="1" value="x"/><item index="2" value="y"/>
</issue>
<issue index="2" name="B" type="discrete"><item index="1" value="p"/><item index="2" value="q"/>
</issue>
</objective></utility_space></negotiation_template>"""

ISSUE_A = (
    '<issue index="1" name="A"><item value="x" evaluation="{x}"/>'
    '<item value="y" evaluation="{y}"/></issue>'
)
ISSUE_B = (
    '<issue index="2" name="B"><item value="p" evaluation="1"/>'
    '<item value="q" evaluation="2"/></issue>'
)
BOTH_WEIGHTS = '<weight index="1" value="0.5"/><weight index="2" value="0.5"/>'

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<negotiation_template>&lol3;</negotiation_template>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<utility_space><objective name="&secret;"/></utility_space>"""


def xml_profile(x: str = "1", y: str = "2", weights: str = BOTH_WEIGHTS) -> str:
    return profile_xml(ISSUE_A.format(x=x, y=y) + ISSUE_B, weights)


CASES = {
    "malformed XML": (
        [("domain.xml", TWO_ISSUE_DOMAIN), ("p.xml", "<utility_space><objective></utility_space>")],
        r"p\.xml:1: malformed XML: mismatched tag",
    ),
    "malformed JSON": (
        [("domain.xml", TWO_ISSUE_DOMAIN), ("p.json", '{"LinearAdditiveUtilitySpace": {,}}')],
        r"p\.json:1: malformed JSON: Expecting property name",
    ),
    "profile issue not in the domain": (
        [
            ("domain.xml", TWO_ISSUE_DOMAIN),
            ("p.xml", xml_profile().replace('name="B"', 'name="C"')),
        ],
        r"p\.xml: <issue name='C'.*not an issue of the domain",
    ),
    "profile item not in the domain": (
        [("domain.xml", TWO_ISSUE_DOMAIN), ("p.xml", xml_profile().replace('"y"', '"z"'))],
        r"p\.xml: <issue name='A'.*<item value='z'>: not an item of this issue in the domain",
    ),
    "profile missing a domain issue": (
        [("domain.xml", TWO_ISSUE_DOMAIN), ("p.xml", profile_xml(ISSUE_A.format(x=1, y=2)))],
        r"p\.xml: <objective>: no <issue> for the domain's issue 'B'",
    ),
    "negative evaluation": (
        [("domain.xml", TWO_ISSUE_DOMAIN), ("p.xml", xml_profile(x="-1"))],
        r"p\.xml: <issue name='A'.*<item value='x'>: evaluation -1.0 is negative",
    ),
    "all evaluations zero": (
        [("domain.xml", TWO_ISSUE_DOMAIN), ("p.xml", xml_profile(x="0", y="0"))],
        r"p\.xml: <issue name='A'.*: every evaluation is zero",
    ),
    "missing weight": (
        [
            ("domain.xml", TWO_ISSUE_DOMAIN),
            ("p.xml", xml_profile(weights='<weight index="1" value="1"/>')),
        ],
        r"p\.xml: <issue name='B' index='2'>: no <weight index='2'> for this issue",
    ),
    "missing GeniusWeb weight": (
        [
            ("domain.xml", TWO_ISSUE_DOMAIN),
            (
                "p.json",
                json.dumps(
                    {
                        "LinearAdditiveUtilitySpace": {
                            "issueWeights": {"A": 1},
                            "issueUtilities": {
                                k: {"DiscreteValueSetUtilities": {"valueUtilities": v}}
                                for k, v in (("A", {"x": 0, "y": 1}), ("B", {"p": 0, "q": 1}))
                            },
                        }
                    }
                ),
            ),
        ],
        r"p\.json: issueWeights: no weight for the issue 'B'",
    ),
    "GeniusWeb profile that is not linear additive": (
        [("domain.xml", TWO_ISSUE_DOMAIN), ("p.json", '{"SumOfGroupsUtilitySpace": {}}')],
        r"p\.json: SumOfGroupsUtilitySpace: neither a GeniusWeb domain .* nor a Linear",
    ),
    "non-linear Genius utility": (
        [
            ("domain.xml", TWO_ISSUE_DOMAIN),
            ("p.xml", xml_profile().replace("</objective>", "</objective><ufun type='x'/>")),
        ],
        r"p\.xml: <ufun>: non-linear utility is not supported",
    ),
    "entity expansion": (
        [("domain.xml", BILLION_LAUGHS), ("p.xml", xml_profile())],
        r"domain\.xml:2: <!DOCTYPE> declarations are refused",
    ),
    "external entity": (
        [("domain.xml", TWO_ISSUE_DOMAIN), ("p.xml", EXTERNAL)],
        r"p\.xml:2: <!DOCTYPE> declarations are refused",
    ),
    "entity without a doctype line": (
        [("domain.xml", TWO_ISSUE_DOMAIN), ("p.xml", '<!ENTITY x "y"><utility_space/>')],
        r"p\.xml:1: <!ENTITY> declarations are refused",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_exits_2_with_one_message(tmp_path: Path, case: str) -> None:
    files, pattern = CASES[case]
    paths = [bad(tmp_path, name, text) for name, text in files]
    code, stdout, stderr = invoke(["import", "genius", *paths, "--out", str(tmp_path / "o.yaml")])
    assert code == 2, (stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in stderr
    assert re.search(pattern, lines[0]), lines[0]
    assert not (tmp_path / "o.yaml").exists()


def test_existing_out_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "holiday.yaml"
    out.write_text("keep me\n")
    code, _, stderr = invoke(["import", "genius", *HOLIDAY, "--out", str(out)])
    assert code == 2
    assert stderr.strip().endswith("holiday.yaml: --out: file exists; pass --force to overwrite it")
    assert out.read_text() == "keep me\n"
    code, _, stderr = invoke(["import", "genius", *HOLIDAY, "--out", str(out), "--force"])
    assert code == 0, stderr
    assert out.read_text().startswith("name: holiday")


def test_export_refuses_existing_files_without_force(tmp_path: Path) -> None:
    imported = tmp_path / "holiday.yaml"
    assert invoke(["import", "genius", *HOLIDAY, "--out", str(imported)])[0] == 0
    assert invoke(["export", "genius", str(imported), str(tmp_path / "g")])[0] == 0
    code, _, stderr = invoke(["export", "genius", str(imported), str(tmp_path / "g")])
    assert code == 2
    assert "holiday.domain.xml: file exists; pass --force to overwrite it" in stderr

"""Interaction terms: the composite-issue compilation against a brute force over the bundles
of the scenario's own issues."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from sim.cli import app

LINKED = Path(__file__).resolve().parents[1] / "fixtures" / "linked" / "linked.yaml"


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def brute_force() -> dict[str, Any]:
    """Every bundle of the file's issues, in mixed-radix order, with the SPEC §1 rules and the
    interaction terms written out directly."""
    doc = yaml.safe_load(LINKED.read_text())
    issues = list(doc["issues"])
    options = [list(doc["issues"][k]["options"]) for k in issues]
    parties = doc["parties"]
    veto = [p for p, v in parties.items() if v.get("veto", True)]
    rows = []
    for index, choice in enumerate(itertools.product(*options)):
        bundle = dict(zip(issues, choice, strict=True))
        utility = {}
        for name, party in parties.items():
            total = sum(party["weights"].values())
            u = sum(w / total * party["values"][k][bundle[k]] for k, w in party["weights"].items())
            for term in party.get("interactions", []):
                if all(bundle[k] == o for k, o in term["when"].items()):
                    u += term["value"]
            utility[name] = u
        blocked = any(
            bundle[line["issue"]] in line["options"]
            for p in veto
            for line in parties[p].get("red_lines", [])
        )
        ok = not blocked and all(utility[p] >= parties[p]["reservation"] - 1e-12 for p in veto)
        rows.append({"index": index, "bundle": bundle, "u": utility, "ok": ok})
    zone = [r for r in rows if r["ok"]]

    def dominates(x: dict[str, Any], y: dict[str, Any]) -> bool:
        a, b = [x["u"][p] for p in veto], [y["u"][p] for p in veto]
        return all(s >= t - 1e-12 for s, t in zip(a, b, strict=True)) and any(
            s > t + 1e-12 for s, t in zip(a, b, strict=True)
        )

    front = [r for r in zone if not any(dominates(o, r) for o in zone)]
    nash = max(
        (r for r in front if all(r["u"][p] > parties[p]["reservation"] + 1e-12 for p in veto)),
        key=lambda r: (
            sum(math.log(r["u"][p] - parties[p]["reservation"]) for p in veto),
            -r["index"],
        ),
    )
    return {
        "rows": rows,
        "zone": zone,
        "front": front,
        "nash": nash,
        "issues": issues,
        "options": options,
    }


def test_run_matches_brute_force() -> None:
    code, output = invoke(["run", str(LINKED), "--json", "--no-record"])
    assert code == 0, output
    document = json.loads(output)
    expected = brute_force()
    assert document["issues"] == dict(zip(expected["issues"], expected["options"], strict=True))
    assert document["space"]["bundles"] == len(expected["rows"])
    assert document["space"]["acceptable"] == len(expected["zone"])
    listed = {p["index"]: p for p in document["frontier"]}
    distinct = {}
    for r in sorted(expected["front"], key=lambda r: r["index"]):
        key = tuple(round(r["u"][p], 9) for p in ("a", "b"))
        distinct.setdefault(key, r)
    assert set(listed) == {r["index"] for r in distinct.values()}
    for index, point in listed.items():
        row = expected["rows"][index]
        assert point["bundle"] == row["bundle"]
        for party, value in row["u"].items():
            assert abs(point["utilities"][party] - value) < 1e-9
    assert document["solutions"]["nash"]["index"] == expected["nash"]["index"]
    assert document["solutions"]["nash"]["bundle"] == expected["nash"]["bundle"]
    # shares over the file's own issues
    for k, issue in enumerate(expected["issues"]):
        for option in expected["options"][k]:
            count = sum(1 for r in expected["zone"] if r["bundle"][issue] == option)
            share = document["option_shares"][issue][option]
            assert abs(share - count / len(expected["zone"])) < 1e-9


def test_explain_full_and_partial_terms() -> None:
    expected = brute_force()
    row = expected["nash"]
    terms = ",".join(f"{k}={v}" for k, v in row["bundle"].items())
    code, output = invoke(["explain", str(LINKED), "--bundle", terms])
    assert code == 0, output
    assert "=> acceptable to every veto party" in output
    assert f"{row['u']['a']:.3f}" in output
    # fixing one member of the composite leaves the others open: judged over every completion
    code, output = invoke(["explain", str(LINKED), "--bundle", "monitors=foreign"])
    assert code == 0, output
    assert "combinations)" in output
    completions = [r for r in expected["rows"] if r["bundle"]["monitors"] == "foreign"]
    low = min(r["u"]["a"] for r in completions)
    high = max(r["u"]["a"] for r in completions)
    assert f"{low:.3f}..{high:.3f}" in output


def test_unknown_issue_in_an_interaction(tmp_path: Path) -> None:
    text = LINKED.read_text().replace(
        "when: {zone: dmz, monitors: foreign}", "when: {zone: dmz, monitor: foreign}"
    )
    (tmp_path / "bad.yaml").write_text(text)
    code, output = invoke(["validate", str(tmp_path / "bad.yaml")])
    assert code == 2
    assert "parties.a.interactions.0.when.monitor: unknown issue 'monitor'" in output

"""Consent for what a party without a veto must deliver, end to end: the hand-worked fixture
(expected values derived in its header comment), bargaining over time, outputs, exports and
every class of bad `consent` input."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from sim.analysis.document import outcome_document
from sim.analysis.row import outcome_row
from sim.analysis.strategy import analyse_strategy, candidates
from sim.api import analyse, explain
from sim.cli import app
from sim.compile import compile_problem
from sim.core.analysis import analyse as analyse_problem
from sim.core.consent import consent_space
from sim.core.frontier import SpaceTooLargeError
from sim.core.verdict import Verdict
from sim.model import load_scenario
from sim.report.outcome_text import render_outcome

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "consent" / "peacekeepers.yaml"


def without_consent(folder: Path) -> Path:
    """The fixture with e's consent section removed (e is then never asked)."""
    document = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    del document["parties"]["e"]["consent"]
    path = folder / "plain.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_the_hand_worked_fixture() -> None:
    outcome = analyse(FIXTURE)
    assert outcome.veto_parties == ("a", "b")
    assert outcome.consent_parties == ("e",)
    assert outcome.judges == ("a", "b", "e")
    assert (outcome.space.bundles, outcome.space.feasible, outcome.space.acceptable) == (6, 6, 2)
    assert [(p.bundle.index, p.ties, p.consent) for p in outcome.frontier] == [
        (0, 0, ()),
        (5, 0, ("e",)),
    ]
    chosen = {s.rule.key: s.point for s in outcome.solutions}
    assert {k: p.bundle.index for k, p in chosen.items() if p is not None} == {
        "nash": 0,
        "kalai_smorodinsky": 5,
        "egalitarian": 0,
        "utilitarian": 5,
    }
    assert chosen["nash"] is not None and chosen["kalai_smorodinsky"] is not None
    assert chosen["nash"].consent == () and chosen["kalai_smorodinsky"].consent == ("e",)
    assert chosen["kalai_smorodinsky"].slack == pytest.approx((0.10, 0.45, 0.05), abs=1e-12)
    assert chosen["nash"].slack == pytest.approx((0.10, 0.20, 0.20), abs=1e-12)
    assert outcome.reservations == pytest.approx((0.40, 0.30, 0.45))
    assert outcome.best_acceptable == pytest.approx((0.50, 0.75, 0.50))
    assert outcome.binding.reservation == (True, True, True)
    assert outcome.binding.red_lines == (False, False, False)
    problem = compile_problem(load_scenario(FIXTURE).scenario)
    counts = analyse_problem(problem).binding.reservation_excludes
    assert [c.value for c in counts] == [2, 1, 1]  # a: {2, 4}; b: {1}; e: {3}
    proposals = {p.id: p for p in outcome.proposals}
    assert proposals["split_troops"].verdict == "rejected"
    assert proposals["split_troops"].rejected_by == ("e",)
    troops = proposals["troops_only"]
    assert troops.completable is True and troops.verdict == "open"
    stances = {s.party: s for s in troops.stances}
    assert stances["a"].verdict is Verdict.ACCEPTS
    assert (stances["e"].verdict, stances["e"].consent) == (Verdict.SOME, "all")
    assert (stances["e"].utility_low, stances["e"].utility_high) == pytest.approx((0.40, 0.60))
    west = {s.party: s for s in proposals["land_west"].stances}
    assert (west["e"].verdict, west["e"].consent) == (Verdict.ACCEPTS, "some")
    assert west["e"].utility_low == pytest.approx(0.60)  # bundle 1 only


def test_without_consent_the_third_party_is_never_asked(tmp_path: Path) -> None:
    outcome = analyse(without_consent(tmp_path))
    assert outcome.consent_parties == () and outcome.judges == ("a", "b")
    assert outcome.space.acceptable == 3
    assert [p.bundle.index for p in outcome.frontier] == [3, 5]
    assert {s.rule.key: s.point.bundle.index for s in outcome.solutions if s.point} == {
        "nash": 3,
        "kalai_smorodinsky": 3,
        "egalitarian": 3,
        "utilitarian": 3,
    }


def test_bargaining_candidates_leave_out_what_a_needed_consent_holder_refuses() -> None:
    """Bundle 3 (split land, European troops) is a's best offer that b accepts; e, whose
    consent it needs, refuses it (0.40 < 0.45): with consent a offers bundle 5 instead."""
    loaded = load_scenario(FIXTURE)
    problem = compile_problem(loaded.scenario)
    assert candidates(problem)[0].tolist() == [0, 1, 2, 4, 5]
    plain = dataclasses.replace(problem, consent=None)
    assert candidates(plain)[0].tolist() == [0, 1, 2, 3, 4, 5]
    with_consent = analyse_strategy(loaded, problem)
    without = analyse_strategy(loaded, plain)
    assert [r.bundle for r in with_consent.bargaining] == [5, 5]
    assert [r.bundle for r in without.bargaining] == [3, 5]
    assert with_consent.bargaining[0].agreement_period == 0


def test_the_kept_consent_parts_follow_the_draw() -> None:
    """The consent parts kept for a scenario's draws are read again only for the same red
    lines and consent: a draw in which e's reservation falls (0.45 to 0.35), then e also
    red-lines European troops, no one red-lines anything, or no one's consent is needed gets
    the refusals computed afresh from
    :func:`deciders` and :func:`approvals` (an independent reading of the rule)."""
    from sim.core.space import decode
    from sim.core.utility import approvals, bundle_utilities, deciders, feasible

    problem = compile_problem(load_scenario(FIXTURE).scenario)
    assert candidates(problem)[0].tolist() == [0, 1, 2, 4, 5]
    e = problem.parties.index("e")
    lower = problem.reservation.copy()
    lower[e] = 0.35
    assert problem.consent is not None
    troops = [np.array(t, copy=True) for t in problem.red_lines]
    troops[1][e, 1] = True  # e red-lines European troops (its consent is asked for them)
    variants = [
        dataclasses.replace(problem, reservation=lower),
        dataclasses.replace(problem, reservation=lower, red_lines=tuple(troops)),
        dataclasses.replace(problem, red_lines=tuple(np.zeros_like(t) for t in problem.red_lines)),
        dataclasses.replace(problem, consent=tuple(np.zeros_like(t) for t in problem.consent)),
        problem,
    ]
    every = np.arange(int(np.prod(problem.radices)))
    for variant in variants:
        digits = decode(every, variant.radices)
        ok = feasible(variant, digits)
        utilities = bundle_utilities(variant, digits[ok])
        asked = deciders(variant, digits[ok]) & ~variant.veto[None, :]
        refused = (asked & ~approvals(variant, digits[ok], utilities)).any(axis=1)
        assert candidates(variant)[0].tolist() == every[ok][~refused].tolist()
    assert candidates(variants[0])[0].tolist() == [0, 1, 2, 3, 4, 5]  # e takes bundle 3 now


def test_the_outputs_say_whose_consent_each_bundle_needs() -> None:
    outcome = analyse(FIXTURE)
    document = outcome_document(outcome)
    assert document["veto_parties"] == ["a", "b"]
    assert document["consent_parties"] == ["e"]
    assert [p["consent"] for p in document["frontier"]] == [[], ["e"]]
    assert document["solutions"]["kalai_smorodinsky"]["consent"] == ["e"]
    assert document["solutions"]["kalai_smorodinsky"]["slack"] == {"a": 0.1, "b": 0.45, "e": 0.05}
    assert document["reservations"] == {"a": 0.4, "b": 0.3, "e": 0.45}
    assert set(document["binding"]) == {"a", "b", "e"}
    troops = document["proposals"]["troops_only"]
    assert troops["some_completion_acceptable"] is True
    assert troops["parties"]["e"]["consent_needed_by"] == "all"
    assert "consent_needed_by" not in troops["parties"]["a"]
    json.dumps(document)
    row = outcome_row(outcome)
    assert row["reservation_e"] == 0.45
    assert (row["nash_consent"], row["utilitarian_consent"]) == ("", "e")
    assert row["proposal_split_troops"] == "rejected by e"
    text = render_outcome(outcome)
    assert "reservations: a 0.400, b 0.300, e 0.450" in text
    consent_row = next(line for line in text.splitlines() if "consent of" in line)
    assert consent_row.split()[2:] == ["-", "e", "-", "e"]


def test_explain_judges_the_consent_holder_over_what_needs_it() -> None:
    text = explain(FIXTURE, bundle="land=split,troops=european").text
    assert "e: rejects" in text and "=> no agreement: rejected by e" in text
    veto_row = next(line for line in text.splitlines() if line.startswith("veto "))
    assert veto_row.split() == ["veto", "yes", "yes", "consent"]
    west = explain(FIXTURE, bundle="land=west,troops=none").text
    assert "e: not consulted (no completion needs its consent)" in west
    assert "=> acceptable to every veto party" in west
    five = explain(FIXTURE, index=5).text
    assert "=> acceptable to every party whose consent it needs" in five


def test_a_space_beyond_the_enumeration_limit_is_refused() -> None:
    problem = compile_problem(load_scenario(FIXTURE).scenario)
    with pytest.raises(SpaceTooLargeError, match=r"consent.*6, more than the limit of 5"):
        consent_space(problem, limit=5)
    assert consent_space(problem, limit=6).acceptable == 2


def test_exports_do_not_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["export", "genius", str(FIXTURE), str(tmp_path / "genius")])
    assert result.exit_code == 0, result.output
    assert "e: consent over troops=european not exported" in result.output
    result = runner.invoke(app, ["games", str(FIXTURE), "--export", "nfg", str(tmp_path / "nfg")])
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "nfg").glob("*.nfg"))


GOOD = FIXTURE.read_text(encoding="utf-8")

BAD = {
    "unknown issue": (
        GOOD.replace("terms: [troops=european]", "terms: [army=european]"),
        ["parties.e.consent.terms.0", "unknown issue 'army'"],
    ),
    "unknown option": (
        GOOD.replace("terms: [troops=european]", "terms: [troops=american]"),
        ["parties.e.consent.terms.0", "unknown option 'american'"],
    ),
    "on a veto party": (
        GOOD.replace("    veto: false\n    reservation: 0.45", "    reservation: 0.45"),
        ["parties.e.consent", "veto: true consents to every bundle already"],
    ),
    "without a reservation": (
        GOOD.replace("    veto: false\n    reservation: 0.45\n", "    veto: false\n").replace(
            '      reservation: [{assumption: "e\'s value of staying out"}]\n', ""
        ),
        ["parties.e.reservation", "required for a party whose consent a bundle may need"],
    ),
    "empty terms": (
        GOOD.replace("terms: [troops=european]", "terms: []"),
        ["parties.e.consent.terms", "empty: name at least one"],
    ),
    "no evidence": (
        GOOD.replace(
            '      evidence: [{assumption: "e would supply the troops, so sending them needs '
            'its consent"}]\n',
            "",
        ),
        ["parties.e.consent.evidence", "required key is missing"],
    ),
    "empty evidence": (
        GOOD.replace(
            '[{assumption: "e would supply the troops, so sending them needs its consent"}]', "[]"
        ),
        ["parties.e.consent.evidence", "empty: cite a quote or state an assumption"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_consent_gives_exit_2_and_a_located_message(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, fragments = BAD[case]
    assert text != GOOD
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "bad.yaml"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in ["bad.yaml", *fragments]:
        assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"


def test_consent_is_compiled_through_composite_issues(tmp_path: Path) -> None:
    """An interaction term joins land and troops into one composite issue: a composite
    option needs e's consent when its troops member is European."""
    document = yaml.safe_load(GOOD)
    document["parties"]["a"]["interactions"] = [
        {"when": {"land": "west", "troops": "european"}, "value": 0.1}
    ]
    path = tmp_path / "linked.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    problem = compile_problem(load_scenario(path).scenario)
    assert problem.consent is not None and len(problem.consent) == 1
    e = problem.parties.index("e")
    assert problem.consent[0][e].tolist() == [False, True] * 3
    assert np.array_equal(problem.consent_holders, [e])
    outcome = analyse(path)
    assert [p.consent for p in outcome.frontier] == [
        ("e",) if p.bundle.as_dict()["troops"] == "european" else () for p in outcome.frontier
    ]


def test_the_report_shows_consent(tmp_path: Path) -> None:
    """A Markdown report of a run: the solutions' table says whose consent each needs, the
    evidence table cites the consent, and the space figure is drawn."""
    from sim.api import run
    from sim.report.pages import write_report

    record = run(FIXTURE, out=tmp_path / "run")
    written = write_report([record.folder], tmp_path / "report.md", output_format="markdown")
    text = written[0].read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "needs the consent of" in line)
    assert [cell.strip() for cell in row.strip("|").split("|")][1:] == ["-", "E", "-", "E"]
    assert "troops=european" in text and "e would supply the troops" in text
    assert "no veto; consent over what it delivers" in text

"""Bundles shown as the issues that differ from a reference, marked."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from sim.report import bundle_terms
from sim.report.bundle_terms import against, changed_issues, marked_changes
from sim.runs.compare import changed_issues as stored_changed_issues
from sim.words import plural

ISSUES = {"nato": ["open", "delay", "neutral"], "kursk": ["held", "returned"], "dmz": ["dmz", "no"]}


def all_bundles() -> list[dict[str, str]]:
    return [dict(zip(ISSUES, combo, strict=True)) for combo in itertools.product(*ISSUES.values())]


def test_changed_issues_agree_with_a_set_difference_on_every_pair() -> None:
    # oracle: the pairs of one bundle not in the other, by set difference (no shared code)
    for bundle, reference in itertools.product(all_bundles(), repeat=2):
        expected = set(bundle.items()) - set(reference.items())
        got = changed_issues(bundle, reference)
        assert {(issue, option) for issue, _, option in got} == expected
        assert all(reference[issue] == before for issue, before, _ in got)


def test_against_picks_the_closest_reference_and_marks_what_it_replaced() -> None:
    nash = {"nato": "neutral", "kursk": "held", "dmz": "dmz"}
    far = {"nato": "open", "kursk": "returned", "dmz": "no"}
    bundle = {**nash, "kursk": "returned"}
    assert against(bundle, [("far", far), ("nash", nash)]) == (
        "the nash terms except kursk=returned [was held]"
    )
    assert against(nash, [("far", far), ("nash", nash)]) == "the nash terms"
    assert against(far, [("nash", nash)], limit=2) is None  # three differ: shown in full


def test_marked_changes_fails_when_the_diff_is_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    bundle, reference = {"a": "x", "b": "y"}, {"a": "x", "b": "z"}
    assert marked_changes(bundle, reference) == "b=y [was z]"
    monkeypatch.setattr(bundle_terms, "changed_issues", lambda terms, reference: [])
    assert marked_changes(bundle, reference) != "b=y [was z]"  # the check above can fail


def test_compare_reads_the_changed_issues_of_stored_bundles() -> None:
    rng = random.Random(3)
    bundles = all_bundles()
    for _ in range(50):
        old, new = rng.choice(bundles), rng.choice(bundles)
        words = ["; ".join(f"{i}={o}" for i, o in b.items()) for b in (old, new)]
        got = stored_changed_issues(*words)
        assert {(i, o, n) for i, o, n in got} == {
            (i, old[i], new[i]) for i in ISSUES if old[i] != new[i]
        }
    assert stored_changed_issues("", "a=b") == ()  # a missing bundle is not diffed


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "scenario", "1 scenario"),
        (2, "scenario", "2 scenarios"),
        (0, "scenario", "0 scenarios"),
        (1, "party", "1 party"),
        (4, "party", "4 parties"),
        (1, "equilibrium", "1 equilibrium"),
        (7, "equilibrium", "7 equilibria"),
        (20736, "bundle", "20,736 bundles"),
    ],
)
def test_plural(count: int, noun: str, expected: str) -> None:
    assert plural(count, noun) == expected


def test_compare_marks_the_changed_issues_and_keeps_full_terms_for_machines() -> None:
    import json

    from sim.report.compare_text import render_comparison
    from sim.runs.compare import Change, Comparison

    old = "nato=neutrality; sequence=ceasefire_first; kursk=held"
    new = "nato=neutrality; sequence=settlement_first; kursk=held"
    change = Change(("baseline",), "nash_bundle", old, new, stored_changed_issues(old, new))
    comparison = Comparison("a", "b", ("scenario",), 1, (change,), (), (), (), ())
    table = render_comparison(comparison, "table")
    assert "sequence=ceasefire_first" in table and "sequence=settlement_first" in table
    assert "nato=neutrality" not in table and "kursk=held" not in table  # unchanged: left out
    assert old in render_comparison(comparison, "csv")
    (entry,) = json.loads(render_comparison(comparison, "json"))["changes"]
    assert entry["old"] == old
    assert entry["changed_issues"] == {"sequence": ["ceasefire_first", "settlement_first"]}


def test_the_comparison_figure_and_page_read_the_changed_issues_not_the_cells() -> None:
    """The renderers show the comparison's typed changed issues: cells they could not parse
    (here opaque words) still show them; a renderer parsing the cells again would not."""
    from sim.figures.compare import word_change
    from sim.figures.sources import RunSource
    from sim.report.compare_page import _terms_change
    from sim.runs.compare import Change

    change = Change(("x",), "nash_bundle", "A", "B", (("nato", "open", "delay"),), 2)
    shown = "x: nash_bundle: nato: open → delay (the other 2 issues unchanged)"
    assert word_change(change) == shown
    run = RunSource("run", Path("a"), {})
    assert _terms_change(change, run, run) == "nato: open -> delay"
    assert _terms_change(Change(("x",), "nash_bundle", "A", "B"), run, run) == "bundle A -> B"


def test_compare_counts_the_issues_that_kept_their_option() -> None:
    from sim.figures.compare import word_change
    from sim.runs.compare import Change, _bundle_change

    rng = random.Random(5)
    bundles = all_bundles()
    for _ in range(50):
        old, new = rng.sample(bundles, 2)
        words = ["; ".join(f"{i}={o}" for i, o in b.items()) for b in (old, new)]
        issues, kept = _bundle_change(*words)
        assert kept == sum(old[i] == new[i] for i in ISSUES)  # oracle: count by issue
        shown = word_change(Change(("k",), "nash_bundle", *words, issues, kept))
        for issue in ISSUES:
            assert (f"{issue}: {old[issue]} → {new[issue]}" in shown) == (old[issue] != new[issue])
        assert shown.endswith(f"(the other {kept} issues unchanged)")

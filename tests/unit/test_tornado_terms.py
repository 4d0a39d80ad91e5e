"""The tornado's Nash moves carry their terms, and the terminal prints them."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

from sim.compile import compile_problem
from sim.model import load_scenario
from sim.montecarlo.document import BundleOdds, Flip
from sim.montecarlo.sensitivity import changed_terms
from sim.report.uncertainty_text import _flip
from tests.conftest import FIXTURES


def test_changed_terms_match_an_enumeration_of_the_bundles() -> None:
    problem = compile_problem(load_scenario(Path(FIXTURES / "toy" / "base.yaml")).scenario)
    # oracle: bundles in SPEC §1 order are the product of the options, the last issue fastest
    bundles = list(itertools.product(*problem.bundle_options))
    for a, b in itertools.product(range(len(bundles)), repeat=2):
        expected = {
            issue: [bundles[a][k], bundles[b][k]]
            for k, issue in enumerate(problem.bundle_issues)
            if bundles[a][k] != bundles[b][k]
        }
        assert changed_terms(problem, a, b) == expected
    first = dict(zip(problem.bundle_issues, bundles[0], strict=True))
    assert changed_terms(problem, 0, -1) == {i: [o, None] for i, o in first.items()}


def test_the_tornado_line_prints_terms_not_bundle_numbers() -> None:
    changed = {"sequence": ["ceasefire_first", "settlement_first"]}
    flip = Flip("war.prevail.base", "low", 0.3, "nash", 16859, 16891, changed)
    line = _flip(flip)
    assert line == "nash moves: sequence ceasefire_first -> settlement_first"
    assert "16859" not in line and "16891" not in line
    assert _flip(replace(flip, moved=-1)) == "nash: no longer exists"
    older = replace(flip, changed=None)  # a run recorded before
    assert _flip(older) == "nash bundle 16859 -> 16891"
    zone = Flip("war.prevail.base", "low", 0.3, "zone", True, False)
    assert _flip(zone) == "zone True -> False"


def test_bundle_rows_show_the_first_in_full_and_the_rest_by_their_changed_issues() -> None:
    from sim.report.uncertainty_text import _bundle_rows

    first = {"nato": "neutrality", "kursk": "returned", "dmz": "dmz"}
    second = {**first, "kursk": "held"}
    rows = tuple(
        BundleOdds(0, b, "; ".join(f"{i}={o}" for i, o in b.items()), p)
        for b, p in ((first, 1.0), (second, 0.98))
    )
    lines = _bundle_rows(rows)
    assert lines[0] == "  100.0%  nato=neutrality; kursk=returned; dmz=dmz"
    assert lines[1] == "  98.0%  the first terms except kursk=held [was returned]"

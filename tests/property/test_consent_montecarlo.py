"""With consent, the vectorised draws equal the one-draw-at-a-time path exactly, draw by draw.

Static layer: each draw's values applied as `set:` overrides, the scenario validated and
compiled again, and `analyse`, `judge_terms` and `some_completion_acceptable` called (the
vectorised half-space sums, per-draw frontiers and consent masks are not on that path).
Strategic layer: the vectorised backward induction against `strategic_block` (the core's
protocols per draw) and `strategic_block` against `analyse_strategy` on the drawn scenario;
random scenarios often carry a `bargaining:` section choosing the protocols (and an order).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis.analyse import allowed_options
from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.core.consent import some_completion_acceptable
from sim.core.verdict import judge_terms
from sim.model import LoadedScenario, load_scenario
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.static import VERDICTS, build_structure, evaluate_block
from sim.montecarlo.strategic import protocol_names
from tests.property.test_montecarlo_property import scenarios as static_scenarios
from tests.unit.test_montecarlo_induction import assert_equal_blocks, strategic_scenarios
from tests.unit.test_montecarlo_strategic import check as check_against_analyse_strategy

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "consent" / "peacekeepers.yaml"


def one_draw(loaded: LoadedScenario, paths: list[str], row: np.ndarray) -> dict[str, Any]:
    overrides = {p: float(v) for p, v in zip(paths, row, strict=True)}
    scenario = loaded.raw().with_overrides(overrides).scenario
    problem = compile_problem(scenario)
    analysis = analyse(problem)
    assert analysis.acceptable.exact
    verdicts, completable = [], []
    for proposal in scenario.proposals.values():
        terms = {
            problem.issues.index(k): problem.options[problem.issues.index(k)].index(o)
            for k, o in proposal.terms.items()
        }
        verdicts.append([VERDICTS.index(v.verdict) for v in judge_terms(problem, terms)])
        allowed = allowed_options(problem, proposal.terms)
        completable.append(some_completion_acceptable(problem, allowed))
    return {
        "acceptable": analysis.acceptable.value,
        "frontier": analysis.frontier.size,
        "solutions": [-1 if s is None else s.index for s in analysis.solutions.chosen],
        "verdicts": verdicts,
        "completable": completable,
    }


def assert_exact(path: Path, draws: int, seed: int) -> tuple[int, int]:
    """Every draw equal; returns how many draws had a zone and how many a frontier bundle
    that needs a consent holder's consent (so tests can see both kinds)."""
    loaded = load_scenario(path)
    judgments = resolve_judgments(loaded)
    structure = build_structure(loaded, judgments)
    assert structure.consent is not None
    drawn = draw_block(judgments, seed, 0, draws)
    block = evaluate_block(structure, drawn)
    paths = [j.path for j in judgments]
    for d in range(draws):
        expected = one_draw(loaded, paths, drawn[d])
        got = {
            "acceptable": int(block.acceptable[d]),
            "frontier": int(block.frontier[d]),
            "solutions": block.solutions[d].tolist(),
            "verdicts": block.verdicts[d].tolist(),
            "completable": block.completable[d].tolist(),
        }
        assert got == expected, f"draw {d}"
    return int((block.acceptable > 0).sum()), int((block.solutions >= 0).sum())


def add_consent(draw: st.DrawFn, document: dict[str, Any]) -> None:
    """A party without a veto (a new one if none) holds consent over a bare issue or some
    options, with a reservation drawn like the others'; the proposals are judged with it."""
    parties = document["parties"]
    holders = [p for p, party in parties.items() if party.get("veto") is False]
    issues = document["issues"]
    names = list(issues)
    if not holders or draw(st.booleans()):
        parties["c"] = {
            "veto": False,
            "weights": {k: draw(st.sampled_from([0.5, 1.0])) for k in names},
            "values": {
                k: {o: draw(st.sampled_from([0.0, 0.3, 0.6, 1.0])) for o in issue["options"]}
                for k, issue in issues.items()
            },
        }
        holders.append("c")
    for holder in holders:
        party = parties[holder]
        party.setdefault("reservation", draw(st.sampled_from([0.2, 0.4, 0.5, 0.6])))
        terms = []
        for k in draw(st.sets(st.sampled_from(names), min_size=1)):
            options = list(issues[k]["options"])
            if draw(st.booleans()):
                terms.append(k)
            else:
                chosen = draw(st.sets(st.sampled_from(options), min_size=1))
                terms += [f"{k}={o}" for o in sorted(chosen)]
        party["consent"] = {"terms": terms, "evidence": [{"assumption": "delivers it"}]}
        if draw(st.booleans()):
            k = draw(st.sampled_from(names))
            first = next(iter(issues[k]["options"]))
            party["red_lines"] = [{"issue": k, "options": [first]}]


@st.composite
def consent_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    document = draw(static_scenarios())
    add_consent(draw, document)
    return document


def write(folder: str, document: dict[str, Any]) -> Path:
    path = Path(folder) / "generated.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@settings(max_examples=40, deadline=None)
@given(consent_scenarios(), st.integers(0, 2**32))
def test_static_draws_with_consent_equal_one_draw_at_a_time(
    document: dict[str, Any], seed: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert_exact(write(folder, document), draws=10, seed=seed)


def test_fixture_draws_equal_one_draw_at_a_time() -> None:
    """The hand-worked fixture, every option value and weight drawn within +-0.05: draws
    with and without a zone, solutions that need the consent holder's consent."""
    zones, solved = assert_exact(FIXTURE, draws=60, seed=4)
    assert 0 < zones <= 60 and solved > 0
    loaded = load_scenario(FIXTURE)
    structure = build_structure(loaded, resolve_judgments(loaded))
    block = evaluate_block(structure, draw_block(structure.judgments, 4, 0, 60))
    five = block.solutions == 5  # east + European troops: e's consent needed
    assert five.any() and (block.solutions[five.any(axis=1)] != 5).any()


@st.composite
def strategic_consent_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """The strategic generator's scenarios with a consent holder and, often, a bargaining
    section choosing the protocols and the order of rotating offers."""
    document = draw(strategic_scenarios())
    veto = [p for p, party in document["parties"].items() if party.get("veto", True)]
    add_consent(draw, document)
    if len(veto) == 2 and draw(st.booleans()):
        protocols = draw(
            st.lists(st.sampled_from(["alternating", "rotating", "mediated"]), unique=True)
        )
        rules: dict[str, Any] = {"protocols": protocols}
        if draw(st.booleans()):
            rules["order"] = draw(st.lists(st.sampled_from(veto), min_size=1, max_size=3))
        document["bargaining"] = rules
    return document


@settings(max_examples=40, deadline=None)
@given(strategic_consent_scenarios(), st.integers(0, 2**32))
def test_strategic_draws_with_consent_equal_one_draw_at_a_time(
    document: dict[str, Any], seed: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, document)
        assert_equal_blocks(path, 12, seed)
        check_against_analyse_strategy(path, 6, seed)


def test_fixture_strategic_draws_equal_analyse_strategy() -> None:
    agreed, _ = check_against_analyse_strategy(FIXTURE, 20, 3)
    assert agreed > 0
    assert_equal_blocks(FIXTURE, 40, 3)


def bargaining_document(protocols: list[str], order: list[str] | None) -> dict[str, Any]:
    document = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    document["leverage"] = None
    document["bargaining"] = {"protocols": protocols, "evidence": [{"assumption": "rules"}]}
    if order is not None:
        document["bargaining"]["order"] = order
    return {k: v for k, v in document.items() if v is not None}


def test_the_draws_play_the_protocols_the_scenario_chooses(tmp_path: Path) -> None:
    """Protocols a `bargaining:` section rules out are not played; rotating offers between
    two parties are played in the section's order; both equal `analyse_strategy` draw by
    draw (which used to be skipped for any scenario with the section)."""
    for protocols, order, names in (
        (["alternating"], None, ("alternating_a_first", "alternating_b_first")),
        (["rotating"], ["b", "a"], ("rotating_b_first",)),
        (["rotating"], ["a", "a", "b"], ("rotating_a_first",)),
        (["alternating", "rotating"], None, (
            "alternating_a_first", "alternating_b_first", "rotating_a_first",
        )),
        ([], None, ()),
    ):  # fmt: skip
        path = tmp_path / "rules.yaml"
        path.write_text(yaml.safe_dump(bargaining_document(protocols, order)), encoding="utf-8")
        loaded = load_scenario(path)
        structure = build_structure(loaded, resolve_judgments(loaded))
        assert protocol_names(structure) == names
        check_against_analyse_strategy(path, 10, 7)
        assert_equal_blocks(path, 20, 7)

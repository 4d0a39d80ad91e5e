"""Genius XML and GeniusWeb JSON import, Genius export: hand-computed utilities, frontiers and
Nash points, compared with a brute-force enumeration and with sim's own analysis."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from numpy.typing import NDArray

from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.core.space import decode
from sim.core.utility import bundle_utilities
from sim.errors import InputError
from sim.formats.convert import import_genius
from sim.formats.domain import identifiers
from sim.formats.export import export_genius
from sim.formats.xmlsafe import read_xml
from sim.model import load_scenario
from sim.model.schema import Scenario
from tests.conftest import WAR

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "genius"
HOLIDAY = [FIXTURES / f"holiday_{n}.xml" for n in ("domain", "alice", "bob")]
FRUIT = [FIXTURES / f"fruit_{n}.json" for n in ("domain", "buyer", "seller")]

# Hand-computed from the fixtures: Alice u = 0.5 L + 0.3 D + 0.2 B with L = (4, 2, 1) / 4,
# D = (1, 2) / 2, B = (1, 2) / 2; Bob u = 0.2 L + 0.3 D + 0.5 B with L = (1, 4, 2) / 4,
# D = (2, 1) / 2, B = (5, 1) / 5. Bundles in mixed-radix order (Location slowest).
HOLIDAY_UTILITIES = [
    (0.75, 0.85), (0.85, 0.45), (0.9, 0.7), (1.0, 0.3),
    (0.5, 1.0), (0.6, 0.6), (0.65, 0.85), (0.75, 0.45),
    (0.375, 0.9), (0.475, 0.5), (0.525, 0.75), (0.625, 0.35),
]  # fmt: skip
# Reservations 0.3 and 0.4 exclude bundles 3 and 11; of the rest, bundles 0 (0.75, 0.85),
# 2 (0.9, 0.7) and 4 (0.5, 1.0) are undominated; Nash products of the gains:
# 0.45 * 0.45 = 0.2025, 0.6 * 0.3 = 0.18, 0.2 * 0.6 = 0.12, so Nash is bundle 0.
HOLIDAY_FRONTIER = [0, 2, 4]
HOLIDAY_NASH = 0
# Buyer u = 0.6 F + 0.4 A, F = (1, 0.5, 0), A = (0.25, 1); Seller u = 0.5 F + 0.5 A,
# F = (0.2, 0.6, 1), A = (1, 0.5). Buyer's reservation: u(banana, 1kg) = 0.3 + 0.1 = 0.4.
FRUIT_UTILITIES = [(0.7, 0.6), (1.0, 0.35), (0.4, 0.8), (0.7, 0.55), (0.1, 1.0), (0.4, 0.75)]
# Acceptable: all but bundle 4 (buyer 0.1 < 0.4); frontier 0, 1, 2; Nash gains products:
# 0.3 * 0.6 = 0.18, 0.6 * 0.35 = 0.21, bundle 2 has a zero gain: Nash is bundle 1.
FRUIT_FRONTIER = [0, 1, 2]
FRUIT_NASH = 1


def imported(files: list[Path], tmp_path: Path, **options: object) -> Scenario:
    out = tmp_path / "imported.yaml"
    import_genius(files, out, **options)  # type: ignore[arg-type]
    return load_scenario(out).scenario


def all_utilities(scenario: Scenario) -> NDArray[np.float64]:
    problem = compile_problem(scenario)
    digits = decode(np.arange(problem.size, dtype=np.int64), problem.radices)
    return bundle_utilities(problem, digits)


def brute_force(utilities: NDArray[np.float64], reservation: NDArray[np.float64]) -> list[int]:
    """Frontier by pairwise comparison of every acceptable bundle (no sim code)."""
    ok = np.flatnonzero((utilities >= reservation - 1e-12).all(axis=1))
    front = []
    for b in ok:
        others = utilities[ok]
        dominated = (others >= utilities[b] - 1e-12).all(axis=1) & (
            others > utilities[b] + 1e-12
        ).any(axis=1)
        if not dominated.any():
            front.append(int(b))
    return front


def brute_nash(utilities: NDArray[np.float64], reservation: NDArray[np.float64]) -> int:
    gains = utilities - reservation
    product = np.where((gains > 0).all(axis=1), np.prod(np.where(gains > 0, gains, 1), axis=1), -1)
    return int(np.argmax(product))


def test_holiday_imports_with_hand_computed_utilities(tmp_path: Path) -> None:
    scenario = imported(HOLIDAY, tmp_path)
    assert scenario.name == "holiday"
    assert list(scenario.issues) == ["location", "duration", "budget"]
    assert scenario.issues["location"].title == "Location"
    assert scenario.issues["budget"].options == {"low": "Under 500 euros", "high": "High"}
    assert list(scenario.parties) == ["holiday_alice", "holiday_bob"]
    alice, bob = scenario.parties.values()
    assert alice.veto and bob.veto
    assert (alice.reservation, bob.reservation) == (0.3, 0.4)
    assert alice.discount == 0.9 and bob.discount == 0.95  # bob's file gives none
    np.testing.assert_allclose(all_utilities(scenario), HOLIDAY_UTILITIES, atol=1e-12)


def test_holiday_frontier_and_nash_match_brute_force_and_analysis(tmp_path: Path) -> None:
    scenario = imported(HOLIDAY, tmp_path)
    utilities = all_utilities(scenario)
    reservation = np.array([0.3, 0.4])
    assert brute_force(utilities, reservation) == HOLIDAY_FRONTIER
    assert brute_nash(utilities, reservation) == HOLIDAY_NASH
    analysis = analyse(compile_problem(scenario))
    assert analysis.frontier.indices.tolist() == HOLIDAY_FRONTIER
    assert analysis.solutions.nash is not None
    assert analysis.solutions.nash.index == HOLIDAY_NASH
    assert analysis.acceptable.value == 10


def test_every_number_carries_an_assumption_naming_its_file(tmp_path: Path) -> None:
    scenario = imported(HOLIDAY, tmp_path)
    for party_id, party in scenario.parties.items():
        file = f"{party_id}.xml"
        assert set(party.evidence) == {*scenario.issues, "reservation", "discount"}
        for items in party.evidence.values():
            texts = [getattr(item, "assumption", "") for item in items]
            assert texts and all(file in t for t in texts), (party_id, texts)
    note = scenario.parties["holiday_alice"].evidence["location"][0].assumption  # type: ignore[union-attr]
    assert "weight 0.5" in note and "Beach: 4" in note


def test_missing_reservation_is_zero_with_an_assumption(tmp_path: Path) -> None:
    rent = [FIXTURES / "rent_domain.xml", FIXTURES / "rent_tenant.xml"]
    scenario = imported(rent, tmp_path, discretise=3)
    tenant = scenario.parties["rent_tenant"]
    assert tenant.reservation == 0.0
    assert "no <reservation>" in tenant.evidence["reservation"][0].assumption  # type: ignore[union-attr]


def test_discretise_integer_issue(tmp_path: Path) -> None:
    rent = [FIXTURES / "rent_domain.xml", FIXTURES / "rent_tenant.xml"]
    scenario = imported(rent, tmp_path, discretise=3)
    assert list(scenario.issues["months"].options) == ["1", "3", "5"]
    tenant = scenario.parties["rent_tenant"]
    # offset + slope * x = -0.25 + 0.25 x at 1, 3, 5
    assert tenant.values["months"] == {"1": 0.0, "3": 0.5, "5": 1.0}
    assert tenant.values["furnished"] == pytest.approx({"yes": 1.0, "no": 1 / 3})
    notes = [getattr(e, "assumption", "") for e in tenant.evidence["months"]]
    assert any("discretised to 3 evenly spaced values" in n for n in notes)


def test_numeric_issue_refused_without_discretise(tmp_path: Path) -> None:
    rent = [FIXTURES / "rent_domain.xml", FIXTURES / "rent_tenant.xml"]
    with pytest.raises(InputError, match=r"<issue name='Months'.*integer issues are not supported"):
        imported(rent, tmp_path)


def test_geniusweb_pair_matches_hand_and_brute_force(tmp_path: Path) -> None:
    scenario = imported(FRUIT, tmp_path)
    assert scenario.name == "fruit_market"
    assert list(scenario.issues) == ["fruit", "amount__kg_"]
    assert scenario.issues["amount__kg_"].title == "Amount (kg)"
    assert list(scenario.issues["amount__kg_"].options) == ["1kg", "2kg"]
    assert list(scenario.parties) == ["buyer", "seller"]
    reservation = np.array([scenario.parties[p].reservation for p in ("buyer", "seller")])
    np.testing.assert_allclose(reservation, [0.4, 0.0], atol=1e-12)
    utilities = all_utilities(scenario)
    np.testing.assert_allclose(utilities, FRUIT_UTILITIES, atol=1e-12)
    assert brute_force(utilities, reservation.astype(float)) == FRUIT_FRONTIER
    analysis = analyse(compile_problem(scenario))
    assert analysis.frontier.indices.tolist() == FRUIT_FRONTIER
    assert analysis.solutions.nash is not None and analysis.solutions.nash.index == FRUIT_NASH


def test_geniusweb_domain_embedded_in_a_profile(tmp_path: Path) -> None:
    with_file = all_utilities(imported(FRUIT, tmp_path))
    embedded = all_utilities(imported(FRUIT[1:], tmp_path, force=True))
    np.testing.assert_array_equal(with_file, embedded)


def test_identifiers_are_deterministic_and_distinct() -> None:
    names = ["Price (€)", "price (€)", "Price (€)_2", "", "ok-id_1"]
    first = identifiers(names, "issue")
    assert first == identifiers(names, "issue")
    assert first == ["price____", "price_____2", "price_____2_2", "issue", "ok-id_1"]
    assert all(i and set(i) <= set("abcdefghijklmnopqrstuvwxyz0123456789_-") for i in first)


def assert_same_utilities(original: Scenario, back: Scenario) -> None:
    np.testing.assert_allclose(all_utilities(back), all_utilities(original), rtol=0, atol=1e-12)


def test_export_then_import_gives_the_same_utilities(tmp_path: Path) -> None:
    original = imported(HOLIDAY, tmp_path)
    result = export_genius(original, tmp_path / "out")
    back = imported([result.domain, *result.profiles], tmp_path, force=True)
    assert list(back.parties) == list(original.parties)
    assert_same_utilities(original, back)
    for party in original.parties:
        assert back.parties[party].reservation == pytest.approx(original.parties[party].reservation)


AWKWARD = """\
name: awkward
issues:
  a: {options: {x: X, y: Y, z: Z}}
  b: {options: {p: P, q: Q}}
  c: {options: {m: M, n: N}}
parties:
  low:
    reservation: 0.1
    weights: {a: 2, b: 1, c: 1}
    values:
      a: {x: 0.0, y: 0.3, z: 0.6}
      b: {p: 0.0, q: 0.0}
      c: {m: 0.2, n: 0.45}
  narrow:
    reservation: 0.0
    weights: {b: 1}
    values:
      b: {p: 1.0, q: 0.0}
"""


def test_export_keeps_values_below_one_zero_values_and_unweighted_issues(tmp_path: Path) -> None:
    path = tmp_path / "awkward.yaml"
    path.write_text(AWKWARD)
    original = load_scenario(path).scenario
    result = export_genius(original, tmp_path / "out")
    text = (tmp_path / "out" / "low.xml").read_text()
    assert 'evaluation="0.0"' in text  # a 0 value is evaluation 0, never a negative
    back = imported([result.domain, *result.profiles], tmp_path)
    assert_same_utilities(original, back)
    assert all_utilities(back)[:, 0].max() == pytest.approx(0.6 * 0.5 + 0.45 * 0.25)


def test_export_refuses_interaction_terms(tmp_path: Path) -> None:
    path = tmp_path / "linked.yaml"
    text = AWKWARD.replace(
        "  narrow:", "    interactions: [{when: {a: x, b: p}, value: 0.1}]\n  narrow:"
    )
    path.write_text(text)
    with pytest.raises(InputError, match=r"parties\.low\.interactions: Genius profiles are linear"):
        export_genius(load_scenario(path).scenario, tmp_path / "out")


def test_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    original = imported(HOLIDAY, tmp_path)
    export_genius(original, tmp_path / "out")
    with pytest.raises(InputError, match="file exists; pass --force"):
        export_genius(original, tmp_path / "out")
    export_genius(original, tmp_path / "out", force=True)


def test_war_fixture_round_trip_over_every_bundle(tmp_path: Path) -> None:
    """A scenario with a war model, red lines and consent: every bundle's utilities and each
    party's resolved reservation (war-derived for the two sides) come back."""
    original = load_scenario(WAR / "baseline.yaml").scenario
    result = export_genius(original, tmp_path / "out")
    assert any("red line" in note for note in result.notes)
    back = imported([result.domain, *result.profiles], tmp_path)
    assert list(back.issues) == list(original.issues)
    assert all(
        list(back.issues[k].options) == list(original.issues[k].options) for k in original.issues
    )
    assert_same_utilities(original, back)
    problem = compile_problem(original)
    checked = []
    for i, party in enumerate(problem.parties):
        if not math.isnan(problem.reservation[i]):
            assert back.parties[party].reservation == pytest.approx(
                problem.reservation[i], abs=1e-12
            )
            checked.append(party)
    assert checked == ["north", "south", "broker"]


def test_written_scenario_is_plain_yaml(tmp_path: Path) -> None:
    imported(HOLIDAY, tmp_path)
    document = yaml.safe_load((tmp_path / "imported.yaml").read_text())
    assert document["parties"]["holiday_alice"]["weights"] == {
        "location": 0.5,
        "duration": 0.3,
        "budget": 0.2,
    }


def test_xml_in_a_declared_encoding_or_utf16_is_read_and_checked(tmp_path: Path) -> None:
    latin = tmp_path / "latin.xml"
    latin.write_bytes('<?xml version="1.0" encoding="ISO-8859-1"?><a v="é"/>'.encode("latin-1"))
    assert read_xml(latin).get("v") == "é"
    hidden = tmp_path / "hidden.xml"
    hidden.write_bytes('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'.encode("utf-16"))
    with pytest.raises(InputError, match=r"hidden\.xml:1: <!DOCTYPE> declarations are refused"):
        read_xml(hidden)
    odd = tmp_path / "odd.xml"
    odd.write_bytes(b'<?xml version="1.0" encoding="rot13"?><a/>')
    with pytest.raises(InputError, match="unknown text encoding 'rot13'"):
        read_xml(odd)


REAL_DOMAIN = """<negotiation_template><utility_space><objective name="lease">
<issue index="1" name="Share" type="real"><range lowerbound="0" upperbound="1"/></issue>
<issue index="2" name="Pets" type="discrete"><item value="no"/><item value="yes"/></issue>
</objective></utility_space></negotiation_template>"""
REAL_PROFILE = """<utility_space><objective name="lease">
<issue index="1" name="Share" type="real"><range lowerbound="0" upperbound="1"/>
<evaluator ftype="linear" slope="-1" offset="1"/></issue>
<issue index="2" name="Pets" type="discrete"><item value="no" evaluation="0"/>
<item value="yes" evaluation="2"/></issue>
<weight index="1" value="0.3"/><weight index="2" value="0.2"/>
</objective></utility_space>"""


def test_real_issue_discretised_and_weights_below_one_kept(tmp_path: Path) -> None:
    (tmp_path / "d.xml").write_text(REAL_DOMAIN)
    (tmp_path / "p.xml").write_text(REAL_PROFILE)
    scenario = imported([tmp_path / "d.xml", tmp_path / "p.xml"], tmp_path, discretise=5)
    assert list(scenario.issues["share"].options) == ["0", "0_25", "0_5", "0_75", "1"]
    assert scenario.issues["share"].options["0_25"] == "0.25"
    # u = 0.3 (1 - share) + 0.2 pets/2: weights summing to 0.5 are kept (best bundle 0.5)
    utilities = all_utilities(scenario)[:, 0]
    share = np.repeat([0, 0.25, 0.5, 0.75, 1], 2)
    pets = np.tile([0.0, 1.0], 5)
    np.testing.assert_allclose(utilities, 0.3 * (1 - share) + 0.2 * pets, atol=1e-12)
    with pytest.raises(InputError, match="real issues are not supported"):
        imported([tmp_path / "d.xml", tmp_path / "p.xml"], tmp_path, force=True)


def test_geniusweb_numeric_issue_discretised(tmp_path: Path) -> None:
    domain = {
        "name": "loan",
        "issuesValues": {
            "rate": {"range": {"low": 1, "high": 5, "step": 1}},
            "term": {"values": ["short", "long"]},
        },
    }
    profile = {
        "LinearAdditiveUtilitySpace": {
            "name": "lender",
            "issueWeights": {"rate": 0.5, "term": 0.5},
            "issueUtilities": {
                "rate": {
                    "NumberValueSetUtilities": {
                        "lowValue": 1,
                        "lowUtility": 0,
                        "highValue": 5,
                        "highUtility": 1,
                    }
                },
                "term": {"DiscreteValueSetUtilities": {"valueUtilities": {"short": 1, "long": 0}}},
            },
            "reservationBid": {"issuevalues": {"rate": 3, "term": "long"}},
        }
    }
    (tmp_path / "d.json").write_text(json.dumps(domain))
    (tmp_path / "p.json").write_text(json.dumps(profile))
    files = [tmp_path / "d.json", tmp_path / "p.json"]
    scenario = imported(files, tmp_path, discretise=3)
    assert list(scenario.issues["rate"].options) == ["1", "3", "5"]
    lender = scenario.parties["lender"]
    assert lender.values["rate"] == {"1": 0.0, "3": 0.5, "5": 1.0}
    assert lender.reservation == pytest.approx(0.5 * 0.5)
    with pytest.raises(InputError, match=r"issuesValues\.rate\.range: numeric issues"):
        imported(files, tmp_path, force=True)

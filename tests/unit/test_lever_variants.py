"""A variant that changes only levers' values (a sweep point over levers, a leverage policy) is
validated by validating the changed levers alone; it must equal validating the whole document.

Each case is run twice: as it is, and with the shortcut switched off (every variant validated
in full); the scenarios must be equal, field for field, or both refused with the same
diagnostics.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.model import checks, resolve
from sim.model.resolve import RawScenario, load_raw, load_scenario
from sim.model.schema import Lever, Scenario

BASE = Path(__file__).resolve().parents[1] / "fixtures" / "war" / "baseline.yaml"
LEVERS = ("aid", "momentum", "sanctions")

values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**400), 10**400),
    st.booleans(),
    st.none(),
    st.text(max_size=3),
    st.lists(st.floats(0, 1), max_size=2),
    st.sampled_from([0.0, -0.0, 0.5, 1e308, -1e308, 2.0]),
)


def outcome(raw: RawScenario, overrides: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", raw.with_overrides(overrides).scenario
    except ScenarioError as error:
        return "refused", error.diagnostics


def in_full(raw: RawScenario, overrides: dict[str, Any]) -> tuple[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RawScenario, "lever_variant", lambda self, document, overrides: None)
        return outcome(raw, overrides)


def same(a: tuple[str, Any], b: tuple[str, Any]) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "refused":
        return bool(a[1] == b[1])
    x, y = a[1], b[1]
    assert isinstance(x, Scenario) and isinstance(y, Scenario)
    return (
        x == y
        and x.model_dump() == y.model_dump()
        and x.model_fields_set == y.model_fields_set
        and all(x.levers[n].model_fields_set == y.levers[n].model_fields_set for n in x.levers)
    )


RAWS = {
    "from a file (sweep base)": lambda: load_raw(BASE),
    "from a loaded scenario (leverage policy)": lambda: load_scenario(BASE).raw(),
}


@pytest.mark.parametrize("kind", list(RAWS))
@settings(max_examples=150, deadline=None)
@given(chosen=st.dictionaries(st.sampled_from(LEVERS), values, min_size=1))
def test_a_lever_variant_equals_validating_the_whole_document(
    kind: str, chosen: dict[str, Any]
) -> None:
    raw = RAWS[kind]()
    overrides = {f"levers.{name}.value": value for name, value in chosen.items()}
    assert same(outcome(raw, overrides), in_full(raw, overrides))


def test_the_whole_document_is_not_validated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut is taken: the scenario model never validates the variant."""
    raw = load_scenario(BASE).raw()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole document was validated")

    monkeypatch.setattr(Scenario, "model_validate", refuse)
    variant = raw.with_overrides({"levers.aid.value": 0.25, "levers.sanctions.value": 1.0})
    assert variant.scenario.levers["aid"].value == 0.25
    assert variant.scenario.levers["sanctions"].value == 1.0


def test_other_paths_are_validated_in_full() -> None:
    raw = load_scenario(BASE).raw()
    assert raw.lever_variant(raw.document, {"levers.aid.title": "x"}) is None
    assert raw.lever_variant(raw.document, {"parties.north.power": 1.0}) is None
    assert raw.lever_variant(raw.document, {}) is None


def test_a_lever_taken_without_its_validation_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above can fail: a shortcut that copies the value in unchecked accepts a
    value the format refuses."""
    raw = load_scenario(BASE).raw()
    overrides = {"levers.aid.value": float("nan")}
    assert same(outcome(raw, overrides), in_full(raw, overrides))
    monkeypatch.setattr(
        resolve.Lever,
        "model_validate",
        classmethod(lambda cls, data: Lever.model_construct(**data)),
    )
    assert not same(outcome(raw, overrides), in_full(raw, overrides))


PRIVATE = Path(__file__).resolve().parents[1] / "fixtures" / "talks" / "private_levers.yaml"


@settings(max_examples=150, deadline=None)
@given(value=st.one_of(st.floats(-5, 5), values))
def test_a_lever_variant_is_checked_where_checks_read_levers_values(value: Any) -> None:
    """A variant is checked only by the checks that read levers' values
    (``check_lever_values``): here the lever moves the stated values the private spreads are
    centred on, which must lie in [0, 1], as well as the war's finite numbers."""
    overrides = {"levers.push.value": value}
    raw = load_raw(PRIVATE)
    assert same(outcome(raw, overrides), in_full(raw, overrides))


@pytest.mark.parametrize("dropped", ["_check_private", "_check_finite"])
def test_a_check_left_out_for_lever_variants_is_caught(
    monkeypatch: pytest.MonkeyPatch, dropped: str
) -> None:
    """The comparisons above can fail: leaving out either check that reads levers' values
    accepts a variant the whole document's checks refuse."""
    value = {"_check_private": 3.0, "_check_finite": 1e308}[dropped]
    raw = load_raw(PRIVATE)
    overrides = {"levers.push.value": value}
    assert outcome(raw, overrides)[0] == "refused"
    kept = tuple(c for c in checks._LEVER_VALUE_CHECKS if c.__name__ != dropped)
    monkeypatch.setattr(checks, "_LEVER_VALUE_CHECKS", kept)
    assert not same(outcome(raw, overrides), in_full(raw, overrides))

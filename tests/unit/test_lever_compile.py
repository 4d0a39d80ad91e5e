"""A scenario that differs from another in levers' values alone compiles to the other's arrays
with its own reservations: :func:`sim.compile.with_lever_values` against compiling it whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.compile import compile_problem, with_lever_values
from sim.core.problem import Problem
from sim.model.paths import is_lever_value
from sim.model.resolve import load_scenario

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BASE = FIXTURES / "war" / "baseline.yaml"


def identical(a: Problem, b: Problem) -> bool:
    arrays = ("veto", "power", "reservation", "radices")
    return (
        (a.name, a.issues, a.options, a.parties) == (b.name, b.issues, b.options, b.parties)
        and all(np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True) for f in arrays)
        and all(
            np.array_equal(x, y)
            for x, y in zip((*a.tables, *a.red_lines), (*b.tables, *b.red_lines), strict=True)
        )
        and (a.consent is None) == (b.consent is None)
        and all(np.array_equal(x, y) for x, y in zip(a.consent or (), b.consent or (), strict=True))
        and a.reservation.tobytes() == b.reservation.tobytes()
    )


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["aid", "momentum", "sanctions"]),
        st.floats(-3.0, 3.0, allow_nan=False),
        min_size=1,
    )
)
def test_lever_values_reach_only_the_reservations(levers: dict[str, float]) -> None:
    loaded = load_scenario(BASE)
    base = compile_problem(loaded.scenario)
    overrides = {f"levers.{name}.value": value for name, value in levers.items()}
    assert all(is_lever_value(path) for path in overrides)
    variant = loaded.raw().with_overrides(overrides).scenario
    assert identical(with_lever_values(variant, base), compile_problem(variant))


def test_the_reservations_move_with_the_levers() -> None:
    """The comparison above can fail: the base's own problem (reservations not recomputed) is
    not the variant's."""
    loaded = load_scenario(BASE)
    base = compile_problem(loaded.scenario)
    variant = loaded.raw().with_overrides({"levers.aid.value": 0.0}).scenario
    assert not identical(base, compile_problem(variant))
    assert identical(with_lever_values(variant, base), compile_problem(variant))


@pytest.mark.parametrize(
    ("path", "lever"),
    [
        ("levers.aid.value", True),
        ("levers.aid.title", False),
        ("levers.aid", False),
        ("parties.north.reservation.cost", False),
        ("levers.aid.value.x", False),
    ],
)
def test_which_paths_are_lever_values(path: str, lever: bool) -> None:
    assert is_lever_value(path) is lever

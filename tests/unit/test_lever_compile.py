"""Variants that differ from their base in levers' values alone (a sweep over levers, a
leverage policy) are compiled from the base's arrays, with their own reservations: the same
problem as compiling them afresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from sim import compile as compiling
from sim.analysis.analyse import analyse_scenario
from sim.analysis.document import outcome_document
from sim.compile import compile_problem
from sim.core import consent
from sim.core.consent import consent_space, some_completion_acceptable
from sim.core.problem import Problem
from sim.model.paths import is_lever_value
from sim.model.resolve import load_scenario
from sim.runs.files import document_text

BASE = Path(__file__).resolve().parents[1] / "fixtures" / "war" / "baseline.yaml"


def identical(a: Problem, b: Problem) -> bool:
    arrays = ("veto", "power", "radices")
    return (
        (a.name, a.issues, a.options, a.parties) == (b.name, b.issues, b.options, b.parties)
        and all(np.array_equal(getattr(a, f), getattr(b, f)) for f in arrays)
        and all(
            np.array_equal(x, y)
            for x, y in zip((*a.tables, *a.red_lines), (*b.tables, *b.red_lines), strict=True)
        )
        and (a.consent is None) == (b.consent is None)
        and all(np.array_equal(x, y) for x, y in zip(a.consent or (), b.consent or (), strict=True))
        and a.reservation.tobytes() == b.reservation.tobytes()
    )


def afresh(scenario: object) -> Problem:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compiling, "_LAST_ARRAYS", None)
        return compile_problem(scenario)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["aid", "momentum", "sanctions"]),
        st.floats(-3.0, 3.0, allow_nan=False),
        min_size=1,
    )
)
def test_a_lever_variant_compiles_as_afresh(levers: dict[str, float]) -> None:
    loaded = load_scenario(BASE)
    base = compile_problem(loaded.scenario)
    overrides = {f"levers.{name}.value": value for name, value in levers.items()}
    variant = loaded.raw().with_overrides(overrides).scenario
    compiled = compile_problem(variant)
    assert compiled.tables is base.tables  # the base's arrays, compiled once
    assert compiled.memo is base.memo
    assert identical(compiled, afresh(variant))


def test_the_reservations_are_the_variants_own() -> None:
    loaded = load_scenario(BASE)
    base = compile_problem(loaded.scenario)
    variant = loaded.raw().with_overrides({"levers.aid.value": 0.0}).scenario
    assert not identical(base, afresh(variant))
    assert identical(compile_problem(variant), afresh(variant))


def test_other_changes_compile_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """A variant whose parties change gets its own arrays; and the check can fail: a cache
    that ignores which objects it was compiled from hands it the base's."""
    loaded = load_scenario(BASE)
    compile_problem(loaded.scenario)
    weights = loaded.scenario.parties["north"].weights
    issue = next(iter(weights))
    other = loaded.raw().with_overrides({f"parties.north.weights.{issue}": 7.0}).scenario
    assert identical(compile_problem(other), afresh(other))
    compile_problem(loaded.scenario)
    last = compiling._LAST_ARRAYS
    assert last is not None
    monkeypatch.setattr(compiling, "_LAST_ARRAYS", (other.issues, other.parties, last[2]))
    assert not identical(compile_problem(other), afresh(other))


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


def consent_answers(problem: Problem) -> tuple[object, ...]:
    space = consent_space(problem)
    every = [np.ones(int(r), dtype=bool) for r in problem.radices]
    first = [np.arange(int(r)) == 0 for r in problem.radices]
    return (
        space.feasible,
        space.acceptable,
        space.indices.tolist(),
        space.ties.tolist(),
        [c.tolist() for c in space.option_counts],
        space.reservation_excludes.tolist(),
        space.red_lines_exclude.tolist(),
        some_completion_acceptable(problem, every),
        some_completion_acceptable(problem, first),
    )


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 3.0), st.floats(0.0, 1.0))
def test_a_variant_reads_the_bases_enumeration_with_its_own_reservations(
    aid: float, sanctions: float
) -> None:
    """The consent analysis keeps what does not depend on the reservations in the memo the
    variants share: the base's enumeration, then the variant's, equal the variant's afresh."""
    loaded = load_scenario(BASE)
    consent_answers(compile_problem(loaded.scenario))
    overrides = {"levers.aid.value": aid, "levers.sanctions.value": sanctions}
    variant = loaded.raw().with_overrides(overrides).scenario
    shared = compile_problem(variant)
    assert any(key[0] == "consent chunks" for key in shared.memo if isinstance(key, tuple))
    assert consent_answers(shared) == consent_answers(afresh(variant))


def test_approvals_kept_with_the_enumeration_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above can fail: a memo that also kept the base's approvals gives the
    variant the base's answers."""
    loaded = load_scenario(BASE)
    variant = loaded.raw().with_overrides({"levers.aid.value": 0.0}).scenario
    expected = consent_answers(afresh(variant))
    chunks = consent._chunks

    def stale(
        reduced: Problem,
        reservation: NDArray[np.float64],
        tol: float,
        size: int,
        owner: Problem | None = None,
        key: object = None,
    ) -> Iterator[object]:
        if owner is None:
            return chunks(reduced, reservation, tol, size)
        entry = ("stale", key, size)
        return iter(owner.remembered(entry, lambda: tuple(chunks(reduced, reservation, tol, size))))

    monkeypatch.setattr(consent, "_chunks", stale)
    consent_answers(compile_problem(loaded.scenario))
    assert consent_answers(compile_problem(variant)) != expected


def test_reservations_read_from_a_kept_reduction_are_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reduced problems kept in the memo carry the reservations of whichever variant made
    them; approvals judged at those instead of the variant's own give the base's answers."""
    loaded = load_scenario(BASE)
    variant = loaded.raw().with_overrides({"levers.aid.value": 0.0}).scenario
    expected = consent_answers(afresh(variant))
    chunks = consent._chunks

    def kept_reservations(
        reduced: Problem, reservation: NDArray[np.float64], *args: Any
    ) -> Iterator[object]:
        return chunks(reduced, reduced.reservation, *args)

    monkeypatch.setattr(consent, "_chunks", kept_reservations)
    consent_answers(compile_problem(loaded.scenario))
    assert consent_answers(compile_problem(variant)) != expected


@settings(max_examples=25, deadline=None)
@given(st.floats(0.0, 3.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_a_lever_variants_whole_outcome_is_as_afresh(
    aid: float, momentum: float, sanctions: float
) -> None:
    """Everything the analysis keeps in the shared memo (enumerations, verdicts' bounds, whose
    consent a bundle needs) leaves a variant's outcome document as analysing it afresh does."""
    loaded = load_scenario(BASE)
    analyse_scenario(loaded)
    overrides = {
        "levers.aid.value": aid,
        "levers.momentum.value": momentum,
        "levers.sanctions.value": sanctions,
    }
    variant = loaded.raw().with_overrides(overrides)
    shared = document_text(outcome_document(analyse_scenario(variant)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compiling, "_LAST_ARRAYS", None)
        fresh = load_scenario(BASE).raw().with_overrides(overrides)
        assert shared == document_text(outcome_document(analyse_scenario(fresh)))


@pytest.mark.parametrize("budget", [0, 40, 1 << 16])
def test_the_kept_enumerations_stay_within_their_budget(
    budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the budget, the answers are as afresh, and the memo keeps no more bundles than
    it allows (an enumeration beyond it is computed each time)."""
    monkeypatch.setattr(consent, "MEMO_ROWS", budget)
    loaded = load_scenario(BASE)
    base = compile_problem(loaded.scenario)
    consent_answers(base)
    variant = loaded.raw().with_overrides({"levers.aid.value": 0.0}).scenario
    shared = compile_problem(variant)
    assert consent_answers(shared) == consent_answers(afresh(variant))
    kept = [
        value
        for key, value in shared.memo.items()
        if isinstance(key, tuple) and key[0] == "consent chunks"
    ]
    rows = sum(int(chunk.indices.shape[0]) for entry in kept for chunk in entry)  # type: ignore[attr-defined]
    assert rows <= budget
    assert (rows > 0) == (budget > 40)

"""Loading: extends merges, set overrides, where each field came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.model import load_scenario
from sim.model.paths import set_path
from sim.model.schema import LinearForm, WarReservation


def test_child_inherits_and_overrides(toy_folder: Path) -> None:
    child = load_scenario(toy_folder / "child.yaml").scenario
    base = load_scenario(toy_folder / "base.yaml").scenario
    assert child.name == "child"
    assert child.title == "Aid cut off"
    assert child.levers["aid"].value == 0.0
    assert base.levers["aid"].value == 1.0
    assert list(child.issues) == list(base.issues)
    # set adds a weight the parent had left out, after the inherited one
    assert list(child.parties["c"].weights) == ["border", "status"]
    assert child.parties["c"].values["status"] == {"aligned": 1.0, "neutral": 0.0}
    assert child.parties["a"] == base.parties["a"]


def test_files_lists_child_then_parent(toy_folder: Path) -> None:
    loaded = load_scenario(toy_folder / "child.yaml")
    assert [p.name for p in loaded.files] == ["child.yaml", "base.yaml"]


def test_problem_in_parent_is_reported_in_the_parent(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "name: p\nissues:\n  i:\n    options: {x: X, y: Y}\nparties:\n  a:\n"
        "    reservation: 0.2\n    weights: {i: 1}\n    values:\n      i: {x: 0.0, y: 1.0}\n",
        encoding="utf-8",
    )
    (tmp_path / "c.yaml").write_text(
        "name: c\nextends: p\nset:\n  parties.a.values.i.y: 3.0\n", encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "c.yaml")
    (problem,) = caught.value.diagnostics
    assert problem.file.endswith("c.yaml")
    assert problem.line == 4
    assert problem.path == "parties.a.values.i.y"

    (tmp_path / "c.yaml").write_text(
        "name: c\nextends: p.yaml\nparties:\n  a:\n    power: -1\n", encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "c.yaml")
    (problem,) = caught.value.diagnostics
    assert (Path(problem.file).name, problem.line, problem.path) == ("c.yaml", 5, "parties.a.power")


def test_parsed_forms(toy_folder: Path) -> None:
    base = load_scenario(toy_folder / "base.yaml").scenario
    assert base.war is not None
    assert isinstance(base.war.prevail, LinearForm)
    assert base.war.prevail.effects == {"aid": -0.2}
    assert isinstance(base.parties["a"].reservation, WarReservation)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a.b", None),
        ("a.new", None),
        ("a.b.c", "'a.b' is not a mapping"),
        ("x.y", "no such field 'x'"),
        ("a..b", "empty path segment"),
        ("l.0", None),
        ("l.5", "'l' is not a mapping"),
    ],
)
def test_set_path(path: str, expected: str | None) -> None:
    data = {"a": {"b": 1}, "l": [1, 2]}
    assert set_path(data, path, 9) == expected

from __future__ import annotations

import numpy as np
import pytest

from sim.core import counting
from sim.core import frontier as frontier_module
from sim.core.analysis import Analysis, analyse
from sim.core.frontier import SpaceTooLargeError
from sim.core.problem import Problem


def toy(reservation: tuple[float, float] = (0.3, 0.3)) -> Problem:
    """Two veto parties A and B and an onlooker C; B red-lines keeping the land, C (no veto)
    red-lines aid, which binds no one.

    Bundle index = 2 * land + aid; utilities (A, B, C):
    0 keep/none 1.0/0.0/0.2 and 1 keep/some .6/.4/1.0 (infeasible), 2 split/none .7/.3/.2,
    3 split/some .3/.7/1.0, 4 cede/none .4/.6/.2, 5 cede/some 0/1/1.0.
    """
    land = np.array([[0.6, 0.3, 0.0], [0.0, 0.3, 0.6], [0.2, 0.2, 0.2]])
    aid = np.array([[0.4, 0.0], [0.0, 0.4], [0.0, 0.8]])
    land_lines = np.zeros((3, 3), dtype=bool)
    land_lines[1, 0] = True
    aid_lines = np.zeros((3, 2), dtype=bool)
    aid_lines[2, 1] = True
    return Problem(
        name="toy",
        issues=("land", "aid"),
        options=(("keep", "split", "cede"), ("none", "some")),
        parties=("a", "b", "c"),
        veto=np.array([True, True, False]),
        power=np.ones(3),
        reservation=np.array([*reservation, np.nan]),
        tables=(land, aid),
        red_lines=(land_lines, aid_lines),
    )


def random_problem(seed: int, radices: list[int], parties: int = 3) -> Problem:
    rng = np.random.default_rng(seed)
    weights = rng.random((parties, len(radices)))
    weights /= weights.sum(axis=1, keepdims=True)
    return Problem(
        name="random",
        issues=tuple(f"i{k}" for k in range(len(radices))),
        options=tuple(tuple(f"o{j}" for j in range(r)) for r in radices),
        parties=tuple(f"p{i}" for i in range(parties)),
        veto=np.ones(parties, dtype=bool),
        power=np.ones(parties),
        reservation=np.full(parties, 0.35),
        tables=tuple(weights[:, [k]] * rng.random((parties, r)) for k, r in enumerate(radices)),
        red_lines=tuple(rng.random((parties, r)) < 0.05 for r in radices),
    )


def test_toy_analysis_in_full() -> None:
    result = analyse(toy())
    assert result.veto.tolist() == [0, 1]
    assert (result.bundles, result.feasible) == (6, 4)
    assert result.acceptable.value == 3 and result.acceptable.exact
    assert result.frontier.indices.tolist() == [2, 3, 4]
    assert result.frontier.ties.tolist() == [0, 0, 0]
    assert result.frontier.utilities == pytest.approx(
        np.array([[0.7, 0.3, 0.2], [0.3, 0.7, 1.0], [0.4, 0.6, 0.2]]), abs=1e-12
    )
    assert not result.frontier.truncated and result.frontier.size == 3
    solutions = result.solutions
    assert solutions.nash is not None and solutions.nash.index == 4  # the only positive gains
    assert solutions.kalai_smorodinsky is not None and solutions.kalai_smorodinsky.index == 4
    assert solutions.egalitarian is not None and solutions.egalitarian.index == 4
    assert solutions.utilitarian is not None and solutions.utilitarian.index == 2  # 3-way tie
    assert solutions.nash.gains == pytest.approx([0.1, 0.3], abs=1e-12)
    assert result.best_acceptable == pytest.approx([0.7, 0.7], abs=1e-12)
    assert result.option_shares[0] == pytest.approx([0.0, 2 / 3, 1 / 3])
    assert result.option_shares[1] == pytest.approx([2 / 3, 1 / 3])
    # A's reservation alone excludes bundle 5; B's red line alone excludes bundle 1.
    assert result.binding.reservation_binds.tolist() == [True, False]
    assert result.binding.red_lines_bind.tolist() == [False, True]
    assert [c.value for c in result.binding.reservation_excludes] == [1, 0]
    assert [c.value for c in result.binding.red_lines_exclude] == [0, 1]


def test_empty_zone_of_agreement() -> None:
    result = analyse(toy((0.75, 0.75)))
    assert result.acceptable.value == 0 and result.acceptable.exact
    assert result.frontier.indices.shape == (0,)
    assert result.frontier.utilities.shape == (0, 3)
    assert all(s is None for s in result.solutions.as_dict().values())
    assert np.isnan(result.best_acceptable).all()
    assert all((share == 0).all() for share in result.option_shares)


def test_frontier_limit_truncates_the_listing_but_not_the_solutions() -> None:
    whole = analyse(toy())
    cut = analyse(toy(), frontier_limit=1)
    assert cut.frontier.indices.tolist() == [2] and cut.frontier.utilities.shape == (1, 3)
    assert cut.frontier.truncated and cut.frontier.size == 3

    def indices(result: Analysis) -> dict[str, int | None]:
        return {
            name: None if solution is None else solution.index
            for name, solution in result.solutions.as_dict().items()
        }

    assert (
        indices(cut)
        == indices(whole)
        == {
            "nash": 4,
            "kalai_smorodinsky": 4,
            "egalitarian": 4,
            "utilitarian": 2,
        }
    )
    assert cut.best_acceptable.tolist() == whole.best_acceptable.tolist()


def test_merge_and_enumeration_paths_give_the_same_analysis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = random_problem(3, [5, 4, 6, 5, 3])
    enumerated = analyse(problem)
    monkeypatch.setattr(frontier_module, "ENUMERATION_LIMIT", 0)
    merged = analyse(problem)
    assert (enumerated.frontier.method, merged.frontier.method) == ("enumeration", "merge")
    assert merged.frontier.indices.tolist() == enumerated.frontier.indices.tolist()
    assert merged.frontier.ties.tolist() == enumerated.frontier.ties.tolist()
    for name, solution in merged.solutions.as_dict().items():
        other = enumerated.solutions.as_dict()[name]
        assert (solution and solution.index) == (other and other.index)


def test_estimated_counts_are_labelled_and_bounded_by_the_frontier(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = random_problem(5, [6, 5, 6, 4, 5])
    exact = analyse(problem)
    monkeypatch.setattr(counting, "HALF_LIMIT", 1)
    estimate = analyse(problem, rng=np.random.default_rng(17), samples=50_000)
    assert exact.acceptable.exact and not estimate.acceptable.exact
    assert estimate.acceptable.method == "monte_carlo"
    assert estimate.acceptable.low <= exact.acceptable.value <= estimate.acceptable.high
    listed = int(estimate.frontier.ties.sum()) + estimate.frontier.size
    assert estimate.acceptable.low >= listed
    assert estimate.frontier.indices.tolist() == exact.frontier.indices.tolist()


def test_an_oversized_space_raises_a_typed_error() -> None:
    problem = Problem(
        name="huge",
        issues=tuple(f"i{k}" for k in range(64)),
        options=(("a", "b"),) * 64,
        parties=("p",),
        veto=np.array([True]),
        power=np.ones(1),
        reservation=np.zeros(1),
        tables=(np.array([[0.0, 1 / 64]]),) * 64,
        red_lines=(np.zeros((1, 2), dtype=bool),) * 64,
    )
    with pytest.raises(SpaceTooLargeError, match="18,446,744,073,709,551,616 bundles"):
        analyse(problem)

"""Blocks of draws put back together equal the draws computed in one pass: the static layer
(`simulate`, block by block as before) and the one-draw strategic path; saved blocks read
back give the same arrays; a saved block of another plan is computed again."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

import sim.montecarlo.static as static
import sim.runs.uncertainty_blocks as runner
from sim.model import load_scenario
from sim.montecarlo.draws import draw_block
from sim.montecarlo.judgments import resolve_judgments
from sim.montecarlo.results import simulate
from sim.montecarlo.static import build_structure
from sim.montecarlo.strategic import strategic_block
from tests.conftest import FIXTURES, WAR


def structures() -> list[static.Structure]:
    paths = [FIXTURES / "toy" / "base.yaml", WAR / "sanctions_threat.yaml"]
    return [build_structure(s, resolve_judgments(s)) for s in map(load_scenario, paths)]


def test_blocks_equal_one_pass_and_the_one_draw_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "BLOCK_DRAWS", 70)
    built = structures()
    # the toy: 3 feasible bundles x 2 judges a draw, and tables of 3 parties x 5 options (the
    # larger); the war fixture: 48 x 3, and tables of 3 x 14
    assert [s.bundles.shape[0] * s.problem.judges.shape[0] for s in built] == [6, 144]
    assert [s.problem.n_parties * int(s.problem.radices.sum()) for s in built] == [15, 42]
    monkeypatch.setattr(static, "BLOCK_CELLS", 144 * 16)  # 16 draws per piece for the fixture
    assert [static.block_size(s) for s in built] == [153, 16]
    draws, seed, strategic = 230, 6, 150
    store = runner.BlockStore(tmp_path)
    done: list[int] = []
    first = runner.run_blocks(built, draws, seed, strategic, store=store, progress=done.append)
    assert sum(done) == draws * len(built)  # the progress bar counts draws, each once
    # the toy: blocks of 153 draws and 77 (its pieces hold 153); the fixture: 4 of at most 70
    assert len(list((tmp_path / "blocks").glob("*.npz"))) == 2 + 4
    again = runner.run_blocks(built, draws, seed, strategic, store=runner.BlockStore(tmp_path))
    for structure, got, read in zip(built, first, again, strict=True):
        acceptable, frontier, solutions, verdicts, counts = simulate(structure, draws, seed)
        expected = strategic_block(structure, draw_block(structure.judgments, seed, 0, strategic))
        for arrays in (got, read):
            assert np.array_equal(arrays.acceptable, acceptable)
            assert np.array_equal(arrays.frontier, frontier)
            assert np.array_equal(arrays.solutions, solutions)
            assert np.array_equal(arrays.verdicts, verdicts)
            assert np.array_equal(arrays.bundle_counts, counts)
            assert arrays.strategic is not None
            assert np.array_equal(arrays.strategic.period, expected.period)
            assert np.array_equal(arrays.strategic.bundle, expected.bundle)
            assert np.array_equal(arrays.strategic.self_enforcing, expected.self_enforcing)


def test_a_block_of_another_plan_is_computed_again(tmp_path: Path) -> None:
    built = structures()[:1]
    store = runner.BlockStore(tmp_path)
    runner.run_blocks(built, 50, 1, 0, store=store)
    item = {"scenario": 0, "start": 0, "stop": 50, "strategic": 0, "talks": False}
    assert store.load(item) is not None
    assert store.load({**item, "strategic": 50}) is None  # same draws, bargaining wanted too
    assert store.load({**item, "stop": 40}) is None
    store.path(item).write_bytes(b"not a block")
    assert store.load(item) is None
    result = runner.run_blocks(built, 50, 1, 50, store=store)
    assert result[0].strategic is not None and result[0].strategic.period.shape[0] == 50


def test_each_block_is_handed_on_once_and_the_meanwhile_work_done_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``on_block`` sees every block once, computed or read back; ``meanwhile`` runs once,
    whether blocks are computed here, on worker processes, or all read from the store."""
    from sim.runs.executors import Executor
    from sim.runs.limits import Limits

    monkeypatch.setattr(runner, "BLOCK_DRAWS", 70)
    monkeypatch.setattr(static, "BLOCK_CELLS", 144 * 16)  # as above: pieces of 153 and 16
    built = structures()
    plan = runner.plan_blocks(built, 300, 100)
    assert len(plan) == 2 + 5  # the toy's pieces hold 153 draws, the war fixture's 70
    runs = {
        "here": {},
        "workers": {"executor": "processes"},
        "store": {"store": runner.BlockStore(tmp_path)},
    }
    runner.run_blocks(built, 300, 2, 100, store=runner.BlockStore(tmp_path))  # fills the store
    for name, options in runs.items():
        seen: list[int] = []
        calls: list[str] = []
        executor = options.get("executor")
        with Executor(executor or "serial", 2 if executor else None, None, Limits()) as pool:
            runner.run_blocks(
                built,
                300,
                2,
                100,
                store=options.get("store"),
                executor=pool,
                on_block=lambda number, item, arrays, seen=seen: seen.append(number),
                meanwhile=lambda calls=calls, name=name: calls.append(name),
            )
        assert sorted(seen) == [number for number, _ in plan], name
        assert calls == [name]


def test_a_core_is_spare_if_any_of_several_readings_shows_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process that runs at one instant (a kernel thread waking) does not make a 2-core
    machine busy; one that keeps it busy in every reading does. One reading, as before, is
    fooled by the instant."""
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    readings = iter([2, 3, 1])
    monkeypatch.setattr(runner, "_running", lambda: next(readings))
    assert runner.spare_core(interval=0.0)
    monkeypatch.setattr(runner, "_running", lambda: 2)
    assert not runner.spare_core(interval=0.0)
    readings = iter([2, 1])
    monkeypatch.setattr(runner, "_running", lambda: next(readings))
    assert not runner.spare_core(samples=1, interval=0.0)


@pytest.mark.skipif(not Path("/proc/loadavg").exists(), reason="Linux's /proc/loadavg")
def test_the_running_count_is_read() -> None:
    assert runner._running() >= 1  # this process


def test_the_meanwhile_work_is_not_timed_with_the_first_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """By default the first block's time decides whether workers start; work done meanwhile
    (the spatial forecasts, seconds long) must not count in it, or a short run would start
    workers it does not need."""
    import sim.runs.executors as executors
    from sim.runs.executors import Executor
    from sim.runs.limits import Limits

    def refuse(*_: object) -> None:
        raise AssertionError("a worker process was started")

    monkeypatch.setattr(executors, "_Worker", refuse)
    monkeypatch.setattr(runner, "spare_core", lambda: True)
    monkeypatch.setattr(runner, "WORKER_WORTH", 0.5)
    built = structures()  # 300 draws: one block each, the second computed here too
    calls: list[bool] = []
    with Executor("processes", 2, None, Limits()) as pool:
        runner.run_blocks(
            built,
            300,
            2,
            100,
            executor=pool,
            adaptive=True,
            meanwhile=lambda: calls.append(bool(time.sleep(0.6))),
        )
    assert calls == [False]

"""Blocks of draws as units of work: computed on any executor, saved as they finish, resumed.

A run's draws are cut into blocks, per scenario, at fixed draw numbers (at least
:data:`BLOCK_DRAWS` draws each, evaluated in pieces of :func:`sim.montecarlo.static.block_size`
draws so that memory stays bounded). A block's results depend only on the
scenario, the seed and its draw numbers (common random numbers), never on which process or
in which order it is computed; so any executor and any number of workers give the same
arrays, and a resumed run only computes the blocks that no file holds yet.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.montecarlo.draws import draw_block
from sim.montecarlo.induction import vectorised_strategic_block
from sim.montecarlo.static import (
    MEASURES,
    Structure,
    ZoneMeasures,
    block_size,
    evaluate_block,
)
from sim.montecarlo.strategic import StrategicBlock, protocol_names
from sim.montecarlo.talks import TalksDraws, talks_block
from sim.runs.executors import Batch, Executor, Result, batches
from sim.runs.files import storage_error
from sim.writing import atomic_file, remove_stray_temporaries

BLOCKS = "blocks"
"""Sub-folder of a run folder holding one file per finished block."""

TALKS = ("talks_by", "talks_month", "talks_breakdown", "talks_problem", "talks_threshold")
"""Why talks fail, per draw with bargaining over time, where the war model declares
``private`` (the fields of :class:`sim.montecarlo.talks.TalksDraws`; no rows otherwise)."""

WORKER_WORTH = 2.0
"""Seconds of blocks left, at the pace of the first, worth starting worker processes for
(each takes about half a second to start; by default a shorter run stays in this process)."""


def spare_core(samples: int = 10, interval: float = 0.01) -> bool:
    """Whether the machine has a core to spare for worker processes: fewer processes running,
    this one among them, than it has cores (Linux's ``/proc/loadavg``; elsewhere the load
    average of the last minute below the cores less a half). On a machine already busy, e.g.
    running tests on every core, more processes only add their start-up.

    The running count is read up to ``samples`` times, ``interval`` seconds apart, and a core
    is spare if it is in any reading: a kernel thread or a short command that happens to run
    at one instant does not make the machine busy (one reading once left a 10,000-draw run of
    the case serial, 75 s instead of 43)."""
    cores = os.cpu_count() or 1
    try:
        for sample in range(samples):
            if sample:
                time.sleep(interval)
            if _running() < cores:
                return True
        return False
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.getloadavg()[0] < cores - 0.5
    except OSError:  # not available here: assume the cores are free
        return True


def _running() -> int:
    """Processes running now (``/proc/loadavg``'s fourth field, before the slash)."""
    with open("/proc/loadavg", encoding="ascii") as stream:
        return int(stream.read().split()[3].split("/")[0])


BLOCK_DRAWS = 1024
"""Fewest draws in a block (fewer only at the end of a scenario's draws)."""

FIELDS = (
    "acceptable",
    "frontier",
    "solutions",
    "verdicts",
    "counted",
    "counts",
    "period",
    "bundle",
    "self_enforcing",
    "completable",
    "surplus",
    "utility_low",
    "utility_high",
    "reservations",
    *TALKS,
)
"""The arrays of a block's results; the acceptable counts of the feasible bundles are sparse
(``counted``: positions in ``structure.bundles`` with a count, ``counts``: the counts);
``completable``: per draw and proposal, whether some completion is acceptable to every judge;
``surplus``, ``utility_low``, ``utility_high``, ``reservations``: the zone's measures
(:class:`sim.montecarlo.static.BlockResult`)."""

Arrays = dict[str, NDArray[Any]]


def plan_blocks(
    structures: list[Structure], draws: int, strategic: int
) -> list[tuple[int, dict[str, Any]]]:
    """Every block of the run: number, scenario (position), first and last draw + 1, and the
    last draw + 1 with bargaining over time (``min(stop, strategic)``, at least ``start``), and
    whether those draws also analyse why talks fail (``war.private`` declared)."""
    blocks: list[tuple[int, dict[str, Any]]] = []
    for s, structure in enumerate(structures):
        war = structure.scenario.war
        talks = war is not None and war.private is not None  # docs/strategic.md
        step = max(BLOCK_DRAWS, block_size(structure))
        for start in range(0, draws, step):
            stop = min(draws, start + step)
            item = {
                "scenario": s,
                "start": start,
                "stop": stop,
                "strategic": max(start, min(stop, strategic)),
                "talks": talks,
            }
            blocks.append((len(blocks), item))
    return blocks


def compute_block(structure: Structure, seed: int, item: dict[str, Any]) -> Arrays:
    """The static layer of a block and, for its first draws, bargaining over time."""
    start, stop, until = item["start"], item["stop"], item["strategic"]
    drawn = draw_block(structure.judgments, seed, start, stop)
    step = block_size(structure)
    parts = [evaluate_block(structure, drawn[i : i + step]) for i in range(0, stop - start, step)]
    counts = np.zeros(structure.bundles.shape[0], dtype=np.int64)
    for part in parts:
        counts += part.bundle_counts
    counted = np.flatnonzero(counts)
    strategic = vectorised_strategic_block(structure, drawn[: until - start])
    talks = _talks(structure, drawn[: until - start])
    return {
        "acceptable": np.concatenate([p.acceptable for p in parts]),
        "frontier": np.concatenate([p.frontier for p in parts]),
        "solutions": np.concatenate([p.solutions for p in parts]),
        "verdicts": np.concatenate([p.verdicts for p in parts]),
        "counted": counted,
        "counts": counts[counted],
        "period": strategic.period,
        "bundle": strategic.bundle,
        "self_enforcing": strategic.self_enforcing,
        "completable": np.concatenate([p.completable for p in parts]),
        **{name: np.concatenate([getattr(p.measures, name) for p in parts]) for name in MEASURES},
        **{name: getattr(talks, f.name) for name, f in zip(TALKS, fields(TalksDraws), strict=True)},
    }


def _talks(structure: Structure, drawn: NDArray[np.float64]) -> TalksDraws:
    """Why talks fail for the draws with bargaining over time (no rows without
    ``war.private``)."""
    war = structure.scenario.war
    if war is not None and war.private is not None and drawn.shape[0]:
        return talks_block(structure, drawn)
    months = 0 if war is None else war.horizon + 1
    empty = np.zeros(0)
    return TalksDraws(
        np.zeros((0, months)), empty, empty.copy(), np.zeros(0, np.bool_), empty.copy()
    )


def compute_batch(base: Any, plan: dict[str, Any], batch: Batch) -> list[Result]:
    """An executor's task: ``base`` the run's structures, ``plan`` holds the seed."""
    return [
        (number, compute_block(base[item["scenario"]], int(plan["seed"]), item), None)
        for number, item in batch
    ]


class BlockStore:
    """One ``.npz`` file per finished block in ``folder/blocks``, each written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / BLOCKS
        try:
            self.folder.mkdir(exist_ok=True)
        except OSError as error:
            raise storage_error(self.folder, error, "cannot create") from None
        remove_stray_temporaries(self.folder)  # left by a writer killed mid-write

    def path(self, item: dict[str, Any]) -> Path:
        return self.folder / f"{item['scenario']:03d}-{item['start']:010d}.npz"

    def load(self, item: dict[str, Any]) -> Arrays | None:
        """A finished block's arrays, or None (never written, or unreadable: computed again)."""
        path = self.path(item)
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in FIELDS}
        except (OSError, ValueError, KeyError):
            return None
        rows, strategic = item["stop"] - item["start"], item["strategic"] - item["start"]
        if arrays["acceptable"].shape != (rows,) or arrays["period"].shape[0] != strategic:
            return None  # a block of another plan: computed again
        if arrays["talks_breakdown"].shape[0] != (strategic if item["talks"] else 0):
            return None  # written without (or with) the talks analysis: computed again
        return arrays

    def save(self, item: dict[str, Any], arrays: Arrays) -> None:
        with atomic_file(self.path(item)) as stream:
            np.savez(stream, **{name: arrays[name] for name in FIELDS})  # type: ignore[arg-type]


@dataclass(frozen=True)
class Assembled:
    """A scenario's arrays over all its draws, blocks put back in draw order."""

    acceptable: NDArray[np.int64]
    frontier: NDArray[np.int64]
    solutions: NDArray[np.int64]
    verdicts: NDArray[np.int8]
    bundle_counts: NDArray[np.int64]
    strategic: StrategicBlock | None
    completable: NDArray[np.bool_]
    measures: ZoneMeasures
    talks: TalksDraws | None = None
    """Why talks fail, where the war model declares ``private``."""


def run_blocks(
    structures: list[Structure],
    draws: int,
    seed: int,
    strategic: int,
    *,
    store: BlockStore | None = None,
    executor: Executor | None = None,
    adaptive: bool = False,
    progress: Callable[[int], None] | None = None,
    on_block: Callable[[int, dict[str, Any], Arrays], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[Assembled]:
    """Every block of the run: those a store already holds are read, the others computed
    (on ``executor``, else in this process) and saved as each finishes. One block left is
    computed here; ``adaptive``: the first one too, and the rest here unless they would take
    longer than :data:`WORKER_WORTH` seconds at its pace and a core is free
    (:func:`spare_core`). ``on_block(number, item, arrays)`` is called with each block as it
    is kept, read or computed (the run folder's writer formats its rows then). ``meanwhile()``
    is called once: when the workers' first blocks arrive, the workers having their next ones
    (so it runs beside them), else at the end (never within the first block's timing)."""
    blocks = plan_blocks(structures, draws, strategic)
    items = dict(blocks)
    found: dict[int, Arrays] = {}
    counts = [np.zeros(s.bundles.shape[0], dtype=np.int64) for s in structures]

    def keep(number: int, arrays: Arrays) -> None:
        """Hold a block's per-draw arrays; add its bundle counts to its scenario's."""
        if on_block is not None:
            on_block(number, items[number], arrays)
        np.add.at(counts[items[number]["scenario"]], arrays["counted"], arrays["counts"])
        found[number] = {k: v for k, v in arrays.items() if k not in ("counted", "counts")}
        if progress is not None:
            progress(_work(items[number]))

    pending: list[tuple[int, dict[str, Any]]] = []
    for number, item in blocks:
        loaded = store.load(item) if store is not None else None
        if loaded is None:
            pending.append((number, item))
        else:
            keep(number, loaded)

    waiting = [meanwhile] if meanwhile is not None else []

    def finished(results: Iterable[Result]) -> None:
        for number, arrays, _ in results:
            if store is not None:
                store.save(items[number], arrays)
            keep(number, arrays)

    def here(todo: list[tuple[int, dict[str, Any]]]) -> None:
        for number, item in todo:
            finished(compute_batch(structures, {"seed": seed}, [(number, item)]))

    if executor is None or executor.kind == "serial" or len(pending) <= 1:  # none to share
        here(pending)
        pending = []
    elif adaptive:  # a short run ends here before worker processes would have started
        started = time.perf_counter()
        here(pending[:1])
        pending = pending[1:]
        if (time.perf_counter() - started) * len(pending) < WORKER_WORTH or not spare_core():
            here(pending)
            pending = []
    if pending:
        assert executor is not None
        work = batches([n for n, _ in pending], executor.workers, per_worker=4, guided=True)
        for results in executor.run(
            compute_batch,
            tuple(structures),
            {"seed": seed},
            [[(n, items[n]) for n in b] for b in work],
        ):
            finished(results)
            while waiting:  # the workers have their next blocks: it runs beside them
                waiting.pop()()
    while waiting:
        waiting.pop()()
    assembled = []
    for s, structure in enumerate(structures):  # freeing each scenario's blocks as it goes
        parts = [found.pop(n) for n, item in blocks if item["scenario"] == s]
        assembled.append(_assemble(structure, parts, counts[s]))
    return assembled


def _work(item: dict[str, Any]) -> int:
    """Draws a block counts for in the progress bar: its draws, once each (a draw with
    bargaining over time is still one draw; the bar's total is draws x scenarios)."""
    return int(item["stop"] - item["start"])


def block_arrays(structure: Structure, arrays: Arrays) -> Assembled:
    """One block's arrays as its scenario's are assembled (the same types), without its
    bundle counts."""
    return _assemble(structure, [arrays], np.zeros(0, dtype=np.int64))


def _assemble(structure: Structure, parts: list[Arrays], counts: NDArray[np.int64]) -> Assembled:
    names = protocol_names(structure)
    n_props, n_parties = len(structure.proposals), structure.problem.n_parties
    judges = structure.problem.judges.shape[0]

    def joined(name: str, shape: tuple[int, ...], dtype: Any) -> NDArray[Any]:
        if not parts:
            return np.zeros(shape, dtype=dtype)
        return np.concatenate([p[name] for p in parts]).astype(dtype, copy=False)

    period = joined("period", (0, len(names)), np.int64)
    return Assembled(
        joined("acceptable", (0,), np.int64),
        joined("frontier", (0,), np.int64),
        joined("solutions", (0, len(structure.solution_names)), np.int64),
        joined("verdicts", (0, n_props, n_parties), np.int8),
        counts,
        StrategicBlock(
            names,
            period,
            joined("bundle", (0, len(names)), np.int64),
            joined("self_enforcing", (0, len(names)), np.int8),
        )
        if period.shape[0]
        else None,
        joined("completable", (0, n_props), np.bool_),
        ZoneMeasures(
            joined("surplus", (0,), np.float64),
            joined("utility_low", (0, judges), np.float64),
            joined("utility_high", (0, judges), np.float64),
            joined("reservations", (0, judges), np.float64),
        ),
        _assembled_talks(structure, period.shape[0], joined),
    )


def _assembled_talks(
    structure: Structure, rows: int, joined: Callable[[str, tuple[int, ...], Any], NDArray[Any]]
) -> TalksDraws | None:
    war = structure.scenario.war
    if war is None or war.private is None or not rows:
        return None
    months = war.horizon + 1
    return TalksDraws(
        joined("talks_by", (0, months), np.float64),
        joined("talks_month", (0,), np.float64),
        joined("talks_breakdown", (0,), np.float64),
        joined("talks_problem", (0,), np.bool_),
        joined("talks_threshold", (0,), np.float64),
    )

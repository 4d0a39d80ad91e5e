"""Parameter sweeps: every point of a plan analysed, saved as it finishes, resumable."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import InputError, ScenarioError, display_path
from sim.experiments.executors import Result, batches, run_batches
from sim.experiments.files import document_text, new_run_folder, write_atomic, write_json
from sim.experiments.manifest import finish_manifest, read_manifest, start_manifest
from sim.experiments.outcome import outcome_document
from sim.experiments.plan import Plan
from sim.experiments.run import RESULTS, outcome_row
from sim.experiments.store import RowStore, write_table
from sim.model.resolve import RawScenario, load_raw

Progress = Callable[[int, int, int], None]
"""Called with (finished, total, failed) after each batch."""

_BASES: dict[str, RawScenario] = {}

SAMPLED_CHECKS = 20
"""Beyond this many distinct numbers on a path, only the smallest and largest are checked."""


class SweepInterrupted(Exception):
    """The sweep was stopped (Ctrl-C); its finished points are saved in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(str(folder))


@dataclass(frozen=True)
class SweepRecord:
    folder: Path
    total: int
    failed: int
    redone: int


def evaluate_batch(
    base: str, plan: dict[str, Any], batch: list[tuple[int, dict[str, Any]]]
) -> list[Result]:
    """Analyse a batch of points of one base scenario (in whatever process runs it).

    With ``plan["write_to"]`` set (a run folder this process can reach), each outcome
    document is written there before the batch returns, spreading that work over the
    workers; otherwise the documents come back as JSON text.
    """
    folder = plan.get("write_to")
    raw = _BASES.get(base)
    if raw is None:
        raw = _BASES[base] = load_raw(Path(base))
    results: list[Result] = []
    for index, overrides in batch:
        keys = {"point": index, **overrides}
        try:
            loaded = raw.with_overrides(overrides)
            document = outcome_document(loaded)
            row = {**keys, **outcome_row(document), "error": None}
            text = document_text(document)
            if folder is not None:
                write_atomic(Path(folder) / "outcomes" / f"{index:06d}.json", text)
                results.append((index, row, None))
            else:
                results.append((index, row, text))
        except Exception as error:
            message = (
                "; ".join(error.messages()) if isinstance(error, ScenarioError) else repr(error)
            )
            results.append((index, {**keys, "error": message}, None))
    return results


def check_plan(plan: Plan, base: RawScenario) -> None:
    """Every varied path exists in the base scenario and every value is valid there."""
    problems = []
    for path in plan.paths:
        node: Any = base.document
        for segment in path.split("."):
            if isinstance(node, dict) and segment in node:
                node = node[segment]
            elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
                node = node[int(segment)]
            else:
                problems.append(f"{path}: no such field in {display_path(base.path)}")
                break
    if problems:
        raise InputError("\n".join(problems))
    for column, path in enumerate(plan.paths):
        values = sorted({p[column] for p in plan.points}, key=repr)
        numbers = [v for v in values if isinstance(v, float | int) and not isinstance(v, bool)]
        if len(values) > SAMPLED_CHECKS and len(numbers) == len(values):
            values = [min(numbers), max(numbers)]  # the format's numeric bounds are intervals
        for value in values:
            try:
                base.with_overrides({path: value})
            except ScenarioError as error:
                # Only a problem with the value itself stops the sweep; a point that is
                # invalid as a whole (a combination) is recorded as a failed row instead.
                own = [d.reason for d in error.diagnostics if d.path == path]
                if own:
                    raise InputError(f"{path}={value!r}: {'; '.join(own)}") from None


def run_sweep(
    plan: Plan,
    base_path: Path,
    *,
    out: Path | None = None,
    results: Path = RESULTS,
    resume: Path | None = None,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    extra_files: tuple[Path, ...] = (),
) -> SweepRecord:
    """Run (or finish) a sweep into a run folder; see docs/sweeps.md."""
    base = load_raw(base_path)
    check_plan(plan, base)
    described = plan.describe()
    if resume is not None:
        folder = resume
        manifest = _resume_manifest(folder, described)
    else:
        folder = new_run_folder(results, plan.name, out)
        manifest = start_manifest(
            "sweep",
            [*base.files, *extra_files],
            seed=plan.seed,
            keys=list(plan.paths),
            ids=["point"],
            plan=described,
            base=display_path(base_path),
            executor=executor,
        )
    write_json(folder / "manifest.json", {**manifest, "status": "running"})
    store = RowStore(folder)
    done = store.read()
    pending = [i for i in range(len(plan.points)) if i not in done]
    failed = sum(1 for row in done.values() if row.get("error"))
    total = len(plan.points)
    count = workers or (1 if executor == "serial" else os.cpu_count() or 1)
    work = [[(i, plan.overrides(i)) for i in batch] for batch in batches(pending, count)]
    finished = len(done)
    if progress:
        progress(finished, total, failed)
    try:
        shared = scheduler is None  # workers on this machine write their documents themselves
        task_plan = {**described, "write_to": str(folder.resolve()) if shared else None}
        for results_batch in run_batches(
            evaluate_batch, str(base_path), task_plan, work, executor, workers, scheduler
        ):
            for index, _, text in results_batch:
                if text is not None:
                    write_atomic(folder / "outcomes" / f"{index:06d}.json", text)
            store.append([(i, row) for i, row, _ in results_batch])
            finished += len(results_batch)
            failed += sum(1 for _, row, _ in results_batch if row.get("error"))
            if progress:
                progress(finished, total, failed)
    except KeyboardInterrupt:
        write_json(folder / "manifest.json", finish_manifest(manifest, "interrupted"))
        raise SweepInterrupted(folder) from None
    except InputError:
        if resume is None and finished == 0:
            shutil.rmtree(folder)  # created by this call and still empty of results
        raise
    rows = store.read()
    table = [rows[i] for i in range(total)]
    write_table(folder / "outcomes.csv", table)
    status = "complete" if failed == 0 else "complete_with_failures"
    write_json(folder / "manifest.json", finish_manifest(manifest, status, failed=failed))
    return SweepRecord(folder, total, failed, len(pending))


def read_sweep_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a sweep run folder (for --resume)."""
    manifest = read_manifest(folder, f"--resume {display_path(folder)}")
    if manifest.get("kind") != "sweep" or not isinstance(manifest.get("plan"), dict):
        raise InputError(f"--resume {display_path(folder)}: not a sweep run")
    return manifest


def _resume_manifest(folder: Path, described: dict[str, Any]) -> dict[str, Any]:
    manifest = read_sweep_manifest(folder)
    if manifest["plan"] != json.loads(json.dumps(described)):
        raise InputError(
            f"--resume {display_path(folder)}: the sweep given differs from the one recorded there"
        )
    return manifest

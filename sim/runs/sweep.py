"""Parameter sweeps: every point of a plan analysed, saved as it finishes, resumable.

Failures are classified. An error *of a point* (its scenario cannot be analysed: a
:class:`~sim.errors.SimError`, a bargaining or space-size error) is recorded in that point's
row. Anything else (a write that fails, a worker that dies, Ctrl-C, an unexpected error) stops
the sweep with a message and records nothing for the points in flight, so ``--resume`` redoes
them. See docs/reliability.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.analysis.analyse import AnalysisOptions, analyse_scenario
from sim.analysis.document import outcome_document
from sim.analysis.row import outcome_row, table_schema
from sim.core.bargaining import BargainingError
from sim.core.frontier import SpaceTooLargeError
from sim.core.solutions import SOLUTION_RULES
from sim.errors import InputError, ScenarioError, SimError, display_path
from sim.model.paths import closest_path
from sim.model.resolve import RawScenario, load_raw
from sim.model.schema import Scenario
from sim.runs.executors import Batch, Executor, Result, SweepStopped, batches
from sim.runs.files import (
    RunLock,
    StorageError,
    claim_run_folder,
    document_text,
    lock_run_folder,
    remove_stray_temporaries,
    results_folder,
    storage_error,
    write_atomic,
    write_json,
)
from sim.runs.integrity import outputs_record
from sim.runs.limits import Limits
from sim.runs.manifest import (
    changed_inputs,
    document_sha256,
    finish_manifest,
    input_record,
    plain_document,
    read_manifest,
    start_manifest,
)
from sim.runs.plan import Plan
from sim.runs.signals import signals_as_interrupts
from sim.runs.store import RowStore, write_table

Progress = Callable[[int, int, int], None]
"""Called with (finished, total, failed) after each batch."""

SAMPLED_CHECKS = 20
"""Beyond this many distinct numbers on a path, only the smallest and largest are checked."""

POINT_ERRORS: tuple[type[Exception], ...] = (SimError, BargainingError, SpaceTooLargeError)
"""Errors of a point itself: recorded in its row. Any other error stops the sweep."""


class SweepInterrupted(Exception):
    """The sweep was stopped (Ctrl-C, SIGTERM, SIGHUP); its finished points are saved in
    ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(str(folder))


@dataclass(frozen=True)
class SweepRecord:
    folder: Path
    total: int
    failed: int
    redone: int


def evaluate_batch(base: RawScenario, plan: dict[str, Any], batch: Batch) -> list[Result]:
    """Analyse a batch of points of one base scenario (in whatever process runs it).

    ``base`` is the resolved scenario itself, so a worker reads no file; the outcome
    documents come back as JSON text for the client to write. Only an error of the point
    itself is caught (and becomes its row's ``error``); any other propagates.
    """
    results: list[Result] = []
    for index, overrides in batch:
        keys = {"point": index, **overrides}
        try:
            loaded = base.with_overrides(overrides)
            if forecasts_positions(loaded.scenario, overrides):
                from sim.runs.spatial import spatial_point

                values, document = spatial_point(loaded)
                results.append(
                    (
                        index,
                        {**keys, **values, "error": None},
                        document_text(document, compact=True),
                    )
                )
                continue
            only = plan.get("only")
            outcome = analyse_scenario(
                loaded, AnalysisOptions(only=None if only is None else tuple(only))
            )
            row = {**keys, **outcome_row(outcome), "error": None}
            results.append((index, row, document_text(outcome_document(outcome), compact=True)))
        except POINT_ERRORS as error:
            message = (
                "; ".join(error.messages()) if isinstance(error, ScenarioError) else repr(error)
            )
            results.append((index, {**keys, "error": message}, None))
    return results


def forecasts_positions(scenario: Scenario, overrides: dict[str, Any]) -> bool:
    """Whether a sweep point forecasts the scenario's spatial reading instead of analysing its
    bundles: a spatial reading alone, or a sweep that varies nothing but ``spatial.*`` paths
    (docs/spatial.md)."""
    if scenario.spatial is None:
        return False
    varies_positions = bool(overrides) and all(p.startswith("spatial.") for p in overrides)
    return not scenario.issues or varies_positions


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
                closest = closest_path(path, base.document)
                hint = f"; did you mean {closest}?" if closest is not None else ""
                problems.append(f"{path}: no such field in {display_path(base.path)}{hint}")
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


def task_base(base: RawScenario, base_path: Path) -> RawScenario:
    """The base as sent to workers: named by the path the client shows (relative to its
    working directory), so messages in the table do not depend on where a worker runs."""
    return dataclasses.replace(base, path=Path(display_path(base_path)))


def run_sweep(
    plan: Plan,
    base_path: Path,
    *,
    out: Path | None = None,
    results: Path | None = None,
    resume: Path | None = None,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    extra_files: tuple[Path, ...] = (),
    limits: Limits | None = None,
    allow_changed_inputs: bool = False,
    allow_outside: bool = False,
) -> SweepRecord:
    """Run (or finish) a sweep into a run folder; see docs/sweeps.md and docs/reliability.md.

    Raises
    ------
    InputError
        Bad input, a run folder already taken or held by another process, changed inputs on
        resume (without ``allow_changed_inputs``).
    StorageError, SweepStopped
        The environment failed (disk, permissions, workers); nothing wrong was recorded and
        ``--resume`` finishes the sweep.
    SweepInterrupted
        Ctrl-C, SIGTERM or SIGHUP.
    """
    limits = limits or Limits()
    if resume is not None and out is not None:
        raise InputError("--out: not with --resume (a resumed sweep stays in its run folder)")
    limits.check_points(len(plan.points), f"sweep {plan.name}")
    base = load_raw(base_path, allow_outside=allow_outside)
    check_plan(plan, base)
    described = plan.describe()
    given = {base_path.resolve(): str(base_path), **{f.resolve(): str(f) for f in extra_files}}
    files = dict.fromkeys(f.resolve() for f in [*base.files, *extra_files])
    inputs = [input_record(f, given.get(f)) for f in files]
    pinned = {
        "given": str(base_path),
        "absolute": str(base_path.resolve()),
        "sha256": document_sha256(base.document),
        "document": plain_document(base.document),
    }
    with Executor(executor, workers, scheduler, limits) as engine:
        if resume is None:
            where = results_folder() if results is None else results
            lock = claim_run_folder(where, plan.name, out)
        else:
            read_sweep_manifest(resume)  # a sweep run folder, before anything is written there
            lock = lock_run_folder(resume, f"--resume {display_path(resume)}")
        with lock, signals_as_interrupts():
            return _run_locked(
                lock, plan, base, base_path, described, inputs, pinned, engine, progress,
                resume is not None, allow_changed_inputs,
            )  # fmt: skip


def _run_locked(
    lock: RunLock,
    plan: Plan,
    base: RawScenario,
    base_path: Path,
    described: dict[str, Any],
    inputs: list[dict[str, str]],
    pinned: dict[str, Any],
    engine: Executor,
    progress: Progress | None,
    resuming: bool,
    allow_changed: bool,
) -> SweepRecord:
    folder = lock.folder
    store = RowStore(folder)
    remove_stray_temporaries(folder)  # left by a writer killed mid-write; we hold the lock
    if resuming:
        manifest = _resume_manifest(folder, described)
        problems = _changes(manifest, inputs, pinned)
        if problems and not allow_changed:
            raise InputError(
                "\n".join(
                    [
                        *(f"--resume {display_path(folder)}: {p}" for p in problems),
                        "give --allow-changed-inputs to redo every point with the inputs as "
                        "they are now",
                    ]
                )
            )
        if problems:
            store.clear()  # first: a crash from here on can never mix old rows with new
            _remove(folder / "outcomes.csv")
        manifest = {**manifest, "inputs": inputs, "base": pinned, "error": None}
    else:
        manifest = start_manifest(
            "sweep",
            [Path(item["absolute"]) for item in inputs],
            seed=plan.seed,
            keys=list(plan.paths),
            ids=["point"],
            plan=described,
            base=pinned,
            inputs=inputs,
            executor=engine.kind,
        )
    manifest = {**manifest, "status": "running", "executor": engine.kind, "outputs": None}
    write_json(folder / "manifest.json", manifest)
    total = len(plan.points)
    done = store.read(total)
    pending = [i for i in range(total) if i not in done]
    failed = sum(1 for row in done.values() if row.get("error"))
    parts = batches(pending, engine.workers, guided=True)  # the last ones short: no idle tail
    work = [[(i, plan.overrides(i)) for i in batch] for batch in parts]
    finished = len(done)
    if progress:
        progress(finished, total, failed)
    try:
        asked = {} if plan.only is None else {"only": list(plan.only)}
        for results_batch in engine.run(evaluate_batch, task_base(base, base_path), asked, work):
            _save(folder, store, results_batch)
            finished += len(results_batch)
            failed += sum(1 for _, row, _ in results_batch if row.get("error"))
            if progress:
                progress(finished, total, failed)
        rows = store.read(total)
        missing = [i for i in range(total) if i not in rows]
        if missing:
            raise SweepStopped(
                f"{display_path(folder / 'rows.jsonl')}: {len(missing)} points missing after "
                "the sweep (the journal was changed while it ran); --resume redoes them"
            )
        write_table(folder / "outcomes.csv", [rows[i] for i in range(total)])
        status = "complete" if failed == 0 else "complete_with_failures"
        outputs = outputs_record(folder, ["outcomes.csv"])
        table = [rows[i] for i in range(total)]
        parties = base.document.get("parties")
        columns = table_schema(
            list(dict.fromkeys(c for row in table for c in row)),
            list(parties) if isinstance(parties, dict) else [],
            [rule.key for rule in SOLUTION_RULES],
        )
        finished_manifest = finish_manifest(
            manifest, status, failed=failed, outputs=outputs, columns=columns
        )
        write_json(folder / "manifest.json", finished_manifest)
    except KeyboardInterrupt:
        _finish_quietly(folder, manifest, "interrupted", None)
        raise SweepInterrupted(folder) from None
    except SimError as error:
        _finish_quietly(folder, manifest, "stopped", str(error))
        raise
    except Exception as error:
        stop = SweepStopped(
            f"{display_path(folder)}: sweep stopped by an unexpected error: {error!r}"
        )
        _finish_quietly(folder, manifest, "stopped", str(stop))
        raise stop from error
    return SweepRecord(folder, total, failed, len(pending))


def _save(folder: Path, store: RowStore, results_batch: list[Result]) -> None:
    """A batch's outcome documents, then its journal lines (so a journalled row always has its
    document). A failure to write stops the sweep with nothing recorded for the batch."""
    for index, _, text in results_batch:
        if text is not None:
            write_atomic(folder / "outcomes" / f"{index:06d}.json", text)
    store.append([(i, row) for i, row, _ in results_batch])


def _finish_quietly(folder: Path, manifest: dict[str, Any], status: str, error: str | None) -> None:
    """Record how the sweep ended, if the disk still lets us (it may be the very problem)."""
    try:
        write_json(folder / "manifest.json", finish_manifest(manifest, status, error=error))
    except StorageError:
        pass


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        raise storage_error(path, error, "cannot remove") from None


def _changes(
    manifest: dict[str, Any], inputs: list[dict[str, str]], pinned: dict[str, Any]
) -> list[str]:
    """What changed in the inputs since the manifest pinned them (empty: nothing)."""
    recorded = manifest.get("inputs")
    if not isinstance(recorded, list):
        return []  # a manifest from before inputs were pinned: nothing to compare with
    problems = changed_inputs(recorded)
    now = {item["absolute"] for item in inputs}
    then = {item["absolute"] for item in recorded}
    problems += [
        f"{path}: a new input (the scenario now extends it)" for path in sorted(now - then)
    ]
    base = manifest.get("base")
    if not problems and isinstance(base, dict) and base.get("sha256") != pinned["sha256"]:
        problems.append(
            f"{pinned['absolute']}: the resolved scenario changed "
            f"(recorded sha256 {base.get('sha256')}, now {pinned['sha256']})"
        )
    return problems


def read_sweep_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a sweep run folder (for --resume), checked for the fields it needs.

    Raises
    ------
    InputError
        Not a run folder, not a sweep, or a manifest missing a field or of the wrong shape.
    """
    context = f"--resume {display_path(folder)}"
    manifest = read_manifest(folder, context)
    where = display_path(folder / "manifest.json")
    if manifest.get("kind") != "sweep":
        raise InputError(f"{context}: not a sweep run")
    plan = manifest.get("plan")
    if not isinstance(plan, dict):
        raise InputError(f"{where}: plan: missing or not a mapping")
    paths, points = plan.get("paths"), plan.get("points")
    checks = [
        ("plan.name", isinstance(plan.get("name"), str)),
        ("plan.base", isinstance(plan.get("base"), str)),
        ("plan.paths", isinstance(paths, list) and all(isinstance(p, str) for p in paths)),
        ("plan.seed", type(plan.get("seed")) is int),
        (
            "plan.points",
            isinstance(points, list)
            and isinstance(paths, list)
            and all(isinstance(p, list) and len(p) == len(paths) for p in points),
        ),
    ]
    for field, ok in checks:
        if not ok:
            raise InputError(f"{where}: {field}: missing or of the wrong type")
    base = manifest.get("base")
    if not (
        isinstance(base, str) or (isinstance(base, dict) and isinstance(base.get("absolute"), str))
    ):
        raise InputError(f"{where}: base: missing or not the base scenario's path")
    inputs = manifest.get("inputs")
    if inputs is not None and not (
        isinstance(inputs, list)
        and all(
            isinstance(i, dict) and all(isinstance(i.get(k), str) for k in ("absolute", "sha256"))
            for i in inputs
        )
    ):
        raise InputError(f"{where}: inputs: not a list of files with their sha256")
    return manifest


def recorded_base(manifest: dict[str, Any]) -> Path:
    """The base scenario a sweep manifest recorded, as an absolute path when it has one."""
    base = manifest["base"]
    return Path(base["absolute"] if isinstance(base, dict) else base)


def _resume_manifest(folder: Path, described: dict[str, Any]) -> dict[str, Any]:
    manifest = read_sweep_manifest(folder)
    if manifest["plan"] != json.loads(json.dumps(described)):
        raise InputError(
            f"--resume {display_path(folder)}: the sweep given differs from the one recorded there"
        )
    return manifest

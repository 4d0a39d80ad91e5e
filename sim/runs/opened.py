"""Any run folder read back into its typed results: :func:`open_run`.

The one reader of run folders: the figures, the reports, ``sim compare``, ``sim.load_run``,
``sim.load_outcomes`` and the API all open a folder with it. A folder is checked against its
manifest (every output's sha256) before anything in it is read; nothing is analysed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import InputError, display_path
from sim.montecarlo.document import SummaryError, UncertaintySummary
from sim.runs.files import StorageError, read_document, sha256
from sim.runs.integrity import verify_outputs
from sim.runs.manifest import read_manifest
from sim.runs.store import read_table

if TYPE_CHECKING:
    from sim.analysis.outcome import Outcome
    from sim.spatial.result import SpatialResult

KINDS = ("run", "sweep", "uncertainty", "spatial", "negotiation", "tournament")
"""The kinds of run folder (the manifest's ``kind``)."""

TABLE = "outcomes.csv"
SUMMARY = "summary.json"


@dataclass(frozen=True)
class RunTable:
    """A folder's outcome table: its rows as stored, keyed as its manifest says."""

    folder: Path
    manifest: dict[str, Any]
    rows: list[dict[str, str]]

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns that identify a row (``scenario``; a sweep's parameters)."""
        return tuple(self.manifest.get("keys", ["scenario"]))

    @property
    def ids(self) -> tuple[str, ...]:
        """Columns that number rows without identifying them (a sweep's ``point``)."""
        return tuple(self.manifest.get("ids", []))

    @property
    def columns(self) -> dict[str, dict[str, Any]]:
        """Each column's declared kind and party as the run stored them (the manifest's
        ``columns``, :func:`sim.analysis.row.table_schema`), by name; empty for a folder made
        before they were stored."""
        stored = self.manifest.get("columns")
        if isinstance(stored, list) and all(isinstance(c, dict) and "name" in c for c in stored):
            return {str(c["name"]): c for c in stored}
        return {}


@dataclass(frozen=True)
class InputFile:
    """A file a run read, as its manifest recorded it and as it is now."""

    path: Path
    sha256: str
    """As recorded when the run was made."""
    state: str
    """``unchanged``, ``changed`` (its sha256 differs now) or ``missing``."""

    def problem(self) -> str | None:
        """What is wrong with the file now, in words; None if it is unchanged."""
        if self.state == "unchanged":
            return None
        if self.state == "missing":
            return f"{display_path(self.path)}: not found"
        return f"{display_path(self.path)}: changed since the run (its sha256 differs)"


@dataclass(frozen=True, eq=False)
class RunResult:
    """A run folder of any kind, read back (:func:`open_run`).

    What a kind holds: a ``run`` its outcome ``table`` and its typed ``outcomes`` (None for a
    folder made before outcomes were stored); a ``sweep`` its ``table`` (one row per point,
    its columns declared in the manifest); an ``uncertainty`` run its ``summary`` (the SPEC §6
    summary, typed: :class:`~sim.montecarlo.document.UncertaintySummary`; None while the run
    is unfinished); a ``spatial`` run its ``table`` and its
    ``spatial`` results; a ``negotiation`` or ``tournament`` its ``table`` (the agents'
    results are read by :mod:`sim.agents.record`, a layer above the run folders).
    """

    kind: str
    folder: Path
    manifest: dict[str, Any]
    table: RunTable | None = None
    outcomes: dict[str, Outcome] | None = None
    summary: UncertaintySummary | None = None
    spatial: tuple[SpatialResult, ...] = ()
    inputs: tuple[InputFile, ...] = field(default=())
    notes: tuple[str, ...] = ()
    """What the folder could not give, and why (an unfinished run, outcomes not stored)."""

    @property
    def status(self) -> str:
        """The manifest's status: ``complete``, ``running``, ``interrupted``, ..."""
        return str(self.manifest.get("status", ""))

    @property
    def changed(self) -> tuple[str, ...]:
        """The input files that differ from (or are missing since) the run, in words."""
        return tuple(p for p in (i.problem() for i in self.inputs) if p is not None)

    def outcome_table(self) -> RunTable:
        """The outcome table, for the readers that need one (``sim compare``, ``load_run``).

        Raises
        ------
        InputError
            A kind without an outcome table (an uncertainty run).
        """
        if self.table is None:
            article = "an" if self.kind[:1] in ("a", "e", "i", "o", "u") else "a"
            raise InputError(
                f"{display_path(self.folder)}: {article} {self.kind} run has no outcome table "
                f"({TABLE}); compare runs or sweeps"
            )
        return self.table


def open_run(folder: Path) -> RunResult:
    """Read a run folder of any kind into its typed results.

    Raises
    ------
    InputError
        Not a run folder, an unknown kind, a damaged folder (an output differs from the
        sha256 its manifest recorded), or a stored file that is not what its kind writes.
    """
    if not folder.is_dir():
        raise InputError(f"{display_path(folder)}: no such run folder")
    manifest = read_manifest(folder, display_path(folder))
    kind = manifest.get("kind", "run")
    if kind not in KINDS:
        raise InputError(
            f"{display_path(folder / 'manifest.json')}: kind: unknown run kind {kind!r} "
            f"(known: {', '.join(KINDS)})"
        )
    verify_outputs(folder, manifest)
    inputs = _inputs(manifest, folder)
    unfinished: tuple[str, ...] = ()
    if manifest.get("status") != "complete":
        noun = "sweep" if kind == "sweep" else "run"
        unfinished = (f"the {noun}'s status is {manifest.get('status')!r}, not complete",)
    if kind == "uncertainty":
        summary = _summary(folder / SUMMARY)
        notes = () if summary is not None else unfinished
        return RunResult(kind, folder, manifest, summary=summary, inputs=inputs, notes=notes)
    table_path = folder / TABLE
    if not table_path.is_file() and kind in ("run", "sweep"):
        raise InputError(f"{display_path(folder)}: not a run folder (no {TABLE})")
    table = RunTable(folder, manifest, read_table(table_path)) if table_path.is_file() else None
    if kind == "run" and table is not None:
        from sim.runs.run import read_outcomes

        outcomes = read_outcomes(folder)
        notes = () if outcomes is not None else ("no stored outcomes",)
        return RunResult(kind, folder, manifest, table, outcomes, inputs=inputs, notes=notes)
    if kind == "spatial":
        from sim.runs.spatial import read_spatial_results

        return RunResult(
            kind, folder, manifest, table, spatial=read_spatial_results(folder), inputs=inputs
        )
    return RunResult(kind, folder, manifest, table, inputs=inputs, notes=unfinished)


def _sha256(path: Path) -> str | None:
    """The file's sha256 now; None if it cannot be read (gone since the run)."""
    try:
        return sha256(path)
    except StorageError:
        return None


def _locate(recorded: str, folder: Path) -> Path:
    """A manifest's file path: absolute as is; relative to the current directory, else to
    the directories above the run folder (where ``sim run`` was most likely started)."""
    path = Path(recorded)
    if path.is_absolute() or path.exists():
        return path
    for parent in folder.resolve().parents:
        if (parent / path).exists():
            return parent / path
    return path


def _inputs(manifest: dict[str, Any], folder: Path) -> tuple[InputFile, ...]:
    entries = manifest.get("scenario_files") or []
    if manifest.get("kind") == "sweep" and manifest.get("inputs"):
        entries = [
            {"path": i.get("absolute") or i.get("given"), "sha256": i.get("sha256")}
            for i in manifest["inputs"]
            if isinstance(i, dict)
        ]
    out = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise InputError(
                f"{display_path(folder / 'manifest.json')}: scenario_files: each entry must "
                "have a path and a sha256"
            )
        absolute = entry.get("absolute")
        path = (
            Path(absolute)
            if isinstance(absolute, str) and Path(absolute).is_file()
            else _locate(entry["path"], folder)
        )
        now = _sha256(path)
        recorded = str(entry.get("sha256", ""))
        state = "missing" if now is None else ("unchanged" if now == recorded else "changed")
        out.append(InputFile(path, recorded, state))
    return tuple(out)


def _summary(path: Path) -> UncertaintySummary | None:
    """An uncertainty run's ``summary.json``, typed (None: not written yet).

    Raises
    ------
    InputError
        Not JSON, or not of the SPEC §6 shape (the file and the field named).
    """
    document = read_document(path, "scenarios")
    if document is None:
        return None
    try:
        return UncertaintySummary.from_json(document)
    except SummaryError as error:
        raise InputError(f"{display_path(path)}: {error}") from None

"""Run folders checked before they are read: tables whole, files as their run wrote them.

When a run, sweep or uncertainty run ends, its manifest records, in ``outputs``, each table and
summary it wrote: the sha256 of the file's bytes and, for a CSV table, its rows and columns.
Every command that reads a run folder (``compare``, ``report``, ``plot``, ``runs``) calls
:func:`verify_outputs` first, which refuses, naming the file and what is wrong:

* a recorded file that is missing, or whose sha256 differs from the recorded one;
* a CSV table (recorded or not: folders written before ``outputs`` existed are checked too)
  that is empty, has no header, has a row whose number of fields differs from the header's
  (a ragged table) or a row count other than the one recorded, or, for a finished sweep, than
  its plan's points.

A folder that only holds a claim (its lock file, and temporary files) left by a process that
ended before it wrote a manifest is recognised by :func:`abandoned_claim`.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sim.errors import InputError, display_path
from sim.writing import storage_error

TABLES = ("outcomes.csv", "draws.csv", "summary.csv")
"""The CSV tables a run folder may hold (checked for shape whenever present)."""

RUNNING = ("running",)


def file_record(path: Path) -> dict[str, Any]:
    """What ``outputs`` records of a file: its sha256, and rows and columns of a CSV table.

    Raises
    ------
    StorageError
        The file cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise storage_error(path, error, "cannot read") from None
    record: dict[str, Any] = {"sha256": hashlib.sha256(data).hexdigest()}
    if path.suffix == ".csv":
        rows, columns = _table_shape(path, data)
        record.update(rows=rows, columns=columns)
    return record


def outputs_record(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """The ``outputs`` entry of a manifest: :func:`file_record` of each named file."""
    return {name: file_record(folder / name) for name in names}


def _table_shape(path: Path, data: bytes) -> tuple[int, int]:
    """Rows (besides the header) and columns of a CSV table, or why it is damaged.

    Raises
    ------
    InputError
        Not UTF-8, not CSV, no header, or a row with another number of fields.
    """
    shown = display_path(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{shown}: not UTF-8 text (byte {error.start}: {error.reason})") from None
    try:
        counts = iter(_field_counts(text))
        header = next(counts, 0)
        if not header:
            raise InputError(f"{shown}: empty, without even a header row; the table is damaged")
        rows = 0
        for rows, fields in enumerate(counts, 1):
            if fields != header:
                raise InputError(
                    f"{shown}: row {rows} has {fields} fields, the header {header}; "
                    "the table is damaged (ragged)"
                )
    except csv.Error as error:
        raise InputError(f"{shown}: not a CSV table ({error})") from None
    return rows, header


def _field_counts(text: str) -> Iterable[int]:
    """The number of fields of each row of a CSV text, as :func:`csv.reader` reads it.

    Counted from the commas when the text holds nothing the reader treats otherwise (no
    quotes, carriage returns or NULs, no line longer than its field size limit): a table of
    numbers, such as an uncertainty run's draws.csv, is then read about ten times faster.
    Otherwise the reader reads it (and may raise :class:`csv.Error`).
    """
    if not any(c in text for c in '"\r\0'):
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()  # the last line's end
        if max(map(len, lines), default=0) <= csv.field_size_limit():
            return [line.count(",") + 1 if line else 0 for line in lines]
    return map(len, csv.reader(io.StringIO(text, newline="")))


def verify_outputs(folder: Path, manifest: dict[str, Any]) -> None:
    """Refuse a run folder whose tables or recorded outputs are damaged (see the module).

    Raises
    ------
    InputError
        The first problem found, naming the file.
    """
    recorded = manifest.get("outputs")
    running = manifest.get("status") in RUNNING
    if recorded is not None and not running:
        if not isinstance(recorded, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in recorded.values()
        ):
            where = display_path(folder / "manifest.json")
            raise InputError(f"{where}: outputs: not a mapping of files to their sha256")
        for name, record in recorded.items():
            _check_recorded(folder, name, record)
    for name in TABLES:
        path = folder / name
        if path.is_file() and not (isinstance(recorded, dict) and name in recorded):
            rows = file_record(path).get("rows")
            expected = _expected_rows(manifest, name)
            if expected is not None and rows != expected and not running:
                raise InputError(
                    f"{display_path(path)}: {rows} rows, the run recorded {expected}; "
                    "the table is damaged"
                )


def _check_recorded(folder: Path, name: str, record: dict[str, Any]) -> None:
    path = folder / name
    if Path(name).name != name:
        where = display_path(folder / "manifest.json")
        raise InputError(f"{where}: outputs: {name!r}: not a file name")
    if not path.is_file():
        raise InputError(f"{display_path(path)}: missing; the run wrote it (see its manifest)")
    now = file_record(path)
    if "rows" in record and now.get("rows") != record["rows"]:
        raise InputError(
            f"{display_path(path)}: {now.get('rows')} rows, the run wrote {record['rows']}; "
            "the table is damaged"
        )
    if now["sha256"] != record["sha256"]:
        raise InputError(
            f"{display_path(path)}: changed since the run wrote it "
            f"(recorded sha256 {record['sha256']}, now {now['sha256']})"
        )


def _expected_rows(manifest: dict[str, Any], name: str) -> int | None:
    """The rows a table of a finished run without ``outputs`` must have, where known."""
    if name != "outcomes.csv" or manifest.get("kind") != "sweep":
        return None
    if manifest.get("status") not in ("complete", "complete_with_failures"):
        return None
    plan = manifest.get("plan")
    points = plan.get("points") if isinstance(plan, dict) else None
    return len(points) if isinstance(points, list) else None

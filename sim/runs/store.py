"""Rows saved as they finish, so that an interrupted sweep loses nothing."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

from sim.errors import InputError, display_path
from sim.runs.files import storage_error, write_atomic

ROWS_FILE = "rows.jsonl"


class RowStore:
    """An append-only journal of finished rows (JSON lines, flushed and synced per batch).

    A line cut short by a crash is ignored when reading, so its point is simply redone.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / ROWS_FILE
        self._tail_checked = False

    def read(self, total: int | None = None) -> dict[int, dict[str, Any]]:
        """The finished rows by point. A line that is cut short, not UTF-8, not JSON or not
        of the journal's shape (or names a point outside ``range(total)``) is skipped, so
        its point is redone.

        Raises
        ------
        StorageError
            The journal exists but cannot be read.
        """
        rows: dict[int, dict[str, Any]] = {}
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return rows
        except OSError as error:
            raise storage_error(self.path, error, "cannot read") from None
        for line in data.split(b"\n")[:-1]:  # the last piece has no newline: cut short
            entry = _entry(line)
            if entry is None:
                continue
            point, row = entry
            if total is None or point < total:
                rows[point] = row
        return rows

    def append(self, finished: list[tuple[int, dict[str, Any]]]) -> None:
        """Add rows to the journal, synced before returning.

        Raises
        ------
        StorageError
            The journal cannot be written (e.g. the disk is full); a line cut short by the
            failure is ignored when reading, so its point is redone.
        """
        text = "".join(
            json.dumps({"point": i, "row": row}, ensure_ascii=False, allow_nan=False) + "\n"
            for i, row in finished
        )
        try:
            if not self._tail_checked and self.path.exists():
                self._drop_partial_tail()
            self._tail_checked = True
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as error:
            self._tail_checked = False
            raise storage_error(self.path, error) from None

    def clear(self) -> None:
        """Forget every row (the inputs changed: every point is redone)."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            raise storage_error(self.path, error, "cannot remove") from None
        self._tail_checked = False

    def _drop_partial_tail(self) -> None:
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            with self.path.open("r+b") as stream:
                stream.truncate(cut)


def _entry(line: bytes) -> tuple[int, dict[str, Any]] | None:
    try:
        item = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(item, dict) or set(item) != {"point", "row"}:
        return None
    point, row = item["point"], item["row"]
    if type(point) is not int or point < 0 or not isinstance(row, dict):
        return None
    return point, row


def format_cell(value: Any) -> str:
    """A table cell, the same bytes for the same value on every machine.

    Examples
    --------
    >>> [format_cell(v) for v in (None, True, 3, 0.1 + 0.2, 1e-20, "x")]
    ['', 'true', '3', '0.3', '1e-20', 'x']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return f"{value:.10g}"
    return str(value)


def write_table(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write rows as CSV, columns in first-seen order (missing cells empty)."""
    write_atomic(path, table_text(rows))


def table_text(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV text, the same bytes for the same rows."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(format_cell(row.get(c)) for c in columns)
    return buffer.getvalue()


def read_table(path: Path) -> list[dict[str, str]]:
    """An outcome table's rows.

    Raises
    ------
    InputError
        The file cannot be read, is not UTF-8 or is not CSV.
    """
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))
    except OSError as error:
        raise storage_error(path, error, "cannot read") from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{display_path(path)}: not UTF-8 text (byte {error.start}: {error.reason})"
        ) from None
    except csv.Error as error:
        raise InputError(f"{display_path(path)}: not a CSV table ({error})") from None

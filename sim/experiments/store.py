"""Rows saved as they finish, so that an interrupted sweep loses nothing."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

from sim.experiments.files import write_atomic

ROWS_FILE = "rows.jsonl"


class RowStore:
    """An append-only journal of finished rows (JSON lines, flushed and synced per batch).

    A line cut short by a crash is ignored when reading, so its point is simply redone.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / ROWS_FILE
        self._tail_checked = False

    def read(self) -> dict[int, dict[str, Any]]:
        rows: dict[int, dict[str, Any]] = {}
        if not self.path.exists():
            return rows
        with self.path.open(encoding="utf-8") as stream:
            for line in stream:
                if not line.endswith("\n"):
                    break  # cut short by a crash
                try:
                    item = json.loads(line)
                except json.JSONDecodeError:
                    continue
                rows[int(item["point"])] = item["row"]
        return rows

    def append(self, finished: list[tuple[int, dict[str, Any]]]) -> None:
        text = "".join(
            json.dumps({"point": i, "row": row}, ensure_ascii=False, allow_nan=False) + "\n"
            for i, row in finished
        )
        if not self._tail_checked and self.path.exists():
            self._drop_partial_tail()
        self._tail_checked = True
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())

    def _drop_partial_tail(self) -> None:
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            with self.path.open("r+b") as stream:
                stream.truncate(cut)


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
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))

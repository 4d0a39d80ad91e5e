"""Comparing two runs' outcome tables row by row."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import InputError, display_path
from sim.optional import optional_module
from sim.runs.files import (
    LOCK,
    abandoned_claim,
    lock_is_held,
    process_alive,
    read_holder,
    storage_error,
)
from sim.runs.integrity import verify_outputs
from sim.runs.manifest import MANIFEST, read_manifest
from sim.runs.opened import TABLE, open_run
from sim.words import plural

BUNDLE_SUFFIX = "_bundle"
"""The outcome table's columns that hold a bundle's terms (``issue=option; ...``)."""


Value = int | float | bool | str | None
"""A table cell, typed: a number, a yes/no, text, or None for an empty cell."""

Issues = tuple[tuple[str, str | None, str | None], ...]
"""Changed issues: (issue, old option, new option), None where a bundle lacks the issue."""


def cell(text: str) -> int | float | bool | str | None:
    """A CSV cell as a typed value: '' is None, true/false booleans, numbers numbers.

    Examples
    --------
    >>> [cell(v) for v in ("", "true", "3", "0.5", "nan", "x")]
    [None, True, 3, 0.5, nan, 'x']
    """
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


@dataclass(frozen=True)
class Change:
    """One value that differs between two runs, typed (see :func:`cell`)."""

    key: tuple[str, ...]
    column: str
    old: Value
    new: Value
    issues: Issues = ()
    """For a bundle column (``*_bundle``) whose bundles both exist: the issues whose option
    changed, (issue, old option, new option), in the bundle's order (None: the issue is not
    in that bundle)."""
    unchanged: int = 0
    """For such a column: how many issues kept their option."""

    @property
    def same_issues(self) -> bool:
        """Two bundles over the same issues (every changed issue is in both)."""
        return bool(self.issues) and all(o is not None and n is not None for _, o, n in self.issues)


@dataclass(frozen=True)
class Comparison:
    """What differs between two runs, rows matched by their key columns."""

    run_a: str
    run_b: str
    keys: tuple[str, ...]
    matched: int
    changes: tuple[Change, ...]
    only_a: tuple[tuple[str, ...], ...]
    only_b: tuple[tuple[str, ...], ...]
    columns_only_a: tuple[str, ...]
    columns_only_b: tuple[str, ...]

    @property
    def changed_rows(self) -> int:
        return len({c.key for c in self.changes})

    @property
    def identical(self) -> bool:
        """No value, row or column differs (a column that appears or disappears is a change)."""
        return not (
            self.changes or self.only_a or self.only_b or self.columns_only_a or self.columns_only_b
        )

    def frame(self) -> Any:
        """The changes as a pandas DataFrame: the keys, ``column``, ``old`` and ``new``
        (typed values; needs pandas)."""
        pd = optional_module("pandas", "Comparison.frame", "notebook")
        return pd.DataFrame(
            [
                {
                    **dict(zip(self.keys, c.key, strict=True)),
                    "column": c.column,
                    "old": c.old,
                    "new": c.new,
                }
                for c in self.changes
            ],
            columns=[*self.keys, "column", "old", "new"],
        )

    def __repr__(self) -> str:
        return f"Comparison({self.run_a} -> {self.run_b}: {self.summary()})"

    def summary(self) -> str:
        return (
            f"{plural(self.matched, 'row')} matched, {self.changed_rows} changed "
            f"({plural(len(self.changes), 'value')}), {len(self.only_a)} only in A, "
            f"{len(self.only_b)} only in B"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_a": self.run_a,
            "run_b": self.run_b,
            "keys": list(self.keys),
            "matched": self.matched,
            "changed_rows": self.changed_rows,
            "changes": [
                {"key": list(c.key), "column": c.column, "old": c.old, "new": c.new}
                | ({"changed_issues": {i: [o, n] for i, o, n in c.issues}} if c.issues else {})
                for c in self.changes
            ],
            "only_a": [list(k) for k in self.only_a],
            "only_b": [list(k) for k in self.only_b],
            "columns_only_a": list(self.columns_only_a),
            "columns_only_b": list(self.columns_only_b),
        }


def compare_runs(a: Path, b: Path, tol: float = 1e-9) -> Comparison:
    """Match two runs' rows by key and list every value that differs (numbers beyond ``tol``)."""
    if a.resolve() == b.resolve():
        raise InputError(f"{display_path(a)}: comparing a run with itself")
    run_a, run_b = open_run(a).outcome_table(), open_run(b).outcome_table()
    keys = run_a.keys
    for run in (run_a, run_b):
        header = run.rows[0] if run.rows else {}
        missing = [k for k in run.keys if run.rows and k not in header]
        if missing:
            raise InputError(
                f"{display_path(run.folder)}: outcomes.csv lacks its key column "
                f"{', '.join(missing)}"
            )
    if set(keys) != set(run_b.keys):
        raise InputError(
            f"runs are keyed differently: {', '.join(keys)} vs {', '.join(run_b.keys)}"
        )
    index_a = {tuple(r.get(k, "") for k in keys): r for r in run_a.rows}
    index_b = {tuple(r.get(k, "") for k in keys): r for r in run_b.rows}
    if len(index_a) == len(index_b) == 1 and index_a.keys() != index_b.keys():
        # two single-scenario runs (e.g. baseline and a variant): compare them with each other
        (key_a,), (key_b,) = index_a, index_b
        paired = tuple(f"{a} -> {b}" if a != b else a for a, b in zip(key_a, key_b, strict=True))
        index_a, index_b = {paired: index_a[key_a]}, {paired: index_b[key_b]}
    skip = set(keys) | set(run_a.ids) | set(run_b.ids)
    cols_a = [c for c in (run_a.rows[0] if run_a.rows else {}) if c not in skip]
    cols_b = [c for c in (run_b.rows[0] if run_b.rows else {}) if c not in skip]
    shared = [c for c in cols_a if c in cols_b]
    changes = []
    for key in [k for k in index_a if k in index_b]:
        row_a, row_b = index_a[key], index_b[key]
        for column in shared:
            old, new = row_a.get(column, ""), row_b.get(column, "")
            if _differs(old, new, tol):
                issues, unchanged = (
                    _bundle_change(old, new) if column.endswith(BUNDLE_SUFFIX) else ((), 0)
                )
                changes.append(Change(key, column, cell(old), cell(new), issues, unchanged))
    return Comparison(
        run_a=display_path(a),
        run_b=display_path(b),
        keys=keys,
        matched=sum(1 for k in index_a if k in index_b),
        changes=tuple(changes),
        only_a=tuple(k for k in index_a if k not in index_b),
        only_b=tuple(k for k in index_b if k not in index_a),
        columns_only_a=tuple(c for c in cols_a if c not in cols_b),
        columns_only_b=tuple(c for c in cols_b if c not in cols_a),
    )


def stored_terms(text: str) -> dict[str, str] | None:
    """A bundle cell of an outcome table (``issue=option; ...``, as
    :meth:`sim.analysis.outcome.Bundle.words` wrote it) as its terms; None if it is not one.

    Examples
    --------
    >>> stored_terms("nato=neutrality; kursk=held")
    {'nato': 'neutrality', 'kursk': 'held'}
    >>> stored_terms("") is None
    True
    """
    terms = {}
    for item in text.split("; "):
        issue, sep, option = item.partition("=")
        if not sep or not issue or not option:
            return None
        terms[issue] = option
    return terms


def changed_issues(old: str, new: str) -> Issues:
    """The issues whose option differs between two bundle cells (empty if either is not a
    bundle).

    Examples
    --------
    >>> changed_issues("nato=neutrality; kursk=held", "nato=neutrality; kursk=returned")
    (('kursk', 'held', 'returned'),)
    """
    return _bundle_change(old, new)[0]


def terms_change(before: dict[str, str], after: dict[str, str]) -> tuple[Issues, int]:
    """The issues whose option differs between two bundles' terms (the first bundle's order,
    then issues only in the second), and how many issues kept their option."""
    issues = [*before, *(i for i in after if i not in before)]
    changed = tuple(
        (i, before.get(i), after.get(i)) for i in issues if before.get(i) != after.get(i)
    )
    return changed, sum(1 for issue, option in before.items() if after.get(issue) == option)


def _bundle_change(old: str, new: str) -> tuple[Issues, int]:
    """:func:`terms_change` of two bundle cells; nothing when either is not a bundle."""
    before, after = stored_terms(old), stored_terms(new)
    if before is None or after is None:
        return (), 0
    return terms_change(before, after)


def _differs(old: str, new: str, tol: float) -> bool:
    if old == new:
        return False
    try:
        return abs(float(old) - float(new)) > tol
    except ValueError:
        return True


def list_runs(folder: Path) -> list[list[str]]:
    """One row per run folder under ``folder``: name, kind, status, rows, start time.

    A folder whose manifest cannot be read is listed as such; it never stops the listing.
    A ``running`` run whose writer is gone (its lock is free, or its process no longer
    exists on this host) is listed as ``interrupted``.
    """
    if not folder.is_dir():
        raise InputError(f"{display_path(folder)}: no such folder")
    rows = []
    try:
        runs = sorted(p for p in folder.iterdir() if (p / MANIFEST).is_file() or _claim_only(p))
    except OSError as error:
        raise storage_error(folder, error, "cannot read") from None
    for run in runs:
        claim = abandoned_claim(run)
        if claim is not None:
            status = f"abandoned before its manifest (claimed by {claim}): reuse with --out"
            rows.append([run.name, "?", status, "", ""])
            continue
        if not (run / MANIFEST).is_file():
            continue  # just claimed by a live process
        try:
            manifest = read_manifest(run, display_path(run))
        except InputError as error:
            rows.append([run.name, "?", f"unreadable manifest ({error})", "", ""])
            continue
        status = str(manifest.get("status", "?"))
        if status == "running" and _writer_gone(run):
            status = "interrupted"
        try:
            verify_outputs(run, manifest)
        except InputError as error:
            status = f"damaged ({error})"
        rows.append(
            [
                run.name,
                str(manifest.get("kind", "?")),
                status,
                _count_rows(run, manifest),
                str(manifest.get("started", "")),
            ]
        )
    return rows


def _claim_only(path: Path) -> bool:
    return path.is_dir() and (path / LOCK).is_file() and not (path / MANIFEST).exists()


def _count_rows(run: Path, manifest: dict[str, Any]) -> str:
    """The rows of a finished run's table, else the journalled rows of an unfinished sweep;
    for an uncertainty run, its draws (the rows of ``draws.csv``: draws x scenarios)."""
    if manifest.get("kind") == "uncertainty":
        recorded = manifest.get("outputs", {}).get("draws.csv", {}).get("rows")
        scenarios, draws = manifest.get("scenarios"), manifest.get("draws")
        if type(recorded) is int and type(draws) is int and isinstance(scenarios, list):
            return f"{recorded:,} draws ({draws:,} x {plural(len(scenarios), 'scenario')})"
    try:
        table = run / TABLE
        if table.is_file():
            with table.open("rb") as stream:
                return str(max(0, sum(1 for _ in stream) - 1))
        journal = run / "rows.jsonl"
        if journal.is_file():
            with journal.open("rb") as stream:
                return str(sum(1 for line in stream if line.endswith(b"\n")))
    except OSError:
        return "?"
    return "0"


def _writer_gone(run: Path) -> bool:
    held = lock_is_held(run)
    if held is not None:
        if held:
            return False
        found = read_holder(run)
        if found is None:
            return True
        if found.get("host") != socket.gethostname():
            return False  # a process on another machine: it cannot be checked from here
        pid = found.get("pid")
        return not (type(pid) is int and process_alive(pid))
    return False

"""Outcome tables for pandas: typed columns, and a long ("tidy") format for plotting."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.analysis.row import table_schema
from sim.optional import optional_module
from sim.runs.compare import cell
from sim.runs.opened import RunTable, open_run

if TYPE_CHECKING:
    import pandas

DTYPES = {"count": "Int64", "flag": "boolean", "text": "string", "number": "auto"}
"""The pandas type of each kind of column (:func:`sim.analysis.row.column_kind`)."""


def pandas_module() -> Any:
    return optional_module("pandas", "load_run", "notebook")


def declared_columns(table: RunTable, columns: list[str]) -> dict[str, dict[str, Any]]:
    """Each column's declared kind and party, by name: as the run stored them
    (:attr:`RunTable.columns`), else (a folder made before they were stored) declared now by
    :func:`sim.analysis.row.table_schema`, with the parties of the run's outcome documents."""
    from sim.core.solutions import SOLUTION_RULES

    declared = dict(table.columns)
    folder = table.folder
    rules = [rule.key for rule in SOLUTION_RULES]
    missing = [c for c in columns if c not in declared]  # e.g. derived per-protocol verdicts
    for entry in table_schema(missing, _parties(folder), rules):
        declared[str(entry["name"])] = entry
    return declared


def run_frame(folder: Path, tidy: bool = False) -> pandas.DataFrame:
    """A run folder's outcome table with typed columns (see :func:`sim.load_run`)."""
    pd = pandas_module()
    run = open_run(folder).outcome_table()
    rows = [dict(row) for row in run.rows]
    periods = [c[: -len("_period")] for c in (rows[0] if rows else {}) if c.endswith("_period")]
    for row in rows if periods else ():  # only a table with bargaining has verdicts to read
        verdicts = protocol_verdicts(folder, row)
        for protocol in periods:
            verdict = verdicts.get(protocol)
            row[f"{protocol}_self_enforcing"] = "" if verdict is None else str(verdict).lower()
    columns = list(dict.fromkeys(c for row in rows for c in row))
    declared = declared_columns(run, columns)
    data: dict[str, Any] = {}
    for name in columns:
        values = [cell(row.get(name, "")) for row in rows]
        kind = DTYPES.get(str(declared[name].get("kind")), "auto")
        if kind == "auto":
            numbers = [v for v in values if v is not None]
            if all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
                data[name] = pd.array([float("nan") if v is None else v for v in values], "Float64")
            else:
                data[name] = pd.array([row.get(name) or None for row in rows], "string")
        elif kind == "string":
            data[name] = pd.array([row.get(name) or None for row in rows], "string")
        else:
            data[name] = pd.array(values, kind)
    frame = pd.DataFrame(data, columns=columns)
    if not tidy:
        return frame
    keys = [k for k in [*run.keys, *run.ids] if k in frame.columns]
    parties = {name: entry.get("party") for name, entry in declared.items()}
    return _tidy(pd, frame, list(dict.fromkeys(keys)), parties)


def protocol_verdicts(folder: Path, row: dict[str, str]) -> dict[str, bool]:
    """Per bargaining protocol of a row, whether its agreed bundle is self-enforcing, read
    from the row's outcome document (``outcomes/<scenario>.json`` of a run,
    ``outcomes/<point>.json`` of a sweep): each protocol's agreed bundle and the compliance
    game over it. Protocols without an agreement or a decided game are left out, and so is
    every protocol of a row without a document (a failed sweep point)."""
    import json

    point = row.get("point", "")
    name = f"{int(point):06d}" if point.isdigit() else row.get("scenario", "")
    path = folder / "outcomes" / f"{name}.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    games = (document.get("equilibria") or {}).get("games") or []
    decided = {
        g["bundle_index"]: g["self_enforcing"]
        for g in games
        if g.get("name") == "compliance" and isinstance(g.get("self_enforcing"), bool)
    }
    results = (document.get("bargaining") or {}).get("results") or []
    return {
        str(r["protocol_key"]): decided[r["index"]]
        for r in results
        if r.get("index") is not None and r.get("index") in decided
    }


def _parties(folder: Path) -> list[str]:
    """The parties named in the run's outcome documents."""
    import json

    found: dict[str, None] = {}
    for path in sorted((folder / "outcomes").glob("*.json"))[:1]:
        try:
            found.update(dict.fromkeys(json.loads(path.read_text(encoding="utf-8"))["parties"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return list(found)


def _tidy(pd: Any, frame: Any, keys: list[str], parties: dict[str, Any]) -> Any:
    """Long format: keys, party, metric, value — one row per number (party None where the
    metric is not one party's; ``parties``: each column's declared party)."""
    parts = []
    for column in frame.columns:
        if column in keys or frame[column].dtype.name not in ("Float64", "Int64"):
            continue
        party = parties.get(column)
        metric = column[: -len(party) - 1] if isinstance(party, str) else column
        part = frame[keys].copy()
        part["party"] = pd.array([party] * len(frame), "string")
        part["metric"] = pd.array([metric] * len(frame), "string")
        part["value"] = frame[column].astype("Float64")
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=[*keys, "party", "metric", "value"])
    return pd.concat(parts, ignore_index=True)

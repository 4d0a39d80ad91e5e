"""Run folders named by what ran: ``--latest NAME`` takes the newest run of ``NAME``.

A run folder that ``sim`` names itself is ``<UTC stamp>-<label>`` (``-<n>`` appended when two
runs start in the same second, :func:`sim.runs.files.claim_run_folder`), where the label is the
scenario's name, the scenario folder's name (``ukraine``), the sweep's name or ``uncertainty``.
So after ``sim run baseline`` twice, ``results/*-baseline`` matches two folders, and
``sim compare baseline aid_freeze --latest`` compares the newest of each.
"""

from __future__ import annotations

import re
from pathlib import Path

from sim.errors import InputError, display_path
from sim.runs.manifest import MANIFEST, read_manifest

STAMPED = re.compile(r"(?P<stamp>\d{8}T\d{6}Z)-(?P<label>.+?)(?:-(?P<n>\d+))?")
"""The name of a run folder ``sim`` named itself: stamp, label, and the same-second suffix."""


def runs_named(name: str, results: Path) -> list[Path]:
    """The complete run folders of label ``name`` under ``results``, oldest first (by their
    stamp, then their same-second suffix).

    Examples
    --------
    >>> import tempfile, json
    >>> root = Path(tempfile.mkdtemp())
    >>> for folder in ("20260101T000000Z-baseline", "20260102T000000Z-baseline",
    ...                "20260102T000000Z-baseline-2", "20260103T000000Z-aid_freeze"):
    ...     (root / folder).mkdir()
    ...     _ = (root / folder / MANIFEST).write_text(json.dumps({"status": "complete"}))
    >>> [p.name for p in runs_named("baseline", root)]
    ['20260101T000000Z-baseline', '20260102T000000Z-baseline', '20260102T000000Z-baseline-2']
    """
    if not results.is_dir():
        return []
    found: list[tuple[str, int, Path]] = []
    for folder in results.iterdir():
        match = STAMPED.fullmatch(folder.name)
        candidates = [] if match is None else [(match["label"], int(match["n"] or 1))]
        if match is not None and match["n"] is not None:
            candidates.append((f"{match['label']}-{match['n']}", 1))  # a label ending in -<n>
        for label, order in candidates:
            if label == name and _complete(folder):
                found.append((match["stamp"] if match else "", order, folder))
    return [folder for _, _, folder in sorted(found)]


def _complete(folder: Path) -> bool:
    if not (folder / MANIFEST).is_file():
        return False
    try:
        return read_manifest(folder, display_path(folder)).get("status") == "complete"
    except InputError:
        return False


def resolve_run(target: Path, *, latest: bool, results: Path, option: str = "RUN") -> Path:
    """A run folder the user named: ``target`` itself when it is a folder; with ``latest``, a
    name (``baseline``) stands for the newest complete run folder of that label.

    Raises
    ------
    InputError
        No such folder (and, with ``latest``, no complete run of that name).
    """
    if target.is_dir():
        return target
    name = str(target)
    if not latest:
        hint = (
            f"; to take the newest run of {name!r}, give --latest"
            if "/" not in name and runs_named(name, results)
            else ""
        )
        raise InputError(f"{option} {display_path(target)}: no such run folder{hint}")
    if "/" in name:
        raise InputError(f"{option} {name}: no such run folder (--latest takes a run's name)")
    named = runs_named(name, results)
    if not named:
        raise InputError(
            f"{option} {name}: no complete run named {name!r} in {display_path(results)}/ "
            f"(run folders are <UTC time>-<name>; see sim runs)"
        )
    return named[-1]

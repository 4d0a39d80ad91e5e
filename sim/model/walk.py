"""Walking a scenario folder: bounded, and never leaving it.

Every recursive search for scenario or sweep files (names looked up under ``scenarios/`` or
``$SIM_SCENARIOS``, ``sim validate FOLDER``, ``sim list``) goes through :func:`scenario_tree`:

* it stays in the folder: a symlinked folder or file is followed only when its real path is
  inside the real folder (a link that leaves it is skipped; a link back up is walked once);
* it reads nothing but lists folders: it returns the ``*.yaml``/``*.yml`` regular files, and
  callers read only those (each read is itself capped, see ``sim/model/yamlio.py``);
* it is bounded: after :func:`scan_limit` folder entries (default 20,000) or at a depth of
  :data:`MAX_DEPTH` folders it stops with a message, so that ``SIM_SCENARIOS=/`` answers at
  once instead of walking the whole file system.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sim.errors import Diagnostic, InputError, ScenarioError, display_path

SCAN_LIMIT = 20_000
"""Folder entries one search may list; ``$SIM_MAX_SCAN`` raises or lowers it."""

MAX_DEPTH = 32
"""Folders below the searched one that a search may descend."""

SUFFIXES = (".yaml", ".yml")


class WalkTooLarge(InputError):
    """A folder too large (or too deep) to search for scenarios."""


def scan_limit() -> int:
    """The number of folder entries a search may list: ``$SIM_MAX_SCAN``, else 20,000.

    Raises
    ------
    InputError
        ``$SIM_MAX_SCAN`` is not a positive whole number.
    """
    text = os.environ.get("SIM_MAX_SCAN")
    if text is None:
        return SCAN_LIMIT
    if not text.strip().isdigit() or int(text) < 1:
        raise InputError(f"$SIM_MAX_SCAN: {text!r} is not a positive whole number")
    return int(text)


def scenario_tree(
    folder: Path,
    *,
    skip: Callable[[str], bool] = lambda _: False,
    strict: bool = True,
    what: str | None = None,
) -> list[tuple[Path, list[Path]]]:
    """The YAML files of ``folder`` and of every folder below it, as (folder, its files)
    groups in depth-first order, folders and files sorted by name.

    Parameters
    ----------
    folder
        Where to search.
    skip
        Names of subfolders not to enter (such as ``sweeps``).
    strict
        Whether a folder that cannot be listed is an error (else it is passed over).
    what
        How to name ``folder`` in messages (e.g. ``$SIM_SCENARIOS=/``).

    Raises
    ------
    WalkTooLarge
        More entries than :func:`scan_limit`, or deeper than :data:`MAX_DEPTH`.
    ScenarioError
        With ``strict``, a folder that cannot be listed.
    """
    limit = scan_limit()
    shown = what or f"{display_path(folder)}/"
    top = Path(os.path.realpath(folder))
    seen: set[Path] = set()
    groups: list[tuple[Path, list[Path]]] = []
    scanned = 0

    def visit(here: Path, depth: int) -> None:
        nonlocal scanned
        real = Path(os.path.realpath(here))
        if real in seen or not real.is_relative_to(top):
            return  # walked already (a link back up), or a link out of the folder
        seen.add(real)
        if depth > MAX_DEPTH:
            raise WalkTooLarge(
                f"{shown}: folders nested deeper than {MAX_DEPTH} levels; "
                "name the scenario file or a smaller folder"
            )
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            if strict:
                reason = f"cannot list the folder: {error.strerror or error}"
                raise ScenarioError([Diagnostic(display_path(here), None, "", reason)]) from None
            return
        scanned += len(entries)
        if scanned > limit:
            raise WalkTooLarge(
                f"{shown}: more than {limit:,} entries to search for scenarios; name the "
                "scenario file or a smaller folder (or raise $SIM_MAX_SCAN)"
            )
        files = [
            Path(entry.path)
            for entry in entries
            if Path(entry.name).suffix in SUFFIXES and _regular_inside(entry, top)
        ]
        groups.append((here, files))
        for entry in entries:
            if not skip(entry.name) and _is_folder(entry):
                visit(Path(entry.path), depth + 1)

    visit(folder, 0)
    return groups


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _regular_inside(entry: os.DirEntry[str], top: Path) -> bool:
    """A regular file (through a link only if the link stays inside ``top``)."""
    try:
        if not entry.is_file():
            return False
    except OSError:
        return False
    return not entry.is_symlink() or Path(os.path.realpath(entry.path)).is_relative_to(top)

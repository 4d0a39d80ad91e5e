"""The run manifest: what was run, on which inputs, with which versions, and how it ended."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.errors import InputError, display_path
from sim.experiments.files import sha256, utc_now

MANIFEST = "manifest.json"

KEY_PACKAGES = ("sim", "numpy", "nashpy", "pydantic", "typer", "PyYAML", "scipy")


def versions() -> dict[str, str]:
    """Python and the key packages, as installed."""
    found = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_commit(path: Path) -> str | None:
    """The commit of the repository holding ``path`` (with ``+dirty`` if it has local edits)."""
    folder = path if path.is_dir() else path.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+dirty" if dirty else head


def start_manifest(kind: str, files: list[Path], seed: int | None, **extra: Any) -> dict[str, Any]:
    """A manifest for a run that starts now (status ``running``)."""
    unique = sorted({f.resolve() for f in files})
    return {
        "kind": kind,
        "command": ["sim", *sys.argv[1:]],
        "status": "running",
        "started": utc_now(),
        "finished": None,
        "seed": seed,
        "scenario_files": [{"path": display_path(f), "sha256": sha256(f)} for f in unique],
        "scenarios_commit": git_commit(unique[0]) if unique else None,
        "versions": versions(),
        **extra,
    }


def finish_manifest(manifest: dict[str, Any], status: str, **extra: Any) -> dict[str, Any]:
    return {**manifest, "status": status, "finished": utc_now(), **extra}


def read_manifest(folder: Path, context: str) -> dict[str, Any]:
    """A run folder's manifest; ``context`` begins the message when there is none to read.

    Raises
    ------
    InputError
        No manifest, or one that is not JSON.
    """
    path = folder / MANIFEST
    if not path.is_file():
        raise InputError(f"{context}: not a run folder (no {MANIFEST})")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{display_path(path)}: not valid JSON ({error})") from None
    return manifest

"""The run manifest: what was run, on which inputs, with which versions, and how it ended."""

from __future__ import annotations

import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.errors import display_path
from sim.experiments.files import sha256, utc_now

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

"""The run manifest: what was run, on which inputs, with which versions, and how it ended."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.errors import InputError, display_path
from sim.runs.files import sha256, storage_error, utc_now

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
        "scenario_files": [
            {"path": display_path(f), "absolute": str(f), "sha256": sha256(f)} for f in unique
        ],
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
        No manifest, one that is not UTF-8 JSON, or not of a manifest's shape (a mapping
        whose ``keys`` and ``ids``, when present, are lists of column names).
    """
    path = folder / MANIFEST
    if not path.is_file():
        from sim.runs.files import abandoned_claim

        claim = abandoned_claim(folder)
        if claim is not None:
            raise InputError(
                f"{context}: no {MANIFEST}: the run that claimed this folder ({claim}) "
                "stopped before it wrote one, so nothing was computed; start it again with "
                f"--out {display_path(folder)} (the folder is reused) or delete the folder"
            )
        raise InputError(f"{context}: not a run folder (no {MANIFEST})")
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise storage_error(path, error, "cannot read") from None
    except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError
        raise InputError(f"{display_path(path)}: not valid JSON ({error})") from None
    if not isinstance(manifest, dict):
        kind = type(manifest).__name__
        raise InputError(f"{display_path(path)}: not a manifest (a {kind}, not a mapping)")
    for field in ("keys", "ids"):
        value = manifest.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{display_path(path)}: {field}: must be a list of column names")
    for field in ("kind", "status"):
        if not isinstance(manifest.get(field, ""), str):
            raise InputError(f"{display_path(path)}: {field}: must be a string")
    return manifest


def input_record(path: Path, given: str | None = None) -> dict[str, str]:
    """An input file as a manifest pins it: the path as given, absolute, and its sha256."""
    return {
        "given": str(path) if given is None else given,
        "absolute": str(path.resolve()),
        "sha256": sha256(path),
    }


def plain_document(document: Any) -> Any:
    """A scenario document as JSON holds it (dates become ISO text)."""
    return json.loads(json.dumps(document, default=str, ensure_ascii=False))


def document_sha256(document: Any) -> str:
    """The sha256 of a document in canonical JSON (sorted keys, no spaces, dates as text)."""
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def changed_inputs(recorded: list[dict[str, str]]) -> list[str]:
    """One line per pinned input file that is gone or whose content changed."""
    problems = []
    for item in recorded:
        path = Path(item["absolute"])
        try:
            now = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as error:
            problems.append(f"{item['absolute']}: cannot read ({error.strerror})")
            continue
        if now != item["sha256"]:
            problems.append(
                f"{item['absolute']}: changed since the run started "
                f"(recorded sha256 {item['sha256']}, now {now})"
            )
    return problems

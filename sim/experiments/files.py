"""Writing results safely: atomic file replacement and run folders that are never reused."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.errors import InputError, display_path


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old content or the new, never a part of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would create it, not mkstemp's 0600
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def document_text(document: Any) -> str:
    """A JSON document as written to a run folder."""
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_json(path: Path, document: Any) -> None:
    write_atomic(path, document_text(document))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_run_folder(results: Path, label: str, out: Path | None = None) -> Path:
    """Create an empty run folder: ``out`` if given, else ``results/<UTC timestamp>-<label>``.

    An existing folder is never reused: ``out`` must not exist (or be empty), and a timestamped
    name that is taken gets a numeric suffix.

    Raises
    ------
    InputError
        ``out`` exists and is not an empty folder.
    """
    if out is not None:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise InputError(
                f"--out {display_path(out)}: already exists; a run is never overwritten"
            )
        out.mkdir(parents=True, exist_ok=True)
        return out
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        folder = results / f"{stamp}-{label}{suffix}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise InputError(f"{display_path(results)}: cannot find a free run folder name for {label}")

"""Writing results safely: atomic file replacement, run folders claimed atomically and locked.

A run folder is claimed by creating it (``mkdir`` of its final name, which fails if the name is
taken) or, for an existing empty ``--out`` folder, by creating its lock file with ``O_EXCL``.
The lock file ``.lock`` names the holder (pid, host, start time); a writer holds an exclusive
``flock`` on it for as long as it writes, which the kernel releases when the writer ends,
however it ends.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sim.errors import InputError, display_path
from sim.writing import TEMPORARY_SUFFIX
from sim.writing import StorageError as StorageError  # re-exported: raised by run folders
from sim.writing import remove_stray_temporaries as remove_temporaries
from sim.writing import storage_error as storage_error
from sim.writing import write_atomic as write_atomic

LOCK = ".lock"


def remove_stray_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files a killed writer left in a run folder (call under its lock)."""
    return [*remove_temporaries(folder), *remove_temporaries(folder / "outcomes")]


def document_text(document: Any, compact: bool = False) -> str:
    """A JSON document as written to a run folder: indented for people, or ``compact`` (one
    line, written several times as fast: a sweep writes one per point)."""
    if compact:
        return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def read_document(path: Path, key: str) -> dict[str, Any] | None:
    """A JSON document of a run folder that holds a mapping under ``key`` (``summary.json``'s
    ``scenarios``, ``analysis.json``'s ``outcomes``); None when the file is not there.

    Raises
    ------
    InputError
        The file is not JSON, or not a mapping with a mapping under ``key`` (the file and the
        field named).
    """
    if not path.is_file():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{display_path(path)}: not valid JSON ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get(key), dict):
        raise InputError(f"{display_path(path)}: {key}: missing or not a mapping")
    return document


def write_json(path: Path, document: Any) -> None:
    write_atomic(path, document_text(document))


def sha256(path: Path) -> str:
    """The sha256 of a file's bytes.

    Raises
    ------
    StorageError
        The file cannot be read.
    """
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise storage_error(path, error, "cannot read") from None


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def holder() -> dict[str, Any]:
    """Who holds a lock: this process."""
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": utc_now()}


def read_holder(folder: Path) -> dict[str, Any] | None:
    """The holder recorded in a run folder's lock file, if it can be read."""
    try:
        data = json.loads((folder / LOCK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _holder_soon(folder: Path, wait: float = 1.0) -> dict[str, Any] | None:
    """The holder of a lock just taken by another process, which writes its name right after
    taking it: read again for up to ``wait`` seconds while the file is still empty."""
    deadline = time.monotonic() + wait
    while True:
        found = read_holder(folder)
        if found is not None or not (folder / LOCK).exists() or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


def holder_text(found: dict[str, Any] | None) -> str:
    if found is None:
        return "another process"
    return f"pid {found.get('pid')} on {found.get('host')} since {found.get('started')}"


class RunLock:
    """An exclusive lock on a run folder, held until :meth:`release` (or the process ends)."""

    def __init__(self, folder: Path, descriptor: int) -> None:
        self.folder = folder
        self._descriptor: int | None = descriptor

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing the file releases its flock
            self._descriptor = None

    def __enter__(self) -> RunLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


def _take(folder: Path, descriptor: int, context: str) -> RunLock:
    """Lock an open lock file and record this process as its holder."""
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        os.close(descriptor)
        if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise InputError(
                f"{context}: in use by {holder_text(_holder_soon(folder))}; "
                "two writers never share a run folder"
            ) from None
        raise storage_error(folder / LOCK, error, "cannot lock") from None
    try:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, (json.dumps(holder()) + "\n").encode(), 0)
    except OSError as error:
        os.close(descriptor)
        raise storage_error(folder / LOCK, error) from None
    return RunLock(folder, descriptor)


def lock_run_folder(folder: Path, context: str | None = None) -> RunLock:
    """Lock an existing run folder (for --resume); a second writer gets a clear refusal.

    Raises
    ------
    InputError
        Another live process holds the folder (the message names it).
    StorageError
        The lock file cannot be created.
    """
    context = context or display_path(folder)
    try:
        descriptor = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise storage_error(folder / LOCK, error) from None
    return _take(folder, descriptor, context)


def claim_run_folder(results: Path, label: str, out: Path | None = None) -> RunLock:
    """Claim a new run folder atomically and lock it: ``out`` if given (it must not exist, or
    be an empty folder), else ``results/<UTC timestamp>-<label>`` (a numeric suffix when the
    name is taken).

    Raises
    ------
    InputError
        ``out`` exists and is not an empty folder, or another process claimed it first.
    StorageError
        The folder cannot be created.
    """
    if out is not None:
        return _claim(out, f"--out {display_path(out)}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        results.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise storage_error(results, error, "cannot create") from None
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        folder = results / f"{stamp}-{label}{suffix}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        except OSError as error:
            raise storage_error(folder, error, "cannot create") from None
        return _lock_new(folder, display_path(folder))
    raise InputError(f"{display_path(results)}: cannot find a free run folder name for {label}")


def _claim(out: Path, context: str) -> RunLock:
    taken = f"{context}: already exists; a run is never overwritten"
    if out.is_symlink() and not out.exists():
        raise InputError(f"{context}: a dangling symbolic link; give a new folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.mkdir()
    except FileExistsError:
        if not out.is_dir():
            raise InputError(taken) from None
        try:
            empty = not any(out.iterdir())
        except OSError as error:
            raise storage_error(out, error, "cannot read") from None
        if not empty and _abandoned(out):
            return _reuse(out, context)
        if not empty:
            found = _holder_soon(out)
            raise InputError(
                taken if found is None else f"{taken} (claimed by {holder_text(found)})"
            ) from None
    except OSError as error:
        raise storage_error(out, error, "cannot create") from None
    return _lock_new(out, context)


def _abandoned(folder: Path) -> bool:
    return abandoned_claim(folder) is not None


def abandoned_claim(folder: Path) -> str | None:
    """If ``folder`` holds only a claim (its lock file, and temporary files) whose process is
    gone, who made it (for messages); else None."""
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return None
    if LOCK not in names or any(n != LOCK and not n.endswith(TEMPORARY_SUFFIX) for n in names):
        return None
    if lock_is_held(folder) is not False:
        return None
    found = read_holder(folder)
    if found is None:
        return "a process that ended"
    pid = found.get("pid")
    if found.get("host") != socket.gethostname() or (type(pid) is int and process_alive(pid)):
        return None  # alive (a run releases the lock once claimed), or cannot be checked
    return f"pid {pid} on {found.get('host')} at {found.get('started')}, now ended"


def _reuse(folder: Path, context: str) -> RunLock:
    """Take over a folder holding only the claim of a process that ended before it wrote a
    manifest: lock it, check again under the lock, drop the temporary files."""
    lock = lock_run_folder(folder, context)
    try:
        left = [p.name for p in folder.iterdir() if p.name != LOCK]
    except OSError as error:
        lock.release()
        raise storage_error(folder, error, "cannot read") from None
    if any(not name.endswith(".tmp") for name in left):  # another process reused it first
        lock.release()
        raise InputError(f"{context}: already exists; a run is never overwritten")
    remove_stray_temporaries(folder)
    return lock


def _lock_new(folder: Path, context: str) -> RunLock:
    """Create the lock file with O_EXCL: of two processes claiming one folder, one wins."""
    try:
        descriptor = os.open(
            folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644
        )
    except FileExistsError:
        found = _holder_soon(folder)
        raise InputError(
            f"{context}: already exists; a run is never overwritten "
            f"(claimed by {holder_text(found)})"
        ) from None
    except OSError as error:
        raise storage_error(folder / LOCK, error) from None
    return _take(folder, descriptor, context)


def new_run_folder(results: Path, label: str, out: Path | None = None) -> Path:
    """Claim a new, empty run folder atomically (see :func:`claim_run_folder`); the lock is
    released at once, the claim (its lock file, naming this process) stays.

    Raises
    ------
    InputError
        ``out`` exists and is not an empty folder, or another process claimed it first.
    """
    with claim_run_folder(results, label, out) as lock:
        return lock.folder


def lock_is_held(folder: Path) -> bool | None:
    """Whether a live process holds the folder's lock (None: no lock file to test)."""
    try:
        descriptor = os.open(folder / LOCK, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(descriptor)
    return False


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def results_folder() -> Path:
    """Where run folders go when no folder is given: ``$SIM_RESULTS``, else ``results/`` in
    the current directory (the same default for `sim run`, `sim sweep`, `sim uncertainty`,
    `sim runs` and the Python API)."""
    return Path(os.environ.get("SIM_RESULTS", "results"))

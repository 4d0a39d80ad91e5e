"""The one way sim writes a file: atomically, exclusively, never through a symlink.

Every command that writes a file (run folders, reports, figures, imports, exports, reference
tables) goes through :func:`atomic_file` or :func:`write_atomic`:

1. The target's folder is locked (an exclusive ``flock`` on the folder itself), so that two
   processes writing into one folder are serialised: of two concurrent writers of one file,
   one writes and renames completely before the other starts, never a mix. A writer that
   cannot get the lock within :data:`LOCK_WAIT` seconds is refused with a message.
2. What is at the path is checked under that lock: only a regular file is ever replaced (a
   folder, a symlink, a device node or a pipe is refused), and only when ``overwrite``.
3. The content goes to a new temporary file in the same folder, with a name no other writer
   uses, created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` (a file or symlink planted at that
   name makes the creation fail instead of being followed), written in full (a short write is
   an error), flushed and ``fsync``-ed.
4. It is renamed over the target (``os.replace``), or, without ``overwrite``, hard-linked to
   it (``os.link`` fails if the name was taken meanwhile: no race between the check and the
   write). The folder is then ``fsync``-ed, so that the new name survives a crash.

Any failure leaves the old content in place, removes the temporary file and raises
:class:`StorageError` (exit status 2 on the command line) naming the target and the reason.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from sim.errors import InputError, display_path

LOCK_WAIT = 30.0
"""Seconds a writer waits for another writer of the same folder before it is refused."""

_NO_LINKS = (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK)
"""Errors of ``os.link`` on file systems without hard links."""

TEMPORARY_SUFFIX = ".tmp"
"""Temporary files are ``.<target name>.<random>.tmp``, beside the target."""


class StorageError(InputError):
    """The machine, not the input, failed: a file could not be written or read (disk full,
    permission denied, read-only file system). Nothing is recorded as a result."""


def storage_error(path: Path, error: OSError, action: str = "cannot write") -> StorageError:
    """A one-line message naming the file and the system's reason."""
    reason = error.strerror or type(error).__name__
    return StorageError(f"{display_path(path)}: {action}: {reason}")


def replaceable(path: Path, overwrite: bool) -> None:
    """Refuse to write ``path`` unless nothing is there, or a regular file and ``overwrite``.

    Raises
    ------
    StorageError
        Something other than a regular file is at ``path``, or a file and not ``overwrite``.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise storage_error(path, error) from None
    shown = display_path(path)
    if stat.S_ISLNK(mode):
        raise StorageError(f"{shown}: is a symbolic link; only a regular file is replaced")
    if stat.S_ISDIR(mode):
        raise StorageError(f"{shown}: is a folder; only a regular file is replaced")
    if not stat.S_ISREG(mode):
        raise StorageError(
            f"{shown}: is a {_kind(mode)}, not a regular file; only a regular file is replaced"
        )
    if not overwrite:
        raise StorageError(f"{shown}: exists; give --force to overwrite it")


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device node"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


@contextlib.contextmanager
def folder_lock(folder: Path, target: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` (serialising the writers of its files).

    A folder that cannot be opened for reading, or a file system that cannot lock folders, is
    written unlocked (the other guarantees hold).

    Raises
    ------
    StorageError
        Another process held the lock for ``wait`` seconds (default :data:`LOCK_WAIT`).
    """
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        yield  # a folder that cannot be opened for reading: written unlocked (the write
        return  # itself says if the folder cannot be written)
    wait = LOCK_WAIT if wait is None else wait
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StorageError(
                        f"{display_path(target)}: another process has been writing in "
                        f"{display_path(folder)}/ for {wait:g} s; try again when it is done"
                    ) from None
                time.sleep(0.01)
            except OSError:
                break  # no flock on this file system
        yield
    finally:
        os.close(handle)  # releases the lock


def _temporary(folder: Path, name: str) -> tuple[int, Path]:
    """A new file in ``folder`` no other writer uses, created exclusively, never through a
    link; mode 0666 less the umask, as ``open`` would create the target itself."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        temporary = folder / f".{name}.{secrets.token_hex(8)}{TEMPORARY_SUFFIX}"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _sync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(handle)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


@contextlib.contextmanager
def atomic_file(
    path: Path,
    *,
    overwrite: bool = True,
    sync: bool = True,
    check: Callable[[Path], None] | None = None,
) -> Iterator[IO[bytes]]:
    """A binary stream whose content replaces ``path`` when the block ends without error.

    ``check`` is called with the temporary file's path, once it is complete and before it
    takes the target's name (an import checks the scenario it wrote); what it raises is
    raised and the target is left as it was. See the module's docstring for the steps.

    Raises
    ------
    StorageError
        A write or rename failed, or ``path`` may not be replaced (:func:`replaceable`).
    """
    folder = path.parent
    temporary: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with folder_lock(folder, path):
            replaceable(path, overwrite)
            handle, temporary = _temporary(folder, path.name)
            with os.fdopen(handle, "wb") as stream:
                yield stream
                stream.flush()
                if sync:
                    os.fsync(stream.fileno())
            if check is not None:
                check(temporary)
            if overwrite:
                replaceable(path, overwrite)  # still a regular file (or nothing)
                os.replace(temporary, path)
            else:
                try:
                    os.link(temporary, path, follow_symlinks=False)  # fails if the name is taken
                except FileExistsError:
                    raise StorageError(
                        f"{display_path(path)}: exists; give --force to overwrite it"
                    ) from None
                except OSError as error:
                    if error.errno not in _NO_LINKS:
                        raise
                    replaceable(path, overwrite)  # no hard links here: checked under the lock
                    os.replace(temporary, path)
                else:
                    temporary.unlink()
            temporary = None
            if sync:
                _sync_folder(folder)
    except OSError as error:
        raise storage_error(path, error) from None
    finally:
        if temporary is not None:
            _remove_quietly(temporary)


def write_atomic(
    path: Path,
    content: str | bytes,
    *,
    overwrite: bool = True,
    sync: bool = True,
    check: Callable[[Path], None] | None = None,
) -> None:
    """Write ``content`` (text is written as UTF-8) so that readers see the old file or the
    new one, never a part, and never through a symlink; see :func:`atomic_file`.

    Raises
    ------
    StorageError
        The file cannot be written (the old content, if any, is kept), or may not be replaced.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_file(path, overwrite=overwrite, sync=sync, check=check) as stream:
        view = memoryview(data)
        while view:
            written = stream.write(view)
            if not written:
                raise OSError(errno.EIO, "short write: the file system took no more bytes")
            view = view[written:]


@contextlib.contextmanager
def atomic_text(path: Path, *, overwrite: bool = True) -> Iterator[IO[str]]:
    """:func:`atomic_file` as a UTF-8 text stream (no newline translation)."""
    with atomic_file(path, overwrite=overwrite) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
        try:
            yield text
            text.flush()
        finally:
            text.detach()


def remove_stray_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files a killed writer left in ``folder`` (call under its lock)."""
    removed = []
    if folder.is_dir():
        for stray in folder.glob(f".*{TEMPORARY_SUFFIX}"):
            _remove_quietly(stray)
            removed.append(stray)
    return removed

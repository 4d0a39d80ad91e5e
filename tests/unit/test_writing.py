"""The one atomic-write helper: what it refuses, what it never follows, what it leaves behind.

Each claim is checked against a mutant (a plausible wrong writer) that the same check catches.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from sim import writing
from sim.writing import StorageError, write_atomic

Writer = Callable[[Path, bytes], None]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_the_content_with_the_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    write_atomic(target, "héllo\n")
    assert target.read_bytes() == "héllo\n".encode()
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert _leftovers(target.parent) == []


@pytest.mark.parametrize("kind", ["folder", "symlink", "dangling", "fifo", "device"])
def test_only_a_regular_file_is_replaced(tmp_path: Path, kind: str) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    target = tmp_path / "out"
    if kind == "folder":
        target.mkdir()
    elif kind == "symlink":
        target.symlink_to(victim)
    elif kind == "dangling":
        target.symlink_to(tmp_path / "nowhere")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = Path("/dev/null")
    with pytest.raises(StorageError, match="only a regular file is replaced"):
        write_atomic(target, "new", overwrite=True, sync=False)
    assert victim.read_text() == "keep"
    assert not (tmp_path / "nowhere").exists()
    assert _leftovers(tmp_path) == []


def test_without_overwrite_an_existing_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("old")
    with pytest.raises(StorageError, match="exists; give --force"):
        write_atomic(target, "new", overwrite=False)
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_name_taken_between_the_check_and_the_write_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without overwrite the file takes its name by ``link``, which fails if another writer
    created it after the check: the other writer's content stays."""
    target = tmp_path / "out"
    checked = writing.replaceable

    def racing_check(path: Path, overwrite: bool) -> None:
        checked(path, overwrite)
        if not target.exists():
            target.write_text("the other writer's")

    monkeypatch.setattr(writing, "replaceable", racing_check)
    with pytest.raises(StorageError, match="exists; give --force"):
        write_atomic(target, "mine", overwrite=False)
    assert target.read_text() == "the other writer's"
    assert _leftovers(tmp_path) == []


def _planted_link_survives(tmp_path: Path, writer: Writer, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Plant a symlink at the first temporary name the writer will try; True when the file
    the link points to is left untouched and the target still gets the content."""
    victim = tmp_path / "victim"
    victim.write_text("keep")
    names = iter(["aaaa", "bbbb", "cccc"])
    monkeypatch.setattr(writing.secrets, "token_hex", lambda _: next(names))
    (tmp_path / ".out.aaaa.tmp").symlink_to(victim)
    target = tmp_path / "out"
    try:
        writer(target, b"new")
    except StorageError:
        pass
    return victim.read_text() == "keep" and target.read_bytes() == b"new"


def _following_writer(path: Path, content: bytes) -> None:
    """A mutant: the temporary file is opened without O_EXCL | O_NOFOLLOW."""
    temporary = path.parent / f".{path.name}.{writing.secrets.token_hex(8)}.tmp"
    with open(temporary, "wb") as stream:
        stream.write(content)
    os.replace(temporary, path)


def test_a_link_planted_at_a_temporary_name_is_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    assert _planted_link_survives(real, lambda p, c: write_atomic(p, c), monkeypatch)
    mutant = tmp_path / "mutant"
    mutant.mkdir()
    assert not _planted_link_survives(mutant, _following_writer, monkeypatch)


def test_a_failed_check_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("old")

    def refuse(written: Path) -> None:
        assert written.read_text() == "new" and written != target
        raise StorageError("refused by the check")

    with pytest.raises(StorageError, match="refused by the check"):
        write_atomic(target, "new", check=refuse)
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_write_that_fails_midway_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing ``fsync`` (as on a full or failing disk) is a StorageError naming the
    target; the old content stays and no temporary file is left."""
    target = tmp_path / "out"
    target.write_text("old")

    def failing(_: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writing.os, "fsync", failing)
    with pytest.raises(StorageError, match="out: cannot write: No space left on device"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_stream_that_accepts_no_bytes_is_a_short_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    target.write_text("old")
    real_fdopen = os.fdopen

    class Stalled:
        def __init__(self, stream: object) -> None:
            self.stream = stream

        def write(self, _: object) -> int:
            return 0

        def __getattr__(self, name: str) -> object:
            return getattr(self.stream, name)

        def __enter__(self) -> Stalled:
            return self

        def __exit__(self, *_: object) -> None:
            self.stream.close()  # type: ignore[attr-defined]

    monkeypatch.setattr(writing.os, "fdopen", lambda *a, **k: Stalled(real_fdopen(*a, **k)))
    with pytest.raises(StorageError, match="short write"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_writer_waits_for_the_folder_lock_then_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another holder of the folder's lock (here a second open file description, as another
    process would have) keeps the writer waiting; past the wait it is refused, nothing
    written."""
    import fcntl

    monkeypatch.setattr(writing, "LOCK_WAIT", 0.2)
    handle = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        with pytest.raises(StorageError, match="another process has been writing"):
            write_atomic(tmp_path / "out", "new")
    finally:
        os.close(handle)
    assert not (tmp_path / "out").exists() and _leftovers(tmp_path) == []
    write_atomic(tmp_path / "out", "new")  # once released, the write goes through
    assert (tmp_path / "out").read_text() == "new"

"""A sweep worker process: ``python -m sim.runs.worker PARENT_PID``.

It reads length-prefixed pickled messages from its standard input and answers each batch on
its standard output. It exits when its input ends (the parent closed it, or the parent is
gone), at once, having nothing of its own to clean up; and, on Linux, the moment its parent
dies, however the parent dies (a parent-death signal set with ``prctl``), so no worker
outlives the sweep that started it. Being started as a module, it never imports the
parent's ``__main__``.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import struct
import sys
import traceback
from typing import IO, Any

HEADER = struct.Struct("!Q")
PR_SET_PDEATHSIG = 1


def send(stream: IO[bytes], message: Any) -> None:
    """Write one message (a length, then a pickle)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    write_all(stream, HEADER.pack(len(data)) + data)


def write_all(stream: IO[bytes], data: bytes) -> None:
    """Write every byte of ``data`` and flush. An unbuffered pipe's ``write`` may take only
    part of a large message (when a signal interrupts it, say) and says how much it took;
    the rest is written until none is left, or the reader would wait for it for ever."""
    view = memoryview(data)
    while view:
        written = stream.write(view)
        view = view[written or 0 :]
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """Read one message; None at the end of the stream (or a message cut short)."""
    header = _exactly(stream, HEADER.size)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    data = _exactly(stream, size)
    return None if data is None else pickle.loads(data)


def _exactly(stream: IO[bytes], size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent ends (Linux); exit now if the
    parent already ended before the request was made."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(0)


def main() -> None:
    from sim.startup import keep_freed_memory

    parent = int(sys.argv[1]) if len(sys.argv) > 1 else os.getppid()
    die_with_parent(parent)
    keep_freed_memory()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the replies
    base: Any = None
    while True:
        message = receive(requests)
        if message is None:  # done: exit at once, skipping the interpreter's clean-up of
            sys.stderr.flush()  # every module and array (about 60 ms the sweep would wait)
            os._exit(0)
        kind, payload = message
        if kind == "base":
            base = payload
            continue
        task, plan, batch = payload
        try:
            reply: tuple[str, Any] = ("ok", task(base, plan, batch))
        except Exception as error:
            lines = traceback.format_exception_only(type(error), error)
            reply = ("error", "".join(lines).strip())
        send(replies, reply)


if __name__ == "__main__":
    main()

"""Messages between a sweep or uncertainty run and its worker processes arrive whole, even
when signals interrupt the writing of a large one (an unbuffered pipe's ``write`` then takes
only part of it)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import pytest

from sim.runs import worker
from sim.runs.worker import receive, send

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="interval timers and their signals are POSIX"
)

MESSAGE = ("base", b"x" * 20_000_000)


@contextmanager
def interrupted_every_millisecond() -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, lambda *args: None)
    signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, previous)


def through_a_pipe(write: Callable[[IO[bytes], Any], None]) -> Any:
    """What a slow reader receives of ``MESSAGE`` written by ``write`` into an unbuffered
    pipe, as a worker's input is written, while a signal arrives every millisecond."""
    r, w = os.pipe()
    requests, replies = open(w, "wb", buffering=0), open(r, "rb", buffering=0)
    received: list[Any] = []

    class Slow:
        def read(self, size: int) -> bytes:
            time.sleep(0.0002)
            return replies.read(min(size, 65536))

    reader = threading.Thread(target=lambda: received.append(receive(Slow())))  # type: ignore[arg-type]
    reader.start()
    with interrupted_every_millisecond():
        write(requests, MESSAGE)
    requests.close()
    reader.join(timeout=60)
    replies.close()
    return received[0]


def test_a_large_message_interrupted_by_signals_arrives_whole() -> None:
    assert through_a_pipe(send) == MESSAGE


def test_a_single_write_loses_the_rest() -> None:
    """The test above can fail: writing the message with one ``write`` (as before) delivers
    only the part the interrupted call took, and the reader never gets the message."""

    def once(stream: IO[bytes], data: bytes) -> None:
        stream.write(data)
        stream.flush()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worker, "write_all", once)
        assert through_a_pipe(send) is None


class Trickle:
    """A stream that takes at most seven bytes a call, and sometimes none."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.calls = 0

    def write(self, data: memoryview) -> int | None:
        self.calls += 1
        if self.calls % 5 == 0:
            return None
        taken = bytes(data[:7])
        self.data += taken
        return len(taken)

    def flush(self) -> None:
        pass


def test_every_byte_is_written_however_little_each_write_takes() -> None:
    stream = Trickle()
    send(stream, {"batch": list(range(100))})  # type: ignore[arg-type]

    class Source:
        def __init__(self, data: bytes) -> None:
            self.data = data

        def read(self, size: int) -> bytes:
            taken, self.data = self.data[:size], self.data[size:]
            return taken

    assert receive(Source(bytes(stream.data))) == {"batch": list(range(100))}  # type: ignore[arg-type]

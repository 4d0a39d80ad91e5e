"""Progress of `sim uncertainty`: a bar with rate and ETA on a terminal, log lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any


class DrawProgress:
    """A ``(done, total)`` callback over every scenario's draws; the bar starts at the first
    report (the total is known only once the scenarios are loaded). Use as a context manager."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.monotonic()
        self.last = 0.0
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[int, int], None]:
        return self.update

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def update(self, done: int, total: int) -> None:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = done / elapsed
        if self.stream.isatty():
            if self.bar is None:
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeElapsedColumn,
                    TimeRemainingColumn,
                )

                self.bar = Progress(
                    TextColumn("draws"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"),
                    TimeElapsedColumn(),
                    TimeRemainingColumn(),
                    transient=False,
                )
                self.bar.start()
                self.task = self.bar.add_task("draws", total=total, rate="")
            self.bar.update(self.task, completed=done, rate=f"{rate:,.0f} draws/s")
            return
        now = time.monotonic()
        if done != total and now - self.last < 5.0:
            return
        self.last = now
        eta = (total - done) / rate if rate > 0 else float("nan")
        print(
            f"uncertainty: {done:,}/{total:,} draws, {rate:,.0f} draws/s, eta {eta:.0f} s",
            file=self.stream,
            flush=True,
        )

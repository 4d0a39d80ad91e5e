"""Progress of long commands (sweeps, uncertainty runs): a bar with rate and ETA on a terminal,
a log line at most every five seconds otherwise. The one progress bar of the command line."""

from __future__ import annotations

import sys
import time
from typing import Any

LOG_EVERY = 5.0
"""Seconds between log lines when standard error is not a terminal."""


class ProgressBar:
    """A ``update(done, total, failed=0)`` callback over ``unit`` (e.g. ``points``, ``draws``),
    labelled ``label``; the bar starts at the first update (a total may be known only then).
    Use as a context manager, which yields the callback. With ``resumable``, the first update
    reports what was done before (a resumed sweep), and the rate counts from there.

    >>> import io
    >>> stream = io.StringIO()
    >>> with ProgressBar("sweep", "points", stream=stream, failures=True, resumable=True) as update:
    ...     update(3, 3, 1)
    >>> stream.getvalue().split(", eta")[0].rsplit(",", 1)[0]
    'sweep: 3/3 points, 1 failed'
    """

    def __init__(
        self,
        label: str,
        unit: str,
        *,
        stream: Any = None,
        failures: bool = False,
        resumable: bool = False,
    ) -> None:
        self.label, self.unit, self.failures = label, unit, failures
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.monotonic()
        self.last = float("-inf")
        self.first: int | None = None if resumable else 0
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, done: int, total: int, failed: int = 0) -> None:
        self.update(done, total, failed)

    def _rate(self, done: int) -> float:
        if self.first is None:
            self.first = done  # what a resumed run had done before does not count
        return (done - self.first) / max(time.monotonic() - self.start, 1e-9)

    def update(self, done: int, total: int, failed: int = 0) -> None:
        rate = self._rate(done)
        failures = f"{failed:,} failed" if self.failures and failed else ""
        if self.stream.isatty():
            self._draw(done, total, rate, failures)
            return
        now = time.monotonic()
        if done not in (self.first, total) and now - self.last < LOG_EVERY:
            return
        self.last = now
        remaining = (total - done) / rate if rate > 0 else 0.0 if done >= total else None
        eta = "eta unknown" if remaining is None else f"eta {remaining:.0f} s"
        counted = f", {failed:,} failed" if self.failures else ""
        print(
            f"{self.label}: {done:,}/{total:,} {self.unit}{counted}, "
            f"{rate:,.1f} {self.unit}/s, {eta}",
            file=self.stream,
            flush=True,
        )

    def _draw(self, done: int, total: int, rate: float, failures: str) -> None:
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
                TextColumn(self.label),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[failed]}"),
                transient=False,
                console=None,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total, rate="", failed="")
        self.bar.update(
            self.task,
            completed=done,
            total=total,
            rate=f"{rate:,.1f} {self.unit}/s",
            failed=failures,
        )

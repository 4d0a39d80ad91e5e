"""Sweep progress: a bar with rate and ETA on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_reporter(total: int) -> Iterator[Callable[[int, int, int], None]]:
    """A callback ``(finished, total, failed)`` that shows progress on stderr."""
    if sys.stderr.isatty():
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("sweep"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failed]}"),
        )
        start = time.monotonic()
        with Progress(*columns, transient=False) as bar:
            task = bar.add_task("sweep", total=total, rate="", failed="")
            first: list[int] = []

            def update(finished: int, _total: int, failed: int) -> None:
                if not first:
                    first.append(finished)
                elapsed = max(time.monotonic() - start, 1e-9)
                rate = (finished - first[0]) / elapsed
                bar.update(
                    task,
                    completed=finished,
                    rate=f"{rate:.1f} points/s",
                    failed=f"{failed} failed" if failed else "",
                )

            yield update
        return
    start = time.monotonic()
    last = [0.0]
    seen: list[int] = []

    def log(finished: int, _total: int, failed: int) -> None:
        now = time.monotonic()
        if not seen:
            seen.append(finished)
        if finished not in (seen[0], total) and now - last[0] < 5.0:
            return
        last[0] = now
        rate = (finished - seen[0]) / max(now - start, 1e-9)
        remaining = (total - finished) / rate if rate > 0 else 0.0 if finished >= total else None
        eta = "eta unknown" if remaining is None else f"eta {remaining:.0f} s"
        print(
            f"sweep: {finished}/{total} points, {failed} failed, {rate:.1f} points/s, {eta}",
            file=sys.stderr,
            flush=True,
        )

    yield log

"""Where sweep points are evaluated: in this process, in local processes, or on Dask."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from typing import Any

from sim.errors import InputError

EXECUTORS = ("serial", "processes", "dask")

Result = tuple[int, dict[str, Any], str | None]
"""A point's index, its table row, and its outcome document as JSON text (None if it failed)."""

Task = Callable[[str, dict[str, Any], list[tuple[int, dict[str, Any]]]], list[Result]]


def batches(indices: list[int], workers: int, per_worker: int = 8) -> list[list[int]]:
    """Split pending points into batches: a few per worker, so per-task overhead stays small
    while the load still balances.

    Examples
    --------
    >>> batches(list(range(10)), 2, per_worker=2)
    [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]
    """
    count = max(1, min(len(indices), workers * per_worker))
    size, extra = divmod(len(indices), count)
    out, start = [], 0
    for b in range(count):
        end = start + size + (1 if b < extra else 0)
        if end > start:
            out.append(indices[start:end])
        start = end
    return out


def run_batches(
    task: Task,
    base: str,
    plan: dict[str, Any],
    work: list[list[tuple[int, dict[str, Any]]]],
    executor: str,
    workers: int | None,
    scheduler: str | None,
) -> Iterator[list[Result]]:
    """Yield each batch's results as it finishes."""
    if executor == "serial":
        for batch in work:
            yield task(base, plan, batch)
    elif executor == "processes":
        count = workers or os.cpu_count() or 1
        with single_threaded_children():
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(
                max_workers=count, mp_context=context, initializer=ignore_interrupts
            ) as pool:
                yield from _as_completed([pool.submit(task, base, plan, b) for b in work])
    elif executor == "dask":
        yield from _dask(task, base, plan, work, workers, scheduler)
    else:
        raise InputError(
            f"--executor: unknown executor {executor!r} (known: {', '.join(EXECUTORS)})"
        )


def ignore_interrupts() -> None:
    """In a worker: leave Ctrl-C to the parent, which stops the sweep and saves its rows."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def single_threaded_children() -> Iterator[None]:
    """Start worker processes with one BLAS thread each: a worker per core already uses
    every core, and more threads than cores slow the small linear algebra of a point."""
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _as_completed(futures: list[Future[list[Result]]]) -> Iterator[list[Result]]:
    pending = set(futures)
    try:
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        for future in pending:
            future.cancel()


def _dask(
    task: Task,
    base: str,
    plan: dict[str, Any],
    work: list[list[tuple[int, dict[str, Any]]]],
    workers: int | None,
    scheduler: str | None,
) -> Iterator[list[Result]]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError("--executor dask needs Dask: pip install -e '.[dask]'") from None
    cluster = None
    stack = ExitStack()
    try:
        if scheduler is None:
            stack.enter_context(single_threaded_children())
        if scheduler is not None:
            try:
                client = Client(scheduler, timeout="5s")
            except (OSError, TimeoutError) as error:
                raise InputError(f"--scheduler {scheduler}: cannot connect ({error})") from None
        else:
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
        with client:
            futures = [client.submit(task, base, plan, b, pure=False) for b in work]
            for future in as_completed(futures):
                yield future.result()
    finally:
        if cluster is not None:
            cluster.close()
        stack.close()

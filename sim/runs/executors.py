"""Where sweep points are evaluated: in this process, in worker processes, or on Dask.

Every executor gets the base scenario itself (never a path): worker processes receive it once
when they start, a Dask cluster once by broadcast. Workers only compute and return results;
the client alone writes the run folder.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

from sim.errors import InputError
from sim.optional import optional_module
from sim.runs.limits import Limits
from sim.runs.worker import receive, send, write_all

EXECUTORS = ("serial", "processes", "dask")

Result = tuple[int, dict[str, Any], str | None]
"""A point's index, its table row, and its outcome document as JSON text (None if it failed)."""

Batch = list[tuple[int, dict[str, Any]]]

Task = Callable[[Any, dict[str, Any], Batch], list[Result]]


class SweepStopped(InputError):
    """The sweep could not go on for a reason that is not its points' (a worker died too
    often, an unexpected error); the points in flight are not recorded, --resume redoes them."""


def batches(
    indices: list[int], workers: int, per_worker: int = 8, *, guided: bool = False
) -> list[list[int]]:
    """Split pending points into batches: a few per worker, so per-task overhead stays small
    while the load still balances.

    ``guided``: each batch takes ``1 / (workers * per_worker)`` of the points still left
    (at least one), so the first batches are as large as the equal split's and the last ones
    are single points: the workers finish together instead of one computing a whole batch
    while the others wait.

    Examples
    --------
    >>> batches(list(range(10)), 2, per_worker=2)
    [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]
    >>> [len(b) for b in batches(list(range(40)), 2, per_worker=2, guided=True)]
    [10, 8, 6, 4, 3, 3, 2, 1, 1, 1, 1]
    """
    if guided:
        parts = max(1, workers * per_worker)
        out, start = [], 0
        while start < len(indices):
            size = max(1, -(-(len(indices) - start) // parts))
            out.append(indices[start : start + size])
            start += size
        return out
    count = max(1, min(len(indices), workers * per_worker))
    size, extra = divmod(len(indices), count)
    out, start = [], 0
    for b in range(count):
        end = start + size + (1 if b < extra else 0)
        if end > start:
            out.append(indices[start:end])
        start = end
    return out


def check_executor(executor: str, scheduler: str | None) -> None:
    """Refuse an unknown executor, or a scheduler without Dask.

    Raises
    ------
    InputError
        With the option at fault.
    """
    if executor not in EXECUTORS:
        raise InputError(
            f"--executor: unknown executor {executor!r} (known: {', '.join(EXECUTORS)})"
        )
    if scheduler is not None and executor != "dask":
        raise InputError("--scheduler needs --executor dask")


class Executor:
    """An executor, opened before the run folder is claimed (so a scheduler that cannot be
    reached leaves nothing behind) and closed after the last result."""

    def __init__(
        self, executor: str, workers: int | None, scheduler: str | None, limits: Limits
    ) -> None:
        check_executor(executor, scheduler)
        self.kind = executor
        self.workers = workers or (1 if executor == "serial" else os.cpu_count() or 1)
        self.limits = limits
        self._stack = ExitStack()
        self._client: Any = None
        if executor == "dask":
            self._client = self._stack.enter_context(_dask_client(scheduler, workers))
            self.workers = max(1, len(self._client.nthreads()) or self.workers)

    def run(
        self, task: Task, base: Any, plan: dict[str, Any], work: list[Batch]
    ) -> Iterator[list[Result]]:
        """Yield each batch's results as it finishes (in any order)."""
        if not work:
            return
        if self.kind == "serial":
            for batch in work:
                yield task(base, plan, batch)
        elif self.kind == "processes":
            yield from _processes(task, base, plan, work, self.workers, self.limits)
        else:
            yield from _dask(self._client, task, base, plan, work, self.limits)

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def worker_command() -> tuple[list[str], dict[str, str], Path]:
    """How a worker process is started: this Python, the worker module, this process's pid;
    the package on its path and one BLAS thread; run from the package's folder, since a
    worker reads no file."""
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ)
    env.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "sim.runs.worker", str(os.getpid())]
    return command, env, root


class _Worker:
    """A worker process; :meth:`start` sends it the base (after every worker of a pool is
    spawned, so that they import in parallel while the base is written)."""

    def __init__(self, base_message: bytes) -> None:
        self.base_message = base_message
        command, env, root = worker_command()
        self.errors: IO[bytes] = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env=env,
            cwd=root,
            bufsize=0,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests: IO[bytes] = self.process.stdin
        self.replies: IO[bytes] = self.process.stdout
        self.batch: tuple[int, Batch] | None = None

    def start(self) -> None:
        try:
            write_all(self.requests, self.base_message)
        except OSError:
            pass  # it died at once: its reply stream ends, and that is handled as a loss

    def give(self, number: int, batch: Batch, task: Task, plan: dict[str, Any]) -> None:
        self.batch = (number, batch)
        send(self.requests, ("batch", (task, plan, batch)))

    def why(self) -> str:
        """How the worker ended, and the last line it wrote on its error stream."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self.errors.seek(0)
        tail = self.errors.read()[-2000:].decode("utf-8", "replace").strip().splitlines()
        how = (
            "still running"
            if code is None
            else f"killed by signal {-code}"
            if code < 0
            else f"exit status {code}"
        )
        return f"{how}{': ' + tail[-1] if tail else ''}"

    def close_streams(self) -> None:
        """Close its input (it exits when that ends) and the reply stream."""
        for stream in (self.requests, self.replies):
            try:
                stream.close()
            except OSError:
                pass

    def stop(self, kill: bool) -> None:
        self.close_streams()
        if kill and self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.errors.close()


def _processes(
    task: Task, base: Any, plan: dict[str, Any], work: list[Batch], count: int, limits: Limits
) -> Iterator[list[Result]]:
    """Worker processes fed through pipes. A worker that dies has its batch sent again, at
    most ``limits.worker_retries`` times; then the sweep stops with the reason."""
    import pickle
    import struct

    data = pickle.dumps(("base", base), protocol=pickle.HIGHEST_PROTOCOL)
    base_message = struct.pack("!Q", len(data)) + data
    queue = deque(enumerate(work))
    failures = [0] * len(work)
    idle: list[_Worker] = []
    busy: dict[int, _Worker] = {}
    everyone: list[_Worker] = []
    selector = selectors.DefaultSelector()
    clean = False
    try:
        for _ in range(min(count, len(work))):
            worker = _Worker(base_message)
            everyone.append(worker)
            idle.append(worker)
        for worker in everyone:
            worker.start()

        def assign() -> None:
            while queue and idle:
                worker = idle.pop()
                number, batch = queue.popleft()
                try:
                    worker.give(number, batch, task, plan)
                except OSError:
                    pass  # it died: its reply stream ends, and that is handled below
                busy[worker.replies.fileno()] = worker
                selector.register(worker.replies, selectors.EVENT_READ)

        while queue or busy:
            assign()
            for key, _ in selector.select(timeout=1.0):
                worker = busy.pop(key.fd)
                selector.unregister(worker.replies)
                reply = receive(worker.replies)
                assert worker.batch is not None
                number, batch = worker.batch
                worker.batch = None
                if reply is None:
                    failures[number] += 1
                    reason = worker.why()
                    worker.stop(kill=True)
                    everyone.remove(worker)
                    points = f"points {batch[0][0]}-{batch[-1][0]}"
                    if failures[number] > limits.worker_retries:
                        raise SweepStopped(
                            f"a worker process died ({reason}) while analysing {points}, "
                            f"{failures[number]} times; those points are not recorded "
                            "(sim sweep --resume RUN redoes them)"
                        )
                    queue.appendleft((number, batch))
                    replacement = _Worker(base_message)
                    replacement.start()
                    everyone.append(replacement)
                    idle.append(replacement)
                    continue
                kind, payload = reply
                if kind == "error":
                    raise SweepStopped(
                        f"points {batch[0][0]}-{batch[-1][0]}: unexpected error, not recorded "
                        f"as a result: {payload}"
                    )
                idle.append(worker)
                assign()  # the worker's next batch first: it computes while we write
                yield payload
        clean = True
    finally:
        selector.close()
        for worker in everyone:  # all told first, so that they end side by side
            worker.close_streams()
        for worker in everyone:
            worker.stop(kill=not clean)


@contextmanager
def _dask_client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    distributed = optional_module("dask.distributed", "--executor dask", "dask")
    Client, LocalCluster = distributed.Client, distributed.LocalCluster
    with ExitStack() as stack:
        if scheduler is not None:
            try:
                client = Client(scheduler, timeout="5s")
            except Exception as error:  # OSError, TimeoutError, ValueError (bad address)...
                raise InputError(f"--scheduler {scheduler}: cannot connect ({error})") from None
        else:
            stack.enter_context(single_threaded_children())
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
            )
            client = Client(cluster)
        stack.enter_context(client)
        yield client


def _dask(
    client: Any, task: Task, base: Any, plan: dict[str, Any], work: list[Batch], limits: Limits
) -> Iterator[list[Result]]:
    """Batches on a Dask cluster. Each task carries the base scenario itself (tens of kB),
    so a task runs on any worker, including one that joins after others died. A worker lost
    mid-task is retried by the scheduler (``distributed.scheduler.allowed-failures``); past
    that, or with no worker for ``limits.worker_wait`` seconds, the sweep stops with a
    message."""
    from dask.distributed import wait
    from distributed import KilledWorker

    futures = [client.submit(task, base, plan, batch, pure=False) for batch in work]
    pending = set(futures)
    alone_since: float | None = None
    try:
        while pending:
            try:
                done, pending = wait(list(pending), timeout=1.0, return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            except Exception as error:  # the cluster dropped the tasks (e.g. cancelled)
                raise SweepStopped(
                    f"the Dask cluster dropped the sweep's tasks ({type(error).__name__}); "
                    "the points in flight are not recorded (sim sweep --resume RUN redoes them)"
                ) from None
            pending = set(pending)
            for future in done:
                try:
                    yield future.result()
                except KilledWorker as error:
                    raise SweepStopped(
                        f"Dask workers died while analysing a batch ({error}); its points are "
                        "not recorded (sim sweep --resume RUN redoes them)"
                    ) from None
                except Exception as error:
                    raise SweepStopped(
                        f"unexpected error on a Dask worker, not recorded as a result: {error!r}"
                    ) from None
            if done:
                alone_since = None
            elif not client.nthreads():
                alone_since = alone_since or time.monotonic()
                if time.monotonic() - alone_since > limits.worker_wait:
                    raise SweepStopped(
                        f"no Dask worker for {limits.worker_wait:.0f} s; the sweep stops "
                        "(sim sweep --resume RUN finishes it)"
                    )
    finally:
        for future in pending:
            future.cancel()

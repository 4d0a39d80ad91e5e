"""The console script's start-up: the cyclic garbage collector waits until the command runs.

Importing numpy, pydantic, typer and the package allocates several hundred thousand objects
that live as long as the process and form no garbage; each allocation threshold crossed on
the way triggers a collection that walks all of them again (about 5% of a small command's
whole time). :func:`pause_collector` (called by :func:`sim.entry.main` before anything is
imported) stops the collector; :func:`resume_collector` (called as a command's body starts,
by :func:`sim.commands.base.guard`) moves what start-up made to the permanent generation,
which later collections skip, and starts it again. Library use (``import sim``) and
in-process command runs (tests) never pause it.

:func:`keep_freed_memory` sets how the C library's allocator hands memory back, for the
console script's long commands and their worker processes.
"""

from __future__ import annotations

import gc
import os
import sys

_paused = False


def pause_collector() -> None:
    """Stop the cyclic garbage collector until :func:`resume_collector`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Start the collector again if :func:`pause_collector` stopped it (start-up's objects
    frozen first); otherwise nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


TRIM_THRESHOLD = 512 << 20
"""Bytes freed at the top of the heap that the allocator keeps for later allocations."""

MMAP_THRESHOLD = 32 << 20
"""Allocations up to this size come from the heap (glibc's largest allowed value)."""

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)


def keep_freed_memory() -> bool:
    """glibc only: keep up to :data:`TRIM_THRESHOLD` of freed memory in the process and serve
    allocations up to :data:`MMAP_THRESHOLD` from it, instead of giving memory back to the
    system after each block's arrays and faulting it in again for the next (`sim uncertainty`
    of the case: 700,000 page faults and 2.5 s of system time in 23 s, 50,000 and 0.5 s with
    this; the peak memory is unchanged). Called by :func:`sim.entry.main` for the commands
    that compute in blocks, and by their worker processes; a ``MALLOC_TRIM_THRESHOLD_`` or
    ``MALLOC_MMAP_THRESHOLD_`` in the environment is left to decide. Returns whether it set
    them."""
    if not sys.platform.startswith("linux") or any(
        name in os.environ for name in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")
    ):
        return False
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
        import ctypes

        libc = ctypes.CDLL(None)
        return bool(
            libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
            and libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        )
    except (OSError, ValueError, AttributeError):
        return False

"""The console script's long commands keep freed memory for their next arrays
(:func:`sim.startup.keep_freed_memory`): measured as page faults of a process that allocates
and frees 96 MB five times over, with and without it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

CHURN = """
import resource, sys
import numpy as np
if sys.argv[1] == "keep":
    from sim.startup import keep_freed_memory
    print(keep_freed_memory())
else:
    print(False)
def churn():
    arrays = [np.ones(1 << 20) for _ in range(12)]  # 12 arrays of 8 MB, freed together
    del arrays
churn()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    churn()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""

glibc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not os.confstr("CS_GNU_LIBC_VERSION"),
    reason="the allocator settings are glibc's",
)


def faults(mode: str, **environment: str) -> tuple[bool, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    env.update(environment, PYTHONPATH=str(REPO))
    lines = subprocess.run(
        [sys.executable, "-c", CHURN, mode], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return lines[0] == "True", int(lines[1])


@glibc
def test_freed_memory_is_kept_and_not_faulted_in_again() -> None:
    kept, with_it = faults("keep")
    assert kept
    assert with_it < 1_000  # 96 MB is 24,576 pages
    set_, without = faults("none")  # mutation: the settings not made
    assert not set_ and without > 20_000


@glibc
def test_a_users_allocator_setting_is_left_to_decide() -> None:
    kept, _ = faults("keep", MALLOC_TRIM_THRESHOLD_="131072")
    assert not kept

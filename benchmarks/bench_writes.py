"""Throughput of the atomic write (sim/writing.py) as a sweep uses it: one small outcome
document per point, each written, fsync-ed and renamed into place in one folder.

Prints files per second for small (2 KB) documents, and for one 20 MB table. Run from the
repository root:

    python benchmarks/bench_writes.py [--files N] [--folder DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sim.runs.files import write_atomic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=500, help="small documents to write")
    parser.add_argument("--folder", type=Path, default=None, help="where (default: a temp dir)")
    args = parser.parse_args()
    document = '{"scenario": "x", "values": [' + ", ".join(["0.123456789"] * 150) + "]}\n"
    with tempfile.TemporaryDirectory(dir=args.folder) as temporary:
        folder = Path(temporary)
        start = time.perf_counter()
        for index in range(args.files):
            write_atomic(folder / f"{index:06d}.json", document)
        elapsed = time.perf_counter() - start
        print(f"small documents: {args.files / elapsed:,.0f} files/s ({len(document)} bytes each)")
        table = "a,b,c,d\n" * (20 * 2**20 // 8)
        start = time.perf_counter()
        write_atomic(folder / "outcomes.csv", table)
        elapsed = time.perf_counter() - start
        print(f"one 20 MB table: {elapsed * 1000:,.0f} ms")


if __name__ == "__main__":
    main()

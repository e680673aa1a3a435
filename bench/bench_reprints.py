"""Memory and time of the reprint search (``duplicates`` and ``claims`` at the end of a run) on
its worst case: a corpus of reprints, where every document shares every LSH band with another.

Synthetic signatures: ``--n`` documents, copies of one story in a thousand (a value changed),
a tenth of them distinct. The search runs on signatures held in memory (as ``near_duplicates``
does; the merge reads them from a file, which this leaves out) twice: timed, then under
``tracemalloc`` for the peak it allocates. Its time, that peak and a digest of the rows it finds
are printed (the same digest before and after a change to the search).

    python bench/bench_reprints.py --n 100000 300000
"""

from __future__ import annotations

import argparse
import hashlib
import time
import tracemalloc

import numpy as np
import pyarrow as pa

from pipeline.claims.duplicates import BAND_ROWS, NUM_PERM, band_hash, find_reprints


def measure(n: int) -> tuple[int, float, float, str]:
    """(reprints found, peak MiB, seconds, digest) for ``n`` documents."""
    rng = np.random.default_rng(1)
    stories = max(n // 1000, 1)
    block = rng.integers(0, 2**63, size=(stories, NUM_PERM), dtype=np.uint64)[rng.integers(0, stories, size=n)]
    distinct = rng.random(n) < 0.1
    block[distinct] = rng.integers(0, 2**63, size=(int(distinct.sum()), NUM_PERM), dtype=np.uint64)
    block[np.arange(n), rng.integers(0, NUM_PERM, size=n)] ^= np.uint64(1)
    ids = pa.array([f"{i:016x}" for i in range(n)], pa.string())
    published = pa.array([f"2025-{1 + i % 12:02d}-01" for i in range(n)], pa.string())

    def search() -> pa.Table:
        return find_reprints(
            ids, published, lambda rows: block[rows], lambda j: band_hash(block[:, j * BAND_ROWS : (j + 1) * BAND_ROWS])
        )

    t = time.perf_counter()
    found = search()  # timed without tracemalloc, which slows every allocation
    seconds = time.perf_counter() - t
    tracemalloc.start()
    search()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = list(zip(*(found.column(c).to_pylist() for c in found.column_names), strict=True))
    return len(rows), peak / 2**20, seconds, hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[100_000], help="documents (default 100000)")
    args = parser.parse_args()
    print("| documents | reprints | peak MiB | bytes a document | seconds | digest |")
    print("|---:|---:|---:|---:|---:|---|")
    for n in args.n:
        found, peak, seconds, digest = measure(n)
        print(f"| {n:,} | {found:,} | {peak:.1f} | {peak * 2**20 / n:,.0f} | {seconds:.1f} | {digest} |")


if __name__ == "__main__":
    main()

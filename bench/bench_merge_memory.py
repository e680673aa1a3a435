"""Peak memory of the main process while it merges the aggregates: it must not grow with the corpus.

Writes synthetic partition shares (the declared share schemas of ``pipeline.schemas``) for a
corpus of ``--mb`` megabytes, one partition per megabyte (``partition_bytes`` is 1 MB), sized
as the shares of a real run: per MB about 900 catalog share rows, 560 claims rows and 49
documents with a MinHash signature (a tenth of them reprints of another document, a few more
rewrites of one). Then it merges them in a fresh process (``pipeline.store.write_aggregate`` for
each aggregate in order, what the end of a run does) and prints its peak RSS, its time and a
digest of the merged rows (the same shares must merge into the same rows before and after a
change to the merge).

    python bench/bench_merge_memory.py --mb 100 1000

With ``--run OUTPUT ...`` it measures instead each aggregate's merge alone, in a fresh process,
on the shares of real runs' output folders (hard-linked into a scratch folder first, so the run's
own files are not rewritten): where the main process's memory goes at the end of a run.

    python bench/bench_merge_memory.py --run data/processed

Run it with ``PYTHONPATH`` set to another checkout to measure that checkout's merge on the same
shares (the shares are written by this checkout, read by the measured one).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
_MERGE = (
    "import inspect, resource, sys, time; from pathlib import Path; from pipeline import store; "
    "out = Path(sys.argv[1]); names = sorted(p.stem for p in (out / '_partitions').glob('*.json')); "
    "t = time.perf_counter(); merged = {}\n"
    "for table in store.AGGREGATE_TABLES:\n"
    "    if 'merged' in inspect.signature(store.write_aggregate).parameters:\n"
    "        merged[table] = store.write_aggregate(out, table, names, merged)\n"
    "    else:\n"
    "        store.write_aggregate(out, table, names)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)
_ONE = (
    "import resource, sys, time; from pathlib import Path; from pipeline import store; "
    "out = Path(sys.argv[1]); table = sys.argv[2]; "
    "names = sorted(p.stem for p in (out / '_partitions').glob('*.json')); "
    "t = time.perf_counter(); rows = store.write_aggregate(out, table, names)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, rows)"
)
_IMPORTS = (
    "import resource, time; from pipeline import store, aggregates; import pandas, datasketch; "
    "print(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)
_DIGEST = (
    "import hashlib, sys; from pathlib import Path; import pyarrow as pa, pyarrow.parquet as pq; "
    "from pipeline import store; from pipeline.tables import plain; out = Path(sys.argv[1]); "
    "names = sorted(p.stem for p in (out / '_partitions').glob('*.json'))\n"
    "for table in store.AGGREGATE_TABLES:\n"
    "    h = hashlib.sha256(); n = 0\n"
    "    for f in store.manifest_tables(names)[table]:\n"
    "        for batch in pq.ParquetFile(out / f).iter_batches(batch_size=65536):\n"
    "            n += batch.num_rows\n"
    "            for r in plain(pa.Table.from_batches([batch])).to_pylist(): h.update(repr(r).encode())\n"
    "    print(table, n, h.hexdigest()[:12])"
)

_LABELS = ["PERSON", "ORG", "GPE", "PRODUCT", "LOC"]
_MEASURES = ["revenue", "sales", "profit", "users", "price", "growth", "share", "output"]
_UNITS = [("辆", None), ("元", "CNY"), ("%", None), ("美元", "USD"), ("人", None)]


def _hex(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{v:016x}" for v in rng.integers(0, 2**63, size=n, dtype=np.int64)]


def write_shares(out: Path, megabytes: int, seed: int = 1) -> dict[str, int]:
    """Shares of ``megabytes`` partitions under ``out`` (and their records, so the partition
    names can be listed); the rows written per aggregate."""
    from pipeline import schemas, store

    rng = np.random.default_rng(seed)
    n_entities = 400 * megabytes  # the corpus's distinct entities, most of them rare
    entity_ids = _hex(rng, n_entities)
    n_subjects = 120 * megabytes
    subject_ids = _hex(rng, n_subjects)
    originals: list[np.ndarray] = []
    counts = {"entity_catalog": 0, "claims": 0, "duplicates": 0}
    for p in range(megabytes):
        name = f"part{p:05d}-{p:08x}"
        docs = [f"d{p:05d}{i:03d}{'x' * 8}" for i in range(49)]
        published = [f"2024-{1 + (p + i) % 12:02d}-{1 + i % 28:02d}" if i % 7 else None for i in range(49)]
        # catalog: ~900 rows of (entity, name, label, form) with counts; a Zipf-like pick of entities
        common = np.minimum((rng.pareto(1.2, size=600) * n_entities / 50).astype(np.int64), n_entities - 1)
        picks = np.concatenate([common, rng.integers(0, n_entities, size=450)])
        eids = sorted({entity_ids[i] for i in picks})
        rows: dict[str, list] = {c: [] for c in schemas.CATALOG_SHARE.names}
        for j, eid in enumerate(eids):
            forms = 1 + (j % 2 == 0)
            docs_of = int(rng.integers(1, 6))
            for k in range(forms):
                rows["entity_id"].append(eid)
                rows["name"].append(f"实体{eid[:6]}")
                rows["label"].append(_LABELS[int(eid[0], 16) % len(_LABELS)])
                rows["text"].append(f"实体{eid[:6]}" if k == 0 else f"别名{eid[6:10]}")
                rows["n_mentions"].append(int(rng.integers(1, 9)))
                rows["n_docs"].append(docs_of)
        catalog = pa.table(rows, schema=schemas.CATALOG_SHARE)
        # claims: ~560 figures with a subject and a measure; subjects shared across the corpus
        claim_rows: dict[str, list] = {c: [] for c in schemas.CLAIMS_SHARE.names}
        subj = rng.integers(0, n_subjects, size=560)
        for i, s in enumerate(subj):
            unit, currency = _UNITS[int(s) % len(_UNITS)]
            doc = int(i * 49 / 560)
            value = float(int(s) % 997 + rng.integers(0, 3)) * 10.0 ** int(s % 4)
            for column, v in (
                ("doc_id", docs[doc]),
                ("figure_idx", i),
                ("subject_id", subject_ids[s]),
                ("subject", f"公司{subject_ids[s][:5]}"),
                ("measure_key", _MEASURES[int(s) % len(_MEASURES)]),
                ("period", f"2024Q{1 + int(s) % 4}" if s % 3 else None),
                ("change", "yoy" if s % 5 == 0 else None),
                ("basis", None),
                ("unit_class", currency or unit),
                ("value", value),
                ("value_high", None),
                ("unit", unit),
                ("currency", currency),
                ("approx", "约" if i % 11 == 0 else None),
                ("claimant_id", subject_ids[(s + 1) % n_subjects] if i % 4 == 0 else None),
                ("published_at", published[doc]),
            ):
                claim_rows[column].append(v)
        claims = pa.table(claim_rows, schema=schemas.CLAIMS_SHARE)
        # signatures: random documents; a tenth reprint an earlier one (a few values changed)
        sigs = rng.integers(0, 2**63, size=(49, 128), dtype=np.uint64)
        for i in range(49):
            if originals and i % 10 == 0:
                base = originals[int(rng.integers(0, len(originals)))].copy()
                changed = rng.random(128) < (0.05 if i % 20 else 0.4)
                base[changed] = rng.integers(0, 2**63, size=int(changed.sum()), dtype=np.uint64)
                sigs[i] = base
            elif len(originals) < 2000:
                originals.append(sigs[i].copy())
        dup = pa.table(
            {"doc_id": docs, "published_at": published, "signature": [s.astype("<u8").tobytes() for s in sigs]},
            schema=schemas.DUPLICATES_SHARE,
        )
        for table, share in (("entity_catalog", catalog), ("claims", claims), ("duplicates", dup)):
            store.write_table(share, out / store.share_name(table, name))
            counts[table] += share.num_rows
        store.write_json({"name": name}, out / store.PARTITIONS / f"{name}.json")
    return counts


def measure(code: str, *args: str, path: str | None = None) -> tuple[float, float, str]:
    env = None
    if path:
        import os

        env = dict(os.environ, PYTHONPATH=path)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=path or ROOT, check=True, env=env
    )
    seconds, kb = out.stdout.split()
    return float(seconds), int(kb) / 1024, f"{time.perf_counter() - started:.1f}"


def digest(out: Path, path: str | None) -> str:
    import os

    env = dict(os.environ, PYTHONPATH=path) if path else None
    done = subprocess.run(
        [sys.executable, "-c", _DIGEST, str(out)], capture_output=True, text=True, check=True, env=env, cwd=path or ROOT
    )
    return hashlib.sha256(done.stdout.encode()).hexdigest()[:12] + " " + done.stdout.replace("\n", "; ")


def measure_runs(runs: list[Path]) -> None:
    """Each aggregate's merge alone on the shares of each run in ``runs`` (a table per run)."""
    from pipeline import store

    _, base, _ = measure(_IMPORTS)
    print(f"imports alone: peak RSS {base:.0f} MB\n")
    print("| run | partitions | aggregate | rows | peak RSS MB | merge s |")
    print("|---|---:|---|---:|---:|---:|")
    for run in runs:
        with tempfile.TemporaryDirectory(dir=run.parent) as tmp:
            out = Path(tmp) / "out"
            out.mkdir()
            for sub in (store.PARTITIONS, "_shares", *store.AGGREGATE_TABLES):
                if (run / sub).exists():
                    subprocess.run(["cp", "-al", str(run / sub), str(out / sub)], check=True)
            n = len(list((out / store.PARTITIONS).glob("*.json")))
            for table in store.AGGREGATE_TABLES:  # in order: a merge reads the ones before it
                done = subprocess.run(
                    [sys.executable, "-c", _ONE, str(out), table], capture_output=True, text=True, cwd=ROOT, check=True
                )
                seconds, kb, rows = done.stdout.split()
                print(f"| {run} | {n} | {table} | {rows} | {int(kb) / 1024:.0f} | {float(seconds):.1f} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--code", nargs="+", default=[str(ROOT)], help="checkouts to measure (PYTHONPATH)")
    parser.add_argument("--digest", action="store_true", help="print a digest of the merged rows")
    parser.add_argument("--run", type=Path, nargs="+", help="measure each aggregate's merge on these runs' outputs")
    args = parser.parse_args()
    if args.run:
        measure_runs(args.run)
        return 0
    for code in args.code:
        _, base, _ = measure(_IMPORTS, path=code)
        print(f"{code}: imports alone: peak RSS {base:.0f} MB")
    print("\n| corpus | checkout | catalog / claims / docs share rows | peak RSS MB | merge s |")
    print("|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.mb:
            shares = Path(tmp) / f"shares-{mb}"
            counts = write_shares(shares, mb)
            for code in args.code:
                out = Path(tmp) / f"out-{mb}"
                subprocess.run(["cp", "-r", str(shares), str(out)], check=True)
                seconds, peak, _ = measure(_MERGE, str(out), path=code)
                rows = f"{counts['entity_catalog']} / {counts['claims']} / {counts['duplicates']}"
                print(f"| {mb} MB | {code} | {rows} | {peak:.0f} | {seconds:.1f} |", flush=True)
                if args.digest:
                    print(f"  rows digest: {digest(out, code)}", flush=True)
                subprocess.run(["rm", "-rf", str(out)], check=True)
            subprocess.run(["rm", "-rf", str(shares)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

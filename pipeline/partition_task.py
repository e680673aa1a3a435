"""One partition, where it runs: read its input, process each document, write its parts.

Used alike by the local engine (:mod:`pipeline.run`) and the Dask engine
(:mod:`pipeline.dask_engine`); results never travel back through pickles, only the small
record of counts that :func:`run_partition` returns. A process builds its resources once per
config (:func:`resources_for`).
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline import schemas, store
from pipeline.config import Config
from pipeline.partitions import Partition
from pipeline.process import DocumentResult, Resources, build_resources, process_document
from pipeline.read import RawDocument, ReadFailure, read_file, read_range, too_large
from pipeline.records import FailureRow
from pipeline.tables import to_table

logger = logging.getLogger(__name__)

_RESOURCES: dict[Config, Resources] = {}


def resources_for(config: Config) -> Resources:
    """This process's resources for ``config``, built on first use and kept."""
    if config not in _RESOURCES:
        logging.getLogger("jieba").setLevel(logging.WARNING)
        _RESOURCES[config] = build_resources(config)
    return _RESOURCES[config]


def _documents(
    partition: Partition, config: Config, changed: list[str]
) -> Iterator[tuple[int, RawDocument | ReadFailure]]:
    """The partition's documents (or failures) with the bytes each one read; the files whose
    content differs from what the plan fingerprinted go into ``changed``."""
    spec = config.record_spec
    for path, rel, digest in partition.files:
        file = Path(path)
        size = file.stat().st_size if file.is_file() else 0
        read: list[str] = []
        try:
            reader = read_file(file, rel, spec=spec, max_chars=config.max_document_chars, digests=read)
            for i, item in enumerate(reader):
                yield (size if i == 0 else 0), item
        except Exception as exc:  # a reader bug on hostile input fails this file, not the batch
            logger.debug("reading %s failed", rel, exc_info=True)
            yield 0, ReadFailure(rel, "read", type(exc).__name__, str(exc) or repr(exc))
        if read and read[0] != digest:  # the bytes processed are not those the plan fingerprinted
            changed.append(rel)
    for r in partition.ranges:
        read = []
        try:
            reader = read_range(r.path, r.where, r.format, r.start, r.end, r.first, spec, limit=r.limit, digests=read)
            for item in reader:
                yield (len(item.raw_text.encode("utf-8")) if isinstance(item, RawDocument) else 0), item
        except Exception as exc:  # as above
            logger.debug("reading %s failed", r.where, exc_info=True)
            yield 0, ReadFailure(partition.sources[0], "read", type(exc).__name__, str(exc) or repr(exc))
        if read and read[0] != r.digest:  # a JSONL changed since the plan (Parquet: not re-hashed)
            changed.append(partition.sources[0])


def shares_of(rows: dict[str, Any], timings: dict[str, float] | None = None) -> dict[str, pa.Table]:
    """The partition's share of every aggregate, from its rows by table; the seconds each took
    are added to ``timings`` as ``share_TABLE``."""
    from pipeline.aggregates import AGGREGATES

    shares = {}
    for table, aggregate in AGGREGATES.items():
        started = time.perf_counter()
        shares[table] = aggregate.share(rows)
        if timings is not None:
            timings[f"share_{table}"] = timings.get(f"share_{table}", 0.0) + time.perf_counter() - started
    return shares


def collect(results: Iterable[DocumentResult]) -> dict[str, Any]:
    """Rows of many documents, by table: lists of rows, and :data:`Columns` for tokens."""
    rows: dict[str, Any] = {name: [] for name in store.PART_TABLES}
    rows["tokens"] = {}
    for res in results:
        rows["failures"].extend(res.failures)
        if res.document is None:
            continue
        rows["documents"].append(res.document)
        for name, part in res.rows.items():
            if isinstance(part, dict):  # Columns
                for column, values in part.items():
                    rows[name].setdefault(column, []).extend(values)
            else:
                rows[name].extend(part)
    return rows


def _process(item: RawDocument, resources: Resources) -> DocumentResult:
    """One document through every stage; an error outside the stages' own guard, or a
    document over the size limit, becomes its failure row."""
    limit = resources.config.max_document_chars
    if len(item.raw_text) > limit:
        message = too_large(len(item.raw_text) / 1e6, "million characters", limit)
        return DocumentResult(failures=[FailureRow(item.source_path, None, "read", "DocumentTooLarge", message)])
    try:
        return process_document(item, resources)
    except Exception as exc:  # a bug on hostile input must not stop the batch
        logger.debug("document %s failed", item.source_path, exc_info=True)
        return DocumentResult(
            failures=[FailureRow(item.source_path, None, "process", type(exc).__name__, str(exc) or repr(exc))]
        )


#: Tracked objects allocated (net) between two runs of the cyclic garbage collector while a
#: partition is processed; Python's default is 700. A partition makes millions of short-lived
#: tuples, lists and rows and hardly any cycles: at 700 the collector ran 1,450 times on a 5 MB
#: run and took 1.2 s of it, at 20,000 a dozen times and 0.2 s.
GC_YOUNG_THRESHOLD = 20_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector's first threshold raised to :data:`GC_YOUNG_THRESHOLD` (never lowered),
    and put back as it was after."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_YOUNG_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def run_partition(partition: Partition, out_dir: str, config: Config) -> dict[str, Any]:
    """Process one partition and write its parts; return its record (counts, timings)."""
    with _fewer_collections():
        return _run_partition(partition, out_dir, config)


def _run_partition(partition: Partition, out_dir: str, config: Config) -> dict[str, Any]:
    resources = resources_for(config)
    started = time.perf_counter()
    results: list[DocumentResult] = []
    bytes_in = 0
    changed: list[str] = []
    for size, item in _documents(partition, config, changed):
        bytes_in += size
        if isinstance(item, ReadFailure):
            failure = FailureRow(item.source_path, None, item.stage, item.error, item.message)
            results.append(DocumentResult(failures=[failure]))
        else:
            results.append(_process(item, resources))
    timings: dict[str, float] = {}
    for res in results:
        for stage, seconds in res.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    built = time.perf_counter()
    rows = collect(results)
    tables = {name: to_table(rows[name], name) for name in store.PART_TABLES}
    timings["tables"] = time.perf_counter() - built
    counts = {"ok": 0, "empty": 0, "failed": 0}
    for doc in rows["documents"]:
        counts[doc.status] += 1
    counts["failed"] = len({f.source_path for f in rows["failures"]})
    if changed:
        logger.warning("%s changed while it was read; it is read again by the next run", ", ".join(changed))
    record = {
        "name": partition.name,
        # a file that changed under the run: its tables are of the bytes read, and the next run,
        # whatever the file holds then, processes it again
        "fingerprint": "" if changed else partition.fingerprint,
        "documents": counts,
        "rows": {name: t.num_rows for name, t in tables.items()},
        "failures": len(rows["failures"]),
        "bytes_in": bytes_in,
    }
    shares = shares_of(rows, timings)
    written = time.perf_counter()
    store.write_partition(Path(out_dir), partition.name, tables, shares, record)
    timings["write"] = time.perf_counter() - written
    timings["total"] = time.perf_counter() - started
    return record | {"timings": timings}


def failed_partition(partition: Partition, out_dir: Path, message: str) -> dict[str, Any]:
    """A partition whose worker died every time: one failure row per input, written as its parts."""
    rows = [FailureRow(sp, None, "worker", "WorkerDied", message) for sp in partition.sources or [partition.key]]
    tables = {name: schemas.TABLES[name].empty_table() for name in store.PART_TABLES}
    tables["failures"] = to_table(rows, "failures")
    record = {
        "name": partition.failed_name,
        "fingerprint": "",  # never matches: the next run tries this partition again
        "documents": {"ok": 0, "empty": 0, "failed": len(rows)},
        "rows": {name: t.num_rows for name, t in tables.items()},
        "failures": len(rows),
        "bytes_in": 0,
    }
    store.write_partition(out_dir, partition.failed_name, tables, shares_of({}), record)
    return record | {"timings": {}}

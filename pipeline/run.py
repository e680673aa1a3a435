"""The batch: plan partitions, process each one where it runs, write its parts, finish.

Each partition task reads its own input, processes it with resources its process built once,
and writes its own Parquet part per table: results never travel back through pickles, only a
small record of counts. A rerun skips partitions whose fingerprint (content, version, config)
is unchanged, processes new and changed ones and drops the parts of removed ones, so a run
killed at any moment is completed by the same command.

Bad input never stops a batch: every file or record that cannot be read, decoded or processed
becomes a ``failures`` row naming the stage and the reason, and :func:`exit_code` turns the
count into the process exit status.
"""

from __future__ import annotations

import logging
import multiprocessing
import platform
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
from threadpoolctl import threadpool_limits

from pipeline import schemas, store
from pipeline.config import Config
from pipeline.errors import ConfigError, InputError, ZhpipeError
from pipeline.partitions import Partition, plan
from pipeline.process import DocumentResult, Resources, build_resources, process_document
from pipeline.read import RawDocument, ReadFailure, read_file, read_record
from pipeline.records import Columns, FailureRow
from pipeline.tables import sort_table, to_table

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
ENGINES = ("local", "dask")


def exit_code(failed: int) -> int:
    """0 when nothing failed, 1 when some documents failed (2 is left for usage errors)."""
    return 1 if failed else 0


@dataclass
class RunReport:
    """What a run did: counts, rows per table, time and volume."""

    output: Path
    documents: dict[str, int]
    rows: dict[str, int]
    failures: int
    seconds: float
    bytes_in: int
    partitions: dict[str, int] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return exit_code(self.failures)

    def summary(self) -> str:
        d = self.documents
        mb = self.bytes_in / 1e6
        rate = mb / self.seconds if self.seconds else 0.0
        p = self.partitions
        return "\n".join(
            [
                f"documents: {d.get('ok', 0)} ok, {d.get('empty', 0)} empty, {d.get('failed', 0)} failed; "
                f"{len(self.skipped)} files skipped",
                "rows: " + ", ".join(f"{name} {n}" for name, n in self.rows.items()),
                f"partitions: {p.get('processed', 0)} processed, {p.get('unchanged', 0)} unchanged, "
                f"{p.get('removed', 0)} removed, {p.get('failed', 0)} failed",
                f"{mb:.2f} MB processed in {self.seconds:.1f} s ({rate:.2f} MB/s) -> {self.output}",
            ]
        )


# --- one partition, where it runs --------------------------------------------------------------

_RESOURCES: dict[Config, Resources] = {}


def resources_for(config: Config) -> Resources:
    """This process's resources for ``config``, built on first use and kept."""
    if config not in _RESOURCES:
        logging.getLogger("jieba").setLevel(logging.WARNING)
        _RESOURCES[config] = build_resources(config)
    return _RESOURCES[config]


def _init_worker(config: Config) -> None:
    # One BLAS thread per worker process: N workers share N cores. Dask's nannies do the same
    # for their workers through the environment; here numpy is loaded before this runs.
    threadpool_limits(1)
    resources_for(config)


def _documents(partition: Partition, text_column: str) -> Iterator[tuple[int, RawDocument | ReadFailure]]:
    for path, rel in partition.files:
        file = Path(path)
        size = file.stat().st_size if file.is_file() else 0
        for i, item in enumerate(read_file(file, rel, text_column=text_column)):
            yield (size if i == 0 else 0), item
    for source_path, record in partition.records:
        item = read_record(source_path, record, text_column)
        yield (len(item.raw_text.encode("utf-8")) if isinstance(item, RawDocument) else 0), item


def _catalog_share(entities: list[Any]) -> pa.Table:
    if not entities:
        return schemas.ENTITY_CATALOG.empty_table()
    import pandas as pd

    from pipeline.entities import build_catalog

    frame = pd.DataFrame(
        {
            "doc_id": [e.doc_id for e in entities],
            "entity_id": [e.entity_id for e in entities],
            "label": [e.label for e in entities],
            "text": [e.text for e in entities],
            "name": [e.name for e in entities],
        }
    )
    catalog = build_catalog(frame)[schemas.ENTITY_CATALOG.names]
    table = pa.Table.from_pandas(catalog, schema=schemas.ENTITY_CATALOG, preserve_index=False)
    return sort_table(table.replace_schema_metadata(None))


def collect(results: Iterable[DocumentResult]) -> dict[str, Any]:
    """Rows of many documents, by table: lists of rows, and :data:`Columns` for tokens."""
    rows: dict[str, Any] = {name: [] for name in store.PART_TABLES}
    tokens: Columns = {}
    rows["tokens"] = tokens
    for res in results:
        rows["failures"].extend(res.failures)
        if res.document is None:
            continue
        rows["documents"].append(res.document)
        rows["sentences"].extend(res.sentences)
        for name, values in res.tokens.items():
            tokens.setdefault(name, []).extend(values)
        rows["figures"].extend(res.figures)
        rows["entities"].extend(res.entities)
    return rows


def run_partition(partition: Partition, out_dir: str, config: Config) -> dict[str, Any]:
    """Process one partition and write its parts; return its record (counts, timings)."""
    resources = resources_for(config)
    started = time.perf_counter()
    results: list[DocumentResult] = []
    bytes_in = 0
    for size, item in _documents(partition, config.text_column):
        bytes_in += size
        if isinstance(item, ReadFailure):
            failure = FailureRow(item.source_path, None, item.stage, item.error, item.message)
            results.append(DocumentResult(failures=[failure]))
        else:
            results.append(process_document(item, resources))
    rows = collect(results)
    tables = {name: to_table(rows[name], schemas.TABLES[name]) for name in store.PART_TABLES}
    counts = {"ok": 0, "empty": 0, "failed": 0}
    for doc in rows["documents"]:
        counts[doc.status] += 1
    counts["failed"] = len({f.source_path for f in rows["failures"]})
    timings: dict[str, float] = {}
    for res in results:
        for stage, seconds in res.timings.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    record = {
        "fingerprint": partition.fingerprint,
        "documents": counts,
        "rows": {name: t.num_rows for name, t in tables.items()},
        "failures": len(rows["failures"]),
        "bytes_in": bytes_in,
    }
    store.write_partition(Path(out_dir), partition.key, tables, _catalog_share(rows["entities"]), record)
    timings["total"] = time.perf_counter() - started
    return record | {"timings": timings}


def _failed_partition(partition: Partition, out_dir: Path, message: str) -> dict[str, Any]:
    """A partition whose worker died every time: one failure row per input, written as its parts."""
    sources = [rel for _, rel in partition.files] + [sp for sp, _ in partition.records]
    rows = [FailureRow(sp, None, "worker", "WorkerDied", message) for sp in sources or [partition.key]]
    tables = {name: schemas.TABLES[name].empty_table() for name in store.PART_TABLES}
    tables["failures"] = to_table(rows, schemas.FAILURES)
    record = {
        "fingerprint": "",  # never matches: the next run tries this partition again
        "documents": {"ok": 0, "empty": 0, "failed": len(rows)},
        "rows": {name: t.num_rows for name, t in tables.items()},
        "failures": len(rows),
        "bytes_in": 0,
    }
    store.write_partition(out_dir, partition.key, tables, schemas.ENTITY_CATALOG.empty_table(), record)
    return record | {"timings": {}}


# --- engines -----------------------------------------------------------------------------------


def run_local(
    partitions: Iterable[Partition], out_dir: Path, config: Config, *, workers: int, retries: int
) -> Iterator[dict[str, Any]]:
    """Run partitions in this process (``workers == 1``) or in a pool of worker processes.

    At most two partitions per worker are in flight, so memory stays flat however large the
    input. A worker that dies breaks the pool: a new one is started and the unfinished
    partitions go again, each at most ``retries`` more times, then become failure rows.
    """
    if workers <= 1:
        with threadpool_limits(1):  # one worker, one core: the BLAS under the model included
            for partition in partitions:
                yield run_partition(partition, str(out_dir), config)
        return
    pending = iter(partitions)
    attempts: dict[str, int] = {}
    retry: list[Partition] = []
    ctx = multiprocessing.get_context("spawn")
    exhausted = False
    while True:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(config,))
        running: dict[Future[dict[str, Any]], Partition] = {}
        broken = False
        try:
            while True:
                while len(running) < 2 * workers and not broken:
                    if retry:
                        part = retry.pop(0)
                    elif not exhausted:
                        upcoming = next(pending, None)
                        if upcoming is None:
                            exhausted = True
                            break
                        part = upcoming
                    else:
                        break
                    try:
                        running[pool.submit(run_partition, part, str(out_dir), config)] = part
                    except BrokenProcessPool:
                        retry.insert(0, part)
                        broken = True
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    part = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        attempts[part.key] = attempts.get(part.key, 0) + 1
                        if attempts[part.key] > retries:
                            yield _failed_partition(part, out_dir, f"a worker process died {attempts[part.key]} times")
                        else:
                            retry.append(part)
                if broken:
                    for part in running.values():
                        attempts[part.key] = attempts.get(part.key, 0) + 1
                        retry.append(part)
                    running.clear()
                    break
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)
        if not broken and not running and not retry and exhausted:
            return
        logger.warning("a worker process died; restarting the pool for %d partitions", len(retry))


# --- the batch ---------------------------------------------------------------------------------


def _check_paths(input_path: Path, output_path: Path) -> None:
    src = input_path.resolve()
    out = output_path.resolve()
    root = src if src.is_dir() else src.parent
    if out == root or root in out.parents:
        raise InputError(f"output {output_path} is inside the input folder {root}: raw data is never written to")
    if out.exists() and not out.is_dir():
        raise InputError(f"output {output_path} exists and is not a folder")


def _setup(config: Config) -> Resources:
    """Build the resources before any document is read, so a bad setup stops the run at once."""
    try:
        return resources_for(config)
    except ZhpipeError:
        raise
    except Exception as exc:  # a missing model or dictionary, whatever the library raises
        raise ConfigError(f"cannot build the pipeline's resources: {exc}") from exc


def versions() -> dict[str, str]:
    """Versions of Python and the libraries whose behaviour shapes the output."""
    out = {"python": platform.python_version()}
    for dist in ("zhpipe", "opencc", "jieba", "rjieba", "spacy", "pyarrow", "pandas", "charset-normalizer"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def run(
    input_path: Path,
    output_path: Path,
    config: Config | None = None,
    *,
    workers: int = 1,
    force: bool = False,
    retries: int = 2,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Process ``input_path`` (a folder or a file) into tables under ``output_path``.

    ``force`` reprocesses every partition; otherwise unchanged ones are skipped. ``engine`` is
    ``local`` (``workers`` processes) or ``dask`` (a LocalCluster of ``workers`` processes, or
    the cluster at ``scheduler``).
    """
    config = config or Config()
    started = time.perf_counter()
    if not input_path.exists():
        raise InputError(f"input path does not exist: {input_path}")
    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    _check_paths(input_path, output_path)
    _setup(config)
    partitions, skipped = plan(input_path, config)
    output_path.mkdir(parents=True, exist_ok=True)
    store.remove_leftovers(output_path)
    previous = store.read_records(output_path)
    keys: list[str] = []

    def todo() -> Iterator[Partition]:
        # largest first, so the last partitions to finish are small ones and workers finish
        # together (outputs do not depend on the order: every partition writes its own parts)
        for part in sorted(partitions, key=lambda p: -p.weight):
            keys.append(part.key)
            old = previous.get(part.key)
            if (
                not force
                and old is not None
                and old.get("fingerprint") == part.fingerprint
                and store.partition_complete(output_path, part.key)
            ):
                continue
            yield part

    if engine == "dask":
        from pipeline.dask_engine import run_dask

        records: Iterator[dict[str, Any]] = run_dask(
            todo(), output_path, config, workers=workers, retries=retries, scheduler=scheduler
        )
    else:
        records = run_local(todo(), output_path, config, workers=workers, retries=retries)
    timings: dict[str, float] = {}
    processed = failed_parts = 0
    bytes_in = 0
    for record in records:
        processed += 1
        failed_parts += record["fingerprint"] == ""
        bytes_in += record["bytes_in"]
        for stage, seconds in record.pop("timings").items():
            timings[stage] = timings.get(stage, 0.0) + seconds
        if progress:
            progress(processed, 0)
    after = store.read_records(output_path)
    current = {key: after[key] for key in keys if key in after}
    removed = [key for key in previous if key not in keys]
    for key in removed:
        store.remove_partition(output_path, key)
    catalog = store.write_catalog(output_path)
    documents = {"ok": 0, "empty": 0, "failed": 0}
    rows = {name: 0 for name in schemas.TABLES}
    failures = 0
    for record in current.values():
        for status, n in record["documents"].items():
            documents[status] = documents.get(status, 0) + n
        for name, n in record["rows"].items():
            rows[name] += n
        failures += record["failures"]
    rows["entity_catalog"] = catalog.num_rows
    seconds = time.perf_counter() - started
    report = RunReport(
        output=output_path,
        documents=documents,
        rows=rows,
        failures=failures,
        seconds=seconds,
        bytes_in=bytes_in,
        partitions={
            "processed": processed,
            "unchanged": len(keys) - processed,
            "removed": len(removed),
            "failed": failed_parts,
        },
        skipped=[{"source_path": s.source_path, "reason": s.reason} for s in skipped],
    )
    manifest = {
        "input": str(input_path),
        "config": config.to_dict(),
        "versions": versions(),
        "engine": engine,
        "workers": workers,
        "counts": {"documents": documents, "rows": rows, "failures": failures},
        "partitions": report.partitions | {"total": len(keys)},
        "timings_s": {k: round(v, 3) for k, v in sorted(timings.items())} | {"wall": round(seconds, 3)},
        "bytes_processed": bytes_in,
        "skipped": report.skipped,
        "exit_code": report.exit_code,
    }
    store.write_json(manifest, output_path / store.MANIFEST)
    return report

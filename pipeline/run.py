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
import os
import platform
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from pipeline import schemas, store
from pipeline.config import Config
from pipeline.errors import ConfigError, InputError, NoDocuments, ZhpipeError
from pipeline.outfolder import LAYOUT, MANIFEST, OutputFolder, legacy_files
from pipeline.partition_task import failed_partition, resources_for, run_partition
from pipeline.partitions import Partition, plan
from pipeline.process import Resources
from pipeline.read import Skipped

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunProgress:
    """Where a run stands, after each partition: for a progress bar."""

    partitions_done: int
    partitions_total: int
    bytes_done: int
    bytes_total: int  # bytes of the partitions to process (a Parquet range counts its whole file)
    documents_done: int


Progress = Callable[[RunProgress], None]
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
    #: The commonest failure reasons: ``(stage, error, count, an example "source_path: message")``.
    failure_reasons: list[tuple[str, str, int, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return exit_code(self.failures)

    def summary(self) -> str:
        d = self.documents
        mb = self.bytes_in / 1e6
        rate = mb / self.seconds if self.seconds else 0.0
        p = self.partitions
        by_reason: dict[str, list[str]] = {}
        for item in self.skipped:
            by_reason.setdefault(item["reason"], []).append(item["source_path"])
        skipped = [
            f"skipped: {len(paths)} {reason} ({', '.join(paths[:3])}{', …' if len(paths) > 3 else ''})"
            for reason, paths in sorted(by_reason.items())
        ]
        reasons = [
            f"failed: {n} at {stage} ({error}), e.g. {example}" for stage, error, n, example in self.failure_reasons
        ]
        return "\n".join(
            [
                f"documents: {d.get('ok', 0)} ok, {d.get('empty', 0)} empty, {d.get('failed', 0)} failed; "
                f"{len(self.skipped)} files skipped",
                *skipped,
                *reasons,
                "rows: " + ", ".join(f"{name} {n}" for name, n in self.rows.items()),
                f"partitions: {p.get('processed', 0)} processed, {p.get('unchanged', 0)} unchanged, "
                f"{p.get('removed', 0)} removed, {p.get('failed', 0)} failed",
                f"{mb:.2f} MB processed in {self.seconds:.1f} s ({rate:.2f} MB/s) -> {self.output}",
            ]
        )


def _init_worker(config: Config, parent: int) -> None:
    exit_with_parent(parent)
    # One BLAS thread per worker process: N workers share N cores. Dask's nannies do the same
    # for their workers through the environment; here numpy is loaded before this runs.
    threadpool_limits(1)
    resources_for(config)


def exit_with_parent(parent: int, interval: float = 0.5) -> None:
    """End this worker process soon after its parent ``parent`` dies (a killed run leaves no
    writers); at once when it died before this worker got here."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="zhpipe-parent-watch", daemon=True).start()


# --- engines -----------------------------------------------------------------------------------


def pool_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: forked on Linux when this process runs no other Python
    thread (the command line), spawned otherwise (a notebook's kernel, macOS, Windows).

    A forked worker inherits the imports and the resources the main process built for its setup
    check (:func:`_setup`), so it is ready in milliseconds; a spawned one imports everything and
    builds them again, about 1.5 s of each worker's core before its first document. Forking is
    safe here: no other thread can hold a lock the child would inherit locked (the progress bar
    runs without tqdm's monitor thread), the output folder's lock is closed in the child
    (:mod:`pipeline.outfolder`), and a worker ends with ``os._exit``, so no ``atexit`` handler of
    the parent runs in it. macOS and Windows spawn (fork is unsafe on macOS, absent on Windows).
    """
    method = "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "spawn"
    logger.debug("worker processes start by %s", method)
    return multiprocessing.get_context(method)


def run_local(
    partitions: Iterable[Partition], out_dir: Path, config: Config, *, workers: int, retries: int
) -> Iterator[dict[str, Any]]:
    """Run partitions in this process (``workers == 1``) or in a pool of worker processes.

    At most two partitions per worker are in flight, so memory stays flat however large the
    input. A worker that dies breaks the pool: a new one is started and the unfinished
    partitions go again. Since the pool cannot say whose worker died, those partitions are
    then run one at a time, and a partition is charged with a death only when it was alone in
    the pool; after ``retries`` more tries it becomes failure rows.
    """
    if workers <= 1:
        with threadpool_limits(1):  # one worker, one core: the BLAS under the model included
            for partition in partitions:
                yield run_partition(partition, str(out_dir), config)
        return
    pending = iter(partitions)
    attempts: dict[str, int] = {}
    suspects: list[Partition] = []  # in flight when a worker died: run alone to learn which
    ctx = pool_context()
    exhausted = False
    while True:
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(config, os.getpid())
        )
        running: dict[Future[dict[str, Any]], Partition] = {}
        broken = False
        try:
            while not broken:
                while len(running) < 2 * workers:
                    if suspects:
                        if running:
                            break
                        part = suspects.pop(0)
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
                        suspects.insert(0, part)
                        broken = True
                        break
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    part = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        running[future] = part  # handled with the others below
            if broken:
                alone = len(running) == 1
                for part in running.values():
                    if alone:
                        attempts[part.key] = attempts.get(part.key, 0) + 1
                    if attempts.get(part.key, 0) > retries:
                        yield failed_partition(part, out_dir, f"a worker process died {attempts[part.key]} times")
                    else:
                        suspects.append(part)
                running.clear()
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)
        if not broken and not suspects and exhausted:
            return
        logger.warning("a worker process died; restarting the pool for %d partitions", len(suspects))


# --- the batch ---------------------------------------------------------------------------------


def failure_reasons(output_path: Path, files: list[str], top: int = 3) -> list[tuple[str, str, int, str]]:
    """The ``top`` commonest ``(stage, error)`` pairs of the failures table in ``files``, with
    their counts and the first example (``source_path: message``, cut to 120 characters)."""
    table = store.read_arrow(output_path, "failures", ["source_path", "stage", "error", "message"], files=files)
    counts: dict[tuple[str, str], list[Any]] = {}
    for path, stage, error, message in zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True):
        example = message if message.startswith(path) else f"{path}: {message}"
        entry = counts.setdefault((stage, error), [0, example])
        entry[0] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))[:top]
    return [(stage, error, n, example[:120]) for (stage, error), (n, example) in ranked]


def _check_paths(input_path: Path, output_path: Path) -> None:
    src = input_path.resolve()
    out = output_path.resolve()
    root = src if src.is_dir() else src.parent
    if src.is_dir() and (out == root or root in out.parents):
        raise InputError(f"output {output_path} is inside the input folder {root}: raw data is never written to")
    if not src.is_dir() and out == src:
        raise InputError(f"output {output_path} is the input file")
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
    overwrite: bool = False,
    retries: int = 2,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    limit: int | None = None,
    input_id: str | None = None,
) -> RunReport:
    """Process ``input_path`` (a folder or a file) into tables under ``output_path``.

    ``limit`` reads only the first files of a folder or records of a file (a quick look).
    ``input_id`` names the input for the output folder's ownership and the manifest in place of
    its path (the command line's ``-`` spools standard input to a temporary file and calls it
    ``<stdin>``, so the same folder takes the next stdin run).

    ``force`` reprocesses every partition; otherwise unchanged ones are skipped. ``overwrite``
    writes into a folder that is not empty and not zhpipe's, or holds another input's results
    (files zhpipe did not write are left alone either way). ``engine`` is ``local``
    (``workers`` processes) or ``dask`` (a LocalCluster of ``workers`` processes, or the
    cluster at ``scheduler``).
    """
    config = config or Config()
    started = time.perf_counter()
    if not os.path.lexists(input_path):
        raise InputError(f"input path does not exist: {input_path}")
    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    _check_paths(input_path, output_path)
    OutputFolder.check(output_path, input_path, overwrite=overwrite, input_id=input_id)
    _setup(config)
    partitions, skipped = plan(input_path, config, limit=limit)
    if not partitions:
        what = f"; {len(skipped)} files skipped ({skipped[0].source_path}: {skipped[0].reason})" if skipped else ""
        raise NoDocuments(f"no documents to read in {input_id or input_path}{what}")
    folder = OutputFolder.claim(output_path, input_path, overwrite=overwrite, input_id=input_id)
    try:
        return _run_claimed(
            folder, input_id or str(input_path), partitions, skipped, config, started,
            workers=workers, force=force, retries=retries, engine=engine, scheduler=scheduler, progress=progress,
        )  # fmt: skip
    finally:
        folder.release()


def _run_claimed(
    folder: OutputFolder,
    input_name: str,
    partitions: list[Partition],
    skipped: list[Skipped],
    config: Config,
    started: float,
    *,
    workers: int,
    force: bool,
    retries: int,
    engine: str,
    scheduler: str | None,
    progress: Progress | None,
) -> RunReport:
    output_path = folder.root
    previous = store.read_manifest(output_path)
    current: dict[str, dict[str, Any]] = {}  # partition key -> its record

    # largest first, so the last partitions to finish are small ones and workers finish
    # together (outputs do not depend on the order: every partition writes its own parts)
    work: list[Partition] = []
    for part in sorted(partitions, key=lambda p: -p.weight):
        old = None if force else store.read_record(output_path, part.name)
        if old is not None and old.get("fingerprint") == part.fingerprint:
            current[part.key] = old
        else:
            work.append(part)
    folder.intend(
        [f for part in work for f in [*store.partition_files(part.name), *store.partition_files(part.failed_name)]]
    )
    if engine == "dask":
        from pipeline.dask_engine import run_dask

        records: Iterator[dict[str, Any]] = run_dask(
            work, output_path, config, workers=workers, retries=retries, scheduler=scheduler
        )
    else:
        records = run_local(work, output_path, config, workers=workers, retries=retries)
    timings: dict[str, float] = {}
    processed = failed_parts = 0
    bytes_in = 0
    bytes_total = sum(part.weight for part in work)
    documents_done = 0
    if progress:
        progress(RunProgress(0, len(work), 0, bytes_total, 0))
    by_name: dict[str, tuple[Partition, bool]] = {}
    for part in work:
        by_name[part.name] = (part, False)
        by_name[part.failed_name] = (part, True)
    for record in records:
        processed += 1
        part, failed = by_name[record["name"]]
        failed_parts += failed
        bytes_in += record["bytes_in"]
        for stage, seconds in record.pop("timings").items():
            timings[stage] = timings.get(stage, 0.0) + seconds
        current[part.key] = record
        documents_done += sum(record["documents"].values())
        if progress:
            progress(RunProgress(processed, len(work), bytes_in, bytes_total, documents_done))
    names = sorted(record["name"] for record in current.values())
    aggregate_files = [store.aggregate_name(table, names) for table in store.AGGREGATE_TABLES]
    folder.intend(aggregate_files)
    aggregates: dict[str, int] = {}
    for table in store.AGGREGATE_TABLES:  # in order: a merge may read the aggregates before it
        merging = time.perf_counter()
        aggregates[table] = store.write_aggregate(output_path, table, names, reuse=not force)
        timings[f"merge_{table}"] = time.perf_counter() - merging
    documents = {"ok": 0, "empty": 0, "failed": 0}
    rows = {name: 0 for name in schemas.TABLES}
    failures = 0
    for record in current.values():
        for status, n in record["documents"].items():
            documents[status] = documents.get(status, 0) + n
        for name, n in record["rows"].items():
            rows[name] += n
        failures += record["failures"]
    rows |= aggregates
    before = previous.get("parts") if previous.get("layout") == LAYOUT else None
    removed = len(set(before or {}) - set(current))  # partitions (keys) gone, not changed ones
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
            "unchanged": len(partitions) - processed,
            "removed": removed,
            "failed": failed_parts,
        },
        skipped=[{"source_path": s.source_path, "reason": s.reason} for s in skipped],
    )
    tables = store.manifest_tables(names)
    if failures:
        report.failure_reasons = failure_reasons(output_path, tables.get("failures", []))
    if skipped or failures:
        logger.warning(
            "%d files skipped, %d failures%s",
            len(skipped),
            failures,
            "".join(f"; {n} at {stage} ({error})" for stage, error, n, _ in report.failure_reasons),
        )
    manifest = {
        "layout": LAYOUT,
        "input": input_name,
        "config": config.to_dict(),
        "versions": versions(),
        "engine": engine,
        "workers": workers,
        "counts": {"documents": documents, "rows": rows, "failures": failures},
        "partitions": report.partitions | {"total": len(partitions)},
        "parts": {key: {"name": r["name"], "fingerprint": r["fingerprint"]} for key, r in sorted(current.items())},
        "tables": tables,
        "timings_s": {k: round(v, 3) for k, v in sorted(timings.items())} | {"wall": round(seconds, 3)},
        "bytes_processed": bytes_in,
        "skipped": report.skipped,
        "exit_code": report.exit_code,
    }
    store.write_json(manifest, output_path / MANIFEST)  # the commit: readers now see this run
    keep = {f for name in names for f in store.partition_files(name)} | set(aggregate_files)
    folder.collect(keep, legacy=legacy_files(output_path, store.PART_TABLES))
    return report

"""The batch: find inputs, process documents (in worker processes if asked), write tables.

Bad input never stops a batch: every file or record that cannot be read, decoded or
processed becomes a ``failures`` row naming the stage and the reason, and
:func:`exit_code` turns the count into the process exit status.
"""

from __future__ import annotations

import logging
import multiprocessing
import platform
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline import schemas
from pipeline.config import Config
from pipeline.errors import ConfigError, InputError, ZhpipeError
from pipeline.process import DocumentResult, Resources, build_resources, process_document
from pipeline.read import RawDocument, ReadFailure, Skipped, discover, iter_table_rows, read_file
from pipeline.records import FailureRow
from pipeline.store import write_tables
from pipeline.tables import sort_table, to_table

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
_TABLE_SUFFIXES = (".parquet", ".pq")
_ROW_BATCH = 200


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
    skipped: list[dict[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return exit_code(self.failures)

    def summary(self) -> str:
        d = self.documents
        mb = self.bytes_in / 1e6
        rate = mb / self.seconds if self.seconds else 0.0
        lines = [
            f"documents: {d.get('ok', 0)} ok, {d.get('empty', 0)} empty, {d.get('failed', 0)} failed, "
            f"{d.get('duplicate', 0)} duplicate; {len(self.skipped)} files skipped",
            "rows: " + ", ".join(f"{name} {n}" for name, n in self.rows.items()),
            f"{mb:.2f} MB in {self.seconds:.1f} s ({rate:.2f} MB/s) -> {self.output}",
        ]
        return "\n".join(lines)


# --- work units ---------------------------------------------------------------------------

_RESOURCES: Resources | None = None


def _init_worker(config: Config, resources: Resources | None = None) -> None:
    """Build a worker's resources once, when its process starts (or take ready ones)."""
    global _RESOURCES
    logging.getLogger("jieba").setLevel(logging.WARNING)
    _RESOURCES = resources or build_resources(config)


def _setup(config: Config) -> Resources:
    """Build the resources before any document is read, so a bad setup stops the run at once."""
    try:
        return build_resources(config)
    except ZhpipeError:
        raise
    except Exception as exc:  # a missing model or dictionary, whatever the library raises
        raise ConfigError(f"cannot build the pipeline's resources: {exc}") from exc


def _results_for(items: Iterable[RawDocument | ReadFailure], resources: Resources) -> list[DocumentResult]:
    out = []
    for item in items:
        if isinstance(item, ReadFailure):
            out.append(
                DocumentResult(failures=[FailureRow(item.source_path, None, item.stage, item.error, item.message)])
            )
        else:
            out.append(process_document(item, resources))
    return out


def _file_task(path: Path, source_path: str) -> tuple[int, list[DocumentResult]]:
    assert _RESOURCES is not None
    size = path.stat().st_size if path.is_file() else 0
    return size, _results_for(read_file(path, source_path, text_column=_RESOURCES.config.text_column), _RESOURCES)


def _docs_task(docs: list[RawDocument | ReadFailure]) -> tuple[int, list[DocumentResult]]:
    assert _RESOURCES is not None
    size = sum(len(d.raw_text.encode("utf-8")) for d in docs if isinstance(d, RawDocument))
    return size, _results_for(docs, _RESOURCES)


def _batched(items: Iterator[RawDocument | ReadFailure], n: int) -> Iterator[list[RawDocument | ReadFailure]]:
    batch: list[RawDocument | ReadFailure] = []
    for item in items:
        batch.append(item)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


# --- the batch ------------------------------------------------------------------------------


def _check_paths(input_path: Path, output_path: Path) -> None:
    src = input_path.resolve()
    out = output_path.resolve()
    root = src if src.is_dir() else src.parent
    if out == root or root in out.parents:
        raise InputError(f"output {output_path} is inside the input folder {root}: raw data is never written to")
    if out.exists() and not out.is_dir():
        raise InputError(f"output {output_path} exists and is not a folder")


def _tasks(input_path: Path, config: Config) -> tuple[list[tuple[Any, tuple[Any, ...]]], list[Skipped]]:
    if input_path.is_file() and input_path.suffix.lower() in _TABLE_SUFFIXES:
        rows = iter_table_rows(input_path, text_column=config.text_column)
        return [(_docs_task, (batch,)) for batch in _batched(rows, _ROW_BATCH)], []
    files, skipped = discover(input_path)
    return [(_file_task, (path, rel)) for path, rel in files], skipped


def _execute(
    tasks: list[tuple[Any, tuple[Any, ...]]],
    config: Config,
    resources: Resources,
    workers: int,
    progress: Progress | None,
) -> Iterator[tuple[int, list[DocumentResult]]]:
    total = len(tasks)
    if workers <= 1:
        _init_worker(config, resources)
        for done, (func, args) in enumerate(tasks, 1):
            yield func(*args)
            if progress:
                progress(done, total)
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(config,)) as pool:
        futures = [pool.submit(func, *args) for func, args in tasks]
        for done, (future, (_, args)) in enumerate(zip(futures, tasks, strict=True), 1):
            try:
                yield future.result()
            except BrokenProcessPool as exc:
                where = args[1] if len(args) > 1 else "rows"
                yield (
                    0,
                    [
                        DocumentResult(
                            failures=[
                                FailureRow(
                                    str(where),
                                    None,
                                    "worker",
                                    type(exc).__name__,
                                    "a worker process died while processing this input",
                                )
                            ]
                        )
                    ],
                )
            if progress:
                progress(done, total)


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
    progress: Progress | None = None,
) -> RunReport:
    """Process ``input_path`` (a folder or a file) into tables under ``output_path``."""
    config = config or Config()
    started = time.perf_counter()
    if not input_path.exists():
        raise InputError(f"input path does not exist: {input_path}")
    _check_paths(input_path, output_path)
    resources = _setup(config)
    tasks, skipped = _tasks(input_path, config)
    rows: dict[str, list[Any]] = {name: [] for name in schemas.TABLES if name != "entity_catalog"}
    counts = {"ok": 0, "empty": 0, "failed": 0, "duplicate": 0}
    seen: dict[str, str] = {}
    duplicates: list[dict[str, str]] = []
    timings: dict[str, float] = {}
    bytes_in = 0
    for size, results in _execute(tasks, config, resources, workers, progress):
        bytes_in += size
        for res in results:
            for stage, seconds in res.timings.items():
                timings[stage] = timings.get(stage, 0.0) + seconds
            rows["failures"].extend(res.failures)
            doc = res.document
            if doc is None:
                continue
            if doc.doc_id in seen:
                counts["duplicate"] += 1
                duplicates.append({"source_path": doc.source_path, "doc_id": doc.doc_id, "same_as": seen[doc.doc_id]})
                continue
            seen[doc.doc_id] = doc.source_path
            counts[doc.status] += 1
            rows["documents"].append(doc)
            rows["sentences"].extend(res.sentences)
            rows["tokens"].extend(res.tokens)
            rows["figures"].extend(res.figures)
            rows["entities"].extend(res.entities)
    counts["failed"] = len({f.source_path for f in rows["failures"]})
    tables = {name: to_table(rows[name], schemas.TABLES[name]) for name in rows}
    tables["entity_catalog"] = _catalog(rows["entities"])
    tables = {name: tables[name] for name in schemas.TABLES}
    seconds = time.perf_counter() - started
    report = RunReport(
        output=output_path,
        documents=counts,
        rows={name: t.num_rows for name, t in tables.items()},
        failures=len(rows["failures"]),
        seconds=seconds,
        bytes_in=bytes_in,
        skipped=[{"source_path": s.source_path, "reason": s.reason} for s in skipped],
    )
    manifest = {
        "input": str(input_path),
        "config": config.to_dict(),
        "versions": versions(),
        "counts": {"documents": counts, "rows": report.rows, "failures": report.failures},
        "timings_s": {k: round(v, 3) for k, v in sorted(timings.items())} | {"total": round(seconds, 3)},
        "bytes_in": bytes_in,
        "skipped": report.skipped,
        "duplicates": duplicates,
        "exit_code": report.exit_code,
    }
    write_tables(tables, output_path, manifest)
    return report


def _catalog(entities: list[Any]) -> pa.Table:
    """The entity catalog: one row per canonical entity, aggregated over all mentions."""
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

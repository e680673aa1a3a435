"""Splitting the input into partitions: the unit of work, of output files and of reruns.

A folder's files go into buckets by a hash of their relative path (so adding a file touches one
bucket); the bucket count is the power of two that keeps about ``partition_files`` files in
each (a corpus that crosses a power of two is repartitioned once). One JSONL or Parquet file is
cut into runs of ``partition_rows`` records, read and shipped by the main process. Each
partition has a fingerprint of its content, the pipeline version and the config: a rerun skips
a partition whose fingerprint is unchanged.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from pipeline.config import Config
from pipeline.read import RecordSpec, Skipped, discover, record_columns

TABLE_SUFFIXES = (".parquet", ".pq", ".jsonl")


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work: files to read (folder input) or records already read (table input)."""

    key: str
    files: tuple[tuple[str, str, str], ...] = ()  # (path, path relative to the input, digest)
    records: tuple[tuple[str, dict[str, object]], ...] = ()  # (source_path, record)
    fingerprint: str = ""
    weight: int = 0  # bytes of input (folder input): larger partitions are started first

    @property
    def name(self) -> str:
        """The name of its files: the key and a tag of the fingerprint (a changed partition is
        written beside the old one, never over it)."""
        return f"{self.key}-{self.fingerprint[:16]}"

    @property
    def failed_name(self) -> str:
        """The name of its files when its worker died on every try."""
        return f"{self.key}-x{hashlib.sha256(self.fingerprint.encode()).hexdigest()[:15]}"


_PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the package's code and data files: changed code reprocesses every partition,
    even without a version bump."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def pipeline_fingerprint(config: Config) -> str:
    """What, besides the input, decides the output: version, config, the package's code and
    data, and the user dictionary."""
    try:
        version = metadata.version("zhpipe")
    except metadata.PackageNotFoundError:
        version = "unknown"
    # include and exclude choose the files, not what is made of each: not part of the fingerprint
    settings = {k: v for k, v in config.to_dict().items() if k not in ("include", "exclude")}
    h = hashlib.sha256(json.dumps({"version": version, "config": settings}, sort_keys=True).encode())
    h.update(code_fingerprint().encode())
    if config.user_dict:
        path = Path(config.user_dict)
        h.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"absent"))
    return h.hexdigest()


def bucket_count(n_files: int, per_bucket: int = 64) -> int:
    """The power of two that keeps about ``per_bucket`` files in a bucket.

    >>> bucket_count(5), bucket_count(64), bucket_count(65), bucket_count(1000)
    (1, 1, 2, 16)
    """
    count = 1
    while count * per_bucket < n_files:
        count *= 2
    return count


def _bucket(rel: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(rel.encode()).digest()[:4], "big") % count


def file_digest(path: Path | str) -> str:
    """SHA-256 of a file's bytes (or of the error reading it)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError as exc:  # unreadable files fail in the worker, with a row; fingerprint the error
        h.update(f"error:{type(exc).__name__}".encode())
    return h.hexdigest()


def plan(input_path: Path, config: Config, *, limit: int | None = None) -> tuple[list[Partition], list[Skipped]]:
    """The partitions of ``input_path`` and the files skipped (unsupported, or left out by
    ``include``/``exclude``). ``limit`` keeps the first files of a folder (in path order) or the
    first records of one JSONL or Parquet file, for a quick look."""
    base = pipeline_fingerprint(config)
    if input_path.is_file() and input_path.suffix.lower() in TABLE_SUFFIXES:
        return list(_table_partitions(input_path, config, base, limit)), []
    files, skipped = discover(
        input_path, follow_symlinks=config.follow_symlinks, include=config.include, exclude=config.exclude
    )
    if limit is not None and len(files) > limit:
        skipped = [*skipped, *(Skipped(rel, f"beyond --limit {limit}") for _, rel in files[limit:])]
        files = files[:limit]
    count = bucket_count(len(files), config.partition_files)
    width = max(5, len(str(count - 1)))
    buckets: dict[int, list[tuple[Path, str]]] = {}
    for path, rel in files:
        buckets.setdefault(_bucket(rel, count), []).append((path, rel))
    parts = []
    for number in sorted(buckets):
        members = sorted(buckets[number], key=lambda item: item[1])
        h = hashlib.sha256(base.encode())
        digests = [file_digest(path) for path, _ in members]
        for (_, rel), digest in zip(members, digests, strict=True):
            h.update(f"\0{rel}\0{digest}".encode())
        parts.append(
            Partition(
                key=f"p{number:0{width}d}-of-{count}",
                files=tuple((os.fsdecode(path), rel, d) for (path, rel), d in zip(members, digests, strict=True)),
                fingerprint=h.hexdigest(),
                weight=sum(_size(path) for path, _ in members),
            )
        )
    return parts, skipped


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # unreadable: the worker reports it


def _records(path: Path, spec: RecordSpec, batch_rows: int) -> Iterator[tuple[str, dict[str, object]]]:
    """Records of a JSONL or Parquet file as ``(source_path, record)``; a bad line is kept as an
    error record so the worker turns it into a failure row."""
    if path.suffix.lower() == ".jsonl":
        with path.open("rb") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    yield f"{path.name}#L{lineno}", {"__line__": line}
        return
    import pyarrow.parquet as pq

    from pipeline.errors import InputError

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise InputError(f"cannot read {path} as Parquet: {exc}") from exc
    names = parquet.schema_arrow.names
    wanted = record_columns(names, spec)
    if wanted is None:
        raise InputError(f"{path.name} has no {' or '.join(map(repr, spec.text))} column (columns: {', '.join(names)})")
    row = 0
    for batch in parquet.iter_batches(batch_size=batch_rows, columns=wanted):
        for record in batch.to_pylist():
            yield f"{path.name}#{row}", record
            row += 1


def _table_partitions(path: Path, config: Config, base: str, limit: int | None = None) -> Iterator[Partition]:
    batch: list[tuple[str, dict[str, object]]] = []
    number = 0

    def emit() -> Partition:
        h = hashlib.sha256(base.encode())
        for source_path, record in batch:
            h.update(source_path.encode() + b"\0" + json.dumps(record, sort_keys=True, default=str).encode())
        return Partition(key=f"r{number:06d}", records=tuple(batch), fingerprint=h.hexdigest())

    records = _records(path, config.record_spec, config.partition_rows)
    for item in records if limit is None else itertools.islice(records, limit):
        batch.append(item)
        if len(batch) >= config.partition_rows:
            yield emit()
            number += 1
            batch = []
    if batch:
        yield emit()

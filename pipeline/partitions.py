"""Splitting the input into partitions: the unit of work, of output files and of reruns.

A folder's files go into buckets by a hash of their relative path (so adding a file touches one
bucket); the bucket count is the power of two that keeps about ``partition_files`` files and
about ``partition_bytes`` bytes in each (a corpus that crosses a power of two is repartitioned
once). A JSONL or Parquet file (the input, or one in a folder larger than ``partition_bytes``)
is cut into ranges that the workers read themselves, so planning needs memory independent of
the file's size: a JSONL into byte ranges of whole lines, a Parquet file into runs of row
groups. A JSONL range ends after a line whose hash has its low bits zero (content-defined, like
a chunking backup tool: the expected range is about ``partition_bytes``, and an edit that
changes a line's length moves no other range's ends), or at twice ``partition_bytes``,
or at ``partition_rows`` records when that is set. Each partition has a fingerprint of its
content, the pipeline version and the config: a rerun skips a partition whose fingerprint is
unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from pipeline.config import Config
from pipeline.read import Skipped, discover, record_columns

TABLE_SUFFIXES = (".parquet", ".pq", ".jsonl")


@dataclass(frozen=True, slots=True)
class Range:
    """A part of one JSONL or Parquet file that a worker reads itself.

    ``where`` names the file in ``source_path`` (``posts.jsonl#L12``); for a JSONL ``start`` and
    ``end`` are byte offsets of whole lines and ``first`` the line number at ``start``; for a
    Parquet file they are row-group indices and ``first`` the row number at ``start``. ``digest``
    is the SHA-256 of the JSONL bytes (of the whole Parquet file), ``limit`` the records to read
    at most (``--limit``; -1: all).
    """

    path: str
    where: str
    format: str
    start: int
    end: int
    first: int
    digest: str
    limit: int = -1


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work: files to read (folder input) or ranges of a JSONL or Parquet file."""

    key: str
    files: tuple[tuple[str, str, str], ...] = ()  # (path, path relative to the input, digest)
    ranges: tuple[Range, ...] = ()
    fingerprint: str = ""
    weight: int = 0  # bytes of input: larger partitions are started first

    @property
    def sources(self) -> list[str]:
        """What it reads, as failure rows name it."""
        return [rel for _, rel, _ in self.files] + [f"{r.where}#{_first_mark(r)}" for r in self.ranges]

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


def _first_mark(r: Range) -> str:
    return f"L{r.first}" if r.format == "jsonl" else str(r.first)


def bucket_count(n_files: int, per_bucket: int = 64, n_bytes: int = 0, bytes_per_bucket: int = 0) -> int:
    """The power of two that keeps about ``per_bucket`` files and at most about
    ``bytes_per_bucket`` bytes (when given) in a bucket.

    >>> bucket_count(5), bucket_count(64), bucket_count(65), bucket_count(1000)
    (1, 1, 2, 16)
    >>> bucket_count(50, 64, 4_700_000, 4_000_000), bucket_count(50, 64, 40_000_000, 4_000_000)
    (2, 16)
    """
    count = 1
    while count * per_bucket < n_files or (bytes_per_bucket and count * bytes_per_bucket < n_bytes):
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
        return list(table_partitions(input_path, input_path.name, config, base, limit=limit)), []
    files, skipped = discover(
        input_path, follow_symlinks=config.follow_symlinks, include=config.include, exclude=config.exclude
    )
    if limit is not None and len(files) > limit:
        skipped = [*skipped, *(Skipped(rel, f"beyond --limit {limit}") for _, rel in files[limit:])]
        files = files[:limit]
    # a large JSONL or Parquet file in a folder is cut into ranges of its own
    large = [(p, rel) for p, rel in files if p.suffix.lower() in TABLE_SUFFIXES and _size(p) > config.partition_bytes]
    ranged = {rel for _, rel in large}
    files = [(p, rel) for p, rel in files if rel not in ranged]
    sizes = {rel: _size(path) for path, rel in files}
    count = bucket_count(len(files), config.partition_files, sum(sizes.values()), config.partition_bytes)
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
                weight=sum(sizes[rel] for _, rel in members),
            )
        )
    for path, rel in large:
        tag = hashlib.sha256(rel.encode()).hexdigest()[:8]
        parts.extend(table_partitions(path, rel, config, base, prefix=f"t{tag}-"))
    return parts, skipped


def table_partitions(
    path: Path, where: str, config: Config, base: str, *, prefix: str = "", limit: int | None = None
) -> Iterator[Partition]:
    """The range partitions of one JSONL or Parquet file, planned without reading it whole.

    Keys name where a range starts (``L000000001``: its first line; ``g000000``: its first
    row group), so a range whose start did not move keeps its key and, unchanged, its output.
    """
    ranges = (
        jsonl_ranges(path, where, config.partition_bytes, config.partition_rows, limit)
        if path.suffix.lower() == ".jsonl"
        else parquet_ranges(path, where, config, limit)
    )
    for r in ranges:
        h = hashlib.sha256(base.encode())
        # a JSONL range is its lines (where they start is no part of what comes out of them);
        # a Parquet range is its row groups of the file as it is
        span = "" if r.format == "jsonl" else f"{r.start}-{r.end}"
        h.update(f"\0{where}\0{r.format}\0{span}\0{r.first}\0{r.limit}\0{r.digest}".encode())
        mark = f"L{r.first:09d}" if r.format == "jsonl" else f"g{r.start:06d}"
        weight = r.end - r.start if r.format == "jsonl" else max(1, _size(path))
        yield Partition(key=f"{prefix}{mark}", ranges=(r,), fingerprint=h.hexdigest(), weight=weight)


def jsonl_ranges(
    path: Path, where: str, partition_bytes: int, max_rows: int = 0, limit: int | None = None
) -> Iterator[Range]:
    """Byte ranges of whole lines of a JSONL file, about ``partition_bytes`` each (see the
    module's note), read in two streaming passes: the line count (for the mean line length)
    and the cuts. ``max_rows`` caps the non-blank lines of a range, ``limit`` of the file."""
    size = _size(path)
    lines = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            lines += block.count(b"\n")
    mean = size / max(1, lines)
    mask = (1 << max(0, int(partition_bytes / max(1.0, mean)).bit_length() - 1)) - 1
    cap = 2 * partition_bytes  # a worker holds its partition: 804 MB at 4 MB ranges (1 GB run)
    with path.open("rb") as fh:
        start = pos = 0
        first = lineno = 1
        rows = total = 0
        h = hashlib.sha256()
        for line in fh:
            lineno += 1
            pos += len(line)
            h.update(line)
            body = line.rstrip(b"\r\n")
            if body.strip():
                rows += 1
                total += 1
            done = limit is not None and total >= limit
            if (zlib.crc32(body) & mask) == 0 or pos - start >= cap or (max_rows and rows >= max_rows) or done:
                yield Range(os.fsdecode(path), where, "jsonl", start, pos, first, h.hexdigest())
                start, first, rows, h = pos, lineno, 0, hashlib.sha256()
            if done:
                return
        if pos > start:
            yield Range(os.fsdecode(path), where, "jsonl", start, pos, first, h.hexdigest())


def parquet_ranges(path: Path, where: str, config: Config, limit: int | None = None) -> Iterator[Range]:
    """Runs of row groups of a Parquet file, about ``partition_bytes`` (uncompressed) each, and
    at most ``partition_rows`` rows when that is set (a run is at least one row group)."""
    import pyarrow.parquet as pq

    from pipeline.errors import InputError

    try:
        meta = pq.ParquetFile(path).metadata
        names = meta.schema.to_arrow_schema().names
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise InputError(f"cannot read {path} as Parquet: {exc}") from exc
    spec = config.record_spec
    if record_columns(names, spec) is None:
        raise InputError(f"{path.name} has no {' or '.join(map(repr, spec.text))} column (columns: {', '.join(names)})")
    digest = file_digest(path)
    start = first = row = size = rows = 0
    left = -1 if limit is None else limit
    for group in range(meta.num_row_groups):
        info = meta.row_group(group)
        size += info.total_byte_size
        rows += info.num_rows
        row += info.num_rows
        full = size >= config.partition_bytes or (config.partition_rows and rows >= config.partition_rows)
        if left >= 0 and row - first >= left:
            yield Range(os.fsdecode(path), where, "parquet", start, group + 1, first, digest, left)
            return
        if full or group == meta.num_row_groups - 1:
            yield Range(os.fsdecode(path), where, "parquet", start, group + 1, first, digest, left)
            if left >= 0:
                left -= row - first
            start, first, size, rows = group + 1, row, 0, 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # unreadable: the worker reports it

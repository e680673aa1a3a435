"""Writing and loading the output: one folder per table, one Parquet part per partition.

```
<output>/manifest.json                          the run's summary and the list of its files (written last)
<output>/documents/<partition>-<tag>.parquet    (likewise sentences, tokens, figures, entities, failures)
<output>/entity_catalog/entity_catalog-<tag>.parquet     (merged from every partition's share at the end)
<output>/_partitions/<partition>-<tag>.json              (fingerprint and counts: what a rerun may skip)
<output>/_shares/entity_catalog/<partition>-<tag>.parquet (the partition's share of the catalog)
<output>/.zhpipe/                               lock, owner and journal (see pipeline.outfolder)
```

``<tag>`` comes from the partition's fingerprint, so a changed partition is written beside the
old one, never over it. Every file is written to a temporary name in its folder and moved into
place with :func:`os.replace` (atomic on POSIX); a partition's record is written after its
parts, and the manifest after every partition: it names the files of the finished run, and
:func:`load` reads just those, so a reader sees one finished run, never a mix. Files of older
runs are deleted after the manifest is written; until then a plain
``pandas.read_parquet("<output>/tokens")`` sees both, after it only the current run's parts.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import schemas
from pipeline.errors import InputError
from pipeline.outfolder import LAYOUT, MANIFEST, file_mode, fs_step

PARTITIONS = "_partitions"
SHARES = "_shares"
#: Tables written per partition, and those merged from partition shares (the catalog).
PART_TABLES = tuple(name for name, spec in schemas.SPECS.items() if not spec.aggregate)
AGGREGATE_TABLES = tuple(name for name, spec in schemas.SPECS.items() if spec.aggregate)


def _atomic_write(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        write(str(tmp))
        os.chmod(tmp, file_mode())
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        fs_step("rename", path)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_table(table: pa.Table, path: Path) -> None:
    """Write one Parquet file atomically (deterministic bytes for the same rows)."""
    _atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="zstd", write_statistics=True))


def write_json(data: dict[str, Any], path: Path) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def part_name(table: str, name: str) -> str:
    """A partition's part of ``table``, relative to the output folder (``name`` is key-tag)."""
    return f"{table}/{name}.parquet"


def partition_files(name: str) -> list[str]:
    """Every file a partition writes, in the order it writes them (its record last)."""
    return [
        *(part_name(table, name) for table in PART_TABLES),
        *(share_name(table, name) for table in AGGREGATE_TABLES),
        f"{PARTITIONS}/{name}.json",
    ]


def write_partition(
    out_dir: Path, name: str, tables: dict[str, pa.Table], shares: dict[str, pa.Table], record: dict[str, Any]
) -> None:
    """Write a partition's parts, its shares of the aggregates, then its record (last, so it
    vouches for them)."""
    for table_name in PART_TABLES:
        table = tables[table_name]
        if not table.schema.equals(schemas.TABLES[table_name]):
            raise ValueError(f"table {table_name!r} does not have its declared schema")
        write_table(table, out_dir / part_name(table_name, name))
    for table_name in AGGREGATE_TABLES:
        write_table(shares[table_name], out_dir / share_name(table_name, name))
    write_json(record, out_dir / PARTITIONS / f"{name}.json")


def read_record(out_dir: Path, name: str) -> dict[str, Any] | None:
    """A partition's record, when it and every file it vouches for are there."""
    try:
        record = json.loads((out_dir / PARTITIONS / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # absent or damaged: the partition is processed again
    if not isinstance(record, dict) or not all((out_dir / f).is_file() for f in partition_files(name)[:-1]):
        return None
    return record


def share_name(table: str, name: str) -> str:
    """A partition's share of the aggregate ``table``, relative to the output folder."""
    return f"{SHARES}/{table}/{name}.parquet"


def aggregate_name(table: str, names: Iterable[str]) -> str:
    """The file of the aggregate ``table`` merged from the partitions ``names``."""
    tag = hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()[:16]
    return f"{table}/{table}-{tag}.parquet"


def write_aggregate(out_dir: Path, table: str, names: Iterable[str], *, reuse: bool = False) -> int:
    """Merge the shares of the partitions ``names`` into the aggregate ``table`` and write it as
    :func:`aggregate_name` (out of core: see :func:`pipeline.aggregates.write_merged`; the
    aggregates it ``needs`` are read from the files of the same partitions, written before it);
    the table's rows. With ``reuse``, an aggregate of exactly these partitions already written is
    kept instead."""
    from pipeline.aggregates import AGGREGATES, write_merged

    aggregate = AGGREGATES[table]
    names = sorted(names)
    path = out_dir / aggregate_name(table, names)
    if reuse and path.is_file():
        # its name is a hash of the partitions' names, which carry their fingerprints: the same
        # partitions merge into the same bytes, so a rerun with nothing changed keeps it
        return pq.read_metadata(path).num_rows
    merged = {
        need: pq.read_table(out_dir / aggregate_name(need, names), schema=schemas.SPECS[need].schema)
        for need in aggregate.needs
    }
    shares = [out_dir / share_name(table, name) for name in names]
    rows = 0

    def write(tmp: str) -> None:
        nonlocal rows
        rows = write_merged(table, shares, merged, tmp)

    _atomic_write(path, write)
    return rows


def manifest_tables(names: Iterable[str]) -> dict[str, list[str]]:
    """The files of each table for the manifest: what :func:`load` reads."""
    names = sorted(names)
    out = {table: [part_name(table, name) for name in names] for table in PART_TABLES}
    out |= {table: [aggregate_name(table, names)] for table in AGGREGATE_TABLES}
    return {table: out[table] for table in schemas.SPECS}


def read_manifest(out_dir: Path) -> dict[str, Any]:
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return data if isinstance(data, dict) else {}


def read_arrow(
    path: Path, name: str, columns: list[str] | None = None, files: list[str] | None = None, filters: Any = None
) -> pa.Table:
    """One table as Arrow with its declared schema (or its ``columns``): the parts ``files``
    (relative to ``path``), or every part in the table's folder; an absent table reads as empty.
    ``filters`` are pyarrow's row filters (``[("kind", "=", "money")]``), applied as each part is read."""
    schema = schemas.TABLES[name]
    folder = path / name
    if files is None:
        found = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    else:
        found = [path / f for f in files]
    parts = [pq.read_table(f, schema=schema, columns=columns, filters=filters) for f in found]
    if parts:
        return pa.concat_tables(parts)
    empty = schema.empty_table()
    return empty.select(columns) if columns else empty


class Tables:
    """The output of a run as pandas DataFrames, one attribute per table loaded
    (``tables.tokens``; the tables are those of :data:`pipeline.schemas.SPECS`), and the
    run's ``manifest``."""

    def __init__(self, manifest: dict[str, Any] | None = None, **frames: pd.DataFrame) -> None:
        unknown = [name for name in frames if name not in schemas.SPECS]
        if unknown:
            raise TypeError(f"no such table: {', '.join(unknown)}; the tables are {', '.join(schemas.SPECS)}")
        self._frames = {name: frames[name] for name in schemas.SPECS if name in frames}
        self.manifest: dict[str, Any] = manifest or {}

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = self.__dict__.get("_frames", {})
        if name in frames:
            return frames[name]
        if name in schemas.SPECS:
            raise AttributeError(f"table {name!r} was not loaded (pipeline.load(..., tables=[..., {name!r}]))")
        raise AttributeError(f"no table {name!r}; the tables are {', '.join(schemas.SPECS)}")

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._frames]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(frame)}" for name, frame in self._frames.items())
        return f"Tables({sizes})"


def load(
    path: str | os.PathLike[str] = "data/processed",
    *,
    tables: Iterable[str] | None = None,
    columns: dict[str, list[str]] | None = None,
    filters: dict[str, Any] | None = None,
    attempts: int = 5,
) -> Tables:
    """Load the tables a run wrote into ``path`` as DataFrames, rows in key order.

    ``tables`` picks tables (all by default); ``columns`` picks columns per table (``{"tokens":
    ["doc_id", "text", "pos"]}``), read from the files alone, so ``raw_text`` or the tokens'
    offsets cost nothing when left out. Only the files the manifest names are read, so a run in
    progress is invisible: the tables are those of the last finished run. If that run's files
    are removed while they are read (a newer run has just finished), the newer manifest is read
    and loading starts again. ``filters`` keeps rows per table as each file is read, in pyarrow's
    form (``{"figures": [("kind", "=", "money"), ("currency", "=", "TWD")]}``; a list of such
    lists is an OR of ANDs).

    >>> tables = load("data/processed", tables=["tokens"], columns={"tokens": ["text", "pos"]})  # doctest: +SKIP
    >>> tables.tokens.query("pos == 'nr'").text.value_counts().head()  # doctest: +SKIP
    """
    from pipeline.tables import sort_table, to_pandas

    root = Path(path)
    if not root.is_dir():
        raise InputError(f"no output folder at {root}")
    names = list(schemas.SPECS) if tables is None else list(dict.fromkeys(tables))
    wanted = columns or {}
    for name in [*names, *wanted]:
        if name not in schemas.SPECS:
            raise InputError(f"no table {name!r}; the tables are {', '.join(schemas.SPECS)}")
    for name, cols in wanted.items():
        bad = [c for c in cols if c not in schemas.TABLES[name].names]
        if bad:
            raise InputError(f"table {name!r} has no column {', '.join(map(repr, bad))}")
    kept = filters or {}
    for name in kept:
        if name not in schemas.SPECS:
            raise InputError(f"no table {name!r} to filter; the tables are {', '.join(schemas.SPECS)}")
    for attempt in range(attempts):
        manifest = read_manifest(root)
        listed = manifest.get("tables") if manifest.get("layout") == LAYOUT else None
        try:
            frames = {}
            for name in names:
                spec = schemas.SPECS[name]
                picked = wanted.get(name)
                read = None if picked is None else list(dict.fromkeys([*picked, *spec.sort_keys]))
                files = listed.get(name, []) if listed else None
                table = sort_table(read_arrow(root, name, read, files=files, filters=kept.get(name)), spec.sort_keys)
                frames[name] = to_pandas(table.select(picked) if picked is not None else table)
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            continue
        return Tables(**frames, manifest=manifest)
    raise AssertionError("unreachable")

"""Writing and loading the output: one folder per table, one Parquet part per partition.

```
<output>/documents/<partition>.parquet      (likewise sentences, tokens, figures, entities, failures)
<output>/entity_catalog/catalog.parquet     (merged from every partition at the end of a run)
<output>/manifest.json
<output>/_partitions/<partition>.json       (fingerprint and counts: what a rerun may skip)
<output>/_catalog/<partition>.parquet       (the partition's share of the catalog)
```

Every file is written to a temporary name in its folder and moved into place with
:func:`os.replace` (atomic on POSIX), so a reader never sees a half-written file; a partition's
record is written after its parts, so a run killed at any moment is completed by the next one.
``pandas.read_parquet("<output>/tokens")`` reads a table folder; :func:`load` reads them all.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import schemas
from pipeline.errors import InputError

MANIFEST = "manifest.json"
PARTITIONS = "_partitions"
CATALOG_PARTS = "_catalog"
#: Tables written per partition (the catalog is merged across partitions).
PART_TABLES = tuple(name for name in schemas.TABLES if name != "entity_catalog")


def _atomic_write(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(table: pa.Table, path: Path) -> None:
    """Write one Parquet file atomically (deterministic bytes for the same rows)."""
    _atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="zstd", write_statistics=True))


def write_json(data: dict[str, Any], path: Path) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def part_path(out_dir: Path, table: str, key: str) -> Path:
    return out_dir / table / f"{key}.parquet"


def write_partition(
    out_dir: Path, key: str, tables: dict[str, pa.Table], catalog: pa.Table, record: dict[str, Any]
) -> None:
    """Write a partition's parts, its catalog share, then its record (last, so it vouches for them)."""
    for name in PART_TABLES:
        table = tables[name]
        if not table.schema.equals(schemas.TABLES[name]):
            raise ValueError(f"table {name!r} does not have its declared schema")
        write_table(table, part_path(out_dir, name, key))
    write_table(catalog, out_dir / CATALOG_PARTS / f"{key}.parquet")
    write_json(record, out_dir / PARTITIONS / f"{key}.json")


def read_records(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The partition records of a previous run (empty for a new output folder)."""
    folder = out_dir / PARTITIONS
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.glob("*.json")):
        try:
            out[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue  # a damaged record only means that partition is processed again
    return out


def partition_complete(out_dir: Path, key: str) -> bool:
    return (
        all(part_path(out_dir, name, key).exists() for name in PART_TABLES)
        and (out_dir / CATALOG_PARTS / f"{key}.parquet").exists()
    )


def remove_partition(out_dir: Path, key: str) -> None:
    """Drop a partition whose input is gone: its record first, then its files."""
    (out_dir / PARTITIONS / f"{key}.json").unlink(missing_ok=True)
    for name in PART_TABLES:
        part_path(out_dir, name, key).unlink(missing_ok=True)
    (out_dir / CATALOG_PARTS / f"{key}.parquet").unlink(missing_ok=True)


def remove_leftovers(out_dir: Path) -> None:
    """Temporary files a killed run left behind, and single-file tables of an older layout."""
    if not out_dir.is_dir():
        return
    for tmp in out_dir.rglob(".*.tmp"):
        tmp.unlink(missing_ok=True)
    for name in schemas.TABLES:
        (out_dir / f"{name}.parquet").unlink(missing_ok=True)


def read_arrow(path: Path, name: str, columns: list[str] | None = None) -> pa.Table:
    """One table as Arrow with its declared schema (all parts; an absent table reads as empty)."""
    schema = schemas.TABLES[name]
    folder = path / name
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    parts = [pq.read_table(f, schema=schema) for f in files]
    table = pa.concat_tables(parts) if parts else schema.empty_table()
    return table.select(columns) if columns else table


def merge_catalog(parts: Iterable[pa.Table]) -> pa.Table:
    """Merge the partitions' catalog shares: mentions and documents add up, aliases unite."""
    frames = [p.to_pandas() for p in parts if p.num_rows]
    if not frames:
        return schemas.ENTITY_CATALOG.empty_table()
    frame = pd.concat(frames, ignore_index=True)
    merged = frame.groupby("entity_id", sort=True).agg(
        name=("name", "first"),
        label=("label", "first"),
        aliases=("aliases", lambda s: "|".join(sorted({a for v in s for a in v.split("|") if a}))),
        n_mentions=("n_mentions", "sum"),
        n_docs=("n_docs", "sum"),
    )
    merged = merged.reset_index()[schemas.ENTITY_CATALOG.names]
    return pa.Table.from_pandas(merged, schema=schemas.ENTITY_CATALOG, preserve_index=False).replace_schema_metadata(
        None
    )


def write_catalog(out_dir: Path) -> pa.Table:
    """Rebuild ``entity_catalog`` from the catalog shares of every current partition."""
    files = sorted((out_dir / CATALOG_PARTS).glob("*.parquet"))
    catalog = merge_catalog(pq.read_table(f, schema=schemas.ENTITY_CATALOG) for f in files)
    write_table(catalog, out_dir / "entity_catalog" / "catalog.parquet")
    return catalog


@dataclass
class Tables:
    """The output of a run as pandas DataFrames, one attribute per table."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    tokens: pd.DataFrame
    figures: pd.DataFrame
    entities: pd.DataFrame
    entity_catalog: pd.DataFrame
    failures: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(getattr(self, name))}" for name in schemas.TABLES)
        return f"Tables({sizes})"


def load(path: str | os.PathLike[str] = "data/processed") -> Tables:
    """Load the tables a run wrote into ``path`` as DataFrames, rows in key order.

    >>> tables = load("data/processed")  # doctest: +SKIP
    >>> tables.tokens.query("not is_stop and not is_punct").text.value_counts().head()  # doctest: +SKIP
    """
    from pipeline.tables import sort_table

    root = Path(path)
    if not root.is_dir():
        raise InputError(f"no output folder at {root}")
    frames = {name: sort_table(read_arrow(root, name)).to_pandas() for name in schemas.TABLES}
    manifest_path = root / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    return Tables(**frames, manifest=manifest)

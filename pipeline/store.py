"""Writing and loading the output tables.

Each table is one Parquet file, ``<output>/<table>.parquet``, written to a temporary file in
the same folder and moved into place with :func:`os.replace` (atomic on POSIX), so a reader
never sees a half-written table. ``manifest.json`` is written last, the same way.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import schemas
from pipeline.errors import InputError

MANIFEST = "manifest.json"


def _atomic_write(path: Path, write: Any) -> None:
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
    """Write one table atomically (deterministic bytes for the same rows)."""
    _atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="zstd", write_statistics=True))


def write_manifest(manifest: dict[str, Any], path: Path) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def write_tables(tables: dict[str, pa.Table], out_dir: Path, manifest: dict[str, Any]) -> None:
    """Write every table, then the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if not table.schema.equals(schemas.TABLES[name]):
            raise ValueError(f"table {name!r} does not have its declared schema")
        write_table(table, out_dir / f"{name}.parquet")
    write_manifest(manifest, out_dir / MANIFEST)


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


def read_arrow(path: Path, name: str) -> pa.Table:
    """One table as Arrow, with its declared schema (an absent table reads as empty)."""
    file = path / f"{name}.parquet"
    if not file.exists():
        return schemas.TABLES[name].empty_table()
    return pq.read_table(file, schema=schemas.TABLES[name])


def load(path: str | os.PathLike[str] = "data/processed") -> Tables:
    """Load the tables a run wrote into ``path`` as DataFrames.

    >>> tables = load("data/processed")  # doctest: +SKIP
    >>> tables.tokens.query("not is_stop and not is_punct").text.value_counts().head()  # doctest: +SKIP
    """
    root = Path(path)
    if not root.is_dir():
        raise InputError(f"no output folder at {root}")
    frames = {name: read_arrow(root, name).to_pandas() for name in schemas.TABLES}
    manifest_path = root / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    return Tables(**frames, manifest=manifest)
